/**
 * Every `FORBIDDEN` says why, through the public scheduler: `details.reason` (a closed
 * union, `ForbiddenReason`) and the missing right or link in the message, naming only
 * the actor's own ids — never the child a booking or an entry belongs to.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type Actor, type Scheduler } from '../../../src';
import type { SchedulingErrorDetailsByCode } from '../../../src/errors';
import { seenByActor } from '../../../src/service/kernel/visibility';
import { useTestDatabase } from '../../support/database';
import { type Academy, book, createInput, insertSession, seedAcademy } from '../../support/fixtures';
import { errorOf, refusalsIn } from '../../support/refusals';
import { adminOf, instructorOf } from '../../support/actors';
import { expectDocumentedDetails } from '../../support/error-details';
import { at } from '../../support/time';

type ForbiddenReason = SchedulingErrorDetailsByCode['FORBIDDEN']['reason'];

const database = useTestDatabase();
const refused = refusalsIn(database);
let academy: Academy;
let scheduler: Scheduler;
let otherParentId: string;
/** Every seeded student's id, first name and code: what no refusal may name. */
let students: Array<{ id: string; firstName: string; code: string }>;

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 4 });
  scheduler = createScheduler({ db: database.db, now: () => at('2029-12-01T08:00:00Z') });
  const [other] = await database.db
    .insert(s.parents)
    .values({ firstName: 'Olga', lastName: 'Other', email: `olga-${process.pid}@x.test` })
    .returning();
  otherParentId = other!.id;
  students = (await database.db.select().from(s.students)).map((row) => ({ id: row.id, firstName: row.firstName, code: row.studentId }));
});

const kid = (i: number) => academy.studentIds[i]!;
const coach = (i: number) => instructorOf(academy, i);
const parent = (): Actor => ({ kind: 'parent', parentId: academy.parentId });
const student = (i: number): Actor => ({ kind: 'student', studentId: kid(i) });

let day = 0;
/** A session of coach 0 on a new day of January 2030, with Kid0 confirmed in it. */
async function sessionWithBooking(status: 'scheduled' | 'completed' = 'scheduled') {
  day++;
  const session = await insertSession(database.db, academy, {
    startTime: new Date(Date.UTC(2030, 0, 1 + day, 15)),
    endTime: new Date(Date.UTC(2030, 0, 1 + day, 16)),
  });
  const bookingId = await book(database.db, session.id, kid(0));
  if (status === 'completed') await database.db.update(s.sessions).set({ status }).where(eq(s.sessions.id, session.id));
  return { session, bookingId };
}

/**
 * The call is refused with FORBIDDEN and `reason`, nothing written; the message says
 * `because`; the details are the documented ones; and neither the message nor the
 * details name a student other than the acting one (`self`).
 */
async function refusedBecause(reason: ForbiddenReason, call: () => Promise<unknown>, because: string | RegExp, self?: string) {
  const error = await refused('FORBIDDEN', call);
  expect(error.details.reason).toBe(reason);
  expect(error.message).toMatch(because);
  expectDocumentedDetails(error);
  const said = `${error.message} ${JSON.stringify(error.details)}`;
  for (const named of students.filter((st) => st.id !== self)) {
    for (const secret of [named.id, named.firstName, named.code]) expect(said, `the refusal names a student (${secret})`).not.toContain(secret);
  }
  return error;
}

describe('a parent without a parent_students link (the report that started this)', () => {
  it('is not_linked_to_student, names the missing link and how an administrator creates it, not the child; once linked, the booking goes through', async () => {
    const { session } = await sessionWithBooking();
    const error = await refusedBecause(
      'not_linked_to_student',
      () => scheduler.bookings.book(parent(), { sessionId: session.id, studentId: kid(1) }),
      /parent_students/,
    );
    expect(error.message).toBe(
      `A parent may not book a place for this student: parent ${academy.parentId}'s account has no parent_students link to this student ` +
        '(an administrator creates one with scheduler.academy.linkParentStudent)',
    );
    expect(error.details).toEqual({ actorKind: 'parent', action: 'book a place for this student', reason: 'not_linked_to_student' });

    await scheduler.academy.linkParentStudent(adminOf(academy), { parentId: academy.parentId, studentId: kid(1) });
    expect(await scheduler.bookings.book(parent(), { sessionId: session.id, studentId: kid(1) })).toMatchObject({ outcome: 'confirmed' });
  });

  it('is refused the same way asked about a booking of a child not theirs (cancel, makeup, waitlist)', async () => {
    const { bookingId } = await sessionWithBooking();
    await refusedBecause('not_linked_to_student', () => scheduler.bookings.cancel(parent(), { bookingId, type: 'student' }), /no parent_students link/);
    const { session: target } = await sessionWithBooking();
    await database.db.update(s.sessionBookings).set({ bookingStatus: 'cancelled' }).where(eq(s.sessionBookings.id, bookingId));
    await refusedBecause(
      'not_linked_to_student',
      () => scheduler.makeups.book(parent(), { originalBookingId: bookingId, sessionId: target.id }),
      /no parent_students link/,
    );
    await refusedBecause(
      'not_linked_to_student',
      () => scheduler.waitlist.join(parent(), { sessionId: target.id, studentId: kid(2) }),
      /no parent_students link/,
    );
  });
});

describe('each reason, through the public scheduler', () => {
  it('administrators_only: an action or a field only admins and the system have, with the field in path', async () => {
    const verify = await refusedBecause('administrators_only', () => scheduler.maintenance.verifyIntegrity(parent(), {}), /only administrators/);
    expect(verify.details.path).toBeUndefined();
    const { session } = await sessionWithBooking();
    const priority = await refusedBecause(
      'administrators_only',
      () => scheduler.waitlist.join(student(2), { sessionId: session.id, studentId: kid(2), priorityScore: 9 }),
      /^A student may not set a waitlist priority: only administrators \(admin and system actors\) may$/,
    );
    expect(priority.details.path).toEqual(['priorityScore']);
    const charge = await refusedBecause(
      'administrators_only',
      () => scheduler.bookings.book(student(2), { sessionId: session.id, studentId: kid(2), amountCharged: '1.00' }),
      /only administrators/,
    );
    expect(charge.details.path).toEqual(['amountCharged']);
  });

  it('administrators_or_instructor_only: a parent reading the attendance register', async () => {
    const { session } = await sessionWithBooking();
    await refusedBecause(
      'administrators_or_instructor_only',
      () => scheduler.attendance.register(parent(), { sessionId: session.id }),
      /^A parent may not see the attendance register: only administrators and the instructor concerned may/,
    );
  });

  it("administrators_or_parent_only: a student reading a family's schedule", async () => {
    await refusedBecause(
      'administrators_or_parent_only',
      () => scheduler.bookings.familySchedule(student(0), { parentId: academy.parentId, from: at('2030-01-01T00:00:00Z'), until: at('2030-02-01T00:00:00Z') }),
      /only administrators and the parent whose family it is/,
    );
  });

  it('instructors_do_not_book: an instructor booking a place', async () => {
    const { session } = await sessionWithBooking();
    await refusedBecause(
      'instructors_do_not_book',
      () => scheduler.bookings.book(coach(0), { sessionId: session.id, studentId: kid(2) }),
      /^An instructor may not book a place: instructors teach sessions/,
    );
  });

  it('not_this_student: a student booking for another, naming only themself', async () => {
    const { session } = await sessionWithBooking();
    const error = await refusedBecause(
      'not_this_student',
      () => scheduler.bookings.book(student(2), { sessionId: session.id, studentId: kid(3) }),
      `student ${kid(2)} acts only for themself`,
      kid(2),
    );
    expect(error.message).not.toContain(kid(3));
  });

  it("not_this_parent: a parent booking in another parent's name, or reading another family's schedule", async () => {
    const { session } = await sessionWithBooking();
    const other = await refusedBecause(
      'not_this_parent',
      () => scheduler.bookings.book(parent(), { sessionId: session.id, studentId: kid(1), parentId: otherParentId }),
      `parent ${academy.parentId} acts only in their own name`,
    );
    expect(other.details.path).toEqual(['parentId']);
    await refusedBecause(
      'not_this_parent',
      () => scheduler.bookings.familySchedule(parent(), { parentId: otherParentId, from: at('2030-01-01T00:00:00Z'), until: at('2030-02-01T00:00:00Z') }),
      /acts only in their own name/,
    );
  });

  it('not_their_session: an instructor recording attendance, reading the participants or the queue of a session they do not teach', async () => {
    const { session, bookingId } = await sessionWithBooking();
    const teaches = `instructor ${academy.instructorIds[1]} does not teach this session`;
    await refusedBecause('not_their_session', () => scheduler.attendance.checkIn(coach(1), { bookingId }), teaches);
    await refusedBecause('not_their_session', () => scheduler.bookings.participants(coach(1), { sessionId: session.id }), teaches);
    await refusedBecause('not_their_session', () => scheduler.waitlist.list(coach(1), { sessionId: session.id }), teaches);
    await refusedBecause('not_their_session', () => scheduler.bookings.cancel(coach(1), { bookingId, type: 'instructor' }), teaches);
  });

  it("not_their_records: an instructor asking for another instructor's feedback figures", async () => {
    await refusedBecause(
      'not_their_records',
      () => scheduler.feedback.averages(coach(1), { instructorId: academy.instructorIds[0]! }),
      `instructor ${academy.instructorIds[1]} sees only their own records`,
    );
  });

  it('not_a_participant: feedback from a student, or a parent of no student, who was not in the class', async () => {
    const { session } = await sessionWithBooking('completed');
    await refusedBecause(
      'not_a_participant',
      () => scheduler.feedback.submit(student(3), { sessionId: session.id, overallRating: 5 }),
      `student ${kid(3)} did not take part in this session`,
      kid(3),
    );
    await refusedBecause(
      'not_a_participant',
      () => scheduler.feedback.submit({ kind: 'parent', parentId: otherParentId }, { sessionId: session.id, overallRating: 5 }),
      `none of the students linked to parent ${otherParentId} took part in this session`,
    );
  });

  it('actor_id_missing: a parent, a student or an instructor without their id, which path and the message name', async () => {
    const { session, bookingId } = await sessionWithBooking();
    for (const [actor, field, call] of [
      [{ kind: 'parent' }, 'parentId', (a: Actor) => scheduler.bookings.book(a, { sessionId: session.id, studentId: kid(1) })],
      [{ kind: 'student' }, 'studentId', (a: Actor) => scheduler.bookings.book(a, { sessionId: session.id, studentId: kid(1) })],
      [{ kind: 'instructor' }, 'instructorId', (a: Actor) => scheduler.attendance.checkIn(a, { bookingId })],
    ] as const) {
      const error = await refusedBecause('actor_id_missing', () => call(actor), `the actor has no ${field}`);
      expect(error.details.path).toEqual(['actor', field]);
    }
  });

  it('not_visible: a row the access rules let the actor act on but not see (a guard: the two tables disagreeing)', async () => {
    const error = await errorOf(async () => seenByActor(parent(), null, 'see this booking'));
    expect(error).toMatchObject({
      code: 'FORBIDDEN',
      message: 'A parent may not see this booking: the row is not one this actor may see',
      details: { actorKind: 'parent', action: 'see this booking', reason: 'not_visible' },
    });
  });
});

describe('the call sites of sessions, availability and conflicts', () => {
  it('not_their_session: an instructor creating a session taught by another', async () => {
    await refusedBecause(
      'not_their_session',
      () =>
        scheduler.sessions.create(
          { ...coach(1), userId: academy.adminId },
          createInput(academy, { startTime: at('2030-05-01T15:00:00Z'), endTime: at('2030-05-01T16:00:00Z') }),
        ),
      `instructor ${academy.instructorIds[1]} does not teach this session`,
    );
  });

  it("not_their_availability: an instructor adding a slot to another instructor's availability", async () => {
    const slot = {
      instructorId: academy.instructorIds[0]!,
      availabilityType: 'regular',
      dayOfWeek: 1,
      startTime: '09:00',
      endTime: '12:00',
      effectiveFrom: '2030-01-01',
    } as const;
    await refusedBecause(
      'not_their_availability',
      () => scheduler.availability.add(coach(1), slot),
      `instructor ${academy.instructorIds[1]} changes only their own availability`,
    );
  });

  it("not_their_records: an instructor listing another instructor's conflicts", async () => {
    await refusedBecause(
      'not_their_records',
      () => scheduler.conflicts.list(coach(1), { instructorId: academy.instructorIds[0]! }),
      `instructor ${academy.instructorIds[1]} sees only their own records`,
    );
  });
});

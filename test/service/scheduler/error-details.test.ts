/**
 * Real refusals carry the details their code's type documents (SchedulingErrorDetailsByCode),
 * and the same fields whichever layer refused: the service's own check, or a trigger,
 * constraint or foreign key reached by raw SQL (mapped by toSchedulingError).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, isSchedulingError, type Scheduler, type SchedulingErrorCode } from '../../../src';
import { type SchedulingError } from '../../../src/errors';
import { toSchedulingError } from '../../../src/db/database-errors';
import type { Actor } from '../../../src/service/kernel/types';
import { useTestDatabase } from '../../support/database';
import { type Academy, book, createInput, insertSession, seedAcademy } from '../../support/fixtures';
import { errorOf, refusalsIn } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { expectDocumentedDetails } from '../../support/error-details';
import { at } from '../../support/time';

const database = useTestDatabase();
const refusedBy = refusalsIn(database);
let academy: Academy;
let scheduler: Scheduler;
let admin: Actor;
const clock = at('2029-12-01T08:00:00Z');
const nobody = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 6 });
  scheduler = createScheduler({ db: database.db, now: () => clock });
  admin = adminOf(academy);
});

const kid = (i: number) => academy.studentIds[i]!;
let day = 0;
async function newSession(overrides: Partial<typeof s.sessions.$inferInsert> = {}) {
  day++;
  const start = new Date(Date.UTC(2030, 3, 1 + day, 15));
  return insertSession(database.db, academy, {
    instructorId: null,
    capacity: 2,
    startTime: start,
    endTime: new Date(start.getTime() + 3_600_000),
    ...overrides,
  });
}

/** The service's refusal: this code, nothing written, and details as documented. */
async function refused<C extends SchedulingErrorCode>(code: C, fn: () => Promise<unknown>): Promise<SchedulingError<C>> {
  const error = await refusedBy(code, fn);
  expectDocumentedDetails(error);
  if (!isSchedulingError(error, code)) throw new Error(`expected ${code}`);
  return error;
}

/** A raw statement's refusal by the database, as toSchedulingError maps it. */
async function refusedByDatabase<C extends SchedulingErrorCode>(code: C, statement: string): Promise<SchedulingError<C>> {
  const error = toSchedulingError(await errorOf(() => database.query(statement)));
  expect(error.code, error.message).toBe(code);
  expectDocumentedDetails(error);
  if (!isSchedulingError(error, code)) throw new Error(`expected ${code}`);
  return error;
}

describe('details of real refusals', () => {
  it('NOT_FOUND: a look-up and a foreign key both name the field and the id', async () => {
    const session = await newSession();
    const lookUp = await refused('NOT_FOUND', () => scheduler.bookings.book(admin, { sessionId: session.id, studentId: nobody }));
    expect(lookUp.details).toEqual({ path: ['studentId'], id: nobody, entity: 'student' });
    const foreignKey = await refusedByDatabase(
      'NOT_FOUND',
      `INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES ('${session.id}', '${nobody}')`,
    );
    expect(foreignKey.details).toMatchObject({ sqlstate: '23503', path: ['studentId'], id: nobody });
    expect(foreignKey.details.constraint).toEqual(expect.any(String));
  });

  it('ALREADY_BOOKED: the service and the unique key both give the session and the student; ids are uuids', async () => {
    const session = await newSession();
    const { outcome, booking } = (await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(0) })) as Extract<
      Awaited<ReturnType<Scheduler['bookings']['book']>>,
      { outcome: 'confirmed' }
    >;
    expect(outcome).toBe('confirmed');
    const again = await refused('ALREADY_BOOKED', () => scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(0) }));
    expect(again.details).toEqual({ sessionId: session.id, studentId: kid(0), bookingId: booking.id, status: 'confirmed' });
    const duplicate = await refusedByDatabase(
      'ALREADY_BOOKED',
      `INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES ('${session.id}', '${kid(0)}')`,
    );
    expect(duplicate.details).toMatchObject({ sqlstate: '23505', constraint: 'uk_session_booking', sessionId: session.id, studentId: kid(0) });
  });

  it('NOT_BOOKABLE: the trigger gives the reason the service gives (the status)', async () => {
    const cancelled = await newSession({ status: 'cancelled' });
    const byService = await refused('NOT_BOOKABLE', () => scheduler.bookings.book(admin, { sessionId: cancelled.id, studentId: kid(1) }));
    expect(byService.details).toEqual({ sessionId: cancelled.id, status: 'cancelled', reason: 'cancelled' });
    const byTrigger = await refusedByDatabase(
      'NOT_BOOKABLE',
      `INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES ('${cancelled.id}', '${kid(1)}')`,
    );
    expect(byTrigger.details).toMatchObject({ sqlstate: 'SC007', sessionId: cancelled.id, status: 'cancelled', reason: 'cancelled' });
  });

  it('CAPACITY_POLICY_VIOLATION: the trigger gives the reason, bound and capacity the domain check gives', async () => {
    const byService = await refused('CAPACITY_POLICY_VIOLATION', () => scheduler.sessions.create(admin, createInput(academy, { capacity: 6 })));
    expect(byService.details).toMatchObject({ reason: 'above_maximum', sessionType: 'group', limit: 5, actual: 6 });
    const values = `'${academy.programId}', '${academy.courseId}', '${academy.locationId}', '${academy.poolId}'`;
    const byTrigger = await refusedByDatabase(
      'CAPACITY_POLICY_VIOLATION',
      `INSERT INTO scheduling.sessions (program_id, course_id, location_id, facility_id, session_type, title, start_time, end_time, capacity)
       VALUES (${values}, 'group', 'Too big', '2030-05-01T15:00:00Z', '2030-05-01T16:00:00Z', 6)`,
    );
    expect(byTrigger.details).toMatchObject({ sqlstate: 'SC002', reason: 'above_maximum', sessionType: 'group', limit: 5, actual: 6, min: 1, max: 5 });
  });

  it('AVAILABILITY_OVERLAP: the trigger names the slots in the way as a list, as the service does', async () => {
    const coach = academy.instructorIds[1]!;
    const monday = { instructorId: coach, availabilityType: 'regular' as const, dayOfWeek: 1, effectiveFrom: '2030-01-01' };
    const { availability } = await scheduler.availability.add(admin, { ...monday, startTime: '09:00', endTime: '12:00' });
    const byService = await refused('AVAILABILITY_OVERLAP', () => scheduler.availability.add(admin, { ...monday, startTime: '11:00', endTime: '13:00' }));
    expect(byService.details).toEqual({ instructorId: coach, conflictingAvailabilityIds: [availability.id] });
    const byTrigger = await refusedByDatabase(
      'AVAILABILITY_OVERLAP',
      `INSERT INTO scheduling.instructor_availability (instructor_id, availability_type, day_of_week, start_time, end_time, effective_from)
       VALUES ('${coach}', 'regular', 1, '11:00', '13:00', '2030-01-01')`,
    );
    expect(byTrigger.details).toEqual({ sqlstate: 'SC006', instructorId: coach, conflictingAvailabilityIds: [availability.id] });
  });

  it('WAITLIST_FULL, FORBIDDEN, STUDENT_CONFLICT and INVALID_STATE carry their documented fields', async () => {
    const full = await newSession({ capacity: 1, maxWaitlistSize: 1 });
    await book(database.db, full.id, kid(2));
    await scheduler.waitlist.join(admin, { sessionId: full.id, studentId: kid(3) });
    const waitlistFull = await refused('WAITLIST_FULL', () => scheduler.bookings.book(admin, { sessionId: full.id, studentId: kid(4) }));
    expect(waitlistFull.details).toEqual({ sessionId: full.id, maxWaitlistSize: 1, waiting: 1 });

    const parent: Actor = { kind: 'parent', parentId: academy.parentId };
    const forbidden = await refused('FORBIDDEN', () => scheduler.waitlist.join(parent, { sessionId: full.id, studentId: kid(4), priorityScore: 5 }));
    expect(forbidden.details).toEqual({ actorKind: 'parent', action: 'set a waitlist priority', reason: 'administrators_only', path: ['priorityScore'] });

    const overlapping = await newSession({ facilityId: academy.lanesId, startTime: full.startTime, endTime: full.endTime });
    const clash = await refused('STUDENT_CONFLICT', () => scheduler.bookings.book(admin, { sessionId: overlapping.id, studentId: kid(2) }));
    expect(clash.details).toEqual({
      sessionId: overlapping.id,
      studentId: kid(2),
      conflictingSessionIds: [full.id],
      conflictingSessionCodes: [full.sessionId],
    });

    const [taken] = await database.db.select().from(s.sessionBookings).where(eq(s.sessionBookings.sessionId, full.id));
    await scheduler.bookings.cancel(admin, { bookingId: taken!.id, type: 'academy' });
    const twice = await refused('INVALID_STATE', () => scheduler.bookings.cancel(admin, { bookingId: taken!.id, type: 'academy' }));
    expect(twice.details).toEqual({ bookingId: taken!.id, bookingStatus: 'cancelled' });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type Scheduler } from '../../../src';
import type { Actor } from '../../../src/service/kernel/types';
import { useTestDatabase } from '../../support/database';
import { type Academy, insertSession, seedAcademy, sessionById } from '../../support/fixtures';
import { refusalsIn } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;
let admin: Actor;
let parent: Actor;
const clock = { now: at('2029-12-01T08:00:00Z') };
const WINDOW = 120;

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 12 });
  scheduler = createScheduler({ db: database.db, now: () => clock.now, offerWindowMinutes: WINDOW });
  admin = adminOf(academy);
  parent = { kind: 'parent', parentId: academy.parentId };
  // The parent may act for students 0, 1 and 2 only.
  await database.db.insert(s.parentStudents).values([0, 1, 2].map((i) => ({ parentId: academy.parentId, studentId: academy.studentIds[i]! })));
});

const kid = (i: number) => academy.studentIds[i]!;
let day = 0;
/** A session on its own day (so sessions never clash unless a test wants them to). */
async function newSession(overrides: Partial<typeof s.sessions.$inferInsert> = {}) {
  day++;
  const start = new Date(Date.UTC(2030, 0, 1 + day, 15));
  return insertSession(database.db, academy, {
    instructorId: null,
    capacity: 2,
    startTime: start,
    endTime: new Date(start.getTime() + 3_600_000),
    ...overrides,
  });
}

/** How far the booking number sequence has gone. */
async function bookingCodesUsed(): Promise<number> {
  const [row] = await database.query(sql`SELECT last_value::int AS value, is_called FROM scheduling.booking_code_seq`);
  return row!.is_called ? Number(row!.value) : 0;
}

const refused = refusalsIn(database);

describe('bookings.book', () => {
  it('confirms while places are free, then waitlists with positions 1, 2', async () => {
    const session = await newSession();
    const first = await scheduler.bookings.book(parent, { sessionId: session.id, studentId: kid(0), specialRequests: 'Armbands' });
    expect(first).toMatchObject({
      outcome: 'confirmed',
      booking: { bookingStatus: 'confirmed', parentId: academy.parentId, bookingSource: 'parent', specialRequests: 'Armbands' },
    });
    expect(first.outcome === 'confirmed' && first.booking.bookingId).toMatch(/^BKG-\d{4}-\d{4,}$/);
    // What a booking is charged is the academy's decision (a parent giving it is FORBIDDEN: admin-only-fields.test.ts).
    expect(await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(3), amountCharged: 12.5 })).toMatchObject({
      outcome: 'confirmed',
      booking: { amountCharged: '12.50' },
    });
    const third = await scheduler.bookings.book(parent, { sessionId: session.id, studentId: kid(1) });
    const fourth = await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(4) });
    expect(third).toMatchObject({ outcome: 'waitlisted', position: 1, entry: { status: 'waiting', parentId: academy.parentId } });
    expect(fourth).toMatchObject({ outcome: 'waitlisted', position: 2 });
    expect((await sessionById(database.db, session.id)).currentBookings).toBe(2);
  });

  it('refuses a second booking or queue place for the same student (ALREADY_BOOKED) and writes nothing', async () => {
    const session = await newSession({ capacity: 1 });
    await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(3) });
    await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(4) });
    const booked = await refused('ALREADY_BOOKED', () => scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(3) }));
    expect(booked.details).toMatchObject({ status: 'confirmed' });
    const waiting = await refused('ALREADY_BOOKED', () => scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(4) }));
    expect(waiting.details).toMatchObject({ status: 'waiting', position: 1 });
  });

  it('refuses a student already confirmed in an overlapping session, naming it (STUDENT_CONFLICT)', async () => {
    const first = await newSession();
    const overlapping = await newSession({
      facilityId: academy.lanesId,
      startTime: new Date(first.startTime.getTime() + 1_800_000),
      endTime: new Date(first.endTime.getTime() + 1_800_000),
    });
    const backToBack = await newSession({ facilityId: academy.lanesId, startTime: first.endTime, endTime: new Date(first.endTime.getTime() + 3_600_000) });
    await scheduler.bookings.book(admin, { sessionId: first.id, studentId: kid(5) });
    const codesBefore = await bookingCodesUsed();
    const error = await refused('STUDENT_CONFLICT', () => scheduler.bookings.book(admin, { sessionId: overlapping.id, studentId: kid(5) }));
    // Exactly the service's own refusal (not a trigger's, which would add sqlstate and a cause), and no booking number spent.
    expect(error.details).toEqual({
      sessionId: overlapping.id,
      studentId: kid(5),
      conflictingSessionIds: [first.id],
      conflictingSessionCodes: [first.sessionId],
    });
    expect(error.cause).toBeUndefined();
    expect(await bookingCodesUsed()).toBe(codesBefore);
    expect((await scheduler.bookings.book(admin, { sessionId: backToBack.id, studentId: kid(5) })).outcome).toBe('confirmed');
  });

  it('refuses a student or a session that does not exist (NOT_FOUND, the student first), writing nothing', async () => {
    const session = await newSession();
    const nobody = '00000000-0000-4000-8000-000000000000';
    const student = await refused('NOT_FOUND', () => scheduler.bookings.book(admin, { sessionId: session.id, studentId: nobody }));
    expect(student.details).toMatchObject({ path: ['studentId'], entity: 'student' });
    const both = await refused('NOT_FOUND', () => scheduler.bookings.book(admin, { sessionId: nobody, studentId: nobody }));
    expect(both.details).toMatchObject({ path: ['studentId'] });
    const noSession = await refused('NOT_FOUND', () => scheduler.bookings.book(admin, { sessionId: nobody, studentId: kid(7) }));
    expect(noSession.details).toMatchObject({ path: ['sessionId'], entity: 'session' });
  });

  it('refuses sessions that take no bookings (NOT_BOOKABLE) with the reason', async () => {
    const cases = [
      [{ status: 'cancelled' }, 'cancelled'],
      [{ status: 'completed' }, 'completed'],
      [{ status: 'postponed' }, 'postponed'],
      [{ status: 'in_progress' }, 'in_progress'],
      [{ startTime: at('2029-11-30T10:00:00Z'), endTime: at('2029-11-30T11:00:00Z') }, 'past'],
    ] as const;
    for (const [overrides, reason] of cases) {
      const session = await newSession(overrides);
      const error = await refused('NOT_BOOKABLE', () => scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(6) }));
      expect(error.details.reason).toBe(reason);
    }
    // Starting half a millisecond after the clock still counts as started: JavaScript's clock has milliseconds only.
    const session = await newSession();
    await database.query(
      sql`UPDATE scheduling.sessions SET start_time = timestamptz '2029-12-01 08:00:00.0005+00', end_time = timestamptz '2029-12-01 09:00:00+00' WHERE id = ${session.id}`,
    );
    const error = await refused('NOT_BOOKABLE', () => scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(6) }));
    expect(error.details.reason).toBe('past');
  });

  it('refuses a full session whose waitlist is full (WAITLIST_FULL)', async () => {
    const session = await newSession({ capacity: 1, maxWaitlistSize: 1 });
    await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(3) });
    await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(4) });
    const error = await refused('WAITLIST_FULL', () => scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(5) }));
    expect(error.details).toMatchObject({ maxWaitlistSize: 1, waiting: 1 });
  });

  it('lets parents book only their linked students, students only themselves, instructors never (FORBIDDEN)', async () => {
    const session = await newSession();
    const unknownStudent = '00000000-0000-4000-8000-000000000001';
    await refused('FORBIDDEN', () => scheduler.bookings.book(parent, { sessionId: session.id, studentId: kid(7) }));
    await refused('FORBIDDEN', () => scheduler.bookings.book({ kind: 'student', studentId: kid(8) }, { sessionId: session.id, studentId: kid(7) }));
    await refused('FORBIDDEN', () =>
      scheduler.bookings.book({ kind: 'instructor', instructorId: academy.instructorIds[0]! }, { sessionId: session.id, studentId: kid(7) }),
    );
    await refused('NOT_FOUND', () => scheduler.bookings.book(admin, { sessionId: session.id, studentId: unknownStudent }));
    await refused('INVALID_INPUT', () => scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(7), parentId: academy.parentId }));
    expect((await scheduler.bookings.book({ kind: 'student', studentId: kid(7) }, { sessionId: session.id, studentId: kid(7) })).outcome).toBe('confirmed');
  });
});

describe('bookings.cancel', () => {
  it('frees the place and offers it to the next in line with a deadline; the held place cannot be taken by a new booking', async () => {
    const session = await newSession({ capacity: 1 });
    const booked = await scheduler.bookings.book(parent, { sessionId: session.id, studentId: kid(0) });
    const waiting = await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(3) });
    if (booked.outcome !== 'confirmed' || waiting.outcome !== 'waitlisted') throw new Error('setup');
    const { booking, promotion } = await scheduler.bookings.cancel(parent, { bookingId: booked.booking.bookingId, type: 'student', reason: 'Ill' });
    expect(booking).toMatchObject({ bookingStatus: 'cancelled', cancellationType: 'student', cancellationReason: 'Ill' });
    // The place went to another family's child: the parent is not told whom (visibility.test.ts); an administrator sees the offer.
    expect(promotion.offered).toEqual([]);
    expect((await scheduler.waitlist.position(admin, { waitlistId: waiting.entry.id })).entry).toMatchObject({
      id: waiting.entry.id,
      status: 'offered',
      responseDeadline: new Date(clock.now.getTime() + WINDOW * 60_000),
      notificationSent: false,
      notificationMethod: 'email',
    });
    expect((await sessionById(database.db, session.id)).currentBookings).toBe(0);
    // The place is held for the offer: a newcomer queues behind.
    expect(await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(4) })).toMatchObject({ outcome: 'waitlisted', position: 2 });
    // Rebooking the cancelled student reuses their row (unique session+student) and also queues.
    expect(await scheduler.bookings.book(parent, { sessionId: session.id, studentId: kid(0) })).toMatchObject({ outcome: 'waitlisted', position: 3 });
  });

  it('a cancelled student who rebooks a free place gets their old row back', async () => {
    const session = await newSession();
    const first = await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(9) });
    if (first.outcome !== 'confirmed') throw new Error('setup');
    await scheduler.bookings.cancel(admin, { bookingId: first.booking.id, type: 'academy' });
    const again = await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(9) });
    expect(again).toMatchObject({
      outcome: 'confirmed',
      booking: { id: first.booking.id, bookingId: first.booking.bookingId, bookingStatus: 'confirmed', cancellationType: null },
    });
  });

  it('refuses parents cancelling as the academy, other families, and cancelled bookings', async () => {
    const session = await newSession();
    const booked = await scheduler.bookings.book(parent, { sessionId: session.id, studentId: kid(1) });
    const other = await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(10) });
    if (booked.outcome !== 'confirmed' || other.outcome !== 'confirmed') throw new Error('setup');
    await refused('FORBIDDEN', () => scheduler.bookings.cancel(parent, { bookingId: booked.booking.id, type: 'academy' }));
    await refused('FORBIDDEN', () => scheduler.bookings.cancel(parent, { bookingId: other.booking.id, type: 'student' }));
    await scheduler.bookings.cancel(parent, { bookingId: booked.booking.id, type: 'student' });
    await refused('INVALID_STATE', () => scheduler.bookings.cancel(parent, { bookingId: booked.booking.id, type: 'student' }));
  });
});

describe('bookings.bookMany', () => {
  it('books siblings all together, or nobody (CAPACITY_EXCEEDED, nothing written)', async () => {
    const session = await newSession({ capacity: 3 });
    await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(11) });
    const error = await refused('CAPACITY_EXCEEDED', () =>
      scheduler.bookings.bookMany(parent, { sessionId: session.id, students: [{ studentId: kid(0) }, { studentId: kid(1) }, { studentId: kid(2) }] }),
    );
    expect(error.details).toMatchObject({ requested: 3, available: 2 });
    const { bookings } = await scheduler.bookings.bookMany(parent, {
      sessionId: session.id,
      students: [{ studentId: kid(0) }, { studentId: kid(1), medicalNotes: 'Asthma' }],
    });
    expect(bookings.map((b) => b.studentId).sort()).toEqual([kid(0), kid(1)].sort());
    expect(bookings.find((b) => b.studentId === kid(1))!.medicalNotes).toBe('Asthma');
    expect((await sessionById(database.db, session.id)).currentBookings).toBe(3);
  });

  it('refuses the whole family when one sibling may not be booked', async () => {
    const session = await newSession({ capacity: 5 });
    await refused('FORBIDDEN', () => scheduler.bookings.bookMany(parent, { sessionId: session.id, students: [{ studentId: kid(0) }, { studentId: kid(7) }] }));
  });
});

describe('bookings.move', () => {
  it('moves to another session of the course, re-checking capacity, and promotes in the old one', async () => {
    const from = await newSession({ capacity: 1 });
    const to = await newSession({ capacity: 1 });
    const booked = await scheduler.bookings.book(admin, { sessionId: from.id, studentId: kid(2) });
    const waiting = await scheduler.bookings.book(admin, { sessionId: from.id, studentId: kid(3) });
    if (booked.outcome !== 'confirmed' || waiting.outcome !== 'waitlisted') throw new Error('setup');
    const moved = await scheduler.bookings.move(parent, { bookingId: booked.booking.id, toSessionId: to.id });
    expect(moved.from).toMatchObject({ bookingStatus: 'cancelled', cancellationReason: `Moved to ${to.sessionId}` });
    expect(moved.booking).toMatchObject({ sessionId: to.id, studentId: kid(2), bookingStatus: 'confirmed', originalSessionId: from.id });
    // Kid 3 is another family's: the parent is not told the place went to them; the queue says so.
    expect(moved.promotion.offered).toEqual([]);
    expect((await database.db.select().from(s.sessionWaitlist).where(eq(s.sessionWaitlist.id, waiting.entry.id)))[0]!.status).toBe('offered');
    expect((await sessionById(database.db, from.id)).currentBookings).toBe(0);
    expect((await sessionById(database.db, to.id)).currentBookings).toBe(1);

    // Back again: the old session's place is held by the offer, so the move is refused.
    const back = await refused('CAPACITY_EXCEEDED', () => scheduler.bookings.move(parent, { bookingId: moved.booking.id, toSessionId: from.id }));
    expect(back.details).toMatchObject({ reason: 'held_offers', sessionId: from.id });

    // Into a session whose every place is confirmed: `full`.
    const third = await newSession({ capacity: 1 });
    const other = await scheduler.bookings.book(admin, { sessionId: third.id, studentId: kid(4) });
    if (other.outcome !== 'confirmed') throw new Error('setup');
    const full = await refused('CAPACITY_EXCEEDED', () => scheduler.bookings.move(admin, { bookingId: other.booking.id, toSessionId: to.id }));
    expect(full.details).toMatchObject({ reason: 'full', sessionId: to.id });
  });

  it('refuses a session of another course', async () => {
    const [course] = await database.db
      .insert(s.courses)
      .values({ code: `OTHER-${Math.random()}`, name: 'Other', programId: academy.programId })
      .returning();
    const from = await newSession();
    const to = await newSession({ courseId: course!.id });
    const booked = await scheduler.bookings.book(admin, { sessionId: from.id, studentId: kid(4) });
    if (booked.outcome !== 'confirmed') throw new Error('setup');
    const error = await refused('INVALID_INPUT', () => scheduler.bookings.move(admin, { bookingId: booked.booking.id, toSessionId: to.id }));
    expect(error.details.reason).toBe('different_course');
  });
});

describe('booking queries', () => {
  it('upcomingForStudent, participants and familySchedule return exactly the live bookings, in order', async () => {
    const later = await newSession({ capacity: 3 });
    const sooner = await newSession({ capacity: 3, startTime: at('2029-12-20T10:00:00Z'), endTime: at('2029-12-20T11:00:00Z') });
    const past = await newSession({ capacity: 3, startTime: at('2029-11-20T10:00:00Z'), endTime: at('2029-11-20T11:00:00Z') });
    await database.db.insert(s.sessionBookings).values({ sessionId: past.id, studentId: kid(2) });
    for (const session of [later, sooner])
      await scheduler.bookings.bookMany(parent, { sessionId: session.id, students: [{ studentId: kid(2) }, { studentId: kid(1) }] });

    const upcoming = await scheduler.bookings.upcomingForStudent(parent, { studentId: kid(2), from: at('2029-12-15T00:00:00Z') });
    // sooner, then the session kid 2 was moved into earlier in this file, then later; never the past one or a cancelled booking.
    expect(upcoming).toHaveLength(3);
    expect(upcoming[0]!.session.id).toBe(sooner.id);
    expect(upcoming[2]!.session.id).toBe(later.id);
    expect(upcoming.every((r) => r.booking.bookingStatus === 'confirmed' && r.booking.studentId === kid(2))).toBe(true);

    const list = await scheduler.bookings.participants(admin, { sessionId: later.id });
    expect(list.map((p) => p.lastName)).toEqual(['Family1', 'Family2']);
    await refused('FORBIDDEN', () => scheduler.bookings.participants(parent, { sessionId: later.id }));

    const family = await scheduler.bookings.familySchedule(parent, {
      parentId: academy.parentId,
      from: at('2029-12-20T00:00:00Z'),
      until: at('2029-12-21T00:00:00Z'),
    });
    expect(family.bookings.map((b) => [b.session.id, b.student.lastName])).toEqual([
      [sooner.id, 'Family1'],
      [sooner.id, 'Family2'],
    ]);
  });
});

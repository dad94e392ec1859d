import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import * as s from '../../src/schema';
import { toSchedulingError } from '../../src/db/database-errors';
import { useTestDatabase } from '../support/database';
import { type Academy, insertSession, seedAcademy, sessionById } from '../support/fixtures';
import { errorOf } from '../support/refusals';
import { at } from '../support/time';

const database = useTestDatabase();

async function codeOf(fn: () => Promise<unknown>) {
  return toSchedulingError(await errorOf(fn));
}

describe('capacity policy trigger (validate_session_capacity)', () => {
  let academy: Academy;
  it('accepts the default limits and refuses what exceeds them, with SQLSTATE SC002', async () => {
    academy = await seedAcademy(database.db);
    const { db } = database;
    await insertSession(db, academy, { sessionType: 'group', capacity: 5, startTime: at('2030-02-01T10:00:00Z'), endTime: at('2030-02-01T11:00:00Z') });
    await insertSession(db, academy, {
      sessionType: 'private',
      capacity: 2,
      instructorId: academy.instructorIds[1],
      startTime: at('2030-02-01T10:00:00Z'),
      endTime: at('2030-02-01T11:00:00Z'),
      facilityId: academy.lanesId,
    });

    const group6 = await codeOf(() =>
      insertSession(db, academy, { sessionType: 'group', capacity: 6, startTime: at('2030-02-02T10:00:00Z'), endTime: at('2030-02-02T11:00:00Z') }),
    );
    expect(group6.code).toBe('CAPACITY_POLICY_VIOLATION');
    expect(group6.details).toMatchObject({ sqlstate: 'SC002', sessionType: 'group', capacity: 6, min: 1, max: 5 });

    const private3 = await codeOf(() => insertSession(db, academy, { sessionType: 'private', capacity: 3 }));
    expect(private3.code).toBe('CAPACITY_POLICY_VIOLATION');

    const school9 = await codeOf(() => insertSession(db, academy, { sessionType: 'school', capacity: 9 }));
    expect(school9.code).toBe('CAPACITY_POLICY_VIOLATION');
    const school31 = await codeOf(() => insertSession(db, academy, { sessionType: 'school', capacity: 31 }));
    expect(school31.code).toBe('CAPACITY_POLICY_VIOLATION');
  });

  it('reads the policy table, so a host may raise school sessions to 50 but never past it', async () => {
    const { db } = database;
    await db.update(s.capacityPolicies).set({ maxCapacity: 40 }).where(eq(s.capacityPolicies.sessionType, 'school'));
    const school = await insertSession(db, academy, {
      sessionType: 'school',
      capacity: 40,
      startTime: at('2030-03-01T10:00:00Z'),
      endTime: at('2030-03-01T11:00:00Z'),
    });
    expect(school.capacity).toBe(40);
    const tooMuch = await codeOf(() => db.update(s.capacityPolicies).set({ maxCapacity: 51 }).where(eq(s.capacityPolicies.sessionType, 'school')));
    expect(tooMuch.code).toBe('INVALID_INPUT');
    expect(tooMuch.details.constraint).toBe('chk_capacity_policy_range');
    // Tightening the policy is refused while a session would be left outside it.
    const stranded = await codeOf(() => db.update(s.capacityPolicies).set({ maxCapacity: 30 }).where(eq(s.capacityPolicies.sessionType, 'school')));
    expect(stranded.code).toBe('CAPACITY_POLICY_VIOLATION');
    expect(stranded.details.conflictingSessionIds).toEqual([school.id]);
    await db.update(s.sessions).set({ status: 'cancelled' }).where(eq(s.sessions.id, school.id));
    await db.update(s.capacityPolicies).set({ maxCapacity: 30 }).where(eq(s.capacityPolicies.sessionType, 'school'));
  });

  it('refuses lowering capacity below the confirmed bookings (SC001)', async () => {
    const { db } = database;
    const session = await insertSession(db, academy, { startTime: at('2030-04-01T10:00:00Z'), endTime: at('2030-04-01T11:00:00Z') });
    await db.insert(s.sessionBookings).values(academy.studentIds.slice(0, 3).map((studentId) => ({ sessionId: session.id, studentId })));
    const error = await codeOf(() => db.update(s.sessions).set({ capacity: 2 }).where(eq(s.sessions.id, session.id)));
    expect(error.code).toBe('CAPACITY_EXCEEDED');
    expect(error.details).toMatchObject({ reason: 'below_confirmed', currentBookings: 3 });
    expect((await sessionById(db, session.id)).capacity).toBe(5);
  });
});

describe('current_bookings trigger (update_session_bookings)', () => {
  let academy: Academy;
  const confirmedCount = async (sessionId: string) =>
    (
      await database.db
        .select()
        .from(s.sessionBookings)
        .where(and(eq(s.sessionBookings.sessionId, sessionId), eq(s.sessionBookings.bookingStatus, 'confirmed')))
    ).length;

  it('counts only confirmed bookings: a pending insert does not count, confirming it does', async () => {
    academy = await seedAcademy(database.db);
    const { db } = database;
    const session = await insertSession(db, academy);
    const [pending] = await db
      .insert(s.sessionBookings)
      .values({ sessionId: session.id, studentId: academy.studentIds[0]!, bookingStatus: 'pending' })
      .returning();
    expect((await sessionById(db, session.id)).currentBookings).toBe(0);
    await db.update(s.sessionBookings).set({ bookingStatus: 'confirmed' }).where(eq(s.sessionBookings.id, pending!.id));
    const after = await sessionById(db, session.id);
    expect(after.currentBookings).toBe(1);
    expect(after.availableSpots).toBe(4);
  });

  it('follows every status change and delete, always equal to the confirmed count', async () => {
    const { db } = database;
    const session = await insertSession(db, academy, { startTime: at('2030-01-16T15:00:00Z'), endTime: at('2030-01-16T16:00:00Z') });
    const rows = await db
      .insert(s.sessionBookings)
      .values(academy.studentIds.slice(0, 4).map((studentId) => ({ sessionId: session.id, studentId })))
      .returning();
    expect((await sessionById(db, session.id)).currentBookings).toBe(4);
    await db.update(s.sessionBookings).set({ bookingStatus: 'cancelled', cancellationDate: new Date() }).where(eq(s.sessionBookings.id, rows[0]!.id));
    await db.update(s.sessionBookings).set({ bookingStatus: 'no_show' }).where(eq(s.sessionBookings.id, rows[1]!.id));
    await db.update(s.sessionBookings).set({ bookingStatus: 'confirmed' }).where(eq(s.sessionBookings.id, rows[0]!.id));
    await db.delete(s.sessionBookings).where(eq(s.sessionBookings.id, rows[2]!.id));
    await db.delete(s.sessionBookings).where(eq(s.sessionBookings.id, rows[1]!.id)); // not confirmed: no change
    const after = await sessionById(db, session.id);
    expect(after.currentBookings).toBe(2);
    expect(after.currentBookings).toBe(await confirmedCount(session.id));
  });

  it('moves the count when a booking moves to another session', async () => {
    const { db } = database;
    const from = await insertSession(db, academy, { startTime: at('2030-01-17T15:00:00Z'), endTime: at('2030-01-17T16:00:00Z') });
    const to = await insertSession(db, academy, { startTime: at('2030-01-18T15:00:00Z'), endTime: at('2030-01-18T16:00:00Z') });
    const [booking] = await db.insert(s.sessionBookings).values({ sessionId: from.id, studentId: academy.studentIds[0]! }).returning();
    await db.update(s.sessionBookings).set({ sessionId: to.id }).where(eq(s.sessionBookings.id, booking!.id));
    expect((await sessionById(db, from.id)).currentBookings).toBe(0);
    expect((await sessionById(db, to.id)).currentBookings).toBe(1);
  });

  it('refuses a confirmed booking beyond capacity (SC001) and into a cancelled session (SC007)', async () => {
    const { db } = database;
    const session = await insertSession(db, academy, {
      sessionType: 'private',
      capacity: 2,
      startTime: at('2030-01-19T15:00:00Z'),
      endTime: at('2030-01-19T16:00:00Z'),
    });
    await db.insert(s.sessionBookings).values(academy.studentIds.slice(0, 2).map((studentId) => ({ sessionId: session.id, studentId })));
    const full = await codeOf(() => db.insert(s.sessionBookings).values({ sessionId: session.id, studentId: academy.studentIds[2]! }));
    expect(full.code).toBe('CAPACITY_EXCEEDED');
    expect(full.details).toMatchObject({ sqlstate: 'SC001', reason: 'full', capacity: 2 });
    expect(await confirmedCount(session.id)).toBe(2);

    const cancelled = await insertSession(db, academy, { status: 'cancelled', startTime: at('2030-01-20T15:00:00Z'), endTime: at('2030-01-20T16:00:00Z') });
    const closed = await codeOf(() => db.insert(s.sessionBookings).values({ sessionId: cancelled.id, studentId: academy.studentIds[0]! }));
    expect(closed.code).toBe('NOT_BOOKABLE');
  });
});

describe('conflict trigger (detect_scheduling_conflicts)', () => {
  let academy: Academy;

  it('lets back-to-back sessions of one instructor through (half-open intervals)', async () => {
    academy = await seedAcademy(database.db);
    const { db } = database;
    await insertSession(db, academy, { startTime: at('2030-05-01T10:00:00Z'), endTime: at('2030-05-01T11:00:00Z') });
    const next = await insertSession(db, academy, { facilityId: academy.lanesId, startTime: at('2030-05-01T11:00:00Z'), endTime: at('2030-05-01T12:00:00Z') });
    expect(next.status).toBe('scheduled');
    const conflicts = await db.select().from(s.scheduleConflicts).where(eq(s.scheduleConflicts.sessionId, next.id));
    expect(conflicts).toEqual([]);
  });

  it('refuses an overlapping session for the same instructor and names the one it clashes with', async () => {
    const { db } = database;
    const first = await insertSession(db, academy, { startTime: at('2030-05-02T10:00:00Z'), endTime: at('2030-05-02T11:00:00Z') });
    const error = await codeOf(() =>
      insertSession(db, academy, { facilityId: academy.lanesId, startTime: at('2030-05-02T10:30:00Z'), endTime: at('2030-05-02T11:30:00Z') }),
    );
    expect(error.code).toBe('INSTRUCTOR_DOUBLE_BOOKED');
    expect(error.details.conflictingSessionIds).toEqual([first.id]);
    expect(error.details.conflictingSessionCodes).toEqual([first.sessionId]);
  });

  it('refuses a facility overlap, but a facility that allows 3 at once refuses only the 4th', async () => {
    const { db } = database;
    await insertSession(db, academy, { instructorId: academy.instructorIds[1], startTime: at('2030-05-03T10:00:00Z'), endTime: at('2030-05-03T11:00:00Z') });
    const poolClash = await codeOf(() =>
      insertSession(db, academy, { instructorId: academy.instructorIds[2], startTime: at('2030-05-03T10:15:00Z'), endTime: at('2030-05-03T10:45:00Z') }),
    );
    expect(poolClash.code).toBe('FACILITY_OVERLAP');

    for (let i = 0; i < 3; i++) {
      await insertSession(db, academy, {
        facilityId: academy.lanesId,
        instructorId: null,
        startTime: at('2030-05-04T10:00:00Z'),
        endTime: at('2030-05-04T11:00:00Z'),
      });
    }
    const fourth = await codeOf(() =>
      insertSession(db, academy, {
        facilityId: academy.lanesId,
        instructorId: null,
        startTime: at('2030-05-04T10:30:00Z'),
        endTime: at('2030-05-04T11:30:00Z'),
      }),
    );
    expect(fourth.code).toBe('FACILITY_OVERLAP');
    // Three sessions that never all overlap at one instant fit a limit of 3 even with a 4th around.
    await insertSession(db, academy, {
      facilityId: academy.lanesId,
      instructorId: null,
      startTime: at('2030-05-04T11:00:00Z'),
      endTime: at('2030-05-04T12:00:00Z'),
    });
  });

  it('with an administrator override, creates the session and records valid resolved conflicts', async () => {
    const { db } = database;
    const first = await insertSession(db, academy, { startTime: at('2030-05-05T10:00:00Z'), endTime: at('2030-05-05T11:00:00Z') });
    const second = await db.transaction(async (tx) => {
      // SET LOCAL, not set_config: on Citus only SET LOCAL reaches the triggers on the workers.
      await tx.execute(sql`SET LOCAL scheduling.allow_conflicts = on`);
      await tx.execute(sql.raw(`SET LOCAL scheduling.actor_id = '${academy.adminId}'`));
      const [row] = await tx
        .insert(s.sessions)
        .values({
          ...(await import('../support/fixtures')).sessionValues(academy, {
            facilityId: academy.lanesId,
            startTime: at('2030-05-05T10:30:00Z'),
            endTime: at('2030-05-05T11:30:00Z'),
          }),
        })
        .returning();
      return row!;
    });
    const conflicts = await db.select().from(s.scheduleConflicts).where(eq(s.scheduleConflicts.sessionId, second.id));
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      conflictType: 'instructor_double_booking',
      conflictingSessionId: first.id,
      instructorId: academy.instructorIds[0],
      status: 'resolved',
      resolutionMethod: 'manual_override',
      severity: 'high',
      resolvedBy: academy.adminId,
      conflictTimeStart: at('2030-05-05T10:30:00Z'),
      conflictTimeEnd: at('2030-05-05T11:00:00Z'),
    });
    expect(conflicts[0]!.conflictId).toMatch(/^CON-\d{4}-(?:\d+-)?\d{4,}$/);
  });

  it('the override is transaction-local: the next transaction is refused again', async () => {
    const { db } = database;
    const error = await codeOf(() =>
      insertSession(db, academy, { facilityId: academy.lanesId, startTime: at('2030-05-05T10:45:00Z'), endTime: at('2030-05-05T11:15:00Z') }),
    );
    expect(error.code).toBe('INSTRUCTOR_DOUBLE_BOOKED');
  });

  it('ignores cancelled sessions, and re-checks a session that is moved onto another', async () => {
    const { db } = database;
    const cancelled = await insertSession(db, academy, { startTime: at('2030-05-06T10:00:00Z'), endTime: at('2030-05-06T11:00:00Z') });
    await db.update(s.sessions).set({ status: 'cancelled' }).where(eq(s.sessions.id, cancelled.id));
    const replacement = await insertSession(db, academy, { startTime: at('2030-05-06T10:00:00Z'), endTime: at('2030-05-06T11:00:00Z') });
    const later = await insertSession(db, academy, { startTime: at('2030-05-06T12:00:00Z'), endTime: at('2030-05-06T13:00:00Z') });
    const moved = await codeOf(() =>
      db
        .update(s.sessions)
        .set({ startTime: at('2030-05-06T10:30:00Z'), endTime: at('2030-05-06T11:30:00Z') })
        .where(eq(s.sessions.id, later.id)),
    );
    expect(moved.code).toBe('INSTRUCTOR_DOUBLE_BOOKED');
    expect(moved.details.conflictingSessionIds).toEqual([replacement.id]);
    const reactivate = await codeOf(() => db.update(s.sessions).set({ status: 'scheduled' }).where(eq(s.sessions.id, cancelled.id)));
    expect(reactivate.code).toBe('INSTRUCTOR_DOUBLE_BOOKED');
  });

  it('refuses a confirmed student in two overlapping sessions, also when a session is moved', async () => {
    const { db } = database;
    const a = await insertSession(db, academy, {
      instructorId: academy.instructorIds[1],
      startTime: at('2030-05-07T10:00:00Z'),
      endTime: at('2030-05-07T11:00:00Z'),
    });
    const b = await insertSession(db, academy, {
      instructorId: academy.instructorIds[2],
      facilityId: academy.lanesId,
      startTime: at('2030-05-07T10:30:00Z'),
      endTime: at('2030-05-07T11:30:00Z'),
    });
    const c = await insertSession(db, academy, {
      instructorId: academy.instructorIds[0],
      facilityId: academy.lanesId,
      startTime: at('2030-05-07T11:30:00Z'),
      endTime: at('2030-05-07T12:30:00Z'),
    });
    const student = academy.studentIds[0]!;
    await db.insert(s.sessionBookings).values({ sessionId: a.id, studentId: student });
    const clash = await codeOf(() => db.insert(s.sessionBookings).values({ sessionId: b.id, studentId: student }));
    expect(clash.code).toBe('STUDENT_CONFLICT');
    expect(clash.details).toMatchObject({ studentId: student, conflictingSessionIds: [a.id] });
    // A pending booking is not a place yet, so it may overlap.
    await db.insert(s.sessionBookings).values({ sessionId: b.id, studentId: student, bookingStatus: 'pending' });
    await db.insert(s.sessionBookings).values({ sessionId: c.id, studentId: student });
    const moveC = await codeOf(() =>
      db
        .update(s.sessions)
        .set({ startTime: at('2030-05-07T10:45:00Z'), endTime: at('2030-05-07T11:45:00Z') })
        .where(eq(s.sessions.id, c.id)),
    );
    expect(moveC.code).toBe('STUDENT_CONFLICT');
  });

  it('records an availability mismatch (and allows the session) when the instructor has availability that does not cover it', async () => {
    const { db } = database;
    const instructor = academy.instructorIds[1]!;
    // Mondays 09:00-12:00 local (America/New_York), with a break 10:30-10:45.
    await db.insert(s.instructorAvailability).values({
      instructorId: instructor,
      availabilityType: 'regular',
      dayOfWeek: 1,
      startTime: '09:00',
      endTime: '12:00',
      effectiveFrom: '2030-01-01',
      breakStartTime: '10:30',
      breakDurationMinutes: 15,
    });
    // Monday 2030-06-03 09:00-10:00 EDT = 13:00-14:00Z: inside.
    const inside = await insertSession(db, academy, { instructorId: instructor, startTime: at('2030-06-03T13:00:00Z'), endTime: at('2030-06-03T14:00:00Z') });
    // 10:15-11:00 local overlaps the break; Tuesday is outside.
    const onBreak = await insertSession(db, academy, { instructorId: instructor, startTime: at('2030-06-03T14:15:00Z'), endTime: at('2030-06-03T15:00:00Z') });
    const tuesday = await insertSession(db, academy, { instructorId: instructor, startTime: at('2030-06-04T13:00:00Z'), endTime: at('2030-06-04T14:00:00Z') });
    const mismatches = await db.select().from(s.scheduleConflicts).where(eq(s.scheduleConflicts.conflictType, 'availability_mismatch'));
    const bySession = new Set(mismatches.map((m) => m.sessionId));
    expect(bySession.has(inside.id)).toBe(false);
    expect(bySession.has(onBreak.id)).toBe(true);
    expect(bySession.has(tuesday.id)).toBe(true);
    expect(mismatches.find((m) => m.sessionId === tuesday.id)).toMatchObject({ status: 'detected', severity: 'medium' });

    // Moving it into the window settles the open mismatch, and it is never stored twice.
    await db
      .update(s.sessions)
      .set({ startTime: at('2030-06-04T13:30:00Z') })
      .where(eq(s.sessions.id, tuesday.id));
    const again = await db.select().from(s.scheduleConflicts).where(eq(s.scheduleConflicts.sessionId, tuesday.id));
    expect(again).toHaveLength(1);
    await db
      .update(s.sessions)
      .set({ startTime: at('2030-06-10T13:00:00Z'), endTime: at('2030-06-10T14:00:00Z') })
      .where(eq(s.sessions.id, tuesday.id));
    const settled = await db.select().from(s.scheduleConflicts).where(eq(s.scheduleConflicts.sessionId, tuesday.id));
    expect(settled).toHaveLength(1);
    expect(settled[0]).toMatchObject({ status: 'resolved', resolutionMethod: 'session_moved' });
  });
});

describe('availability trigger (validate_instructor_availability)', () => {
  let academy: Academy;
  const slot = (overrides: Partial<typeof s.instructorAvailability.$inferInsert>) => ({
    instructorId: academy.instructorIds[2]!,
    availabilityType: 'regular' as const,
    dayOfWeek: 2,
    startTime: '09:00',
    endTime: '12:00',
    effectiveFrom: '2030-01-01',
    ...overrides,
  });

  it('allows back-to-back slots and refuses overlapping ones (SC006)', async () => {
    academy = await seedAcademy(database.db);
    const { db } = database;
    await db.insert(s.instructorAvailability).values(slot({}));
    await db.insert(s.instructorAvailability).values(slot({ startTime: '12:00', endTime: '14:00' }));
    const error = await codeOf(() => db.insert(s.instructorAvailability).values(slot({ startTime: '11:00', endTime: '13:00' })));
    expect(error.code).toBe('AVAILABILITY_OVERLAP');
    const containing = await codeOf(() => db.insert(s.instructorAvailability).values(slot({ startTime: '08:00', endTime: '15:00' })));
    expect(containing.code).toBe('AVAILABILITY_OVERLAP');
  });

  it('honours effective date ranges, specific dates, types and is_active', async () => {
    const { db } = database;
    // Same weekday and time, but the ranges do not intersect.
    await db.insert(s.instructorAvailability).values(slot({ dayOfWeek: 3, effectiveFrom: '2030-01-01', effectiveUntil: '2030-06-30' }));
    await db.insert(s.instructorAvailability).values(slot({ dayOfWeek: 3, effectiveFrom: '2030-07-01' }));
    // A specific Tuesday inside the weekly Tuesday range overlaps the weekly slot…
    const sameDay = await codeOf(() =>
      db.insert(s.instructorAvailability).values(slot({ dayOfWeek: null, specificDate: '2030-03-05', startTime: '10:00', endTime: '11:00' })),
    );
    expect(sameDay.code).toBe('AVAILABILITY_OVERLAP');
    // …a Thursday date at that time does not.
    await db.insert(s.instructorAvailability).values(slot({ dayOfWeek: null, specificDate: '2030-03-07', startTime: '10:00', endTime: '11:00' }));
    // An exception or a temporary schedule may overlap the regular one on purpose.
    await db
      .insert(s.instructorAvailability)
      .values(slot({ availabilityType: 'exception', dayOfWeek: null, specificDate: '2030-03-05', maxConcurrentSessions: 0 }));
    await db.insert(s.instructorAvailability).values(slot({ availabilityType: 'temporary', effectiveFrom: '2030-07-01', effectiveUntil: '2030-08-31' }));
    // Inactive slots never clash.
    await db.insert(s.instructorAvailability).values(slot({ isActive: false }));
    const rows = await db.select().from(s.instructorAvailability).where(eq(s.instructorAvailability.instructorId, academy.instructorIds[2]!));
    expect(rows).toHaveLength(8);
  });
});

describe('human-readable ids', () => {
  it('are assigned by the database in PREFIX-YYYY-NNNN form and may grow past four digits', async () => {
    const academy = await seedAcademy(database.db);
    const { db } = database;
    const session = await insertSession(db, academy, { startTime: at('2031-01-01T10:00:00Z'), endTime: at('2031-01-01T11:00:00Z') });
    expect(session.sessionId).toMatch(/^SES-\d{4}-\d{4}$/);
    await database.query(`SELECT setval('scheduling.booking_code_seq', 123456)`);
    const [booking] = await db.insert(s.sessionBookings).values({ sessionId: session.id, studentId: academy.studentIds[0]! }).returning();
    expect(booking!.bookingId).toMatch(/^BKG-\d{4}-123457$/);
  });
});

describe('search_path independence', () => {
  it('triggers behave the same on a connection whose search_path does not include scheduling', async () => {
    const academy = await seedAcademy(database.db);
    const { db } = database;
    const error = await errorOf(() =>
      db.transaction(async (tx) => {
        await tx.execute(sql`SELECT set_config('search_path', 'pg_catalog', true)`);
        const [first] = await tx
          .insert(s.sessions)
          .values((await import('../support/fixtures')).sessionValues(academy, { startTime: at('2032-01-01T10:00:00Z'), endTime: at('2032-01-01T11:00:00Z') }))
          .returning();
        await tx.insert(s.sessionBookings).values({ sessionId: first!.id, studentId: academy.studentIds[0]! });
        const [counted] = await tx.select().from(s.sessions).where(eq(s.sessions.id, first!.id));
        expect(counted!.currentBookings).toBe(1);
        await tx.insert(s.sessions).values(
          (await import('../support/fixtures')).sessionValues(academy, {
            facilityId: academy.lanesId,
            startTime: at('2032-01-01T10:30:00Z'),
            endTime: at('2032-01-01T11:30:00Z'),
          }),
        );
      }),
    );
    expect(toSchedulingError(error).code).toBe('INSTRUCTOR_DOUBLE_BOOKED');
  });
});

describe('bad input at the database edge gives a clear error and writes nothing', () => {
  it.each([
    ['an unknown session type', { sessionType: 'yoga' as 'group' }, 'INVALID_INPUT', 'chk_session_type'],
    ['end before start', { startTime: at('2033-01-01T11:00:00Z'), endTime: at('2033-01-01T10:00:00Z') }, 'INVALID_INPUT', 'chk_session_times'],
    ['zero capacity', { capacity: 0 }, 'CAPACITY_POLICY_VIOLATION', undefined],
    [
      'a session longer than 24 hours',
      { startTime: at('2033-01-01T10:00:00Z'), endTime: at('2033-01-03T10:00:00Z') },
      'INVALID_INPUT',
      'chk_session_max_duration',
    ],
    ['min participants above capacity', { capacity: 3, minParticipants: 4 }, 'INVALID_INPUT', 'chk_session_participants'],
    ['an unknown instructor', { instructorId: '00000000-0000-0000-0000-000000000001' }, 'NOT_FOUND', undefined],
  ])('%s', async (_, overrides, code, constraint) => {
    const academy = await seedAcademy(database.db);
    const before = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM scheduling.sessions`);
    const error = toSchedulingError(await errorOf(() => insertSession(database.db, academy, overrides)));
    expect(error.code).toBe(code);
    if (constraint) expect(error.details.constraint).toBe(constraint);
    expect(await database.query(`SELECT count(*)::int AS n FROM scheduling.sessions`)).toEqual(before);
  });

  it('a rating of 6, an unknown time zone and an unknown booking status are refused', async () => {
    const academy = await seedAcademy(database.db);
    const session = await insertSession(database.db, academy, { startTime: at('2033-02-01T10:00:00Z'), endTime: at('2033-02-01T11:00:00Z') });
    const rating = toSchedulingError(
      await errorOf(() => database.db.insert(s.sessionFeedback).values({ sessionId: session.id, feedbackSource: 'admin', overallRating: 6 })),
    );
    expect(rating).toMatchObject({ code: 'INVALID_INPUT', details: { constraint: 'chk_feedback_overall_rating' } });
    const zone = toSchedulingError(await errorOf(() => database.db.insert(s.locations).values({ code: 'MARS', name: 'Mars', timezone: 'Mars/Olympus_Mons' })));
    expect(zone).toMatchObject({ code: 'INVALID_INPUT', details: { sqlstate: 'SC010', timezone: 'Mars/Olympus_Mons' } });
    const status = toSchedulingError(
      await errorOf(() =>
        database.db.insert(s.sessionBookings).values({ sessionId: session.id, studentId: academy.studentIds[0]!, bookingStatus: 'maybe' as 'confirmed' }),
      ),
    );
    expect(status).toMatchObject({ code: 'INVALID_INPUT', details: { constraint: 'chk_booking_status' } });
    expect(await database.query(`SELECT count(*)::int AS n FROM scheduling.session_feedback`)).toEqual([{ n: 0 }]);
  });
});

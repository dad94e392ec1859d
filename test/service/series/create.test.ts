import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type Scheduler } from '../../../src';
import type { CreateSeriesInput } from '../../../src/service/series/inputs';
import { useTestDatabase } from '../../support/database';
import { databaseDigest } from '../../support/digest';
import { type Academy, insertSession, seedAcademy } from '../../support/fixtures';
import { refusalsIn } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { at, iso } from '../../support/time';

const database = useTestDatabase();
let scheduler: Scheduler;

beforeAll(async () => {
  scheduler = createScheduler({ db: database.db });
});

/** The reference series: Mon/Wed/Fri 10:00–11:00 New York, 2025-01-15..2025-12-31. */
function seriesInput(
  academy: Academy,
  overrides: { pattern?: Partial<CreateSeriesInput['pattern']>; session?: Partial<CreateSeriesInput['session']> } & Partial<
    Pick<CreateSeriesInput, 'mode' | 'override'>
  > = {},
): CreateSeriesInput {
  const { pattern, session, ...rest } = overrides;
  return {
    pattern: {
      name: 'Swim club',
      patternType: 'weekly',
      daysOfWeek: [1, 3, 5],
      startDate: '2025-01-15',
      endDate: '2025-12-31',
      startTime: '10:00',
      endTime: '11:00',
      ...pattern,
    },
    session: {
      programId: academy.programId,
      courseId: academy.courseId,
      locationId: academy.locationId,
      facilityId: academy.poolId,
      instructorId: academy.instructorIds[0]!,
      sessionType: 'group',
      title: 'Swim club',
      ...session,
    },
    ...rest,
  };
}

const refused = refusalsIn(database);

describe('series.create', () => {
  it('creates the 151 occurrences of the reference series in one call, 10:00 New York across both DST changes', async () => {
    const academy = await seedAcademy(database.db);
    const started = performance.now();
    const result = await scheduler.series.create(adminOf(academy), seriesInput(academy));
    const elapsed = performance.now() - started;
    console.info(`[series] 151-occurrence series created on ${database.target} in ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(15_000);

    expect(result.sessions).toHaveLength(151);
    expect(result.skipped).toEqual([]);
    const stored = await database.db.select().from(s.sessions).where(eq(s.sessions.recurringPatternId, result.pattern.id));
    expect(stored).toHaveLength(151);
    const starts = new Set(stored.map((r) => iso(r.startTime)));
    expect(iso(result.sessions[0]!.startTime)).toBe('2025-01-15T15:00:00.000Z');
    expect(iso(result.sessions.at(-1)!.startTime)).toBe('2025-12-31T15:00:00.000Z');
    // Spring forward on Sunday 2025-03-09, fall back on Sunday 2025-11-02.
    for (const instant of ['2025-03-07T15:00:00.000Z', '2025-03-10T14:00:00.000Z', '2025-10-31T14:00:00.000Z', '2025-11-03T15:00:00.000Z']) {
      expect(starts.has(instant)).toBe(true);
    }
    expect(stored.every((r) => r.endTime.getTime() - r.startTime.getTime() === 3_600_000)).toBe(true);
    const parent = result.sessions[0]!;
    expect(parent.parentSessionId).toBeNull();
    expect(stored.filter((r) => r.id !== parent.id).every((r) => r.parentSessionId === parent.id && r.isRecurring === true)).toBe(true);
    expect(result.pattern).toMatchObject({
      startDate: '2025-01-15',
      endDate: '2025-12-31',
      startTime: '10:00:00',
      endTime: '11:00:00',
      createdBy: academy.adminId,
    });
    expect(result.conflicts).toEqual([]);
  });

  it("skips the location's holidays, academy-wide holidays and exception dates, but not another location's holidays", async () => {
    const academy = await seedAcademy(database.db);
    const other = await seedAcademy(database.db);
    await database.db.insert(s.holidays).values([
      { locationId: academy.locationId, holidayDate: '2027-02-15', name: "Presidents' Day" },
      { locationId: null, holidayDate: '2027-02-10', name: 'Academy closed' },
      { locationId: other.locationId, holidayDate: '2027-02-12', name: 'Elsewhere' },
    ]);
    const { sessions } = await scheduler.series.create(
      adminOf(academy),
      seriesInput(academy, { pattern: { startDate: '2027-02-01', endDate: '2027-02-28', exceptionDates: ['2027-02-19'] } }),
    );
    const dates = sessions.map((r) => iso(r.startTime).slice(0, 10));
    expect(dates).toEqual(['2027-02-01', '2027-02-03', '2027-02-05', '2027-02-08', '2027-02-12', '2027-02-17', '2027-02-22', '2027-02-24', '2027-02-26']);
  });

  it('all-or-nothing: refuses the whole series with SERIES_CONFLICT listing every conflicting date, and writes nothing', async () => {
    const academy = await seedAcademy(database.db);
    const busyCoach = await insertSession(database.db, academy, {
      facilityId: academy.lanesId,
      startTime: at('2025-03-10T14:30:00Z'),
      endTime: at('2025-03-10T15:30:00Z'),
    });
    const busyPool = await insertSession(database.db, academy, {
      instructorId: academy.instructorIds[1]!,
      startTime: at('2025-06-06T14:00:00Z'),
      endTime: at('2025-06-06T14:30:00Z'),
    });
    const both = await insertSession(database.db, academy, { startTime: at('2025-09-01T14:00:00Z'), endTime: at('2025-09-01T15:00:00Z') });
    const error = await refused(() => scheduler.series.create(adminOf(academy), seriesInput(academy)));
    expect(error.code).toBe('SERIES_CONFLICT');
    expect(error.details.conflictingDates).toEqual(['2025-03-10', '2025-06-06', '2025-09-01']);
    const conflicts = error.details.conflicts as Array<{ localDate: string; start: Date; end: Date; code: string; conflictingSessionIds: string[] }>;
    expect(conflicts.map((c) => [c.localDate, iso(c.start), iso(c.end), c.code, c.conflictingSessionIds])).toEqual([
      ['2025-03-10', '2025-03-10T14:00:00.000Z', '2025-03-10T15:00:00.000Z', 'INSTRUCTOR_DOUBLE_BOOKED', [busyCoach.id]],
      ['2025-06-06', '2025-06-06T14:00:00.000Z', '2025-06-06T15:00:00.000Z', 'FACILITY_OVERLAP', [busyPool.id]],
      ['2025-09-01', '2025-09-01T14:00:00.000Z', '2025-09-01T15:00:00.000Z', 'INSTRUCTOR_DOUBLE_BOOKED', [both.id]],
      ['2025-09-01', '2025-09-01T14:00:00.000Z', '2025-09-01T15:00:00.000Z', 'FACILITY_OVERLAP', [both.id]],
    ]);
  });

  it('skip-conflicts: creates the other occurrences and returns the skipped dates with their reasons', async () => {
    const academy = await seedAcademy(database.db);
    const busy = await insertSession(database.db, academy, {
      facilityId: academy.lanesId,
      startTime: at('2025-03-10T14:30:00Z'),
      endTime: at('2025-03-10T15:30:00Z'),
    });
    const result = await scheduler.series.create(adminOf(academy), seriesInput(academy, { mode: 'skip-conflicts' }));
    expect(result.sessions).toHaveLength(150);
    expect(result.skipped.map((c) => [c.localDate, c.code, c.conflictingSessionIds])).toEqual([['2025-03-10', 'INSTRUCTOR_DOUBLE_BOOKED', [busy.id]]]);
    expect(result.sessions.some((r) => iso(r.startTime) === '2025-03-10T14:00:00.000Z')).toBe(false);
  });

  it('back-to-back sessions do not conflict with an occurrence (half-open)', async () => {
    const academy = await seedAcademy(database.db);
    await insertSession(database.db, academy, { startTime: at('2025-03-10T13:00:00Z'), endTime: at('2025-03-10T14:00:00Z') });
    await insertSession(database.db, academy, { startTime: at('2025-03-10T15:00:00Z'), endTime: at('2025-03-10T16:00:00Z') });
    const { sessions } = await scheduler.series.create(adminOf(academy), seriesInput(academy, { pattern: { endDate: '2025-03-31' } }));
    expect(sessions.some((r) => iso(r.startTime) === '2025-03-10T14:00:00.000Z')).toBe(true);
  });

  it('with an admin override creates every occurrence and the trigger records each conflict as overridden', async () => {
    const academy = await seedAcademy(database.db);
    const busy = await insertSession(database.db, academy, {
      facilityId: academy.lanesId,
      startTime: at('2025-03-10T14:30:00Z'),
      endTime: at('2025-03-10T15:30:00Z'),
    });
    const result = await scheduler.series.create(adminOf(academy), seriesInput(academy, { pattern: { endDate: '2025-03-31' }, override: true }));
    expect(result.sessions).toHaveLength(33);
    expect(result.conflicts.map((c) => [c.conflictType, c.conflictingSessionId, c.status, c.resolutionMethod])).toEqual([
      ['instructor_double_booking', busy.id, 'resolved', 'manual_override'],
    ]);
  });

  it('records an availability mismatch for occurrences outside the instructor availability, as for single sessions', async () => {
    const academy = await seedAcademy(database.db);
    const coach = academy.instructorIds[2]!;
    // Mondays and Wednesdays only: the Friday occurrences are outside.
    await database.db.insert(s.instructorAvailability).values(
      [1, 3].map((day) => ({
        instructorId: coach,
        availabilityType: 'regular' as const,
        dayOfWeek: day,
        startTime: '09:00:00',
        endTime: '12:00:00',
        effectiveFrom: '2025-01-01',
      })),
    );
    const result = await scheduler.series.create(
      adminOf(academy),
      seriesInput(academy, { pattern: { startDate: '2025-02-03', endDate: '2025-02-09' }, session: { instructorId: coach } }),
    );
    expect(result.sessions).toHaveLength(3);
    expect(result.conflicts.map((c) => [c.conflictType, c.sessionId])).toEqual([['availability_mismatch', result.sessions[2]!.id]]);
  });

  it('refuses a capacity outside the policy once for the whole series (CAPACITY_POLICY_VIOLATION), even in skip mode', async () => {
    const academy = await seedAcademy(database.db);
    const error = await refused(() => scheduler.series.create(adminOf(academy), seriesInput(academy, { session: { capacity: 6 }, mode: 'skip-conflicts' })));
    expect(error.code).toBe('CAPACITY_POLICY_VIOLATION');
  });

  it('refuses hostile patterns with INVALID_INPUT and a reason, writing nothing', async () => {
    const academy = await seedAcademy(database.db);
    const admin = adminOf(academy);
    const openEnded = await refused(() => scheduler.series.create(admin, seriesInput(academy, { pattern: { endDate: null } })));
    expect(openEnded.details).toMatchObject({ reason: 'open_ended' });
    const tooLong = await refused(() => scheduler.series.create(admin, seriesInput(academy, { pattern: { endDate: '2027-01-15' } })));
    expect(tooLong.details).toMatchObject({ reason: 'series_too_long', path: ['pattern', 'endDate'] });
    const tooMany = await refused(() =>
      scheduler.series.create(admin, seriesInput(academy, { pattern: { patternType: 'daily', daysOfWeek: null, endDate: null, maxOccurrences: 1001 } })),
    );
    expect(tooMany.details).toMatchObject({ reason: 'too_many_occurrences', limit: 1000 });
    const countTooLong = await refused(() =>
      scheduler.series.create(admin, seriesInput(academy, { pattern: { patternType: 'monthly', daysOfWeek: null, endDate: null, maxOccurrences: 30 } })),
    );
    expect(countTooLong.details).toMatchObject({ reason: 'series_too_long' });
    const inverted = await refused(() => scheduler.series.create(admin, seriesInput(academy, { pattern: { startTime: '11:00', endTime: '10:00' } })));
    expect(inverted.details.path).toEqual(['pattern', 'endTime']);
    const badRule = await refused(() =>
      scheduler.series.create(admin, seriesInput(academy, { pattern: { patternType: 'custom', customPattern: { rrule: 'FREQ=HOURLY' } } })),
    );
    expect(badRule.details.path).toEqual(['pattern', 'customPattern', 'rrule']);
    const none = await refused(() =>
      scheduler.series.create(admin, seriesInput(academy, { pattern: { startDate: '2025-01-15', endDate: '2025-01-15', daysOfWeek: [1] } })),
    );
    expect(none.details).toMatchObject({ reason: 'no_occurrences' });
    for (const error of [openEnded, tooLong, tooMany, countTooLong, inverted, badRule, none]) expect(error.code).toBe('INVALID_INPUT');
  });

  it('refuses unknown ids with NOT_FOUND and non-administrators with FORBIDDEN, writing nothing', async () => {
    const academy = await seedAcademy(database.db);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const location = await refused(() => scheduler.series.create(adminOf(academy), seriesInput(academy, { session: { locationId: unknown } })));
    expect([location.code, location.details.path]).toEqual(['NOT_FOUND', ['session', 'locationId']]);
    const instructor = await refused(() => scheduler.series.create(adminOf(academy), seriesInput(academy, { session: { instructorId: unknown } })));
    expect(instructor.code).toBe('NOT_FOUND');
    const course = await refused(() => scheduler.series.create(adminOf(academy), seriesInput(academy, { session: { courseId: unknown } })));
    expect(course.code).toBe('NOT_FOUND');
    const coach = { kind: 'instructor' as const, userId: academy.adminId, instructorId: academy.instructorIds[0]! };
    expect((await refused(() => scheduler.series.create(coach, seriesInput(academy)))).code).toBe('FORBIDDEN');
    const malformed = await refused(() => scheduler.series.create(adminOf(academy), seriesInput(academy, { mode: 'sometimes' as never })));
    expect(malformed.details.path).toEqual(['mode']);
  });

  it('joins the host transaction: a host rollback removes the whole series', async () => {
    const academy = await seedAcademy(database.db);
    const before = await databaseDigest(database.db);
    await database.db
      .transaction(async (tx) => {
        await scheduler.series.create(adminOf(academy), seriesInput(academy, { pattern: { endDate: '2025-02-28' } }), { tx });
        throw new Error('host rolls back');
      })
      .catch(() => undefined);
    expect(await databaseDigest(database.db)).toEqual(before);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type Scheduler } from '../../../src';
import { useTestDatabase } from '../../support/database';
import { type Academy, insertSession, seedAcademy, sessionById, book } from '../../support/fixtures';
import { refusalsIn } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { at, iso } from '../../support/time';

const database = useTestDatabase();
// The clock stands on Saturday 2025-03-01: everything before is past.
const NOW = at('2025-03-01T12:00:00Z');
let scheduler: Scheduler;

beforeAll(async () => {
  scheduler = createScheduler({ db: database.db, now: () => NOW });
});

const dateOf = (d: Date) => iso(d).slice(0, 10);

/** A Mon/Wed/Fri 10:00–11:00 New York series from 2025-01-15 to 2025-04-30 (46 occurrences). */
async function seriesOf(academy: Academy) {
  const result = await scheduler.series.create(adminOf(academy), {
    pattern: {
      name: 'Swim club',
      patternType: 'weekly',
      daysOfWeek: [1, 3, 5],
      startDate: '2025-01-15',
      endDate: '2025-04-30',
      startTime: '10:00',
      endTime: '11:00',
    },
    session: {
      programId: academy.programId,
      courseId: academy.courseId,
      locationId: academy.locationId,
      facilityId: academy.poolId,
      instructorId: academy.instructorIds[0]!,
      sessionType: 'group',
      title: 'Swim club',
    },
  });
  const on = (date: string) => result.sessions.find((r) => dateOf(r.startTime) === date)!;
  return { ...result, on };
}

async function setStatus(id: string, status: string) {
  await database.db
    .update(s.sessions)
    .set({ status: status as 'completed' })
    .where(eq(s.sessions.id, id));
}

const refused = refusalsIn(database);

describe('series: one occurrence', () => {
  it('editOccurrence moves one occurrence, which keeps its pattern', async () => {
    const academy = await seedAcademy(database.db);
    const series = await seriesOf(academy);
    const target = series.on('2025-03-10');
    const { session } = await scheduler.series.editOccurrence(adminOf(academy), {
      sessionId: target.id,
      startTime: at('2025-03-10T18:00:00Z'),
      endTime: at('2025-03-10T19:00:00Z'),
    });
    expect([iso(session.startTime), session.recurringPatternId, session.isRecurring]).toEqual(['2025-03-10T18:00:00.000Z', series.pattern.id, true]);
  });

  it('editOccurrence refuses a move that clashes with a booked student (STUDENT_CONFLICT naming the student) unless overridden', async () => {
    const academy = await seedAcademy(database.db);
    const series = await seriesOf(academy);
    const target = series.on('2025-03-12');
    const elsewhere = await insertSession(database.db, academy, {
      instructorId: academy.instructorIds[1]!,
      facilityId: academy.lanesId,
      startTime: at('2025-03-12T18:00:00Z'),
      endTime: at('2025-03-12T19:00:00Z'),
    });
    await book(database.db, target.id, academy.studentIds[0]!);
    await book(database.db, elsewhere.id, academy.studentIds[0]!);
    const move = { sessionId: target.id, startTime: at('2025-03-12T18:30:00Z'), endTime: at('2025-03-12T19:30:00Z') };
    const error = await refused(() => scheduler.series.editOccurrence(adminOf(academy), move));
    expect(error.code).toBe('STUDENT_CONFLICT');
    expect(error.details.studentClashes).toEqual([{ studentId: academy.studentIds[0]!, conflictingSessionIds: [elsewhere.id] }]);
    const { session } = await scheduler.series.editOccurrence(adminOf(academy), { ...move, override: true });
    expect(iso(session.startTime)).toBe('2025-03-12T18:30:00.000Z');
  });

  it('editOccurrence refuses a new start before the clock (in_the_past, nothing changed) unless allowPast; other changes to a past occurrence need none', async () => {
    const academy = await seedAcademy(database.db);
    const series = await seriesOf(academy);
    const target = series.on('2025-03-10');
    const intoThePast = { sessionId: target.id, startTime: at('2025-02-27T18:00:00Z'), endTime: at('2025-02-27T19:00:00Z') };
    const error = await refused(() => scheduler.series.editOccurrence(adminOf(academy), intoThePast));
    expect([error.code, error.details]).toEqual([
      'INVALID_INPUT',
      expect.objectContaining({ path: ['startTime'], reason: 'in_the_past', sessionId: target.id }),
    ]);
    expect(iso((await sessionById(database.db, target.id)).startTime)).toBe(iso(target.startTime));
    const moved = await scheduler.series.editOccurrence(adminOf(academy), { ...intoThePast, allowPast: true });
    expect(iso(moved.session.startTime)).toBe('2025-02-27T18:00:00.000Z');

    // An occurrence already past: moving it within the past needs allowPast too; a new instructor does not.
    const past = series.on('2025-02-24');
    const withinThePast = { sessionId: past.id, startTime: at('2025-02-24T18:00:00Z'), endTime: at('2025-02-24T19:00:00Z') };
    expect((await refused(() => scheduler.series.editOccurrence(adminOf(academy), withinThePast))).details.reason).toBe('in_the_past');
    const reassigned = await scheduler.series.editOccurrence(adminOf(academy), { sessionId: past.id, instructorId: academy.instructorIds[1]! });
    expect([iso(reassigned.session.startTime), reassigned.session.instructorId]).toEqual([iso(past.startTime), academy.instructorIds[1]!]);
  });

  it('cancelOccurrence cancels the session and its bookings as the academy', async () => {
    const academy = await seedAcademy(database.db);
    const series = await seriesOf(academy);
    const target = series.on('2025-03-14');
    await book(database.db, target.id, academy.studentIds[0]!);
    await book(database.db, target.id, academy.studentIds[1]!, { status: 'pending' });
    const result = await scheduler.series.cancelOccurrence(adminOf(academy), { sessionId: target.id, reason: 'Pool closed' });
    expect([result.session.status, result.session.currentBookings, result.session.recurringPatternId]).toEqual(['cancelled', 0, series.pattern.id]);
    const bookings = await database.db.select().from(s.sessionBookings).where(eq(s.sessionBookings.sessionId, target.id));
    expect(bookings.map((b) => [b.bookingStatus, b.cancellationType]).sort()).toEqual([
      ['cancelled', 'academy'],
      ['cancelled', 'academy'],
    ]);
  });

  it('refuses sessions outside a series, unknown ids and non-administrators, writing nothing', async () => {
    const academy = await seedAcademy(database.db);
    const series = await seriesOf(academy);
    const single = await insertSession(database.db, academy, { startTime: at('2025-03-20T20:00:00Z'), endTime: at('2025-03-20T21:00:00Z') });
    expect((await refused(() => scheduler.series.cancelOccurrence(adminOf(academy), { sessionId: single.id, reason: 'x' }))).code).toBe('INVALID_INPUT');
    expect(
      (await refused(() => scheduler.series.cancelOccurrence(adminOf(academy), { sessionId: '00000000-0000-4000-8000-000000000000', reason: 'x' }))).code,
    ).toBe('NOT_FOUND');
    expect(
      (await refused(() => scheduler.series.extend(adminOf(academy), { patternId: '00000000-0000-4000-8000-000000000000', endDate: '2025-06-30' }))).code,
    ).toBe('NOT_FOUND');
    const parent = { kind: 'parent' as const, userId: academy.adminId, parentId: academy.parentId };
    expect((await refused(() => scheduler.series.cancelFrom(parent, { patternId: series.pattern.id, fromDate: '2025-04-01', reason: 'x' }))).code).toBe(
      'FORBIDDEN',
    );
    const coach = { kind: 'instructor' as const, userId: academy.adminId, instructorId: academy.instructorIds[0]! };
    expect(
      (await refused(() => scheduler.series.editFollowing(coach, { sessionId: series.on('2025-03-10').id, startTime: '12:00', endTime: '13:00' }))).code,
    ).toBe('FORBIDDEN');
  });
});

describe('series: this and following', () => {
  it('splits the pattern, moves the open occurrences to the new one with the new time, and leaves past, in-progress and completed ones alone', async () => {
    const academy = await seedAcademy(database.db);
    const series = await seriesOf(academy);
    const completedLater = series.on('2025-03-12');
    const inProgress = series.on('2025-03-14');
    await setStatus(completedLater.id, 'completed');
    await setStatus(inProgress.id, 'in_progress');
    const from = series.on('2025-03-10');
    const result = await scheduler.series.editFollowing(adminOf(academy), { sessionId: from.id, startTime: '16:00', endTime: '17:30' });

    expect(result.previousPattern).toMatchObject({ id: series.pattern.id, startDate: '2025-01-15', endDate: '2025-03-09' });
    expect(result.pattern).toMatchObject({ startDate: '2025-03-10', endDate: '2025-04-30', startTime: '16:00:00', endTime: '17:30:00', daysOfWeek: [1, 3, 5] });
    expect(result.pattern.id).not.toBe(series.pattern.id);
    // Mar 10 .. Apr 30 is 23 occurrences, minus the completed and the in-progress one.
    expect(result.sessions).toHaveLength(21);
    expect(result.sessions.map((r) => [dateOf(r.startTime), iso(r.startTime).slice(11, 16), r.recurringPatternId]).slice(0, 2)).toEqual([
      ['2025-03-10', '20:00', result.pattern.id],
      ['2025-03-17', '20:00', result.pattern.id],
    ]);
    expect(result.sessions.every((r) => r.endTime.getTime() - r.startTime.getTime() === 90 * 60_000)).toBe(true);
    expect(result.sessions[0]!.parentSessionId).toBeNull();
    expect(result.sessions.slice(1).every((r) => r.parentSessionId === from.id)).toBe(true);

    const old = await database.db.select().from(s.sessions).where(eq(s.sessions.recurringPatternId, series.pattern.id));
    expect(old).toHaveLength(46 - 21);
    for (const untouched of [completedLater, inProgress, series.on('2025-02-28')]) {
      const row = await sessionById(database.db, untouched.id);
      expect([iso(row.startTime), row.recurringPatternId]).toEqual([iso(untouched.startTime), series.pattern.id]);
    }
  });

  it('changes the instructor of the following occurrences; a conflict refuses the edit with SERIES_CONFLICT, writing nothing', async () => {
    const academy = await seedAcademy(database.db);
    const series = await seriesOf(academy);
    const other = academy.instructorIds[1]!;
    const busy = await insertSession(database.db, academy, {
      instructorId: other,
      facilityId: academy.lanesId,
      startTime: at('2025-04-07T14:00:00Z'),
      endTime: at('2025-04-07T15:00:00Z'),
    });
    const error = await refused(() => scheduler.series.editFollowing(adminOf(academy), { sessionId: series.on('2025-04-02').id, instructorId: other }));
    expect(error.code).toBe('SERIES_CONFLICT');
    expect(
      (error.details.conflicts as Array<{ localDate: string; code: string; conflictingSessionIds: string[] }>).map((c) => [
        c.localDate,
        c.code,
        c.conflictingSessionIds,
      ]),
    ).toEqual([['2025-04-07', 'INSTRUCTOR_DOUBLE_BOOKED', [busy.id]]]);
    await database.db.update(s.sessions).set({ status: 'cancelled' }).where(eq(s.sessions.id, busy.id));
    const result = await scheduler.series.editFollowing(adminOf(academy), { sessionId: series.on('2025-04-02').id, instructorId: other });
    expect(result.sessions).toHaveLength(13);
    expect(result.sessions.every((r) => r.instructorId === other && iso(r.startTime).slice(11, 16) === '14:00')).toBe(true);
  });

  it('refuses a new time that clashes with a booked student (STUDENT_CONFLICT naming the students) unless overridden', async () => {
    const academy = await seedAcademy(database.db);
    const series = await seriesOf(academy);
    const occurrence = series.on('2025-03-19');
    const elsewhere = await insertSession(database.db, academy, {
      instructorId: academy.instructorIds[1]!,
      facilityId: academy.lanesId,
      startTime: at('2025-03-19T20:00:00Z'),
      endTime: at('2025-03-19T21:00:00Z'),
    });
    for (const student of academy.studentIds.slice(0, 2)) {
      await book(database.db, occurrence.id, student);
      await book(database.db, elsewhere.id, student);
    }
    const change = { sessionId: series.on('2025-03-17').id, startTime: '16:00', endTime: '17:00' };
    const error = await refused(() => scheduler.series.editFollowing(adminOf(academy), change));
    expect(error.code).toBe('STUDENT_CONFLICT');
    expect([...(error.details.studentIds as string[])].sort()).toEqual(academy.studentIds.slice(0, 2).sort());
    expect(error.details.conflictingSessionIds).toEqual([elsewhere.id]);
    const result = await scheduler.series.editFollowing(adminOf(academy), { ...change, override: true });
    expect(result.conflicts.filter((c) => c.conflictType === 'student_conflict').map((c) => [c.sessionId, c.status])).toEqual([
      [occurrence.id, 'resolved'],
      [occurrence.id, 'resolved'],
    ]);
  });

  it('from the first open date of a series that has not started, changes the pattern in place', async () => {
    const academy = await seedAcademy(database.db);
    const result = await scheduler.series.create(adminOf(academy), {
      pattern: { name: 'Later', patternType: 'weekly', daysOfWeek: [2], startDate: '2025-05-06', endDate: '2025-05-27', startTime: '09:00', endTime: '10:00' },
      session: {
        programId: academy.programId,
        courseId: academy.courseId,
        locationId: academy.locationId,
        facilityId: academy.poolId,
        instructorId: academy.instructorIds[0]!,
        sessionType: 'group',
        title: 'Later',
      },
    });
    const edited = await scheduler.series.editFollowing(adminOf(academy), { sessionId: result.sessions[0]!.id, startTime: '09:30', endTime: '10:30' });
    expect(edited.previousPattern).toBeNull();
    expect([edited.pattern.id, edited.pattern.startTime]).toEqual([result.pattern.id, '09:30:00']);
    expect(edited.sessions.map((r) => iso(r.startTime))).toEqual([
      '2025-05-06T13:30:00.000Z',
      '2025-05-13T13:30:00.000Z',
      '2025-05-20T13:30:00.000Z',
      '2025-05-27T13:30:00.000Z',
    ]);
  });
});

describe('series: cancel from a date, extend', () => {
  it('cancelFrom cancels the open occurrences from that date with their bookings and ends the pattern the day before', async () => {
    const academy = await seedAcademy(database.db);
    const series = await seriesOf(academy);
    const completed = series.on('2025-04-04');
    await setStatus(completed.id, 'completed');
    await book(database.db, series.on('2025-04-02').id, academy.studentIds[0]!);
    const result = await scheduler.series.cancelFrom(adminOf(academy), { patternId: series.pattern.id, fromDate: '2025-04-01', reason: 'Pool renovation' });
    expect(result.pattern.endDate).toBe('2025-03-31');
    // Apr 2 .. Apr 30: 13 occurrences, one of them completed.
    expect(result.sessions).toHaveLength(12);
    expect(result.cancelledBookings.map((b) => b.studentId)).toEqual([academy.studentIds[0]!]);
    const [booking] = await database.db.select().from(s.sessionBookings).where(eq(s.sessionBookings.studentId, academy.studentIds[0]!));
    expect([booking!.bookingStatus, booking!.cancellationType]).toEqual(['cancelled', 'academy']);
    expect((await sessionById(database.db, completed.id)).status).toBe('completed');
    const open = await database.db
      .select()
      .from(s.sessions)
      .where(and(eq(s.sessions.recurringPatternId, series.pattern.id), eq(s.sessions.status, 'scheduled')));
    expect(open).toHaveLength(46 - 13);
  });

  it('extend creates only the new dates, linked to the series parent', async () => {
    const academy = await seedAcademy(database.db);
    const series = await seriesOf(academy);
    const result = await scheduler.series.extend(adminOf(academy), { patternId: series.pattern.id, endDate: '2025-05-16' });
    expect(result.pattern.endDate).toBe('2025-05-16');
    expect(result.sessions.map((r) => dateOf(r.startTime))).toEqual([
      '2025-05-02',
      '2025-05-05',
      '2025-05-07',
      '2025-05-09',
      '2025-05-12',
      '2025-05-14',
      '2025-05-16',
    ]);
    expect(
      result.sessions.every(
        (r) => r.parentSessionId === series.sessions[0]!.id && r.recurringPatternId === series.pattern.id && iso(r.startTime).slice(11, 16) === '14:00',
      ),
    ).toBe(true);
    const all = await database.db.select().from(s.sessions).where(eq(s.sessions.recurringPatternId, series.pattern.id));
    expect(all).toHaveLength(46 + 7);
    const byCount = await scheduler.series.extend(adminOf(academy), { patternId: series.pattern.id, maxOccurrences: 55 });
    expect(byCount.sessions.map((r) => dateOf(r.startTime))).toEqual(['2025-05-19', '2025-05-21']);
    expect(byCount.pattern).toMatchObject({ endDate: null, maxOccurrences: 55 });
  });

  it('extend checks the new dates with the same modes: all-or-nothing refuses, skip-conflicts skips', async () => {
    const academy = await seedAcademy(database.db);
    const series = await seriesOf(academy);
    const busy = await insertSession(database.db, academy, {
      instructorId: academy.instructorIds[1]!,
      startTime: at('2025-05-07T14:30:00Z'),
      endTime: at('2025-05-07T15:30:00Z'),
    });
    const error = await refused(() => scheduler.series.extend(adminOf(academy), { patternId: series.pattern.id, endDate: '2025-05-16' }));
    expect([error.code, error.details.conflictingDates, error.details.conflictingSessionIds]).toEqual(['SERIES_CONFLICT', ['2025-05-07'], [busy.id]]);
    const result = await scheduler.series.extend(adminOf(academy), { patternId: series.pattern.id, endDate: '2025-05-16', mode: 'skip-conflicts' });
    expect(result.sessions).toHaveLength(6);
    expect(result.skipped.map((c) => [c.localDate, c.code])).toEqual([['2025-05-07', 'FACILITY_OVERLAP']]);
    const shorter = await refused(() => scheduler.series.extend(adminOf(academy), { patternId: series.pattern.id, endDate: '2025-05-01' }));
    expect(shorter.details).toMatchObject({ reason: 'not_an_extension', path: ['endDate'] });
    const tooLong = await refused(() => scheduler.series.extend(adminOf(academy), { patternId: series.pattern.id, endDate: '2027-06-01' }));
    expect(tooLong.details).toMatchObject({ reason: 'series_too_long' });
  });
});

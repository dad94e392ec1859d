/**
 * Series under real concurrency (real server only): a series and single sessions
 * race for the same slots. The series' bulk pre-check cannot see uncommitted rows,
 * so the conflict trigger decides; every slot must end with exactly one winner and a
 * series must never be visible half-written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as s from '../../src/schema';
import { createScheduler, isSchedulingError, type Scheduler } from '../../src';
import { expandRecurrence } from '../../src/domain';
import type { SeriesMode } from '../../src/service/series/inputs';
import { useTestDatabase } from '../support/database';
import { seedAcademy, createInput } from '../support/fixtures';
import { adminOf } from '../support/actors';

const CONNECTIONS = 25;
const OCCURRENCES = 20;
const database = useTestDatabase();
let pool: ReturnType<typeof postgres>;
let scheduler: Scheduler;

beforeAll(async () => {
  pool = postgres(database.url!, { max: CONNECTIONS, onnotice: () => {} });
  scheduler = createScheduler({ db: drizzle(pool, { schema: s }) });
});
afterAll(async () => pool.end());

const outcomeOf = (r: PromiseSettledResult<unknown>) =>
  r.status === 'fulfilled' ? 'ok' : isSchedulingError(r.reason) ? r.reason.code : `UNTYPED ${String(r.reason)}`;

/** One round: a series of 20 occurrences against 20 single sessions of its instructor, one on each occurrence's slot. */
async function raceRound(round: number, mode: SeriesMode) {
  const academy = await seedAcademy(database.db, { students: 0 });
  const admin = adminOf(academy);
  const pattern = {
    name: `Race ${round}`,
    patternType: 'weekly' as const,
    daysOfWeek: [1, 3, 5],
    startDate: '2031-01-06',
    maxOccurrences: OCCURRENCES,
    startTime: '10:00',
    endTime: '11:00',
  };
  const slots = expandRecurrence({ ...pattern, endDate: null }, { timeZone: academy.timeZone });
  expect(slots).toHaveLength(OCCURRENCES);
  await Promise.all(Array.from({ length: CONNECTIONS }, () => pool`SELECT 1`));

  // Watches the series from outside while the race runs: it must appear whole or not at all.
  const seen = new Set<number>();
  let racing = true;
  const watcher = (async () => {
    while (racing) {
      const [row] =
        await pool`SELECT count(*)::int AS n FROM scheduling.sessions WHERE instructor_id = ${academy.instructorIds[0]!} AND recurring_pattern_id IS NOT NULL`;
      seen.add(row!.n as number);
    }
  })();
  const series = scheduler.series.create(admin, {
    pattern,
    session: {
      programId: academy.programId,
      courseId: academy.courseId,
      locationId: academy.locationId,
      facilityId: academy.poolId,
      instructorId: academy.instructorIds[0]!,
      sessionType: 'group',
      title: 'Series',
    },
    mode,
  });
  const singles = slots.map((slot, i) =>
    // Half a beat apart so some singles commit before the series' pre-check and some after.
    new Promise((resolve) => setTimeout(resolve, i % 4)).then(() =>
      scheduler.sessions.create(admin, createInput(academy, { facilityId: academy.lanesId, title: `Single ${i}`, startTime: slot.start, endTime: slot.end })),
    ),
  );
  const [seriesResult, ...singleResults] = await Promise.allSettled([series, ...singles]);
  racing = false;
  await watcher;

  const rows =
    await pool`SELECT start_time, recurring_pattern_id FROM scheduling.sessions WHERE instructor_id = ${academy.instructorIds[0]!} AND status = 'scheduled'`;
  const seriesRows = rows.filter((r) => r.recurring_pattern_id !== null).length;
  // Exactly one session per slot: the series' occurrence or the single, never both, never neither.
  for (const slot of slots) {
    expect(rows.filter((r) => new Date(r.start_time as string).getTime() === slot.start.getTime())).toHaveLength(1);
  }
  const singleOutcomes = singleResults.map(outcomeOf);
  expect(singleOutcomes.filter((o) => o !== 'ok' && o !== 'INSTRUCTOR_DOUBLE_BOOKED')).toEqual([]);
  expect(singleOutcomes.filter((o) => o === 'ok').length + seriesRows).toBe(OCCURRENCES);
  // What the watcher saw: nothing, or the series as finally committed.
  expect([...seen].every((n) => n === 0 || n === seriesRows)).toBe(true);
  return { series: outcomeOf(seriesResult!), seriesRows };
}

describe(`scheduler.series under ${CONNECTIONS} concurrent connections`, () => {
  it('all-or-nothing: a series racing single sessions over its slots is written whole or not at all, one winner per slot', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 6; round++) {
      const { series, seriesRows } = await raceRound(round, 'all-or-nothing');
      expect(seriesRows).toBe(series === 'ok' ? OCCURRENCES : 0);
      expect(['ok', 'SERIES_CONFLICT', 'INSTRUCTOR_DOUBLE_BOOKED']).toContain(series);
      outcomes.push(series);
    }
    console.info(`[series race] all-or-nothing outcomes: ${outcomes.join(', ')}`);
  });

  it('skip-conflicts: the series takes the slots it wins and skips the others, one winner per slot', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 6; round++) {
      const { series, seriesRows } = await raceRound(round, 'skip-conflicts');
      expect(['ok', 'SERIES_CONFLICT']).toContain(series);
      outcomes.push(`${series}:${seriesRows}`);
    }
    console.info(`[series race] skip-conflicts outcomes: ${outcomes.join(', ')}`);
  });
});

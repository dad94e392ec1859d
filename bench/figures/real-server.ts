/**
 * The figures that need the real PostgreSQL server (DATABASE_URL). Two throw-away
 * databases with the same academy: a small one (10,000 sessions) and a large one grown
 * in steps, 100,000 sessions (figure 5), then 1,000,000 (figure 2). Figure 2 measures
 * both databases in alternation, so machine noise hits both sizes alike. Both are
 * dropped at the end. Figure 1 (booking throughput) runs first, in the large database
 * while it is still empty, and deletes its own sessions.
 */
import { createScheduler } from '../../src';
import { compared, type Figure, measured, noteWith } from '../harness';
import { type BenchDatabase, loadSessions, openBenchDatabase } from '../server-database';
import { availabilityFigures } from './availability';
import { bookingThroughputFigures } from './booking-throughput';
import { type CreationMeasurement, measureSessionCreation } from './session-creation';

const SMALL = 10_000;
const AVAILABILITY = 100_000;

function planNote(m: CreationMeasurement): string {
  const overlap = `EXPLAIN of the service's overlap query: ${m.overlapPlan.usesIndex ? 'uses an index' : 'uses NO index'}, ${m.overlapPlan.seqScanOnSessions ? 'HAS a Seq Scan on sessions' : 'no Seq Scan on sessions'}.`;
  const nested = m.triggerPlans
    ? ` auto_explain of one create (service + trigger statements): ${m.triggerPlans.plans} plans, ${m.triggerPlans.seqScanOnSessions} with a Seq Scan on sessions.`
    : ' (auto_explain not available: trigger plans not checked.)';
  return overlap + nested;
}

/**
 * Figures 1, 2 and 5. `largeSize` is the session count
 * of figure 2 (1,000,000 by default; BENCH_LARGE_SESSIONS overrides it).
 *
 * @example
 * ```ts
 * if (process.env.DATABASE_URL) figures.push(...(await realServerFigures()));
 * ```
 */
export async function realServerFigures(largeSize = Number(process.env.BENCH_LARGE_SESSIONS ?? 1_000_000), runs = 25): Promise<Figure[]> {
  const opened: BenchDatabase[] = [];
  try {
    const smallBench = await openBenchDatabase('small');
    opened.push(smallBench);
    const bench = await openBenchDatabase('large');
    opened.push(bench);
    const scheduler = createScheduler({ db: bench.db });
    const figures: Figure[] = [];
    figures.push(...(await bookingThroughputFigures(bench)));

    await loadSessions(smallBench, 0, SMALL);
    await loadSessions(bench, 0, AVAILABILITY);
    const availability = await availabilityFigures(bench, scheduler, AVAILABILITY);

    const loadMs = await loadSessions(bench, AVAILABILITY, largeSize);
    const [small, large] = await measureSessionCreation(
      [
        { bench: smallBench, scheduler: createScheduler({ db: smallBench.db }) },
        { bench, scheduler },
      ],
      runs,
    );
    if (!small || !large) throw new Error('figure 2: a measurement is missing');

    const layout = `Sessions: 30 min back to back, 07:00-21:00 local (America/New_York), 50 rooms x 200 instructors (each teaches every 4th slot), no instructor or room overlap, bulk-loaded with INSERT ... SELECT generate_series in one transaction under DISABLE TRIGGER USER and session_replication_role = replica (FK checks off too: the data is built from the seeded ids), plain indexes dropped and recreated from their definitions, then ANALYZE.`;
    const measuredHow = `Each measured session goes into a free 06:30-07:00 slot touching (back to back) sessions of the same room and instructor, then is deleted outside the timing; the same slots at both sizes. Medians of ${runs} runs after 3 warm-ups, alternating create / plain insert and the two sizes.`;
    figures.push(
      compared(
        `sessions.create at ${largeSize.toLocaleString('en-US')} sessions`,
        large.createMs,
        'ms',
        { name: 'plain INSERT, no checks', value: large.plainInsertMs },
        '<= 2x',
        (r) => r <= 2,
        runs,
        noteWith(
          `${layout} Value: scheduler.sessions.create (zod, look-ups, service overlap check, insert, conflict triggers, conflicts read back, one transaction). Baseline: the same row via Drizzle in a transaction with SET LOCAL session_replication_role = replica (no user or FK triggers), committed. ${measuredHow} ${planNote(large)}`,
        ),
      ),
      compared(
        `sessions.create at ${largeSize.toLocaleString('en-US')} vs ${SMALL.toLocaleString('en-US')}`,
        large.createMs,
        'ms',
        { name: `sessions.create at ${SMALL.toLocaleString('en-US')}`, value: small.createMs },
        '< 1.5x',
        (r) => r < 1.5,
        runs,
        noteWith(
          `${layout} Two databases with the same academy and layout, one with ${SMALL} sessions, one with ${largeSize}, measured in alternation. ${measuredHow} At ${SMALL}: ${planNote(small)}`,
        ),
      ),
      measured(
        `bulk load ${(largeSize - AVAILABILITY).toLocaleString('en-US')} sessions`,
        loadMs,
        'ms',
        1,
        noteWith(
          `${layout} One transaction (drop 13 plain indexes, insert, recreate them) plus ANALYZE, on top of ${AVAILABILITY} existing sessions. A single measurement, for reference.`,
        ),
      ),
      ...availability,
    );
    return figures;
  } finally {
    for (const bench of opened) await bench.drop();
  }
}

/**
 * One group of the server figures alone, on its own throw-away database (for
 * `BENCH_ONLY=bookings` / `BENCH_ONLY=availability` while working on one of them).
 *
 * @example
 * ```ts
 * figures.push(...(await serverSubsetFigures('bookings')));
 * ```
 */
export async function serverSubsetFigures(which: 'bookings' | 'availability'): Promise<Figure[]> {
  const bench = await openBenchDatabase(which);
  try {
    if (which === 'bookings') return await bookingThroughputFigures(bench);
    await loadSessions(bench, 0, AVAILABILITY);
    return await availabilityFigures(bench, createScheduler({ db: bench.db }), AVAILABILITY);
  } finally {
    await bench.drop();
  }
}

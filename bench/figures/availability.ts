/**
 * Figure 5: availability look-ups on the real server, with 200 instructors (each with
 * seven weekly availability rows) and 100,000 sessions: `findAvailableInstructors` for
 * one slot and `freeSlots` of one instructor over a month. Latencies, with the main
 * query's plan checked for index use.
 */
import type { Scheduler } from '../../src';
import { type BenchDatabase, explain, localInstant } from '../server-database';
import { type Figure, medianMs, measured, noteWith } from '../harness';

type Plan = Awaited<ReturnType<typeof explain>>;

/** "uses an index, no Seq Scan on sessions" or what the plan does instead. */
function planSummary(plan: Plan): string {
  return `EXPLAIN of the main query: ${plan.usesIndex ? 'uses an index' : 'uses NO index'}, ${plan.seqScanOnSessions ? 'HAS a Seq Scan on sessions' : 'no Seq Scan on sessions'}.`;
}

/** Captures the calls of `fn` and EXPLAINs the first query matching `pattern`. */
async function planOf(bench: BenchDatabase, fn: () => Promise<unknown>, pattern: RegExp): Promise<Plan> {
  const captured = await bench.capture(fn);
  const main = captured.find((q) => pattern.test(q.query));
  if (!main) throw new Error(`no captured query matches ${pattern}`);
  return explain(bench, main);
}

/**
 * Figure 5 (two rows, latencies without a baseline: the issue sets none). Expects the
 * bench database loaded with 100,000 sessions.
 *
 * @example
 * ```ts
 * figures.push(...(await availabilityFigures(bench, scheduler, 100_000)));
 * ```
 */
export async function availabilityFigures(bench: BenchDatabase, scheduler: Scheduler, sessionCount: number, runs = 15): Promise<Figure[]> {
  const admin = { kind: 'admin', userId: bench.academy.adminId } as const;
  // Day 30, 10:00-10:30 local: slot 6, so the 50 instructors of that slot are busy and 150 are free.
  const slot = { locationId: bench.academy.locationId, start: localInstant(30, '10:00'), end: localInstant(30, '10:30') };
  let available = 0;
  const findMs = await medianMs(
    async () => {
      available = (await scheduler.availability.findAvailableInstructors(admin, slot)).length;
    },
    runs,
    2,
  );
  const findPlan = await planOf(bench, () => scheduler.availability.findAvailableInstructors(admin, slot), /WITH day AS/);

  const month = {
    instructorId: bench.academy.instructorIds[0]!,
    locationId: bench.academy.locationId,
    from: localInstant(20, '00:00'),
    until: localInstant(50, '00:00'),
    durationMinutes: 30,
    stepMinutes: 30,
  };
  let slots = 0;
  const freeMs = await medianMs(
    async () => {
      slots = (await scheduler.availability.freeSlots(admin, month)).length;
    },
    runs,
    2,
  );
  const freePlan = await planOf(bench, () => scheduler.availability.freeSlots(admin, month), /^select .*from "sessions"/is);

  const setup = `200 instructors x 7 weekly availability rows (06:00-22:00), 50 rooms, ${sessionCount.toLocaleString('en-US')} sessions (30 min, 07:00-21:00 local, America/New_York), PostgreSQL via postgres.js.`;
  return [
    measured(
      'findAvailableInstructors, one slot',
      findMs,
      'ms',
      runs,
      noteWith(
        `${setup} Slot: day 30, 10:00-10:30 local; ${available} of 200 instructors free (50 teach then). ${planSummary(findPlan)} One set-based statement (availability rules for all instructors at once, then one index range of sessions per candidate; peak_concurrency only for candidates with overlapping sessions). Median of ${runs} runs after 2 warm-ups; no target in the issue.`,
      ),
    ),
    measured(
      'freeSlots, one instructor, 30 days',
      freeMs,
      'ms',
      runs,
      noteWith(
        `${setup} 30 local days, 30-minute slots on a 30-minute step: ${slots} free slots. ${planSummary(freePlan)} (the busy-sessions query). Median of ${runs} runs after 2 warm-ups; no target in the issue.`,
      ),
    ),
  ];
}

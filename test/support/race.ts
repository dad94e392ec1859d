/** Many calls started at once, for the tests that run on the real server under concurrency. */
import type { Sql } from 'postgres';
import { isSchedulingError } from '../../src/errors';
import { sqlStateOf, toSchedulingError } from '../../src/db/database-errors';

/** Every call's settled result, the values of those that succeeded, and a count of outcomes. */
export interface Race<T> {
  results: PromiseSettledResult<T>[];
  values: T[];
  /** `ok`, a SchedulingError's code, or `raw <SQLSTATE or message>` for any other error. */
  tally: Record<string, number>;
}

export interface RaceOptions {
  /** A pool whose connections (as many as the calls can use) are opened first, so the calls really start together. */
  warm?: Sql;
  /**
   * Count a raw database error under the code the scheduler maps it to: for races of
   * raw SQL. Off by default, so a scheduler call that leaks a raw error fails a tally.
   */
  mapRaw?: boolean;
}

/**
 * Starts `fn(0)` … `fn(count - 1)` at once and waits for all of them. Raw errors,
 * DATABASE_ERROR and RETRY_EXHAUSTED are logged, to diagnose a tally that fails.
 */
export async function race<T>(count: number, fn: (i: number) => Promise<T>, options: RaceOptions = {}): Promise<Race<T>> {
  const { warm } = options;
  if (warm) await Promise.all(Array.from({ length: Math.min(count, warm.options.max) }, () => warm`SELECT 1`));
  const results = await Promise.allSettled(Array.from({ length: count }, (_, i) => fn(i)));
  const tally: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === 'fulfilled' ? 'ok' : outcomeOf(r.reason, options.mapRaw ?? false);
    if (r.status === 'rejected' && (key.startsWith('raw ') || key === 'DATABASE_ERROR' || key === 'RETRY_EXHAUSTED')) console.error(r.reason);
    tally[key] = (tally[key] ?? 0) + 1;
  }
  return { results, values: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])), tally };
}

function outcomeOf(reason: unknown, mapRaw: boolean): string {
  if (isSchedulingError(reason)) return reason.code;
  if (mapRaw) return toSchedulingError(reason).code;
  return `raw ${sqlStateOf(reason) ?? String(reason)}`;
}

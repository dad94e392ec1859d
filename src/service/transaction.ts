import { sql } from 'drizzle-orm';
import { SchedulingError } from '../errors';
import { RETRYABLE_SQLSTATES, sqlStateOf, toSchedulingError } from '../internal/database-errors';
import { type AnyPgDatabase, queryRows } from '../internal/db';
import type { Actor } from './types';
import { type SchedulingDb, withSchedulingSchema } from './scheduling-db';

/** What one scheduler call needs from its transaction. */
export interface TransactionRequest {
  actor: Actor;
  /** The host's transaction to join, if any. */
  tx?: AnyPgDatabase | undefined;
  /** Turns on `scheduling.allow_conflicts` (an administrator override) for this call only. */
  allowConflicts?: boolean;
}

/** Settings of a runner. */
export interface TransactionRunnerConfig {
  db: AnyPgDatabase;
  /** Re-runs after 40001 / 40P01, when the scheduler owns the transaction. */
  maxRetries: number;
  /**
   * Runs at the start of each transaction until one that called it has committed
   * (the capacity-policy sync). Its writes commit or roll back with the call's.
   */
  prepare?: (tx: SchedulingDb) => Promise<void>;
  /** Called after a transaction in which `prepare` ran has committed. */
  prepared?: () => void;
  /** Whether `prepare` still has to run. */
  needsPrepare?: () => boolean;
}

/** Runs one unit of work in a transaction with the actor's settings, mapping every error. */
export type RunInTransaction = <T>(request: TransactionRequest, work: (tx: SchedulingDb) => Promise<T>) => Promise<T>;

const SETTINGS = ['scheduling.actor_id', 'scheduling.allow_conflicts'] as const;

/**
 * Builds the transaction helper every scheduler method uses:
 *
 * - without `tx`: its own transaction, retried up to `maxRetries` times on a
 *   serialization failure or deadlock, then `RETRY_EXHAUSTED`;
 * - with `tx`: a savepoint inside the host's transaction (a refusal rolls back only
 *   our writes), never retried, and the transaction-local settings are put back
 *   afterwards so an override cannot leak into the host's later statements.
 *
 * `scheduling.actor_id` and `scheduling.allow_conflicts` are set with
 * `set_config(…, true)`: they are transaction-local, so a pooled connection never
 * carries them into someone else's transaction.
 *
 * @example
 * ```ts
 * const run = createTransactionRunner({ db, maxRetries: 3 });
 * const row = await run({ actor }, (tx) => tx.insert(sessions).values(values).returning());
 * ```
 */
export function createTransactionRunner(config: TransactionRunnerConfig): RunInTransaction {
  const applySettings = async (tx: SchedulingDb, request: TransactionRequest) => {
    await tx.execute(
      sql`SELECT set_config('scheduling.actor_id', ${request.actor.userId ?? ''}, true),
                 set_config('scheduling.allow_conflicts', ${request.allowConflicts ? 'on' : 'off'}, true)`,
    );
  };

  const body = async <T>(raw: AnyPgDatabase, request: TransactionRequest, work: (tx: SchedulingDb) => Promise<T>) => {
    const tx = withSchedulingSchema(raw);
    // Awaited before the work starts. (Sending it unawaited, to share a round trip with
    // the work's first statement, made the order in which the two reached the driver
    // depend on how many promise hops each took on its way: one change elsewhere, and a
    // session was written before its actor was set.)
    await applySettings(tx, request);
    const preparing = config.needsPrepare?.() ?? false;
    if (preparing) await config.prepare?.(tx);
    return { value: await work(tx), preparing };
  };

  const joined = async <T>(host: AnyPgDatabase, request: TransactionRequest, work: (tx: SchedulingDb) => Promise<T>) => {
    const before = await queryRows<{ actor: string | null; allow: string | null }>(
      host,
      sql`SELECT current_setting('scheduling.actor_id', true) AS actor, current_setting('scheduling.allow_conflicts', true) AS allow`,
    );
    try {
      const { value } = await host.transaction((savepoint) =>
        body(savepoint, request, async (tx) => {
          const result = await work(tx);
          await checkDeferredNow(tx);
          return result;
        }),
      );
      return value;
    } finally {
      // After a failed savepoint Postgres has already restored them; restoring again is harmless.
      await host
        .execute(
          sql`SELECT set_config(${SETTINGS[0]}, ${before[0]?.actor ?? ''}, true), set_config(${SETTINGS[1]}, ${before[0]?.allow ?? ''}, true)`,
        )
        .catch(() => undefined);
    }
  };

  return async function runInTransaction<T>(request: TransactionRequest, work: (tx: SchedulingDb) => Promise<T>): Promise<T> {
    if (request.tx) {
      try {
        return await joined(request.tx, request, work);
      } catch (error) {
        throw toSchedulingError(error);
      }
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const { value, preparing } = await config.db.transaction((tx) => body(tx, request, work));
        if (preparing) config.prepared?.();
        return value;
      } catch (error) {
        const sqlstate = sqlStateOf(error);
        if (sqlstate && RETRYABLE_SQLSTATES.has(sqlstate)) {
          if (attempt < config.maxRetries) {
            await backoff(attempt);
            continue;
          }
          throw new SchedulingError(
            'RETRY_EXHAUSTED',
            `Gave up after ${attempt + 1} attempts: the transaction kept failing with SQLSTATE ${sqlstate}`,
            { sqlstate, attempts: attempt + 1 },
            { cause: error },
          );
        }
        throw toSchedulingError(error);
      }
    }
  };
}

/** Jittered exponential backoff, so retried transactions do not collide again in lockstep. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Our constraint triggers that are checked at commit (see drizzle/0003 and 0006). */
const DEFERRED_CHECKS = sql.raw(
  'scheduling.trigger_booking_not_waiting, scheduling.trigger_waiting_not_booked, scheduling.trigger_waitlist_positions',
);

/**
 * In the host's transaction our deferred checks would run at the host's COMMIT, long
 * after our call returned, and reach the host as raw driver errors. Running them now
 * (then deferring them again) makes their refusals, lock waits and timeouts part of
 * this call, as typed errors, and rolls back only our savepoint.
 */
async function checkDeferredNow(tx: SchedulingDb): Promise<void> {
  await tx.execute(sql`SET CONSTRAINTS ${DEFERRED_CHECKS} IMMEDIATE`);
  await tx.execute(sql`SET CONSTRAINTS ${DEFERRED_CHECKS} DEFERRED`);
}

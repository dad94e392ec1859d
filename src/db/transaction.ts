import { sql } from 'drizzle-orm';
import { SchedulingError } from '../errors';
import { RETRYABLE_SQLSTATES, sqlStateOf, toSchedulingError } from './database-errors';
import { type AnyPgDatabase, queryRows } from './query';
import { type SchedulingDb, withSchedulingSchema } from './scheduling-db';
import { quoteIdentifier } from './academy-schema-name';
import { internalsOf } from './drizzle-internals';
import { isDrizzlePgTransaction } from './drizzle-kind';
import { isCitusDatabase } from './citus-detect';

/** What one scheduler call needs from its transaction. */
export interface TransactionRequest {
  /** Who acts: their user id is written to `scheduling.actor_id` (the `*_by` columns). */
  actor: { userId?: string | undefined };
  /** The host's transaction to join, if any. */
  tx?: AnyPgDatabase | undefined;
  /** Turns on `scheduling.allow_conflicts` (an administrator override) for this call only. */
  allowConflicts?: boolean;
  /** The scheduler method (`bookings.book`): `scheduling.operation`, which change events record. */
  operation?: string | undefined;
  /** The actor as `<kind>:<id>` (`parent:<parent id>`, `admin:`): `scheduling.actor`, which change events record. */
  actorRef?: string | undefined;
}

/** The isolation levels a scheduler's own transactions may run at. */
export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

/** Settings of a runner. */
export interface TransactionRunnerConfig {
  db: AnyPgDatabase;
  /** The academy's schema: every transaction's `search_path` (validated by the caller). */
  schema: string;
  /** A role every transaction acts as (`SET LOCAL ROLE`, validated by the caller). */
  role?: string | undefined;
  /** Re-runs after 40001 / 40P01, when the scheduler owns the transaction. */
  maxRetries: number;
  /** The level of the scheduler's own transactions; the server's default when absent. */
  isolationLevel?: IsolationLevel | undefined;
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

/**
 * Builds the transaction helper every scheduler method uses:
 *
 * - without `tx`: its own transaction (at `isolationLevel`, or the server's default),
 *   retried up to `maxRetries` times on a serialization failure or deadlock — after a
 *   jittered backoff, one retry at a time per scheduler — then `RETRY_EXHAUSTED`;
 * - with `tx`: a savepoint inside the host's transaction (a refusal rolls back only
 *   our writes), never retried, and the transaction-local settings are put back
 *   afterwards so an override cannot leak into the host's later statements.
 *
 * `scheduling.actor_id`, `scheduling.allow_conflicts`, the `search_path` and the
 * scheduler's `role` (if any) are set
 * with `set_config(…, true)`: they are transaction-local, so a pooled connection never
 * carries them into someone else's transaction.
 *
 * The `search_path` is the academy's schema, then `pg_temp` (after it, so a temporary
 * table cannot stand in for one of ours; `pg_catalog` comes first, implicitly). The
 * scheduler's SQL names its tables and functions without a schema, so every statement
 * of the call reads and writes that academy's schema and no other.
 *
 * @internal
 */
export function createTransactionRunner(config: TransactionRunnerConfig): RunInTransaction {
  const searchPath = `${quoteIdentifier(config.schema)}, pg_temp`;
  const singleConnection = isSingleNodePostgresClient(config.db);
  // `SET LOCAL ROLE`, as a setting: it ends with the transaction (or the savepoint that failed).
  const role = config.role ? sql` set_config('role', ${config.role}, true),` : sql``;
  // Found by the first transaction: whether the database is a Citus coordinator.
  let onCitus: boolean | undefined;
  const applySettings = async (tx: SchedulingDb, request: TransactionRequest) => {
    if (onCitus === undefined) {
      onCitus = await isCitusDatabase(tx);
    }
    if (onCitus) {
      // Not propagated: the path, the role (Citus opens its worker connections as the
      // current role), and the hold on the academy's placement (drizzle/0008).
      await tx.execute(
        sql`SELECT pg_catalog.set_config('search_path', ${searchPath}, true),${role} ${sql.raw(`${quoteIdentifier(config.schema)}.hold_academy_placement()`)}`,
      );
      await tx.execute(
        sql.raw(
          citusPropagatedSettings({
            actor: request.actor.userId ?? '',
            allow: request.allowConflicts ? 'on' : 'off',
            operation: request.operation ?? '',
            actorRef: request.actorRef ?? '',
          }),
        ),
      );
      return;
    }
    await tx.execute(
      sql`SELECT set_config('search_path', ${searchPath}, true),${role}
                 set_config('scheduling.actor_id', ${request.actor.userId ?? ''}, true),
                 set_config('scheduling.allow_conflicts', ${request.allowConflicts ? 'on' : 'off'}, true),
                 set_config('scheduling.operation', ${request.operation ?? ''}, true),
                 set_config('scheduling.actor', ${request.actorRef ?? ''}, true)`,
    );
  };

  const body = async <T>(raw: AnyPgDatabase, request: TransactionRequest, work: (tx: SchedulingDb) => Promise<T>) => {
    const tx = withSchedulingSchema(raw, config.schema);
    // Awaited before the work starts. (Sending it unawaited, to share a round trip with
    // the work's first statement, made the order in which the two reached the driver
    // depend on how many promise hops each took on its way: one change elsewhere, and a
    // session was written before its actor was set.)
    await applySettings(tx, request);
    const preparing = config.needsPrepare?.() ?? false;
    if (preparing) await config.prepare?.(tx);
    const value = await work(tx);
    // On Citus a check deferred to COMMIT would fail there without its SQLSTATE: run them now, where the rows are.
    if (onCitus && !request.tx) await checkDeferredOnWorker(tx);
    return { value, preparing };
  };

  const joined = <T>(host: AnyPgDatabase, request: TransactionRequest, work: (tx: SchedulingDb) => Promise<T>) =>
    isDrizzlePgTransaction(host) ? oneAtATimeOn(host, () => joinedNow(host, request, work)) : joinedNow(host, request, work);
  const joinedNow = async <T>(host: AnyPgDatabase, request: TransactionRequest, work: (tx: SchedulingDb) => Promise<T>) => {
    const before = await queryRows<{
      path: string;
      role: string;
      actor: string | null;
      allow: string | null;
      operation: string | null;
      actor_ref: string | null;
      propagate: string | null;
    }>(
      host,
      sql`SELECT current_setting('search_path') AS path, current_setting('role') AS role, current_setting('scheduling.actor_id', true) AS actor,
                 current_setting('scheduling.allow_conflicts', true) AS allow, current_setting('scheduling.operation', true) AS operation, current_setting('scheduling.actor', true) AS actor_ref,
                 current_setting('citus.propagate_set_commands', true) AS propagate`,
    );
    try {
      const { value } = await host.transaction((savepoint) =>
        body(savepoint, request, async (tx) => {
          const result = await work(tx);
          await (onCitus ? checkDeferredOnWorker(tx) : checkDeferredNow(tx));
          return result;
        }),
      );
      return value;
    } finally {
      // After a failed savepoint Postgres has already restored them; restoring again is harmless.
      const was = {
        searchPath: before[0]?.path ?? '',
        role: before[0]?.role ?? 'none',
        actor: before[0]?.actor ?? '',
        allow: before[0]?.allow ?? '',
        operation: before[0]?.operation ?? '',
        actorRef: before[0]?.actor_ref ?? '',
        propagateAfter: before[0]?.propagate ?? 'none',
      };
      const restore = async () => {
        if (!onCitus) {
          await host.execute(
            sql`SELECT set_config('search_path', ${was.searchPath}, true), set_config('role', ${was.role}, true),
                       set_config('scheduling.actor_id', ${was.actor}, true),
                       set_config('scheduling.allow_conflicts', ${was.allow}, true),
                       set_config('scheduling.operation', ${was.operation}, true),
                       set_config('scheduling.actor', ${was.actorRef}, true)`,
          );
          return;
        }
        await host.execute(sql`SELECT pg_catalog.set_config('search_path', ${was.searchPath}, true), pg_catalog.set_config('role', ${was.role}, true)`);
        await host.execute(sql.raw(citusPropagatedSettings(was)));
      };
      await restore().catch(() => undefined);
    }
  };

  // Retries of this scheduler run one at a time. Under REPEATABLE READ and SERIALIZABLE
  // every transaction that waited for a busy row fails with 40001 when the holder
  // commits (its snapshot is older than the change), so N callers racing for one
  // session lose N-1 each round: retried side by side they collide again and again
  // (a 50-child rush for one class ran out of 10 retries). In one lane, each retry
  // starts after the previous one finished, sees it, and goes through.
  let lane: Promise<unknown> = Promise.resolve();
  const retryLane = <T>(attempt: () => Promise<T>): Promise<T> => {
    const turn = lane.then(attempt, attempt);
    lane = turn.catch(() => undefined);
    return turn;
  };

  return async function runInTransaction<T>(request: TransactionRequest, work: (tx: SchedulingDb) => Promise<T>): Promise<T> {
    if (request.tx) {
      try {
        return await joined(request.tx, request, work);
      } catch (error) {
        throw toSchedulingError(error);
      }
    }
    const begin = () => config.db.transaction((tx) => body(tx, request, work), config.isolationLevel ? { isolationLevel: config.isolationLevel } : undefined);
    const attemptOnce = singleConnection ? () => oneAtATimeOn(config.db, begin) : begin;
    for (let attempt = 0; ; attempt++) {
      try {
        // A first attempt runs at once; a retry waits for its turn in the retry lane.
        const { value, preparing } = await (attempt === 0 ? attemptOnce() : retryLane(attemptOnce));
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

/**
 * The settings of a call on Citus that the academy's triggers read on the worker, as
 * one script of `SET LOCAL`s (sent unprepared, in one round trip). A value set with
 * `set_config` stays on the coordinator; Citus forwards `SET LOCAL` to the workers of
 * the transaction when `citus.propagate_set_commands` is `local`. It forwards the text
 * of the whole query each `SET LOCAL` came in, once for each, to every worker
 * connection of the transaction (now and when one opens later), under whatever role that
 * connection was opened as: so this script holds nothing but `SET LOCAL`s of settings
 * any role may make, and the role, the path and the hold go before it, not propagated.
 */
function citusPropagatedSettings(values: { actor: string; allow: string; operation: string; actorRef: string; propagateAfter?: string }): string {
  return [
    `SET LOCAL citus.propagate_set_commands = 'local'`,
    // A statement routed to the academy's worker may call one of its functions that reads
    // its tables; Citus refuses such nested queries unless allowed. All of them run on
    // that one worker (an academy's tables are colocated), which is the case it is safe for.
    `SET LOCAL citus.allow_nested_distributed_execution = on`,
    `SET LOCAL scheduling.actor_id = ${literal(values.actor)}`,
    `SET LOCAL scheduling.allow_conflicts = ${literal(values.allow)}`,
    `SET LOCAL scheduling.operation = ${literal(values.operation)}`,
    `SET LOCAL scheduling.actor = ${literal(values.actorRef)}`,
    // Putting a host's transaction back as it was (a `{ tx }` call): its own SET LOCALs propagate as before.
    ...(values.propagateAfter ? [`SET LOCAL citus.propagate_set_commands = ${literal(values.propagateAfter)}`] : []),
  ].join('; ');
}

/** `text` as an SQL string literal (an `E''` literal when it holds a backslash, so `standard_conforming_strings` does not matter). */
function literal(text: string): string {
  const quoted = text.replace(/'/g, "''");
  return text.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

/**
 * Exponential backoff with full jitter (a random wait between 0 and 8 ms × 2^attempt,
 * at most 400 ms). Under REPEATABLE READ and SERIALIZABLE every transaction that
 * queued for a popular session's row fails with 40001 the moment the holder commits:
 * spreading the retries over a window that doubles each time lets them take the row
 * one after another instead of colliding again in lockstep.
 */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(400, 8 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * In the host's transaction our deferred checks would run at the host's COMMIT, long
 * after our call returned, and reach the host as raw driver errors. Running them now
 * (then deferring them again) makes their refusals, lock waits and timeouts part of
 * this call, as typed errors, and rolls back only our savepoint. The academy's
 * function `check_deferred_now` (drizzle/0007) names the checks (drizzle/0003, 0006)
 * and sets them IMMEDIATE then DEFERRED again: one round trip.
 */
async function checkDeferredNow(tx: SchedulingDb): Promise<void> {
  await tx.execute(sql`SELECT check_deferred_now()`);
}

/**
 * `checkDeferredNow` on Citus: the academy's function `check_deferred_now` (drizzle/0007)
 * called from a statement on one of its tables, so Citus routes it to the worker that
 * holds the academy, inside this transaction's connection there. The count makes one
 * row, so the function runs once, even when the table is empty.
 */
async function checkDeferredOnWorker(tx: SchedulingDb): Promise<void> {
  await tx.execute(sql`SELECT check_deferred_now() FROM (SELECT count(*) FROM (SELECT 1 FROM sessions LIMIT 1) one) anchored`);
}

/**
 * Calls joining one host transaction, in turn (a `{ tx }` that is a whole database
 * gives each call a transaction of its own, and needs no turns). The settings a call makes
 * (`search_path`, role, actor, override) belong to the transaction's connection, not
 * to the call: two calls started together on one `{ tx }` (of one scheduler or of two
 * academies' schedulers) would run under each other's settings, and the first to end
 * would put the host's back while the other still runs. Keyed by the transaction's
 * Drizzle session, shared by every scheduler in the process.
 */
const hostLanes = new WeakMap<object, Promise<unknown>>();
function oneAtATimeOn<T>(host: AnyPgDatabase, call: () => Promise<T>): Promise<T> {
  const key = internalsOf(host).session as unknown as object;
  const previous = hostLanes.get(key) ?? Promise.resolve();
  const turn = previous.then(call, call);
  hostLanes.set(
    key,
    turn.catch(() => undefined),
  );
  return turn;
}

/**
 * True for Drizzle on one node-postgres `Client` (not a `Pool`): Drizzle begins each
 * transaction on that one connection, so two started together would become one on the
 * server, each running under the other's settings. The scheduler's own transactions on
 * such a client take turns (PGlite queues its transactions itself; a Pool and
 * postgres.js give each its own connection).
 */
function isSingleNodePostgresClient(db: AnyPgDatabase): boolean {
  const session = internalsOf(db).session as unknown as { constructor?: Record<symbol, unknown>; client?: object } | undefined;
  if (session?.constructor?.[Symbol.for('drizzle:entityKind')] !== 'NodePgSession' || !session.client) return false;
  return !('totalCount' in session.client);
}

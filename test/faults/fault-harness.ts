/**
 * Tools for putting a scheduler call into a known state on the real server and then
 * breaking it: a victim client whose backend pid we know, a blocker that holds a lock
 * the victim needs, a wait until `pg_stat_activity` shows the victim stuck on that
 * lock, and a digest of every scheduling table to prove nothing partial was left.
 */
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { Logger } from 'drizzle-orm';
import pg from 'pg';
import * as s from '../../src/schema';
import { createScheduler, isSchedulingError, type Scheduler, type SchedulingError } from '../../src';
import type { SchedulerOptions, Actor } from '../../src/service/kernel/types';
import type { AnyPgDatabase } from '../../src/db/query';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { TestDatabase } from '../support/database';
import { type Academy, insertSession, seedAcademy } from '../support/fixtures';

export type Sql = ReturnType<typeof postgres>;

/** Every table a scheduler call can write; the digest covers them all. */
const SCHEDULING_TABLES = [
  'sessions',
  'session_bookings',
  'session_waitlist',
  'schedule_conflicts',
  'recurring_patterns',
  'students',
  'instructors',
  'facilities',
] as const;

/** A fingerprint of the tables' contents: equal digests mean no row was added, removed or changed. */
export async function digestTables(admin: Sql): Promise<Record<string, { rows: number; md5: string }>> {
  const out: Record<string, { rows: number; md5: string }> = {};
  for (const table of SCHEDULING_TABLES) {
    const [row] = await admin.unsafe(
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) AS md5 FROM scheduling.${table} t`,
    );
    out[table] = { rows: row!.rows as number, md5: row!.md5 as string };
  }
  return out;
}

/** The drivers a host may hand us; both are proven here. */
export type Driver = 'postgres-js' | 'node-postgres';

/** A scheduler on its own one-connection client, so its backend pid is known and stable. */
export interface Victim {
  driver: Driver;
  scheduler: Scheduler;
  /** The Drizzle database the scheduler runs on, for host transactions. */
  db: AnyPgDatabase;
  /** The backend pid of the client's one connection (a new one after a reconnect). */
  pid: number;
  currentPid: () => Promise<number>;
  /** How many transactions the scheduler has started (each attempt sets the actor first). */
  attempts: () => number;
  /** Connection errors the client reported out of band (node-postgres emits them as events). */
  clientErrors: Error[];
  /** node-postgres only: clients the pool holds, idle, and callers waiting for one. */
  poolStats?: () => { total: number; idle: number; waiting: number };
  close: () => Promise<void>;
}

/**
 * Opens a one-connection client of `driver` and a scheduler on it. `settings` are
 * server parameters sent at connect time (`lock_timeout`, `statement_timeout`,
 * `deadlock_timeout`, …), so they also hold after a reconnect.
 *
 * node-postgres: like any host, we listen for `error` on every client, because a
 * checked-out client whose connection dies emits one and an unheard `error` event
 * ends the process.
 */
export async function openVictim(url: string, options: ClientOptions = {}): Promise<Victim> {
  return openSchedulerClient(url, { ...options, max: 1 });
}

/** Options of {@link openSchedulerClient}. */
export type ClientOptions = Omit<SchedulerOptions, 'db'> & {
  driver?: Driver;
  /** Pool size (default 1). */
  max?: number;
  /** Server parameters sent at connect time. */
  settings?: Record<string, string>;
  applicationName?: string;
};

/** A scheduler on a pool of `max` connections of `driver` (see {@link openVictim}; `pid` is one connection's). */
export async function openSchedulerClient(url: string, options: ClientOptions = {}): Promise<Victim> {
  const { settings = {}, driver = 'postgres-js', max = 1, applicationName = 'acsched-fault-victim', ...schedulerOptions } = options;
  let attempts = 0;
  const logger: Logger = {
    logQuery: (query) => {
      // Each transaction of a call sets the actor first: with set_config, or on Citus with SET LOCAL.
      if (query.includes("set_config('scheduling.actor_id'") || query.includes('SET LOCAL scheduling.actor_id')) attempts++;
    },
  };
  const clientErrors: Error[] = [];
  let db: AnyPgDatabase;
  let query: (text: string) => Promise<Array<Record<string, unknown>>>;
  let close: () => Promise<void>;
  let poolStats: Victim['poolStats'];
  if (driver === 'postgres-js') {
    const client = postgres(url, { max, onnotice: () => {}, connection: { application_name: applicationName, ...settings } });
    db = drizzle(client, { schema: s, logger });
    query = (text) => client.unsafe(text);
    close = () => client.end({ timeout: 5 });
  } else {
    const options = Object.entries({ application_name: applicationName, ...settings })
      .map(([key, value]) => `-c ${key}=${value}`)
      .join(' ');
    const pool = new pg.Pool({ connectionString: url, max, options });
    pool.on('error', (error) => clientErrors.push(error));
    pool.on('connect', (client) => client.on('error', (error) => clientErrors.push(error)));
    db = drizzleNodePg(pool, { schema: s, logger });
    query = async (text) => (await pool.query(text)).rows;
    close = () => pool.end();
    poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
  }
  const scheduler = createScheduler({ db, maxRetries: 3, ...schedulerOptions });
  const currentPid = async () => Number((await query('SELECT pg_backend_pid() AS pid'))[0]!.pid);
  return { driver, scheduler, db, pid: await currentPid(), currentPid, attempts: () => attempts, clientErrors, poolStats, close };
}

/** A transaction on its own connection that holds a lock until released. */
export interface Blocker {
  pid: number;
  /** Runs one more statement in the blocker's transaction. */
  run: (statement: string, params?: Array<string | number>) => Promise<unknown>;
  /** Commits (or, after an error, rolls back) and closes the connection. */
  release: () => Promise<void>;
}

/**
 * Opens a transaction on a fresh connection, takes a lock with `statement` and keeps
 * it until `release()`. `settings` are server parameters for that connection.
 */
export async function holdLock(url: string, statement: string, params: Array<string | number> = [], settings: Record<string, string> = {}): Promise<Blocker> {
  const client = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'acsched-fault-blocker', ...settings } });
  const conn = await client.reserve();
  const [row] = await conn`SELECT pg_backend_pid() AS pid`;
  await conn`BEGIN`;
  await conn.unsafe(statement, params);
  return {
    pid: row!.pid as number,
    run: (next, nextParams = []) => conn.unsafe(next, nextParams),
    release: async () => {
      await conn`COMMIT`.catch(() => conn`ROLLBACK`.catch(() => undefined));
      conn.release();
      await client.end({ timeout: 5 });
    },
  };
}

/** What the victim was waiting for, once it waits on a lock. */
export interface LockWait {
  waitEvent: string;
  /** Relation locks the victim held while it waited: `relname:mode`. */
  held: string[];
}

/**
 * Polls `pg_stat_activity` until backend `pid` waits on a heavyweight lock and returns
 * which, with the relation locks it holds (what it has written so far). Fails after
 * `timeoutMs` with what the backend was doing instead.
 */
export async function waitUntilBlocked(admin: Sql, pid: number, timeoutMs = 10_000): Promise<LockWait> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const [row] = await admin`SELECT state, wait_event_type, wait_event, query FROM pg_stat_activity WHERE pid = ${pid}`;
    last = row;
    if (row?.wait_event_type === 'Lock') {
      const held = await admin`
        SELECT c.relname || ':' || l.mode AS lock FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE l.pid = ${pid} AND l.granted AND n.nspname = 'scheduling' ORDER BY 1`;
      return { waitEvent: row.wait_event as string, held: held.map((h) => h.lock as string) };
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`backend ${pid} never waited on a lock within ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`);
}

export async function terminateBackend(admin: Sql, pid: number): Promise<boolean> {
  const [row] = await admin`SELECT pg_terminate_backend(${pid}) AS ok`;
  return row!.ok as boolean;
}

/** The error a call rejected with; fails the test when it resolved or threw something untyped. */
export async function typedRejection(call: Promise<unknown>): Promise<SchedulingError> {
  const settled = await call.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (settled.ok) throw new Error(`expected a SchedulingError, but the call succeeded with ${JSON.stringify(settled.value)}`);
  if (!isSchedulingError(settled.error)) {
    throw new Error(`expected a SchedulingError, got a raw ${String((settled.error as Error)?.name)}: ${String(settled.error)}`, { cause: settled.error });
  }
  return settled.error;
}

/** The victim's call, its lock wait and its rejection after the backend was killed mid-transaction. */
export interface KilledCall {
  wait: LockWait;
  error: SchedulingError;
}

/**
 * Runs `call` on the victim while `blocker` holds a lock it needs, waits until the
 * victim is stuck on that lock inside its transaction, terminates the victim's
 * backend, releases the blocker and returns how the call failed.
 */
export async function killWhileBlocked(admin: Sql, victim: Victim, blocker: Blocker, call: (scheduler: Scheduler) => Promise<unknown>): Promise<KilledCall> {
  const running = call(victim.scheduler);
  running.catch(() => undefined);
  try {
    const wait = await waitUntilBlocked(admin, victim.pid);
    if (!(await terminateBackend(admin, victim.pid))) throw new Error(`could not terminate backend ${victim.pid}`);
    const error = await typedRejection(running);
    return { wait, error };
  } finally {
    await blocker.release();
  }
}

/** The messages (and codes, when there are any) along an error's `cause` chain. */
export function causeMessages(error: unknown): string[] {
  const out: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    out.push(`${typeof code === 'string' ? `[${code}] ` : ''}${current.message.split('\n')[0]}`);
  }
  return out;
}

/** A promise with its resolve function (Promise.withResolvers needs Node 22). */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** What every fault test file shares: an admin connection, a scheduler, an academy. */
export interface FaultScene {
  admin: Sql;
  setup: Scheduler;
  academy: Academy;
  actor: Actor;
  /** The scheduler's fixed clock. */
  clock: () => Date;
  /** Victims opened by a test, closed after it. */
  victims: Victim[];
  /** A student no earlier call of this file has used. */
  freshKid(): string;
  /** A one-hour, 5-place session on a day of `month` no earlier call has used. */
  newSession(): Promise<Awaited<ReturnType<typeof insertSession>>>;
}

/**
 * Registers the hooks of a fault test file and returns its scene: before all, an
 * admin connection, a scheduler and a seeded academy; after each test, the victims
 * closed and `verifyIntegrity()` asserted clean (a fault must leave nothing a
 * maintenance run would flag); after all, the connection closed.
 *
 * @example
 * ```ts
 * const scene = useFaultScene(database, { students: 20, month: 3 });
 * ```
 */
export function useFaultScene(database: TestDatabase, options: { students: number; month: number }): FaultScene {
  let nextKid = 0;
  let day = 0;
  const scene = {
    clock: () => new Date('2029-12-01T08:00:00Z'),
    victims: [] as Victim[],
    freshKid: () => scene.academy.studentIds[nextKid++]!,
    newSession: () => {
      day++;
      const start = new Date(Date.UTC(2030, options.month, day, 15));
      return insertSession(database.db, scene.academy, { instructorId: null, capacity: 5, startTime: start, endTime: new Date(start.getTime() + 3_600_000) });
    },
  } as FaultScene;
  beforeAll(async () => {
    scene.admin = postgres(database.url!, { max: 2, onnotice: () => {} });
    scene.setup = createScheduler({ db: drizzle(scene.admin, { schema: s }), now: scene.clock });
    scene.academy = await seedAcademy(database.db, { students: options.students });
    scene.actor = { kind: 'admin', userId: scene.academy.adminId };
  });
  afterEach(async () => {
    await Promise.all(scene.victims.splice(0).map((v) => v.close()));
    expect(await scene.setup.maintenance.verifyIntegrity(scene.actor, {})).toEqual([]);
  });
  afterAll(async () => scene.admin.end());
  return scene;
}

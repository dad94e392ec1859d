/**
 * Tools for putting a scheduler call into a known state on the real server and then
 * breaking it: a victim client whose backend pid we know, a blocker that holds a lock
 * the victim needs, a wait until `pg_stat_activity` shows the victim stuck on that
 * lock, and a digest of every scheduling table to prove nothing partial was left.
 *
 * On a Citus cluster (the `citus-concurrency` project) the clients talk to the
 * coordinator, but the academy's rows, their locks and the lock waits are on the
 * worker that holds its schema: there the victim is found by its global pid (see
 * {@link waitUntilBlocked}), and a client's server parameters are also given to the
 * sessions Citus opens on the workers for it (see {@link sessionUrl}).
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
import { onCitus, type TestDatabase } from '../support/database';
import { clusterNodes, databaseUrlFor, onEveryNode } from '../support/server';
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

/**
 * The roles made by {@link sessionUrl} in this file, by database and settings. (Each test
 * file runs in its own module instance, so this is the file's.)
 */
const citusSessionRoles = new Map<string, Promise<string>>();

/**
 * `url` for a client whose server parameters must hold on every node its transactions
 * run on. On plain PostgreSQL, `url` itself: the parameters sent at connect time are the
 * session's. On Citus they stay on the coordinator: the statements of the academy run on
 * its worker, in sessions Citus opens as the same user with that node's defaults, and
 * Citus does not forward a session's `lock_timeout`, `statement_timeout` or
 * `deadlock_timeout` there — a victim with `lock_timeout` 250ms waits on the worker for
 * as long as the blocker holds the row. So on Citus the client connects as a role of its
 * own (a superuser, like the URL's user), made on every node with
 * `ALTER ROLE … IN DATABASE … SET` for each parameter: every session of that role in this
 * database — the coordinator's and the workers' — starts with them. The roles are
 * dropped by {@link dropSessionRoles}.
 */
export async function sessionUrl(url: string, settings: Record<string, string>): Promise<string> {
  const entries = Object.entries(settings).sort(([a], [b]) => a.localeCompare(b));
  if (!onCitus() || entries.length === 0) return url;
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  const key = `${database}|${JSON.stringify(entries)}`;
  let role = citusSessionRoles.get(key);
  if (!role) {
    const name = `${database}_s${citusSessionRoles.size + 1}`;
    const password = decodeURIComponent(target.password);
    role = (async () => {
      await onEveryNode(async (admin) => {
        // On each node's `postgres` database, where Citus is not installed and so propagates nothing.
        await admin.unsafe(`DROP ROLE IF EXISTS ${ident(name)}`);
        await admin.unsafe(`CREATE ROLE ${ident(name)} LOGIN SUPERUSER${password ? ` PASSWORD ${literal(password)}` : ''}`);
        for (const [setting, value] of entries) {
          await admin.unsafe(`ALTER ROLE ${ident(name)} IN DATABASE ${ident(database)} SET ${ident(setting)} = ${literal(value)}`);
        }
      });
      return name;
    })();
    citusSessionRoles.set(key, role);
  }
  target.username = encodeURIComponent(await role);
  return target.toString();
}

/** Drops the roles {@link sessionUrl} made in this file, on every node. */
export async function dropSessionRoles(): Promise<void> {
  const roles = await Promise.all([...citusSessionRoles.values()].map((role) => role.catch(() => undefined)));
  citusSessionRoles.clear();
  const names = roles.filter((role): role is string => role !== undefined);
  if (names.length === 0) return;
  await onEveryNode(async (admin) => {
    for (const name of names) await admin.unsafe(`DROP ROLE IF EXISTS ${ident(name)}`);
  });
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

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
 * `deadlock_timeout`, …), so they also hold after a reconnect; on Citus they are the
 * settings of the client's own role too, so they hold on the workers (see {@link sessionUrl}).
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
  url = await sessionUrl(url, settings);
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
 * it until `release()`. `settings` are server parameters for that connection (on
 * Citus, on every node: see {@link sessionUrl}).
 */
export async function holdLock(url: string, statement: string, params: Array<string | number> = [], settings: Record<string, string> = {}): Promise<Blocker> {
  const client = postgres(await sessionUrl(url, settings), {
    max: 1,
    onnotice: () => {},
    connection: { application_name: 'acsched-fault-blocker', ...settings },
  });
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
 *
 * On Citus `pid` is the client's backend on the coordinator, which does not wait on a
 * lock: it waits for the worker that runs the academy's statements (`ClientRead`-like
 * waits, not `Lock`). There the wait is looked for in every node's backends that work
 * for the victim's distributed transaction, found by its global pid.
 */
export async function waitUntilBlocked(admin: Sql, pid: number, timeoutMs = 10_000): Promise<LockWait> {
  if (onCitus()) return waitUntilBlockedOnCluster(admin, pid, timeoutMs);
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

/**
 * Connections to this file's database on each worker of the cluster, opened by
 * {@link waitUntilBlocked} on Citus and closed by {@link closeNodeClients}.
 */
const nodeClients = new Map<string, Sql>();

/** The coordinator (`admin`) and a connection to the same database on every worker. */
async function clusterClients(admin: Sql): Promise<Array<{ node: string; sql: Sql }>> {
  const [row] = await admin`SELECT current_database() AS name`;
  const database = row!.name as string;
  const [coordinator, ...workers] = await clusterNodes();
  return [
    { node: `${coordinator!.host}:${coordinator!.port}`, sql: admin },
    ...workers.map((worker) => {
      const node = `${worker.host}:${worker.port}`;
      const key = `${node}/${database}`;
      let client = nodeClients.get(key);
      if (!client) {
        const url = new URL(databaseUrlFor(database));
        url.hostname = worker.host;
        url.port = String(worker.port);
        // Citus hides a worker's shards from queries of pg_class but to the applications named here.
        const connection = { application_name: 'acsched-fault-watcher', 'citus.show_shards_for_app_name_prefixes': 'acsched-fault-watcher' };
        client = postgres(url.toString(), { max: 1, onnotice: () => {}, connection });
        nodeClients.set(key, client);
      }
      return { node, sql: client };
    }),
  ];
}

/** Closes the connections {@link waitUntilBlocked} opened to the workers. */
export async function closeNodeClients(): Promise<void> {
  const clients = [...nodeClients.values()];
  nodeClients.clear();
  await Promise.all(clients.map((client) => client.end({ timeout: 5 })));
}

/**
 * {@link waitUntilBlocked} on a Citus cluster. The coordinator's backend `pid` has the
 * global pid `citus_calculate_gpid(coordinator's nodeid, pid)`, and every session Citus
 * opens on a node for its transaction carries it: each node's
 * `get_all_active_transactions()` names its backends with their global pid (what the
 * view `citus_stat_activity` joins to `pg_stat_activity`). Every node is polled
 * directly, side by side: `citus_stat_activity` itself takes 100 ms and more a call (it
 * opens a connection to each node), and a deadlock test has its other side start
 * waiting only once the wait is seen, within the victim's `deadlock_timeout`.
 *
 * The first backend of the victim seen waiting on a heavyweight lock is the wait. The
 * relation locks are those the victim's backends hold on shards, where the rows are (a
 * worker's statement also locks the table's shell to plan it, which writes nothing); a
 * shard's name (`sessions_102008`, an index's `uk_session_booking_102023`) is read as
 * its table's (index's).
 */
async function waitUntilBlockedOnCluster(admin: Sql, pid: number, timeoutMs: number): Promise<LockWait> {
  const [coordinator] = await admin`SELECT citus_calculate_gpid(nodeid, ${pid}::int)::text AS gpid FROM pg_dist_node WHERE groupid = 0`;
  if (!coordinator) throw new Error('the coordinator is not in pg_dist_node: no global pid for its backends');
  const gpid = coordinator.gpid as string;
  const nodes = await clusterClients(admin);
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const seen = await Promise.all(
      nodes.map(async ({ node, sql }) => ({
        node,
        backends: await sql`
          SELECT a.pid, a.state, a.wait_event_type, a.wait_event, left(a.query, 120) AS query
          FROM pg_stat_activity a JOIN get_all_active_transactions() t ON t.process_id = a.pid
          WHERE t.global_pid = ${gpid}::bigint`,
      })),
    );
    last = seen;
    const waiting = seen.flatMap(({ backends }) => backends).find((backend) => backend.wait_event_type === 'Lock');
    if (waiting) {
      const held = await Promise.all(
        nodes.map(
          ({ sql }) => sql`
            SELECT DISTINCT regexp_replace(c.relname, '_[0-9]+$', '') || ':' || l.mode AS lock
            FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE l.pid IN (SELECT process_id FROM get_all_active_transactions() WHERE global_pid = ${gpid}::bigint)
              AND l.granted AND n.nspname = 'scheduling' AND relation_is_a_known_shard(c.oid)`,
        ),
      );
      return { waitEvent: waiting.wait_event as string, held: [...new Set(held.flat().map((h) => h.lock as string))].sort() };
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no backend of global pid ${gpid} (coordinator pid ${pid}) waited on a lock within ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`);
}

/** Ends backend `pid` (on Citus: the client's backend on the coordinator) as `pg_terminate_backend` does. */
export async function terminateBackend(admin: Sql, pid: number): Promise<boolean> {
  // `::int`: on Citus `pg_terminate_backend(bigint)` (a global pid) exists beside Postgres's own.
  const [row] = await admin`SELECT pg_terminate_backend(${pid}::int) AS ok`;
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
  afterAll(async () => {
    await Promise.all([scene.admin.end(), closeNodeClients()]);
    await dropSessionRoles();
  });
  return scene;
}

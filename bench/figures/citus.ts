/**
 * Figures of the library on Citus (schema-based sharding, docs/scale-out.md): booking
 * throughput through the coordinator against one plain server, many academies on one
 * worker against the same academies spread over two, and a model of what separate
 * machines would do, from the CPU time each node spends per booking.
 *
 * Needs DATABASE_URL (the plain server: the baseline) and CITUS_URL (a Citus
 * coordinator; its database is only an admin database). Creates its own throw-away
 * databases: `acsched_bench_<pid>_citus_plain` on the plain server, and
 * `acsched_bench_<pid>_citus` on every node of the cluster (extension, coordinator and
 * workers registered, as `citus-cluster up` does); drops them at the end.
 *
 * The workload is the academies group's (bench/figures/academies.ts): 200
 * `scheduler.bookings.book` calls per round over 8 connections, each round checked
 * exactly and reset, the configurations interleaved round by round.
 * BENCH_CITUS_ACADEMIES (default 8) and BENCH_CITUS_ROUNDS (default 9) override the sizes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { createScheduler } from '../../src';
import { migrate } from '../../src/migrate';
import { type Figure, compared, forScale, measured, median, noteWith } from '../harness';
import { runConcurrently } from './booking-throughput';
import { type EmptyBenchDatabase, openEmptyBenchDatabase } from '../server-database';

/** Academies in each configuration of figure 2 (one set on one worker, another spread over two). */
const ACADEMIES = Math.max(2, Number(process.env.BENCH_CITUS_ACADEMIES ?? 8));
/** Timed rounds per configuration, after the warm-up rounds. */
const ROUNDS = Number(process.env.BENCH_CITUS_ROUNDS ?? 9);
const WARMUP_ROUNDS = 2;
/** The workload of the academies group: 200 bookings per round, 8 connections, sessions of 40 places. */
const CONNECTIONS = 8;
const SESSIONS = 100;
const CAPACITY = 40;
const BOOKINGS = 200;
const STUDENTS = BOOKINGS;
/**
 * Untimed rounds of each many-academies configuration before the interleaved rounds, so
 * that each connection has booked in each academy about 7 times (past the 5 custom plans
 * PostgreSQL makes of a statement before it may keep a generic one), as a long-running
 * service's pool has.
 */
const MANY_WARMUP_ROUNDS = Math.ceil((7 * ACADEMIES * CONNECTIONS) / BOOKINGS);
/** The machines the model assumes: each node on its own machine of this many cores. */
const MODEL_CORES = 2;
const MODEL_WORKERS = 2;

const log = (text: string) => console.error(`[bench] citus: ${text}`);
const quoted = (schema: string) => `"${schema}"`;
const SOLO = 'academy_solo';
const oneWorkerName = (i: number) => `one_worker_${String(i).padStart(2, '0')}`;
const twoWorkersName = (i: number) => `two_workers_${String(i).padStart(2, '0')}`;

/** What Citus asks of a host's own transaction that writes an academy's tables (docs/scale-out.md). */
const CITUS_TX_SETTINGS = `SET LOCAL citus.propagate_set_commands = 'local'; SET LOCAL citus.allow_nested_distributed_execution = on`;

/** A transaction on `sql`, with the Citus settings first when `citus`. */
function inTransaction<T>(sql: postgres.Sql, citus: boolean, work: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    if (citus) await tx.unsafe(CITUS_TX_SETTINGS).simple();
    return work(tx);
  }) as Promise<T>;
}

// ---------------------------------------------------------------------------------
// The cluster and its throw-away database.

interface ClusterNode {
  host: string;
  port: number;
  coordinator: boolean;
}

/** `url` pointed at another node and database (user and password stay). */
function urlOf(url: string, database: string, node?: ClusterNode): string {
  const next = new URL(url);
  if (node) {
    next.hostname = node.host;
    next.port = String(node.port);
  }
  next.pathname = `/${database}`;
  return next.toString();
}

async function withClient<T>(url: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}

/**
 * The cluster's nodes, coordinator first: the active primaries of `pg_dist_node` when
 * CITUS_URL's own database is Citus-enabled, otherwise the layout of
 * ../shared/tools/citus-cluster (coordinator on port p, workers on p+1 and p+2, same
 * host), as test/support/server.ts finds them.
 */
async function clusterNodes(url: string): Promise<ClusterNode[]> {
  const coordinatorUrl = new URL(url);
  const host = coordinatorUrl.hostname;
  const port = Number(coordinatorUrl.port || 5432);
  const registered = await withClient(url, async (admin) => {
    const [row] = await admin<Array<{ citus: boolean }>>`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS citus`;
    if (!row?.citus) return [];
    return admin<Array<{ nodename: string; nodeport: number }>>`
      SELECT nodename, nodeport FROM pg_dist_node WHERE isactive AND noderole = 'primary' AND groupid <> 0 ORDER BY groupid, nodeport`;
  });
  if (registered.length > 0) return [{ host, port, coordinator: true }, ...registered.map((r) => ({ host: r.nodename, port: r.nodeport, coordinator: false }))];
  return [0, 1, 2].map((i) => ({ host, port: port + i, coordinator: i === 0 }));
}

interface CitusBenchDatabase extends EmptyBenchDatabase {
  nodes: ClusterNode[];
}

/** Drops `name` on every node, whoever is connected (a Citus background worker just starting can outlast FORCE's wait: again). */
async function dropOnEveryNode(url: string, nodes: ClusterNode[], name: string): Promise<void> {
  for (const node of nodes)
    await withClient(urlOf(url, 'postgres', node), async (admin) => {
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
          return;
        } catch (error) {
          if ((error as { code?: string }).code !== '55006' || attempt >= 5) throw error;
        }
      }
    });
}

/**
 * `acsched_bench_<pid>_citus` on every node of the cluster at CITUS_URL: CREATE DATABASE
 * on each node's `postgres` database, CREATE EXTENSION citus in each, then on the
 * coordinator citus_set_coordinator_host and citus_add_node of each worker.
 */
async function openCitusBenchDatabase(max: number): Promise<CitusBenchDatabase> {
  const citusUrl = process.env.CITUS_URL!;
  const name = `acsched_bench_${process.pid}_citus`;
  const nodes = await clusterNodes(citusUrl);
  const [coordinator, ...workers] = nodes;
  await dropOnEveryNode(citusUrl, nodes, name);
  try {
    for (const node of nodes) await withClient(urlOf(citusUrl, 'postgres', node), (admin) => admin.unsafe(`CREATE DATABASE "${name}"`));
    // The extension everywhere first: registering a worker runs Citus functions on it.
    await Promise.all(nodes.map((node) => withClient(urlOf(citusUrl, name, node), (sql) => sql`CREATE EXTENSION IF NOT EXISTS citus`)));
    await withClient(urlOf(citusUrl, name, coordinator), async (sql) => {
      await sql`SELECT citus_set_coordinator_host(${coordinator!.host}, ${coordinator!.port})`;
      for (const worker of workers) await sql`SELECT citus_add_node(${worker.host}, ${worker.port})`;
    });
  } catch (error) {
    await dropOnEveryNode(citusUrl, nodes, name).catch(() => undefined);
    throw error;
  }
  const url = urlOf(citusUrl, name);
  const client = postgres(url, { max, onnotice: () => {} });
  return {
    name,
    url,
    client,
    nodes,
    drop: async () => {
      await client.end();
      await dropOnEveryNode(citusUrl, nodes, name);
    },
  };
}

/** The worker (port) holding the academy's shards. */
async function workerOf(sql: postgres.Sql, schema: string): Promise<number> {
  const [row] = await sql<Array<{ port: number }>>`
    SELECT s.nodeport AS port FROM citus_shards s JOIN pg_class c ON c.oid = s.table_name
    WHERE c.relnamespace = ${schema}::regnamespace LIMIT 1`;
  return row!.port;
}

/** Moves the academy's schema to `worker` (citus_schema_move, while it is still empty) and checks that it is there. */
async function moveTo(sql: postgres.Sql, schema: string, worker: ClusterNode): Promise<void> {
  await sql`SELECT citus_schema_move(${schema}::regnamespace, ${worker.host}, ${worker.port}, 'block_writes')`;
  const now = await workerOf(sql, schema);
  if (now !== worker.port) throw new Error(`citus: ${schema} is on port ${now} after citus_schema_move to ${worker.port}`);
}

/**
 * Lays out figure 2 with as few moves as Citus's own placement allows: the one-worker
 * set all on the worker that already holds most of it, the two-worker set half on each
 * (the larger half moved over). Returns the moves made.
 */
async function placeSets(sql: postgres.Sql, workers: [ClusterNode, ClusterNode], oneSet: string[], twoSet: string[]): Promise<number> {
  let moves = 0;
  const on = async (schemas: string[]) => Promise.all(schemas.map(async (schema) => ({ schema, port: await workerOf(sql, schema) })));
  const one = await on(oneSet);
  const count = (rows: Array<{ port: number }>, worker: ClusterNode) => rows.filter((r) => r.port === worker.port).length;
  const home = count(one, workers[0]) >= count(one, workers[1]) ? workers[0] : workers[1];
  for (const { schema, port } of one)
    if (port !== home.port) {
      await moveTo(sql, schema, home);
      moves++;
    }
  const two = await on(twoSet);
  const half = Math.ceil(twoSet.length / 2);
  for (const [i, worker] of workers.entries()) {
    // Everything beyond `half` on this worker (or on no worker of the two) goes to the other one.
    const other = workers[1 - i]!;
    const here = two.filter((r) => (i === 0 ? r.port !== other.port : r.port === worker.port));
    for (const row of here.slice(i === 0 ? half : twoSet.length - half)) {
      await moveTo(sql, row.schema, other);
      row.port = other.port;
      moves++;
    }
  }
  return moves;
}

// ---------------------------------------------------------------------------------
// Academies, rounds and checks (as bench/figures/academies.ts; on Citus in transactions with its settings).

interface SeededAcademy {
  schema: string;
  adminId: string;
  sessionIds: string[];
  studentIds: string[];
}

/**
 * Seeds an academy as the academies group does: an admin, program, course, location
 * (America/New_York), one room of 40 and one instructor available every day, the school
 * maximum raised to 40, 100 school sessions of 40 places an hour each on separate days
 * in 2035, and 200 students.
 */
async function seedAcademy(sql: postgres.Sql, citus: boolean, schema: string): Promise<SeededAcademy> {
  return inTransaction(sql, citus, async (tx) => {
    await tx`SELECT set_config('search_path', ${quoted(schema)}, true)`;
    await tx`UPDATE capacity_policies SET max_capacity = ${CAPACITY} WHERE session_type = 'school'`;
    const [admin] = await tx`INSERT INTO users (email, full_name, role) VALUES ('admin@bench.test', 'Admin', 'admin') RETURNING id`;
    const [program] = await tx`INSERT INTO programs (code, name) VALUES ('SWIM', 'Swimming') RETURNING id`;
    const [course] = await tx`INSERT INTO courses (code, name, program_id) VALUES ('SWIM-CLUB', 'Swim club', ${program!.id}) RETURNING id`;
    const [location] = await tx`INSERT INTO locations (code, name, timezone) VALUES ('MAIN', 'Main', 'America/New_York') RETURNING id`;
    const [facility] =
      await tx`INSERT INTO facilities (code, name, location_id, capacity) VALUES ('ROOM-000', 'Room 0', ${location!.id}, ${CAPACITY}) RETURNING id`;
    const [instructor] = await tx`INSERT INTO instructors (email, first_name, last_name) VALUES ('coach000@bench.test', 'Coach', 'No000') RETURNING id`;
    await tx`
      INSERT INTO instructor_availability
        (instructor_id, availability_type, day_of_week, start_time, end_time, location_id, effective_from, max_concurrent_sessions)
      SELECT ${instructor!.id}, 'regular', d, '06:00', '22:00', ${location!.id}, date '2029-12-01', 1 FROM generate_series(0, 6) d`;
    const sessions = await tx<Array<{ id: string }>>`
      INSERT INTO sessions
        (program_id, course_id, location_id, facility_id, instructor_id, session_type, title, start_time, end_time, capacity, created_by)
      SELECT ${program!.id}, ${course!.id}, ${location!.id}, ${facility!.id}, ${instructor!.id},
             'school', 'Throughput ' || n, timestamptz '2035-01-01 15:00Z' + n * interval '1 day',
             timestamptz '2035-01-01 16:00Z' + n * interval '1 day', ${CAPACITY}, ${admin!.id}
      FROM generate_series(0, ${SESSIONS - 1}) AS n ORDER BY n
      RETURNING id`;
    const students = await tx<Array<{ id: string }>>`
      INSERT INTO students (first_name, last_name)
      SELECT 'Pupil', 'No' || lpad(n::text, 4, '0') FROM generate_series(1, ${STUDENTS}) AS n ORDER BY n
      RETURNING id`;
    // (On Citus RETURNING of an INSERT ... SELECT comes in no promised order; any order of these ids serves.)
    return { schema, adminId: String(admin!.id), sessionIds: sessions.map((s) => s.id), studentIds: students.map((s) => s.id) };
  });
}

/** Deletes every booking and waitlist entry of the academies (the counter trigger takes each booking back). */
async function resetAcademies(sql: postgres.Sql, citus: boolean, schemas: readonly string[]): Promise<void> {
  await inTransaction(sql, citus, async (tx) => {
    await tx.unsafe(schemas.map((s) => `DELETE FROM ${quoted(s)}.session_waitlist; DELETE FROM ${quoted(s)}.session_bookings`).join(';\n')).simple();
  });
}

/**
 * Throws unless, over the academies, exactly `expected` bookings are confirmed, none over
 * capacity, and every current_bookings equals its confirmed count. One query per academy
 * (each routed to its worker on Citus).
 */
async function assertRound(sql: postgres.Sql, schemas: readonly string[], expected: number): Promise<void> {
  const results = await Promise.all(
    schemas.map((s) =>
      sql.unsafe<Array<{ bad: number; confirmed: number }>>(`
        SELECT count(*) FILTER (WHERE c.confirmed > s.capacity OR c.confirmed <> s.current_bookings)::int AS bad, coalesce(sum(c.confirmed), 0)::int AS confirmed
        FROM ${quoted(s)}.sessions s
        CROSS JOIN LATERAL (SELECT count(*)::int AS confirmed FROM ${quoted(s)}.session_bookings b WHERE b.session_id = s.id AND b.booking_status = 'confirmed') c`),
    ),
  );
  const bad = results.reduce((sum, rows) => sum + rows[0]!.bad, 0);
  const confirmed = results.reduce((sum, rows) => sum + rows[0]!.confirmed, 0);
  if (bad !== 0 || confirmed !== expected)
    throw new Error(`citus: ${bad} sessions overbooked or miscounted, ${confirmed} bookings confirmed, expected ${expected}`);
}

// ---------------------------------------------------------------------------------
// CPU time of each node's backends, from /proc.

/** One PostgreSQL server whose backends' CPU time is read: its postmaster and the database of ours. */
interface CpuProbe {
  label: string;
  postmaster: number;
  database: string;
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Fields of /proc/<pid>/stat after the command name: [state, ppid, ..., utime (11), stime (12)]. */
function statFields(pid: string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * CPU ticks (utime + stime) of every live child of the probe's postmaster serving our
 * database (its process title names the database: the pool's backends, and on a worker
 * the coordinator's connections to it), by pid.
 */
function backendTicks(probe: CpuProbe): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const fields = statFields(pid);
    if (!fields || Number(fields[1]) !== probe.postmaster) continue;
    let title: string;
    try {
      title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (!title.includes(` ${probe.database} `)) continue;
    ticks.set(Number(pid), Number(fields[11]) + Number(fields[12]));
  }
  return ticks;
}

/** The whole server's CPU ticks: postmaster, its live children and the children it has reaped (cutime + cstime). */
function serverTicks(probe: CpuProbe): number {
  let total = 0;
  const own = statFields(String(probe.postmaster));
  if (own) total += Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const fields = statFields(pid);
    if (fields && Number(fields[1]) === probe.postmaster) total += Number(fields[11]) + Number(fields[12]);
  }
  return total;
}

interface CpuSample {
  backends: Array<Map<number, number>>;
  servers: number[];
  client: NodeJS.CpuUsage;
}

function sampleCpu(probes: readonly CpuProbe[]): CpuSample {
  return { backends: probes.map(backendTicks), servers: probes.map(serverTicks), client: process.cpuUsage() };
}

/** CPU seconds between two samples, per probe: our database's backends (a backend that ended in between is lost), the whole server; and this process. */
interface CpuSpent {
  backends: number[];
  servers: number[];
  client: number;
}

function cpuBetween(before: CpuSample, after: CpuSample): CpuSpent {
  const hz = clockTicks();
  return {
    backends: after.backends.map((now, i) => {
      let ticks = 0;
      for (const [pid, t] of now) ticks += t - (before.backends[i]!.get(pid) ?? 0);
      return ticks / hz;
    }),
    servers: after.servers.map((t, i) => (t - before.servers[i]!) / hz),
    client: (after.client.user + after.client.system - before.client.user - before.client.system) / 1e6,
  };
}

/**
 * A probe of the server behind `sql` when it runs on this machine and its postmaster is
 * readable here (the server's data_directory/postmaster.pid, and /proc); otherwise why not.
 */
async function probeOf(sql: postgres.Sql, url: string, label: string, database: string): Promise<CpuProbe | string> {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) return `${label} is on ${host}, not this machine`;
  try {
    const [row] = await sql<Array<{ dir: string }>>`SELECT current_setting('data_directory') AS dir`;
    const postmaster = Number(readFileSync(`${row!.dir}/postmaster.pid`, 'utf8').split('\n')[0]);
    const comm = readFileSync(`/proc/${postmaster}/comm`, 'utf8').trim();
    if (!['postgres', 'postmaster'].includes(comm)) return `${label}: process ${postmaster} is ${comm}, not its postmaster`;
    return { label, postmaster, database };
  } catch (error) {
    return `${label}: its postmaster is not readable here (${(error as Error).message})`;
  }
}

// ---------------------------------------------------------------------------------
// Throughput configurations.

interface ThroughputConfig {
  name: string;
  pool: postgres.Sql;
  /** The client that checks and resets rounds (another connection to the same database). */
  admin: postgres.Sql;
  citus: boolean;
  schemas: string[];
  tasks: Array<() => Promise<void>>;
  /** Bookings/s of every round, warm-up rounds included. */
  rates: number[];
  /** CPU seconds of the timed rounds, summed. */
  cpu: CpuSpent | null;
  /** Checks a round exactly and resets it (default: the academies' bookings). */
  finish?: () => Promise<void>;
}

/**
 * A pool of 8, one scheduler per academy, and the round's 200 bookings. One academy:
 * booking k -> session k mod 100, student k (two per session, as figure 1). Several:
 * booking k -> academy k mod n, its session floor(k / n), its student floor(k / n) (one
 * booking per session, each by a different student).
 */
function throughputConfig(name: string, url: string, admin: postgres.Sql, citus: boolean, academies: SeededAcademy[]): ThroughputConfig {
  const pool = postgres(url, { max: CONNECTIONS, onnotice: () => {} });
  const db = drizzle(pool);
  const schedulers = academies.map((a) => ({
    academy: a,
    scheduler: createScheduler({ db, schema: a.schema, policy: { school: { max: CAPACITY } } }),
    actor: { kind: 'admin', userId: a.adminId } as const,
  }));
  const tasks = Array.from({ length: BOOKINGS }, (_, k) => {
    const { academy, scheduler, actor } = schedulers[k % schedulers.length]!;
    const slot = schedulers.length > 1 ? Math.floor(k / schedulers.length) : k;
    const sessionId = academy.sessionIds[slot % SESSIONS]!;
    const studentId = academy.studentIds[slot]!;
    return async () => {
      const result = await scheduler.bookings.book(actor, { sessionId, studentId });
      if (result.outcome !== 'confirmed') throw new Error(`citus: a booking within capacity was ${result.outcome} (${name}, ${academy.schema})`);
    };
  });
  return { name, pool, admin, citus, schemas: academies.map((a) => a.schema), tasks, rates: [], cpu: null };
}

// ---------------------------------------------------------------------------------
// The floor: what Citus itself costs a booking-shaped transaction, without the library.

const FLOOR_SCHEMA = 'raw_floor';

/**
 * Two bare tables in their own schema (on Citus: a tenant of its own, on one worker),
 * no triggers, no functions: what the raw transaction below needs and nothing more.
 */
async function createFloorTables(sql: postgres.Sql, citus: boolean): Promise<void> {
  await sql.begin(async (tx) => {
    if (citus) await tx.unsafe(`SET LOCAL citus.enable_schema_based_sharding = on`);
    await tx.unsafe(
      `CREATE SCHEMA ${FLOOR_SCHEMA};
       CREATE TABLE ${FLOOR_SCHEMA}.sessions (id int PRIMARY KEY, capacity int NOT NULL, booked int NOT NULL DEFAULT 0);
       CREATE TABLE ${FLOOR_SCHEMA}.bookings (id bigserial PRIMARY KEY, session_id int NOT NULL REFERENCES ${FLOOR_SCHEMA}.sessions (id), student int NOT NULL)`,
    );
  });
  await sql.unsafe(`INSERT INTO ${FLOOR_SCHEMA}.sessions (id, capacity) SELECT g, ${CAPACITY} FROM generate_series(1, ${SESSIONS}) g`);
}

/**
 * The booking transaction written by hand on bare tables: lock the session's row, read
 * its count, insert the booking, bump the count (BEGIN and COMMIT as postgres.js sends
 * them). Booking k -> session k mod 100 (two per session, as figure 1). Each round is
 * checked exactly and reset like the library's.
 */
function floorConfig(name: string, url: string, admin: postgres.Sql, citus: boolean): ThroughputConfig {
  const pool = postgres(url, { max: CONNECTIONS, onnotice: () => {} });
  const tasks = Array.from({ length: BOOKINGS }, (_, k) => {
    const sessionId = (k % SESSIONS) + 1;
    return async () => {
      await pool.begin(async (tx) => {
        const [row] = await tx.unsafe<Array<{ booked: number; capacity: number }>>(
          `SELECT booked, capacity FROM ${FLOOR_SCHEMA}.sessions WHERE id = $1 FOR UPDATE`,
          [sessionId],
        );
        if (!row || row.booked >= row.capacity) throw new Error(`citus: floor session ${sessionId} full or missing (${name})`);
        await tx.unsafe(`INSERT INTO ${FLOOR_SCHEMA}.bookings (session_id, student) VALUES ($1, $2)`, [sessionId, k]);
        await tx.unsafe(`UPDATE ${FLOOR_SCHEMA}.sessions SET booked = booked + 1 WHERE id = $1`, [sessionId]);
      });
    };
  });
  const finish = async () => {
    const [row] = await admin.unsafe<Array<{ bookings: number; booked: number }>>(
      `SELECT (SELECT count(*)::int FROM ${FLOOR_SCHEMA}.bookings) AS bookings, (SELECT sum(booked)::int FROM ${FLOOR_SCHEMA}.sessions) AS booked`,
    );
    if (row?.bookings !== BOOKINGS || row.booked !== BOOKINGS) throw new Error(`citus: floor round of ${name}: ${JSON.stringify(row)}, expected ${BOOKINGS}`);
    await admin.unsafe(`DELETE FROM ${FLOOR_SCHEMA}.bookings`);
    await admin.unsafe(`UPDATE ${FLOOR_SCHEMA}.sessions SET booked = 0`);
  };
  return { name, pool, admin, citus, schemas: [FLOOR_SCHEMA], tasks, rates: [], cpu: null, finish };
}

/** One round of a configuration: timed, then checked exactly and reset; returns the CPU spent during the timed part when probed. */
async function round(config: ThroughputConfig, probes: readonly CpuProbe[] | null): Promise<CpuSpent | null> {
  const before = probes ? sampleCpu(probes) : null;
  const ms = await runConcurrently(config.tasks, CONNECTIONS);
  const spent = probes && before ? cpuBetween(before, sampleCpu(probes)) : null;
  if (config.finish) await config.finish();
  else {
    await assertRound(config.admin, config.schemas, BOOKINGS);
    await resetAcademies(config.admin, config.citus, config.schemas);
  }
  config.rates.push((BOOKINGS / ms) * 1000);
  return spent;
}

function addCpu(total: CpuSpent | null, spent: CpuSpent): CpuSpent {
  if (!total) return spent;
  return {
    backends: total.backends.map((s, i) => s + spent.backends[i]!),
    servers: total.servers.map((s, i) => s + spent.servers[i]!),
    client: total.client + spent.client,
  };
}

/** WARMUP_ROUNDS + ROUNDS rounds of every configuration, interleaved (a, b, c, a, b, c, ...); CPU summed over the timed ones. */
async function interleavedRounds(configs: ThroughputConfig[], probesOf: (config: ThroughputConfig) => readonly CpuProbe[] | null): Promise<void> {
  for (let r = 0; r < WARMUP_ROUNDS + ROUNDS; r++) {
    for (const config of configs) {
      const spent = await round(config, r >= WARMUP_ROUNDS ? probesOf(config) : null);
      if (spent) config.cpu = addCpu(config.cpu, spent);
    }
  }
}

const timed = (config: ThroughputConfig) => config.rates.slice(WARMUP_ROUNDS);
const rounds = (config: ThroughputConfig) => `${config.name}: ${config.rates.map((r) => r.toFixed(0)).join(', ')}`;
const ms = (seconds: number) => seconds * 1000;

/**
 * The `citus` group: booking throughput through a Citus coordinator against one plain
 * server; many academies on one worker against the same spread over two; and the CPU
 * each node spends per booking, with the throughput it predicts on separate machines.
 *
 * @example
 * ```ts
 * if (process.env.DATABASE_URL && process.env.CITUS_URL) figures.push(...(await citusFigures()));
 * ```
 */
export async function citusFigures(): Promise<Figure[]> {
  const pools: postgres.Sql[] = [];
  const opened: EmptyBenchDatabase[] = [];
  let phase = performance.now();
  const lap = (what: string) => {
    log(`${what} (${((performance.now() - phase) / 1000).toFixed(1)} s)`);
    phase = performance.now();
  };
  try {
    const plain = await openEmptyBenchDatabase('citus_plain', 2);
    opened.push(plain);
    const cluster = await openCitusBenchDatabase(2);
    opened.push(cluster);
    const [coordinator, ...workers] = cluster.nodes;
    if (workers.length < 2) throw new Error(`citus: the cluster at CITUS_URL has ${workers.length} worker(s); figure 2 needs two`);
    const [w1, w2] = workers as [ClusterNode, ClusterNode];
    lap(`created ${plain.name} (plain) and ${cluster.name} on ${cluster.nodes.length} nodes (ports ${cluster.nodes.map((n) => n.port).join(', ')})`);

    // Academies: one alone on each side (figure 1), and two sets on Citus (figure 2).
    await migrate(drizzle(plain.client), { schema: SOLO });
    const citusDb = drizzle(cluster.client);
    const migrateStart = performance.now();
    const oneWorker = Array.from({ length: ACADEMIES }, (_, i) => oneWorkerName(i));
    const twoWorkers = Array.from({ length: ACADEMIES }, (_, i) => twoWorkersName(i));
    // Two at a time (each migrate is one transaction of many statements, most of them a round trip to a worker too).
    const pending = [SOLO, ...oneWorker, ...twoWorkers];
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        for (let schema = pending.shift(); schema; schema = pending.shift()) await migrate(citusDb, { schema });
      }),
    );
    const migrateMs = (performance.now() - migrateStart) / (1 + 2 * ACADEMIES);
    lap(`migrated ${1 + 2 * ACADEMIES} academies on Citus (${migrateMs.toFixed(0)} ms each)`);
    const moves = await placeSets(cluster.client, [w1, w2], oneWorker, twoWorkers);
    const placement = async (schemas: string[], expected: (counts: number[]) => boolean) => {
      const ports = await Promise.all(schemas.map((schema) => workerOf(cluster.client, schema)));
      const counts = [w1, w2].map((w) => ports.filter((p) => p === w.port).length);
      const text = counts.map((n, i) => `${n} on :${[w1, w2][i]!.port}`).join(', ');
      if (!expected(counts)) throw new Error(`citus: unexpected layout after citus_schema_move: ${text} (${schemas.join(', ')})`);
      return text;
    };
    const soloPort = await workerOf(cluster.client, SOLO);
    const onePlacement = await placement(oneWorker, (counts) => counts.includes(ACADEMIES));
    const twoPlacement = await placement(twoWorkers, ([a, b]) => a === Math.ceil(ACADEMIES / 2) && b === Math.floor(ACADEMIES / 2));
    lap(`placed the academies (${moves} citus_schema_move; 1 worker: ${onePlacement}; 2 workers: ${twoPlacement})`);

    const plainSolo = await seedAcademy(plain.client, false, SOLO);
    const seeded = new Map<string, SeededAcademy>();
    const toSeed = [SOLO, ...oneWorker, ...twoWorkers];
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        for (let schema = toSeed.shift(); schema; schema = toSeed.shift()) seeded.set(schema, await seedAcademy(cluster.client, true, schema));
      }),
    );
    const citusSolo = seeded.get(SOLO)!;
    const oneSet = oneWorker.map((schema) => seeded.get(schema)!);
    const twoSet = twoWorkers.map((schema) => seeded.get(schema)!);
    await createFloorTables(plain.client, false);
    await createFloorTables(cluster.client, true);
    const floorPort = await workerOf(cluster.client, FLOOR_SCHEMA);
    lap('seeded');

    // CPU probes: the plain server; the coordinator and each worker.
    const plainProbe = await probeOf(plain.client, plain.url, 'server', plain.name);
    const clusterProbes = await Promise.all(
      cluster.nodes.map((node) =>
        withClient(urlOf(cluster.url, cluster.name, node), (sql) =>
          probeOf(sql, urlOf(cluster.url, cluster.name, node), node.coordinator ? 'coordinator' : `worker :${node.port}`, cluster.name),
        ),
      ),
    );
    const unreadable = [plainProbe, ...clusterProbes].filter((p): p is string => typeof p === 'string');
    const probed = unreadable.length === 0;
    const plainProbes = probed ? [plainProbe as CpuProbe] : null;
    const citusProbes = probed ? (clusterProbes as CpuProbe[]) : null;

    const configs = {
      plain: throughputConfig('plain server', plain.url, plain.client, false, [plainSolo]),
      coordinator: throughputConfig('through the coordinator', cluster.url, cluster.client, true, [citusSolo]),
      one: throughputConfig(`${ACADEMIES} academies on 1 worker`, cluster.url, cluster.client, true, oneSet),
      two: throughputConfig(`${ACADEMIES} academies on 2 workers`, cluster.url, cluster.client, true, twoSet),
      floorPlain: floorConfig('raw transaction, plain server', plain.url, plain.client, false),
      floorCoordinator: floorConfig('raw transaction through the coordinator', cluster.url, cluster.client, true),
    };
    const all = Object.values(configs);
    pools.push(...all.map((c) => c.pool));
    for (const config of [configs.one, configs.two]) {
      for (let r = 0; r < MANY_WARMUP_ROUNDS; r++) await round(config, null);
      config.rates.length = 0;
    }
    lap(`warmed the many-academies pools (${MANY_WARMUP_ROUNDS} rounds each)`);
    await interleavedRounds(all, (config) => (config.citus ? citusProbes : plainProbes));
    lap(`measured ${WARMUP_ROUNDS + ROUNDS} rounds of ${all.length} configurations`);

    // Figures.
    const workload =
      `${BOOKINGS} scheduler.bookings.book calls per round as an admin, ${CONNECTIONS} workers pulling from one queue on one postgres.js pool of ${CONNECTIONS}; ` +
      `every academy migrated with migrate(db, { schema }) (on Citus: one tenant of schema-based sharding, on one worker) and seeded alike (admin, program, course, location, one room of ${CAPACITY}, one instructor, ${SESSIONS} school sessions of ${CAPACITY} places on separate days in 2035, ${STUDENTS} students). ` +
      `Bookings/s = bookings of the round / wall time; median of ${ROUNDS} rounds after ${WARMUP_ROUNDS} warm-up rounds, the four configurations (one academy on the plain server; the same through the Citus coordinator; ${ACADEMIES} academies on one worker; ${ACADEMIES} on two) interleaved round by round, each on its own pool. ` +
      `After every round: exactly ${BOOKINGS} confirmed, none over capacity, current_bookings = confirmed count; then the bookings are deleted (on Citus in a transaction with SET LOCAL citus.propagate_set_commands = 'local' and citus.allow_nested_distributed_execution = on, as docs/scale-out.md asks of a host's own SQL).`;
    const clusterHow = `Citus cluster: coordinator :${coordinator!.port}, workers :${w1.port} and :${w2.port}, all on this machine, sharing its CPU with each other and with this client.`;
    const allRounds = `Every round in bookings/s, the first ${WARMUP_ROUNDS} untimed: ${all.map(rounds).join('; ')}.`;

    // The CPU model: per booking, from the timed rounds.
    const perBooking = (config: ThroughputConfig) => {
      const bookings = ROUNDS * BOOKINGS;
      const cpu = config.cpu!;
      return {
        nodes: cpu.backends.map((s) => s / bookings),
        servers: cpu.servers.map((s) => s / bookings),
        client: cpu.client / bookings,
        total: (cpu.backends.reduce((a, b) => a + b, 0) + cpu.client) / bookings,
      };
    };
    const describeCpu = (config: ThroughputConfig, probes: readonly CpuProbe[]) => {
      const p = perBooking(config);
      const parts = probes.map((probe, i) => `${probe.label} ${ms(p.nodes[i]!).toFixed(2)} ms (whole server ${ms(p.servers[i]!).toFixed(2)})`);
      return `${config.name}: ${parts.join(', ')}, this client ${ms(p.client).toFixed(2)} ms`;
    };
    let model: {
      coordinator: number;
      worker: number;
      plain: number;
      client: number;
      workerBound: number;
      coordinatorBound: number;
      expected: number;
      onePlainServer: number;
      text: string;
    } | null = null;
    if (probed) {
      const spread = perBooking(configs.two);
      const plainCpu = perBooking(configs.plain).nodes[0]!;
      const coordinatorCpu = spread.nodes[0]!;
      const workerCpu = spread.nodes.slice(1).reduce((a, b) => a + b, 0);
      const workerBound = (MODEL_WORKERS * MODEL_CORES) / workerCpu;
      const coordinatorBound = MODEL_CORES / coordinatorCpu;
      const expected = Math.min(workerBound, coordinatorBound);
      const onePlainServer = MODEL_CORES / plainCpu;
      const cpuAll = `CPU time per booking (backends of the bench's database on each node, from /proc/<pid>/stat utime+stime of the children of each node's postmaster whose process title names the database - the pool's backends and, on a worker, the coordinator's connections to it - summed over the ${ROUNDS} timed rounds / ${ROUNDS * BOOKINGS} bookings; in brackets the whole server, all its processes including reaped ones, which also counts other databases' activity): ${[
        describeCpu(configs.plain, plainProbes!),
        describeCpu(configs.coordinator, citusProbes!),
        describeCpu(configs.one, citusProbes!),
        describeCpu(configs.two, citusProbes!),
      ].join('; ')}.`;
      const text =
        `${cpuAll} Model (from the ${ACADEMIES} academies on 2 workers): coordinator ${ms(coordinatorCpu).toFixed(2)} ms and workers ${ms(workerCpu).toFixed(2)} ms of CPU per booking (both workers together; each booking runs on one). ` +
        `On separate ${MODEL_CORES}-core machines, one per node, with the academies spread evenly: the workers carry ${MODEL_WORKERS} x ${MODEL_CORES} cores / ${ms(workerCpu).toFixed(2)} ms = ${workerBound.toFixed(0)} bookings/s, ` +
        `the coordinator ${MODEL_CORES} cores / ${ms(coordinatorCpu).toFixed(2)} ms = ${coordinatorBound.toFixed(0)} bookings/s, so about ${expected.toFixed(0)} bookings/s (${workerBound <= coordinatorBound ? 'worker-bound' : 'coordinator-bound'}), ` +
        `against ${MODEL_CORES} cores / ${ms(plainCpu).toFixed(2)} ms = ${onePlainServer.toFixed(0)} bookings/s for one plain ${MODEL_CORES}-core server. ` +
        `Assumes CPU is the limit: the clients (here ${ms(spread.client).toFixed(2)} ms per booking) on machines of their own, enough connections to keep every core busy (with a pool of ${CONNECTIONS}, throughput is also capped at ${CONNECTIONS} / the latency of one booking, which network round trips between machines lengthen), no lock waits between bookings (each books a different session), and CPU per booking as measured here, where the nodes share ${cpus().length} cores (context switches and cold caches included).`;
      model = {
        coordinator: coordinatorCpu,
        worker: workerCpu,
        plain: plainCpu,
        client: spread.client,
        workerBound,
        coordinatorBound,
        expected,
        onePlainServer,
        text,
      };
    }
    const modelText = model ? model.text : `No CPU model: ${unreadable.join('; ')}.`;

    const figures: Figure[] = [];
    const plainRate = median(timed(configs.plain));
    figures.push(
      compared(
        'booking throughput through the Citus coordinator, one academy',
        median(timed(configs.coordinator)),
        'bookings/s',
        { name: 'one plain server', value: plainRate },
        '>= 0.5x',
        (r) => r >= 0.5,
        ROUNDS,
        noteWith(
          `${workload} Baseline: the academy ${SOLO} on the plain server (DATABASE_URL), booking k -> session k mod ${SESSIONS}, student k (two per session). ` +
            `Value: the same academy and workload through the Citus coordinator (${SOLO} on worker :${soloPort}, where Citus placed it); each booking goes client -> coordinator -> worker, and the scheduler on Citus sends its settings as SET LOCAL and runs the deferred checks on the worker before COMMIT (one more round trip). ` +
            `${clusterHow} ${allRounds} ${modelText}`,
        ),
      ),
    );
    const floorPlainRate = median(timed(configs.floorPlain));
    const floorRate = median(timed(configs.floorCoordinator));
    figures.push(
      forScale(
        'raw booking transaction through the Citus coordinator (no library, no triggers)',
        floorRate,
        'transactions/s',
        { name: 'the same on one plain server', value: floorPlainRate },
        ROUNDS,
        noteWith(
          `What Citus itself costs, the floor under the figure above: ${BOOKINGS} transactions per round, each BEGIN; SELECT booked, capacity ... FOR UPDATE; INSERT a booking; UPDATE booked = booked + 1; COMMIT, on two bare tables (no triggers, no functions, no settings) in a schema of their own (on Citus a tenant of its own, on worker :${floorPort}), ${CONNECTIONS} connections, interleaved with the library's rounds. ` +
            `The library through the coordinator runs at ${(median(timed(configs.coordinator)) / plainRate).toFixed(2)}x of the plain server; this bare transaction, with none of the library's work, at ${(floorRate / floorPlainRate).toFixed(2)}x. ${clusterHow} ${allRounds}`,
        ),
      ),
    );
    const oneRate = median(timed(configs.one));
    const manyHow =
      `${workload} ${ACADEMIES} academies, one scheduler each, all on one shared pool of ${CONNECTIONS} through the coordinator: booking k -> academy k mod ${ACADEMIES}, its session floor(k / ${ACADEMIES}), its student floor(k / ${ACADEMIES}) (one booking per session). ` +
      `Each pool first ran ${MANY_WARMUP_ROUNDS} untimed rounds (about 7 bookings per connection and academy). ` +
      `One worker: ${oneWorker[0]}..${oneWorker[ACADEMIES - 1]} (${onePlacement}). Two workers: ${twoWorkers[0]}..${twoWorkers[ACADEMIES - 1]} (${twoPlacement}). ` +
      `Citus placed each new schema itself; ${moves} were then moved with citus_schema_move (block_writes, before seeding) to make these layouts. ` +
      `${clusterHow} On one machine the second worker adds no CPU: the three nodes and the client share the same ${cpus().length} cores, so spreading over workers can only spread the same CPU thinner (more backends, more context switches); what separate machines would do is the model below.`;
    figures.push(
      measured(`booking throughput, ${ACADEMIES} academies on 1 Citus worker`, oneRate, 'bookings/s', ROUNDS, noteWith(`${manyHow} ${allRounds} ${modelText}`)),
      forScale(
        `booking throughput, ${ACADEMIES} academies spread over 2 Citus workers`,
        median(timed(configs.two)),
        'bookings/s',
        { name: '1 worker', value: oneRate },
        ROUNDS,
        noteWith(`${manyHow} ${allRounds} ${modelText}`),
      ),
    );
    if (model) {
      const modelNote = noteWith(model.text);
      figures.push(
        measured('Citus coordinator CPU per booking', ms(model.coordinator), 'ms', ROUNDS * BOOKINGS, modelNote),
        measured('Citus worker CPU per booking', ms(model.worker), 'ms', ROUNDS * BOOKINGS, modelNote),
        forScale(
          'plain server CPU per booking',
          ms(model.plain),
          'ms',
          { name: 'coordinator + worker', value: ms(model.coordinator + model.worker) },
          ROUNDS * BOOKINGS,
          modelNote,
        ),
        forScale(
          `expected bookings/s on separate ${MODEL_CORES}-core machines, ${MODEL_WORKERS} workers`,
          model.expected,
          'bookings/s',
          { name: `one plain ${MODEL_CORES}-core server (same model)`, value: model.onePlainServer },
          ROUNDS * BOOKINGS,
          modelNote,
        ),
      );
    }
    return figures;
  } finally {
    for (const pool of pools) await pool.end().catch(() => undefined);
    for (const db of opened) await db.drop().catch((error: unknown) => log(`could not drop ${db.name}: ${(error as Error).message}`));
  }
}

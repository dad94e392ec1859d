/**
 * Figures of many academies in one database (one PostgreSQL schema each): the time to
 * create one academy (`migrate(db, { schema })` of a new schema) on the real server and
 * on PGlite, the catalog size of one academy, booking throughput with 1,000 academies
 * in the database against one academy alone, and upgrading 1,000 academies in one
 * `migrateAcademies` call.
 *
 * Affordable once per run: the 1,000 academies are created in a dedicated database at
 * migration N-1 (the statements of every migration but the last, plus their tracking
 * rows, several schemas per transaction over 2 connections: the same catalog as
 * `migrate` leaves at N-1, without its per-statement round trips), so the upgrade
 * figure applies a real migration (the last one) to each. BENCH_ACADEMIES overrides
 * the count (1,000) for quick runs.
 */
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { createScheduler } from '../../src';
import { MIGRATIONS, migrate, migrateAcademies, migrationStatements } from '../../src/migrate';
import { createTestDatabase } from '../../src/testing';
import { type Figure, compared, forScale, measured, median, noteWith } from '../harness';
import { runConcurrently } from './booking-throughput';
import { type EmptyBenchDatabase, openEmptyBenchDatabase } from '../server-database';

/** Academies in the large database. */
const ACADEMIES = Number(process.env.BENCH_ACADEMIES ?? 1_000);
/** Academies whose schedulers share one pool in the spread throughput figure. */
const SPREAD_ACADEMIES = Math.min(100, ACADEMIES);
/** Schemas created per transaction while laying out the large database. */
const SCHEMAS_PER_TRANSACTION = 5;
/** Connections that lay out the large database. */
const SETUP_CONNECTIONS = 2;
/** Timed `migrate` calls per creation figure (after one warm-up). */
const CREATE_RUNS = 7;
/** Timed throughput rounds per configuration, after `WARMUP_ROUNDS`. */
const THROUGHPUT_ROUNDS = 11;
const WARMUP_ROUNDS = 2;
/**
 * Extra untimed rounds of the warmed spread configuration before the interleaved
 * rounds: 30 x 200 bookings over 100 academies and 8 connections is about 7 bookings
 * per connection and academy, past the 5 custom plans PostgreSQL makes of a statement
 * before it may keep a generic one.
 */
const WARMED_ROUNDS = Number(process.env.BENCH_WARMED_ROUNDS ?? 30);
/** The workload of figure 1 (bench/figures/booking-throughput.ts) at 8 connections, spread over 100 sessions. */
const CONNECTIONS = 8;
const SESSIONS = 100;
const CAPACITY = 40;
const BOOKINGS = 200;
const STUDENTS = BOOKINGS;

/** A progress line on stderr (the group takes minutes). */
const log = (text: string) => console.error(`[bench] academies: ${text}`);
const count = (n: number) => n.toLocaleString('en-US');
const academyName = (i: number) => `academy_${String(i).padStart(4, '0')}`;
const quoted = (schema: string) => `"${schema}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
const previous = MIGRATIONS.slice(0, -1);
const last = MIGRATIONS[MIGRATIONS.length - 1]!;

/**
 * One academy at migration N-1 as one script: the schema and tracking table exactly as
 * `migrate` creates them, the statements of every migration but the last
 * (`migrationStatements`), and a tracking row (id, name, checksum) for each.
 * Statements are joined by a `;` on a line of its own, so a statement ending in a
 * comment cannot swallow it.
 */
function previousVersionScript(schema: string): string {
  const table = `${quoted(schema)}.schema_migrations`;
  const parts = [
    `CREATE SCHEMA ${quoted(schema)}`,
    `CREATE TABLE ${table} (id integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  ];
  for (const m of previous) {
    parts.push(...migrationStatements(m, { schema }));
    parts.push(`INSERT INTO ${table} (id, name, checksum) VALUES (${m.id}, ${literal(m.name)}, ${literal(m.checksum)})`);
  }
  return parts.join('\n;\n');
}

/** Creates academies `0 .. n-1` at migration N-1, `SCHEMAS_PER_TRANSACTION` per transaction over the client's connections; returns wall ms. */
async function createPreviousVersionAcademies(sql: postgres.Sql, n: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: SETUP_CONNECTIONS }, async () => {
      while (next < n) {
        const from = next;
        next = Math.min(n, next + SCHEMAS_PER_TRANSACTION);
        const script = Array.from({ length: next - from }, (_, k) => previousVersionScript(academyName(from + k))).join('\n;\n');
        await sql.begin(async (tx) => {
          await tx.unsafe(`SET LOCAL client_min_messages = warning`);
          await tx.unsafe(script).simple();
        });
      }
    }),
  );
  return performance.now() - start;
}

/** Median ms of `runs` `migrate(db, { schema })` calls of new schemas (after one warm-up); each schema is dropped again outside the timing when `dropAfter`. */
async function medianCreateMs(
  db: Parameters<typeof migrate>[0],
  prefix: string,
  runs: number,
  dropAfter?: (schema: string) => Promise<unknown>,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const schema = `${prefix}_${i}`;
    const start = performance.now();
    const { applied } = await migrate(db, { schema });
    const ms = performance.now() - start;
    if (applied.length !== MIGRATIONS.length)
      throw new Error(`academies: migrate(${schema}) applied ${applied.length} migrations, expected ${MIGRATIONS.length}`);
    if (i > 0) times.push(ms);
    await dropAfter?.(schema);
  }
  return times;
}

interface CatalogSize {
  tables: number;
  indexes: number;
  sequences: number;
  toastTables: number;
  toastIndexes: number;
  functions: number;
  triggers: number;
  internalTriggers: number;
  bytes: number;
}

/** What one academy schema holds in the catalog, and the bytes of its relations (tables with their indexes and TOAST, sequences). */
async function catalogSize(sql: postgres.Sql, schema: string): Promise<CatalogSize> {
  const [row] = await sql<CatalogSize[]>`
    WITH ns AS (SELECT ${schema}::regnamespace::oid AS oid),
         rel AS (SELECT c.* FROM pg_class c, ns WHERE c.relnamespace = ns.oid),
         toast AS (SELECT reltoastrelid AS oid FROM rel WHERE reltoastrelid <> 0)
    SELECT (SELECT count(*) FROM rel WHERE relkind IN ('r', 'p'))::int AS tables,
           (SELECT count(*) FROM rel WHERE relkind IN ('i', 'I'))::int AS indexes,
           (SELECT count(*) FROM rel WHERE relkind = 'S')::int AS sequences,
           (SELECT count(*) FROM toast)::int AS "toastTables",
           (SELECT count(*) FROM pg_index WHERE indrelid IN (SELECT oid FROM toast))::int AS "toastIndexes",
           (SELECT count(*) FROM pg_proc p, ns WHERE p.pronamespace = ns.oid)::int AS functions,
           (SELECT count(*) FROM pg_trigger t JOIN rel ON rel.oid = t.tgrelid WHERE NOT t.tgisinternal)::int AS triggers,
           (SELECT count(*) FROM pg_trigger t JOIN rel ON rel.oid = t.tgrelid WHERE t.tgisinternal)::int AS "internalTriggers",
           (SELECT coalesce(sum(pg_total_relation_size(oid)), 0) FROM rel WHERE relkind IN ('r', 'p', 'm', 'S'))::float8 AS bytes`;
  return row!;
}

async function databaseBytes(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<Array<{ bytes: number }>>`SELECT pg_database_size(current_database())::float8 AS bytes`;
  return row!.bytes;
}

/** One seeded academy of the throughput figures. */
interface SeededAcademy {
  schema: string;
  adminId: string;
  sessionIds: string[];
  studentIds: string[];
}

/**
 * Seeds an academy as figure 1 seeds its own (bench/server-database.ts and
 * booking-throughput.ts): an admin, program, course, location (America/New_York), one
 * room of 40 and one instructor available every day, the school maximum raised to
 * 40, then 100 school sessions of 40 places an hour each on separate days in 2035, and
 * 200 students.
 */
async function seedAcademy(sql: postgres.Sql, schema: string): Promise<SeededAcademy> {
  return sql.begin(async (tx) => {
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
    return { schema, adminId: String(admin!.id), sessionIds: sessions.map((s) => s.id), studentIds: students.map((s) => s.id) };
  });
}

/** Deletes every booking and waitlist entry of the academies (the counter trigger takes each booking back). */
async function resetAcademies(sql: postgres.Sql, schemas: readonly string[]): Promise<void> {
  await sql.unsafe(schemas.map((s) => `DELETE FROM ${quoted(s)}.session_waitlist; DELETE FROM ${quoted(s)}.session_bookings`).join(';\n')).simple();
}

/** Throws unless, over the academies, exactly `expected` bookings are confirmed, none over capacity, and every current_bookings equals its confirmed count. */
async function assertRound(sql: postgres.Sql, schemas: readonly string[], expected: number): Promise<void> {
  const query = schemas
    .map(
      (
        s,
      ) => `SELECT count(*) FILTER (WHERE c.confirmed > s.capacity OR c.confirmed <> s.current_bookings)::int AS bad, coalesce(sum(c.confirmed), 0)::int AS confirmed
              FROM ${quoted(s)}.sessions s
              CROSS JOIN LATERAL (SELECT count(*)::int AS confirmed FROM ${quoted(s)}.session_bookings b WHERE b.session_id = s.id AND b.booking_status = 'confirmed') c`,
    )
    .join('\nUNION ALL\n');
  const rows = await sql.unsafe<Array<{ bad: number; confirmed: number }>>(`SELECT sum(bad)::int AS bad, sum(confirmed)::int AS confirmed FROM (${query}) t`);
  const { bad, confirmed } = rows[0]!;
  if (bad !== 0 || confirmed !== expected)
    throw new Error(`academies: ${bad} sessions overbooked or miscounted, ${confirmed} bookings confirmed, expected ${expected}`);
}

/** One configuration of the throughput figures: a pool of 8, its schedulers and the round's bookings. */
interface ThroughputConfig {
  pool: postgres.Sql;
  /** The client that checks and resets rounds (another connection to the same database). */
  admin: postgres.Sql;
  schemas: string[];
  tasks: Array<() => Promise<void>>;
}

function throughputConfig(url: string, admin: postgres.Sql, academies: SeededAcademy[]): ThroughputConfig {
  const pool = postgres(url, { max: CONNECTIONS, onnotice: () => {} });
  const db = drizzle(pool);
  const schedulers = academies.map((a) => ({
    academy: a,
    scheduler: createScheduler({ db, schema: a.schema, policy: { school: { max: CAPACITY } } }),
    actor: { kind: 'admin', userId: a.adminId } as const,
  }));
  // Booking k: one academy -> session k % 100, student k (two per session, as figure 1).
  // Spread over 100 academies -> academy k % 100, its first session, its student floor(k / 100):
  // the same shape (100 sessions, two bookings each, 200 different students), one session per academy.
  const tasks = Array.from({ length: BOOKINGS }, (_, k) => {
    const spread = schedulers.length > 1;
    const { academy, scheduler, actor } = schedulers[k % schedulers.length]!;
    const sessionId = spread ? academy.sessionIds[0]! : academy.sessionIds[k % SESSIONS]!;
    const studentId = spread ? academy.studentIds[Math.floor(k / schedulers.length)]! : academy.studentIds[k]!;
    return async () => {
      const result = await scheduler.bookings.book(actor, { sessionId, studentId });
      if (result.outcome !== 'confirmed') throw new Error(`academies: a booking within capacity was ${result.outcome} (${academy.schema})`);
    };
  });
  return { pool, admin, schemas: academies.map((a) => a.schema), tasks };
}

/** Runs `rounds` untimed rounds of one configuration (each checked and reset), so that its connections have served each of its academies several times. */
async function warmUp(config: ThroughputConfig, rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await runConcurrently(config.tasks, CONNECTIONS);
    await assertRound(config.admin, config.schemas, BOOKINGS);
    await resetAcademies(config.admin, config.schemas);
  }
}

/** Bookings/s of every round of each configuration, rounds interleaved (a, b, c, a, b, c, ...); each round checked and reset outside the timing. */
async function throughputRounds(configs: ThroughputConfig[]): Promise<number[][]> {
  const perSecond = configs.map(() => [] as number[]);
  for (let round = 0; round < WARMUP_ROUNDS + THROUGHPUT_ROUNDS; round++) {
    for (const [i, config] of configs.entries()) {
      const ms = await runConcurrently(config.tasks, CONNECTIONS);
      await assertRound(config.admin, config.schemas, BOOKINGS);
      await resetAcademies(config.admin, config.schemas);
      perSecond[i]!.push((BOOKINGS / ms) * 1000);
    }
  }
  return perSecond;
}

/** What the backends of a pool hold after the rounds (medians over its connections). */
interface BackendCaches {
  backends: number;
  megabytes: number;
  /** PL/pgSQL functions compiled in the backend. */
  functions: number;
  /** Cached plan sources: prepared statements and the statements inside PL/pgSQL functions. */
  planSources: number;
}

/**
 * Reads pg_backend_memory_contexts on each connection of `pool`: `CONNECTIONS`
 * transactions at once, each holding its connection for 50 ms, so each lands on a
 * different one. Null when the view is not readable.
 */
async function backendCaches(pool: postgres.Sql): Promise<BackendCaches | null> {
  try {
    const rows = await Promise.all(
      Array.from({ length: CONNECTIONS }, () =>
        pool.begin(async (tx) => {
          const [row] = await tx<Array<{ pid: number; bytes: number; functions: number; sources: number }>>`
            SELECT pg_backend_pid() AS pid,
                   (SELECT sum(total_bytes) FROM pg_backend_memory_contexts)::float8 AS bytes,
                   (SELECT count(*) FROM pg_backend_memory_contexts WHERE name LIKE 'PL/pgSQL function%')::int AS functions,
                   (SELECT count(*) FROM pg_backend_memory_contexts WHERE name = 'CachedPlanSource')::int AS sources
            FROM pg_sleep(0.05)`;
          return row!;
        }),
      ),
    );
    const backends = [...new Map(rows.map((r) => [r.pid, r])).values()];
    return {
      backends: backends.length,
      megabytes: median(backends.map((b) => b.bytes / 2 ** 20)),
      functions: median(backends.map((b) => b.functions)),
      planSources: median(backends.map((b) => b.sources)),
    };
  } catch {
    return null;
  }
}

function describeCaches(what: string, caches: BackendCaches | null | undefined): string {
  if (!caches) return `${what}: pg_backend_memory_contexts not readable.`;
  return `${what}, per backend after the rounds (median of ${caches.backends}): ${caches.megabytes.toFixed(0)} MB of memory contexts, ${caches.functions} PL/pgSQL functions compiled, ${caches.planSources} cached plan sources.`;
}

/** PGlite: `createTestDatabase()` (one instance), then `migrate` of new schemas into it. */
async function pgliteCreateTimes(): Promise<number[]> {
  const test = await createTestDatabase();
  try {
    return await medianCreateMs(test.db, 'pglite_academy', CREATE_RUNS);
  } finally {
    await test.close();
  }
}

/**
 * The `academies` group: creation time (real server, with and without 1,000 academies
 * present; PGlite), catalog size of one academy, booking throughput with 1,000
 * academies against one, and upgrading them all in one call. Two throw-away databases:
 * `..._academies_one` (one academy) and `..._academies_many` (1,000), both dropped.
 *
 * @example
 * ```ts
 * if (process.env.DATABASE_URL) figures.push(...(await academiesFigures()));
 * ```
 */
export async function academiesFigures(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const pools: postgres.Sql[] = [];
  const opened: EmptyBenchDatabase[] = [];
  try {
    // 1. Creating one academy on PGlite (first, so its ~0.5 GB instance is gone before the rest).
    let phase = performance.now();
    const lap = (what: string) => {
      log(`${what} (${((performance.now() - phase) / 1000).toFixed(1)} s)`);
      phase = performance.now();
    };
    const pgliteTimes = await pgliteCreateTimes();
    lap('created academies on PGlite');

    const many = await openEmptyBenchDatabase('academies_many', SETUP_CONNECTIONS);
    opened.push(many);
    const one = await openEmptyBenchDatabase('academies_one', 2);
    opened.push(one);
    const manyDb = drizzle(many.client);

    // 1. Creating one academy on the real server, in the still-empty database, then with all the academies present.
    const dropSchema = (schema: string) => many.client.unsafe(`DROP SCHEMA ${quoted(schema)} CASCADE`);
    const emptyTimes = await medianCreateMs(manyDb, 'new_academy_empty', CREATE_RUNS, dropSchema);
    const bytesBefore = await databaseBytes(many.client);
    lap('created academies in the empty database');

    const setupMs = await createPreviousVersionAcademies(many.client, ACADEMIES);
    const bytesAtPrevious = await databaseBytes(many.client);
    lap(`laid out ${count(ACADEMIES)} academies at migration N-1`);

    // 4. Upgrading them all in one call: each has exactly the last migration pending.
    const upgradeStart = performance.now();
    const outcomes = await migrateAcademies(manyDb);
    const upgradeMs = performance.now() - upgradeStart;
    const upgraded = outcomes.filter((o) => o.ok && o.applied.length === 1 && o.applied[0] === last.name).length;
    if (outcomes.length !== ACADEMIES || upgraded !== ACADEMIES) {
      const failed = outcomes.find((o) => !o.ok);
      throw new Error(
        `academies: migrateAcademies upgraded ${upgraded} of ${outcomes.length} schemas (expected ${ACADEMIES})${failed && !failed.ok ? `: ${failed.schema} ${failed.error.message}` : ''}`,
      );
    }
    const bytesAfter = await databaseBytes(many.client);
    lap(`upgraded ${count(ACADEMIES)} academies`);
    const [{ autovacuum } = { autovacuum: '?' }] = await many.client<Array<{ autovacuum: string }>>`SELECT current_setting('autovacuum') AS autovacuum`;

    // 2. Catalog size of one (unseeded) academy, and the database's growth per academy.
    const size = await catalogSize(many.client, academyName(ACADEMIES - 1));
    const growth = (bytesAfter - bytesBefore) / ACADEMIES;

    const presentTimes = await medianCreateMs(manyDb, 'new_academy_present', CREATE_RUNS, dropSchema);

    lap(`created academies among ${count(ACADEMIES)}`);

    // 3. Booking throughput: the same academy alone in a database, and among the 1,000.
    await migrate(drizzle(one.client), { schema: academyName(0) });
    const alone = await seedAcademy(one.client, academyName(0));
    const step = Math.floor(ACADEMIES / SPREAD_ACADEMIES);
    const spread: SeededAcademy[] = [];
    for (let i = 0; i < SPREAD_ACADEMIES; i++) spread.push(await seedAcademy(many.client, academyName(i * step)));
    const configs = [
      throughputConfig(one.url, one.client, [alone]),
      throughputConfig(many.url, many.client, [spread[0]!]),
      throughputConfig(many.url, many.client, spread),
      throughputConfig(many.url, many.client, spread),
    ];
    pools.push(...configs.map((c) => c.pool));
    const warmStart = performance.now();
    await warmUp(configs[3]!, WARMED_ROUNDS);
    const warmMs = performance.now() - warmStart;
    const [aloneRates, amongRates, spreadRates, warmedRates] = await throughputRounds(configs);
    const [aloneCaches, , spreadCaches, warmedCaches] = await Promise.all(configs.map((c) => backendCaches(c.pool)));
    lap('seeded and measured booking throughput');

    // Figures, in the issue's order.
    const serverCreate = median(emptyTimes);
    const createHow = `Wall time of migrate(db, { schema }) of a schema that does not exist yet (all ${MIGRATIONS.length} migrations, one transaction); median of ${CREATE_RUNS} after one warm-up`;
    figures.push(
      measured(
        'create one academy (migrate, new schema), real server',
        serverCreate,
        'ms',
        CREATE_RUNS,
        noteWith(
          `${createHow}, postgres.js + Drizzle, in a database holding no other academy; each new schema dropped again outside the timing. Runs: ${emptyTimes.map((t) => t.toFixed(0)).join(', ')} ms.`,
        ),
      ),
      forScale(
        `create one academy (migrate, new schema), real server, ${count(ACADEMIES)} academies present`,
        median(presentTimes),
        'ms',
        { name: 'no other academy', value: serverCreate },
        CREATE_RUNS,
        noteWith(
          `${createHow}, postgres.js + Drizzle, in the database holding ${count(ACADEMIES)} academies (after the upgrade below); each new schema dropped again outside the timing. Runs: ${presentTimes.map((t) => t.toFixed(0)).join(', ')} ms.`,
        ),
      ),
      forScale(
        'create one academy (migrate, new schema), PGlite',
        median(pgliteTimes),
        'ms',
        { name: 'real server', value: serverCreate },
        CREATE_RUNS,
        noteWith(
          `${createHow}, in one PGlite instance from createTestDatabase() (src/testing: the default schema migrated already); the schemas stay. Runs: ${pgliteTimes.map((t) => t.toFixed(0)).join(', ')} ms.`,
        ),
      ),
    );

    const sizeWhat = `One academy schema at the newest migration (${academyName(ACADEMIES - 1)} of the ${count(ACADEMIES)}, no rows but the capacity policies and tracking rows)`;
    figures.push(
      measured(
        'academy catalog: relations',
        size.tables + size.indexes + size.sequences,
        'relations',
        1,
        noteWith(
          `${sizeWhat}: pg_class rows in the schema: ${size.tables} tables, ${size.indexes} indexes, ${size.sequences} sequences (tracking table included). Outside it, in pg_toast: ${size.toastTables} TOAST tables and ${size.toastIndexes} TOAST indexes, so ${size.tables + size.indexes + size.sequences + size.toastTables + size.toastIndexes} relations in all.`,
        ),
      ),
      measured(
        'academy catalog: functions',
        size.functions,
        'functions',
        1,
        noteWith(`${sizeWhat}: pg_proc rows in the schema (trigger functions and helpers).`),
      ),
      measured(
        'academy catalog: triggers',
        size.triggers,
        'triggers',
        1,
        noteWith(
          `${sizeWhat}: pg_trigger rows on its tables that are not internal (CREATE TRIGGER / CREATE CONSTRAINT TRIGGER). Besides them, ${size.internalTriggers} internal triggers of its foreign keys, ${size.triggers + size.internalTriggers} in all.`,
        ),
      ),
      measured(
        'academy relations size',
        size.bytes,
        'bytes',
        1,
        noteWith(
          `${sizeWhat}: sum of pg_total_relation_size over its tables (with their indexes and TOAST) and sequences - mostly empty index pages; the catalog rows describing it are not included (see the next figure).`,
        ),
      ),
      measured(
        'database growth per academy',
        growth,
        'bytes',
        ACADEMIES,
        noteWith(
          `(pg_database_size after creating ${count(ACADEMIES)} academies at migration N-1 and upgrading them - pg_database_size of the empty database) / ${count(ACADEMIES)}: the academies' relations plus their catalog rows (pg_class, pg_attribute, pg_proc, pg_trigger, pg_depend, ... and their indexes), so about ${Math.round(growth - size.bytes).toLocaleString('en-US')} bytes of catalog per academy; dead catalog rows of the upgrade included (the server's autovacuum setting: ${autovacuum}). At N-1 it was ${Math.round((bytesAtPrevious - bytesBefore) / ACADEMIES).toLocaleString('en-US')} bytes per academy. WAL not included.`,
        ),
      ),
    );

    const workload =
      `Workload of figure 1 (booking throughput, 8 conn, spread): ${BOOKINGS} scheduler.bookings.book calls per round as an admin, two per school session of ${CAPACITY} places over ${SESSIONS} sessions, each by a different student, ${CONNECTIONS} workers pulling from one queue on one postgres.js pool of ${CONNECTIONS}. ` +
      `Every academy seeded alike (admin, program, course, location, one room of ${CAPACITY}, one instructor, ${SESSIONS} sessions on separate days in 2035, ${STUDENTS} students). ` +
      `Baseline: the academy ${academyName(0)} alone in its database (migrated with migrate), one scheduler. ` +
      `Bookings/s = bookings of the round / wall time; median of ${THROUGHPUT_ROUNDS} rounds after ${WARMUP_ROUNDS} warm-up rounds, the four configurations (alone; among ${count(ACADEMIES)}, bookings in one; among ${count(ACADEMIES)}, spread on a new pool; the same spread on a pool warmed beforehand) interleaved round by round, each on its own pool. ` +
      `After every round: exactly ${BOOKINGS} confirmed, none over capacity, current_bookings = confirmed count; then the bookings are deleted.`;
    const rounds = (name: string, rates: number[]) => `${name}: ${rates.map((r) => r.toFixed(0)).join(', ')}`;
    const allRounds = `Every round in bookings/s, the first ${WARMUP_ROUNDS} untimed: ${[
      rounds('alone', aloneRates!),
      rounds(`one of ${count(ACADEMIES)}`, amongRates!),
      rounds('spread', spreadRates!),
      rounds('spread, warmed', warmedRates!),
    ].join('; ')}.`;
    const spreadHow =
      `the database holding ${count(ACADEMIES)} academies, the round's bookings spread over ${SPREAD_ACADEMIES} of them (${academyName(0)}, ${academyName(step)}, ${academyName(2 * step)}, ...), one scheduler per academy, all on one shared pool of ${CONNECTIONS} (as a platform serves many academies): ` +
      `booking k goes to academy k mod ${SPREAD_ACADEMIES}, its first session, its student floor(k / ${SPREAD_ACADEMIES}) - ${SPREAD_ACADEMIES} sessions with two bookings each, ${BOOKINGS} different students, as in the baseline; every connection switches between academies (search_path per transaction), ` +
      `each academy has its own trigger functions, and the scheduler's statements carry the academy's name (so that each is planned under one search_path), so each connection keeps them once per academy it serves.`;
    const timed = (rates: number[]) => rates.slice(WARMUP_ROUNDS);
    const aloneBaseline = { name: 'one academy in the database', value: median(timed(aloneRates!)) };
    figures.push(
      compared(
        `booking throughput, ${count(ACADEMIES)} academies in the database, bookings in one`,
        median(timed(amongRates!)),
        'bookings/s',
        aloneBaseline,
        '>= 0.9x',
        (r) => r >= 0.9,
        THROUGHPUT_ROUNDS,
        noteWith(
          `${workload} Value: the same academy (${academyName(0)}, same seed) in the database holding ${count(ACADEMIES)} academies, one scheduler on its own pool. ${allRounds}`,
        ),
      ),
      compared(
        `booking throughput, ${count(ACADEMIES)} academies in the database, spread over ${SPREAD_ACADEMIES} academies on one pool (steady state)`,
        median(timed(warmedRates!)),
        'bookings/s',
        aloneBaseline,
        '>= 0.9x',
        (r) => r >= 0.9,
        THROUGHPUT_ROUNDS,
        noteWith(
          `${workload} Value: ${spreadHow} The pool first ran ${WARMED_ROUNDS} untimed rounds of this workload (${count(WARMED_ROUNDS * BOOKINGS)} bookings, about ${((WARMED_ROUNDS * BOOKINGS) / (SPREAD_ACADEMIES * CONNECTIONS)).toFixed(1)} per connection and academy, ${(warmMs / 1000).toFixed(1)} s), so its connections have served each academy, as a long-running service's pool has. ` +
            `${describeCaches('Spread, steady state', warmedCaches)} ${describeCaches('Alone', aloneCaches)} ${allRounds}`,
        ),
      ),
      forScale(
        `booking throughput, ${count(ACADEMIES)} academies, spread over ${SPREAD_ACADEMIES} on a new pool (first bookings of each connection in each academy)`,
        median(timed(spreadRates!)),
        'bookings/s',
        aloneBaseline,
        THROUGHPUT_ROUNDS,
        noteWith(
          `Not a target: the spread workload above on a pool with no rounds before its own (${WARMUP_ROUNDS + THROUGHPUT_ROUNDS} rounds of ${BOOKINGS}, about ${(((WARMUP_ROUNDS + THROUGHPUT_ROUNDS) * BOOKINGS) / (SPREAD_ACADEMIES * CONNECTIONS)).toFixed(1)} bookings per connection and academy in all), so most of its bookings are among the first few of their connection in their academy, ` +
            `which load that schema's tables into the connection's caches, compile its copy of the trigger functions, prepare the scheduler's statements for it and plan them afresh for their first 5 executions. ${workload} ${describeCaches('Spread, new pool', spreadCaches)} ${allRounds}`,
        ),
      ),
    );

    figures.push(
      measured(
        `upgrade ${count(ACADEMIES)} academies in one call (migrateAcademies)`,
        upgradeMs,
        'ms',
        1,
        noteWith(
          `Wall time of one migrateAcademies(db) (listAcademies, then migrate of each schema in its own transaction, one after the other, one postgres.js connection at a time) on ${count(ACADEMIES)} academies at migration N-1: each got exactly ${last.name} (all ${upgraded} outcomes ok). ` +
            `The academies were laid out beforehand by running the statements of migrations ${previous[0]!.name}..${previous[previous.length - 1]!.name} (migrationStatements) and their tracking rows, ${SCHEMAS_PER_TRANSACTION} schemas per transaction over ${SETUP_CONNECTIONS} connections: ${(setupMs / 1000).toFixed(1)} s for ${count(ACADEMIES)}, ${(setupMs / ACADEMIES).toFixed(0)} ms per academy of wall time. A single measurement.`,
        ),
      ),
      measured(
        'upgrade per academy (migrateAcademies)',
        upgradeMs / ACADEMIES,
        'ms',
        ACADEMIES,
        noteWith(
          `The wall time of the call above / ${count(ACADEMIES)}: one migration (${last.name}: functions and triggers) applied to one academy, with its lock, tracking read and row.`,
        ),
      ),
    );
    return figures;
  } finally {
    for (const pool of pools) await pool.end().catch(() => undefined);
    for (const db of opened) await db.drop();
  }
}

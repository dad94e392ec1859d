/**
 * A throw-away academy on the real PostgreSQL server for the benchmarks: its own
 * database (`acsched_bench_<pid>_<suffix>`, never the one in DATABASE_URL), migrated, seeded
 * with 200 instructors and 50 facilities, and bulk-loaded with sessions that respect
 * every invariant, so the triggers can stay off during the load.
 */
import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { DateTime } from 'luxon';
import * as schema from '../src/schema';
import { migrate } from '../src/migrate';

export const INSTRUCTORS = 200;
export const FACILITIES = 50;
/** Loaded sessions last 30 minutes, back to back, in 28 slots from 07:00 to 21:00 local time. */
export const SLOTS_PER_DAY = 28;
export const TIME_ZONE = 'America/New_York';
/** Local date of day 0 (a Monday). */
export const FIRST_DAY = '2030-01-07';

/** Ids of the seeded academy. */
export interface BenchAcademy {
  adminId: string;
  programId: string;
  courseId: string;
  locationId: string;
  /** Ordered as the bulk load indexes them. */
  facilityIds: string[];
  instructorIds: string[];
}

/** An open benchmark database. */
export interface BenchDatabase {
  name: string;
  /** The raw postgres.js client (its queries can be captured with `capture`). */
  client: postgres.Sql;
  db: PostgresJsDatabase<typeof schema>;
  academy: BenchAcademy;
  /** Records every query text and its parameters sent while `fn` runs. */
  capture(fn: () => Promise<unknown>): Promise<Array<{ query: string; parameters: unknown[] }>>;
  /** Closes the client and drops the database. */
  drop(): Promise<void>;
}

/** DATABASE_URL with another database name. */
function urlFor(database: string): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onAdminConnection<T>(fn: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/** An empty throw-away database: nothing migrated, nothing seeded. */
export interface EmptyBenchDatabase {
  name: string;
  /** DATABASE_URL pointing at this database (for more pools of its own). */
  url: string;
  /** A postgres.js client on it (`max` connections). */
  client: postgres.Sql;
  /** Closes the client and drops the database. */
  drop(): Promise<void>;
}

/**
 * Creates `acsched_bench_<pid>_<suffix>` empty (for figures that lay out their own
 * academy schemas) and opens a client with `max` connections on it.
 *
 * @example
 * ```ts
 * const empty = await openEmptyBenchDatabase('academies', 2);
 * try { await migrate(drizzle(empty.client), { schema: 'academy_a' }); } finally { await empty.drop(); }
 * ```
 */
export async function openEmptyBenchDatabase(suffix: string, max = 4): Promise<EmptyBenchDatabase> {
  const name = `acsched_bench_${process.pid}_${suffix}`;
  await onAdminConnection(async (admin) => {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  });
  const url = urlFor(name);
  const client = postgres(url, { max, onnotice: () => {} });
  return {
    name,
    url,
    client,
    drop: async () => {
      await client.end();
      await onAdminConnection((admin) => admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/**
 * Creates, migrates and seeds `acsched_bench_<pid>_<suffix>`: one admin, program, course and
 * location (America/New_York), 50 facilities, 200 instructors, each available every day
 * 06:00-22:00 (seven weekly `regular` rows). No sessions yet: see `loadSessions`.
 *
 * @example
 * ```ts
 * const bench = await openBenchDatabase();
 * try { await loadSessions(bench, 0, 10_000); } finally { await bench.drop(); }
 * ```
 */
export async function openBenchDatabase(suffix = 'main'): Promise<BenchDatabase> {
  const name = `acsched_bench_${process.pid}_${suffix}`;
  await onAdminConnection(async (admin) => {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  });
  let listener: ((query: string, parameters: unknown[]) => void) | null = null;
  const client = postgres(urlFor(name), {
    max: 4,
    onnotice: () => {},
    debug: (_connection, query, parameters) => listener?.(query, parameters as unknown[]),
  });
  const drop = async () => {
    await client.end();
    await onAdminConnection((admin) => admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  };
  try {
    const db = drizzle(client, { schema });
    await migrate(db);
    const academy = await seedAcademy(client);
    return {
      name,
      client,
      db,
      academy,
      drop,
      capture: async (fn) => {
        const seen: Array<{ query: string; parameters: unknown[] }> = [];
        listener = (query, parameters) => seen.push({ query, parameters });
        try {
          await fn();
        } finally {
          listener = null;
        }
        return seen;
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}

async function seedAcademy(sql: postgres.Sql): Promise<BenchAcademy> {
  const [admin] = await sql`INSERT INTO scheduling.users (email, full_name, role) VALUES ('admin@bench.test', 'Admin', 'admin') RETURNING id`;
  const [program] = await sql`INSERT INTO scheduling.programs (code, name) VALUES ('SWIM', 'Swimming') RETURNING id`;
  const [course] = await sql`INSERT INTO scheduling.courses (code, name, program_id) VALUES ('SWIM-CLUB', 'Swim club', ${program!.id}) RETURNING id`;
  const [location] = await sql`INSERT INTO scheduling.locations (code, name, timezone) VALUES ('MAIN', 'Main', ${TIME_ZONE}) RETURNING id`;
  const facilities = await sql`
    INSERT INTO scheduling.facilities (code, name, location_id, capacity)
    SELECT 'ROOM-' || lpad(n::text, 3, '0'), 'Room ' || n, ${location!.id}, 40 FROM generate_series(0, ${FACILITIES - 1}) n
    RETURNING id, code`;
  const instructors = await sql`
    INSERT INTO scheduling.instructors (email, first_name, last_name)
    SELECT 'coach' || lpad(n::text, 3, '0') || '@bench.test', 'Coach', 'No' || lpad(n::text, 3, '0') FROM generate_series(0, ${INSTRUCTORS - 1}) n
    RETURNING id, email`;
  await sql`
    INSERT INTO scheduling.instructor_availability
      (instructor_id, availability_type, day_of_week, start_time, end_time, location_id, effective_from, max_concurrent_sessions)
    SELECT i.id, 'regular', d, '06:00', '22:00', ${location!.id}, date '2029-12-01', 1
    FROM scheduling.instructors i, generate_series(0, 6) d`;
  const byKey = (rows: postgres.RowList<postgres.Row[]>, key: string) =>
    [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key]))).map((r) => String(r.id));
  return {
    adminId: admin!.id,
    programId: program!.id,
    courseId: course!.id,
    locationId: location!.id,
    facilityIds: byKey(facilities, 'code'),
    instructorIds: byKey(instructors, 'email'),
  };
}

/**
 * Bulk-loads sessions number `from` to `to - 1` of one fixed layout, in one
 * transaction with the session triggers disabled, then ANALYZEs. Session `g` runs in
 * facility `g % 50`, in slot `floor(g / 50)` (30-minute slots, 28 a day from 07:00
 * local), taught by instructor `g % 50 + 50 * (slot % 4)`: at any slot the 50 sessions
 * have 50 different rooms and instructors, and each instructor teaches every fourth
 * slot, so no instructor or facility ever overlaps. 1,000,000 sessions fill 715 days.
 * The table's non-constraint indexes are dropped and recreated (same definitions)
 * around the insert, inside the same transaction; foreign-key checks stay on.
 *
 * @example
 * ```ts
 * const ms = await loadSessions(bench, 10_000, 1_000_000);
 * ```
 */
export async function loadSessions(bench: BenchDatabase, from: number, to: number): Promise<number> {
  const { academy } = bench;
  const start = performance.now();
  await bench.client.begin(async (sql) => {
    // Building an index once over sorted data is far cheaper than 1M random insertions
    // into 13 of them: drop the plain indexes and recreate them from their own
    // definitions. Constraint indexes (primary key, unique session_id) stay.
    const indexes = await sql<Array<{ name: string; definition: string }>>`
      SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = 'scheduling.sessions'::regclass
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`;
    for (const index of indexes) await sql.unsafe(`DROP INDEX scheduling."${index.name}"`);
    await sql`SET LOCAL maintenance_work_mem = '256MB'`;
    await sql`SET LOCAL session_replication_role = replica`;
    await sql`ALTER TABLE scheduling.sessions DISABLE TRIGGER USER`;
    await sql`
      INSERT INTO scheduling.sessions
        (program_id, course_id, location_id, facility_id, instructor_id, session_type, title, start_time, end_time, capacity, created_by)
      SELECT ${academy.programId}, ${academy.courseId}, ${academy.locationId},
             (${academy.facilityIds}::uuid[])[g % ${FACILITIES} + 1],
             (${academy.instructorIds}::uuid[])[g % ${FACILITIES} + ${FACILITIES} * ((g / ${FACILITIES}) % 4) + 1],
             'group', 'Swim club',
             slot_start AT TIME ZONE ${TIME_ZONE},
             (slot_start + interval '30 minutes') AT TIME ZONE ${TIME_ZONE},
             5, ${academy.adminId}
      FROM generate_series(${from}::int, ${to - 1}::int) AS g,
           LATERAL (SELECT (${FIRST_DAY}::date + (g / ${FACILITIES}) / ${SLOTS_PER_DAY}) + time '07:00'
                           + ((g / ${FACILITIES}) % ${SLOTS_PER_DAY}) * interval '30 minutes' AS slot_start) AS s`;
    await sql`ALTER TABLE scheduling.sessions ENABLE TRIGGER USER`;
    for (const index of indexes) await sql.unsafe(index.definition);
  });
  await bench.client`ANALYZE scheduling.sessions`;
  return performance.now() - start;
}

/**
 * The instant of `localTime` on local day `day` (days after `FIRST_DAY`) at the location.
 *
 * @example
 * ```ts
 * localInstant(3, '06:30'); // 2030-01-10T11:30:00.000Z
 * ```
 */
export function localInstant(day: number, localTime: string): Date {
  const [hour, minute] = localTime.split(':').map(Number);
  return DateTime.fromISO(FIRST_DAY, { zone: TIME_ZONE }).plus({ days: day }).set({ hour, minute }).toJSDate();
}

/**
 * EXPLAIN of one captured query (with its parameters): the plan text, whether it uses
 * an index, and whether it scans `sessions` sequentially.
 *
 * @example
 * ```ts
 * const plan = await explain(bench, captured);
 * plan.usesIndex && !plan.seqScanOnSessions;
 * ```
 */
export async function explain(bench: BenchDatabase, query: { query: string; parameters: unknown[] }) {
  // The scheduler's SQL names no schema: it runs under the academy's search_path, and so does its plan.
  const rows = await bench.client.begin(async (tx) => {
    await tx`SELECT set_config('search_path', 'scheduling', true)`;
    return tx.unsafe(`EXPLAIN ${query.query}`, query.parameters as postgres.ParameterOrJSON<never>[]);
  });
  const plan = rows.map((r) => String(r['QUERY PLAN'])).join('\n');
  return { plan, usesIndex: /Index/.test(plan), seqScanOnSessions: /Seq Scan on sessions/.test(plan) };
}

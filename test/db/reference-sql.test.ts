/**
 * The reference schema's sample INSERTs, its "Efficient Availability/Booking Queries"
 * and its "Maintenance Procedures" run as written (taken from docs/reference-schema.md)
 * with search_path set to scheduling, after creating the rows they refer to.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { onCitus, useTestDatabase, type TestDb } from '../support/database';

const spec = readFileSync(new URL('../../docs/reference-schema.md', import.meta.url), 'utf8');

/** The ```sql block under a `### heading`, split into statements. */
function statementsUnder(heading: string): string[] {
  const start = spec.indexOf(`### ${heading}`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const block = /```sql\n([\s\S]*?)```/.exec(spec.slice(start))![1]!;
  return block
    .replace(/--.*$/gm, '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Substitutes $n placeholders with SQL literals (the spec's queries are parameterised). */
function bind(statement: string, params: Array<string | number>): string {
  return statement.replace(/\$(\d+)/g, (_, n) => {
    const value = params[Number(n) - 1]!;
    return typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`;
  });
}

const database = useTestDatabase();
let actor: string;

/** Runs statements in one transaction the way a host's SQL console would: search_path = scheduling. */
/** One result per statement; a fixed-length tuple so destructuring needs no `!`. */
type Results<T> = [T[], T[], T[], T[], T[], T[], T[], T[]];

async function asWritten<T = Record<string, unknown>>(db: TestDb, statements: string[]): Promise<Results<T>> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('search_path', 'scheduling', true), set_config('TimeZone', 'UTC', true)`);
    // SET LOCAL: on Citus only that reaches the triggers on the workers.
    await tx.execute(sql.raw(`SET LOCAL scheduling.actor_id = '${actor}'`));
    const results: T[][] = [];
    for (const statement of statements) {
      const result: unknown = await tx.execute(sql.raw(statement));
      results.push((Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[]);
    }
    return results as Results<T>;
  });
}

beforeAll(async () => {
  const [user] = await database.query<{ id: string }>(`INSERT INTO scheduling.users (email, full_name) VALUES ('admin@academy.com', 'Admin') RETURNING id`);
  actor = user!.id;
  // The rows the samples refer to by code, email, student_id and parent_id.
  await asWritten(database.db, [
    `INSERT INTO programs (code, name) VALUES ('SWIM', 'Swimming')`,
    `INSERT INTO courses (program_id, code, name) SELECT id, 'SWIM-CLUB', 'Swimming Club' FROM programs WHERE code = 'SWIM'`,
    `INSERT INTO locations (code, name, timezone) VALUES ('MAIN', 'Main site', 'UTC')`,
    `INSERT INTO facilities (location_id, code, name) SELECT id, 'POOL1', 'Pool 1' FROM locations WHERE code = 'MAIN'`,
    `INSERT INTO instructors (email, first_name, last_name) VALUES ('john.coach@academy.com', 'John', 'Coach'), ('jane.coach@academy.com', 'Jane', 'Coach')`,
    `INSERT INTO students (student_id, first_name, last_name) VALUES ('STU-2025-0001', 'Ada', 'Swimmer')`,
    `INSERT INTO parents (parent_id, first_name, last_name) VALUES ('PAR-2025-0001', 'Paul', 'Swimmer')`,
  ]);
});

// The reference SQL as written is for one server: on Citus its INSERT … (SELECT …) and
// multi-shard subqueries are refused ("subqueries are not supported within INSERT queries").
const runsAsWritten = !onCitus();

describe.runIf(runsAsWritten)('reference sample data runs as written', () => {
  it('sample session, recurring pattern and booking insert, with the booking counted', async () => {
    await asWritten(database.db, [...statementsUnder('Sample Session'), ...statementsUnder('Sample Recurring Pattern'), ...statementsUnder('Sample Booking')]);
    const [[session]] = await asWritten<{
      session_id: string;
      current_bookings: number;
      available_spots: number;
      duration_minutes: number;
      created_by: string;
    }>(database.db, [`SELECT session_id, current_bookings, available_spots, duration_minutes, created_by FROM sessions WHERE session_id = 'SES-2025-0001'`]);
    expect(session).toEqual({ session_id: 'SES-2025-0001', current_bookings: 1, available_spots: 4, duration_minutes: 60, created_by: actor });
    const [[pattern]] = await asWritten<{ days_of_week: number[]; pattern_type: string }>(database.db, [
      `SELECT days_of_week, pattern_type FROM recurring_patterns`,
    ]);
    expect(pattern).toEqual({ days_of_week: [1, 3, 5], pattern_type: 'weekly' });
  });
});

describe.runIf(runsAsWritten)('reference queries run as written and return the expected rows', () => {
  it('"find available sessions" returns the sample session with its free places', async () => {
    const [find] = statementsUnder('Efficient Availability Queries');
    const [[location]] = await asWritten<{ id: string }>(database.db, [`SELECT id FROM locations WHERE code = 'MAIN'`]);
    const [rows] = await asWritten<{ session_id: string; available_spots: number }>(database.db, [
      bind(find!, [location!.id, '2025-01-15 00:00:00+00', '2025-01-16 00:00:00+00']),
    ]);
    expect(rows.map((r) => [r.session_id, r.available_spots])).toEqual([['SES-2025-0001', 4]]);
  });

  it('"check instructor availability" as written compares times of day only (a documented bug)', async () => {
    const [, check] = statementsUnder('Efficient Availability Queries');
    const [[location]] = await asWritten<{ id: string }>(database.db, [`SELECT id FROM locations WHERE code = 'MAIN'`]);
    await asWritten(database.db, [
      `INSERT INTO instructor_availability (instructor_id, availability_type, day_of_week, start_time, end_time, location_id, effective_from)
       SELECT id, 'regular', 3, '09:00', '12:00', (SELECT id FROM locations WHERE code = 'MAIN'), '2025-01-01' FROM instructors`,
    ]);
    const [rows] = await asWritten<{ instructor_id: string }>(database.db, [bind(check!, [location!.id, 3, '10:00', '11:00'])]);
    const [names] = await asWritten<{ id: string; email: string }>(database.db, [`SELECT id, email FROM instructors`]);
    const emailOf = new Map(names.map((n) => [n.id, n.email]));
    // John teaches 10:00-11:00 on 2025-01-15 only, yet the query excludes him for every
    // Wednesday; scheduler.availability.findAvailableInstructors compares dates too.
    expect(rows.map((r) => emailOf.get(r.instructor_id))).toEqual(['jane.coach@academy.com']);
  });

  it('"student upcoming sessions" and "session participant list"', async () => {
    await asWritten(database.db, [
      `INSERT INTO sessions (program_id, course_id, location_id, facility_id, instructor_id, session_type, title, start_time, end_time, capacity)
       SELECT p.id, c.id, l.id, f.id, i.id, 'group', 'Future club', now() + interval '7 days', now() + interval '7 days 1 hour', 5
       FROM programs p, courses c, locations l, facilities f, instructors i
       WHERE p.code = 'SWIM' AND c.code = 'SWIM-CLUB' AND l.code = 'MAIN' AND f.code = 'POOL1' AND i.email = 'jane.coach@academy.com'`,
      `INSERT INTO session_bookings (session_id, student_id) SELECT s.id, st.id FROM sessions s, students st WHERE s.title = 'Future club' AND st.student_id = 'STU-2025-0001'`,
    ]);
    const [upcoming, participants] = statementsUnder('Efficient Booking Queries');
    const [[student]] = await asWritten<{ id: string }>(database.db, [`SELECT id FROM students WHERE student_id = 'STU-2025-0001'`]);
    const [rows] = await asWritten<{ title: string; booking_status: string }>(database.db, [bind(upcoming!, [student!.id])]);
    expect(rows.map((r) => [r.title, r.booking_status])).toEqual([['Future club', 'confirmed']]);
    const [[session]] = await asWritten<{ id: string }>(database.db, [`SELECT id FROM sessions WHERE session_id = 'SES-2025-0001'`]);
    const [people] = await asWritten(database.db, [bind(participants!, [session!.id])]);
    expect(people).toEqual([{ first_name: 'Ada', last_name: 'Swimmer', booking_status: 'confirmed', checked_in_at: null }]);
  });
});

describe.runIf(runsAsWritten)('reference maintenance procedures run as written', () => {
  it('purge old cancelled sessions, archive old bookings column for column, recount current_bookings', async () => {
    const [purge, archive, recount] = statementsUnder('Maintenance Procedures');
    await asWritten(database.db, [
      `INSERT INTO sessions (program_id, course_id, location_id, facility_id, session_type, title, start_time, end_time, capacity, status)
       SELECT p.id, c.id, l.id, f.id, 'group', 'Old cancelled', now() - interval '400 days', now() - interval '400 days' + interval '1 hour', 5, 'cancelled'
       FROM programs p, courses c, locations l, facilities f WHERE p.code = 'SWIM' AND c.code = 'SWIM-CLUB' AND l.code = 'MAIN' AND f.code = 'POOL1'`,
      `UPDATE session_bookings SET created_at = now() - interval '3 years', booking_date = now() - interval '3 years'
       WHERE session_id = (SELECT id FROM sessions WHERE session_id = 'SES-2025-0001')`,
    ]);
    // A hand edit of the counter is refused (it is derived); drift can only come from a
    // write with the guard switched off, as a restore with triggers disabled would make.
    await expect(asWritten(database.db, [`UPDATE sessions SET current_bookings = 0 WHERE session_id = 'SES-2025-0001'`])).rejects.toMatchObject({
      cause: expect.objectContaining({ code: 'SC001' }),
    });
    await asWritten(database.db, [
      `SET LOCAL session_replication_role = replica`,
      `UPDATE sessions SET current_bookings = 0 WHERE session_id = 'SES-2025-0001'`,
    ]);
    await asWritten(database.db, [purge!, archive!, recount!]);
    const [[gone], archived, [counted]] = await asWritten<Record<string, unknown>>(database.db, [
      `SELECT count(*)::int AS n FROM sessions WHERE title = 'Old cancelled'`,
      `SELECT a.booking_id, a.booking_status, a.payment_status FROM session_bookings_archive a`,
      `SELECT current_bookings FROM sessions WHERE session_id = 'SES-2025-0001'`,
    ]);
    expect(gone).toEqual({ n: 0 });
    expect(archived).toEqual([{ booking_id: 'BKG-2025-0001', booking_status: 'confirmed', payment_status: 'unpaid' }]);
    expect(counted).toEqual({ current_bookings: 1 });
  });
});

/**
 * `dropAcademy`, `listAcademies` and `migrateAcademies` against a host's objects in and
 * around an academy's schema (real server). `dropAcademy` must drop an academy and
 * nothing of the host's: not a host object inside the schema (a table, a sequence, a
 * function, a type), not a host object elsewhere that depends on the academy (a view,
 * a foreign key), and not a host schema that merely looks like an academy.
 * `listAcademies` must name academies only.
 *
 * FOUND BY REVIEW, CLOSED (these tests failed before the fix in the same change):
 * - `DROP SCHEMA … CASCADE` (src/migrate/academies.ts) also drops what depends on the
 *   academy from outside it (a view, a materialized view, a foreign key of a host
 *   table in public), and the foreign-object check looks at relkinds r, p, v, m, f
 *   only, so a host sequence, function, composite type or enum in the schema goes too.
 * - An academy is recognised by the shape of `schema_migrations` alone: a host schema
 *   with an (empty) table of that shape is dropped with the host's tables named like
 *   ours, and `migrateAcademies()` migrates it (creating every table in the host's
 *   schema); another connection's temporary table makes `pg_temp_N` an academy, and
 *   `public` is listed too (each a failed outcome of `migrateAcademies()` on every run).
 */
import { describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { dropAcademy, listAcademies, migrate, migrateAcademies, MIGRATIONS } from '../../src/migrate';
import { isSchedulingError } from '../../src';
import { useTestDatabase } from '../support/database';
import { errorOf } from '../support/refusals';

const database = useTestDatabase();

/** Whether `sql` (a query returning one row with `found`) finds something. */
async function exists(sql: string): Promise<boolean> {
  const [row] = await database.query<{ found: boolean }>(sql);
  return Boolean(row?.found);
}

/** Drops `schema` with dropAcademy; returns 'dropped' or the refusal's code and reason. */
async function tryDrop(schema: string): Promise<string> {
  try {
    await dropAcademy(database.db, { schema, confirm: schema });
    return 'dropped';
  } catch (error) {
    if (!isSchedulingError(error)) throw error;
    return `${error.code} ${String((error.details as { reason?: string }).reason ?? '')}`.trim();
  }
}

describe("dropAcademy never drops a host's object", () => {
  it.each([
    [
      "a view in public over the academy's sessions",
      'CREATE VIEW public.%s_v AS SELECT id FROM %s.sessions',
      "SELECT to_regclass('public.%s_v') IS NOT NULL AS found",
    ],
    [
      "a materialized view in public over the academy's students",
      'CREATE MATERIALIZED VIEW public.%s_mv AS SELECT id FROM %s.students',
      "SELECT to_regclass('public.%s_mv') IS NOT NULL AS found",
    ],
    [
      "a host table's foreign key in public to the academy's students",
      'CREATE TABLE public.%s_invoices (id int PRIMARY KEY, student_id uuid REFERENCES %s.students (id))',
      "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'public.%s_invoices'::regclass AND contype = 'f') AS found",
    ],
    ['a host sequence in the schema', 'CREATE SEQUENCE %2$s.host_invoice_numbers', "SELECT to_regclass('%2$s.host_invoice_numbers') IS NOT NULL AS found"],
    [
      'a host function in the schema',
      'CREATE FUNCTION %2$s.host_vat(numeric) RETURNS numeric LANGUAGE sql AS $$ SELECT $1 * 1.2 $$',
      "SELECT to_regproc('%2$s.host_vat') IS NOT NULL AS found",
    ],
    [
      'a host composite type in the schema',
      'CREATE TYPE %2$s.host_address AS (street text, city text)',
      "SELECT to_regtype('%2$s.host_address') IS NOT NULL AS found",
    ],
    [
      'a host view in the schema',
      'CREATE VIEW %2$s.host_roster AS SELECT id FROM %2$s.students',
      "SELECT to_regclass('%2$s.host_roster') IS NOT NULL AS found",
    ],
    ['a host enum in the schema', "CREATE TYPE %2$s.host_tier AS ENUM ('gold', 'silver')", "SELECT to_regtype('%2$s.host_tier') IS NOT NULL AS found"],
  ])('%s: refused, or the object survives', async (_name, create, probe) => {
    const schema = `academy_guard_${Math.random().toString(36).slice(2, 8)}`;
    const fill = (text: string) => text.replaceAll('%2$s', schema).replaceAll('%s', schema);
    await migrate(database.db, { schema });
    await database.query(fill(create));
    expect(await exists(fill(probe))).toBe(true);
    const outcome = await tryDrop(schema);
    const survived = await exists(fill(probe));
    expect({ outcome, survived }).toEqual(outcome === 'dropped' ? { outcome, survived: true } : { outcome: 'INVALID_STATE foreign_objects', survived: true });
  });

  it("a host schema that only looks like an academy (a tracking table of the same shape) is not dropped with the host's data", async () => {
    await database.query(`CREATE SCHEMA host_reports`);
    await database.query(`CREATE TABLE host_reports.schema_migrations (id integer PRIMARY KEY, name text, checksum text, applied_at timestamptz)`);
    await database.query(`CREATE TABLE host_reports.sessions (id int, revenue numeric)`);
    await database.query(`INSERT INTO host_reports.sessions VALUES (1, 1000)`);
    const outcome = await tryDrop('host_reports');
    const survived = await exists(`SELECT to_regclass('host_reports.sessions') IS NOT NULL AS found`);
    expect({ outcome, survived }).toEqual({ outcome: 'NOT_FOUND', survived: true });
  });

  it.each([
    ['upper case', 'Academy_guard'],
    ['quoted', '"academy_guard"'],
    ['with a dot', 'academy_guard.sessions'],
    ['with a semicolon', 'academy_guard; DROP SCHEMA scheduling CASCADE'],
  ])('a name %s is refused before any statement (INVALID_INPUT)', async (_name, schema) => {
    const error = await errorOf(() => dropAcademy(database.db, { schema, confirm: schema }));
    expect(isSchedulingError(error, 'INVALID_INPUT')).toBe(true);
    expect(await listAcademies(database.db)).toContain('scheduling');
  });
});

describe('listAcademies names academies only', () => {
  it("not another connection's temporary tracking table (pg_temp_N)", async () => {
    const other = postgres(database.url!, { max: 1, onnotice: () => {} });
    try {
      await other.reserve().then(async (connection) => {
        try {
          await connection.unsafe(
            `CREATE TEMP TABLE schema_migrations (id integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
          );
          const listed = await listAcademies(database.db);
          expect(listed.filter((schema) => schema.startsWith('pg_'))).toEqual([]);
          // What migrateAcademies makes of every listed schema: none should fail for not being an academy.
          const failed = (await migrateAcademies(database.db)).filter((o) => !o.ok).map((o) => `${o.schema}: ${!o.ok && o.error.code}`);
          expect(failed).toEqual([]);
        } finally {
          connection.release();
        }
      });
    } finally {
      await other.end();
    }
  });

  it("not the host's public schema holding a table called schema_migrations with the same four columns", async () => {
    await database.query(
      `CREATE TABLE public.schema_migrations (id integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    try {
      const listed = await listAcademies(database.db);
      const failed = (await migrateAcademies(database.db)).filter((o) => !o.ok).map((o) => `${o.schema}: ${!o.ok && o.error.code}`);
      expect({ listed: listed.includes('public'), failed }).toEqual({ listed: false, failed: [] });
    } finally {
      await database.query(`DROP TABLE public.schema_migrations`);
    }
  });
});

describe('migrateAcademies', () => {
  it('does not turn a host schema into an academy because it holds an empty tracking table of the same shape', async () => {
    await database.query(`CREATE SCHEMA host_ledger`);
    await database.query(
      `CREATE TABLE host_ledger.schema_migrations (id integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    await database.query(`CREATE TABLE host_ledger.entries (id int PRIMARY KEY, amount numeric)`);
    const outcome = (await migrateAcademies(database.db)).find((o) => o.schema === 'host_ledger');
    const created = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'host_ledger'`);
    expect({ migrated: outcome?.ok === true ? outcome.applied.length : 0, tables: created[0]!.n }).toEqual({ migrated: 0, tables: 2 });
  });

  it('with a schema named twice: migrated once, the second a no-op, nothing else touched', async () => {
    const outcomes = await migrateAcademies(database.db, { schemas: ['academy_twice', 'academy_twice'] });
    expect(outcomes).toEqual([
      { ok: true, schema: 'academy_twice', applied: MIGRATIONS.map((m) => m.name) },
      { ok: true, schema: 'academy_twice', applied: [] },
    ]);
  });
});

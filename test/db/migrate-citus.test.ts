/**
 * `migrate` on Citus (the `citus` project only; skipped everywhere else): each academy
 * schema becomes one tenant of schema-based sharding, every one of its tables — ours,
 * the migrations' record and any table the host keeps there — distributed together,
 * so a move or a query never finds part of an academy left on the coordinator.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createScheduler } from '../../src';
import { migrate, migrationStatus } from '../../src/migrate';
import { onCitus, useTestDatabase } from '../support/database';
import { seedAcademyIn, insertSessionIn } from '../support/academy-in-schema';
import { adminOf } from '../support/actors';

describe.skipIf(!onCitus())('migrate on Citus', () => {
  const database = useTestDatabase();

  /** Every table of `schema`, with the colocation group Citus keeps it in (null: a local table, not distributed). */
  async function tablesOf(schema: string) {
    return database.query<{ name: string; colocation: number | null; tenant: number | null }>(
      sql`SELECT c.relname AS name, p.colocationid AS colocation,
                 (SELECT d.colocationid FROM pg_dist_schema d WHERE d.schemaid = c.relnamespace) AS tenant
          FROM pg_class c LEFT JOIN pg_dist_partition p ON p.logicalrelid = c.oid
          WHERE c.relnamespace = ${schema}::regnamespace AND c.relkind IN ('r', 'p')
          ORDER BY c.relname`,
    );
  }

  function expectOneTenant(tables: Array<{ name: string; colocation: number | null; tenant: number | null }>) {
    expect(tables.length).toBeGreaterThan(20);
    expect(
      tables.filter((t) => t.colocation === null).map((t) => t.name),
      'tables left local',
    ).toEqual([]);
    expect(new Set(tables.map((t) => t.tenant)).size, 'one tenant').toBe(1);
    expect(
      tables.filter((t) => t.colocation !== t.tenant).map((t) => t.name),
      "tables outside the schema's colocation group",
    ).toEqual([]);
  }

  it('a new academy is one tenant: every table, the migrations record too, distributed together', async () => {
    await migrate(database.db, { schema: 'citus_new_academy' });
    expectOneTenant(await tablesOf('citus_new_academy'));
    expect(await tablesOf('citus_new_academy')).toContainEqual(expect.objectContaining({ name: 'schema_migrations' }));
  });

  it('a schema made before Citus, with a table of the host in it, is distributed whole, rows kept', async () => {
    const schema = 'citus_made_before';
    // As before Citus: schema-based sharding off, so the schema and its tables stay local.
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL citus.enable_schema_based_sharding = off`);
      await tx.execute(sql.raw(`CREATE SCHEMA ${schema}`));
      await tx.execute(sql.raw(`CREATE TABLE ${schema}.host_notes (id bigint PRIMARY KEY, note text NOT NULL)`));
      await tx.execute(sql.raw(`INSERT INTO ${schema}.host_notes VALUES (1, 'kept by the host')`));
    });
    expect((await tablesOf(schema)).map((t) => [t.name, t.colocation, t.tenant])).toEqual([['host_notes', null, null]]);

    const { applied } = await migrate(database.db, { schema });
    expect(applied.length).toBeGreaterThan(5);
    const tables = await tablesOf(schema);
    expect(tables.map((t) => t.name)).toContain('host_notes');
    expectOneTenant(tables);
    expect(await database.query(sql.raw(`SELECT id::int, note FROM ${schema}.host_notes`))).toEqual([{ id: 1, note: 'kept by the host' }]);
    expect((await migrationStatus(database.db, { schema })).pending).toEqual([]);
    // And the academy works: a booking through the coordinator.
    const academy = await seedAcademyIn(database.db, schema, { students: 1 });
    const session = await insertSessionIn(database.db, schema, academy, { instructorId: null });
    const outcome = await createScheduler({ db: database.db, schema }).bookings.book(adminOf(academy), {
      sessionId: session.id,
      studentId: academy.studentIds[0]!,
    });
    expect(outcome.outcome).toBe('confirmed');
    // A second migrate changes nothing.
    expect(await migrate(database.db, { schema })).toEqual({ applied: [] });
    expectOneTenant(await tablesOf(schema));
  });

  it('a schema made before Citus that Citus cannot distribute (a foreign key to another schema): migrate fails, changing nothing', async () => {
    const schema = 'citus_made_before_tied';
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL citus.enable_schema_based_sharding = off`);
      await tx.execute(sql.raw(`CREATE TABLE public.host_owners (id bigint PRIMARY KEY)`));
      await tx.execute(sql.raw(`CREATE SCHEMA ${schema}`));
      await tx.execute(sql.raw(`CREATE TABLE ${schema}.host_notes (id bigint PRIMARY KEY, owner_id bigint REFERENCES public.host_owners (id))`));
    });
    const error = await migrate(database.db, { schema }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    console.info(`[migrate on Citus] refused: ${(error as Error).message}`);
    expect((await tablesOf(schema)).map((t) => [t.name, t.colocation, t.tenant])).toEqual([['host_notes', null, null]]);
  });
});

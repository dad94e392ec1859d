// migrate() and migrationStatus() for one academy schema; the entry is index.ts.
import { sql } from 'drizzle-orm';
import { SchedulingError } from '../errors';
import { type AnyPgDatabase, queryRows } from '../db/query';
import { toSchedulingError } from '../db/database-errors';
import { MIGRATIONS } from './migrations.generated';
import type { Migration } from './types';
import { DEFAULT_ACADEMY_SCHEMA, parseAcademySchemaName, quoteIdentifier } from '../db/academy-schema-name';
import { sqlForSchema } from './academy-schema';
import { isCitusDatabase } from '../db/citus-detect';

/** Which academy schema a call works on. */
export interface AcademySchemaOption {
  /** The academy's PostgreSQL schema (default `scheduling`): lower-case letters, digits and `_`. */
  schema?: string;
}

/** The schema an option names, validated (`INVALID_INPUT` at `schema`). */
function schemaOf(options: AcademySchemaOption | undefined): string {
  return options?.schema === undefined ? DEFAULT_ACADEMY_SCHEMA : parseAcademySchemaName(options.schema);
}

/**
 * The transaction-level advisory lock that serializes migrations of one schema. The
 * `scheduling` schema keeps the constant key earlier versions took, so an older
 * process upgrading it at the same time still waits; other schemas lock a key hashed
 * from their name.
 *
 * @internal
 */
export function migrationLock(schema: string) {
  return schema === DEFAULT_ACADEMY_SCHEMA
    ? sql`SELECT pg_advisory_xact_lock(4182330517214)`
    : sql`SELECT pg_advisory_xact_lock(hashtextextended(${`academy-scheduling migrations ${schema}`}, 0))`;
}

const BREAKPOINT = '--> statement-breakpoint';

/**
 * The statements of a migration, as a host's own migration tool would run them, for
 * the academy schema `options.schema` (default `scheduling`).
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { MIGRATIONS, migrationStatements } from 'academy-scheduling/migrate';
 *
 * const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
 * await client.connect();
 * for (const m of MIGRATIONS) for (const statement of migrationStatements(m)) await client.query(statement);
 * ```
 */
export function migrationStatements(migration: Migration, options?: AcademySchemaOption): string[] {
  return sqlForSchema(migration.sql, schemaOf(options))
    .split(BREAKPOINT)
    .map((statement) => statement.trim())
    .filter((statement) => statement.replace(/^--.*$/gm, '').trim().length > 0);
}

export interface AppliedMigration {
  id: number;
  name: string;
  checksum: string;
  appliedAt: Date;
}

export interface MigrationStatusReport {
  applied: AppliedMigration[];
  pending: Array<{ id: number; name: string }>;
  /** True when every migration this version knows is applied. */
  upToDate: boolean;
}

interface TrackingRow {
  id: number;
  name: string;
  checksum: string;
  applied_at: Date | string;
}

/** `<schema>.schema_migrations`, quoted. */
const trackingTable = (schema: string) => sql.raw(`${quoteIdentifier(schema)}.schema_migrations`);

async function readApplied(db: AnyPgDatabase, schema: string): Promise<AppliedMigration[]> {
  const exists = await queryRows<{ t: string | null }>(db, sql`SELECT to_regclass(${`${quoteIdentifier(schema)}.schema_migrations`})::text AS t`);
  if (!exists[0]?.t) return [];
  const rows = await queryRows<TrackingRow>(db, sql`SELECT id, name, checksum, applied_at FROM ${trackingTable(schema)} ORDER BY id`);
  return rows.map((row) => ({
    id: Number(row.id),
    name: row.name,
    checksum: row.checksum,
    appliedAt: new Date(row.applied_at),
  }));
}

function assertCompatible(applied: AppliedMigration[], schema: string): void {
  const newest = MIGRATIONS[MIGRATIONS.length - 1]?.id ?? 0;
  const unknown = applied.filter((m) => m.id > newest);
  if (unknown.length > 0) {
    throw new SchedulingError(
      'SCHEMA_TOO_NEW',
      `The schema ${schema} was migrated by a newer academy-scheduling (migration ${unknown.map((m) => m.name).join(', ')}); upgrade the package`,
      { unknownMigrations: unknown.map((m) => m.name), schema },
    );
  }
  for (const row of applied) {
    const known = MIGRATIONS.find((m) => m.id === row.id);
    if (known && known.checksum !== row.checksum) {
      throw new SchedulingError('MIGRATION_CHECKSUM_MISMATCH', `Migration ${row.name} in the schema ${schema} differs from ${known.name} in this package`, {
        migration: row.name,
        schema,
        expected: known.checksum,
        actual: row.checksum,
      });
    }
  }
}

/**
 * Which migrations are applied and which are pending in the academy schema
 * `options.schema` (default `scheduling`). Read-only.
 *
 * @example
 * ```ts
 * import { migrationStatus } from 'academy-scheduling/migrate';
 * const { upToDate, pending } = await migrationStatus(db);
 * if (!upToDate) console.log('pending:', pending.map((m) => m.name));
 * ```
 */
export async function migrationStatus(db: AnyPgDatabase, options?: AcademySchemaOption): Promise<MigrationStatusReport> {
  const schema = schemaOf(options);
  try {
    const applied = await readApplied(db, schema);
    assertCompatible(applied, schema);
    const done = new Set(applied.map((m) => m.id));
    const pending = MIGRATIONS.filter((m) => !done.has(m.id)).map(({ id, name }) => ({ id, name }));
    return { applied, pending, upToDate: pending.length === 0 };
  } catch (error) {
    throw toSchedulingError(error);
  }
}

export interface MigrateResult {
  /** Names of the migrations this call applied (empty when already up to date). */
  applied: string[];
}

/**
 * Creates or brings up to date the academy schema `options.schema` (default
 * `scheduling`), in one transaction under that schema's advisory lock. Safe to call on
 * every start-up and from many processes at once. Nothing it creates refers to
 * another schema.
 *
 * @example
 * ```ts
 * import { migrate } from 'academy-scheduling/migrate';
 * await migrate(db); // { applied: ['0000_tables', '0001_triggers', ...] } the first time, then { applied: [] }
 * ```
 */
export async function migrate(db: AnyPgDatabase, options?: AcademySchemaOption): Promise<MigrateResult> {
  const schema = schemaOf(options);
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(migrationLock(schema));
      // `CREATE … IF NOT EXISTS` of what exists already says so in a NOTICE, on every
      // start (postgres.js prints each one). Quiet for this transaction only: the
      // setting is transaction-local and put back below, so a host's own transaction
      // (`migrate(tx)`) keeps its level afterwards.
      const [level] = await queryRows<{ level: string }>(
        tx,
        sql`SELECT current_setting('client_min_messages') AS level, set_config('client_min_messages', 'warning', true)`,
      );
      const citus = await isCitusDatabase(tx);
      if (citus) {
        // Each academy's schema is one tenant of Citus schema-based sharding: created with
        // this on, its tables are placed together on one worker, so its triggers, row locks
        // and foreign keys never cross nodes. Our triggers are written for that (they touch
        // only their own schema), which is what Citus asks `enable_unsafe_triggers` to confirm.
        await tx.execute(sql`SELECT set_config('citus.enable_schema_based_sharding', 'on', true), set_config('citus.enable_unsafe_triggers', 'on', true)`);
        // A schema that exists but is no tenant yet (made before Citus) is distributed
        // first, whole, with any table the host keeps there. Not after: with schema-based
        // sharding on, `CREATE SCHEMA IF NOT EXISTS` below makes an existing schema a
        // tenant without distributing the tables already in it (Citus 13.2), and they
        // stayed local on the coordinator.
        await tx.execute(
          sql`SELECT citus_schema_distribute(n.oid::regnamespace) FROM pg_catalog.pg_namespace n
              WHERE n.nspname = ${schema} AND NOT EXISTS (SELECT 1 FROM pg_dist_schema d WHERE d.schemaid = n.oid)`,
        );
      }
      await tx.execute(sql.raw(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`));
      await tx.execute(sql`
        CREATE TABLE IF NOT EXISTS ${trackingTable(schema)} (
          id integer PRIMARY KEY,
          name text NOT NULL,
          checksum text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`);
      const applied = await readApplied(tx, schema);
      assertCompatible(applied, schema);
      const done = new Set(applied.map((m) => m.id));
      const names: string[] = [];
      for (const migration of MIGRATIONS) {
        if (done.has(migration.id)) continue;
        for (const statement of migrationStatements(migration, { schema })) {
          await tx.execute(sql.raw(statement));
        }
        await tx.execute(sql`INSERT INTO ${trackingTable(schema)} (id, name, checksum) VALUES (${migration.id}, ${migration.name}, ${migration.checksum})`);
        names.push(migration.name);
      }
      await tx.execute(sql`SELECT set_config('client_min_messages', ${level?.level ?? 'notice'}, true)`);
      return { applied: names };
    });
  } catch (error) {
    throw toSchedulingError(error);
  }
}

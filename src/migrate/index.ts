/**
 * `academy-scheduling/migrate`: installs and upgrades the `scheduling` schema in the
 * host's database.
 *
 * - Its own tracking table, `scheduling.schema_migrations` (never the host's
 *   `drizzle.__drizzle_migrations`), with a checksum per migration.
 * - One transaction holding a transaction-level advisory lock: N processes migrating
 *   at once is safe, and a failure leaves nothing half-applied.
 * - A no-op when up to date; refuses a database migrated by a newer version.
 */
import { sql } from 'drizzle-orm';
import { SchedulingError } from '../errors';
import { type AnyPgDatabase, queryRows } from '../db/query';
import { toSchedulingError } from '../db/database-errors';
import { MIGRATIONS } from './migrations.generated';
import type { Migration } from './types';

export type { Migration } from './types';
export { MIGRATIONS } from './migrations.generated';

/** Arbitrary constant key for pg_advisory_xact_lock ("academy-scheduling" migrations). */
const MIGRATION_LOCK_KEY = sql.raw('4182330517214');

const BREAKPOINT = '--> statement-breakpoint';

/**
 * The statements of a migration, as a host's own migration tool would run them.
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
export function migrationStatements(migration: Migration): string[] {
  return migration.sql
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

async function readApplied(db: AnyPgDatabase): Promise<AppliedMigration[]> {
  const exists = await queryRows<{ t: string | null }>(db, sql`SELECT to_regclass('scheduling.schema_migrations')::text AS t`);
  if (!exists[0]?.t) return [];
  const rows = await queryRows<TrackingRow>(db, sql`SELECT id, name, checksum, applied_at FROM scheduling.schema_migrations ORDER BY id`);
  return rows.map((row) => ({
    id: Number(row.id),
    name: row.name,
    checksum: row.checksum,
    appliedAt: new Date(row.applied_at),
  }));
}

function assertCompatible(applied: AppliedMigration[]): void {
  const newest = MIGRATIONS[MIGRATIONS.length - 1]?.id ?? 0;
  const unknown = applied.filter((m) => m.id > newest);
  if (unknown.length > 0) {
    throw new SchedulingError(
      'SCHEMA_TOO_NEW',
      `The database was migrated by a newer academy-scheduling (migration ${unknown.map((m) => m.name).join(', ')}); upgrade the package`,
      { unknownMigrations: unknown.map((m) => m.name) },
    );
  }
  for (const row of applied) {
    const known = MIGRATIONS.find((m) => m.id === row.id);
    if (known && known.checksum !== row.checksum) {
      throw new SchedulingError('MIGRATION_CHECKSUM_MISMATCH', `Migration ${row.name} in the database differs from ${known.name} in this package`, {
        migration: row.name,
        expected: known.checksum,
        actual: row.checksum,
      });
    }
  }
}

/**
 * Which migrations are applied and which are pending. Read-only.
 *
 * @example
 * ```ts
 * import { migrationStatus } from 'academy-scheduling/migrate';
 * const { upToDate, pending } = await migrationStatus(db);
 * if (!upToDate) console.log('pending:', pending.map((m) => m.name));
 * ```
 */
export async function migrationStatus(db: AnyPgDatabase): Promise<MigrationStatusReport> {
  try {
    const applied = await readApplied(db);
    assertCompatible(applied);
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
 * Brings the `scheduling` schema up to date, in one transaction under an advisory
 * lock. Safe to call on every start-up and from many processes at once.
 *
 * @example
 * ```ts
 * import { migrate } from 'academy-scheduling/migrate';
 * await migrate(db); // { applied: ['0000_tables', '0001_triggers', ...] } the first time, then { applied: [] }
 * ```
 */
export async function migrate(db: AnyPgDatabase): Promise<MigrateResult> {
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
      // `CREATE … IF NOT EXISTS` of what exists already says so in a NOTICE, on every
      // start (postgres.js prints each one). Quiet for this transaction only: the
      // setting is transaction-local and put back below, so a host's own transaction
      // (`migrate(tx)`) keeps its level afterwards.
      const [level] = await queryRows<{ level: string }>(
        tx,
        sql`SELECT current_setting('client_min_messages') AS level, set_config('client_min_messages', 'warning', true)`,
      );
      await tx.execute(sql`CREATE SCHEMA IF NOT EXISTS scheduling`);
      await tx.execute(sql`
        CREATE TABLE IF NOT EXISTS scheduling.schema_migrations (
          id integer PRIMARY KEY,
          name text NOT NULL,
          checksum text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`);
      const applied = await readApplied(tx);
      assertCompatible(applied);
      const done = new Set(applied.map((m) => m.id));
      const names: string[] = [];
      for (const migration of MIGRATIONS) {
        if (done.has(migration.id)) continue;
        for (const statement of migrationStatements(migration)) {
          await tx.execute(sql.raw(statement));
        }
        await tx.execute(sql`INSERT INTO scheduling.schema_migrations (id, name, checksum) VALUES (${migration.id}, ${migration.name}, ${migration.checksum})`);
        names.push(migration.name);
      }
      await tx.execute(sql`SELECT set_config('client_min_messages', ${level?.level ?? 'notice'}, true)`);
      return { applied: names };
    });
  } catch (error) {
    throw toSchedulingError(error);
  }
}

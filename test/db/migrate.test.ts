import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { isSchedulingError } from '../../src/errors';
import { MIGRATIONS, migrate, migrationStatements, migrationStatus } from '../../src/migrate';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/query';
import { currentTarget, rolledBack, useTestDatabase } from '../support/database';
import { RUN_PREFIX, databaseUrlFor, dropDatabase } from '../support/server';
import { errorOf } from '../support/refusals';
// @ts-expect-error -- a plain .mjs build script without types
import { readMigrations, renderModule } from '../../scripts/embed-migrations.mjs';

const database = useTestDatabase();

describe('migrate()', () => {
  it('the embedded SQL module matches drizzle/ (run `npm run build` after changing a migration)', () => {
    const current = readFileSync(new URL('../../src/migrate/migrations.generated.ts', import.meta.url), 'utf8');
    expect(current).toBe(renderModule(readMigrations()));
  });

  it('exports the migrations as data, split into statements, for hosts with their own tool', () => {
    expect(MIGRATIONS.map((m) => m.name)).toEqual([
      '0000_tables',
      '0001_triggers',
      '0002_schema_evolution',
      '0003_performance_and_waitlist_guards',
      '0004_direct_booking',
      '0005_session_creation',
      '0006_every_write_path',
      '0007_citus',
      '0008_citus_hold_placement',
      '0009_change_events',
      '0010_calendar_feeds',
    ]);
    for (const m of MIGRATIONS) {
      const statements = migrationStatements(m);
      expect(statements.length).toBeGreaterThan(0);
      expect(statements.every((s) => !s.includes('statement-breakpoint'))).toBe(true);
    }
  });

  it('is a no-op on an up-to-date database, twice', async () => {
    expect(await migrate(database.db)).toEqual({ applied: [] });
    expect(await migrate(database.db)).toEqual({ applied: [] });
    const status = await migrationStatus(database.db);
    expect(status.upToDate).toBe(true);
    expect(status.pending).toEqual([]);
    expect(status.applied.map((m) => [m.id, m.name, m.checksum])).toEqual(MIGRATIONS.map((m) => [m.id, m.name, m.checksum]));
  });

  it('refuses a database migrated by a newer version (SCHEMA_TOO_NEW) and changes nothing', async () => {
    await database.query(`INSERT INTO scheduling.schema_migrations (id, name, checksum) VALUES (999, '0998_from_the_future', 'x')`);
    try {
      const error = await errorOf(() => migrate(database.db));
      expect(isSchedulingError(error, 'SCHEMA_TOO_NEW')).toBe(true);
      expect((error as { details: unknown }).details).toEqual({ unknownMigrations: ['0998_from_the_future'], schema: 'scheduling' });
      expect(isSchedulingError(await errorOf(() => migrationStatus(database.db)), 'SCHEMA_TOO_NEW')).toBe(true);
    } finally {
      await database.query(`DELETE FROM scheduling.schema_migrations WHERE id = 999`);
    }
  });

  it('refuses when an applied migration differs from this package (checksum)', async () => {
    await database.query(`UPDATE scheduling.schema_migrations SET checksum = 'tampered' WHERE id = 2`);
    try {
      const error = await errorOf(() => migrate(database.db));
      expect(isSchedulingError(error, 'MIGRATION_CHECKSUM_MISMATCH')).toBe(true);
    } finally {
      await database.query(`UPDATE scheduling.schema_migrations SET checksum = '${MIGRATIONS[1]!.checksum}' WHERE id = 2`);
    }
  });
});

describe('migrate() is quiet', () => {
  it("puts the host's client_min_messages back when it runs in the host's transaction", async () => {
    const levels = await rolledBack(database.db, async (tx) => {
      await tx.execute(sql`SET LOCAL client_min_messages = 'log'`);
      await migrate(tx);
      return queryRows<{ level: string }>(tx, sql`SELECT current_setting('client_min_messages') AS level`);
    });
    expect(levels).toEqual([{ level: 'log' }]);
  });

  // postgres.js prints every NOTICE unless told otherwise; `CREATE … IF NOT EXISTS` sends one for what exists.
  it.runIf(currentTarget() === 'postgres')('sends no NOTICE on postgres.js, on an empty database nor on an up-to-date one', async () => {
    const name = `${RUN_PREFIX}_notices_${Math.random().toString(36).slice(2, 10)}`;
    const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    await admin.end();
    const notices: string[] = [];
    const client = postgres(databaseUrlFor(name), { max: 1, onnotice: (notice) => notices.push(String(notice.message)) });
    try {
      const db = drizzle(client);
      expect((await migrate(db)).applied).toEqual(MIGRATIONS.map((m) => m.name));
      expect(await migrate(db)).toEqual({ applied: [] });
      // The level is back to the server's default afterwards.
      expect(await client`SELECT current_setting('client_min_messages') AS level`).toEqual([{ level: 'notice' }]);
      expect(notices).toEqual([]);
      // The capture works: a NOTICE outside migrate() is seen.
      await client`CREATE SCHEMA IF NOT EXISTS scheduling`;
      expect(notices).toEqual(['schema "scheduling" already exists, skipping']);
    } finally {
      await client.end();
      await dropDatabase(name);
    }
  });
});

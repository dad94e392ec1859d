/**
 * One fresh, migrated database per test file, on the target of the current project:
 * PGlite (from the snapshot) or the real server (from the template). Test files call
 * `useTestDatabase()` once at the top level.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, inject } from 'vitest';
import postgres from 'postgres';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { TransactionRollbackError, sql, type SQL } from 'drizzle-orm';
import * as schema from '../../src/schema';
import { createTestDatabase } from '../../src/testing';
import { queryRows } from '../../src/db/query';
import { createDatabaseFromTemplate, databaseUrlFor, dropDatabase } from './server';
import type { PgDatabase } from 'drizzle-orm/pg-core';

export type Target = 'pglite' | 'postgres';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TestDb = PgDatabase<any, typeof schema, any>;

/** Which driver the harness connects with: the same suite proves each one. */
export type Driver = 'pglite' | 'postgres-js' | 'node-postgres';

export interface TestDatabase {
  target: Target;
  driver: Driver;
  db: TestDb;
  /** Runs raw SQL (one statement) and returns its rows. */
  query<T = Record<string, unknown>>(text: string | SQL): Promise<T[]>;
  /** For the real server: the URL of this file's database, to open more connections. */
  url?: string;
}

export function currentTarget(): Target {
  return process.env.TEST_DB_TARGET === 'postgres' ? 'postgres' : 'pglite';
}

/** True in the Citus tier (the `citus` and `citus-concurrency` projects): the server is a Citus coordinator. */
export function onCitus(): boolean {
  return process.env.TEST_DB_CLUSTER === 'citus';
}

/**
 * What docs/scale-out.md asks of a host's own transaction on Citus before COMMIT: the
 * checks deferred to commit, run on the academy's worker (at COMMIT their refusal would
 * arrive as XX000, its SQLSTATE lost). Nothing elsewhere.
 */
export async function checkDeferredOnCitus(tx: { execute: (query: SQL) => Promise<unknown> }): Promise<void> {
  if (onCitus()) await tx.execute(sql.raw(CHECK_DEFERRED_SQL));
}

/**
 * The statement of `checkDeferredOnCitus`, as text for a raw client (postgres.js
 * `tx.unsafe`): the `scheduling` academy's deferred checks, run on its worker.
 */
export const CHECK_DEFERRED_SQL = 'SELECT scheduling.check_deferred_now() FROM (SELECT count(*) FROM (SELECT 1 FROM scheduling.sessions LIMIT 1) one) anchored';

export function currentDriver(): Driver {
  if (currentTarget() === 'pglite') return 'pglite';
  return process.env.TEST_DB_DRIVER === 'node-postgres' ? 'node-postgres' : 'postgres-js';
}

/** Opens this file's database before its tests and closes (and drops) it after. */
export function useTestDatabase(): TestDatabase {
  const handle = {} as TestDatabase;
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const opened = await openTestDatabase();
    Object.assign(handle, opened.database);
    close = opened.close;
  });
  afterAll(async () => close());
  return handle;
}

export async function openTestDatabase(): Promise<{ database: TestDatabase; close: () => Promise<void> }> {
  const target = currentTarget();
  if (target === 'postgres') {
    const name = await createDatabaseFromTemplate(inject('templateDatabase'));
    const url = databaseUrlFor(name);
    const driver = currentDriver();
    let db: TestDb;
    let end: () => Promise<void>;
    if (driver === 'node-postgres') {
      const pool = new pg.Pool({ connectionString: url, max: 4 });
      db = drizzleNodePostgres(pool, { schema });
      end = () => pool.end();
    } else {
      const client = postgres(url, { max: 4, onnotice: () => {} });
      db = drizzlePostgres(client, { schema });
      end = () => client.end();
    }
    return {
      database: { target, driver, db, url, query: (text) => queryRows(db, typeof text === 'string' ? sql.raw(text) : text) },
      close: async () => {
        await end();
        await dropDatabase(name);
      },
    };
  }
  // The file's bytes as they are: a Blob around them would only add a copy and a slow read.
  const { db, close } = await createTestDatabase({ snapshot: readFileSync(inject('pgliteSnapshotPath')) });
  return {
    database: { target, driver: 'pglite', db, query: (text) => queryRows(db, typeof text === 'string' ? sql.raw(text) : text) },
    close,
  };
}

/**
 * The same connection as the harness's database, through a Drizzle instance built
 * WITHOUT our schema (as a host may build it): `db.query` knows no tables.
 */
export function schemaLessDb(database: TestDatabase): TestDb {
  const client = (database.db as unknown as { $client: never }).$client;
  const build = { pglite: drizzlePglite, 'postgres-js': drizzlePostgres, 'node-postgres': drizzleNodePostgres }[database.driver] as (c: never) => unknown;
  return build(client) as TestDb;
}

/** Runs `work` in a transaction that is always rolled back afterwards; returns what `work` returned. */
export async function rolledBack<T>(db: TestDb, work: (tx: TestDb) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await db
    .transaction(async (tx) => {
      result = await work(tx as unknown as TestDb);
      tx.rollback();
    })
    .catch((error) => {
      if (!(error instanceof TransactionRollbackError)) throw error;
    });
  return result as T;
}

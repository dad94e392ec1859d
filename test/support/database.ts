/**
 * One fresh, migrated database per test file, on the target of the current project:
 * PGlite (from the snapshot) or the real server (from the template). Test files call
 * `useTestDatabase()` once at the top level.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, inject } from 'vitest';
import postgres from 'postgres';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { sql, type SQL } from 'drizzle-orm';
import * as schema from '../../src/schema';
import { createTestDatabase } from '../../src/testing';
import { queryRows } from '../../src/internal/db';
import { createDatabaseFromTemplate, databaseUrlFor, dropDatabase } from './server';
import type { PgDatabase } from 'drizzle-orm/pg-core';

export type Target = 'pglite' | 'postgres';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TestDb = PgDatabase<any, typeof schema, any>;

export interface TestDatabase {
  target: Target;
  db: TestDb;
  /** Runs raw SQL (one statement) and returns its rows. */
  query<T = Record<string, unknown>>(text: string | SQL): Promise<T[]>;
  /** For the real server: the URL of this file's database, to open more connections. */
  url?: string;
}

export function currentTarget(): Target {
  return process.env.TEST_DB_TARGET === 'postgres' ? 'postgres' : 'pglite';
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
    const client = postgres(url, { max: 4, onnotice: () => {} });
    const db = drizzlePostgres(client, { schema });
    return {
      database: { target, db, url, query: (text) => queryRows(db, typeof text === 'string' ? sql.raw(text) : text) },
      close: async () => {
        await client.end();
        await dropDatabase(name);
      },
    };
  }
  const snapshot = new Blob([readFileSync(inject('pgliteSnapshotPath'))]);
  const { db, close } = await createTestDatabase({ snapshot });
  return {
    database: { target, db, query: (text) => queryRows(db, typeof text === 'string' ? sql.raw(text) : text) },
    close,
  };
}

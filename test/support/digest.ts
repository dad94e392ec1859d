/** Proof that a refused call wrote nothing: a digest of every row of every table. */
import { expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { type SchedulingError, isSchedulingError } from '../../src/errors';
import { queryRows } from '../../src/db/query';
import type { TestDb } from './database';
import { errorOf } from './fixtures';

/** md5 of every row of every table in the scheduling schema, one line per table. */
export async function databaseDigest(db: TestDb): Promise<string> {
  const tables = await queryRows<{ name: string }>(db, sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'scheduling' ORDER BY tablename`);
  const parts = tables
    .map((t) => `SELECT '${t.name}' AS t, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS h FROM scheduling."${t.name}" x`)
    .join(' UNION ALL ');
  const [row] = await queryRows<{ d: string }>(db, sql.raw(`SELECT string_agg(t || ':' || h, ',' ORDER BY t) AS d FROM (${parts}) q`));
  return String(row!.d);
}

/**
 * Runs a call that must be refused: asserts it throws a SchedulingError and that the
 * database is byte-for-byte unchanged afterwards, and returns the error.
 */
export async function refusedUnchanged(db: TestDb, fn: () => Promise<unknown>): Promise<SchedulingError> {
  const before = await databaseDigest(db);
  const error = await errorOf(fn);
  expect(isSchedulingError(error)).toBe(true);
  expect(await databaseDigest(db)).toBe(before);
  return error as SchedulingError;
}

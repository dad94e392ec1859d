/** A fingerprint of the whole database, to prove a call wrote nothing (see refusals.ts). */
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/query';
import type { TestDb } from './database';

/** md5 of every row of every table in the academy schema `schema` (default `scheduling`), one line per table. */
export async function databaseDigest(db: TestDb, schema = 'scheduling'): Promise<string> {
  const tables = await queryRows<{ name: string }>(db, sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = ${schema} ORDER BY tablename`);
  const parts = tables
    .map((t) => `SELECT '${t.name}' AS t, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS h FROM "${schema}"."${t.name}" x`)
    .join(' UNION ALL ');
  const [row] = await queryRows<{ d: string }>(db, sql.raw(`SELECT string_agg(t || ':' || h, ',' ORDER BY t) AS d FROM (${parts}) q`));
  return String(row!.d);
}

import type { PgDatabase } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';

/**
 * Any Drizzle PostgreSQL database or transaction the host built: postgres.js,
 * node-postgres, PGlite, … We never open connections ourselves.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPgDatabase = PgDatabase<any, any, any>;

/**
 * `db.execute()` returns an array on postgres.js and `{ rows }` on node-postgres and
 * PGlite; this gives the rows either way.
 */
export async function queryRows<T = Record<string, unknown>>(db: AnyPgDatabase, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

import type { PgDatabase } from 'drizzle-orm/pg-core';
import { type SQL, type Table, getTableColumns } from 'drizzle-orm';

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

/**
 * Rows of `table`'s type produced by raw SQL — a function returning `SETOF table`, an
 * `INSERT … RETURNING *` — read exactly as a Drizzle select reads a table: the SQL
 * becomes a CTE, its columns are named one by one, and rows come back positionally,
 * each value decoded by its column. So a driver's key transform (postgres.js
 * `transform: postgres.camel`) cannot rename anything, and a column added to the
 * table later does not change the statement's result type (a prepared statement
 * would fail with "cached plan must not change result type").
 *
 * @example
 * ```ts
 * const [booking] = await queryTableRows(tx, sessionBookings, sql`SELECT * FROM scheduling.write_confirmed_booking(…)`);
 * ```
 */
export async function queryTableRows<T extends Table>(db: AnyPgDatabase, table: T, source: SQL): Promise<Array<T['$inferSelect']>> {
  const written = db.$with('written', getTableColumns(table)).as(source);
  // The generic table type hides from Drizzle's types that the selection is not empty.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (await db.with(written).select().from(written as any)) as Array<T['$inferSelect']>;
}

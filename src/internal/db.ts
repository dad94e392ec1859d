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
 * Rows of `table`'s type returned by raw SQL (say, a function returning
 * `SETOF table`), decoded exactly as a Drizzle select decodes them: each column's
 * own `mapFromDriverValue` (the drivers hand dates and numerics over as text in both
 * cases), keyed by property name.
 *
 * @example
 * ```ts
 * const [booking] = await queryTableRows(tx, sessionBookings, sql`SELECT * FROM scheduling.write_confirmed_booking(…)`);
 * ```
 */
export async function queryTableRows<T extends Table>(db: AnyPgDatabase, table: T, query: SQL): Promise<Array<T['$inferSelect']>> {
  const columns = Object.entries(getTableColumns(table));
  return (await queryRows(db, query)).map((raw) => {
    const row: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = raw[column.name];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as T['$inferSelect'];
  });
}

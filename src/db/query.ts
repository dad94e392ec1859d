import type { PgDatabase } from 'drizzle-orm/pg-core';
import { type Column, type SQL, type Table, getTableColumns, sql } from 'drizzle-orm';
import { executeWithFields, internalsOf } from './drizzle-internals';

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

/** What reading rows of a table back by position needs, built once per table. */
interface ReadBack {
  /** `SELECT "written"."id", … FROM "written"`: every column, by name, in the table's order. */
  select: SQL;
  /** The columns in that order, as Drizzle's result mapping takes them. */
  fields: Array<{ path: string[]; field: Column }>;
}

const readBacks = new WeakMap<Table, ReadBack>();

function readBackOf(table: Table): ReadBack {
  let readBack = readBacks.get(table);
  if (!readBack) {
    const columns = Object.entries(getTableColumns(table));
    const names = columns.map(([, column]) => `"written"."${column.name}"`).join(', ');
    readBack = { select: sql.raw(`SELECT ${names} FROM "written"`), fields: columns.map(([key, column]) => ({ path: [key], field: column })) };
    readBacks.set(table, readBack);
  }
  return readBack;
}

/**
 * Rows of `table`'s type produced by raw SQL — a function returning `SETOF table`, an
 * `INSERT … RETURNING *` — read exactly as a Drizzle select reads a table: the SQL
 * becomes a CTE, its columns are named one by one, and rows come back positionally
 * (array mode), each value decoded by its column. So a driver's key transform
 * (postgres.js `transform: postgres.camel`) cannot rename anything, and a column
 * added to the table later does not change the statement's result type (a prepared
 * statement would fail with "cached plan must not change result type"). The column
 * list is built once per table: building it through Drizzle's query builder on every
 * call cost more than a whole booking's other JavaScript.
 *
 * @internal
 */
export async function queryTableRows<T extends Table>(db: AnyPgDatabase, table: T, source: SQL): Promise<Array<T['$inferSelect']>> {
  const { select, fields } = readBackOf(table);
  return (await executeWithFields(internalsOf(db), sql`WITH "written" AS (${source}) ${select}`, fields)) as Array<T['$inferSelect']>;
}

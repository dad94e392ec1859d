import { PgDatabase } from 'drizzle-orm/pg-core';
import { createTableRelationsHelpers, extractTablesRelationalConfig } from 'drizzle-orm';
import * as schema from '../schema';
import type { AnyPgDatabase } from '../internal/db';

/** A Drizzle database or transaction that knows the scheduling schema, so `db.query.sessions…` works. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SchedulingDb = PgDatabase<any, typeof schema>;

const relationalSchema = (() => {
  const config = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
  return { fullSchema: schema, schema: config.tables, tableNamesMap: config.tableNamesMap };
})();

/**
 * The host's database (or transaction) as a `SchedulingDb`. Hosts may build their
 * Drizzle instance without our schema, and then `db.query` is empty; this wraps the
 * same dialect and session (same connection, same transaction) in a database that
 * has our tables and relations, so relational queries work on every driver.
 *
 * @example
 * ```ts
 * const session = await withSchedulingSchema(tx).query.sessions.findFirst({ with: { bookings: true } });
 * ```
 */
export function withSchedulingSchema(db: AnyPgDatabase): SchedulingDb {
  const known = (db as unknown as { query?: Record<string, unknown> }).query;
  if (known && known.sessions && known.scheduleConflicts) return db as unknown as SchedulingDb;
  // `dialect` and `session` are internal fields that every PgDatabase and PgTransaction carries.
  const internals = db as unknown as { dialect: ConstructorParameters<typeof PgDatabase>[0]; session: ConstructorParameters<typeof PgDatabase>[1] };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return new PgDatabase(internals.dialect, internals.session, relationalSchema as any) as SchedulingDb;
}

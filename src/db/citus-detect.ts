import { sql } from 'drizzle-orm';
import { type AnyPgDatabase, queryRows } from './query';

/**
 * Whether `db` is a Citus database (the extension is installed; clients talk to its
 * coordinator). What changes there: docs/scale-out.md.
 *
 * @internal
 */
export async function isCitusDatabase(db: AnyPgDatabase): Promise<boolean> {
  const [row] = await queryRows<{ citus: boolean }>(db, sql`SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus') AS citus`);
  return row?.citus === true;
}

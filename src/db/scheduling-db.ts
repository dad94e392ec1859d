import type { PgDatabase } from 'drizzle-orm/pg-core';
import { createTableRelationsHelpers, extractTablesRelationalConfig } from 'drizzle-orm';
import { type DrizzleSession, derivedDatabase, internalsOf, namingStatements, relationalDatabase, withoutQueryCache } from './drizzle-internals';
import * as schema from '../schema/unqualified';
import type { AnyPgDatabase } from './query';
import { DEFAULT_ACADEMY_SCHEMA } from './academy-schema-name';

/** A Drizzle database or transaction that knows the scheduling schema, so `db.query.sessions…` works. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SchedulingDb = PgDatabase<any, typeof schema>;

type RelationalSchema = {
  fullSchema: typeof schema;
  schema: ReturnType<typeof extractTablesRelationalConfig>['tables'];
  tableNamesMap: Record<string, string>;
};
let relationalSchemaBuilt: RelationalSchema | undefined;
/** The tables' relational config, built on the first relational query (about 3 ms at import otherwise, and most calls never need it). */
function relationalSchema(): RelationalSchema {
  if (!relationalSchemaBuilt) {
    const config = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
    relationalSchemaBuilt = { fullSchema: schema, schema: config.tables, tableNamesMap: config.tableNamesMap };
  }
  return relationalSchemaBuilt;
}

/**
 * The host's database (or transaction) as a `SchedulingDb`. Hosts may build their
 * Drizzle instance without our schema, and then `db.query` is empty; this returns an
 * object that inherits everything from the host's (same connection, same transaction,
 * and the driver's own `transaction()` for savepoints) but whose `query` knows our
 * tables and relations, so relational queries work on every driver.
 *
 * Inheriting matters: postgres.js fails a whole transaction when a statement fails
 * outside its own `savepoint()`, so nested work must go through the driver's
 * `transaction()`, never through plain `SAVEPOINT` statements.
 *
 * @internal
 */
export function withSchedulingSchema(db: AnyPgDatabase, academy: string = DEFAULT_ACADEMY_SCHEMA): SchedulingDb {
  const internals = internalsOf(db);
  // The cache first: the naming session calls prepareQuery with itself as `this`, so it must inherit the NoopCache.
  const session = preparingSession(withoutQueryCache(internals.session), academy);
  // Never the host's own `db.query`, even when it was built with our schema: its tables
  // name the `scheduling` schema, ours name none (the call's search_path is the academy's).
  // Built on first use: it makes a query builder per table, and most calls never need one.
  let relational: PgDatabase<never, typeof schema> | undefined;
  const relationalDb = () => (relational ??= relationalDatabase<typeof schema>({ dialect: internals.dialect, session }, relationalSchema()));
  const derived = derivedDatabase(db, session, relationalDb as () => PgDatabase<never, never>) as SchedulingDb;
  academyOf.set(derived, academy);
  return derived;
}

/** The academy schema each `SchedulingDb` works in, for the savepoints opened on it. */
const academyOf = new WeakMap<object, string>();

/**
 * Statements with more parameters than this stay unprepared: their text grows with an
 * id list (`IN ($1, $2, …)`), so each length would be one more statement that
 * postgres.js keeps for the life of the connection.
 */
const MAX_PREPARED_PARAMETERS = 20;

/**
 * Drizzle's postgres.js session runs a statement unprepared unless the query was given
 * a name, and postgres.js sends an unprepared statement with parameters in two round
 * trips (describe it, then run it). This session asks for the scheduler's statements
 * to be prepared, so postgres.js keeps them per connection and runs each in one round
 * trip from its second use on (a booking went from 8 writes to the server to 4). A
 * host that set `prepare: false` on its postgres.js client (behind PgBouncer in
 * transaction mode, say) still gets unprepared statements: postgres.js lets the client
 * option win. Other drivers are left as they are.
 *
 * The statements of an academy other than `scheduling` begin with an SQL comment that
 * holds the schema's name. The scheduler's SQL names no schema, so without it
 * every academy's statement would have the same text and postgres.js would prepare it
 * once per connection; PostgreSQL re-analyzes and re-plans a prepared statement
 * whenever the `search_path` differs from the one it was planned under, so a pool
 * serving many academies re-planned nearly every statement of every call (a booking
 * rush spread over 100 academies on one pool ran at 0.46x of one academy, steady state;
 * 0.92x with the comment). The cost: each connection keeps its statements once per
 * academy it serves.
 */
function preparingSession(session: DrizzleSession, schema: string): DrizzleSession {
  // The name only switches preparing on: postgres.js names and caches statements itself, by their text.
  return namingStatements(
    session,
    (params) => (params.length <= MAX_PREPARED_PARAMETERS ? 'academy-scheduling' : undefined),
    schema === DEFAULT_ACADEMY_SCHEMA ? '' : `/* ${schema} */ `,
  );
}

/**
 * Runs `work` in a savepoint of the current transaction, through the driver's nested
 * `transaction()`: if `work` fails, only its writes are rolled back and the error is
 * rethrown for the caller to handle; the outer transaction stays usable on every driver.
 *
 * @internal
 */
export function inSavepoint<T>(tx: SchedulingDb, work: (savepoint: SchedulingDb) => Promise<T>): Promise<T> {
  return tx.transaction((savepoint) => work(withSchedulingSchema(savepoint as unknown as AnyPgDatabase, academyOf.get(tx))));
}

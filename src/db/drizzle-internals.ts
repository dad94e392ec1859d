import { PgDatabase } from 'drizzle-orm/pg-core';
import { NoopCache } from 'drizzle-orm/cache/core';
import { type Column, type SQL, entityKind } from 'drizzle-orm';
import type { AnyPgDatabase } from './query';

/*
 * Every use of Drizzle's internals, in one file. Drizzle's public API does not cover
 * three things this library needs, so they are done here and nowhere else:
 *
 * 1. Relational queries (`db.query.sessions…`) on the host's own Drizzle instance,
 *    which may have been built without our schema: a second `PgDatabase` on the same
 *    dialect and session (scheduling-db.ts).
 * 2. Prepared statements on postgres.js, which Drizzle only asks for when a query is
 *    named: the session's `prepareQuery` wrapped to pass a name (scheduling-db.ts).
 * 3. Rows of a table returned by raw SQL (`SETOF table`, `RETURNING *`), decoded by
 *    column exactly as a select decodes them: the session's `prepareQuery` in array
 *    mode with our field list (query.ts).
 * 5. No query cache: a host's Drizzle may cache selects (`cache` with strategy 'all'),
 *    keyed by SQL text and parameters; the scheduler's SQL names no schema, so two
 *    academies' identical reads would share entries, and our reads must see our writes
 *    anyway. The session the scheduler runs on has the session's `cache` replaced
 *    (scheduling-db.ts).
 * 4. Telling a real Drizzle database from a look-alike a host passes as `db` or `{ tx }`:
 *    the class tags of it, its session and its dialect. That one lives in
 *    drizzle-kind.ts, which loads no drizzle-orm, so `createScheduler` can check `db`
 *    before any Drizzle module is loaded.
 *
 * What is used: every PgDatabase and PgTransaction has `dialect` and `session`
 * fields; a session has `prepareQuery(query, fields, name, arrayMode)`; sessions carry
 * Drizzle's `entityKind` class tag. The driver suites (PGlite, postgres.js,
 * node-postgres) and the packaging tests run against the Drizzle versions the peer
 * range allows; a Drizzle release that changes these fails there, in this file's callers.
 */

/** A Drizzle session, as `new PgDatabase` takes it. */
export type DrizzleSession = ConstructorParameters<typeof PgDatabase>[1];
/** A Drizzle PostgreSQL dialect, as `new PgDatabase` takes it. */
export type DrizzleDialect = ConstructorParameters<typeof PgDatabase>[0];

/** A prepared query of a Drizzle session. */
interface PreparedQuery {
  execute(): Promise<unknown>;
}

/** The internal fields of any Drizzle `PgDatabase` or `PgTransaction`. */
export interface DrizzleInternals {
  dialect: DrizzleDialect & { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: DrizzleSession;
}

/**
 * The dialect and session of a Drizzle database or transaction.
 *
 * @internal
 */
export function internalsOf(db: unknown): DrizzleInternals {
  return db as DrizzleInternals;
}

/**
 * A new `PgDatabase` on an existing dialect and session (same connection, same
 * transaction) whose relational `query` knows `relationalSchema`.
 *
 * @internal
 */
export function relationalDatabase<S extends Record<string, unknown>>(internals: DrizzleInternals, relationalSchema: unknown): PgDatabase<never, S> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return new PgDatabase(internals.dialect, internals.session, relationalSchema as any) as unknown as PgDatabase<never, S>;
}

/**
 * Runs SQL through the session in array mode, each value decoded by `fields`.
 *
 * @internal
 */
export async function executeWithFields(internals: DrizzleInternals, query: SQL, fields: ReadonlyArray<{ path: string[]; field: Column }>): Promise<unknown> {
  const compiled = internals.dialect.sqlToQuery(query);
  const prepare = internals.session.prepareQuery as unknown as (q: unknown, f: unknown, name: undefined, arrayMode: boolean) => PreparedQuery;
  return prepare.call(internals.session, compiled, fields, undefined, true).execute();
}

/** True for Drizzle's postgres.js session. */
function isPostgresJsSession(session: DrizzleSession): boolean {
  return (session.constructor as unknown as Record<symbol, unknown>)[entityKind] === 'PostgresJsSession';
}

/**
 * On postgres.js, a session that names the statements `nameFor` returns a name for
 * (which makes Drizzle prepare them); other drivers' sessions are returned unchanged.
 *
 * @internal
 */
export function namingStatements(session: DrizzleSession, nameFor: (params: readonly unknown[]) => string | undefined, textPrefix = ''): DrizzleSession {
  if (!isPostgresJsSession(session)) return session;
  const derived = Object.create(session) as DrizzleSession;
  const prepareQuery = session.prepareQuery as (...args: unknown[]) => unknown;
  Object.defineProperty(derived, 'prepareQuery', {
    value: (query: { sql: string; params: unknown[] }, fields: unknown, name: unknown, ...rest: unknown[]) =>
      prepareQuery.call(derived, textPrefix ? { ...query, sql: textPrefix + query.sql } : query, fields, name ?? nameFor(query.params), ...rest),
  });
  return derived;
}

/**
 * An object that inherits everything from `db` (same connection, same transaction, the
 * driver's own `transaction()`) but runs statements through `session` and answers
 * `query` (and Drizzle's `_`) from `relational()`.
 *
 * @internal
 */
export function derivedDatabase(db: AnyPgDatabase, session: DrizzleSession, relational: () => PgDatabase<never, never>): unknown {
  const derived = Object.create(db) as Record<string, unknown>;
  Object.defineProperty(derived, 'session', { value: session, enumerable: false });
  Object.defineProperty(derived, 'query', { get: () => relational().query, enumerable: true });
  Object.defineProperty(derived, '_', { get: () => relational()._, enumerable: false });
  return derived;
}

/**
 * The session with Drizzle's query cache switched off (a `NoopCache` in its `cache`
 * field, which every driver's `prepareQuery` reads), whatever cache the host configured.
 *
 * @internal
 */
export function withoutQueryCache(session: DrizzleSession): DrizzleSession {
  const cache = (session as unknown as { cache?: unknown }).cache;
  if (cache === undefined || cache instanceof NoopCache) return session;
  const derived = Object.create(session) as DrizzleSession;
  Object.defineProperty(derived, 'cache', { value: new NoopCache() });
  return derived;
}

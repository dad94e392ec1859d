import type { AnyPgDatabase } from './query';

/*
 * Drizzle's class tags, read without loading drizzle-orm. Drizzle tags each class with
 * a static `[Symbol.for('drizzle:entityKind')]` string and its own `is()` compares
 * those tags along the class chain, which also recognises classes from another copy of
 * drizzle-orm. This is the same comparison, kept apart from drizzle-internals.ts so
 * that `createScheduler` can validate `db` before any Drizzle module is loaded (the
 * package's entry loads no drizzle-orm; the scheduler's operations load it on first use).
 */
const ENTITY_KIND = Symbol.for('drizzle:entityKind');

/** True when `value`'s class, or a class it extends, carries Drizzle's tag `kind`. */
function isDrizzleEntity(value: unknown, kind: string): boolean {
  if (!value || typeof value !== 'object') return false;
  let cls = (Object.getPrototypeOf(value) as { constructor?: unknown } | null)?.constructor as Record<symbol, unknown> | null | undefined;
  while (cls) {
    if (ENTITY_KIND in cls && cls[ENTITY_KIND] === kind) return true;
    cls = Object.getPrototypeOf(cls) as Record<symbol, unknown> | null;
  }
  return false;
}

/**
 * True for a real Drizzle PostgreSQL database or transaction (postgres.js,
 * node-postgres, PGlite, … and their transactions: `PgTransaction` extends
 * `PgDatabase`), also one from another copy of drizzle-orm; its session and dialect
 * must be Drizzle's too. An object that merely has a `transaction` function is not
 * one. Never throws (a Proxy's trap that does is simply not a database).
 *
 * @internal
 */
export function isDrizzlePgDatabase(value: unknown): value is AnyPgDatabase {
  try {
    if (!isDrizzleEntity(value, 'PgDatabase')) return false;
    const internals = value as { session: unknown; dialect: unknown };
    return isDrizzleEntity(internals.session, 'PgSession') && isDrizzleEntity(internals.dialect, 'PgDialect');
  } catch {
    return false;
  }
}

/**
 * True for a Drizzle PostgreSQL transaction (or savepoint): a `PgTransaction`, which
 * holds one connection, unlike a database, which hands each transaction its own.
 *
 * @internal
 */
export function isDrizzlePgTransaction(value: unknown): boolean {
  try {
    return isDrizzleEntity(value, 'PgTransaction');
  } catch {
    return false;
  }
}

/** Calls that must fail: the error they throw, and proof that a refusal wrote nothing. */
import { expect } from 'vitest';
import { type SchedulingError, type SchedulingErrorCode, isSchedulingError } from '../../src/errors';
import type { TestDatabase, TestDb } from './database';
import { databaseDigest } from './digest';

/** Runs `fn` and returns the error it throws, failing if it does not. */
export async function errorOf(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/**
 * Runs a call that must be refused: asserts it throws a SchedulingError (with `code`,
 * when given) and that every row of every table is byte-for-byte as it was before
 * (`databaseDigest`), and returns the error for further assertions.
 */
export async function refusedUnchanged(db: TestDb, fn: () => Promise<unknown>, code?: SchedulingErrorCode): Promise<SchedulingError> {
  const before = await databaseDigest(db);
  const error = await errorOf(fn);
  if (code === undefined) expect(isSchedulingError(error), `expected a SchedulingError, got ${String(error)}`).toBe(true);
  else expect(isSchedulingError(error) ? error.code : error).toBe(code);
  expect(await databaseDigest(db), 'the refused call changed the database').toBe(before);
  return error as SchedulingError;
}

/** `refused(fn)`, or `refused(code, fn)` to name the code the refusal must carry. */
export interface Refused {
  (fn: () => Promise<unknown>): Promise<SchedulingError>;
  (code: SchedulingErrorCode, fn: () => Promise<unknown>): Promise<SchedulingError>;
}

/**
 * `refusedUnchanged` on a test file's database (read when called, so it can be bound at
 * the top of the file): `const refused = refusalsIn(database)`, then
 * `await refused(() => call())` or `await refused('FORBIDDEN', () => call())`.
 */
export function refusalsIn(database: TestDatabase): Refused {
  return ((first: SchedulingErrorCode | (() => Promise<unknown>), fn?: () => Promise<unknown>) =>
    typeof first === 'function' ? refusedUnchanged(database.db, first) : refusedUnchanged(database.db, fn!, first)) as Refused;
}

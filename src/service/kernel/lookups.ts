import { eq, inArray, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { SchedulingError } from '../../errors';
import { courses, facilities, instructors, locations, parents, sessions } from '../../schema/unqualified';
import { sqlStateOf } from '../../db/database-errors';
import type { SchedulingDb } from '../../db/scheduling-db';

/**
 * The `NOT_FOUND` error for a missing row, naming what and which input path.
 *
 * @internal
 */
export function notFound(what: string, id: string, path: Array<string | number>): SchedulingError {
  return new SchedulingError('NOT_FOUND', `No ${what} with id ${id}`, { path, id, entity: what });
}

/** Tables a read may be keyed by, for {@link requireExisting}. */
const KEYED = { session: sessions, instructor: instructors, course: courses, parent: parents, location: locations, facility: facilities } as const;

/**
 * Refuses a read keyed by ids of rows that do not exist (in this academy: an id of
 * another academy is one of them) with `NOT_FOUND` at the first missing one's path,
 * rather than answering with an empty result.
 *
 * @internal
 */
export async function requireExisting(
  tx: SchedulingDb,
  what: keyof typeof KEYED,
  ids: readonly string[],
  pathOf: (index: number) => Array<string | number>,
): Promise<void> {
  const idColumn: PgColumn = KEYED[what].id;
  const found = new Set(
    (
      await tx
        .select({ id: idColumn })
        .from(KEYED[what])
        .where(inArray(idColumn, [...new Set(ids)]))
    ).map((row) => String(row.id)),
  );
  const missing = ids.findIndex((id) => !found.has(id));
  if (missing >= 0) throw notFound(what, ids[missing]!, pathOf(missing));
}

/**
 * The location with that id, or `NOT_FOUND`.
 *
 * @internal
 */
export async function loadLocation(tx: SchedulingDb, id: string, path: Array<string | number> = ['locationId']) {
  const [row] = await tx.select().from(locations).where(eq(locations.id, id));
  if (!row) throw notFound('location', id, path);
  return row;
}

/**
 * The facility with that id, or `NOT_FOUND`; `INVALID_INPUT` when it is at another location.
 *
 * @internal
 */
export async function loadFacility(tx: SchedulingDb, id: string, locationId: string, path: Array<string | number> = ['facilityId']) {
  const [row] = await tx.select().from(facilities).where(eq(facilities.id, id));
  if (!row) throw notFound('facility', id, path);
  if (row.locationId !== locationId) {
    throw new SchedulingError('INVALID_INPUT', `Facility ${row.code} is not at location ${locationId}`, { path, facilityId: id, locationId });
  }
  return row;
}

/**
 * The instructor with that id, or `NOT_FOUND`; `INVALID_STATE` when inactive.
 *
 * @internal
 */
export async function loadInstructor(tx: SchedulingDb, id: string, path: Array<string | number> = ['instructorId']) {
  const [row] = await tx.select().from(instructors).where(eq(instructors.id, id));
  if (!row) throw notFound('instructor', id, path);
  if (!row.isActive) throw new SchedulingError('INVALID_STATE', `Instructor ${row.email} is not active`, { path, instructorId: id });
  return row;
}

/**
 * The session with that id, locked against concurrent edits, or `NOT_FOUND`. The lock
 * is an in-place update of the row (its guard row, see docs/guarantees.md), not just
 * `FOR NO KEY UPDATE`: under REPEATABLE READ or SERIALIZABLE a transaction whose
 * snapshot is older than another's change to this session's bookings or queue then
 * fails with 40001 (and is retried) instead of deciding on what it cannot see. The
 * update takes the same `NO KEY UPDATE` lock, so bookings' foreign-key checks still pass.
 *
 * @internal
 */
export async function lockSession(tx: SchedulingDb, id: string, path: Array<string | number> = ['sessionId']) {
  const [row] = await tx
    .update(sessions)
    .set({ updatedAt: sql`updated_at` })
    .where(eq(sessions.id, id))
    .returning();
  if (!row) throw notFound('session', id, path);
  return row;
}

/**
 * Runs independent read-only look-ups at once and returns their results in argument
 * order. On postgres.js, queries issued together on the transaction's connection are
 * pipelined: one round trip for all of them instead of one each (other drivers simply
 * run them one after another). Every look-up settles before anything is thrown, and
 * the first failure in argument order wins, so which refusal a caller sees (say
 * `NOT_FOUND` for the location before the facility) does not depend on timing. Only
 * for reads whose relative order does not matter.
 *
 * @internal
 */
export async function lookUpTogether<const T extends readonly unknown[]>(lookups: { readonly [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(lookups as readonly Promise<unknown>[]);
  // A failed statement aborts the transaction and fails the ones after it with 25P02: report the cause.
  const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as unknown);
  const cause = failures.find((reason) => sqlStateOf(reason) !== '25P02') ?? failures[0];
  if (failures.length > 0) throw cause;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

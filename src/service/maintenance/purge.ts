import { sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { queryRows } from '../../db/query';
import type { SchedulingDb } from '../../db/scheduling-db';
import { purgeCancelledSessionsSchema } from './inputs';

/** Why an old cancelled session was kept. */
export type PurgeKeptReason = 'referenced_by_makeup' | 'has_child_sessions';

/** Result of `maintenance.purgeCancelledSessions`. */
export interface PurgeResult {
  /** Deleted sessions (with their bookings, waitlist, feedback, resources and conflicts). */
  purged: Array<{ sessionId: string; sessionCode: string }>;
  /** Old cancelled sessions that deleting would break, left in place. */
  kept: Array<{ sessionId: string; sessionCode: string; reason: PurgeKeptReason }>;
}

/**
 * The reference's "clean up old cancelled sessions", without its two traps: a
 * session that a makeup booking points to (`original_session_id`, no cascade) would
 * make the DELETE fail, and deleting a series parent would cascade to children that
 * are not cancelled. Such sessions are kept and reported.
 *
 * @internal
 */
export async function purgeCancelledSessions(tx: SchedulingDb, input: z.output<typeof purgeCancelledSessionsSchema>): Promise<PurgeResult> {
  const candidates = await queryRows<{ id: string; code: string; makeup: boolean }>(
    tx,
    sql`SELECT s.id, s.session_id AS code,
               EXISTS (SELECT 1 FROM session_bookings b WHERE b.original_session_id = s.id) AS makeup
        FROM sessions s
        WHERE s.status = 'cancelled' AND s.start_time < ${input.olderThan.toISOString()}::timestamptz
        ORDER BY s.id
        FOR UPDATE OF s`,
  );
  if (candidates.length === 0) return { purged: [], kept: [] };
  const children = await queryRows<{ id: string; parent: string }>(
    tx,
    sql`SELECT id, parent_session_id AS parent FROM sessions
        WHERE parent_session_id IN (${sql.join(
          candidates.map((c) => sql`${c.id}::uuid`),
          sql`, `,
        )})`,
  );
  const kept = new Map<string, PurgeKeptReason>(candidates.filter((c) => c.makeup).map((c) => [c.id, 'referenced_by_makeup']));
  const purgeable = (id: string) => candidates.some((c) => c.id === id) && !kept.has(id);
  // A parent goes only when every child goes with it; keeping a child can keep its parent.
  for (let changed = true; changed;) {
    changed = false;
    for (const child of children) {
      if (!purgeable(child.id) && purgeable(child.parent)) {
        kept.set(child.parent, 'has_child_sessions');
        changed = true;
      }
    }
  }
  const doomed = candidates.filter((c) => !kept.has(c.id));
  if (doomed.length > 0) {
    await tx.execute(
      sql`DELETE FROM sessions WHERE id IN (${sql.join(
        doomed.map((c) => sql`${c.id}::uuid`),
        sql`, `,
      )})`,
    );
  }
  return {
    purged: doomed.map((c) => ({ sessionId: c.id, sessionCode: c.code })),
    kept: candidates.filter((c) => kept.has(c.id)).map((c) => ({ sessionId: c.id, sessionCode: c.code, reason: kept.get(c.id)! })),
  };
}

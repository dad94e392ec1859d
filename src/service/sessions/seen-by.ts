import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import { loadViewer, redactConflict, redactSession, visibleRows } from '../kernel/visibility';
import { type ConflictRow, type SessionRow } from '../kernel/rows';

/**
 * A created or changed session as the actor sees it: an instructor gets the conflicts without their financial impact.
 *
 * @internal
 */
export async function sessionChangeSeenBy<R extends { session: SessionRow; conflicts: ConflictRow[] }>(tx: SchedulingDb, actor: Actor, result: R): Promise<R> {
  const viewer = await loadViewer(tx, actor, [result.session]);
  return { ...result, session: redactSession(viewer, result.session), conflicts: visibleRows(result.conflicts, (row) => redactConflict(viewer, row)) };
}

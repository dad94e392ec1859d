import { type SchedulingDb } from '../../db/scheduling-db';
import { CONFLICT_TRANSITIONS } from '../../domain';
import { SchedulingError } from '../../errors';
import { scheduleConflicts } from '../../schema/unqualified';
import { notFound } from '../kernel/lookups';
import { type ConflictRow } from '../kernel/rows';
import { type Actor } from '../kernel/types';
import { and, eq, inArray, sql } from 'drizzle-orm';

export type ConflictTarget = 'acknowledged' | 'resolved' | 'ignored';

/**
 * Moves a conflict to `to` in one conditional UPDATE (so two admins cannot both
 * resolve it); timestamps never precede `detected_at`, whatever the clock says.
 */
export async function transitionConflict(
  tx: SchedulingDb,
  conflictId: string,
  to: ConflictTarget,
  fields: { method?: string; notes?: string | undefined },
  actor: Actor,
  now: Date,
): Promise<ConflictRow> {
  const from = (Object.keys(CONFLICT_TRANSITIONS) as Array<keyof typeof CONFLICT_TRANSITIONS>).filter((s) =>
    (CONFLICT_TRANSITIONS[s] as readonly string[]).includes(to),
  );
  const at = sql`greatest(${now.toISOString()}::timestamptz, ${scheduleConflicts.detectedAt})`;
  const closing = to === 'resolved' || to === 'ignored';
  const [row] = await tx
    .update(scheduleConflicts)
    .set({
      status: to,
      ...(to === 'acknowledged' ? { acknowledgedAt: at } : {}),
      ...(closing ? { resolvedAt: at, resolvedBy: actor.userId ?? null } : {}),
      ...(fields.method ? { resolutionMethod: fields.method as ConflictRow['resolutionMethod'] } : {}),
      ...(fields.notes !== undefined ? { resolutionNotes: fields.notes } : {}),
    })
    .where(and(eq(scheduleConflicts.id, conflictId), inArray(scheduleConflicts.status, from)))
    .returning();
  if (row) return row;
  const [existing] = await tx.select({ status: scheduleConflicts.status }).from(scheduleConflicts).where(eq(scheduleConflicts.id, conflictId));
  if (!existing) throw notFound('conflict', conflictId, ['conflictId']);
  throw new SchedulingError('INVALID_STATE', `A ${existing.status} conflict cannot become ${to}`, {
    conflictId,
    from: existing.status,
    to,
    allowed: CONFLICT_TRANSITIONS[existing.status],
  });
}

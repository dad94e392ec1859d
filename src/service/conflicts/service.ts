import { and, desc, eq, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { SchedulingError } from '../../errors';
import { scheduleConflicts } from '../../schema';
import { isAdministrator, requireAdministrator, requireAdministratorOrInstructor } from '../kernel/actor';
import { scanConflicts } from './scan';
import { defineOperation } from '../kernel/operation';
import { notFound } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { ServiceContext } from '../kernel/context';
import type { Actor } from '../kernel/types';
import { loadViewer, redactConflict, visibleRows } from '../kernel/visibility';
import type { ConflictRow } from '../kernel/rows';
import { scanConflictsSchema } from './inputs';
import { listConflictsSchema } from './inputs';
import { CONFLICT_TRANSITIONS } from '../../domain';
import { conflictRef, resolveSchema } from './inputs';

type Target = 'acknowledged' | 'resolved' | 'ignored';

/**
 * Moves a conflict to `to` in one conditional UPDATE (so two admins cannot both
 * resolve it); timestamps never precede `detected_at`, whatever the clock says.
 */
async function transitionConflict(
  tx: SchedulingDb,
  conflictId: string,
  to: Target,
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

/**
 * `scheduler.conflicts`: read, acknowledge, resolve, ignore and scan for conflicts.
 *
 * @example
 * ```ts
 * const open = await scheduler.conflicts.list(admin, { status: 'detected' });
 * await scheduler.conflicts.resolve(admin, { conflictId: open[0].id, method: 'session_moved', notes: 'Moved to 11:00' });
 * ```
 */
export function createConflictService(ctx: ServiceContext) {
  const administrators = { authorize: (actor: Actor) => requireAdministrator(actor, 'manage conflicts') };
  return {
    /**
     * Conflicts matching the filters, newest first. Instructors see only their own (they
     * must pass their `instructorId`), without the financial impact and without rows
     * naming a child.
     */
    list: defineOperation(
      ctx,
      listConflictsSchema,
      async (tx, input, actor) => {
        const filters: Array<SQL | undefined> = [
          input.status ? eq(scheduleConflicts.status, input.status) : undefined,
          input.type ? eq(scheduleConflicts.conflictType, input.type) : undefined,
          input.severity ? eq(scheduleConflicts.severity, input.severity) : undefined,
          input.sessionId ? or(eq(scheduleConflicts.sessionId, input.sessionId), eq(scheduleConflicts.conflictingSessionId, input.sessionId)) : undefined,
          input.instructorId ? eq(scheduleConflicts.instructorId, input.instructorId) : undefined,
          input.from ? gte(scheduleConflicts.conflictTimeStart, input.from) : undefined,
          input.until ? lt(scheduleConflicts.conflictTimeStart, input.until) : undefined,
          // Rows naming a child are administrators' (see `conflictRelation`): left out in SQL too, so pages stay full.
          isAdministrator(actor) ? undefined : isNull(scheduleConflicts.studentId),
        ];
        const rows = await tx
          .select()
          .from(scheduleConflicts)
          .where(and(...filters))
          .orderBy(desc(scheduleConflicts.detectedAt), desc(scheduleConflicts.conflictId))
          .limit(input.limit)
          .offset(input.offset);
        const viewer = await loadViewer(tx, actor);
        return visibleRows(rows, (row) => redactConflict(viewer, row));
      },
      { authorize: (actor, input) => requireAdministratorOrInstructor(actor, input.instructorId, 'list conflicts (instructors: pass their own instructorId)') },
    ),
    /** `detected → acknowledged`. */
    acknowledge: defineOperation(ctx, conflictRef, (tx, input, actor) => transitionConflict(tx, input.conflictId, 'acknowledged', { notes: input.notes }, actor, ctx.now()), administrators),
    /** `detected | acknowledged → resolved`, with a resolution method of the reference list. */
    resolve: defineOperation(ctx, resolveSchema, (tx, input, actor) => transitionConflict(tx, input.conflictId, 'resolved', { method: input.method, notes: input.notes }, actor, ctx.now()), administrators),
    /** `detected | acknowledged → ignored`. */
    ignore: defineOperation(ctx, conflictRef, (tx, input, actor) => transitionConflict(tx, input.conflictId, 'ignored', { notes: input.notes }, actor, ctx.now()), administrators),
    /** Detects and records conflicts among the active sessions of a range. */
    scan: defineOperation(ctx, scanConflictsSchema, (tx, input, actor) => scanConflicts(tx, input, actor.userId ?? null), administrators),
  };
}

/** `scheduler.conflicts`. */
export type ConflictService = ReturnType<typeof createConflictService>;

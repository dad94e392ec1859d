import { requireAdministrator, requireAdministratorOrInstructor } from '../kernel/actor';
import { scanConflicts } from './scan';
import { defineOperation } from '../kernel/operation';

import type { ServiceContext } from '../kernel/context';
import type { Actor } from '../kernel/types';

import { scanConflictsSchema, listConflictsSchema, conflictRef, resolveSchema } from './inputs';

import { listConflicts } from './list';
import { transitionConflict } from './transition';

/**
 * `scheduler.conflicts`: read, acknowledge, resolve, ignore and scan for conflicts.
 *
 * @example
 * ```ts
 * await scheduler.conflicts.scan(admin, { from: '2030-01-01T00:00:00Z', until: '2030-02-01T00:00:00Z' });
 * const [first] = await scheduler.conflicts.list(admin, { status: 'detected' });
 * if (first) await scheduler.conflicts.resolve(admin, { conflictId: first.id, method: 'session_moved', notes: 'Moved to 11:00' });
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
    list: defineOperation(ctx, listConflictsSchema, listConflicts, {
      authorize: (actor, input) =>
        requireAdministratorOrInstructor(actor, input.instructorId, 'list conflicts (instructors: pass their own instructorId)', 'not_their_records'),
    }),
    /** `detected → acknowledged`. */
    acknowledge: defineOperation(
      ctx,
      conflictRef,
      (tx, input, actor) => transitionConflict(tx, input.conflictId, 'acknowledged', { notes: input.notes }, actor, ctx.now()),
      administrators,
    ),
    /** `detected | acknowledged → resolved`, with a resolution method of the reference list. */
    resolve: defineOperation(
      ctx,
      resolveSchema,
      (tx, input, actor) => transitionConflict(tx, input.conflictId, 'resolved', { method: input.method, notes: input.notes }, actor, ctx.now()),
      administrators,
    ),
    /** `detected | acknowledged → ignored`. */
    ignore: defineOperation(
      ctx,
      conflictRef,
      (tx, input, actor) => transitionConflict(tx, input.conflictId, 'ignored', { notes: input.notes }, actor, ctx.now()),
      administrators,
    ),
    /** Detects and records conflicts among the active sessions of a range. */
    scan: defineOperation(ctx, scanConflictsSchema, (tx, input, actor) => scanConflicts(tx, input, actor.userId ?? null), administrators),
  };
}

/** `scheduler.conflicts`. */
export type ConflictService = ReturnType<typeof createConflictService>;

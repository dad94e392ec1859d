import { PLANNED_SESSION_STATUSES, isOneOf } from '../../domain/statuses';
import { eq, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { SchedulingError } from '../../errors';
import { type AllocationStatus, sessionResources, sessions } from '../../schema/unqualified';
import { requireAdministrator, requireAdministratorOrInstructor } from '../kernel/actor';
import { lockSession, notFound } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import { allocateResourceSchema, requestResourceSchema, resourceRefSchema } from './inputs';
import { RESOURCE_TRANSITIONS } from '../../domain';

/** A resource row as Drizzle returns it. */
export type ResourceRow = typeof sessionResources.$inferSelect;

// Resources are planned for sessions that will still run.

/**
 * Asks for a resource for a session (admins, or the session's instructor). The
 * session must still be going to run (`INVALID_STATE` otherwise).
 *
 * @internal
 */
export async function requestResource(tx: SchedulingDb, input: z.output<typeof requestResourceSchema>, actor: Actor): Promise<ResourceRow> {
  const session = await lockSession(tx, input.sessionId);
  requireAdministratorOrInstructor(actor, session.instructorId, 'request resources for this session');
  if (!isOneOf(PLANNED_SESSION_STATUSES, session.status)) {
    throw new SchedulingError('INVALID_STATE', `Session ${session.sessionId} is ${session.status}; resources are requested for sessions that will run`, {
      sessionId: session.id,
      sessionStatus: session.status,
      reason: 'session_not_plannable',
    });
  }
  const [row] = await tx
    .insert(sessionResources)
    .values({ ...input, allocationStatus: 'requested', quantityAllocated: 0 })
    .returning();
  return row!;
}

/**
 * Allocates `quantity` units (≤ the quantity needed, else `INVALID_INPUT`) and records
 * who and when. Admins only.
 *
 * @internal
 */
export async function allocateResource(tx: SchedulingDb, input: z.output<typeof allocateResourceSchema>, actor: Actor, now: Date): Promise<ResourceRow> {
  requireAdministrator(actor, 'allocate resources');
  const row = await lockResourceFor(tx, input.resourceId, 'allocated');
  if (input.quantity > (row.quantityNeeded ?? 1)) {
    throw new SchedulingError('INVALID_INPUT', `Only ${row.quantityNeeded} units are needed`, {
      path: ['quantity'],
      resourceId: row.id,
      quantityNeeded: row.quantityNeeded,
      reason: 'more_than_needed',
    });
  }
  return writeResource(tx, row.id, {
    allocationStatus: 'allocated',
    quantityAllocated: input.quantity,
    allocatedBy: actor.userId ?? null,
    allocatedAt: now,
    isAvailable: true,
  });
}

/**
 * Records that a resource cannot be provided: nothing stays allocated. Admins only.
 *
 * @internal
 */
export async function markResourceUnavailable(tx: SchedulingDb, input: z.output<typeof resourceRefSchema>, actor: Actor): Promise<ResourceRow> {
  requireAdministrator(actor, 'mark resources unavailable');
  const row = await lockResourceFor(tx, input.resourceId, 'unavailable');
  return writeResource(tx, row.id, { allocationStatus: 'unavailable', quantityAllocated: 0, isAvailable: false });
}

/**
 * Withdraws a resource request (admins, or the session's instructor); final.
 *
 * @internal
 */
export async function cancelResource(tx: SchedulingDb, input: z.output<typeof resourceRefSchema>, actor: Actor): Promise<ResourceRow> {
  const row = await lockResourceFor(tx, input.resourceId, 'cancelled');
  const [session] = await tx.select({ instructorId: sessions.instructorId }).from(sessions).where(eq(sessions.id, row.sessionId));
  requireAdministratorOrInstructor(actor, session?.instructorId, 'cancel resources of this session');
  return writeResource(tx, row.id, { allocationStatus: 'cancelled', quantityAllocated: 0 });
}

/** Locks the row and refuses a transition the life cycle does not allow. */
async function lockResourceFor(tx: SchedulingDb, resourceId: string, to: AllocationStatus): Promise<ResourceRow> {
  const [row] = await tx.select().from(sessionResources).where(eq(sessionResources.id, resourceId)).for('update');
  if (!row) throw notFound('resource', resourceId, ['resourceId']);
  const from = (row.allocationStatus ?? 'requested') as AllocationStatus;
  if (!RESOURCE_TRANSITIONS[from].includes(to)) {
    throw new SchedulingError('INVALID_STATE', `A ${from} resource cannot become ${to}`, {
      resourceId: row.id,
      from,
      to,
      allowed: RESOURCE_TRANSITIONS[from],
    });
  }
  return row;
}

async function writeResource(tx: SchedulingDb, id: string, values: Partial<typeof sessionResources.$inferInsert>): Promise<ResourceRow> {
  const [row] = await tx
    .update(sessionResources)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(sessionResources.id, id))
    .returning();
  return row!;
}

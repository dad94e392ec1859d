import { requireAdministrator } from '../kernel/actor';
import { defineOperation } from '../kernel/operation';
import { resourceCosts, unallocatedMandatory } from './reports';
import { allocateResource, cancelResource, markResourceUnavailable, requestResource } from './write';
import type { ServiceContext } from '../kernel/context';
import { allocateResourceSchema, requestResourceSchema, resourceCostsSchema, resourceRefSchema, unallocatedMandatorySchema } from './inputs';

/**
 * `scheduler.resources`: equipment and materials for sessions, their allocation, and reports.
 *
 * @example
 * ```ts
 * const row = await scheduler.resources.request(instructor, { sessionId, resourceType: 'equipment', resourceName: 'Kickboards', quantityNeeded: 6 });
 * await scheduler.resources.allocate(admin, { resourceId: row.id, quantity: 6 });
 * ```
 */
export function createResourceService(ctx: ServiceContext) {
  const adminOnly = (action: string) => ({ authorize: (actor: Parameters<typeof requireAdministrator>[0]) => requireAdministrator(actor, action) });
  return {
    /** Asks for a resource for a session (admins, or the session's instructor). */
    request: defineOperation(ctx, requestResourceSchema, (tx, input, actor) => requestResource(tx, input, actor)),
    /** Allocates units (≤ needed); records allocated_by/at (admins). */
    allocate: defineOperation(ctx, allocateResourceSchema, (tx, input, actor) => allocateResource(tx, input, actor, ctx.now())),
    /** Marks a resource unavailable (admins). */
    markUnavailable: defineOperation(ctx, resourceRefSchema, (tx, input, actor) => markResourceUnavailable(tx, input, actor)),
    /** Withdraws a resource request (admins, or the session's instructor). */
    cancel: defineOperation(ctx, resourceRefSchema, (tx, input, actor) => cancelResource(tx, input, actor)),
    /** Mandatory resources of sessions in the next `withinDays` days not yet fully allocated (admins). */
    unallocatedMandatory: defineOperation(
      ctx,
      unallocatedMandatorySchema,
      (tx, input) => unallocatedMandatory(tx, input, ctx.now()),
      adminOnly('read resource reports'),
    ),
    /** Resource cost per session (admins). */
    costs: defineOperation(ctx, resourceCostsSchema, (tx, input) => resourceCosts(tx, input), adminOnly('read resource costs')),
  };
}

/** `scheduler.resources`. */
export type ResourceService = ReturnType<typeof createResourceService>;

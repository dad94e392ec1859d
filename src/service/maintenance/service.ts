import { requireAdministrator } from '../kernel/actor';
import { createArchiveBookings } from './archive';
import { verifyIntegrity } from './integrity';
import { purgeCancelledSessions } from './purge';
import { purgeEvents } from './purge-events';
import { recountBookings } from './recount';
import { advanceStatuses } from './statuses';
import { defineOperation } from '../kernel/operation';
import type { ServiceContext } from '../kernel/context';
import type { Actor } from '../kernel/types';
import { advanceStatusesSchema, purgeCancelledSessionsSchema, purgeEventsSchema, noInput } from './inputs';

/**
 * `scheduler.maintenance`: housekeeping for admins and the system (`FORBIDDEN` for
 * everyone else): recount, archive, purge, advance statuses by the clock, verify.
 *
 * @example
 * ```ts
 * const system = { kind: 'system' } as const;
 * await scheduler.maintenance.advanceStatuses(system, {});
 * const findings = await scheduler.maintenance.verifyIntegrity(system, {}); // [] when healthy
 * ```
 */
export function createMaintenanceService(ctx: ServiceContext) {
  const adminOnly = { authorize: (actor: Actor) => requireAdministrator(actor, 'run maintenance') };
  return {
    /** Sets `current_bookings` to the confirmed count where they differ; returns the drift fixed. */
    recountBookings: defineOperation(ctx, noInput, (tx) => recountBookings(tx), adminOnly),
    /** Moves bookings created before `olderThan` into the archive, `batchSize` per transaction. */
    archiveBookings: createArchiveBookings(ctx),
    /** Deletes cancelled sessions that started before `olderThan` (except those still referenced). */
    purgeCancelledSessions: defineOperation(ctx, purgeCancelledSessionsSchema, (tx, input) => purgeCancelledSessions(tx, input), adminOnly),
    /** Deletes change events older than `olderThanDays` that no consumer still owes (the only delete of events there is). */
    purgeEvents: defineOperation(ctx, purgeEventsSchema, (tx, input) => purgeEvents(tx, input), adminOnly),
    /** `scheduled → in_progress → completed` by the clock (or `now`). */
    advanceStatuses: defineOperation(ctx, advanceStatusesSchema, (tx, input, actor) => advanceStatuses(tx, input.now ?? ctx.now(), actor), adminOnly),
    /** Every broken invariant, as a typed list (`[]` when healthy). */
    verifyIntegrity: defineOperation(ctx, noInput, (tx) => verifyIntegrity(tx, ctx.now()), adminOnly),
  };
}

/** `scheduler.maintenance`. */
export type MaintenanceService = ReturnType<typeof createMaintenanceService>;

import { requireAdministrator, requireAdministratorOrInstructor } from '../kernel/actor';
import { defineOperation } from '../kernel/operation';
import { availabilityChangeSeenBy } from './seen-by';

import type { ServiceContext } from '../kernel/context';

import { lockAvailability, writeAvailability } from './write';
import { findAvailableInstructors, freeSlots } from './read';
import { addAvailabilitySchema, deactivateAvailabilitySchema, findAvailableInstructorsSchema, freeSlotsSchema, updateAvailabilitySchema } from './inputs';

/** Availability changes take `override` (administrators only): see `addAvailabilitySchema`. */
const overridable = { override: (input: { override: boolean }) => input.override };

/**
 * `scheduler.availability`: instructors' availability slots and who is free when.
 *
 * @example
 * ```ts
 * declare const instructorId: string, locationId: string;
 * // Mondays 09:00–12:00 from 2030 on
 * await scheduler.availability.add(admin, { instructorId, availabilityType: 'regular', dayOfWeek: 1, startTime: '09:00', endTime: '12:00', effectiveFrom: '2030-01-01' });
 * const slots = await scheduler.availability.freeSlots(admin, {
 *   instructorId, locationId, from: '2030-01-07T00:00:00Z', until: '2030-01-14T00:00:00Z', durationMinutes: 60,
 * });
 * // The same week by local dates in the location's zone; each slot has `local` too.
 * const week = await scheduler.availability.freeSlots(admin, { instructorId, locationId, from: { date: '2030-01-07' }, until: { date: '2030-01-14' }, durationMinutes: 60 });
 * week[0]?.local.start; // { date: '2030-01-07', time: '09:00', offset: '-05:00' } in New York
 * ```
 */
export function createAvailabilityService(ctx: ServiceContext) {
  return {
    /** Adds a slot (regular, temporary or exception). */
    add: defineOperation(
      ctx,
      addAvailabilitySchema,
      async (tx, input, actor) => availabilityChangeSeenBy(tx, actor, await writeAvailability(tx, null, input, actor, ctx.now())),
      overridable,
    ),
    /** Changes a slot. */
    update: defineOperation(
      ctx,
      updateAvailabilitySchema,
      async (tx, input, actor) => {
        const { availabilityId, override: _override, ...changes } = input;
        const existing = await lockAvailability(tx, availabilityId);
        const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
        return availabilityChangeSeenBy(
          tx,
          actor,
          await writeAvailability(tx, existing, { ...existing, ...defined, isActive: existing.isActive ?? true }, actor, ctx.now()),
        );
      },
      overridable,
    ),
    /** Deactivates a slot (kept for history). */
    deactivate: defineOperation(
      ctx,
      deactivateAvailabilitySchema,
      async (tx, input, actor) => {
        const existing = await lockAvailability(tx, input.availabilityId);
        return availabilityChangeSeenBy(tx, actor, await writeAvailability(tx, existing, { ...existing, isActive: false }, actor, ctx.now()));
      },
      overridable,
    ),
    /** Instructors free to teach `[start, end)` at a location (administrators: it shows every instructor's email and workload). */
    findAvailableInstructors: defineOperation(ctx, findAvailableInstructorsSchema, (tx, input) => findAvailableInstructors(tx, input), {
      authorize: (actor) => requireAdministrator(actor, 'look up which instructors are free'),
    }),
    /** Free slots of one instructor, in the location's time zone, each with `local` times (administrators, and the instructor themself). */
    freeSlots: defineOperation(ctx, freeSlotsSchema, (tx, input) => freeSlots(tx, input), {
      authorize: (actor, input) => requireAdministratorOrInstructor(actor, input.instructorId, "see another instructor's free slots", 'not_their_availability'),
    }),
  };
}

/** `scheduler.availability`. */
export type AvailabilityService = ReturnType<typeof createAvailabilityService>;

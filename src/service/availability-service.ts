import { defineOperation } from './operation';
import type { ServiceContext } from './service-context';
import {
  addAvailabilitySchema,
  deactivateAvailabilitySchema,
  lockAvailability,
  updateAvailabilitySchema,
  writeAvailability,
} from './availability-write';
import { findAvailableInstructors, findAvailableInstructorsSchema, freeSlots, freeSlotsSchema } from './availability-read';

/**
 * `scheduler.availability`: instructors' availability slots and who is free when.
 *
 * @example
 * ```ts
 * await scheduler.availability.add(admin, { instructorId, availabilityType: 'regular', dayOfWeek: 1, startTime: '09:00', endTime: '12:00', effectiveFrom: '2030-01-01' });
 * const slots = await scheduler.availability.freeSlots(admin, { instructorId, locationId, from, until, durationMinutes: 60 });
 * ```
 */
export function createAvailabilityService(ctx: ServiceContext) {
  return {
    /** Adds a slot (regular, temporary or exception). */
    add: defineOperation(ctx, addAvailabilitySchema, (tx, input, actor) => writeAvailability(tx, null, input, actor, ctx.now())),
    /** Changes a slot. */
    update: defineOperation(ctx, updateAvailabilitySchema, async (tx, input, actor) => {
      const { availabilityId, ...changes } = input;
      const existing = await lockAvailability(tx, availabilityId);
      const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      return writeAvailability(tx, existing, { ...existing, ...defined, isActive: existing.isActive ?? true }, actor, ctx.now());
    }),
    /** Deactivates a slot (kept for history). */
    deactivate: defineOperation(ctx, deactivateAvailabilitySchema, async (tx, input, actor) => {
      const existing = await lockAvailability(tx, input.availabilityId);
      return writeAvailability(tx, existing, { ...existing, isActive: false }, actor, ctx.now());
    }),
    /** Instructors free to teach `[start, end)` at a location. */
    findAvailableInstructors: defineOperation(ctx, findAvailableInstructorsSchema, (tx, input) => findAvailableInstructors(tx, input)),
    /** Free slots of one instructor, in the location's time zone. */
    freeSlots: defineOperation(ctx, freeSlotsSchema, (tx, input) => freeSlots(tx, input)),
  };
}

/** `scheduler.availability`. */
export type AvailabilityService = ReturnType<typeof createAvailabilityService>;

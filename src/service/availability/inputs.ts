import { localDateSchema, timeOfDaySchema } from '../../domain';
import { AVAILABILITY_TYPES } from '../../schema';
import { instantInput, requireTimeOrder, textInput, uuidInput } from '../kernel/inputs';
import { z } from 'zod';

/**
 * `override: true` (administrators only): a change that lowers the limit of sessions
 * it covered (a limit, a deactivation, a day off) goes through, and each session now
 * over its limit is recorded as a resolved conflict (`overloads` in the result)
 * instead of the change being refused with `INSTRUCTOR_DOUBLE_BOOKED`.
 */
const overrideInput = z.boolean().default(false);

/** The columns of a slot a caller sets. */
export const slotFields = {
  instructorId: uuidInput,
  availabilityType: z.enum(AVAILABILITY_TYPES),
  dayOfWeek: z.number().int().min(0).max(6).nullish(),
  specificDate: localDateSchema.nullish(),
  startTime: timeOfDaySchema,
  endTime: timeOfDaySchema,
  locationId: uuidInput.nullish(),
  facilityId: uuidInput.nullish(),
  effectiveFrom: localDateSchema,
  effectiveUntil: localDateSchema.nullish(),
  breakDurationMinutes: z.number().int().min(0).max(1440).nullish(),
  breakStartTime: timeOfDaySchema.nullish(),
  maxConcurrentSessions: z.number().int().min(0).max(1000).nullish(),
  notes: textInput.nullish(),
};

/**
 * Input of `availability.add`. Exactly one of `dayOfWeek` (weekly) and `specificDate`.
 *
 * @internal
 */
export const addAvailabilitySchema = z.strictObject({ ...slotFields, override: overrideInput });

const partialSlot = Object.fromEntries(
  Object.entries(slotFields)
    .filter(([k]) => k !== 'instructorId')
    .map(([k, v]) => [k, v.optional()]),
) as {
  [K in Exclude<keyof typeof slotFields, 'instructorId'>]: z.ZodOptional<(typeof slotFields)[K]>;
};

/**
 * Input of `availability.update`.
 *
 * @internal
 */
export const updateAvailabilitySchema = z.strictObject({ availabilityId: uuidInput, ...partialSlot, override: overrideInput });

/**
 * Input of `availability.deactivate`.
 *
 * @internal
 */
export const deactivateAvailabilitySchema = z.strictObject({ availabilityId: uuidInput, override: overrideInput });

/**
 * Input of `availability.findAvailableInstructors`: who could teach `[start, end)` at a location.
 *
 * @internal
 */
export const findAvailableInstructorsSchema = z
  .strictObject({ locationId: uuidInput, start: instantInput, end: instantInput })
  .superRefine(requireTimeOrder('start', 'end'));

/**
 * Input of `availability.freeSlots`.
 *
 * @internal
 */
export const freeSlotsSchema = z
  .strictObject({
    instructorId: uuidInput,
    locationId: uuidInput,
    from: instantInput,
    until: instantInput,
    durationMinutes: z.number().int().min(1).max(1440),
    stepMinutes: z.number().int().min(1).max(1440).default(15),
  })
  .refine((v) => v.until.getTime() > v.from.getTime(), { message: 'until must be after from', path: ['until'] })
  .refine((v) => v.until.getTime() - v.from.getTime() <= 92 * 86_400_000, { message: 'at most 92 days per call', path: ['until'] });

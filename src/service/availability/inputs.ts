import { localDateSchema, timeOfDaySchema, timeZoneSchema } from '../../domain';
import { AVAILABILITY_TYPES } from '../../schema/unqualified';
import { instantInput, instantOrLocalDayInput, requireRangeOrder, requireTimeOrder, textInput, uuidInput } from '../kernel/inputs';
import * as z from 'zod/mini';

/**
 * `override: true` (administrators only): a change that lowers the limit of sessions
 * it covered (a limit, a deactivation, a day off) goes through, and each session now
 * over its limit is recorded as a resolved conflict (`overloads` in the result)
 * instead of the change being refused with `INSTRUCTOR_DOUBLE_BOOKED`.
 */
const overrideInput = z._default(z.boolean(), false);

/** The columns of a slot a caller sets. */
export const slotFields = {
  instructorId: uuidInput,
  availabilityType: z.enum(AVAILABILITY_TYPES),
  dayOfWeek: z.nullish(z.int().check(z.gte(0), z.lte(6))),
  specificDate: z.nullish(localDateSchema),
  startTime: timeOfDaySchema,
  endTime: timeOfDaySchema,
  locationId: z.nullish(uuidInput),
  facilityId: z.nullish(uuidInput),
  effectiveFrom: localDateSchema,
  effectiveUntil: z.nullish(localDateSchema),
  breakDurationMinutes: z.nullish(z.int().check(z.gte(0), z.lte(1440))),
  breakStartTime: z.nullish(timeOfDaySchema),
  maxConcurrentSessions: z.nullish(z.int().check(z.gte(0), z.lte(1000))),
  notes: z.nullish(textInput),
};

/**
 * Input of `availability.add`. Exactly one of `dayOfWeek` (weekly) and `specificDate`.
 *
 * @internal
 */
export const addAvailabilitySchema = z.lazy(() => z.strictObject({ ...slotFields, override: overrideInput }));

const partialSlot = () =>
  Object.fromEntries(
    Object.entries(slotFields)
      .filter(([k]) => k !== 'instructorId')
      .map(([k, v]) => [k, z.optional(v)]),
  ) as {
    [K in Exclude<keyof typeof slotFields, 'instructorId'>]: z.ZodMiniOptional<(typeof slotFields)[K]>;
  };

/**
 * Input of `availability.update`.
 *
 * @internal
 */
export const updateAvailabilitySchema = z.lazy(() => z.strictObject({ availabilityId: uuidInput, ...partialSlot(), override: overrideInput }));

/**
 * Input of `availability.deactivate`.
 *
 * @internal
 */
export const deactivateAvailabilitySchema = z.lazy(() => z.strictObject({ availabilityId: uuidInput, override: overrideInput }));

/**
 * Input of `availability.findAvailableInstructors`: who could teach `[start, end)` at a location.
 *
 * @internal
 */
export const findAvailableInstructorsSchema = z.lazy(() =>
  z.strictObject({ locationId: uuidInput, start: instantInput, end: instantInput }).check(z.superRefine(requireTimeOrder('start', 'end'))),
);

/** A free-slot query covers at most this many days. */
export const FREE_SLOTS_MAX_DAYS = 92;

/**
 * Input of `availability.freeSlots`. `from`/`until` are instants or local days
 * `{ date }`: the first instant of that day in `timeZone`, else in the location's zone
 * (`until` stays exclusive).
 *
 * @internal
 */
export const freeSlotsSchema = z.lazy(() =>
  z
    .strictObject({
      instructorId: uuidInput,
      locationId: uuidInput,
      from: instantOrLocalDayInput,
      until: instantOrLocalDayInput,
      /** The zone of local `from`/`until` dates (default: the location's). */
      timeZone: z.optional(timeZoneSchema),
      durationMinutes: z.int().check(z.gte(1), z.lte(1440)),
      stepMinutes: z._default(z.int().check(z.gte(1), z.lte(1440)), 15),
    })
    .check(z.superRefine(requireRangeOrder('from', 'until', FREE_SLOTS_MAX_DAYS, `at most ${FREE_SLOTS_MAX_DAYS} days per call`))),
);

import { z } from 'zod';
import { sessionTypeSchema } from '../../domain';
import { INT4_MAX, instantInput, moneyInput, percentageInput, requireTimeOrder, textInput, uuidInput, storableText } from '../kernel/inputs';

/** Fields of a session a caller may set on create and change on update. */
const sessionFields = {
  programId: uuidInput,
  courseId: uuidInput,
  curriculumId: uuidInput.nullish(),
  levelId: uuidInput.nullish(),
  locationId: uuidInput,
  facilityId: uuidInput,
  instructorId: uuidInput.nullish(),
  sessionType: sessionTypeSchema,
  title: storableText(z.string().trim().min(1).max(255)),
  description: textInput.nullish(),
  startTime: instantInput,
  endTime: instantInput,
  // Range checks belong to the capacity policy (CAPACITY_POLICY_VIOLATION), not to zod; zod only keeps them storable.
  capacity: z.number().int().min(-INT4_MAX).max(INT4_MAX),
  minParticipants: z.number().int().min(1).max(INT4_MAX),
  specialRequirements: textInput.nullish(),
  equipmentNeeded: z.array(storableText(z.string().max(255))).max(100).nullish(),
  preparationNotes: textInput.nullish(),
  sessionPrice: moneyInput.nullish(),
  discountPercentage: percentageInput,
  virtualMeetingUrl: z.url().max(500).nullish(),
  recordingEnabled: z.boolean(),
  maxWaitlistSize: z.number().int().min(0).max(1000),
};

/**
 * Input of `sessions.create`. `capacity` defaults to the policy maximum for the type
 * (or the facility's size when smaller); `override` (admins only) lets hard
 * conflicts through and records them as resolved by `manual_override`.
 *
 * @example
 * ```ts
 * createSessionSchema.parse({ programId, courseId, locationId, facilityId, instructorId, sessionType: 'group',
 *   title: 'Swim club', startTime: new Date('2030-01-15T15:00:00Z'), endTime: new Date('2030-01-15T16:00:00Z') });
 * ```
 */
export const createSessionSchema = z
  .strictObject({
    ...sessionFields,
    capacity: sessionFields.capacity.optional(),
    minParticipants: sessionFields.minParticipants.optional(),
    discountPercentage: sessionFields.discountPercentage.optional(),
    recordingEnabled: sessionFields.recordingEnabled.optional(),
    maxWaitlistSize: sessionFields.maxWaitlistSize.optional(),
    override: z.boolean().default(false),
  })
  .superRefine(requireTimeOrder('startTime', 'endTime'));

/** Input of `sessions.create`. */
export type CreateSessionInput = z.input<typeof createSessionSchema>;

const changeFields = Object.fromEntries(Object.entries(sessionFields).map(([key, schema]) => [key, schema.optional()])) as {
  [K in keyof typeof sessionFields]: z.ZodOptional<(typeof sessionFields)[K]>;
};

/**
 * Input of `sessions.update`: the session and the fields to change. `dryRun` checks
 * everything and reports the problems without writing; `override` (admins only)
 * lets hard conflicts through.
 *
 * @example
 * ```ts
 * updateSessionSchema.parse({ sessionId, capacity: 4, title: 'Swim club (small group)' });
 * ```
 */
export const updateSessionSchema = z
  .strictObject({ sessionId: uuidInput, ...changeFields, override: z.boolean().default(false), dryRun: z.boolean().default(false) })
  .superRefine(requireTimeOrder('startTime', 'endTime'));

/** Input of `sessions.update`. */
export type UpdateSessionInput = z.input<typeof updateSessionSchema>;

/**
 * Input of `sessions.reschedule`: new times and optionally another instructor or facility.
 *
 * @example
 * ```ts
 * rescheduleSessionSchema.parse({ sessionId, startTime: new Date('2030-01-16T15:00:00Z'), endTime: new Date('2030-01-16T16:00:00Z') });
 * ```
 */
export const rescheduleSessionSchema = z
  .strictObject({
    sessionId: uuidInput,
    startTime: instantInput,
    endTime: instantInput,
    instructorId: uuidInput.nullish(),
    facilityId: uuidInput.optional(),
    override: z.boolean().default(false),
    dryRun: z.boolean().default(false),
  })
  .superRefine(requireTimeOrder('startTime', 'endTime'));

/** Input of `sessions.reschedule`. */
export type RescheduleSessionInput = z.input<typeof rescheduleSessionSchema>;

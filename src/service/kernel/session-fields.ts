import { SESSION_STATUSES } from '../../domain/statuses';
import { z } from 'zod';
import { sessionTypeSchema } from '../../domain';
import { INT4_MAX, instantInput, moneyInput, percentageInput, requireTimeOrder, storableText, textInput, uuidInput } from './inputs';

/*
 * The fields of a session as callers give them: shared by `sessions.create` and a
 * series' template (which takes the times from its pattern), and by `sessions.update`
 * and a series' `editOccurrence` (which change one session the same way).
 */

/** Fields of a session a caller may set on create and change on update. */
export const sessionFields = {
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
  equipmentNeeded: z
    .array(storableText(z.string().max(255)))
    .max(100)
    .nullish(),
  preparationNotes: textInput.nullish(),
  sessionPrice: moneyInput.nullish(),
  discountPercentage: percentageInput,
  virtualMeetingUrl: z.url().max(500).nullish(),
  recordingEnabled: z.boolean(),
  maxWaitlistSize: z.number().int().min(0).max(1000),
};

/** The fields of a new session: those with a default (capacity, minimum, discount, recording, waitlist size) optional. */
export const newSessionFields = {
  ...sessionFields,
  capacity: sessionFields.capacity.optional(),
  minParticipants: sessionFields.minParticipants.optional(),
  discountPercentage: sessionFields.discountPercentage.optional(),
  recordingEnabled: sessionFields.recordingEnabled.optional(),
  maxWaitlistSize: sessionFields.maxWaitlistSize.optional(),
};

const changeFields = Object.fromEntries(Object.entries(sessionFields).map(([key, schema]) => [key, schema.optional()])) as {
  [K in keyof typeof sessionFields]: z.ZodOptional<(typeof sessionFields)[K]>;
};

/**
 * A change to one session: the session and the fields to change. `dryRun` checks
 * everything and reports the problems without writing; `override` (admins only) lets
 * hard conflicts through.
 *
 * @internal
 */
export const sessionChangeSchema = z
  .strictObject({ sessionId: uuidInput, ...changeFields, override: z.boolean().default(false), dryRun: z.boolean().default(false) })
  .superRefine(requireTimeOrder('startTime', 'endTime'));

/** A change to one session, as `updateSession` takes it. */
export type SessionChange = z.output<typeof sessionChangeSchema>;

/**
 * Input of `sessions.setStatus`. A reason is required to cancel.
 *
 * @internal
 */
export const setSessionStatusSchema = z
  .strictObject({
    sessionId: uuidInput,
    status: z.enum(SESSION_STATUSES),
    reason: textInput.trim().min(1).optional(),
    override: z.boolean().default(false),
  })
  .refine((v) => v.status !== 'cancelled' || v.reason !== undefined, { message: 'a cancellation needs a reason', path: ['reason'] });

/** Input of `sessions.setStatus`. */
export type SetSessionStatusInput = z.input<typeof setSessionStatusSchema>;

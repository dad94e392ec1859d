import { SESSION_STATUSES } from '../../domain/statuses';
import * as z from 'zod/mini';
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
  curriculumId: z.nullish(uuidInput),
  levelId: z.nullish(uuidInput),
  locationId: uuidInput,
  facilityId: uuidInput,
  instructorId: z.nullish(uuidInput),
  sessionType: sessionTypeSchema,
  title: storableText(z.string().check(z.trim(), z.minLength(1), z.maxLength(255))),
  description: z.nullish(textInput),
  startTime: instantInput,
  endTime: instantInput,
  // Range checks belong to the capacity policy (CAPACITY_POLICY_VIOLATION), not to zod; zod only keeps them storable.
  capacity: z.number().check(z.int(), z.gte(-INT4_MAX), z.lte(INT4_MAX)),
  minParticipants: z.number().check(z.int(), z.gte(1), z.lte(INT4_MAX)),
  specialRequirements: z.nullish(textInput),
  equipmentNeeded: z.nullish(z.array(storableText(z.string().check(z.maxLength(255)))).check(z.maxLength(100))),
  preparationNotes: z.nullish(textInput),
  sessionPrice: z.nullish(moneyInput),
  discountPercentage: percentageInput,
  virtualMeetingUrl: z.nullish(z.url().check(z.maxLength(500))),
  recordingEnabled: z.boolean(),
  maxWaitlistSize: z.number().check(z.int(), z.gte(0), z.lte(1000)),
};

/** The fields of a new session: those with a default (capacity, minimum, discount, recording, waitlist size) optional. */
export const newSessionFields = {
  ...sessionFields,
  capacity: z.optional(sessionFields.capacity),
  minParticipants: z.optional(sessionFields.minParticipants),
  discountPercentage: z.optional(sessionFields.discountPercentage),
  recordingEnabled: z.optional(sessionFields.recordingEnabled),
  maxWaitlistSize: z.optional(sessionFields.maxWaitlistSize),
};

const changeFields = Object.fromEntries(Object.entries(sessionFields).map(([key, schema]) => [key, z.optional(schema)])) as {
  [K in keyof typeof sessionFields]: z.ZodMiniOptional<(typeof sessionFields)[K]>;
};

/**
 * A change to one session: the session and the fields to change. `dryRun` checks
 * everything and reports the problems without writing; `override` (admins only) lets
 * hard conflicts through.
 *
 * @internal
 */
export const sessionChangeSchema = z
  .strictObject({ sessionId: uuidInput, ...changeFields, override: z._default(z.boolean(), false), dryRun: z._default(z.boolean(), false) })
  .check(z.superRefine(requireTimeOrder('startTime', 'endTime')));

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
    reason: z.optional(textInput.check(z.trim(), z.minLength(1))),
    override: z._default(z.boolean(), false),
  })
  .check(z.refine((v) => v.status !== 'cancelled' || v.reason !== undefined, { message: 'a cancellation needs a reason', path: ['reason'] }));

/** Input of `sessions.setStatus`. */
export type SetSessionStatusInput = z.input<typeof setSessionStatusSchema>;

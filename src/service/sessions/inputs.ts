import { SESSION_STATUSES } from '../../domain/statuses';
import { z } from 'zod';
import { instantInput, requireTimeOrder, uuidInput, pagingInput, textInput } from '../kernel/inputs';
import { newSessionFields, sessionChangeSchema } from '../kernel/session-fields';
import { sessionTypeSchema } from '../../domain';

/**
 * Input of `sessions.create`. `capacity` defaults to the policy maximum for the type
 * (or the facility's size when smaller); `override` (admins only) lets hard
 * conflicts through and records them as resolved by `manual_override`.
 *
 * @internal
 */
export const createSessionSchema = z
  .strictObject({ ...newSessionFields, override: z.boolean().default(false) })
  .superRefine(requireTimeOrder('startTime', 'endTime'));

/** Input of `sessions.create`. */
export type CreateSessionInput = z.input<typeof createSessionSchema>;

/**
 * Input of `sessions.update`: the session and the fields to change. `dryRun` checks
 * everything and reports the problems without writing; `override` (admins only)
 * lets hard conflicts through.
 *
 * @internal
 */
export const updateSessionSchema = sessionChangeSchema;

/** Input of `sessions.update`. */
export type UpdateSessionInput = z.input<typeof updateSessionSchema>;

/**
 * Input of `sessions.reschedule`: new times and optionally another instructor or facility.
 *
 * @internal
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

/**
 * Input of `sessions.get`.
 *
 * @internal
 */
export const getSessionSchema = z.strictObject({ sessionId: uuidInput });

/**
 * Input of `sessions.list`. `from`/`until` bound `start_time` half-open
 * (`from ≤ start_time < until`); `hasFreeSpots` keeps sessions with a place left.
 *
 * @internal
 */
export const listSessionsSchema = z
  .strictObject({
    locationId: uuidInput.optional(),
    facilityId: uuidInput.optional(),
    instructorId: uuidInput.optional(),
    courseId: uuidInput.optional(),
    sessionType: sessionTypeSchema.optional(),
    status: z.enum(SESSION_STATUSES).optional(),
    from: instantInput.optional(),
    until: instantInput.optional(),
    hasFreeSpots: z.boolean().optional(),
    ...pagingInput,
  })
  .refine((v) => !v.from || !v.until || v.until.getTime() > v.from.getTime(), { message: 'until must be after from', path: ['until'] });

/** Input of `sessions.list`. */
export type ListSessionsInput = z.input<typeof listSessionsSchema>;

export const cancelSchema = z.strictObject({ sessionId: uuidInput, reason: textInput.trim().min(1, 'a cancellation needs a reason') });

export const postponeSchema = z.strictObject({ sessionId: uuidInput, reason: textInput.trim().min(1).optional() });

export const resumeSchema = z.strictObject({ sessionId: uuidInput, override: z.boolean().default(false) });

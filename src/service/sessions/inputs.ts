import { SESSION_STATUSES } from '../../domain/statuses';
import * as z from 'zod/mini';
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
  .strictObject({ ...newSessionFields, override: z._default(z.boolean(), false) })
  .check(z.superRefine(requireTimeOrder('startTime', 'endTime')));

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
    instructorId: z.nullish(uuidInput),
    facilityId: z.optional(uuidInput),
    override: z._default(z.boolean(), false),
    dryRun: z._default(z.boolean(), false),
  })
  .check(z.superRefine(requireTimeOrder('startTime', 'endTime')));

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
    locationId: z.optional(uuidInput),
    facilityId: z.optional(uuidInput),
    instructorId: z.optional(uuidInput),
    courseId: z.optional(uuidInput),
    sessionType: z.optional(sessionTypeSchema),
    status: z.optional(z.enum(SESSION_STATUSES)),
    from: z.optional(instantInput),
    until: z.optional(instantInput),
    hasFreeSpots: z.optional(z.boolean()),
    ...pagingInput,
  })
  .check(z.refine((v) => !v.from || !v.until || v.until.getTime() > v.from.getTime(), { message: 'until must be after from', path: ['until'] }));

/** Input of `sessions.list`. */
export type ListSessionsInput = z.input<typeof listSessionsSchema>;

export const cancelSchema = z.strictObject({ sessionId: uuidInput, reason: textInput.check(z.trim(), z.minLength(1, 'a cancellation needs a reason')) });

export const postponeSchema = z.strictObject({ sessionId: uuidInput, reason: z.optional(textInput.check(z.trim(), z.minLength(1))) });

export const resumeSchema = z.strictObject({ sessionId: uuidInput, override: z._default(z.boolean(), false) });

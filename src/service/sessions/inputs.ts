import { z } from 'zod';
import { instantInput, requireTimeOrder, uuidInput } from '../kernel/inputs';
import { newSessionFields, sessionChangeSchema } from '../kernel/session-fields';
import { sessionTypeSchema } from '../../domain';
import { pagingInput } from '../kernel/inputs';
import { textInput } from '../kernel/inputs';

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
  .strictObject({ ...newSessionFields, override: z.boolean().default(false) })
  .superRefine(requireTimeOrder('startTime', 'endTime'));

/** Input of `sessions.create`. */
export type CreateSessionInput = z.input<typeof createSessionSchema>;

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
export const updateSessionSchema = sessionChangeSchema;

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

/**
 * Input of `sessions.get`.
 *
 * @example
 * ```ts
 * getSessionSchema.parse({ sessionId });
 * ```
 */
export const getSessionSchema = z.strictObject({ sessionId: uuidInput });

/**
 * Input of `sessions.list`. `from`/`until` bound `start_time` half-open
 * (`from ≤ start_time < until`); `hasFreeSpots` keeps sessions with a place left.
 *
 * @example
 * ```ts
 * listSessionsSchema.parse({ locationId, from: new Date('2030-01-01Z'), until: new Date('2030-02-01Z'), hasFreeSpots: true });
 * ```
 */
export const listSessionsSchema = z
  .strictObject({
    locationId: uuidInput.optional(),
    facilityId: uuidInput.optional(),
    instructorId: uuidInput.optional(),
    courseId: uuidInput.optional(),
    sessionType: sessionTypeSchema.optional(),
    status: z.enum(['scheduled', 'in_progress', 'completed', 'cancelled', 'postponed']).optional(),
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

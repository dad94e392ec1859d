import { SESSION_STATUSES } from '../../domain/statuses';
import * as z from 'zod/mini';
import {
  LOCAL_DATE_NEEDS_A_ZONE,
  instantOrLocalDayInput,
  instantOrLocalInput,
  isLocal,
  requireRangeOrder,
  requireTimeOrder,
  uuidInput,
  pagingInput,
  textInput,
} from '../kernel/inputs';
import { allowPastInput, newSessionFields, sessionChangeSchema } from '../kernel/session-fields';
import { sessionTypeSchema, timeZoneSchema } from '../../domain';

/**
 * Input of `sessions.create`. `capacity` defaults to the policy maximum for the type
 * (or the facility's size when smaller); `override` (admins only) lets hard
 * conflicts through and records them as resolved by `manual_override`. `startTime` and
 * `endTime` are instants or local `{ date, time }` in the zone of `locationId`; a start
 * before the scheduler's clock needs `allowPast: true` (admins only).
 *
 * @internal
 */
export const createSessionSchema = z.lazy(() =>
  z
    .strictObject({ ...newSessionFields, override: z._default(z.boolean(), false), allowPast: allowPastInput })
    .check(z.superRefine(requireTimeOrder('startTime', 'endTime'))),
);

/** Input of `sessions.create`. */
export type CreateSessionInput = z.input<typeof createSessionSchema>;

/**
 * Input of `sessions.update`: the session and the fields to change. `dryRun` checks
 * everything and reports the problems without writing; `override` (admins only)
 * lets hard conflicts through. Local `{ date, time }` times are read in the zone of
 * the session's location, or of the new `locationId` when the change moves it.
 *
 * @internal
 */
export const updateSessionSchema = sessionChangeSchema;

/** Input of `sessions.update`. */
export type UpdateSessionInput = z.input<typeof updateSessionSchema>;

/**
 * Input of `sessions.reschedule`: new times (instants, or local `{ date, time }` in the
 * zone of the session's location) and optionally another instructor or facility.
 *
 * @internal
 */
export const rescheduleSessionSchema = z.lazy(() =>
  z
    .strictObject({
      sessionId: uuidInput,
      startTime: instantOrLocalInput,
      endTime: instantOrLocalInput,
      instructorId: z.nullish(uuidInput),
      facilityId: z.optional(uuidInput),
      override: z._default(z.boolean(), false),
      dryRun: z._default(z.boolean(), false),
      allowPast: allowPastInput,
    })
    .check(z.superRefine(requireTimeOrder('startTime', 'endTime'))),
);

/** Input of `sessions.reschedule`. */
export type RescheduleSessionInput = z.input<typeof rescheduleSessionSchema>;

/**
 * Input of `sessions.get`.
 *
 * @internal
 */
export const getSessionSchema = z.lazy(() => z.strictObject({ sessionId: uuidInput }));

/**
 * Input of `sessions.list`. `from`/`until` bound `start_time` half-open
 * (`from ≤ start_time < until`), each an instant or a local day `{ date }` (its first
 * instant in `timeZone`, else in the zone of `locationId`); `hasFreeSpots` keeps
 * sessions with a place left.
 *
 * @internal
 */
export const listSessionsSchema = z.lazy(() =>
  z
    .strictObject({
      locationId: z.optional(uuidInput),
      facilityId: z.optional(uuidInput),
      instructorId: z.optional(uuidInput),
      courseId: z.optional(uuidInput),
      sessionType: z.optional(sessionTypeSchema),
      status: z.optional(z.enum(SESSION_STATUSES)),
      from: z.optional(instantOrLocalDayInput),
      until: z.optional(instantOrLocalDayInput),
      /** The zone of local `from`/`until` dates (default: the zone of `locationId`). */
      timeZone: z.optional(timeZoneSchema),
      hasFreeSpots: z.optional(z.boolean()),
      ...pagingInput,
    })
    .check(
      z.superRefine(requireRangeOrder('from', 'until')),
      z.superRefine((v, ctx) => {
        if (v.timeZone !== undefined || v.locationId !== undefined) return;
        const local = (['from', 'until'] as const).find((key) => isLocal(v[key]));
        if (local) ctx.addIssue({ code: 'custom', path: [local], message: LOCAL_DATE_NEEDS_A_ZONE });
      }),
    ),
);

/** Input of `sessions.list`. */
export type ListSessionsInput = z.input<typeof listSessionsSchema>;

export const cancelSchema = z.lazy(() =>
  z.strictObject({ sessionId: uuidInput, reason: textInput.check(z.trim(), z.minLength(1, 'a cancellation needs a reason')) }),
);

export const postponeSchema = z.lazy(() => z.strictObject({ sessionId: uuidInput, reason: z.optional(textInput.check(z.trim(), z.minLength(1))) }));

export const resumeSchema = z.lazy(() => z.strictObject({ sessionId: uuidInput, override: z._default(z.boolean(), false) }));

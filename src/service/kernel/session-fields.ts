import { SESSION_STATUSES } from '../../domain/statuses';
import * as z from 'zod/mini';
import { sessionTypeSchema } from '../../domain';
import { instantToLocalTime, type ZonedLocalTime } from '../../domain/local-time';
import { invalidInput } from '../../domain/validate';
import type { ErrorPath } from '../../errors';
import { forbidden, isAdministrator } from './actor';
import {
  INT4_MAX,
  type LocalDateTimeInput,
  instantIn,
  instantOrLocalInput,
  isLocal,
  moneyInput,
  percentageInput,
  refusal,
  requireTimeOrder,
  storableText,
  textInput,
  timeOrderIssue,
  uuidInput,
} from './inputs';
import type { Actor } from './types';

/*
 * The fields of a session as callers give them: shared by `sessions.create` and a
 * series' template (which takes the times from its pattern), and by `sessions.update`
 * and a series' `editOccurrence` (which change one session the same way). Also what
 * the times become on the way in (local `{ date, time }` to instants, the rule on
 * starts in the past) and on the way out (`local`, the times on the location's clocks).
 */

/**
 * `allowPast: true` (administrators only): a start before the scheduler's clock is
 * accepted (`refuseStartInThePast`).
 *
 * @internal
 */
export const allowPastInput = z.optional(z.boolean());

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
  // An instant, or a local `{ date, time }` in the zone of the session's location (converted by the use case: `sessionInstantsIn`).
  startTime: instantOrLocalInput,
  endTime: instantOrLocalInput,
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

const changeFields = () =>
  Object.fromEntries(Object.entries(sessionFields).map(([key, schema]) => [key, z.optional(schema)])) as {
    [K in keyof typeof sessionFields]: z.ZodMiniOptional<(typeof sessionFields)[K]>;
  };

/**
 * A change to one session: the session and the fields to change. `dryRun` checks
 * everything and reports the problems without writing; `override` (admins only) lets
 * hard conflicts through; `allowPast` (admins only) lets a new start before the
 * scheduler's clock through.
 *
 * @internal
 */
export const sessionChangeSchema = z.lazy(() =>
  z
    .strictObject({
      sessionId: uuidInput,
      ...changeFields(),
      override: z._default(z.boolean(), false),
      dryRun: z._default(z.boolean(), false),
      allowPast: allowPastInput,
    })
    .check(z.superRefine(requireTimeOrder('startTime', 'endTime'))),
);

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

/** New times of a session as a caller gives them: instants, or local `{ date, time }` in the zone of its location. */
export interface SessionTimesInput {
  startTime?: Date | LocalDateTimeInput | undefined;
  endTime?: Date | LocalDateTimeInput | undefined;
}

/**
 * True when a session time is a local `{ date, time }`: the use case then reads the
 * zone of the session's location to convert it.
 *
 * @internal
 */
export function hasLocalTime(times: SessionTimesInput): boolean {
  return isLocal(times.startTime) || isLocal(times.endTime);
}

/**
 * A session's new times as instants, local ones read in `timeZone`, the zone of the
 * session's location (`localTimeToInstant`: a time in a spring-forward gap moves
 * forward by the gap, a repeated fall-back time is the earlier instant; start and end
 * are converted independently). When one was local, the time order the schema could
 * not check is checked here: `INVALID_INPUT` at `endTime`, as the schema words it.
 *
 * @internal
 */
export function sessionInstantsIn(times: SessionTimesInput, timeZone: string): { startTime?: Date; endTime?: Date } {
  const instants = {
    ...(times.startTime === undefined ? {} : { startTime: instantIn(times.startTime, timeZone) }),
    ...(times.endTime === undefined ? {} : { endTime: instantIn(times.endTime, timeZone) }),
  };
  const issue = hasLocalTime(times) ? timeOrderIssue(instants, 'startTime', 'endTime') : undefined;
  if (issue) throw refusal(issue);
  return instants;
}

/**
 * `authorize` of the methods that take `allowPast`: only administrators (admins and the
 * system) schedule a session in the past (`FORBIDDEN` for anyone else who sets it).
 *
 * @internal
 */
export function requireAdministratorToAllowPast(actor: Actor, input: { allowPast?: boolean | undefined }): void {
  if (input.allowPast && !isAdministrator(actor))
    throw forbidden(actor, 'set allowPast (schedule a session in the past)', 'administrators_only', ['allowPast']);
}

/**
 * Sessions in the past: a new start (`sessions.create`, and `sessions.update` /
 * `reschedule` when they change the start) before the scheduler's clock is refused
 * with `INVALID_INPUT` at `startTime`, `details.reason: 'in_the_past'`, unless the
 * input says `allowPast: true` (administrators only: `requireAdministratorToAllowPast`).
 * A start exactly at the clock is accepted. The message gives the start (also on the
 * location's wall clock, when its zone is known) and the clock.
 *
 * @internal
 */
export function refuseStartInThePast(
  startTime: Date,
  rule: { now: Date; allowPast?: boolean | undefined },
  context: { timeZone?: string; sessionId?: string } = {},
): void {
  if (rule.allowPast || startTime.getTime() >= rule.now.getTime()) return;
  const local = context.timeZone ? instantToLocalTime(startTime, context.timeZone) : undefined;
  const wallClock = local ? ` (${local.date} ${local.time} in ${local.timeZone})` : '';
  const path: ErrorPath = ['startTime'];
  throw invalidInput(
    `Invalid input at startTime: the session would start at ${startTime.toISOString()}${wallClock}, before now (${rule.now.toISOString()}); ` +
      'only administrators schedule a session in the past, with allowPast: true',
    path,
    { reason: 'in_the_past', ...(context.sessionId ? { sessionId: context.sessionId } : {}) },
  );
}

/** A wall-clock reading of an instant (`instantToLocalTime`), without the zone: it is given once, beside the readings. */
export type LocalReading = Omit<ZonedLocalTime, 'timeZone'>;

/**
 * Where a session or a free slot sits on the wall clocks of its location: the `local`
 * of every session `sessions.create`, `update`, `reschedule`, `get` and `list` return,
 * and of every free slot.
 */
export interface LocalTimes {
  /** The location's IANA zone (`locations.timezone`). */
  timeZone: string;
  /** The start: local date, `HH:MM` (`HH:MM:SS` with seconds) and UTC offset (`±HH:MM`). */
  start: LocalReading;
  /** The end, read the same way. */
  end: LocalReading;
}

function localReading(instant: Date, timeZone: string): LocalReading {
  const { date, time, offset } = instantToLocalTime(instant, timeZone);
  return { date, time, offset };
}

/**
 * The interval `[start, end)` on the wall clocks of `timeZone` (`instantToLocalTime`:
 * the offset tells the two 01:30 of a fall-back night apart).
 *
 * @internal
 */
export function localTimesOf(start: Date, end: Date, timeZone: string): LocalTimes {
  return { timeZone, start: localReading(start, timeZone), end: localReading(end, timeZone) };
}

/** A session with its `local` rendering. */
export type WithLocalTimes<S> = S & { local: LocalTimes };

/**
 * The session with `local`, its times on the wall clocks of its location's `timeZone`:
 * the one place the scheduler's session results get it (every other field unchanged).
 *
 * @internal
 */
export function withLocalTimes<S extends { startTime: Date; endTime: Date }>(session: S, timeZone: string): WithLocalTimes<S> {
  return { ...session, local: localTimesOf(session.startTime, session.endTime, timeZone) };
}

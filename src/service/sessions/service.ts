import type * as z from 'zod/mini';
import { parseInput } from '../../domain';
import { defineOperation } from '../kernel/operation';
import { sessionChangeSeenBy } from './seen-by';
import type { ServiceContext } from '../kernel/context';
import {
  createSessionSchema,
  rescheduleSessionSchema,
  updateSessionSchema,
  getSessionSchema,
  listSessionsSchema,
  cancelSchema,
  postponeSchema,
  resumeSchema,
} from './inputs';
import { setSessionStatus } from '../places/session-status';
import { getSession, listSessions } from './read';

import { createSession } from './create';
import { updateSession } from '../places/session-change';
import { promotionSettings } from '../places/waitlist-promotion';
import { requireAdministratorToAllowPast, setSessionStatusSchema } from '../kernel/session-fields';
import { sessionRef } from '../kernel/inputs';

/**
 * `scheduler.sessions`: create, change, move through the life cycle, read.
 *
 * @example
 * ```ts
 * declare const programId: string, courseId: string, locationId: string, facilityId: string, instructorId: string;
 * const { session, conflicts } = await scheduler.sessions.create(admin, {
 *   programId, courseId, locationId, facilityId, instructorId, sessionType: 'group', title: 'Swim club',
 *   startTime: '2030-01-15T15:00:00Z', endTime: '2030-01-15T16:00:00Z',
 * });
 * const withPlaces = await scheduler.sessions.list(parent, { courseId, from: '2030-01-13T00:00:00Z', until: '2030-01-20T00:00:00Z', hasFreeSpots: true });
 * await scheduler.sessions.cancel(admin, { sessionId: session.id, reason: 'Pool closed' });
 *
 * // The academy's own wall clock: local dates and times in the location's zone.
 * const local = await scheduler.sessions.create(admin, {
 *   programId, courseId, locationId, facilityId, instructorId, sessionType: 'group', title: 'Swim club',
 *   startTime: { date: '2030-01-22', time: '10:00' }, endTime: { date: '2030-01-22', time: '11:00' },
 * });
 * local.session.local; // { timeZone: 'America/New_York', start: { date: '2030-01-22', time: '10:00', offset: '-05:00' }, end: … }
 * const week = await scheduler.sessions.list(parent, { locationId, from: { date: '2030-01-20' }, until: { date: '2030-01-27' } });
 * ```
 */
export function createSessionService(ctx: ServiceContext) {
  const setStatus = defineOperation(ctx, setSessionStatusSchema, (tx, input, actor) => setSessionStatus(tx, input, actor, ctx.policy, ctx.now()), {
    override: (input) => input.override,
  });
  const statusShortcut = <S extends z.ZodMiniType>(schema: S, toStatus: (input: z.output<S>) => z.input<typeof setSessionStatusSchema>) =>
    defineOperation(
      ctx,
      schema,
      (tx, input, actor) => setSessionStatus(tx, parseInput(setSessionStatusSchema, toStatus(input)), actor, ctx.policy, ctx.now()),
      {
        override: (input) => Boolean((input as { override?: boolean }).override),
      },
    );
  return {
    /** Creates a session (times as instants or local `{ date, time }`); returns it, with `local`, and the conflicts recorded for it. */
    create: defineOperation(
      ctx,
      createSessionSchema,
      async (tx, input, actor) => sessionChangeSeenBy(tx, actor, await createSession(tx, input, actor, { policy: ctx.policy, now: ctx.now() })),
      {
        override: (input) => input.override,
        authorize: requireAdministratorToAllowPast,
      },
    ),
    /** Changes fields, times, instructor, facility or capacity (`dryRun` reports without writing). */
    update: defineOperation(
      ctx,
      updateSessionSchema,
      async (tx, input, actor) =>
        sessionChangeSeenBy(tx, actor, await updateSession(tx, input, actor, { policy: ctx.policy, promotion: promotionSettings(ctx), now: ctx.now() })),
      {
        override: (input) => input.override,
        authorize: requireAdministratorToAllowPast,
      },
    ),
    /** Moves a session to new times (and optionally another instructor or facility). */
    reschedule: defineOperation(
      ctx,
      rescheduleSessionSchema,
      async (tx, input, actor) =>
        sessionChangeSeenBy(tx, actor, await updateSession(tx, input, actor, { policy: ctx.policy, promotion: promotionSettings(ctx), now: ctx.now() })),
      {
        override: (input) => input.override,
        authorize: requireAdministratorToAllowPast,
      },
    ),
    /** Any allowed life-cycle transition. */
    setStatus,
    /** `scheduled → in_progress` (admins, or the session's instructor). */
    start: statusShortcut(sessionRef, (i) => ({ sessionId: i.sessionId, status: 'in_progress' })),
    /** `in_progress → completed` (admins, or the session's instructor). */
    complete: statusShortcut(sessionRef, (i) => ({ sessionId: i.sessionId, status: 'completed' })),
    /** `scheduled → postponed`. */
    postpone: statusShortcut(postponeSchema, (i) => ({ sessionId: i.sessionId, status: 'postponed', ...(i.reason ? { reason: i.reason } : {}) })),
    /** `postponed → scheduled`, re-checked like a new session. */
    resume: statusShortcut(resumeSchema, (i) => ({ sessionId: i.sessionId, status: 'scheduled', override: i.override })),
    /** Cancels a session and its confirmed/pending bookings. */
    cancel: statusShortcut(cancelSchema, (i) => ({ sessionId: i.sessionId, status: 'cancelled', reason: i.reason })),
    /** One session with bookings (+ students), instructor, facility and location; bookings only as the actor may see them (README "Who may see what"). */
    get: defineOperation(ctx, getSessionSchema, (tx, input, actor) => getSession(tx, input, actor)),
    /** Sessions matching filters (`from`/`until` as instants or local days), by start time, each with its instructor's and facility's names and `local` times (the timetable, for everyone; meeting links and preparation notes only to those concerned). */
    list: defineOperation(ctx, listSessionsSchema, (tx, input, actor) => listSessions(tx, input, actor)),
  };
}

/** `scheduler.sessions`. */
export type SessionService = ReturnType<typeof createSessionService>;

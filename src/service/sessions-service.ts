import { z } from 'zod';
import { defineOperation } from './operation';
import type { ServiceContext } from './service-context';
import { createSessionSchema, rescheduleSessionSchema, updateSessionSchema } from './session-inputs';
import { setSessionStatus, setSessionStatusSchema } from './session-status';
import { createSession, updateSession } from './sessions-write';
import { getSession, getSessionSchema, listSessions, listSessionsSchema } from './sessions-read';
import { textInput, uuidInput } from './input-schemas';

const sessionRef = z.strictObject({ sessionId: uuidInput });
const cancelSchema = z.strictObject({ sessionId: uuidInput, reason: textInput.trim().min(1, 'a cancellation needs a reason') });
const postponeSchema = z.strictObject({ sessionId: uuidInput, reason: textInput.trim().min(1).optional() });
const resumeSchema = z.strictObject({ sessionId: uuidInput, override: z.boolean().default(false) });

/**
 * `scheduler.sessions`: create, change, move through the life cycle, read.
 *
 * @example
 * ```ts
 * const sessions = createSessionService(ctx);
 * const { session } = await sessions.create(admin, { ...fields, sessionType: 'group', title: 'Swim club', startTime, endTime });
 * await sessions.cancel(admin, { sessionId: session.id, reason: 'Pool closed' });
 * ```
 */
export function createSessionService(ctx: ServiceContext) {
  const setStatus = defineOperation(ctx, setSessionStatusSchema, (tx, input, actor) => setSessionStatus(tx, input, actor, ctx.policy, ctx.now()), {
    override: (input) => input.override,
  });
  const statusShortcut = <S extends z.ZodType>(schema: S, toStatus: (input: z.output<S>) => z.input<typeof setSessionStatusSchema>) =>
    defineOperation(ctx, schema, (tx, input, actor) => setSessionStatus(tx, setSessionStatusSchema.parse(toStatus(input)), actor, ctx.policy, ctx.now()), {
      override: (input) => Boolean((input as { override?: boolean }).override),
    });
  return {
    /** Creates a session; returns it with the conflicts recorded for it. */
    create: defineOperation(ctx, createSessionSchema, (tx, input, actor) => createSession(tx, input, actor, ctx.policy), {
      override: (input) => input.override,
    }),
    /** Changes fields, times, instructor, facility or capacity (`dryRun` reports without writing). */
    update: defineOperation(ctx, updateSessionSchema, (tx, input, actor) => updateSession(tx, input, actor, ctx.policy), {
      override: (input) => input.override,
    }),
    /** Moves a session to new times (and optionally another instructor or facility). */
    reschedule: defineOperation(ctx, rescheduleSessionSchema, (tx, input, actor) => updateSession(tx, input, actor, ctx.policy), {
      override: (input) => input.override,
    }),
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
    /** One session with bookings (+ students), instructor, facility and location. */
    get: defineOperation(ctx, getSessionSchema, (tx, input) => getSession(tx, input)),
    /** Sessions matching filters, by start time. */
    list: defineOperation(ctx, listSessionsSchema, (tx, input) => listSessions(tx, input)),
  };
}

/** `scheduler.sessions`. */
export type SessionService = ReturnType<typeof createSessionService>;

import { ACTIVE_WAITLIST_STATUSES, isOneOf } from '../../domain/statuses';
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { SchedulingError, type InvalidStateReason } from '../../errors';
import { sessionWaitlist, sessions } from '../../schema/unqualified';
import { requireAdministrator } from '../kernel/actor';
import { requireActsForStudent, resolveParentId } from '../kernel/family-access';
import { assertBookable, assertStudentsFree } from '../places/session-load';
import { writeConfirmedBooking } from '../places/booking-rows';
import { lockSession } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import type { expireOffersSchema, joinWaitlistSchema, respondSchema } from './inputs';
import { type PromotionResult, type PromotionSettings, promoteFromWaitlist } from '../places/waitlist-promotion';
import { addToWaitlist, closeEntry, findEntry } from '../places/waitlist-queue';
import { type BookingRow, type WaitlistRow } from '../kernel/rows';
import { assertNotInSession, openSessionForBooking } from '../places/open-session';

/**
 * The entry, re-read and locked after its session's row lock (session first, as
 * every path that changes the queue), and the session.
 *
 * @internal
 */
export async function lockEntry(tx: SchedulingDb, ref: string) {
  const found = await findEntry(tx, ref);
  const session = await lockSession(tx, found.sessionId);
  const [entry] = await tx.select().from(sessionWaitlist).where(eq(sessionWaitlist.id, found.id)).for('update');
  return { entry: entry!, session };
}

function invalidState(entry: WaitlistRow, reason: InvalidStateReason, message: string): SchedulingError {
  return new SchedulingError('INVALID_STATE', message, { waitlistId: entry.id, waitlistStatus: entry.status, reason });
}

/**
 * Queues a student for a full session (`INVALID_STATE` with reason
 * `places_available` when a place is free: book it instead). Same refusals as
 * booking, plus `WAITLIST_FULL`.
 *
 * @internal
 */
export async function joinWaitlist(tx: SchedulingDb, input: z.output<typeof joinWaitlistSchema>, actor: Actor, settings: PromotionSettings) {
  if (input.priorityScore !== undefined) requireAdministrator(actor, 'set a waitlist priority', ['priorityScore']);
  await requireActsForStudent(tx, actor, input.studentId, 'join the waitlist');
  const parentId = await resolveParentId(tx, actor, input.studentId, input.parentId);
  const load = await openSessionForBooking(tx, input.sessionId, settings, async (session) => {
    await assertNotInSession(tx, session.id, input.studentId);
    await assertStudentsFree(tx, [input.studentId], session, [session.id]);
  });
  if (load.freeSpots > 0) {
    throw new SchedulingError('INVALID_STATE', `Session ${load.session.sessionId} has ${load.freeSpots} free place(s): book instead`, {
      sessionId: load.session.id,
      freeSpots: load.freeSpots,
      reason: 'places_available',
    });
  }
  const entry = await addToWaitlist(tx, load, { ...input, parentId, now: settings.now });
  return { entry, position: entry.position };
}

/**
 * Takes a student off the queue (`cancelled`); the entries behind move up. Leaving
 * with an open offer releases the held place to the next in line.
 *
 * @internal
 */
export async function leaveWaitlist(tx: SchedulingDb, input: z.output<typeof respondSchema>, actor: Actor, settings: PromotionSettings) {
  const { entry } = await lockEntry(tx, input.waitlistId);
  await requireActsForStudent(tx, actor, entry.studentId, 'take this student off the waitlist');
  if (!isOneOf(ACTIVE_WAITLIST_STATUSES, entry.status)) throw invalidState(entry, 'not_waiting', `A ${entry.status} entry cannot leave the waitlist`);
  const left = await closeEntry(tx, entry, { status: 'cancelled', now: settings.now, notes: input.notes });
  return { entry: left, promotion: await promoteFromWaitlist(tx, entry.sessionId, settings) };
}

/**
 * Accepts an open offer: the held place becomes a confirmed booking and the entry
 * `accepted`. Refused with `INVALID_STATE` (reason `not_offered` or `offer_expired`)
 * otherwise. Runs under the session lock, as `expireOffers` does, so an offer is
 * either accepted or expired, never both.
 *
 * @internal
 */
export async function acceptOffer(
  tx: SchedulingDb,
  input: { waitlistId: string },
  actor: Actor,
  settings: PromotionSettings,
): Promise<{ booking: BookingRow; entry: WaitlistRow }> {
  const { entry, session } = await lockEntry(tx, input.waitlistId);
  await requireActsForStudent(tx, actor, entry.studentId, 'accept this offer');
  if (entry.status !== 'offered') throw invalidState(entry, 'not_offered', `There is no open offer on ${entry.waitlistId}`);
  if (entry.responseDeadline && entry.responseDeadline.getTime() <= settings.now.getTime()) {
    throw invalidState(entry, 'offer_expired', `The offer on ${entry.waitlistId} expired at ${entry.responseDeadline.toISOString()}`);
  }
  assertBookable(session, settings.now);
  await assertStudentsFree(tx, [entry.studentId], session, [session.id]);
  const booking = await writeConfirmedBooking(tx, { sessionId: session.id, studentId: entry.studentId, parentId: entry.parentId, source: 'waitlist' });
  return { booking, entry: await closeEntry(tx, entry, { status: 'accepted', now: settings.now, responded: true }) };
}

/**
 * Declines an open offer (`declined`); the place goes to the next in line.
 *
 * @internal
 */
export async function declineOffer(tx: SchedulingDb, input: z.output<typeof respondSchema>, actor: Actor, settings: PromotionSettings) {
  const { entry } = await lockEntry(tx, input.waitlistId);
  await requireActsForStudent(tx, actor, entry.studentId, 'decline this offer');
  if (entry.status !== 'offered') throw invalidState(entry, 'not_offered', `There is no open offer on ${entry.waitlistId}`);
  const declined = await closeEntry(tx, entry, { status: 'declined', now: settings.now, notes: input.notes, responded: true });
  return { entry: declined, promotion: await promoteFromWaitlist(tx, entry.sessionId, settings) };
}

/** Result of `waitlist.expireOffers`. */
export interface ExpireOffersResult {
  /** Sessions settled in this call. */
  sessions: number;
  /** Sessions with due offers left for a later run because another transaction held them. */
  busySessions: number;
  expired: WaitlistRow[];
  offered: WaitlistRow[];
  confirmed: PromotionResult['confirmed'];
}

/**
 * Expires offers past their deadline and passes their places on. Safe to run from
 * cron on several machines at once: sessions are locked with `SKIP LOCKED` (a
 * session another run or an `accept` is working on is left for the next run), and
 * the decision is re-made under each lock, so an offer accepted meanwhile is not
 * expired.
 *
 * @internal
 */
export async function expireDueOffers(tx: SchedulingDb, input: z.output<typeof expireOffersSchema>, settings: PromotionSettings): Promise<ExpireOffersResult> {
  const due = await tx
    .selectDistinct({ id: sessionWaitlist.sessionId })
    .from(sessionWaitlist)
    .where(and(eq(sessionWaitlist.status, 'offered'), lte(sessionWaitlist.responseDeadline, settings.now)))
    .orderBy(asc(sessionWaitlist.sessionId))
    .limit(input.limit);
  if (due.length === 0) return { sessions: 0, busySessions: 0, expired: [], offered: [], confirmed: [] };
  const locked = await tx
    .select({ id: sessions.id })
    .from(sessions)
    .where(
      inArray(
        sessions.id,
        due.map((d) => d.id),
      ),
    )
    .orderBy(asc(sessions.id))
    .for('no key update', { skipLocked: true });
  const result: ExpireOffersResult = { sessions: locked.length, busySessions: due.length - locked.length, expired: [], offered: [], confirmed: [] };
  for (const { id } of locked) {
    const promotion = await promoteFromWaitlist(tx, id, settings);
    result.expired.push(...promotion.expired);
    result.offered.push(...promotion.offered);
    result.confirmed.push(...promotion.confirmed);
  }
  return result;
}

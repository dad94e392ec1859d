import { WAITING_STATUSES, isOneOf } from '../../domain/statuses';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { planPromotions } from '../../domain';
import { isSchedulingError } from '../../errors';
import { toSchedulingError } from '../../db/database-errors';
import { sessionBookings, sessionWaitlist, sessions } from '../../schema/unqualified';
import { findStudentConflicts } from './session-load';
import { freePlaces, notBookableReason } from '../../domain/bookability';
import { writeConfirmedBooking } from './booking-rows';
import { type SchedulingDb, inSavepoint } from '../../db/scheduling-db';
import type { ServiceContext } from '../kernel/context';
import type { Actor } from '../kernel/types';
import { requireAdministrator } from '../kernel/actor';
import { activeEntries, renumberWaitlist } from './waitlist-queue';
import { type BookingRow, type WaitlistRow } from '../kernel/rows';

/** How promotion behaves: the scheduler's options, optionally overridden per call. */
export interface PromotionSettings {
  now: Date;
  offerWindowMinutes: number;
  mode: 'offer' | 'auto';
}

/** What a promotion did. */
export interface PromotionResult {
  /** Entries now `offered`, holding a place until `responseDeadline`. */
  offered: WaitlistRow[];
  /** Mode `auto`: entries `accepted` with the booking made for them. */
  confirmed: Array<{ entry: WaitlistRow; booking: BookingRow }>;
  /** Offers whose deadline had passed, now `expired`; their places were passed on. */
  expired: WaitlistRow[];
  /** Students passed over for now (they keep their place), with why. */
  skipped: Array<{ id: string; waitlistId: string; studentId: string; reason: string }>;
}

/** The method recorded for a notification when the entry names none. */
export const DEFAULT_NOTIFICATION_METHOD = 'email';

/**
 * Hands free places in a session to its waitlist, as `planPromotions` decides:
 * expires offers past their deadline (their places come free), then offers places
 * (mode `offer`: held until the deadline) or books students directly (mode `auto`).
 * A student already confirmed in an overlapping session is skipped with the reason
 * `student_conflict` and keeps their place. Each offer or automatic booking records
 * that a notification is owed (`notification_sent = false`, `notified_at` null).
 * Positions are renumbered afterwards. Nothing is offered in a session that takes no
 * bookings (cancelled, postponed, started). The caller holds the session row lock.
 *
 * @internal
 */
export async function promoteFromWaitlist(tx: SchedulingDb, sessionId: string, settings: PromotionSettings): Promise<PromotionResult> {
  const result: PromotionResult = { offered: [], confirmed: [], expired: [], skipped: [] };
  const ineligible = new Map<string, string>();
  const skipped = new Map<string, PromotionResult['skipped'][number]>();
  let changed = false;
  // Each round plans from the current rows; a round repeats only when an automatic
  // booking was refused by the database, so at most once per waiting entry.
  for (;;) {
    const [session] = await tx.select().from(sessions).where(eq(sessions.id, sessionId));
    const entries = await activeEntries(tx, sessionId);
    if (!session || entries.length === 0) break;
    const bookable = notBookableReason(session, settings.now) === null;
    const held = entries.filter((e) => e.status === 'offered' && (!e.responseDeadline || e.responseDeadline > settings.now)).length;
    // Eligibility costs queries: only look when some place is actually up for grabs.
    if (bookable && freePlaces({ capacity: session.capacity, confirmed: session.currentBookings, heldOffers: held }) > 0)
      await markIneligible(tx, session, entries, ineligible);
    const plan = planPromotions({
      entries: entries.map((e) => ({ ...e, addedAt: e.addedAt ?? new Date(0) })),
      // planPromotions counts the offers among `entries` itself: hand it the places not confirmed.
      freeSpots: bookable ? freePlaces({ capacity: session.capacity, confirmed: session.currentBookings, heldOffers: 0 }) : 0,
      now: settings.now,
      offerWindowMinutes: settings.offerWindowMinutes,
      mode: settings.mode,
      ineligible,
    });
    const byId = new Map(entries.map((e) => [e.id, e]));
    for (const skip of plan.skipped) {
      const entry = byId.get(skip.entryId)!;
      skipped.set(entry.id, { id: entry.id, waitlistId: entry.waitlistId, studentId: entry.studentId, reason: skip.reason });
    }
    if (plan.expirations.length) {
      result.expired.push(
        ...(await setStatus(
          tx,
          plan.expirations.map((e) => e.entryId),
          { status: 'expired' },
        )),
      );
      changed = true;
    }
    for (const offer of plan.offers) {
      const [row] = await setStatus(tx, [offer.entryId], { status: 'offered', responseDeadline: offer.responseDeadline, ...notificationOwed() });
      result.offered.push(row!);
      changed = true;
    }
    // Student order, so two promotions never lock the same students in opposite order.
    const confirmations = plan.confirmations.map((c) => byId.get(c.entryId)!).sort((a, b) => (a.studentId < b.studentId ? -1 : 1));
    let refused = false;
    for (const entry of confirmations) {
      const booking = await confirmInSavepoint(tx, entry);
      if (typeof booking === 'string') {
        ineligible.set(entry.id, booking);
        refused = true;
        continue;
      }
      const [row] = await setStatus(tx, [entry.id], { status: 'accepted', ...notificationOwed() });
      result.confirmed.push({ entry: row!, booking });
      skipped.delete(entry.id);
      changed = true;
    }
    if (!refused) break;
  }
  result.skipped = [...skipped.values()];
  if (!changed) return result;
  await renumberWaitlist(tx, sessionId);
  // Return the rows as they are now, positions included.
  const fresh = new Map((await tx.select().from(sessionWaitlist).where(eq(sessionWaitlist.sessionId, sessionId))).map((row) => [row.id, row]));
  const now = (row: WaitlistRow) => fresh.get(row.id) ?? row;
  return {
    offered: result.offered.map(now),
    confirmed: result.confirmed.map((c) => ({ ...c, entry: now(c.entry) })),
    expired: result.expired.map(now),
    skipped: result.skipped,
  };
}

/** Marks waiting students who may not be promoted now (confirmed elsewhere at that time, or already here). */
async function markIneligible(tx: SchedulingDb, session: typeof sessions.$inferSelect, entries: WaitlistRow[], ineligible: Map<string, string>): Promise<void> {
  const waiting = entries.filter((e) => isOneOf(WAITING_STATUSES, e.status));
  const clashes = await findStudentConflicts(
    tx,
    waiting.map((e) => e.studentId),
    session,
    [session.id],
  );
  const clashing = new Set(clashes.map((c) => c.studentId));
  const here = await tx
    .select({ studentId: sessionBookings.studentId })
    .from(sessionBookings)
    .where(
      and(
        eq(sessionBookings.sessionId, session.id),
        eq(sessionBookings.bookingStatus, 'confirmed'),
        inArray(
          sessionBookings.studentId,
          waiting.map((e) => e.studentId),
        ),
      ),
    );
  const booked = new Set(here.map((b) => b.studentId));
  for (const entry of waiting) {
    if (clashing.has(entry.studentId)) ineligible.set(entry.id, 'student_conflict');
    else if (booked.has(entry.studentId)) ineligible.set(entry.id, 'already_booked');
  }
}

/**
 * Books a waitlisted student inside a savepoint: a refusal by the database (the
 * student was confirmed elsewhere at that time by a transaction our check could not
 * see) rolls back only this booking and is returned as the skip reason.
 */
async function confirmInSavepoint(tx: SchedulingDb, entry: WaitlistRow): Promise<BookingRow | string> {
  try {
    return await inSavepoint(tx, (savepoint) =>
      writeConfirmedBooking(savepoint, {
        sessionId: entry.sessionId,
        studentId: entry.studentId,
        parentId: entry.parentId,
        source: 'waitlist',
      }),
    );
  } catch (error) {
    const code = (isSchedulingError(error) ? error : toSchedulingError(error)).code;
    if (code !== 'STUDENT_CONFLICT' && code !== 'ALREADY_BOOKED') throw error;
    return code === 'STUDENT_CONFLICT' ? 'student_conflict' : 'already_booked';
  }
}

/** A notification is owed and nobody has claimed it yet. */
function notificationOwed() {
  return {
    notificationSent: false,
    notifiedAt: null,
    notificationMethod: sql`coalesce(${sessionWaitlist.notificationMethod}, ${DEFAULT_NOTIFICATION_METHOD})`,
  };
}

async function setStatus(tx: SchedulingDb, ids: string[], values: PgUpdateSetSource<typeof sessionWaitlist>): Promise<WaitlistRow[]> {
  return tx
    .update(sessionWaitlist)
    .set({ ...values, updatedAt: sql`now()` })
    .where(inArray(sessionWaitlist.id, ids))
    .returning();
}

/**
 * The promotion settings of one call: the scheduler's clock, mode and offer window,
 * the window optionally overridden by the call (administrators only, see
 * {@link requireAdministratorForWindow}).
 *
 * @internal
 */
export function promotionSettings(ctx: Pick<ServiceContext, 'now' | 'offerWindowMinutes' | 'promotionMode'>, offerWindowMinutes?: number): PromotionSettings {
  return { now: ctx.now(), offerWindowMinutes: offerWindowMinutes ?? ctx.offerWindowMinutes, mode: ctx.promotionMode };
}

/**
 * `authorize` option of operations that accept `offerWindowMinutes`: only
 * administrators may shorten or lengthen someone else's offer.
 *
 * @internal
 */
export function requireAdministratorForWindow(actor: Actor, input: { offerWindowMinutes?: number | undefined }): void {
  if (input.offerWindowMinutes !== undefined) requireAdministrator(actor, 'choose the offer window', ['offerWindowMinutes']);
}

import { eq, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import type { CapacityPolicy } from '../../domain';
import { recurringPatterns } from '../../schema/unqualified';
import type { SchedulingDb } from '../../db/scheduling-db';
import { addDays } from './calendar';
import type { cancelFromSchema, cancelOccurrenceSchema } from './inputs';
import { type PatternRow, isOpen, lockSeries, lockSeriesOf } from './pattern';
import { type CancelledBooking, type SessionStatusResult, setSessionStatus } from '../places/session-status';
import type { Actor } from '../kernel/types';
import type { SessionRow } from '../kernel/rows';

/**
 * Cancels one occurrence with the session cancel logic: reason, who and when, and
 * its confirmed and pending bookings cancelled as the academy's decision.
 *
 * @internal
 */
export async function cancelOccurrence(
  tx: SchedulingDb,
  input: z.output<typeof cancelOccurrenceSchema>,
  actor: Actor,
  policy: CapacityPolicy,
  now: Date,
): Promise<SessionStatusResult> {
  await lockSeriesOf(tx, input.sessionId);
  return setSessionStatus(tx, { sessionId: input.sessionId, status: 'cancelled', reason: input.reason, override: false }, actor, policy, now);
}

/** Result of `series.cancelFrom`. */
export interface CancelFromResult {
  /** The pattern, now ending the day before `fromDate` (or inactive when nothing of it is left). */
  pattern: PatternRow;
  /** The occurrences cancelled, by start time. */
  sessions: SessionRow[];
  /** Their bookings, cancelled with type `academy`. */
  cancelledBookings: CancelledBooking[];
}

/**
 * Cancels every open occurrence on or after a local date (each with the session
 * cancel logic, bookings included) and ends the pattern the day before. Occurrences
 * in the past, in progress, completed or already cancelled are left alone.
 *
 * @internal
 */
export async function cancelFrom(
  tx: SchedulingDb,
  input: z.output<typeof cancelFromSchema>,
  actor: Actor,
  policy: CapacityPolicy,
  now: Date,
): Promise<CancelFromResult> {
  const { pattern, sessions } = await lockSeries(tx, input.patternId);
  const cancelled: SessionStatusResult[] = [];
  for (const session of sessions.filter((s) => s.localDate >= input.fromDate && isOpen(s, now))) {
    cancelled.push(await setSessionStatus(tx, { sessionId: session.id, status: 'cancelled', reason: input.reason, override: false }, actor, policy, now));
  }
  const dayBefore = addDays(input.fromDate, -1);
  const ends = input.fromDate <= pattern.startDate ? { isActive: false } : pattern.endDate && pattern.endDate <= dayBefore ? {} : { endDate: dayBefore };
  const [updated] = await tx
    .update(recurringPatterns)
    .set({ ...ends, updatedAt: sql`now()` })
    .where(eq(recurringPatterns.id, pattern.id))
    .returning();
  return {
    pattern: updated!,
    sessions: cancelled.map((c) => c.session),
    cancelledBookings: cancelled.flatMap((c) => c.cancelledBookings),
  };
}

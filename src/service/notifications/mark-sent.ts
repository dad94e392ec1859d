import type * as z from 'zod/mini';
import { type SchedulingDb } from '../../db/scheduling-db';
import { sessionWaitlist } from '../../schema';
import { WAITLIST_CODE } from '../places/waitlist-queue';
import { markSentSchema } from './inputs';
import { and, inArray, isNotNull, or, sql } from 'drizzle-orm';

/**
 * Records that claimed notifications were delivered (`notification_sent = true`).
 * Entries never claimed are left alone. Returns the entries marked.
 *
 * @internal
 */
export async function markNotificationsSent(tx: SchedulingDb, input: z.output<typeof markSentSchema>) {
  const codes = input.waitlistIds.filter((id) => WAITLIST_CODE.test(id));
  const uuids = input.waitlistIds.filter((id) => !WAITLIST_CODE.test(id));
  const w = sessionWaitlist;
  const marked = await tx
    .update(w)
    .set({ notificationSent: true, updatedAt: sql`now()` })
    .where(and(isNotNull(w.notifiedAt), or(uuids.length ? inArray(w.id, uuids) : undefined, codes.length ? inArray(w.waitlistId, codes) : undefined)))
    .returning({ id: w.id, waitlistId: w.waitlistId });
  return { marked: marked.length, waitlistIds: marked.map((m) => m.waitlistId).sort() };
}

import type * as z from 'zod/mini';
import { type SchedulingDb } from '../../db/scheduling-db';
import { sessionWaitlist } from '../../schema/unqualified';
import { WAITLIST_CODE } from '../places/waitlist-queue';
import { notFound } from '../kernel/lookups';
import { markSentSchema } from './inputs';
import { and, inArray, isNotNull, or, sql } from 'drizzle-orm';

/**
 * Records that claimed notifications were delivered (`notification_sent = true`).
 * Entries never claimed are left alone; an id that names no waitlist entry is
 * `NOT_FOUND` (at `waitlistIds[i]`) and nothing is marked. Returns the entries marked.
 *
 * @internal
 */
export async function markNotificationsSent(tx: SchedulingDb, input: z.output<typeof markSentSchema>) {
  const codes = input.waitlistIds.filter((id) => WAITLIST_CODE.test(id));
  const uuids = input.waitlistIds.filter((id) => !WAITLIST_CODE.test(id));
  const w = sessionWaitlist;
  const known = await tx
    .select({ id: w.id, waitlistId: w.waitlistId })
    .from(w)
    .where(or(uuids.length ? inArray(w.id, uuids) : undefined, codes.length ? inArray(w.waitlistId, codes) : undefined));
  const found = new Set(known.flatMap((row) => [row.id, row.waitlistId]));
  const missing = input.waitlistIds.findIndex((id) => !found.has(id));
  if (missing >= 0) throw notFound('waitlist entry', input.waitlistIds[missing]!, ['waitlistIds', missing]);
  const marked = await tx
    .update(w)
    .set({ notificationSent: true, updatedAt: sql`now()` })
    .where(and(isNotNull(w.notifiedAt), or(uuids.length ? inArray(w.id, uuids) : undefined, codes.length ? inArray(w.waitlistId, codes) : undefined)))
    .returning({ id: w.id, waitlistId: w.waitlistId });
  return { marked: marked.length, waitlistIds: marked.map((m) => m.waitlistId).sort() };
}

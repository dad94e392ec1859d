import * as z from 'zod/mini';
import { WAITING_STATUSES, WAITLIST_STATUSES, isOneOf } from './statuses';
import { idSchema, instantSchema } from './schemas';
import { parseInput } from './validate';

/** The reference schema's `session_waitlist.status` values. */
export const waitlistStatusSchema = z.enum(WAITLIST_STATUSES);
export type { WaitlistStatus } from './statuses';

/**
 * A `session_waitlist` entry (camelCase). `ineligibleReason`, when set, marks a
 * student who may not be promoted now (unpaid, level mismatch…).
 *
 * @example
 * ```ts
 * import { waitlistEntrySchema } from 'academy-scheduling/domain';
 * waitlistEntrySchema.parse({ id: 'w1', studentId: 's1', position: 1, priorityScore: 0, addedAt: new Date('2025-03-01T09:00Z'), status: 'waiting' });
 * ```
 */
export const waitlistEntrySchema = z.object({
  id: idSchema,
  studentId: z.nullish(idSchema),
  position: z.number().check(z.int(), z.gte(1)),
  priorityScore: z.nullish(z.number().check(z.int())),
  addedAt: instantSchema,
  status: waitlistStatusSchema,
  responseDeadline: z.nullish(instantSchema),
  ineligibleReason: z.nullish(z.string().check(z.minLength(1))),
});

/** A waitlist entry (input shape). */
export type WaitlistEntry = z.input<typeof waitlistEntrySchema>;
type Entry = z.output<typeof waitlistEntrySchema>;

const uniqueEntriesSchema = z.lazy(() =>
  z.array(waitlistEntrySchema).check(
    z.superRefine((entries, ctx) => {
      const seen = new Set<string>();
      entries.forEach((e, i) => {
        if (seen.has(e.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate entry id ${e.id}` });
        seen.add(e.id);
      });
    }),
  ),
);

/**
 * Waitlist order: higher `priorityScore` first (null = 0), then lower `position`, then
 * earlier `addedAt`, then `id` (code-unit order). A total order on distinct ids.
 *
 * @example
 * ```ts
 * import { compareWaitlistEntries } from 'academy-scheduling/domain';
 * const addedAt = new Date('2025-03-01T09:00Z');
 * const entries = [
 *   { id: 'w2', position: 2, addedAt },
 *   { id: 'w1', position: 1, addedAt },
 *   { id: 'w3', position: 3, priorityScore: 10, addedAt },
 * ];
 * entries.sort(compareWaitlistEntries).map((e) => e.id); // ['w3', 'w1', 'w2']
 * ```
 */
export function compareWaitlistEntries(
  a: Pick<Entry, 'id' | 'position' | 'priorityScore' | 'addedAt'>,
  b: Pick<Entry, 'id' | 'position' | 'priorityScore' | 'addedAt'>,
): number {
  return (
    (b.priorityScore ?? 0) - (a.priorityScore ?? 0) ||
    a.position - b.position ||
    a.addedAt.getTime() - b.addedAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * The entries in waitlist order (see {@link compareWaitlistEntries}); a new array.
 *
 * @example
 * ```ts
 * import { rankWaitlist } from 'academy-scheduling/domain';
 * const addedAt = new Date('2025-03-01T09:00Z');
 * rankWaitlist([
 *   { id: 'b', studentId: 's2', position: 2, addedAt, status: 'waiting' },
 *   { id: 'a', studentId: 's1', position: 1, addedAt, status: 'waiting' },
 * ]).map((e) => e.id); // ['a', 'b']
 * ```
 */
export function rankWaitlist<T extends WaitlistEntry>(entries: readonly T[]): T[] {
  const parsed = parseInput(uniqueEntriesSchema, entries, { prefix: ['entries'], argument: 'entries' });
  // Sort indices with the parsed values, return the caller's own objects.
  return parsed
    .map((entry, index) => ({ entry, index }))
    .sort((x, y) => compareWaitlistEntries(x.entry, y.entry))
    .map(({ index }) => entries[index] as T);
}

/**
 * Input of {@link planPromotions}.
 * Built on its first parse (`z.lazy`), not when the package is imported.
 *
 * @example
 * ```ts
 * import { planPromotionsInputSchema } from 'academy-scheduling/domain';
 * planPromotionsInputSchema.parse({
 *   entries: [{ id: 'w1', studentId: 's1', position: 1, addedAt: new Date('2025-03-01T09:00Z'), status: 'waiting' }],
 *   freeSpots: 1, now: new Date('2025-03-01T12:00Z'), offerWindowMinutes: 1440, mode: 'offer',
 * });
 * ```
 */
export const planPromotionsInputSchema = z.lazy(() =>
  z
    .object({
      entries: uniqueEntriesSchema,
      /** Places free on the session now (capacity − confirmed bookings); offers not yet answered are subtracted. */
      freeSpots: z.number().check(z.int(), z.gte(0)),
      now: instantSchema,
      offerWindowMinutes: z.optional(z.number().check(z.int(), z.gte(1), z.lte(60 * 24 * 60))),
      mode: z.enum(['offer', 'auto']),
      /** Entry id → reason, for students who may not be promoted now. */
      ineligible: z.optional(z.union([z.map(idSchema, z.string().check(z.minLength(1))), z.record(idSchema, z.string().check(z.minLength(1)))])),
    })
    .check(
      z.refine((i) => i.mode === 'auto' || i.offerWindowMinutes !== undefined, {
        message: "offerWindowMinutes is required in 'offer' mode",
        path: ['offerWindowMinutes'],
      }),
    ),
);

/** Input of {@link planPromotions}. */
export type PlanPromotionsInput = z.input<typeof planPromotionsInputSchema>;

/** What to do with the waitlist when spots are free. */
export interface PromotionPlan {
  /** Entries to offer a place (mode `offer`), in rank order. */
  offers: Array<{ entryId: string; studentId: string | null; responseDeadline: Date }>;
  /** Entries to book directly (mode `auto`), in rank order. */
  confirmations: Array<{ entryId: string; studentId: string | null }>;
  /** Offers whose deadline has passed (deadline ≤ now): mark expired; their spots are free again. */
  expirations: Array<{ entryId: string; studentId: string | null; responseDeadline: Date }>;
  /** Candidates passed over, with why; they keep their place in the queue. */
  skipped: Array<{ entryId: string; reason: string }>;
  /** Spots still free after this plan (offers outstanding already subtracted). */
  remainingSpots: number;
}

/**
 * Decides who gets the free spots. Outstanding offers (`offered` with a deadline after
 * `now`, or without a deadline) hold a spot each; expired ones (deadline ≤ now) are
 * returned as `expirations` and hold nothing. Candidates are `waiting`/`notified`
 * entries in waitlist order; an ineligible one (`ineligible` map or
 * `ineligibleReason`) or one whose student already holds an unexpired offer is skipped
 * with a reason and keeps its place. Each remaining spot goes to the next candidate:
 * an offer with `responseDeadline = now + offerWindowMinutes` (mode `offer`) or a
 * confirmation (mode `auto`). Skips are reported only for candidates reached before
 * the spots ran out.
 *
 * @example
 * ```ts
 * import { planPromotions } from 'academy-scheduling/domain';
 * const addedAt = new Date('2025-03-01T09:00Z');
 * planPromotions({
 *   entries: [
 *     { id: 'w1', studentId: 's1', position: 1, addedAt, status: 'offered', responseDeadline: new Date('2025-03-01T11:00Z') },
 *     { id: 'w2', studentId: 's2', position: 2, addedAt, status: 'waiting', ineligibleReason: 'unpaid' },
 *     { id: 'w3', studentId: 's3', position: 3, addedAt, status: 'waiting' },
 *   ],
 *   freeSpots: 1, now: new Date('2025-03-01T12:00Z'), offerWindowMinutes: 60, mode: 'offer',
 * });
 * // { offers: [{ entryId: 'w3', studentId: 's3', responseDeadline: 2025-03-01T13:00Z }], confirmations: [],
 * //   expirations: [{ entryId: 'w1', … }], skipped: [{ entryId: 'w2', reason: 'unpaid' }], remainingSpots: 0 }
 * ```
 */
export function planPromotions(input: PlanPromotionsInput): PromotionPlan {
  const parsed = parseInput(planPromotionsInputSchema, input);
  const now = parsed.now.getTime();
  const ineligible = parsed.ineligible instanceof Map ? parsed.ineligible : new Map(Object.entries(parsed.ineligible ?? {}));
  const plan: PromotionPlan = { offers: [], confirmations: [], expirations: [], skipped: [], remainingSpots: 0 };

  const holdingOffer = new Set<string>();
  let outstanding = 0;
  for (const e of parsed.entries) {
    if (e.status !== 'offered') continue;
    if (e.responseDeadline && e.responseDeadline.getTime() <= now) {
      plan.expirations.push({ entryId: e.id, studentId: e.studentId ?? null, responseDeadline: e.responseDeadline });
    } else {
      outstanding++;
      holdingOffer.add(e.id);
      if (e.studentId) holdingOffer.add(`student:${e.studentId}`);
    }
  }

  let spots = Math.max(0, parsed.freeSpots - outstanding);
  const candidates = parsed.entries.filter((e) => isOneOf(WAITING_STATUSES, e.status)).sort(compareWaitlistEntries);
  const deadline = now + (parsed.offerWindowMinutes ?? 0) * 60_000;
  for (const e of candidates) {
    if (spots === 0) break;
    const reason = ineligible.get(e.id) ?? e.ineligibleReason ?? (e.studentId && holdingOffer.has(`student:${e.studentId}`) ? 'already_offered' : null);
    if (reason) {
      plan.skipped.push({ entryId: e.id, reason });
      continue;
    }
    if (e.studentId) holdingOffer.add(`student:${e.studentId}`);
    if (parsed.mode === 'offer') plan.offers.push({ entryId: e.id, studentId: e.studentId ?? null, responseDeadline: new Date(deadline) });
    else plan.confirmations.push({ entryId: e.id, studentId: e.studentId ?? null });
    spots--;
  }
  plan.remainingSpots = spots;
  return plan;
}

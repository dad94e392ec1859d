import * as z from 'zod/mini';
import { availabilityWindowSchema, instructorIntervalSchema } from './availability';
import { instantSchema } from './schemas';
import { parseInput } from './validate';
import { crowdedRegions } from './intervals';

/**
 * Input of {@link findFreeSlots}.
 * Built on its first parse (`z.lazy`), not when the package is imported.
 *
 * @example
 * ```ts
 * import { findFreeSlotsInputSchema } from 'academy-scheduling/domain';
 * const at = (h: number) => new Date(Date.UTC(2025, 0, 15, h));
 * findFreeSlotsInputSchema.parse({ windows: [{ instructorId: 'i1', start: at(9), end: at(12) }], durationMinutes: 45, from: at(0), until: at(24) });
 * // busy defaults to [], stepMinutes to 15
 * ```
 */
export const findFreeSlotsInputSchema = z.lazy(() =>
  z
    .object({
      windows: z.array(availabilityWindowSchema),
      busy: z._default(z.array(instructorIntervalSchema), []),
      durationMinutes: z.number().check(z.int(), z.gte(1), z.lte(1440)),
      stepMinutes: z._default(z.number().check(z.int(), z.gte(1), z.lte(1440)), 15),
      from: instantSchema,
      until: instantSchema,
    })
    .check(z.refine((i) => i.until.getTime() > i.from.getTime(), { message: 'until must be after from', path: ['until'] })),
);

/** Input of {@link findFreeSlots}. */
export type FindFreeSlotsInput = z.input<typeof findFreeSlotsInputSchema>;

/** A bookable slot of one instructor. */
export interface FreeSlot {
  instructorId: string;
  start: Date;
  end: Date;
  /** The window's `sourceId` (availability row id), when it has one. */
  sourceId: string | null;
}

/**
 * Free slots of `durationMinutes` inside the windows and `[from, until)`. Candidate
 * starts are aligned to `stepMinutes` (default 15) counted from each window's start; a
 * slot is free when, at every instant of it, fewer than the window's
 * `maxConcurrentSessions` (null → 1) busy periods of that instructor run (half-open, so
 * a slot may start when a session ends). Sorted by start, then instructor; a start
 * offered by two overlapping windows of one instructor appears once.
 *
 * @example
 * ```ts
 * import { findFreeSlots } from 'academy-scheduling/domain';
 * const at = (h: number) => new Date(Date.UTC(2025, 0, 15, h));
 * const windows = [{ instructorId: 'i1', start: at(9), end: at(12) }];
 * findFreeSlots({ windows, busy: [{ instructorId: 'i1', start: at(10), end: at(11) }], durationMinutes: 60, stepMinutes: 60, from: at(9), until: at(12) });
 * // [{ instructorId: 'i1', start: at(9), end: at(10) }, { instructorId: 'i1', start: at(11), end: at(12) }]
 * ```
 */
export function findFreeSlots(input: FindFreeSlotsInput): FreeSlot[] {
  const { windows, busy, durationMinutes, stepMinutes, from, until } = parseInput(findFreeSlotsInputSchema, input);
  const duration = durationMinutes * 60_000;
  const step = stepMinutes * 60_000;
  const fromMs = from.getTime();
  const untilMs = until.getTime();
  const busyByInstructor = new Map<string, Array<[number, number]>>();
  for (const b of busy) {
    const list = busyByInstructor.get(b.instructorId) ?? [];
    list.push([b.start.getTime(), b.end.getTime()]);
    busyByInstructor.set(b.instructorId, list);
  }

  const seen = new Set<string>();
  const slots: FreeSlot[] = [];
  for (const w of windows) {
    const ws = w.start.getTime();
    const we = Math.min(w.end.getTime(), untilMs);
    const blocked = blockedRegions(busyByInstructor.get(w.instructorId) ?? [], ws, we, w.maxConcurrentSessions ?? 1);
    let r = 0;
    const firstK = fromMs > ws ? Math.ceil((fromMs - ws) / step) : 0;
    for (let t = ws + firstK * step; t + duration <= we; t += step) {
      while (r < blocked.length && (blocked[r] as [number, number])[1] <= t) r++;
      const region = blocked[r];
      if (region && region[0] < t + duration) continue;
      const key = `${w.instructorId}|${t}`;
      if (seen.has(key)) continue;
      seen.add(key);
      slots.push({ instructorId: w.instructorId, start: new Date(t), end: new Date(t + duration), sourceId: w.sourceId ?? null });
    }
  }
  return slots.sort((a, b) => a.start.getTime() - b.start.getTime() || (a.instructorId < b.instructorId ? -1 : a.instructorId > b.instructorId ? 1 : 0));
}

/** Sorted disjoint ranges inside [from, until) where at least `max` busy periods run at once. */
function blockedRegions(busy: ReadonlyArray<[number, number]>, from: number, until: number, max: number): Array<[number, number]> {
  if (max <= 0) return [[from, until]];
  const inWindow = busy.filter(([s, e]) => s < until && e > from);
  return crowdedRegions(
    Float64Array.from(inWindow, ([s]) => s),
    Float64Array.from(inWindow, ([, e]) => e),
    max,
  );
}

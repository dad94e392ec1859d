/**
 * fast-check generators of series across daylight-saving changes: every offset change of
 * the test zones from 2008 to 2034, found with the oracle's own offset lookup, and wall
 * times inside, at the edges of and around each gap or repeated hour.
 */
import fc from 'fast-check';

import { formatDay, weekdayOf } from './recurrence-oracle-calendar';
import { WEEKDAY_CODES } from './recurrence-oracle-rule';
import { offsetAt } from './recurrence-oracle-zone';
import { DAY_MS, FIRST_DAY, LAST_DAY, timesFrom, ZONES, type RecurrenceCase } from './recurrence-arbitraries';
import type { RecurringPatternInput } from '../../src/domain';

export interface Transition {
  zone: string;
  /** Instant of the change. */
  at: number;
  before: number;
  after: number;
}

/** Every offset change of `zone` from 2008 to 2034, found by a daily scan and a bisection to the second. */
function transitionsOf(zone: string): Transition[] {
  const out: Transition[] = [];
  let previous = offsetAt(zone, FIRST_DAY * DAY_MS);
  for (let day = FIRST_DAY + 1; day <= LAST_DAY; day++) {
    const offset = offsetAt(zone, day * DAY_MS);
    if (offset === previous) continue;
    let lo = (day - 1) * DAY_MS;
    let hi = day * DAY_MS;
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2000) * 1000;
      if (offsetAt(zone, mid) === previous) lo = mid;
      else hi = mid;
    }
    out.push({ zone, at: hi, before: previous, after: offset });
    previous = offset;
  }
  return out;
}

/**
 * The wall times a change affects: `[t + before, t + after)` is missing in a gap,
 * `[t + after, t + before)` happens twice in a fold. As a local date, the minute of the
 * day the range starts, and its length in minutes.
 */
export function changedWallTimes(t: Transition): { day: number; lowMinutes: number; length: number } {
  const low = t.at + Math.min(t.before, t.after);
  const day = Math.floor(low / DAY_MS);
  return { day, lowMinutes: Math.round((low - day * DAY_MS) / 60_000), length: Math.abs(t.after - t.before) / 60_000 };
}

let transitionCache: Transition[] | undefined;
export function allTransitions(): Transition[] {
  transitionCache ??= ZONES.flatMap((zone) => transitionsOf(zone));
  return transitionCache;
}

/**
 * A short daily, weekly or custom series across one offset change, with start and end
 * times inside, at the edges of, or just before the gap or the repeated hour, and UNTIL
 * (UTC or floating) close to the change.
 */
export const transitionCaseArb: fc.Arbitrary<RecurrenceCase> = fc
  .record({
    transitionIndex: fc.nat(),
    startPoint: fc.constantFrom('before', 'edge', 'inside', 'end', 'after'),
    duration: fc.oneof(fc.constantFrom(1, 30, 60, 90, 120), fc.integer({ min: 1, max: 240 })),
    leadDays: fc.integer({ min: 0, max: 6 }),
    kind: fc.constantFrom('daily', 'weekly', 'custom-count', 'custom-until-utc', 'custom-until-floating', 'custom-weekly'),
    count: fc.integer({ min: 1, max: 14 }),
    untilShiftMinutes: fc.oneof(fc.constantFrom(-45, 0, 30, 60), fc.integer({ min: -150, max: 150 })),
    withSeconds: fc.boolean(),
  })
  .map((c) => {
    const transitions = allTransitions();
    const t = transitions[c.transitionIndex % transitions.length]!;
    const { day, lowMinutes, length } = changedWallTimes(t);
    const startMinutes = {
      before: lowMinutes - 45,
      edge: lowMinutes,
      inside: lowMinutes + Math.floor(length / 2),
      end: lowMinutes + length,
      after: lowMinutes + length + 20,
    }[c.startPoint];
    const times = timesFrom(startMinutes, c.duration, c.withSeconds ? 0 : undefined);
    const startDay = day - c.leadDays;
    const base = { startDate: formatDay(startDay), ...times, exceptionDates: null, maxOccurrences: null };
    const endDate = formatDay(day + 3);
    let pattern: RecurringPatternInput;
    if (c.kind === 'daily' || c.kind === 'weekly') {
      pattern = { ...base, patternType: c.kind, intervalValue: 1, daysOfWeek: null, endDate: c.kind === 'daily' ? endDate : formatDay(day + 15) };
    } else {
      const untilWall = day * DAY_MS + (lowMinutes + c.untilShiftMinutes) * 60_000;
      const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replaceAll('-', '').replaceAll(':', '');
      const rrule = {
        'custom-count': `FREQ=DAILY;COUNT=${c.count}`,
        'custom-weekly': `FREQ=WEEKLY;BYDAY=${WEEKDAY_CODES[weekdayOf(day)]};COUNT=${Math.min(c.count, 4)}`,
        // UTC: the instant the wall time had before the change, shifted.
        'custom-until-utc': `FREQ=DAILY;UNTIL=${stamp(untilWall - t.before)}Z`,
        'custom-until-floating': `FREQ=DAILY;UNTIL=${stamp(untilWall)}`,
      }[c.kind];
      pattern = { ...base, patternType: 'custom', endDate: null, customPattern: { rrule } };
    }
    return { pattern, options: { timeZone: t.zone } };
  });

/**
 * Figure 4: `expandRecurrence` over ten years of the reference schema's Mon/Wed/Fri
 * 10:00-11:00 pattern in America/New_York, versus raw `rrule` on the same floating rule.
 */
import { expandRecurrence, type RecurringPatternInput } from '../../src/domain';
import { RRule } from '../../src/domain/rrule-interop';
import { compared, type Figure, interleavedMedians, noteWith } from '../harness';

/** The reference schema's sample pattern, run for ten years instead of one. */
const referencePattern: RecurringPatternInput = {
  patternType: 'weekly',
  intervalValue: 1,
  daysOfWeek: [1, 3, 5],
  startDate: '2025-01-15',
  endDate: '2035-01-14',
  maxOccurrences: null,
  startTime: '10:00:00',
  endTime: '11:00:00',
  skipHolidays: true,
  exceptionDates: null,
  customPattern: null,
};

/**
 * The same series as raw `rrule` yields it: floating dates (UTC fields = local wall
 * time), no zone conversion, no validation. A new RRule per call, because `all()`
 * caches its result on the instance.
 */
function rawRRuleOccurrences(): Date[] {
  return new RRule({
    freq: RRule.WEEKLY,
    byweekday: [RRule.MO, RRule.WE, RRule.FR],
    dtstart: new Date(Date.UTC(2025, 0, 15, 10, 0, 0)),
    until: new Date(Date.UTC(2035, 0, 14, 10, 0, 0)),
  }).all();
}

/**
 * Figure 4: time of `expandRecurrence` / time of `rrule.all()`; target <= 2 (at least
 * half rrule's speed).
 *
 * @example
 * ```ts
 * figures.push(...(await recurrenceFigures()));
 * ```
 */
export async function recurrenceFigures(runs = 21): Promise<Figure[]> {
  let ours = 0;
  let theirs = 0;
  const [expand, raw] = await interleavedMedians(
    [() => (ours = expandRecurrence(referencePattern, { timeZone: 'America/New_York' }).length), () => (theirs = rawRRuleOccurrences().length)],
    runs,
    3,
  );
  if (ours !== theirs) throw new Error(`expandRecurrence gave ${ours} occurrences, rrule ${theirs}`);
  return [
    compared(
      'expandRecurrence, 10 years Mon/Wed/Fri',
      expand!,
      'ms',
      { name: 'rrule all(), same floating rule', value: raw! },
      '<= 2x',
      (r) => r <= 2,
      runs,
      noteWith(
        `Reference pattern (weekly, days [1,3,5], 10:00-11:00) from 2025-01-15 to 2035-01-14 in America/New_York: ${ours} occurrences, converted to instants across 20 DST changes, validated with zod. Baseline: new RRule({ freq: WEEKLY, byweekday: [MO, WE, FR], dtstart: 2025-01-15T10:00Z floating, until: 2035-01-14T10:00Z }).all(), same count (checked), RRule imported via src/domain/rrule-interop. Medians of ${runs} interleaved runs after 3 warm-ups.`,
      ),
    ),
  ];
}

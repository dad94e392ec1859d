/**
 * An independent evaluator of docs/time-and-recurrence.md, "Recurring patterns", used as
 * the second opinion for `expandRecurrence` in the differential tests. It shares no code
 * with src/domain: its own calendar maths (recurrence-oracle-calendar.ts), its own
 * wall-clock conversion (recurrence-oracle-zone.ts), its own RRULE parser
 * (recurrence-oracle-rule.ts) and its own expansion, which follows RFC 5545's
 * expand/limit table rather than a per-day predicate (recurrence-oracle-expand.ts).
 *
 * The pipeline here, in the doc's order:
 * 1. the dates the rule selects on or after `startDate`, up to the 100-year horizon;
 * 2. COUNT (before removals), UNTIL and `endDate` cut the series;
 * 3. exception dates and holidays are removed; `maxOccurrences` counts what is left;
 * 4. the `[from, until)` window, then the open-ended `limit`;
 * 5. the runaway guard: `series_too_long`, `too_many_occurrences`, never-matching → [].
 *
 * Where the doc leaves a case open, the oracle answers `ambiguous` and says why; the
 * tests skip those cases rather than guess. They are: an empty `daysOfWeek` on a daily or
 * monthly pattern; the horizon of a series that starts on 29 February; a bound within two
 * days of the horizon; and a series whose size is on different sides of the 10,000 cap
 * depending on what is counted (returned, after removals, or before removals).
 */
import type { ExpandRecurrenceOptions, RecurringPatternInput } from '../../src/domain';
import { addYears, formatDay, parseDay, secondsOfTime, weekdayOf, type DayNumber } from './recurrence-oracle-calendar';
import { anchorOf, ruleDates } from './recurrence-oracle-expand';
import { parseRule, type OracleRule } from './recurrence-oracle-rule';
import { wallTimeToInstant } from './recurrence-oracle-zone';

export const ORACLE_DEFAULT_LIMIT = 1000;
export const ORACLE_HARD_CAP = 10_000;
export const ORACLE_SPAN_YEARS = 100;

/**
 * "No series is followed *more than* 100 years past its startDate": a date exactly 100
 * years on (same month and day) is not more than 100 years past, so it is included.
 * The doc does not say so in as many words. What "100 years after 29 February" is (28
 * February or 1 March) it does not say either; the oracle calls that case ambiguous.
 */
export const HORIZON_INCLUSIVE = true;

export interface ExpectedOccurrence {
  start: string;
  end: string;
  localDate: string;
}

export type OracleResult =
  | { kind: 'occurrences'; occurrences: ExpectedOccurrence[] }
  | { kind: 'error'; reasons: Array<'series_too_long' | 'too_many_occurrences'> }
  | { kind: 'invalid'; path: Array<string | number> }
  | { kind: 'ambiguous'; why: string };

const DAY_MS = 86_400_000;

/** A built-in pattern as the RRULE that means the same thing (weeks start on Monday). */
function builtInRule(pattern: RecurringPatternInput, startDay: DayNumber): OracleRule | string {
  const n = pattern.intervalValue ?? 1;
  const days = pattern.daysOfWeek ?? [];
  const byDay = days.length > 0 ? [...new Set(days)].map((weekday) => ({ weekday })) : undefined;
  switch (pattern.patternType) {
    case 'daily':
      if (pattern.daysOfWeek && days.length === 0) return 'daily with an empty daysOfWeek: "keeps only those weekdays" could mean none';
      return { freq: 'DAILY', interval: n, weekStart: 1, byDay };
    case 'weekly':
    case 'biweekly':
      return {
        freq: 'WEEKLY',
        interval: pattern.patternType === 'biweekly' ? 2 * n : n,
        weekStart: 1,
        byDay: byDay ?? [{ weekday: weekdayOf(startDay) }],
      };
    case 'monthly':
      if (pattern.daysOfWeek && days.length === 0) return 'monthly with an empty daysOfWeek';
      return { freq: 'MONTHLY', interval: n, weekStart: 1, byMonthDay: [anchorOf(startDay).dayOfMonth], byDay };
    default:
      throw new Error(`not a built-in type: ${pattern.patternType}`);
  }
}

interface Entry {
  day: DayNumber;
  removed: boolean;
}

/** What `expandRecurrence(pattern, options)` must return or throw, by the doc. */
export function expectedRecurrence(pattern: RecurringPatternInput, options: ExpandRecurrenceOptions): OracleResult {
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit > ORACLE_HARD_CAP)) {
    return { kind: 'invalid', path: ['limit'] };
  }
  const zone = options.timeZone;
  const startDay = parseDay(pattern.startDate);
  let rule: OracleRule;
  if (pattern.patternType === 'custom') {
    const text = (pattern.customPattern as { rrule?: unknown } | null | undefined)?.rrule;
    if (typeof text !== 'string') return { kind: 'invalid', path: ['customPattern', 'rrule'] };
    const parsed = parseRule(text);
    if (!parsed.ok) return { kind: 'invalid', path: ['customPattern', 'rrule'] };
    rule = parsed.rule;
  } else {
    const built = builtInRule(pattern, startDay);
    if (typeof built === 'string') return { kind: 'ambiguous', why: built };
    rule = built;
  }

  const startSeconds = secondsOfTime(pattern.startTime);
  const durationMs = (secondsOfTime(pattern.endTime) - startSeconds) * 1000;
  const instantOf = (day: DayNumber) => wallTimeToInstant(zone, day, startSeconds);
  const endDay = pattern.endDate ? parseDay(pattern.endDate) : undefined;
  const maxOccurrences = pattern.maxOccurrences ?? undefined;
  const removedDays = new Set((pattern.exceptionDates ?? []).map(parseDay));
  if (pattern.skipHolidays !== false) for (const holiday of options.holidays ?? []) removedDays.add(parseDay(holiday));
  const from = options.from?.getTime();
  const windowUntil = options.until?.getTime();
  const openEnded = endDay === undefined && maxOccurrences === undefined && rule.count === undefined && rule.until === undefined && windowUntil === undefined;

  const horizon = addYears(startDay, ORACLE_SPAN_YEARS);
  const lastDay = HORIZON_INCLUSIVE ? horizon : horizon - 1;
  const startsOnLeapDay = pattern.startDate.endsWith('-02-29');

  // Pass 1, dates only: the series up to whichever of COUNT, a date or floating UNTIL,
  // endDate, maxOccurrences or the horizon comes first.
  const entries: Entry[] = [];
  let endedBy: string | undefined;
  let kept = 0;
  for (const day of ruleDates(rule, anchorOf(startDay), lastDay + 2)) {
    if (day > lastDay) {
      if (startsOnLeapDay && day === horizon + 1) return { kind: 'ambiguous', why: '100 years after 29 February: 28 February or 1 March?' };
      break;
    }
    if (endDay !== undefined && day > endDay) {
      endedBy = 'endDate';
      break;
    }
    const until = rule.until;
    if (until?.kind === 'date' && day > until.day) {
      endedBy = 'UNTIL';
      break;
    }
    if (until?.kind === 'floating' && (day > until.day || (day === until.day && startSeconds > until.seconds))) {
      endedBy = 'UNTIL';
      break;
    }
    const removed = removedDays.has(day);
    entries.push({ day, removed });
    if (!removed) kept++;
    if (rule.count !== undefined && entries.length === rule.count) {
      endedBy = 'COUNT';
      break;
    }
    if (maxOccurrences !== undefined && kept === maxOccurrences) {
      endedBy = 'maxOccurrences';
      break;
    }
    if (openEnded && from === undefined && kept === (options.limit ?? ORACLE_DEFAULT_LIMIT)) break;
  }

  // Start instants never decrease from one date to the next (a gap only pushes forward),
  // so an instant bound cuts the series where a binary search finds it.
  const firstIndexWhere = (list: Entry[], test: (entry: Entry) => boolean) => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (test(list[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  let series = entries;
  if (rule.until?.kind === 'utc') {
    const untilInstant = rule.until.instant;
    const cut = firstIndexWhere(series, (entry) => instantOf(entry.day) > untilInstant);
    if (cut < series.length) endedBy ??= 'UNTIL';
    series = series.slice(0, cut);
  }
  if (windowUntil !== undefined) {
    const cut = firstIndexWhere(series, (entry) => instantOf(entry.day) >= windowUntil);
    if (cut < series.length) endedBy ??= 'until window';
    series = series.slice(0, cut);
  }
  const keptSeries = series.filter((entry) => !entry.removed);
  const firstShown = from === undefined ? 0 : firstIndexWhere(keptSeries, (entry) => instantOf(entry.day) >= from);
  let shown = keptSeries.slice(firstShown);

  if (entries.length === 0 && endedBy === undefined) return { kind: 'occurrences', occurrences: [] }; // never matches
  if (openEnded) {
    shown = shown.slice(0, options.limit ?? ORACLE_DEFAULT_LIMIT);
  } else {
    if (endedBy === undefined) {
      // The horizon came first: has a bound been reached anyway, between the last date and the horizon?
      const nearHorizon = (day: DayNumber) => Math.abs(day - horizon) <= 2;
      const horizonEnd = instantOf(horizon + 1) - 12 * 3_600_000;
      const instantBounds = [rule.until?.kind === 'utc' ? rule.until.instant : undefined, windowUntil].filter((x) => x !== undefined);
      const dayBounds = [endDay, rule.until?.kind === 'date' || rule.until?.kind === 'floating' ? rule.until.day : undefined].filter((x) => x !== undefined);
      if (dayBounds.some(nearHorizon) || instantBounds.some((instant) => Math.abs(instant - horizonEnd) <= 3 * DAY_MS)) {
        return { kind: 'ambiguous', why: 'a bound within two days of the 100-year horizon' };
      }
      if (dayBounds.some((day) => day <= horizon) || instantBounds.some((instant) => instant <= horizonEnd)) endedBy = 'a bound before the horizon';
    }
    // Which count "materialises" is not pinned down (returned, kept, or before removals);
    // when they fall on different sides of the cap the case is ambiguous.
    const counts = [shown.length, keptSeries.length, series.length];
    const overCap = counts.filter((count) => count > ORACLE_HARD_CAP).length;
    if (endedBy === undefined) {
      return { kind: 'error', reasons: overCap > 0 ? ['series_too_long', 'too_many_occurrences'] : ['series_too_long'] };
    }
    if (overCap === counts.length) return { kind: 'error', reasons: ['too_many_occurrences'] };
    if (overCap > 0) return { kind: 'ambiguous', why: `counts ${counts.join('/')} straddle the ${ORACLE_HARD_CAP} cap` };
  }

  return {
    kind: 'occurrences',
    occurrences: shown.map(({ day }) => {
      const start = instantOf(day);
      return { start: new Date(start).toISOString(), end: new Date(start + durationMs).toISOString(), localDate: formatDay(day) };
    }),
  };
}

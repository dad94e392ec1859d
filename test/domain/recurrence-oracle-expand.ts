/**
 * The recurrence oracle's expansion of an RRULE, one period at a time.
 *
 * Approach, chosen to differ from the engine: the doc states each BY-part as a
 * *condition on a date* (a per-day predicate), so an engine written from it most likely
 * tests dates. This oracle instead follows RFC 5545 §3.3.10's expand/limit table
 * literally. For each period (`FREQ` × `INTERVAL`) it *constructs* the dates: start from
 * the BYMONTH months, expand the BYWEEKNO weeks, the BYYEARDAY days, the BYMONTHDAY days,
 * then BYDAY (an expansion or a limit, per the table's notes 1 and 2), applies the
 * limits, then BYSETPOS over the whole period, and only then drops dates before
 * `startDate`. Two expansions at the same level keep the dates both produce.
 */
import {
  civilDate,
  dayNumber,
  daysInMonth,
  daysInYear,
  firstDayOfWeekOne,
  startOfWeek,
  weekdayOf,
  weeksInWeekYear,
  type DayNumber,
} from './recurrence-oracle-calendar';
import type { OracleRule, WeekdayEntry } from './recurrence-oracle-rule';

// Each expansion builds the dates of one BY-part within a range.

const range = (first: DayNumber, last: DayNumber): DayNumber[] => Array.from({ length: last - first + 1 }, (_, i) => first + i);

interface Span {
  first: DayNumber;
  last: DayNumber;
}

const monthSpan = (year: number, month: number): Span => ({ first: dayNumber(year, month, 1), last: dayNumber(year, month, daysInMonth(year, month)) });
const yearSpan = (year: number): Span => ({ first: dayNumber(year, 1, 1), last: dayNumber(year, 12, 31) });

/** BYMONTHDAY in one month: day n, or the n-th day from the end; a day the month lacks gives nothing. */
function monthDayExpansion(year: number, month: number, monthDays: number[]): DayNumber[] {
  const length = daysInMonth(year, month);
  const out: DayNumber[] = [];
  for (const n of monthDays) {
    const day = n > 0 ? n : length + n + 1;
    if (day >= 1 && day <= length) out.push(dayNumber(year, month, day));
  }
  return out;
}

/** BYYEARDAY: day n of the year, or the n-th from the end. */
function yearDayExpansion(year: number, yearDays: number[]): DayNumber[] {
  const length = daysInYear(year);
  const jan1 = dayNumber(year, 1, 1);
  return yearDays
    .map((n) => (n > 0 ? n : length + n + 1))
    .filter((n) => n >= 1 && n <= length)
    .map((n) => jan1 + n - 1);
}

/**
 * BYWEEKNO: the days of calendar year `year` that lie in a listed week of their own
 * week-numbering year (which can be `year − 1` or `year + 1` near New Year).
 */
function weekNoExpansion(year: number, weekNumbers: number[], weekStart: number): DayNumber[] {
  const { first, last } = yearSpan(year);
  const out: DayNumber[] = [];
  for (const weekYear of [year - 1, year, year + 1]) {
    const weeks = weeksInWeekYear(weekYear, weekStart);
    for (const n of weekNumbers) {
      const week = n > 0 ? n : weeks + n + 1;
      if (week < 1 || week > weeks) continue;
      const monday = firstDayOfWeekOne(weekYear, weekStart) + 7 * (week - 1);
      for (const day of range(monday, monday + 6)) if (day >= first && day <= last) out.push(day);
    }
  }
  return out;
}

/** BYDAY as an expansion over a span: every such weekday, or the n-th one (from the end when negative). */
function weekdayExpansion(span: Span, entries: WeekdayEntry[]): DayNumber[] {
  const out: DayNumber[] = [];
  for (const { weekday, ordinal } of entries) {
    const firstOne = span.first + ((weekday - weekdayOf(span.first) + 7) % 7);
    const lastOne = span.last - ((weekdayOf(span.last) - weekday + 7) % 7);
    if (ordinal === undefined) {
      for (let day = firstOne; day <= span.last; day += 7) out.push(day);
    } else {
      const day = ordinal > 0 ? firstOne + 7 * (ordinal - 1) : lastOne + 7 * (ordinal + 1);
      if (day >= span.first && day <= span.last) out.push(day);
    }
  }
  return out;
}

/** BYDAY as a limit: keeps the days that match an entry, ordinals counted within the month or the year. */
function weekdayLimit(days: DayNumber[], entries: WeekdayEntry[], ordinalScope: 'month' | 'year'): DayNumber[] {
  const matchesBySpan = new Map<DayNumber, Set<DayNumber>>();
  return days.filter((day) => {
    const { year, month } = civilDate(day);
    const span = ordinalScope === 'month' ? monthSpan(year, month) : yearSpan(year);
    let matches = matchesBySpan.get(span.first);
    if (!matches) matchesBySpan.set(span.first, (matches = new Set(weekdayExpansion(span, entries))));
    return matches.has(day);
  });
}

const keepBoth = (current: DayNumber[], produced: DayNumber[]): DayNumber[] => {
  const allowed = new Set(produced);
  return current.filter((day) => allowed.has(day));
};

/** What `startDate` supplies when the rule leaves it out (RFC 5545: "derived from DTSTART"). */
export interface RuleAnchor {
  day: DayNumber;
  month: number;
  dayOfMonth: number;
  weekday: number;
}

function yearlyCandidates(rule: OracleRule, year: number, anchor: RuleAnchor): DayNumber[] {
  const dayLevel = rule.byWeekNo || rule.byYearDay || rule.byMonthDay || rule.byDay;
  const months = rule.byMonth ?? (dayLevel ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] : [anchor.month]);
  let days = months.flatMap((month) => {
    const span = monthSpan(year, month);
    return range(span.first, span.last);
  });
  if (rule.byWeekNo) days = keepBoth(days, weekNoExpansion(year, rule.byWeekNo, rule.weekStart));
  if (rule.byYearDay) days = keepBoth(days, yearDayExpansion(year, rule.byYearDay));
  const monthDays = rule.byMonthDay ?? (dayLevel ? undefined : [anchor.dayOfMonth]);
  if (monthDays)
    days = keepBoth(
      days,
      months.flatMap((month) => monthDayExpansion(year, month, monthDays)),
    );
  if (rule.byDay) {
    const byDay = rule.byDay;
    if (rule.byYearDay || rule.byMonthDay) {
      // Note 2: a limit when BYYEARDAY or BYMONTHDAY is present.
      days = weekdayLimit(days, byDay, rule.byMonth ? 'month' : 'year');
    } else if (rule.byWeekNo) {
      // Special expand for WEEKLY within the listed weeks (ordinals are refused here).
      days = keepBoth(days, weekdayExpansion(yearSpan(year), byDay));
    } else if (rule.byMonth) {
      days = keepBoth(
        days,
        months.flatMap((month) => weekdayExpansion(monthSpan(year, month), byDay)),
      );
    } else {
      days = keepBoth(days, weekdayExpansion(yearSpan(year), byDay));
    }
  }
  return days;
}

function monthlyCandidates(rule: OracleRule, year: number, month: number, anchor: RuleAnchor): DayNumber[] {
  if (rule.byMonth && !rule.byMonth.includes(month)) return []; // BYMONTH limits
  const span = monthSpan(year, month);
  let days = range(span.first, span.last);
  const monthDays = rule.byMonthDay ?? (rule.byDay ? undefined : [anchor.dayOfMonth]);
  if (monthDays) days = keepBoth(days, monthDayExpansion(year, month, monthDays));
  if (rule.byDay) {
    const byDay = rule.byDay;
    // Note 1: a limit when BYMONTHDAY is present, else a special expansion over the month.
    days = rule.byMonthDay ? weekdayLimit(days, byDay, 'month') : keepBoth(days, weekdayExpansion(span, byDay));
  }
  return days;
}

function weeklyCandidates(rule: OracleRule, weekFirstDay: DayNumber, anchor: RuleAnchor): DayNumber[] {
  const span = { first: weekFirstDay, last: weekFirstDay + 6 };
  const days = weekdayExpansion(span, rule.byDay ?? [{ weekday: anchor.weekday }]);
  return rule.byMonth ? days.filter((day) => rule.byMonth!.includes(civilDate(day).month)) : days;
}

function dailyCandidates(rule: OracleRule, day: DayNumber): DayNumber[] {
  const { year, month } = civilDate(day);
  if (rule.byMonth && !rule.byMonth.includes(month)) return [];
  if (rule.byMonthDay && !monthDayExpansion(year, month, rule.byMonthDay).includes(day)) return [];
  if (rule.byDay && !rule.byDay.some((entry) => entry.weekday === weekdayOf(day))) return [];
  return [day];
}

/** BYSETPOS over a period's sorted candidates; out-of-range positions select nothing; each date once. */
function applySetPositions(sorted: DayNumber[], positions: number[] | undefined): DayNumber[] {
  if (!positions) return sorted;
  const chosen = new Set<DayNumber>();
  for (const position of positions) {
    const index = position > 0 ? position - 1 : sorted.length + position;
    if (index >= 0 && index < sorted.length) chosen.add(sorted[index]!);
  }
  return [...chosen].sort((a, b) => a - b);
}

/**
 * The dates the rule selects on or after `anchor.day`, in order, period by period,
 * until a period starts after `lastDay` (dates after `lastDay` of that last period may
 * still be yielded).
 */
export function* ruleDates(rule: OracleRule, anchor: RuleAnchor, lastDay: DayNumber): Generator<DayNumber> {
  const start = civilDate(anchor.day);
  for (let k = 0; ; k++) {
    let candidates: DayNumber[];
    let periodFirst: DayNumber;
    const step = k * rule.interval;
    if (rule.freq === 'YEARLY') {
      periodFirst = dayNumber(start.year + step, 1, 1);
      if (periodFirst > lastDay) return;
      candidates = yearlyCandidates(rule, start.year + step, anchor);
    } else if (rule.freq === 'MONTHLY') {
      const index = start.year * 12 + (start.month - 1) + step;
      const year = Math.floor(index / 12);
      const month = (index % 12) + 1;
      periodFirst = dayNumber(year, month, 1);
      if (periodFirst > lastDay) return;
      candidates = monthlyCandidates(rule, year, month, anchor);
    } else if (rule.freq === 'WEEKLY') {
      periodFirst = startOfWeek(anchor.day, rule.weekStart) + 7 * step;
      if (periodFirst > lastDay) return;
      candidates = weeklyCandidates(rule, periodFirst, anchor);
    } else {
      periodFirst = anchor.day + step;
      if (periodFirst > lastDay) return;
      candidates = dailyCandidates(rule, periodFirst);
    }
    const unique = [...new Set(candidates)].sort((a, b) => a - b);
    for (const day of applySetPositions(unique, rule.bySetPos)) if (day >= anchor.day) yield day;
  }
}

export function anchorOf(day: DayNumber): RuleAnchor {
  const { month, day: dayOfMonth } = civilDate(day);
  return { day, month, dayOfMonth, weekday: weekdayOf(day) };
}

import { civilFromDays, daysFromCivil, daysInMonth, weekdayOf } from './calendar';
import type { NextDay } from './recurrence-days';

/**
 * The local dates an RFC 5545 rule selects (docs/time-and-recurrence.md, "Custom"):
 * period by period (a day, a week from WKST, a calendar month or year, every
 * INTERVAL-th from the one containing the start), every date of the period that meets
 * each BY-part, then BYSETPOS over the whole period, then only dates on or after the
 * start. Occurrences always begin at the pattern's start time, so a rule is a rule over
 * dates: no BYHOUR, no sub-daily frequency.
 *
 * `rrule`'s own iterator got three things wrong that this gets right: a BYSETPOS beyond
 * the set selected the nearest element, two positions naming the same date produced it
 * twice, and a WEEKLY period began at DTSTART instead of at the start of its week.
 */

/** A BYDAY entry: weekday (0 = Sunday … 6 = Saturday) and ordinal (`2TU` → 2, `-1FR` → -1, plain → null). */
export interface RuleWeekday {
  weekday: number;
  n: number | null;
}

/** A parsed, validated rule over dates (see recurrence-rule.ts). */
export interface DateRule {
  freq: 'YEARLY' | 'MONTHLY' | 'WEEKLY' | 'DAILY';
  interval: number;
  byMonth: readonly number[] | null;
  byWeekNo: readonly number[] | null;
  byYearDay: readonly number[] | null;
  byMonthDay: readonly number[] | null;
  byDay: readonly RuleWeekday[] | null;
  bySetPos: readonly number[] | null;
  /** First day of the week, 0 = Sunday … 6 = Saturday. */
  wkst: number;
}

/** The first day (day number) of the week starting on `wkst` that contains `day`. */
function weekStartOf(day: number, wkst: number): number {
  return day - ((weekdayOf(day) - wkst + 7) % 7);
}

/** Start of week 1 of `year`: the week (from `wkst`) that holds 4 January, the first with four days in the year. */
function firstWeekOf(year: number, wkst: number): number {
  return weekStartOf(daysFromCivil(year, 1, 4), wkst);
}

/**
 * Whether `day` is in one of the listed weeks: its number in its own week-numbering
 * year (which may be the calendar year before or after), or that number counted back
 * from the last week of that year (-1 = last).
 */
function inWeeks(day: number, year: number, weeks: readonly number[], wkst: number): boolean {
  let numberingYear = year;
  let first = firstWeekOf(year, wkst);
  if (day < first) {
    numberingYear = year - 1;
    first = firstWeekOf(numberingYear, wkst);
  } else {
    const next = firstWeekOf(year + 1, wkst);
    if (day >= next) {
      numberingYear = year + 1;
      first = next;
    }
  }
  const week = (weekStartOf(day, wkst) - first) / 7 + 1;
  const weeksInYear = (firstWeekOf(numberingYear + 1, wkst) - first) / 7;
  return weeks.includes(week) || weeks.includes(week - weeksInYear - 1);
}

/** Whether `position` (1-based) of `length`, or its negative counterpart, is in `list`. */
function listed(list: readonly number[], position: number, length: number): boolean {
  return list.includes(position) || list.includes(position - length - 1);
}

/** The scope BYDAY ordinals count in: the day's month (MONTHLY, YEARLY with BYMONTH) or year. */
interface OrdinalScope {
  /** Day number of the scope's first day. */
  first: number;
  length: number;
}

/** DAILY rules have no BYDAY ordinals (refused), so they need no scope to count in. */
const NO_SCOPE: OrdinalScope = { first: 0, length: 0 };

/** Compiled conditions of one rule: `matches(day, year, month, dayOfMonth, scope)`. */
class DayFilter {
  private readonly plainWeekdays: number;
  private readonly ordinals: RuleWeekday[];

  constructor(private readonly rule: DateRule) {
    let mask = 0;
    const ordinals: RuleWeekday[] = [];
    for (const d of rule.byDay ?? []) {
      if (d.n === null) mask |= 1 << d.weekday;
      else ordinals.push(d);
    }
    this.plainWeekdays = mask;
    this.ordinals = ordinals;
  }

  matches(day: number, year: number, month: number, dayOfMonth: number, scope: OrdinalScope): boolean {
    const r = this.rule;
    if (r.byMonth && !r.byMonth.includes(month)) return false;
    if (r.byMonthDay && !listed(r.byMonthDay, dayOfMonth, daysInMonth(year, month))) return false;
    if (r.byYearDay) {
      const first = daysFromCivil(year, 1, 1);
      if (!listed(r.byYearDay, day - first + 1, daysFromCivil(year + 1, 1, 1) - first)) return false;
    }
    if (r.byWeekNo && !inWeeks(day, year, r.byWeekNo, r.wkst)) return false;
    if (r.byDay) {
      const weekday = weekdayOf(day);
      if ((this.plainWeekdays & (1 << weekday)) !== 0) return true;
      const fromStart = Math.floor((day - scope.first) / 7) + 1;
      const fromEnd = -(Math.floor((scope.first + scope.length - 1 - day) / 7) + 1);
      return this.ordinals.some((o) => o.weekday === weekday && (o.n === fromStart || o.n === fromEnd));
    }
    return true;
  }
}

/**
 * The rule with RFC 5545's defaults made explicit: without BYWEEKNO, BYYEARDAY,
 * BYMONTHDAY and BYDAY, WEEKLY takes the start's weekday, MONTHLY its day of the month,
 * YEARLY its day of the month and (without BYMONTH) its month.
 */
function withDefaults(rule: DateRule, startDay: number): DateRule {
  if (rule.byWeekNo || rule.byYearDay || rule.byMonthDay || rule.byDay || rule.freq === 'DAILY') return rule;
  const [, month, dayOfMonth] = civilFromDays(startDay);
  if (rule.freq === 'WEEKLY') return { ...rule, byDay: [{ weekday: weekdayOf(startDay), n: null }] };
  if (rule.freq === 'MONTHLY') return { ...rule, byMonthDay: [dayOfMonth] };
  return { ...rule, byMonthDay: [dayOfMonth], byMonth: rule.byMonth ?? [month] };
}

/**
 * The dates `rule` selects, ascending, from `startDay` on. Candidates before `fromDay`
 * may be skipped (only when nothing is counted from the start: no COUNT, no
 * maxOccurrences). Returns `Infinity` once the periods pass `limitDay`.
 *
 * @internal
 */
export function ruleDays(original: DateRule, startDay: number, fromDay: number, limitDay: number): NextDay {
  const rule = withDefaults(original, startDay);
  const filter = new DayFilter(rule);
  const [startYear, startMonth] = civilFromDays(startDay);
  const step = rule.interval;
  // The periods, as indices that step by INTERVAL: day numbers, week starts, month and year counts.
  let period: number;
  let periodStart: (index: number) => number;
  let periodDays: (index: number) => number[];

  const collect = (first: number, last: number, scope: (year: number, month: number) => OrdinalScope, months?: readonly number[] | null) => {
    const days: number[] = [];
    let day = first;
    while (day <= last) {
      const [year, month, dayOfMonth] = civilFromDays(day);
      const monthEnd = Math.min(last, day + daysInMonth(year, month) - dayOfMonth);
      if (months && !months.includes(month)) {
        day = monthEnd + 1;
        continue;
      }
      const s = scope(year, month);
      for (let d = day, dom = dayOfMonth; d <= monthEnd; d++, dom++) {
        if (filter.matches(d, year, month, dom, s)) days.push(d);
      }
      day = monthEnd + 1;
    }
    return days;
  };
  const monthScope = (year: number, month: number): OrdinalScope => ({ first: daysFromCivil(year, month, 1), length: daysInMonth(year, month) });
  const yearScope = (year: number): OrdinalScope => ({ first: daysFromCivil(year, 1, 1), length: daysFromCivil(year + 1, 1, 1) - daysFromCivil(year, 1, 1) });

  switch (rule.freq) {
    case 'DAILY':
      period = startDay;
      periodStart = (d) => d;
      periodDays = (d) => collect(d, d, monthScope);
      if (fromDay > startDay) period = startDay + Math.floor((fromDay - startDay) / step) * step;
      break;
    case 'WEEKLY': {
      const firstWeek = weekStartOf(startDay, rule.wkst);
      period = firstWeek;
      periodStart = (w) => w;
      periodDays = (w) => collect(w, w + 6, monthScope);
      if (fromDay > startDay) period = firstWeek + Math.floor((weekStartOf(fromDay, rule.wkst) - firstWeek) / (7 * step)) * 7 * step;
      break;
    }
    case 'MONTHLY': {
      const firstMonth = startYear * 12 + (startMonth - 1);
      period = firstMonth;
      periodStart = (m) => daysFromCivil(Math.floor(m / 12), (m % 12) + 1, 1);
      periodDays = (m) => {
        const year = Math.floor(m / 12);
        const month = (m % 12) + 1;
        return collect(daysFromCivil(year, month, 1), daysFromCivil(year, month, daysInMonth(year, month)), monthScope);
      };
      if (fromDay > startDay) {
        const [fy, fm] = civilFromDays(fromDay);
        period = firstMonth + Math.floor((fy * 12 + (fm - 1) - firstMonth) / step) * step;
      }
      break;
    }
    case 'YEARLY': {
      period = startYear;
      periodStart = (y) => daysFromCivil(y, 1, 1);
      // Ordinals count in the month when BYMONTH is given, otherwise in the year.
      const scope = rule.byMonth ? monthScope : (year: number) => yearScope(year);
      periodDays = (y) => collect(daysFromCivil(y, 1, 1), daysFromCivil(y, 12, 31), scope, rule.byMonth);
      if (fromDay > startDay) {
        const [fy] = civilFromDays(fromDay);
        period = startYear + Math.floor((fy - startYear) / step) * step;
      }
      break;
    }
  }

  const setPositions = rule.bySetPos;
  if (rule.freq === 'DAILY') {
    // A day is its own period: one candidate at most, which BYSETPOS keeps only at 1 or -1.
    if (setPositions && !setPositions.includes(1) && !setPositions.includes(-1)) return () => Infinity;
    return () => {
      for (;;) {
        const day = period;
        if (day > limitDay) return Infinity;
        period += step;
        const [year, month, dayOfMonth] = civilFromDays(day);
        if (filter.matches(day, year, month, dayOfMonth, NO_SCOPE) && day >= startDay) return day;
      }
    };
  }
  let queue: number[] = [];
  let at = 0;
  return () => {
    for (;;) {
      if (at < queue.length) return queue[at++] as number;
      if (periodStart(period) > limitDay) return Infinity;
      let days = periodDays(period);
      period += rule.freq === 'WEEKLY' ? 7 * step : step;
      if (setPositions && days.length > 0) {
        const chosen = new Set<number>();
        for (const pos of setPositions) {
          const index = pos > 0 ? pos - 1 : days.length + pos;
          if (index >= 0 && index < days.length) chosen.add(days[index] as number);
        }
        days = [...chosen].sort((a, b) => a - b);
      }
      queue = days.filter((d) => d >= startDay);
      at = 0;
    }
  };
}

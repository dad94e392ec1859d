import { z } from 'zod';
import { civilFromDays, daysFromCivil, formatLocalDate, MS_PER_DAY, parseLocalDate, parseTimeOfDay } from './calendar';
import { dailyDays, monthlyDays, weekdayMask, weeklyDays, type NextDay } from './recurrence-days';
import { parseCustomRule, type ParsedCustomRule } from './recurrence-rule';
import { RRule } from './rrule-interop';
import { instantSchema, localDateSchema, timeOfDaySchema, timeZoneSchema } from './schemas';
import { ZoneTimeline } from './time-zone';
import { invalidInput, parseInput } from './validate';

/** Occurrences an open-ended series yields when the caller gives no `limit`. */
export const RECURRENCE_DEFAULT_LIMIT = 1000;
/** No expansion materialises more occurrences than this; beyond it is `INVALID_INPUT`. */
export const RECURRENCE_HARD_CAP = 10_000;
/** No series is followed further than this many years after its `startDate`. */
export const RECURRENCE_MAX_SPAN_YEARS = 100;

/**
 * A `recurring_patterns` row as Drizzle returns it (camelCase; `date` and `time`
 * columns as strings). Extra columns such as `id` or `name` are accepted and ignored.
 *
 * @example
 * ```ts
 * recurringPatternSchema.parse({
 *   patternType: 'weekly', intervalValue: 1, daysOfWeek: [1, 3, 5],
 *   startDate: '2025-01-15', endDate: '2025-12-31', maxOccurrences: null,
 *   startTime: '10:00:00', endTime: '11:00:00', skipHolidays: true, exceptionDates: null, customPattern: null,
 * });
 * ```
 */
export const recurringPatternSchema = z
  .object({
    patternType: z.enum(['daily', 'weekly', 'biweekly', 'monthly', 'custom']),
    intervalValue: z.number().int().min(1).max(1000).nullish(),
    daysOfWeek: z.array(z.number().int().min(0, '0 = Sunday').max(6, '6 = Saturday')).max(7).nullish(),
    startDate: localDateSchema,
    endDate: localDateSchema.nullish(),
    maxOccurrences: z.number().int().min(1).nullish(),
    startTime: timeOfDaySchema,
    endTime: timeOfDaySchema,
    skipHolidays: z.boolean().nullish(),
    exceptionDates: z.array(localDateSchema).max(RECURRENCE_HARD_CAP).nullish(),
    customPattern: z.unknown().optional(),
  })
  .superRefine((p, ctx) => {
    if (parseTimeOfDay(p.endTime) <= parseTimeOfDay(p.startTime)) {
      ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'endTime must be after startTime (sessions cannot run past midnight)' });
    }
    if (p.endDate && p.endDate < p.startDate) {
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'endDate must not be before startDate' });
    }
  });

/** A recurring pattern row (input shape). */
export type RecurringPatternInput = z.input<typeof recurringPatternSchema>;

/**
 * Options of {@link expandRecurrence}: the location's IANA zone, holidays, an output
 * window `[from, until)` of instants and the cap for open-ended series.
 *
 * @example
 * ```ts
 * expandRecurrenceOptionsSchema.parse({ timeZone: 'America/New_York', holidays: ['2025-07-04'] });
 * ```
 */
export const expandRecurrenceOptionsSchema = z.object({
  timeZone: timeZoneSchema,
  holidays: z.array(localDateSchema).max(RECURRENCE_HARD_CAP).nullish(),
  from: instantSchema.optional(),
  until: instantSchema.optional(),
  limit: z.number().int().min(1).max(RECURRENCE_HARD_CAP, `limit must not exceed the hard cap of ${RECURRENCE_HARD_CAP}`).optional(),
});

/** Options of {@link expandRecurrence}. */
export type ExpandRecurrenceOptions = z.input<typeof expandRecurrenceOptionsSchema>;

/** One occurrence of a series. */
export interface Occurrence {
  /** Start instant. */
  start: Date;
  /** End instant: always `start` + (endTime − startTime). */
  end: Date;
  /** The local calendar date (`YYYY-MM-DD`) in the series' zone this occurrence belongs to. */
  localDate: string;
}

/**
 * Expands a recurring pattern into concrete occurrences, in chronological order.
 * Wall-clock times are read in `timeZone`, so a 10:00 class stays at 10:00 across
 * daylight-saving changes; see docs/time-and-recurrence.md for every rule (gaps,
 * ambiguous hours, intervals, WKST=MO, removals, windows, limits).
 *
 * @example
 * ```ts
 * expandRecurrence(
 *   { patternType: 'weekly', intervalValue: 1, daysOfWeek: [1, 3, 5], startDate: '2025-01-15', endDate: '2025-12-31',
 *     maxOccurrences: null, startTime: '10:00:00', endTime: '11:00:00', skipHolidays: true, exceptionDates: null, customPattern: null },
 *   { timeZone: 'America/New_York' },
 * ); // 151 occurrences; the first is 2025-01-15T15:00:00Z–16:00:00Z
 * ```
 */
export function expandRecurrence(pattern: RecurringPatternInput, options: ExpandRecurrenceOptions): Occurrence[] {
  const p = parseInput(recurringPatternSchema, pattern, { argument: 'pattern' });
  const o = parseInput(expandRecurrenceOptionsSchema, options, { argument: 'options' });
  const rule = p.patternType === 'custom' ? parseCustomRule(p.customPattern) : null;
  const startDay = parseLocalDate(p.startDate);
  const timeline = ZoneTimeline.for(o.timeZone, o.from ? o.from.getTime() : startDay * MS_PER_DAY);
  const endDay = p.endDate ? parseLocalDate(p.endDate) : Infinity;
  const startMs = parseTimeOfDay(p.startTime) * 1000;
  const durationMs = parseTimeOfDay(p.endTime) * 1000 - startMs;
  const maxOccurrences = p.maxOccurrences ?? Infinity;
  const fromMs = o.from?.getTime() ?? -Infinity;
  const untilMs = o.until?.getTime() ?? Infinity;
  const [y0, m0, d0] = civilFromDays(startDay);
  const horizonDay = daysFromCivil(y0 + RECURRENCE_MAX_SPAN_YEARS, m0, 1) + d0 - 1;
  const removed = new Set<number>((p.exceptionDates ?? []).map(parseLocalDate));
  if (p.skipHolidays !== false) for (const holiday of o.holidays ?? []) removed.add(parseLocalDate(holiday));

  const openEnded = endDay === Infinity && maxOccurrences === Infinity && !rule?.hasCount && !rule?.until && untilMs === Infinity;
  const limit = openEnded ? (o.limit ?? RECURRENCE_DEFAULT_LIMIT) : Infinity;
  const out: Occurrence[] = [];
  let nth = 0;
  let counted = 0;

  /** Handles one candidate local date; returns false once the series is over. */
  const visit = (day: number): boolean => {
    if (day > endDay) return false;
    if (removed.has(day)) return true;
    nth++;
    if (nth > maxOccurrences) return false;
    const start = timeline.toInstant(day * MS_PER_DAY + startMs);
    if (start >= untilMs) return false;
    // Occurrences before `from` still count towards maxOccurrences, but are not returned.
    if (start >= fromMs || maxOccurrences !== Infinity) {
      if (++counted > RECURRENCE_HARD_CAP) throw tooMany();
    }
    if (start < fromMs) return true;
    out.push({ start: new Date(start), end: new Date(start + durationMs), localDate: formatLocalDate(day) });
    return out.length < limit;
  };

  const beyondHorizon = (): never => {
    throw invalidInput(
      `the series runs more than ${RECURRENCE_MAX_SPAN_YEARS} years past startDate before reaching its end; give an earlier endDate, maxOccurrences or until`,
      [],
      { limit: RECURRENCE_MAX_SPAN_YEARS, reason: 'series_too_long' },
    );
  };

  if (rule) {
    expandCustom(rule, { startDay, startMs, endDay, untilMs, horizonDay, timeline, visit, openEnded, onHorizon: beyondHorizon });
  } else {
    // Without maxOccurrences nothing before `from` matters, so candidates may start near it.
    const fromDay = maxOccurrences === Infinity && fromMs > -Infinity ? Math.floor(timeline.toFloating(fromMs) / MS_PER_DAY) - 1 : startDay;
    const interval = p.intervalValue ?? 1;
    const mask = weekdayMask(p.daysOfWeek);
    const next: NextDay =
      p.patternType === 'daily'
        ? dailyDays(startDay, interval, mask, fromDay)
        : p.patternType === 'monthly'
          ? monthlyDays(startDay, interval, mask, fromDay, horizonDay)
          : weeklyDays(startDay, p.patternType === 'biweekly' ? 2 * interval : interval, mask, fromDay);
    for (;;) {
      const day = next();
      if (day === Infinity) break; // the pattern can never match (e.g. every 7 days, but only Mondays, from a Wednesday)
      if (day > horizonDay && day <= endDay) {
        if (!openEnded) beyondHorizon();
        break;
      }
      if (!visit(day)) break;
    }
  }
  return out;
}

function tooMany(): Error {
  return invalidInput(
    `the series has more than ${RECURRENCE_HARD_CAP} occurrences; narrow it with endDate, maxOccurrences or an until window`,
    [],
    { limit: RECURRENCE_HARD_CAP, reason: 'too_many_occurrences' },
  );
}

interface CustomContext {
  startDay: number;
  startMs: number;
  endDay: number;
  untilMs: number;
  horizonDay: number;
  timeline: ZoneTimeline;
  visit: (day: number) => boolean;
  openEnded: boolean;
  onHorizon: () => never;
}

/** Runs an RRULE in floating (UTC-as-wall-clock) mode and feeds each date to `visit`. */
function expandCustom(rule: ParsedCustomRule, ctx: CustomContext): void {
  const dtstart = new Date(ctx.startDay * MS_PER_DAY + ctx.startMs);
  // rrule has no iteration guard (an impossible daily rule scans to year 9999), so it
  // always gets an UNTIL: the earliest of the rule's, endDate, the window and the horizon.
  const horizon = (ctx.horizonDay + 1) * MS_PER_DAY - 1;
  const bounds: number[] = [horizon];
  if (ctx.endDay !== Infinity) bounds.push((ctx.endDay + 1) * MS_PER_DAY - 1);
  if (ctx.untilMs !== Infinity) bounds.push(ctx.timeline.toFloating(ctx.untilMs) + MS_PER_DAY);
  if (rule.until) {
    const { kind, ms } = rule.until;
    // RFC 5545: a UTC UNTIL is an instant; a floating one is wall-clock; a DATE includes that whole day.
    bounds.push(kind === 'utc' ? ctx.timeline.toFloating(ms) : kind === 'date' ? ms + MS_PER_DAY - 1 : ms);
  }
  const until = Math.min(...bounds);
  // rrule checks UNTIL only when a date matches, and stops otherwise at year 9999, so an
  // impossible rule (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) would scan ~8000 years. The
  // Gregorian calendar repeats exactly every 400 years (146097 days = 20871 weeks), so
  // we run the rule shifted by whole 400-year cycles to just below 9999: every match is
  // the same, and the year-9999 stop becomes a scan bound of 100–500 years.
  const [startYear] = civilFromDays(ctx.startDay);
  const cycles = Math.max(0, Math.floor((9999 - RECURRENCE_MAX_SPAN_YEARS - 1 - startYear) / 400));
  const shiftMs = cycles * 146097 * MS_PER_DAY;
  const rrule = new RRule({ ...rule.options, dtstart: new Date(dtstart.getTime() + shiftMs), until: new Date(until + shiftMs), tzid: null });
  let continued = true;
  let seen = 0;
  rrule.all((date) => {
    seen++;
    continued = ctx.visit(Math.floor((date.getTime() - shiftMs) / MS_PER_DAY));
    return continued;
  });
  const endedByCount = rule.hasCount && seen === rule.options.count;
  if (continued && until === horizon && !endedByCount && !ctx.openEnded) ctx.onHorizon();
}

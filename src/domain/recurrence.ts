import * as z from 'zod/mini';
import { civilFromDays, daysFromCivil, formatLocalDate, MS_PER_DAY, parseLocalDate, parseTimeOfDay } from './calendar';
import { dailyDays, monthlyDays, weekdayMask, weeklyDays, type NextDay } from './recurrence-days';
import { parseCustomRule } from './recurrence-rule';
import { ruleDays } from './recurrence-rule-days';
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
 * import { recurringPatternSchema } from 'academy-scheduling/domain';
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
    intervalValue: z.nullish(z.number().check(z.int(), z.gte(1), z.lte(1000))),
    daysOfWeek: z.nullish(z.array(z.number().check(z.int(), z.gte(0, '0 = Sunday'), z.lte(6, '6 = Saturday'))).check(z.maxLength(7))),
    startDate: localDateSchema,
    endDate: z.nullish(localDateSchema),
    maxOccurrences: z.nullish(z.number().check(z.int(), z.gte(1))),
    startTime: timeOfDaySchema,
    endTime: timeOfDaySchema,
    skipHolidays: z.nullish(z.boolean()),
    exceptionDates: z.nullish(z.array(localDateSchema).check(z.maxLength(RECURRENCE_HARD_CAP))),
    customPattern: z.optional(z.unknown()),
  })
  .check(
    z.superRefine((p, ctx) => {
      if (parseTimeOfDay(p.endTime) <= parseTimeOfDay(p.startTime)) {
        ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'endTime must be after startTime (sessions cannot run past midnight)' });
      }
      if (p.endDate && p.endDate < p.startDate) {
        ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'endDate must not be before startDate' });
      }
    }),
  );

/** A recurring pattern row (input shape). */
export type RecurringPatternInput = z.input<typeof recurringPatternSchema>;

/**
 * Options of {@link expandRecurrence}: the location's IANA zone, holidays, an output
 * window `[from, until)` of instants and the cap for open-ended series.
 *
 * @example
 * ```ts
 * import { expandRecurrenceOptionsSchema } from 'academy-scheduling/domain';
 * expandRecurrenceOptionsSchema.parse({ timeZone: 'America/New_York', holidays: ['2025-07-04'] });
 * ```
 */
export const expandRecurrenceOptionsSchema = z.object({
  timeZone: timeZoneSchema,
  holidays: z.nullish(z.array(localDateSchema).check(z.maxLength(RECURRENCE_HARD_CAP))),
  from: z.optional(instantSchema),
  until: z.optional(instantSchema),
  limit: z.optional(z.number().check(z.int(), z.gte(1), z.lte(RECURRENCE_HARD_CAP, `limit must not exceed the hard cap of ${RECURRENCE_HARD_CAP}`))),
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
 * import { expandRecurrence } from 'academy-scheduling/domain';
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

  const openEnded = endDay === Infinity && maxOccurrences === Infinity && !rule?.count && !rule?.until && untilMs === Infinity;
  const limit = openEnded ? (o.limit ?? RECURRENCE_DEFAULT_LIMIT) : Infinity;
  const out: Occurrence[] = [];
  let nth = 0;

  /** Handles one occurrence of the pattern (before removals); returns false once the series is over. */
  const visit = (day: number): boolean => {
    if (removed.has(day)) return true;
    const start = timeline.toInstant(day * MS_PER_DAY + startMs);
    if (start >= untilMs) return false;
    nth++;
    // Occurrences before `from` still count towards maxOccurrences, but are not returned
    // (nor counted by the hard cap, which bounds what a call returns, whatever bounds the series).
    if (start >= fromMs) {
      if (out.length === RECURRENCE_HARD_CAP) throw tooMany();
      out.push({ start: new Date(start), end: new Date(start + durationMs), localDate: formatLocalDate(day) });
    }
    // The maxOccurrences-th occurrence ends the series: nothing after it is looked at.
    return nth < maxOccurrences && out.length < limit;
  };

  // The rule's own UNTIL (inclusive): a date, a floating local date-time as written, or an instant.
  const ruleUntil = rule?.until ?? null;
  const pastRuleUntil = (day: number): boolean => {
    if (!ruleUntil) return false;
    if (ruleUntil.kind === 'date') return day * MS_PER_DAY > ruleUntil.ms;
    if (ruleUntil.kind === 'local') return day * MS_PER_DAY + startMs > ruleUntil.ms;
    return timeline.toInstant(day * MS_PER_DAY + startMs) > ruleUntil.ms;
  };
  // The last local date any bound allows (the horizon at most): no candidate beyond it matters.
  const untilDays = [horizonDay, endDay];
  if (ruleUntil) untilDays.push(Math.floor((ruleUntil.kind === 'utc' ? timeline.toFloating(ruleUntil.ms) : ruleUntil.ms) / MS_PER_DAY));
  if (untilMs !== Infinity) untilDays.push(Math.floor(timeline.toFloating(untilMs) / MS_PER_DAY));
  const lastDay = Math.min(...untilDays);

  // Without a count from the start (maxOccurrences, COUNT) nothing before `from` matters, so candidates may start near it.
  const countsFromStart = maxOccurrences !== Infinity || (rule?.count !== undefined && rule?.count !== null);
  const fromDay = !countsFromStart && fromMs > -Infinity ? Math.floor(timeline.toFloating(fromMs) / MS_PER_DAY) - 1 : startDay;
  const next: NextDay = rule ? ruleDays(rule.rule, startDay, fromDay, lastDay) : builtInDays(p, startDay, fromDay, horizonDay);

  let matched = 0;
  let ended = false;
  for (;;) {
    const day = next();
    // Infinity: no candidate left up to the last day that matters (or ever, for a built-in pattern).
    if (day === Infinity || day > lastDay) {
      ended = day !== Infinity && day > endDay;
      break;
    }
    if (pastRuleUntil(day)) {
      ended = true;
      break;
    }
    matched++;
    if (!visit(day) || (rule?.count != null && matched >= rule.count)) {
      ended = true;
      break;
    }
  }
  // A bounded series still going at the horizon is refused; one that never matched has no occurrences.
  if (!ended && !openEnded && matched > 0 && lastDay === horizonDay && endDay > horizonDay) {
    throw invalidInput(
      `the series runs more than ${RECURRENCE_MAX_SPAN_YEARS} years past startDate before reaching its end; give an earlier endDate, maxOccurrences or until`,
      [],
      { limit: RECURRENCE_MAX_SPAN_YEARS, reason: 'series_too_long' },
    );
  }
  return out;
}

/** The candidate dates of a built-in pattern type. */
function builtInDays(p: z.output<typeof recurringPatternSchema>, startDay: number, fromDay: number, horizonDay: number): NextDay {
  const interval = p.intervalValue ?? 1;
  const mask = weekdayMask(p.daysOfWeek);
  if (p.patternType === 'daily') return dailyDays(startDay, interval, mask, fromDay);
  if (p.patternType === 'monthly') return monthlyDays(startDay, interval, mask, fromDay, horizonDay);
  return weeklyDays(startDay, p.patternType === 'biweekly' ? 2 * interval : interval, mask, fromDay);
}

function tooMany(): Error {
  return invalidInput(`the series has more than ${RECURRENCE_HARD_CAP} occurrences; narrow it with endDate, maxOccurrences or an until window`, [], {
    limit: RECURRENCE_HARD_CAP,
    reason: 'too_many_occurrences',
  });
}

/**
 * fast-check generators of recurring patterns for the differential test: built-in
 * patterns, and custom RRULEs the doc allows (every BY-part, ordinals, BYSETPOS beyond
 * the set and repeated, WKST, INTERVAL, COUNT, the three UNTIL forms), with removals,
 * windows and limits, in zones with unusual rules. Daylight-saving changes, focused rule
 * families, refusals and the runaway guard have their own recurrence-arbitraries-*.ts.
 */
import fc from 'fast-check';

import type { ExpandRecurrenceOptions, RecurringPatternInput } from '../../src/domain';
import { dayNumber, formatDay, secondsOfTime, type DayNumber } from './recurrence-oracle-calendar';
import { WEEKDAY_CODES } from './recurrence-oracle-rule';
import { wallTimeToInstant } from './recurrence-oracle-zone';

export interface RecurrenceCase {
  pattern: RecurringPatternInput;
  options: ExpandRecurrenceOptions;
}

/** Zones with unusual rules: half-hour DST, negative DST, DST abolished, +13:45, +14:00, a skipped day. */
export const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Europe/Dublin',
  'Africa/Casablanca',
  'Asia/Tehran',
  'America/Sao_Paulo',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'Pacific/Apia',
  'America/St_Johns',
  'UTC',
] as const;

export const FIRST_DAY = dayNumber(2008, 1, 1);
export const LAST_DAY = dayNumber(2034, 12, 31);
export const DAY_MS = 86_400_000;

const pad2 = (n: number) => String(n).padStart(2, '0');
const compact = (day: DayNumber) => formatDay(day).replaceAll('-', '');

/** `arbitrary` about `percent`% of the time, otherwise undefined. */
export const sometimes = <T>(arbitrary: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 100 - percent }, { arbitrary, weight: percent });

export const signed = (magnitude: fc.Arbitrary<number>) => fc.tuple(magnitude, fc.boolean()).map(([n, negative]) => (negative ? -n : n));

/** Favourite values (edges) half the time, any value in range otherwise. */
export const edgy = (favourites: number[], max: number) => fc.oneof(fc.constantFrom(...favourites), signed(fc.integer({ min: 1, max })));

// ---- Times ----

const timeText = (minutes: number, seconds: number | undefined) =>
  `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}${seconds === undefined ? '' : `:${pad2(seconds)}`}`;

/** A start and end time: end after start, at most 24:00, never overnight. */
/** `seconds` undefined writes `HH:MM`, otherwise `HH:MM:SS` with those seconds. */
export function timesFrom(startMinutes: number, durationMinutes: number, seconds?: number) {
  const start = Math.max(0, Math.min(1439, startMinutes));
  const end = Math.min(1440, start + Math.max(1, durationMinutes));
  return { startTime: timeText(start, seconds), endTime: end === 1440 ? '24:00:00' : timeText(end, seconds) };
}

// Wall times where transitions happen somewhere: 00:00–04:00 (and 02:45–03:45 for Chatham), 23:xx.
const INTERESTING_MINUTES = [0, 30, 60, 90, 120, 150, 165, 180, 195, 210, 225, 240, 540, 720, 1380, 1410, 1439];

export const timesArb = fc
  .tuple(
    fc.oneof(fc.constantFrom(...INTERESTING_MINUTES), fc.integer({ min: 0, max: 1439 })),
    fc.oneof(fc.constantFrom(15, 30, 45, 60, 90, 120), fc.integer({ min: 1, max: 300 })),
    fc.oneof(fc.constant(undefined), fc.constant(0), fc.integer({ min: 1, max: 59 })),
  )
  .map(([start, duration, seconds]) => timesFrom(start, duration, seconds));

// ---- Removals and windows ----

const removalsArb = fc.record({
  exceptionOffsets: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 8 }),
  holidayOffsets: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 8 }),
  skipHolidays: fc.constantFrom(null, true, false, undefined),
  exceptionsNull: fc.boolean(),
});

const windowArb = sometimes(
  fc.record({
    fromOffsetHours: sometimes(fc.integer({ min: -48, max: 24 * 200 }), 70),
    lengthHours: sometimes(fc.integer({ min: 1, max: 24 * 500 }), 60),
    // from and until exactly at the start time of a date (an occurrence's start, if it is one).
    exact: fc.boolean(),
  }),
  25,
);

type Removals = typeof removalsArb extends fc.Arbitrary<infer T> ? T : never;
type Window = typeof windowArb extends fc.Arbitrary<infer T> ? T : never;

function withRemovalsAndWindow(startDay: DayNumber, removals: Removals, window: Window, zone: string, startTime: string) {
  const exceptionDates = removals.exceptionOffsets.map((offset) => formatDay(startDay + offset));
  const holidays = removals.holidayOffsets.map((offset) => formatDay(startDay + offset));
  const options: Partial<ExpandRecurrenceOptions> = { holidays };
  if (window?.exact) {
    const at = (days: number) => new Date(wallTimeToInstant(zone, startDay + days, secondsOfTime(startTime)));
    const fromDays = Math.floor((window.fromOffsetHours ?? 0) / 24);
    if (window.fromOffsetHours !== undefined) options.from = at(fromDays);
    if (window.lengthHours !== undefined) options.until = at(fromDays + Math.ceil(window.lengthHours / 24));
  } else if (window) {
    const from = startDay * DAY_MS + (window.fromOffsetHours ?? 0) * 3_600_000;
    if (window.fromOffsetHours !== undefined) options.from = new Date(from);
    if (window.lengthHours !== undefined) options.until = new Date(from + window.lengthHours * 3_600_000);
  }
  return {
    fields: { exceptionDates: removals.exceptionsNull && exceptionDates.length === 0 ? null : exceptionDates, skipHolidays: removals.skipHolidays },
    options,
  };
}

// ---- Built-in patterns ----

export const startDayArb = fc.integer({ min: FIRST_DAY, max: LAST_DAY });
export const zoneArb = fc.constantFrom(...ZONES);

const boundsArb = fc.record({
  spanDays: sometimes(fc.integer({ min: 0, max: 900 }), 50),
  maxOccurrences: sometimes(fc.integer({ min: 1, max: 120 }), 35),
  limit: sometimes(fc.integer({ min: 1, max: 400 }), 80),
});

export const builtInCaseArb: fc.Arbitrary<RecurrenceCase> = fc
  .record({
    patternType: fc.constantFrom('daily', 'weekly', 'biweekly', 'monthly'),
    intervalValue: fc.constantFrom(null, 1, 1, 2, 3, 4, 7),
    days: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }), { nil: null }),
    emptyDaysForWeekly: fc.boolean(),
    startDay: startDayArb,
    times: timesArb,
    bounds: boundsArb,
    removals: removalsArb,
    window: windowArb,
    zone: zoneArb,
  })
  .map((c) => {
    const { fields, options } = withRemovalsAndWindow(c.startDay, c.removals, c.window, c.zone, c.times.startTime);
    const weeklyLike = c.patternType === 'weekly' || c.patternType === 'biweekly';
    const pattern: RecurringPatternInput = {
      patternType: c.patternType,
      intervalValue: c.intervalValue,
      // An empty list means "the weekday of startDate" for weekly/biweekly only; daily and
      // monthly get a list or null (the doc does not say what an empty list means there).
      daysOfWeek: c.days ?? (weeklyLike && c.emptyDaysForWeekly ? [] : null),
      startDate: formatDay(c.startDay),
      endDate: c.bounds.spanDays === undefined ? null : formatDay(c.startDay + c.bounds.spanDays),
      maxOccurrences: c.bounds.maxOccurrences ?? null,
      ...c.times,
      ...fields,
      customPattern: null,
    };
    return { pattern, options: { timeZone: c.zone, ...options, ...(c.bounds.limit === undefined ? {} : { limit: c.bounds.limit }) } };
  });

// ---- Custom rules ----

export type Freq = 'YEARLY' | 'MONTHLY' | 'WEEKLY' | 'DAILY';

export const byDayArb = (ordinals: fc.Arbitrary<number> | undefined) =>
  fc.uniqueArray(fc.record({ weekday: fc.integer({ min: 0, max: 6 }), ordinal: ordinals ? sometimes(ordinals, 55) : fc.constant(undefined) }), {
    minLength: 1,
    maxLength: 4,
    selector: (entry) => `${entry.ordinal ?? ''}${entry.weekday}`,
  });

const untilArb = fc.record({
  kind: fc.constantFrom('date', 'floating', 'utc'),
  offsetDays: fc.oneof(fc.integer({ min: -5, max: 120 }), fc.integer({ min: 0, max: 1500 })),
  minutes: fc.oneof(fc.constantFrom(0, 90, 150, 540, 1439), fc.integer({ min: 0, max: 1439 })),
});

/** A rule the doc allows for `freq` (rule 7 respected), as name/value parts. */
export function allowedRuleArb(freq: Freq, startDay: DayNumber): fc.Arbitrary<Array<[string, string]>> {
  const yearly = freq === 'YEARLY';
  const monthlyOrYearly = freq === 'MONTHLY' || yearly;
  return fc
    .record({
      interval: sometimes(fc.integer({ min: 1, max: freq === 'DAILY' ? 10 : 4 }), 40),
      byMonth: sometimes(fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 }), yearly ? 45 : 25),
      byWeekNo: yearly ? sometimes(fc.uniqueArray(edgy([1, 2, 20, 52, 53, -1, -2, -52, -53], 53), { minLength: 1, maxLength: 3 }), 30) : fc.constant(undefined),
      byYearDay: yearly
        ? sometimes(fc.uniqueArray(edgy([1, 59, 60, 100, 200, 365, 366, -1, -60, -365, -366], 366), { minLength: 1, maxLength: 4 }), 25)
        : fc.constant(undefined),
      byMonthDay:
        freq !== 'WEEKLY'
          ? sometimes(fc.uniqueArray(edgy([1, 15, 28, 29, 30, 31, -1, -2, -3, -29, -31], 31), { minLength: 1, maxLength: 4 }), monthlyOrYearly ? 40 : 25)
          : fc.constant(undefined),
      byDay: sometimes(
        byDayArb(monthlyOrYearly ? fc.oneof(signed(fc.integer({ min: 1, max: 5 })), edgy([6, 20, 52, 53, -53], 53)) : undefined),
        freq === 'WEEKLY' ? 70 : 50,
      ),
      bySetPos: sometimes(fc.array(edgy([1, 1, 2, 3, -1, -1, -2, 5, -5, 7, 31, -366], 40), { minLength: 1, maxLength: 3 }), 35),
      wkst: sometimes(fc.integer({ min: 0, max: 6 }), 30),
      end: fc.oneof(
        { arbitrary: fc.record({ count: fc.integer({ min: 1, max: 60 }) }), weight: 45 },
        { arbitrary: fc.record({ until: untilArb }), weight: 30 },
        { arbitrary: fc.constant({}), weight: 25 },
      ),
      freqLast: fc.boolean(),
    })
    .map((r) => {
      const byDay = r.byWeekNo ? r.byDay?.map((entry) => ({ weekday: entry.weekday, ordinal: undefined })) : r.byDay;
      const parts: Array<[string, string]> = [];
      if (r.interval !== undefined) parts.push(['INTERVAL', String(r.interval)]);
      if ('count' in r.end) parts.push(['COUNT', String(r.end.count)]);
      if ('until' in r.end) {
        const { kind, offsetDays, minutes } = r.end.until;
        const day = startDay + offsetDays;
        const time = `T${pad2(Math.floor(minutes / 60))}${pad2(minutes % 60)}00`;
        parts.push(['UNTIL', kind === 'date' ? compact(day) : `${compact(day)}${time}${kind === 'utc' ? 'Z' : ''}`]);
      }
      if (r.byMonth) parts.push(['BYMONTH', r.byMonth.join(',')]);
      if (r.byWeekNo) parts.push(['BYWEEKNO', r.byWeekNo.join(',')]);
      if (r.byYearDay) parts.push(['BYYEARDAY', r.byYearDay.join(',')]);
      if (r.byMonthDay) parts.push(['BYMONTHDAY', r.byMonthDay.join(',')]);
      if (byDay) parts.push(['BYDAY', [...new Set(byDay.map((e) => `${e.ordinal ?? ''}${WEEKDAY_CODES[e.weekday]}`))].join(',')]);
      if (r.bySetPos && parts.some(([name]) => name.startsWith('BY'))) parts.push(['BYSETPOS', r.bySetPos.join(',')]);
      if (r.wkst !== undefined) parts.push(['WKST', WEEKDAY_CODES[r.wkst]!]);
      return r.freqLast ? [...parts, ['FREQ', freq]] : [['FREQ', freq], ...parts];
    });
}

export const ruleText = (parts: Array<[string, string]>, prefixed = false) => `${prefixed ? 'RRULE:' : ''}${parts.map(([n, v]) => `${n}=${v}`).join(';')}`;

export const customCaseArb: fc.Arbitrary<RecurrenceCase> = fc
  .record({
    freq: fc.constantFrom<Freq>('YEARLY', 'MONTHLY', 'MONTHLY', 'WEEKLY', 'DAILY'),
    startDay: startDayArb,
  })
  .chain(({ freq, startDay }) =>
    fc.record({
      startDay: fc.constant(startDay),
      parts: allowedRuleArb(freq, startDay),
      prefixed: fc.boolean(),
      times: timesArb,
      bounds: fc.record({
        spanDays: sometimes(fc.integer({ min: 0, max: 1500 }), 20),
        maxOccurrences: sometimes(fc.integer({ min: 1, max: 60 }), 20),
        limit: sometimes(fc.integer({ min: 1, max: 200 }), 90),
      }),
      removals: removalsArb,
      window: windowArb,
      zone: zoneArb,
      noiseFields: fc.record({ intervalValue: fc.constantFrom(null, 3), daysOfWeek: fc.constantFrom<number[] | null>(null, [2, 4]) }),
    }),
  )
  .map((c) => {
    const { fields, options } = withRemovalsAndWindow(c.startDay, c.removals, c.window, c.zone, c.times.startTime);
    const pattern: RecurringPatternInput = {
      patternType: 'custom',
      // Ignored for custom patterns; present to prove it.
      ...c.noiseFields,
      startDate: formatDay(c.startDay),
      endDate: c.bounds.spanDays === undefined ? null : formatDay(c.startDay + c.bounds.spanDays),
      maxOccurrences: c.bounds.maxOccurrences ?? null,
      ...c.times,
      ...fields,
      customPattern: { rrule: ruleText(c.parts, c.prefixed) },
    };
    return { pattern, options: { timeZone: c.zone, ...options, ...(c.bounds.limit === undefined ? {} : { limit: c.bounds.limit }) } };
  });

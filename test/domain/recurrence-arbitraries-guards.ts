/**
 * fast-check generators for the edges of the doc: rules it refuses (rule 7), and series
 * that meet the runaway guard (the 100-year horizon, the 10,000 cap, never-matching
 * patterns, open-ended series that stop at the horizon).
 */
import fc from 'fast-check';

import type { RecurringPatternInput } from '../../src/domain';
import { formatDay, weekdayOf } from './recurrence-oracle-calendar';
import { startDayArb, timesArb, zoneArb, type RecurrenceCase } from './recurrence-arbitraries';

/** Rules rule 7 refuses, one reason each. */
const REFUSED_RULES = [
  // RFC 5545 "MUST NOT" combinations
  'FREQ=MONTHLY;BYWEEKNO=20',
  'FREQ=WEEKLY;BYWEEKNO=1;BYDAY=MO',
  'FREQ=DAILY;BYWEEKNO=-1',
  'FREQ=MONTHLY;BYYEARDAY=100',
  'FREQ=WEEKLY;BYYEARDAY=-1',
  'FREQ=DAILY;BYYEARDAY=1,2',
  'FREQ=WEEKLY;BYMONTHDAY=1',
  'FREQ=WEEKLY;BYDAY=1MO',
  'FREQ=WEEKLY;BYDAY=MO,-1FR',
  'FREQ=DAILY;BYDAY=2TU',
  'FREQ=YEARLY;BYWEEKNO=20;BYDAY=1MO',
  'FREQ=MONTHLY;BYSETPOS=1',
  'FREQ=YEARLY;BYSETPOS=-1;COUNT=3',
  'FREQ=WEEKLY;BYSETPOS=1;WKST=SU',
  'FREQ=DAILY;COUNT=5;UNTIL=20300101',
  'FREQ=DAILY;UNTIL=20300101T000000Z;COUNT=5',
  // sub-daily frequencies and times of day
  'FREQ=HOURLY;COUNT=3',
  'FREQ=MINUTELY;INTERVAL=15',
  'FREQ=SECONDLY',
  'FREQ=DAILY;BYHOUR=9',
  'FREQ=WEEKLY;BYMINUTE=0',
  'FREQ=MONTHLY;BYSECOND=0',
  // DTSTART / TZID inside the rule
  'DTSTART:20250101T090000\nRRULE:FREQ=DAILY;COUNT=3',
  'FREQ=DAILY;DTSTART=20250101T090000',
  'FREQ=DAILY;TZID=America/New_York',
  // a part given twice
  'FREQ=DAILY;COUNT=3;COUNT=4',
  'FREQ=MONTHLY;BYDAY=MO;BYDAY=TU',
  'FREQ=DAILY;FREQ=WEEKLY',
  // malformed
  'FREQ=MONTHLY;BYMONTH=13',
  'FREQ=YEARLY;BYMONTH=0',
  'FREQ=MONTHLY;BYMONTHDAY=0',
  'FREQ=MONTHLY;BYMONTHDAY=32',
  'FREQ=YEARLY;BYYEARDAY=367',
  'FREQ=YEARLY;BYWEEKNO=54',
  'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0',
  'FREQ=DAILY;INTERVAL=0',
  'FREQ=WEEKLY;BYDAY=XX',
  'FREQ=MONTHLY;BYDAY=0MO',
  'FREQ=DAILY;UNTIL=2025',
  'COUNT=3',
  'FREQ=FORTNIGHTLY',
];

export const refusedCaseArb: fc.Arbitrary<RecurrenceCase> = fc
  .record({ rule: fc.constantFrom(...REFUSED_RULES), prefixed: fc.boolean(), startDay: startDayArb, times: timesArb, zone: zoneArb })
  .map((c) => ({
    pattern: {
      patternType: 'custom',
      startDate: formatDay(c.startDay),
      endDate: formatDay(c.startDay + 60),
      ...c.times,
      customPattern: { rrule: `${c.prefixed && !c.rule.startsWith('DTSTART') ? 'RRULE:' : ''}${c.rule}` },
    },
    options: { timeZone: c.zone },
  }));

/** Sparse custom rules and roughly how many times each matches in 100 years. */
const SPARSE_RULES: Array<[rule: string, perCentury: number]> = [
  ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', 24],
  ['FREQ=YEARLY;BYYEARDAY=366', 24],
  ['FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=SU', 4],
  ['FREQ=YEARLY;INTERVAL=5', 20],
  ['FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH', 18],
  ['FREQ=YEARLY;BYMONTH=2;BYDAY=5FR', 4],
  ['FREQ=MONTHLY;INTERVAL=7;BYMONTHDAY=31;BYDAY=FR', 12],
  ['FREQ=YEARLY;BYDAY=53MO', 18],
];

/** Rules that never match, and built-in patterns that never match. */
const NEVER_RULES = [
  'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
  'FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31',
  'FREQ=MONTHLY;BYMONTH=6;BYMONTHDAY=-31',
  'FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6',
  'FREQ=YEARLY;BYYEARDAY=366;BYMONTH=1',
  'FREQ=MONTHLY;BYDAY=FR;BYSETPOS=6',
  'FREQ=YEARLY;BYMONTH=3;BYDAY=6MO',
];

const boundArb = fc.oneof(
  fc.record({ kind: fc.constant('max' as const), n: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('count' as const), n: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('endDate' as const), years: fc.oneof(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 101, max: 300 })) }),
  fc.record({ kind: fc.constant('open' as const), limit: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }) }),
  fc.record({ kind: fc.constant('windowUntil' as const), years: fc.oneof(fc.integer({ min: 1, max: 98 }), fc.integer({ min: 102, max: 200 })) }),
);

export const guardCaseArb: fc.Arbitrary<RecurrenceCase> = fc
  .record({
    family: fc.constantFrom('sparse', 'never-custom', 'never-daily', 'dense'),
    sparse: fc.constantFrom(...SPARSE_RULES),
    countShift: fc.integer({ min: -3, max: 3 }),
    never: fc.constantFrom(...NEVER_RULES),
    dense: fc.record({
      rule: fc.constantFrom('FREQ=DAILY', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU', 'FREQ=MONTHLY;BYMONTHDAY=1,2,3,4,5,6,7,8,9,10'),
      count: fc.constantFrom(9_999, 10_000, 10_001, 12_000),
      builtIn: fc.boolean(),
    }),
    bound: boundArb,
    startDay: startDayArb,
    times: timesArb,
    zone: zoneArb,
  })
  .map((c): RecurrenceCase => {
    const startDate = formatDay(c.startDay);
    const base = { startDate, ...c.times, exceptionDates: null, endDate: null, maxOccurrences: null };
    const yearsLater = (years: number) => `${String(Number(startDate.slice(0, 4)) + years).padStart(4, '0')}${startDate.slice(4)}`.replace(/-02-29$/, '-02-28');
    const options: RecurrenceCase['options'] = { timeZone: c.zone };
    let rule: string;
    let pattern: RecurringPatternInput;
    if (c.family === 'dense') {
      // Just under, at, and just over the 10,000 cap.
      if (c.dense.builtIn) {
        return { pattern: { ...base, patternType: 'daily', intervalValue: 1, maxOccurrences: c.dense.count }, options };
      }
      return { pattern: { ...base, patternType: 'custom', customPattern: { rrule: `${c.dense.rule};COUNT=${c.dense.count}` } }, options };
    }
    if (c.family === 'never-daily') {
      // Every 7 days, only on a weekday the start is not.
      const other = (weekdayOf(c.startDay) + 3) % 7;
      pattern = { ...base, patternType: 'daily', intervalValue: 7, daysOfWeek: [other] };
      rule = '';
    } else {
      rule = c.family === 'sparse' ? c.sparse[0] : c.never;
      pattern = { ...base, patternType: 'custom' };
    }
    const bound = c.bound;
    if (bound.kind === 'max') pattern.maxOccurrences = c.family === 'sparse' ? Math.max(1, c.sparse[1] + c.countShift) : bound.n;
    if (bound.kind === 'count') {
      if (rule === '') pattern.maxOccurrences = bound.n;
      else rule += `;COUNT=${c.family === 'sparse' ? Math.max(1, c.sparse[1] + c.countShift) : bound.n}`;
    }
    if (bound.kind === 'endDate') pattern.endDate = yearsLater(bound.years);
    if (bound.kind === 'open' && bound.limit !== undefined) options.limit = bound.limit;
    if (bound.kind === 'windowUntil') options.until = new Date(`${yearsLater(bound.years)}T12:00:00Z`);
    if (rule !== '') pattern.customPattern = { rrule: rule };
    return { pattern, options };
  });

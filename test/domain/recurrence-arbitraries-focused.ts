/**
 * fast-check generators of custom rules a uniform mix rarely produces: BYDAY ordinals as
 * expansions and as limits (counted in the month or the year), and BYWEEKNO at the ends
 * of the year with every WKST.
 */
import fc from 'fast-check';

import { dayNumber, formatDay } from './recurrence-oracle-calendar';
import { WEEKDAY_CODES } from './recurrence-oracle-rule';
import { byDayArb, edgy, ruleText, signed, sometimes, startDayArb, timesArb, zoneArb, type Freq, type RecurrenceCase } from './recurrence-arbitraries';

const focusedCase = (freq: fc.Arbitrary<Freq>, partsOf: (freq: Freq) => fc.Arbitrary<Array<[string, string]>>, startDay = startDayArb) =>
  fc
    .record({
      freq,
      startDay,
      times: timesArb,
      zone: zoneArb,
      end: fc.oneof(
        fc.integer({ min: 1, max: 25 }).map((n) => ['COUNT', String(n)] as [string, string]),
        fc.constant(undefined),
      ),
    })
    .chain((c) => fc.record({ c: fc.constant(c), parts: partsOf(c.freq), limit: fc.integer({ min: 1, max: 40 }) }))
    .map(({ c, parts, limit }): RecurrenceCase => {
      const all: Array<[string, string]> = [['FREQ', c.freq], ...parts, ...(c.end ? [c.end] : [])];
      return {
        pattern: { patternType: 'custom', startDate: formatDay(c.startDay), ...c.times, customPattern: { rrule: ruleText(all) } },
        options: { timeZone: c.zone, ...(c.end ? {} : { limit }) },
      };
    });

const run = (first: number, length: number) => Array.from({ length }, (_, i) => first + i);

/**
 * BYDAY ordinals as expansions and as limits: with BYMONTH (n-th of the month), without
 * (n-th of the year), with a 7-day BYMONTHDAY or BYYEARDAY run so that a limit can match.
 */
export const ordinalCaseArb = focusedCase(fc.constantFrom<Freq>('YEARLY', 'MONTHLY'), (freq) =>
  fc
    .record({
      byDay: byDayArb(
        freq === 'YEARLY' ? fc.oneof(signed(fc.integer({ min: 1, max: 5 })), signed(fc.integer({ min: 6, max: 53 }))) : signed(fc.integer({ min: 1, max: 5 })),
      ),
      byMonth: sometimes(fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }), 50),
      runKind: fc.constantFrom('none', 'monthday', 'monthday-negative', 'yearday'),
      runStart: fc.integer({ min: 1, max: 358 }),
      bySetPos: sometimes(fc.array(edgy([1, -1, 2], 6), { minLength: 1, maxLength: 2 }), 25),
    })
    .map((r) => {
      const parts: Array<[string, string]> = [['BYDAY', r.byDay.map((e) => `${e.ordinal ?? ''}${WEEKDAY_CODES[e.weekday]}`).join(',')]];
      if (r.byMonth) parts.push(['BYMONTH', r.byMonth.join(',')]);
      const runKind = freq === 'MONTHLY' && r.runKind === 'yearday' ? 'monthday' : r.runKind;
      if (runKind === 'monthday') parts.push(['BYMONTHDAY', run((r.runStart % 25) + 1, 7).join(',')]);
      if (runKind === 'monthday-negative')
        parts.push([
          'BYMONTHDAY',
          run((r.runStart % 25) + 1, 7)
            .map((n) => -n)
            .join(','),
        ]);
      if (runKind === 'yearday')
        parts.push([
          'BYYEARDAY',
          run(r.runStart, 7)
            .map((n) => (r.runStart % 2 ? -n : n))
            .join(','),
        ]);
      if (r.bySetPos) parts.push(['BYSETPOS', r.bySetPos.join(',')]);
      return parts;
    }),
);

/** BYWEEKNO at the ends of the year, any WKST, from a start near New Year. */
export const weekNumberCaseArb = focusedCase(
  fc.constant<Freq>('YEARLY'),
  () =>
    fc
      .record({
        byWeekNo: fc.uniqueArray(fc.constantFrom(1, 2, 51, 52, 53, -1, -2, -52, -53), { minLength: 1, maxLength: 3 }),
        wkst: fc.integer({ min: 0, max: 6 }),
        byDay: sometimes(fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 }), 50),
        byMonth: sometimes(fc.constantFrom([1], [12], [1, 12]), 30),
        bySetPos: sometimes(fc.constantFrom([1], [-1], [1, -1], [8]), 20),
      })
      .map((r) => {
        const parts: Array<[string, string]> = [
          ['BYWEEKNO', r.byWeekNo.join(',')],
          ['WKST', WEEKDAY_CODES[r.wkst]!],
        ];
        if (r.byDay) parts.push(['BYDAY', r.byDay.map((d) => WEEKDAY_CODES[d]).join(',')]);
        if (r.byMonth) parts.push(['BYMONTH', r.byMonth.join(',')]);
        if (r.bySetPos) parts.push(['BYSETPOS', r.bySetPos.join(',')]);
        return parts;
      }),
  fc.tuple(fc.integer({ min: 2008, max: 2034 }), fc.integer({ min: -10, max: 10 })).map(([year, shift]) => dayNumber(year, 1, 1) + shift),
);

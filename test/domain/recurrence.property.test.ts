import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';

import { RRule } from '../support/rrule-interop';
import { expandRecurrence, type RecurringPatternInput } from '../../src/domain';
import { ZoneTimeline } from '../../src/domain/time-zone';

const ZONES = [
  'America/New_York',
  'Australia/Sydney',
  'Europe/London',
  'Asia/Tokyo',
  'UTC',
  'America/Sao_Paulo',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'America/Santiago',
];
const DAY = 86_400_000;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const day2020 = Date.UTC(2020, 0, 1);

const timeArb = fc.integer({ min: 0, max: 24 * 60 - 2 }).chain((start) => fc.integer({ min: start + 1, max: 24 * 60 - 1 }).map((end) => [start, end] as const));
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;

const patternArb = fc.record({
  patternType: fc.constantFrom('daily', 'weekly', 'biweekly', 'monthly'),
  intervalValue: fc.integer({ min: 1, max: 4 }),
  daysOfWeek: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }), { nil: null }),
  startOffset: fc.integer({ min: 0, max: 3650 }),
  span: fc.option(fc.integer({ min: 0, max: 700 }), { nil: null }),
  maxOccurrences: fc.option(fc.integer({ min: 1, max: 150 }), { nil: null }),
  times: timeArb,
  removedOffsets: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 20 }),
  holidayOffsets: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 20 }),
  skipHolidays: fc.option(fc.boolean(), { nil: null }),
  zone: fc.constantFrom(...ZONES),
});

type GeneratedPattern = typeof patternArb extends fc.Arbitrary<infer T> ? T : never;

function build(p: GeneratedPattern) {
  const startMs = day2020 + p.startOffset * DAY;
  const pattern: RecurringPatternInput = {
    patternType: p.patternType,
    intervalValue: p.intervalValue,
    daysOfWeek: p.daysOfWeek,
    startDate: dateOf(startMs),
    endDate: p.span === null ? null : dateOf(startMs + p.span * DAY),
    maxOccurrences: p.maxOccurrences,
    startTime: hhmm(p.times[0]),
    endTime: hhmm(p.times[1]),
    skipHolidays: p.skipHolidays,
    exceptionDates: p.removedOffsets.map((o) => dateOf(startMs + o * DAY)),
    customPattern: null,
  };
  const holidays = p.holidayOffsets.map((o) => dateOf(startMs + o * DAY));
  return { pattern, holidays, options: { timeZone: p.zone, holidays, limit: 300 } };
}

describe('expandRecurrence properties', () => {
  it('never returns a removed date, never exceeds maxOccurrences, stays in [startDate, endDate], keeps startTime except in a gap', () => {
    fc.assert(
      fc.property(patternArb, (p) => {
        const { pattern, holidays, options } = build(p);
        let occurrences;
        try {
          occurrences = expandRecurrence(pattern, options);
        } catch (error) {
          // A sparse monthly filter (e.g. the 1st of odd months, Sundays only) with a large
          // maxOccurrences legitimately runs past the 100-year horizon: that is the one allowed refusal.
          expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'series_too_long' } });
          expect(pattern.patternType === 'monthly' && pattern.daysOfWeek !== null).toBe(true);
          return;
        }
        const removed = new Set([...(pattern.exceptionDates ?? []), ...(pattern.skipHolidays === false ? [] : holidays)]);
        if (pattern.maxOccurrences) expect(occurrences.length).toBeLessThanOrEqual(pattern.maxOccurrences);
        const durationMs = (p.times[1] - p.times[0]) * 60_000;
        let previous = -Infinity;
        for (const o of occurrences) {
          expect(removed.has(o.localDate)).toBe(false);
          expect(o.localDate >= pattern.startDate).toBe(true);
          if (pattern.endDate) expect(o.localDate <= pattern.endDate).toBe(true);
          expect(o.end.getTime() - o.start.getTime()).toBe(durationMs);
          expect(o.start.getTime()).toBeGreaterThan(previous);
          previous = o.start.getTime();
          const local = DateTime.fromJSDate(o.start, { zone: p.zone });
          const wanted = DateTime.fromISO(`${o.localDate}T${pattern.startTime}`, { zone: p.zone });
          const inGap = wanted.toFormat('yyyy-MM-dd HH:mm:ss') !== `${o.localDate} ${pattern.startTime}`;
          if (inGap) {
            // Moved forward past the gap, exactly as far as the gap is long (luxon does the same).
            expect(o.start.getTime()).toBe(wanted.toMillis());
          } else {
            expect(local.toFormat('yyyy-MM-dd HH:mm:ss')).toBe(`${o.localDate} ${pattern.startTime}`);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('produces the same dates as the equivalent floating rrule (no removals, UTC)', () => {
    const WEEKDAYS = [RRule.SU, RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA];
    fc.assert(
      fc.property(patternArb, (p) => {
        const { pattern } = build({ ...p, span: p.span ?? 400, removedOffsets: [], holidayOffsets: [], zone: 'UTC' });
        const ours = expandRecurrence(pattern, { timeZone: 'UTC' }).map((o) => o.localDate);
        const start = new Date(`${pattern.startDate}T${pattern.startTime}Z`);
        const freq = pattern.patternType === 'daily' ? RRule.DAILY : pattern.patternType === 'monthly' ? RRule.MONTHLY : RRule.WEEKLY;
        const rule = new RRule({
          freq,
          interval: (pattern.patternType === 'biweekly' ? 2 : 1) * (pattern.intervalValue ?? 1),
          wkst: RRule.MO,
          dtstart: start,
          until: new Date(`${pattern.endDate}T23:59:59Z`),
          ...(pattern.maxOccurrences ? { count: pattern.maxOccurrences } : {}),
          ...(pattern.daysOfWeek ? { byweekday: pattern.daysOfWeek.map((d) => WEEKDAYS[d]!) } : {}),
          ...(pattern.patternType === 'monthly' ? { bymonthday: [start.getUTCDate()] } : {}),
        });
        expect(ours).toEqual(rule.all().map((d) => d.toISOString().slice(0, 10)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('ZoneTimeline.toInstant', () => {
  it('maps wall times like luxon, except that an ambiguous time takes the earlier instant', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES, 'Europe/Moscow', 'Pacific/Apia', 'Africa/Casablanca'),
        fc.integer({ min: Date.UTC(1975, 0, 1) / 60_000, max: Date.UTC(2090, 0, 1) / 60_000 }),
        (zone, minutes) => {
          const floating = minutes * 60_000;
          const ours = ZoneTimeline.for(zone, floating).toInstant(floating);
          const f = new Date(floating);
          const wall = { year: f.getUTCFullYear(), month: f.getUTCMonth() + 1, day: f.getUTCDate(), hour: f.getUTCHours(), minute: f.getUTCMinutes() };
          const luxon = DateTime.fromObject(wall, { zone });
          const sameWall = (t: number) =>
            DateTime.fromMillis(t, { zone }).toFormat('yyyy-MM-dd HH:mm') === luxon.set(wall).toFormat('yyyy-MM-dd HH:mm') &&
            DateTime.fromMillis(t, { zone }).toFormat('yyyy-MM-dd HH:mm') === DateTime.fromMillis(floating, { zone: 'UTC' }).toFormat('yyyy-MM-dd HH:mm');
          if (sameWall(luxon.toMillis())) {
            // Exists: ours shows the same wall time, and no earlier instant (up to 3h) shows it too.
            expect(sameWall(ours)).toBe(true);
            for (const back of [15, 30, 45, 60, 90, 120, 180]) expect(sameWall(ours - back * 60_000)).toBe(false);
          } else {
            expect(ours).toBe(luxon.toMillis());
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});

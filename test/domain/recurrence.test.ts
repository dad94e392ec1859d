import { describe, expect, it } from 'vitest';
import { RRule } from '../support/rrule-interop';
import { expandRecurrence, RECURRENCE_DEFAULT_LIMIT } from '../../src/domain';
import { invalidPath, pattern, sampleWeeklyPattern } from './fixtures';
import { iso } from '../support/time';

const byDate = (occurrences: ReturnType<typeof expandRecurrence>) => new Map(occurrences.map((o) => [o.localDate, o]));

describe('expandRecurrence: the reference sample pattern in America/New_York', () => {
  const occurrences = expandRecurrence(sampleWeeklyPattern, { timeZone: 'America/New_York' });
  const at = byDate(occurrences);

  it('has 151 Mon/Wed/Fri occurrences from 2025-01-15 to 2025-12-31', () => {
    // 2025-01-15 is a Wednesday: 50 full Mon–Sun weeks hold 150 days, plus Wed 2025-12-31.
    expect(occurrences).toHaveLength(151);
    expect(occurrences[0]?.localDate).toBe('2025-01-15');
    expect(occurrences.at(-1)?.localDate).toBe('2025-12-31');
    expect(new Set(occurrences.map((o) => new Date(`${o.localDate}T00:00:00Z`).getUTCDay()))).toEqual(new Set([1, 3, 5]));
  });

  it('keeps 10:00 local across the March spring-forward (UTC-5 → UTC-4)', () => {
    expect(iso(at.get('2025-03-07')!.start)).toBe('2025-03-07T15:00:00.000Z');
    expect(iso(at.get('2025-03-10')!.start)).toBe('2025-03-10T14:00:00.000Z');
    expect(iso(at.get('2025-03-10')!.end)).toBe('2025-03-10T15:00:00.000Z');
  });

  it('keeps 10:00 local across the November fall-back (UTC-4 → UTC-5)', () => {
    expect(iso(at.get('2025-10-31')!.start)).toBe('2025-10-31T14:00:00.000Z');
    expect(iso(at.get('2025-11-03')!.start)).toBe('2025-11-03T15:00:00.000Z');
    expect(iso(at.get('2025-11-03')!.end)).toBe('2025-11-03T16:00:00.000Z');
  });

  it('is in chronological order', () => {
    for (let i = 1; i < occurrences.length; i++) expect(occurrences[i]!.start > occurrences[i - 1]!.start).toBe(true);
  });
});

describe('expandRecurrence: other zones', () => {
  it('follows Australia/Sydney daylight saving (ends 2025-04-06, starts 2025-10-05)', () => {
    const at = byDate(expandRecurrence(sampleWeeklyPattern, { timeZone: 'Australia/Sydney' }));
    expect(iso(at.get('2025-04-04')!.start)).toBe('2025-04-03T23:00:00.000Z');
    expect(iso(at.get('2025-04-07')!.start)).toBe('2025-04-07T00:00:00.000Z');
    expect(iso(at.get('2025-10-03')!.start)).toBe('2025-10-03T00:00:00.000Z');
    expect(iso(at.get('2025-10-06')!.start)).toBe('2025-10-05T23:00:00.000Z');
  });

  it('uses one constant offset in Asia/Tokyo and UTC', () => {
    const tokyo = expandRecurrence(sampleWeeklyPattern, { timeZone: 'Asia/Tokyo' });
    expect(tokyo).toHaveLength(151);
    expect(tokyo.every((o) => o.start.getUTCHours() === 1 && o.start.getUTCMinutes() === 0)).toBe(true);
    const utc = expandRecurrence(sampleWeeklyPattern, { timeZone: 'UTC' });
    expect(iso(utc[0]!.start)).toBe('2025-01-15T10:00:00.000Z');
    expect(utc.every((o) => o.start.getUTCHours() === 10 && o.end.getTime() - o.start.getTime() === 3_600_000)).toBe(true);
  });
});

describe('expandRecurrence: daylight-saving edges', () => {
  it('moves a start in the spring-forward gap past the gap and keeps the duration', () => {
    const occurrences = expandRecurrence(
      pattern({ patternType: 'daily', daysOfWeek: null, startDate: '2025-03-08', endDate: '2025-03-10', startTime: '02:30', endTime: '03:30' }),
      { timeZone: 'America/New_York' },
    );
    expect(occurrences.map((o) => [o.localDate, iso(o.start), iso(o.end)])).toEqual([
      ['2025-03-08', '2025-03-08T07:30:00.000Z', '2025-03-08T08:30:00.000Z'],
      // 02:30 does not exist on 2025-03-09: 07:30Z is 03:30 EDT, and the class still lasts 60 minutes.
      ['2025-03-09', '2025-03-09T07:30:00.000Z', '2025-03-09T08:30:00.000Z'],
      ['2025-03-10', '2025-03-10T06:30:00.000Z', '2025-03-10T07:30:00.000Z'],
    ]);
  });

  it('takes the earlier instant of an ambiguous fall-back time', () => {
    const occurrences = expandRecurrence(
      pattern({ patternType: 'daily', daysOfWeek: null, startDate: '2025-11-02', endDate: '2025-11-02', startTime: '01:30', endTime: '02:00' }),
      { timeZone: 'America/New_York' },
    );
    // 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST): the first one wins.
    expect(occurrences.map((o) => [iso(o.start), iso(o.end)])).toEqual([['2025-11-02T05:30:00.000Z', '2025-11-02T06:00:00.000Z']]);
  });
});

describe('expandRecurrence: pattern types', () => {
  it('repeats monthly on the 31st and skips months without one', () => {
    const occurrences = expandRecurrence(pattern({ patternType: 'monthly', daysOfWeek: null, startDate: '2025-01-31', endDate: '2025-12-31' }), {
      timeZone: 'UTC',
    });
    expect(occurrences.map((o) => o.localDate)).toEqual(['2025-01-31', '2025-03-31', '2025-05-31', '2025-07-31', '2025-08-31', '2025-10-31', '2025-12-31']);
  });

  it('counts biweekly intervals in Monday-start weeks (WKST=MO)', () => {
    // 2025-01-05 is a Sunday: with weeks starting Monday it ends the week of Mon 2024-12-30.
    const occurrences = expandRecurrence(pattern({ patternType: 'biweekly', daysOfWeek: [0, 1], startDate: '2025-01-05', endDate: '2025-02-10' }), {
      timeZone: 'UTC',
    });
    const expected = ['2025-01-05', '2025-01-13', '2025-01-19', '2025-01-27', '2025-02-02', '2025-02-10'];
    expect(occurrences.map((o) => o.localDate)).toEqual(expected);
    const rrule = new RRule({
      freq: RRule.WEEKLY,
      interval: 2,
      wkst: RRule.MO,
      byweekday: [RRule.SU, RRule.MO],
      dtstart: new Date(Date.UTC(2025, 0, 5, 10)),
      until: new Date(Date.UTC(2025, 1, 10, 23)),
    });
    expect(rrule.all().map((d) => d.toISOString().slice(0, 10))).toEqual(expected);
  });

  it('uses the weekday of startDate for weekly without days, and every n weeks', () => {
    const occurrences = expandRecurrence(
      pattern({ patternType: 'weekly', intervalValue: 3, daysOfWeek: null, startDate: '2025-01-15', endDate: '2025-03-31' }),
      { timeZone: 'UTC' },
    );
    expect(occurrences.map((o) => o.localDate)).toEqual(['2025-01-15', '2025-02-05', '2025-02-26', '2025-03-19']);
  });

  it('keeps only the given days for daily with days, stepping every n days', () => {
    const occurrences = expandRecurrence(
      pattern({ patternType: 'daily', intervalValue: 2, daysOfWeek: [1, 2], startDate: '2025-01-06', endDate: '2025-01-31' }),
      { timeZone: 'UTC' },
    );
    // Every other day from Mon 01-06: 06 08 10 12 14 16 18 20 22 24 26 28 30 → Mondays/Tuesdays only.
    expect(occurrences.map((o) => o.localDate)).toEqual(['2025-01-06', '2025-01-14', '2025-01-20', '2025-01-28']);
  });

  it('returns nothing, quickly, for a daily step that never lands on a wanted weekday', () => {
    const occurrences = expandRecurrence(pattern({ patternType: 'daily', intervalValue: 7, daysOfWeek: [1], startDate: '2025-01-15', endDate: null }), {
      timeZone: 'UTC',
    });
    expect(occurrences).toEqual([]);
  });

  it('runs a custom RRULE anchored at startDate + startTime in the zone', () => {
    const occurrences = expandRecurrence(pattern({ patternType: 'custom', customPattern: { rrule: 'RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=3' }, endDate: null }), {
      timeZone: 'Australia/Sydney',
    });
    expect(occurrences.map((o) => [o.localDate, iso(o.start)])).toEqual([
      ['2025-02-11', '2025-02-10T23:00:00.000Z'],
      ['2025-03-11', '2025-03-10T23:00:00.000Z'],
      ['2025-04-08', '2025-04-08T00:00:00.000Z'],
    ]);
  });

  it('accepts a custom rule without the RRULE: prefix and honours a UTC UNTIL as an instant', () => {
    const occurrences = expandRecurrence(
      pattern({ patternType: 'custom', customPattern: { rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20250203T150000Z' }, startDate: '2025-01-06', endDate: null }),
      { timeZone: 'America/New_York' },
    );
    // Mon 2025-02-03 10:00 EST is exactly 15:00Z: UNTIL is inclusive.
    expect(occurrences.map((o) => o.localDate)).toEqual(['2025-01-06', '2025-01-13', '2025-01-20', '2025-01-27', '2025-02-03']);
  });

  it('treats a date-only UNTIL as an inclusive local date', () => {
    const occurrences = expandRecurrence(
      pattern({ patternType: 'custom', customPattern: { rrule: 'FREQ=DAILY;UNTIL=20250108' }, startDate: '2025-01-06', endDate: null }),
      { timeZone: 'Asia/Tokyo' },
    );
    expect(occurrences.map((o) => o.localDate)).toEqual(['2025-01-06', '2025-01-07', '2025-01-08']);
  });
});

describe('expandRecurrence: removals, limits and windows', () => {
  const january = pattern({ endDate: '2025-01-31' });

  it('removes exception dates and holidays, then counts maxOccurrences', () => {
    const occurrences = expandRecurrence({ ...january, exceptionDates: ['2025-01-20'], maxOccurrences: 5 }, { timeZone: 'UTC', holidays: ['2025-01-22'] });
    expect(occurrences.map((o) => o.localDate)).toEqual(['2025-01-15', '2025-01-17', '2025-01-24', '2025-01-27', '2025-01-29']);
  });

  it('keeps holidays when skipHolidays is false, but still removes exception dates', () => {
    const occurrences = expandRecurrence(
      { ...january, skipHolidays: false, exceptionDates: ['2025-01-20'], maxOccurrences: 3 },
      { timeZone: 'UTC', holidays: ['2025-01-22'] },
    );
    expect(occurrences.map((o) => o.localDate)).toEqual(['2025-01-15', '2025-01-17', '2025-01-22']);
  });

  it('treats skipHolidays null as the default true', () => {
    const occurrences = expandRecurrence({ ...january, skipHolidays: null }, { timeZone: 'UTC', holidays: ['2025-01-15'] });
    expect(occurrences[0]?.localDate).toBe('2025-01-17');
  });

  it('windows with [from, until) without changing which occurrence is nth', () => {
    const occurrences = expandRecurrence(
      { ...january, maxOccurrences: 4 },
      { timeZone: 'UTC', from: new Date('2025-01-17T10:00:00Z'), until: new Date('2025-01-24T10:00:00Z') },
    );
    // The series is 15, 17, 20, 22 (maxOccurrences 4); the window starts at 17 inclusive.
    expect(occurrences.map((o) => o.localDate)).toEqual(['2025-01-17', '2025-01-20', '2025-01-22']);
  });

  it('excludes an occurrence starting exactly at until', () => {
    const occurrences = expandRecurrence(january, { timeZone: 'UTC', until: new Date('2025-01-17T10:00:00Z') });
    expect(occurrences.map((o) => o.localDate)).toEqual(['2025-01-15']);
  });

  it('cuts an open-ended series at limit (default 1000)', () => {
    const open = pattern({ endDate: null });
    expect(expandRecurrence(open, { timeZone: 'UTC' })).toHaveLength(RECURRENCE_DEFAULT_LIMIT);
    expect(expandRecurrence(open, { timeZone: 'UTC', limit: 4 }).map((o) => o.localDate)).toEqual(['2025-01-15', '2025-01-17', '2025-01-20', '2025-01-22']);
  });

  it('finds the window of an open-ended series many years in', () => {
    const occurrences = expandRecurrence(pattern({ endDate: null }), {
      timeZone: 'America/New_York',
      from: new Date('2060-03-01T00:00:00Z'),
      until: new Date('2060-03-08T00:00:00Z'),
    });
    expect(occurrences.map((o) => o.localDate)).toEqual(['2060-03-01', '2060-03-03', '2060-03-05']);
    expect(iso(occurrences[0]!.start)).toBe('2060-03-01T15:00:00.000Z');
  });

  it('refuses a bounded series longer than the hard cap instead of looping or truncating', () => {
    const error = (() => {
      try {
        expandRecurrence(pattern({ patternType: 'daily', daysOfWeek: null, endDate: '2060-01-01' }), { timeZone: 'UTC' });
      } catch (e) {
        return e as { code: string; details: Record<string, unknown> };
      }
      return null;
    })();
    expect(error?.code).toBe('INVALID_INPUT');
    expect(error?.details).toMatchObject({ limit: 10_000, reason: 'too_many_occurrences', path: [] });
  });

  it('refuses a limit above the hard cap, and a non-finite limit', () => {
    expect(invalidPath(() => expandRecurrence(pattern({ endDate: null }), { timeZone: 'UTC', limit: 10_001 }))).toEqual(['limit']);
    expect(invalidPath(() => expandRecurrence(pattern({ endDate: null }), { timeZone: 'UTC', limit: Infinity }))).toEqual(['limit']);
  });

  it('gives an impossible custom rule no occurrences, after a bounded scan, however it is bounded', () => {
    for (const bound of [{ rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=3' }, { rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30' }]) {
      const started = Date.now();
      expect(expandRecurrence(pattern({ patternType: 'custom', endDate: null, maxOccurrences: 5, customPattern: bound }), { timeZone: 'UTC' })).toEqual([]);
      // A hundred years of days, scanned period by period.
      expect(Date.now() - started).toBeLessThan(1_000);
    }
    // The built-in types behave the same: every 7 days from a Wednesday, Mondays only.
    expect(
      expandRecurrence(pattern({ patternType: 'daily', intervalValue: 7, daysOfWeek: [1], endDate: null, maxOccurrences: 5 }), { timeZone: 'UTC' }),
    ).toEqual([]);
  });
});

describe('expandRecurrence: invalid patterns', () => {
  it('rejects an end time not after the start time (no overnight sessions)', () => {
    expect(invalidPath(() => expandRecurrence(pattern({ startTime: '22:00', endTime: '01:00' }), { timeZone: 'UTC' }))).toEqual(['endTime']);
    expect(invalidPath(() => expandRecurrence(pattern({ startTime: '10:00', endTime: '10:00:00' }), { timeZone: 'UTC' }))).toEqual(['endTime']);
  });

  it('rejects an unknown time zone', () => {
    expect(invalidPath(() => expandRecurrence(sampleWeeklyPattern, { timeZone: 'America/Atlantis' }))).toEqual(['timeZone']);
  });

  it('rejects malformed or unsupported RRULEs at customPattern.rrule', () => {
    for (const rrule of [
      'FREQ=WEEKLY;BYDAY=XX',
      'FREQ=FOO',
      'INTERVAL=2',
      'FREQ=HOURLY',
      'FREQ=DAILY;BYHOUR=9',
      'FREQ=DAILY;COUNT=2;UNTIL=20250101',
      'garbage',
      'DTSTART:20250101T100000\nRRULE:FREQ=DAILY',
    ]) {
      expect(invalidPath(() => expandRecurrence(pattern({ patternType: 'custom', customPattern: { rrule } }), { timeZone: 'UTC' }))).toEqual([
        'customPattern',
        'rrule',
      ]);
    }
    expect(invalidPath(() => expandRecurrence(pattern({ patternType: 'custom', customPattern: null }), { timeZone: 'UTC' }))).toEqual([
      'customPattern',
      'rrule',
    ]);
  });

  it('rejects impossible dates and out-of-range days', () => {
    expect(invalidPath(() => expandRecurrence(pattern({ startDate: '2025-02-30' }), { timeZone: 'UTC' }))).toEqual(['startDate']);
    expect(invalidPath(() => expandRecurrence(pattern({ daysOfWeek: [1, 7] }), { timeZone: 'UTC' }))).toEqual(['daysOfWeek', 1]);
    expect(invalidPath(() => expandRecurrence(pattern({ endDate: '2025-01-01' }), { timeZone: 'UTC' }))).toEqual(['endDate']);
    expect(invalidPath(() => expandRecurrence(sampleWeeklyPattern, { timeZone: 'UTC', holidays: ['2025-13-01'] }))).toEqual(['holidays', 0]);
  });
});

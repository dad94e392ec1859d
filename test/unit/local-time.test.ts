import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { instantToLocalTime, isSchedulingError, localDateRangeToInterval, localTimeToInstant } from '../../src/domain';
import { civilDate } from '../domain/recurrence-oracle-calendar';
import { offsetAt, wallTimeToInstant } from '../domain/recurrence-oracle-zone';
import { at, iso } from '../support/time';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const SEED = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined;

const instantOf = (date: string, time: string, timeZone: string) => iso(localTimeToInstant({ date, time }, timeZone));

function refusal(run: () => unknown): { message: string; path: unknown } {
  try {
    run();
  } catch (error) {
    if (!isSchedulingError(error, 'INVALID_INPUT')) throw error;
    return { message: error.message, path: error.details.path };
  }
  throw new Error('expected INVALID_INPUT, nothing was thrown');
}

describe('localTimeToInstant and instantToLocalTime: Europe/London in 2027', () => {
  it('winter is GMT and summer BST', () => {
    expect(instantOf('2027-01-12', '16:30', 'Europe/London')).toBe('2027-01-12T16:30:00.000Z');
    expect(instantOf('2027-07-12', '16:30', 'Europe/London')).toBe('2027-07-12T15:30:00.000Z');
    expect(instantToLocalTime(at('2027-01-12T16:30:00Z'), 'Europe/London')).toEqual({
      date: '2027-01-12',
      time: '16:30',
      offset: '+00:00',
      timeZone: 'Europe/London',
    });
    expect(instantToLocalTime(at('2027-07-12T15:30:00Z'), 'Europe/London')).toEqual({
      date: '2027-07-12',
      time: '16:30',
      offset: '+01:00',
      timeZone: 'Europe/London',
    });
  });

  it('a wall time in the spring-forward gap (28 March, 01:00 → 02:00) moves forward by the gap: 01:30 is 02:30 BST', () => {
    expect(instantOf('2027-03-28', '00:59', 'Europe/London')).toBe('2027-03-28T00:59:00.000Z');
    expect(instantOf('2027-03-28', '01:00', 'Europe/London')).toBe('2027-03-28T01:00:00.000Z');
    expect(instantOf('2027-03-28', '01:30', 'Europe/London')).toBe('2027-03-28T01:30:00.000Z');
    expect(instantOf('2027-03-28', '02:00', 'Europe/London')).toBe('2027-03-28T01:00:00.000Z');
    expect(instantToLocalTime(at('2027-03-28T01:30:00Z'), 'Europe/London')).toMatchObject({ time: '02:30', offset: '+01:00' });
  });

  it('an ambiguous wall time in the fall-back hour (31 October, 02:00 → 01:00) is the earlier instant, BST', () => {
    expect(instantOf('2027-10-31', '01:00', 'Europe/London')).toBe('2027-10-31T00:00:00.000Z');
    expect(instantOf('2027-10-31', '01:30', 'Europe/London')).toBe('2027-10-31T00:30:00.000Z');
    expect(instantOf('2027-10-31', '02:00', 'Europe/London')).toBe('2027-10-31T02:00:00.000Z');
    // Both instants read as 01:30; only the offset tells them apart.
    expect(instantToLocalTime(at('2027-10-31T00:30:00Z'), 'Europe/London')).toMatchObject({ date: '2027-10-31', time: '01:30', offset: '+01:00' });
    expect(instantToLocalTime(at('2027-10-31T01:30:00Z'), 'Europe/London')).toMatchObject({ date: '2027-10-31', time: '01:30', offset: '+00:00' });
  });
});

describe('localTimeToInstant and instantToLocalTime: America/New_York, the examples of docs/time-and-recurrence.md', () => {
  it('on 2025-03-09, 02:30 (in the gap) becomes 03:30 EDT, 07:30 UTC', () => {
    expect(instantOf('2025-03-09', '02:30', 'America/New_York')).toBe('2025-03-09T07:30:00.000Z');
    expect(instantToLocalTime(at('2025-03-09T07:30:00Z'), 'America/New_York')).toEqual({
      date: '2025-03-09',
      time: '03:30',
      offset: '-04:00',
      timeZone: 'America/New_York',
    });
  });

  it('on 2025-11-02, 01:30 (twice) resolves to 01:30 EDT, 05:30 UTC, not 01:30 EST', () => {
    expect(instantOf('2025-11-02', '01:30', 'America/New_York')).toBe('2025-11-02T05:30:00.000Z');
    expect(instantToLocalTime(at('2025-11-02T05:30:00Z'), 'America/New_York')).toMatchObject({ time: '01:30', offset: '-04:00' });
    expect(instantToLocalTime(at('2025-11-02T06:30:00Z'), 'America/New_York')).toMatchObject({ time: '01:30', offset: '-05:00' });
  });

  it('converts the wall times of a date as expandRecurrence does (start 10:00 all year)', () => {
    expect(instantOf('2027-01-12', '10:00', 'America/New_York')).toBe('2027-01-12T15:00:00.000Z');
    expect(instantOf('2027-07-12', '10:00', 'America/New_York')).toBe('2027-07-12T14:00:00.000Z');
  });
});

describe('localTimeToInstant and instantToLocalTime: Australia/Lord_Howe, a 30-minute DST', () => {
  it('a wall time in the 30-minute gap (3 October 2027, 02:00 → 02:30) moves forward by 30 minutes', () => {
    expect(instantOf('2027-10-03', '01:59', 'Australia/Lord_Howe')).toBe('2027-10-02T15:29:00.000Z');
    expect(instantOf('2027-10-03', '02:15', 'Australia/Lord_Howe')).toBe('2027-10-02T15:45:00.000Z');
    expect(instantToLocalTime(at('2027-10-02T15:45:00Z'), 'Australia/Lord_Howe')).toMatchObject({ time: '02:45', offset: '+11:00' });
  });

  it('an ambiguous wall time in the repeated half hour (4 April 2027, 02:00 → 01:30) is the earlier instant', () => {
    expect(instantOf('2027-04-04', '01:45', 'Australia/Lord_Howe')).toBe('2027-04-03T14:45:00.000Z');
    expect(instantToLocalTime(at('2027-04-03T14:45:00Z'), 'Australia/Lord_Howe')).toMatchObject({ time: '01:45', offset: '+11:00' });
    expect(instantToLocalTime(at('2027-04-03T15:15:00Z'), 'Australia/Lord_Howe')).toMatchObject({ time: '01:45', offset: '+10:30' });
  });
});

describe('localTimeToInstant and instantToLocalTime: historic offsets in seconds', () => {
  it('Africa/Monrovia kept −00:44:30 until 1972: times and offsets carry the seconds', () => {
    expect(instantToLocalTime(at('1970-06-01T12:00:00Z'), 'Africa/Monrovia')).toEqual({
      date: '1970-06-01',
      time: '11:15:30',
      offset: '-00:44:30',
      timeZone: 'Africa/Monrovia',
    });
    expect(instantOf('1970-06-01', '11:15:30', 'Africa/Monrovia')).toBe('1970-06-01T12:00:00.000Z');
  });

  it('Africa/Monrovia moved to GMT on 7 January 1972, skipping 44 minutes 30 seconds: a time in that gap moves forward by it', () => {
    expect(instantOf('1972-01-07', '00:00', 'Africa/Monrovia')).toBe('1972-01-07T00:44:30.000Z');
    expect(instantOf('1972-01-07', '00:30', 'Africa/Monrovia')).toBe('1972-01-07T01:14:30.000Z');
    expect(instantToLocalTime(at('1972-01-07T00:44:29Z'), 'Africa/Monrovia')).toMatchObject({ date: '1972-01-06', time: '23:59:59', offset: '-00:44:30' });
    expect(localDateRangeToInterval({ fromDate: '1972-01-07', toDate: '1972-01-07' }, 'Africa/Monrovia').start).toEqual(at('1972-01-07T00:44:30Z'));
  });

  it('London kept local mean time, −00:01:15, until December 1847', () => {
    expect(instantToLocalTime(at('1800-06-01T12:00:00Z'), 'Europe/London')).toMatchObject({ time: '11:58:45', offset: '-00:01:15' });
  });
});

describe('round trips', () => {
  const zones = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Africa/Monrovia', 'Asia/Kolkata', 'America/Santiago', 'Pacific/Apia', 'UTC'];
  const DAY = 86_400_000;
  const HOUR = 3_600_000;
  /** Offset changes of the zones above, so that half the runs land in a gap or a repeated hour. */
  const changes: Array<[string, string]> = [
    ['Europe/London', '2027-03-28T01:00:00Z'],
    ['Europe/London', '2027-10-31T01:00:00Z'],
    ['America/New_York', '2025-03-09T07:00:00Z'],
    ['America/New_York', '2025-11-02T06:00:00Z'],
    ['Australia/Lord_Howe', '2027-04-03T15:00:00Z'],
    ['Australia/Lord_Howe', '2027-10-02T15:30:00Z'],
    ['Africa/Monrovia', '1972-01-07T00:44:30Z'],
    ['America/Santiago', '2027-04-04T03:00:00Z'],
    ['America/Santiago', '2027-09-05T04:00:00Z'],
    ['Pacific/Apia', '2011-12-30T10:00:00Z'],
  ];
  const from = Date.UTC(1960, 0, 1);
  const to = Date.UTC(2060, 0, 1);
  /** A zone and an instant in whole seconds: anywhere in 1960–2060, or within three hours of an offset change. */
  const zonedInstant = fc.oneof(
    fc.tuple(
      fc.constantFrom(...zones),
      fc.integer({ min: from / 1000, max: to / 1000 }).map((seconds) => seconds * 1000),
    ),
    fc
      .tuple(fc.constantFrom(...changes), fc.integer({ min: (-3 * HOUR) / 1000, max: (3 * HOUR) / 1000 }))
      .map(([[zone, change], seconds]): [string, number] => [zone, Date.parse(change) + seconds * 1000]),
  );

  it('instant → local time → instant is the same instant, except the later instant of a repeated hour, which comes back as the earlier', () => {
    let repeated = 0;
    fc.assert(
      fc.property(zonedInstant, ([timeZone, ms]) => {
        const local = instantToLocalTime(new Date(ms), timeZone);
        const back = localTimeToInstant(local, timeZone).getTime();
        if (back === ms) return;
        repeated += 1;
        // Only the second reading of a repeated wall time: the same date and time, an earlier instant, another offset.
        const earlier = instantToLocalTime(new Date(back), timeZone);
        expect(back).toBeLessThan(ms);
        expect([earlier.date, earlier.time]).toEqual([local.date, local.time]);
        expect(earlier.offset).not.toBe(local.offset);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(repeated).toBeGreaterThan(0);
  });

  it('local time → instant agrees with an independent Intl oracle (earlier of two, forward across a gap), and reads back unless it was in a gap', () => {
    const localDay = fc.oneof(
      fc.tuple(fc.constantFrom(...zones), fc.integer({ min: from / DAY, max: to / DAY - 1 })),
      fc.constantFrom(...changes).map(([zone, change]): [string, number] => [zone, Math.floor(Date.parse(change) / DAY)]),
    );
    let inGap = 0;
    fc.assert(
      fc.property(localDay, fc.integer({ min: 0, max: DAY / 1000 - 1 }), ([timeZone, day], second) => {
        const { year, month, day: dayOfMonth } = civilDate(day);
        const date = `${year}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
        const time = new Date(second * 1000).toISOString().slice(11, 19);
        const instant = localTimeToInstant({ date, time }, timeZone).getTime();
        expect(instant).toBe(wallTimeToInstant(timeZone, day, second));
        const read = instantToLocalTime(new Date(instant), timeZone);
        const readAs = `${read.date}T${read.time.length === 5 ? `${read.time}:00` : read.time}`;
        if (instant + offsetAt(timeZone, instant) === day * DAY + second * 1000) expect(readAs).toBe(`${date}T${time}`);
        else {
          inGap += 1;
          expect(readAs > `${date}T${time}`).toBe(true);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(inGap).toBeGreaterThan(0);
  });

  it('the intervals of consecutive local days meet: no gap, no overlap, across every DST change', () => {
    for (const timeZone of zones) {
      let previous = localDateRangeToInterval({ fromDate: '2026-12-31', toDate: '2026-12-31' }, timeZone);
      for (let day = Date.UTC(2027, 0, 1); day < Date.UTC(2028, 0, 1); day += DAY) {
        const date = new Date(day).toISOString().slice(0, 10);
        const interval = localDateRangeToInterval({ fromDate: date, toDate: date }, timeZone);
        expect(interval.start).toEqual(previous.end);
        expect(instantToLocalTime(interval.start, timeZone).date).toBe(date);
        previous = interval;
      }
    }
  });
});

describe('localDateRangeToInterval', () => {
  it('the week of Monday 11 January 2027 in London is [11 Jan 00:00, 18 Jan 00:00) GMT', () => {
    expect(localDateRangeToInterval({ fromDate: '2027-01-11', toDate: '2027-01-17' }, 'Europe/London')).toEqual({
      start: at('2027-01-11T00:00:00Z'),
      end: at('2027-01-18T00:00:00Z'),
    });
  });

  it('a week across the spring-forward change in New York lasts 167 hours', () => {
    const { start, end } = localDateRangeToInterval({ fromDate: '2027-03-08', toDate: '2027-03-14' }, 'America/New_York');
    expect([iso(start), iso(end)]).toEqual(['2027-03-08T05:00:00.000Z', '2027-03-15T04:00:00.000Z']);
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(167);
  });

  it('where midnight does not exist, the day starts when the clocks jump (Santiago, 5 September 2027, 00:00 → 01:00)', () => {
    const { start } = localDateRangeToInterval({ fromDate: '2027-09-05', toDate: '2027-09-05' }, 'America/Santiago');
    expect(iso(start)).toBe('2027-09-05T04:00:00.000Z');
    expect(instantToLocalTime(start, 'America/Santiago')).toMatchObject({ date: '2027-09-05', time: '01:00', offset: '-03:00' });
  });

  it('a day the zone skipped is an empty interval (Pacific/Apia had no 30 December 2011)', () => {
    const { start, end } = localDateRangeToInterval({ fromDate: '2011-12-30', toDate: '2011-12-30' }, 'Pacific/Apia');
    expect([iso(start), iso(end)]).toEqual(['2011-12-30T10:00:00.000Z', '2011-12-30T10:00:00.000Z']);
    // A time of that day moves forward by the whole gap, to the same time on 31 December.
    expect(instantToLocalTime(localTimeToInstant({ date: '2011-12-30', time: '12:00' }, 'Pacific/Apia'), 'Pacific/Apia')).toMatchObject({
      date: '2011-12-31',
      time: '12:00',
      offset: '+14:00',
    });
  });

  it('a single day is from its midnight to the next midnight', () => {
    expect(localDateRangeToInterval({ fromDate: '2027-10-31', toDate: '2027-10-31' }, 'Europe/London')).toEqual({
      start: at('2027-10-30T23:00:00Z'),
      end: at('2027-11-01T00:00:00Z'),
    });
  });
});

describe('bad input is INVALID_INPUT with the path of the field', () => {
  it.each([
    ['an unknown zone', () => localTimeToInstant({ date: '2027-01-12', time: '16:30' }, 'Mars/Olympus_Mons'), ['timeZone']],
    ['a time zone that is not a string', () => localTimeToInstant({ date: '2027-01-12', time: '16:30' }, 42 as never), ['timeZone']],
    ['30 February', () => localTimeToInstant({ date: '2027-02-30', time: '16:30' }, 'Europe/London'), ['date']],
    ['a date not written YYYY-MM-DD', () => localTimeToInstant({ date: '12/01/2027', time: '16:30' }, 'Europe/London'), ['date']],
    ['a time without a leading zero', () => localTimeToInstant({ date: '2027-01-12', time: '4:30' }, 'Europe/London'), ['time']],
    ['a time past 24:00', () => localTimeToInstant({ date: '2027-01-12', time: '25:00' }, 'Europe/London'), ['time']],
    ['a time with a meridiem', () => localTimeToInstant({ date: '2027-01-12', time: '04:30 PM' }, 'Europe/London'), ['time']],
    ['no local time at all', () => localTimeToInstant(null as never, 'Europe/London'), []],
    ['an invalid Date', () => instantToLocalTime(new Date(Number.NaN), 'Europe/London'), ['instant']],
    ['an instant that is not a Date', () => instantToLocalTime('2027-01-12T16:30:00Z' as never, 'Europe/London'), ['instant']],
    ['an instant past the year 9999', () => instantToLocalTime(new Date(8.64e15), 'Europe/London'), ['instant']],
    ['an unknown zone for an instant', () => instantToLocalTime(at('2027-01-12T16:30:00Z'), 'Europe/Londres'), ['timeZone']],
    ['toDate before fromDate', () => localDateRangeToInterval({ fromDate: '2027-01-17', toDate: '2027-01-11' }, 'Europe/London'), ['toDate']],
    ['a range ending on 31 April', () => localDateRangeToInterval({ fromDate: '2027-04-01', toDate: '2027-04-31' }, 'Europe/London'), ['toDate']],
    ['an unknown zone for a range', () => localDateRangeToInterval({ fromDate: '2027-01-11', toDate: '2027-01-17' }, ''), ['timeZone']],
  ])('%s', (_, run, path) => {
    expect(refusal(run).path).toEqual(path);
  });

  it('says what is wrong', () => {
    expect(refusal(() => localTimeToInstant({ date: '2027-02-30', time: '16:30' }, 'Europe/London')).message).toBe(
      'Invalid input at date: not a real calendar date',
    );
    expect(refusal(() => localTimeToInstant({ date: '2027-02-10', time: '4:30' }, 'Europe/London')).message).toBe(
      'Invalid input at time: expected a time as HH:MM or HH:MM:SS',
    );
    expect(refusal(() => localTimeToInstant({ date: '2027-02-10', time: '04:30' }, 'Mars/Olympus_Mons')).message).toBe(
      'Invalid input at timeZone: unknown IANA time zone',
    );
  });
});

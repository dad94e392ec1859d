/**
 * RFC 5545 §3.8.5.3's own RRULE examples that are date-based (no BYHOUR/BYMINUTE), with
 * the dates the RFC lists, plus the five cases of issue 12 with RFC 5545's answers.
 * All run at 09:00–10:00 in America/New_York, as the RFC's examples do, so the start
 * instants are checked too (the RFC says which are EDT and which EST).
 *
 * Every example is asserted twice: against `expandRecurrence`, and against the
 * differential test's oracle (which must agree with the RFC before it may judge anything).
 *
 * Our rule 1 differs from RFC 5545 on DTSTART: the RFC always counts DTSTART as the first
 * occurrence, we count `startDate` only if the rule selects it. In every example below but
 * one, DTSTART matches its rule, so the RFC's list is ours unchanged. The exception is
 * "every Friday the 13th", where the RFC itself removes DTSTART (1997-09-02, a Tuesday)
 * with an EXDATE; we drop it without one. The last example of the first block shows the
 * difference on a rule whose DTSTART does not match.
 */
import { describe, expect, it } from 'vitest';

import { expandRecurrence, type RecurringPatternInput } from '../../src/domain';
import { isSchedulingError } from '../../src/errors';
import { formatDay, parseDay } from './recurrence-oracle-calendar';
import { expectedRecurrence } from './recurrence-oracle';

const ZONE = 'America/New_York';
const EDT = -4;
const EST = -5;

/** Dates from `first` to `last` inclusive, `step` days apart. */
function run(first: string, last: string, step = 1): string[] {
  const out: string[] = [];
  for (let day = parseDay(first); day <= parseDay(last); day += step) out.push(formatDay(day));
  return out;
}

/** `dates('1997-09', 2, 9, 16)` → 1997-09-02, 1997-09-09, 1997-09-16. */
const dates = (yearMonth: string, ...days: number[]) => days.map((day) => `${yearMonth}-${String(day).padStart(2, '0')}`);

type Group = [offsetHours: number, ...localDates: string[]];

/** The occurrences the RFC lists: each date at `hh:mm` local, with the offset the RFC names. */
function listed(groups: Group[], time = '09:00', minutes = 60) {
  return groups.flatMap(([offset, ...localDates]) =>
    localDates.map((localDate) => {
      const start = new Date(`${localDate}T${time}:00Z`).getTime() - offset * 3_600_000;
      return { start: new Date(start).toISOString(), end: new Date(start + minutes * 60_000).toISOString(), localDate };
    }),
  );
}

function custom(rrule: string, startDate: string, extra: Partial<RecurringPatternInput> = {}): RecurringPatternInput {
  return { patternType: 'custom', startDate, startTime: '09:00', endTime: '10:00', customPattern: { rrule }, ...extra };
}

function actual(pattern: RecurringPatternInput, limit?: number) {
  const options = { timeZone: ZONE, ...(limit === undefined ? {} : { limit }) };
  return expandRecurrence(pattern, options).map((o) => ({ start: o.start.toISOString(), end: o.end.toISOString(), localDate: o.localDate }));
}

function oracle(pattern: RecurringPatternInput, limit?: number) {
  const result = expectedRecurrence(pattern, { timeZone: ZONE, ...(limit === undefined ? {} : { limit }) });
  if (result.kind !== 'occurrences') throw new Error(`oracle: ${JSON.stringify(result)}`);
  return result.occurrences;
}

interface Example {
  title: string;
  dtstart: string;
  rrule: string;
  /** For the RFC's "forever" rules: how many of the listed occurrences to take. */
  limit?: number;
  groups: Group[];
}

const rfcExamples: Example[] = [
  { title: 'Daily for 10 occurrences', dtstart: '1997-09-02', rrule: 'FREQ=DAILY;COUNT=10', groups: [[EDT, ...run('1997-09-02', '1997-09-11')]] },
  {
    title: 'Daily until December 24, 1997',
    dtstart: '1997-09-02',
    rrule: 'FREQ=DAILY;UNTIL=19971224T000000Z',
    groups: [
      [EDT, ...run('1997-09-02', '1997-10-25')],
      [EST, ...run('1997-10-26', '1997-12-23')],
    ],
  },
  {
    title: 'Every other day - forever',
    dtstart: '1997-09-02',
    rrule: 'FREQ=DAILY;INTERVAL=2',
    limit: 47,
    groups: [
      [EDT, ...run('1997-09-02', '1997-10-24', 2)],
      [EST, ...run('1997-10-26', '1997-12-03', 2)],
    ],
  },
  {
    title: 'Every 10 days, 5 occurrences',
    dtstart: '1997-09-02',
    rrule: 'FREQ=DAILY;INTERVAL=10;COUNT=5',
    groups: [[EDT, ...dates('1997-09', 2, 12, 22), ...dates('1997-10', 2, 12)]],
  },
  ...['FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA', 'FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1'].map((rrule) => ({
    title: `Every day in January, for 3 years (${rrule.split(';')[0]})`,
    dtstart: '1998-01-01',
    rrule,
    groups: [[EST, ...run('1998-01-01', '1998-01-31'), ...run('1999-01-01', '1999-01-31'), ...run('2000-01-01', '2000-01-31')] as Group],
  })),
  {
    title: 'Weekly for 10 occurrences',
    dtstart: '1997-09-02',
    rrule: 'FREQ=WEEKLY;COUNT=10',
    groups: [
      [EDT, ...run('1997-09-02', '1997-10-21', 7)],
      [EST, '1997-10-28', '1997-11-04'],
    ],
  },
  {
    title: 'Weekly until December 24, 1997',
    dtstart: '1997-09-02',
    rrule: 'FREQ=WEEKLY;UNTIL=19971224T000000Z',
    groups: [
      [EDT, ...run('1997-09-02', '1997-10-21', 7)],
      [EST, ...run('1997-10-28', '1997-12-23', 7)],
    ],
  },
  {
    title: 'Every other week - forever',
    dtstart: '1997-09-02',
    rrule: 'FREQ=WEEKLY;INTERVAL=2;WKST=SU',
    limit: 13,
    groups: [
      [EDT, ...dates('1997-09', 2, 16, 30), '1997-10-14'],
      [EST, '1997-10-28', ...dates('1997-11', 11, 25), ...dates('1997-12', 9, 23), ...dates('1998-01', 6, 20), ...dates('1998-02', 3, 17)],
    ],
  },
  ...['FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH', 'FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH'].map((rrule) => ({
    title: `Weekly on Tuesday and Thursday for five weeks (${rrule.split(';')[1]})`,
    dtstart: '1997-09-02',
    rrule,
    groups: [[EDT, ...dates('1997-09', 2, 4, 9, 11, 16, 18, 23, 25, 30), '1997-10-02'] as Group],
  })),
  {
    title: 'Every other week on Monday, Wednesday, and Friday until December 24, 1997',
    dtstart: '1997-09-01',
    rrule: 'FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR',
    groups: [
      [EDT, ...dates('1997-09', 1, 3, 5, 15, 17, 19, 29), ...dates('1997-10', 1, 3, 13, 15, 17)],
      [EST, ...dates('1997-10', 27, 29, 31), ...dates('1997-11', 10, 12, 14, 24, 26, 28), ...dates('1997-12', 8, 10, 12, 22)],
    ],
  },
  {
    title: 'Every other week on Tuesday and Thursday, for 8 occurrences',
    dtstart: '1997-09-02',
    rrule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH',
    groups: [[EDT, ...dates('1997-09', 2, 4, 16, 18, 30), ...dates('1997-10', 2, 14, 16)]],
  },
  {
    title: 'Monthly on the first Friday for 10 occurrences',
    dtstart: '1997-09-05',
    rrule: 'FREQ=MONTHLY;COUNT=10;BYDAY=1FR',
    groups: [
      [EDT, '1997-09-05', '1997-10-03'],
      [EST, '1997-11-07', '1997-12-05', '1998-01-02', '1998-02-06', '1998-03-06', '1998-04-03'],
      [EDT, '1998-05-01', '1998-06-05'],
    ],
  },
  {
    title: 'Monthly on the first Friday until December 24, 1997',
    dtstart: '1997-09-05',
    rrule: 'FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR',
    groups: [
      [EDT, '1997-09-05', '1997-10-03'],
      [EST, '1997-11-07', '1997-12-05'],
    ],
  },
  {
    title: 'Every other month on the first and last Sunday of the month for 10 occurrences',
    dtstart: '1997-09-07',
    rrule: 'FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU',
    groups: [
      [EDT, '1997-09-07', '1997-09-28'],
      [EST, '1997-11-02', '1997-11-30', '1998-01-04', '1998-01-25', '1998-03-01', '1998-03-29'],
      [EDT, '1998-05-03', '1998-05-31'],
    ],
  },
  {
    title: 'Monthly on the second-to-last Monday of the month for 6 months',
    dtstart: '1997-09-22',
    rrule: 'FREQ=MONTHLY;COUNT=6;BYDAY=-2MO',
    groups: [
      [EDT, '1997-09-22', '1997-10-20'],
      [EST, '1997-11-17', '1997-12-22', '1998-01-19', '1998-02-16'],
    ],
  },
  {
    title: 'Monthly on the third-to-the-last day of the month, forever',
    dtstart: '1997-09-28',
    rrule: 'FREQ=MONTHLY;BYMONTHDAY=-3',
    limit: 6,
    groups: [
      [EDT, '1997-09-28'],
      [EST, '1997-10-29', '1997-11-28', '1997-12-29', '1998-01-29', '1998-02-26'],
    ],
  },
  {
    title: 'Monthly on the 2nd and 15th of the month for 10 occurrences',
    dtstart: '1997-09-02',
    rrule: 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15',
    groups: [
      [EDT, ...dates('1997-09', 2, 15), ...dates('1997-10', 2, 15)],
      [EST, ...dates('1997-11', 2, 15), ...dates('1997-12', 2, 15), ...dates('1998-01', 2, 15)],
    ],
  },
  {
    title: 'Monthly on the first and last day of the month for 10 occurrences',
    dtstart: '1997-09-30',
    rrule: 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1',
    groups: [
      [EDT, '1997-09-30', '1997-10-01'],
      [EST, '1997-10-31', ...dates('1997-11', 1, 30), ...dates('1997-12', 1, 31), ...dates('1998-01', 1, 31), '1998-02-01'],
    ],
  },
  {
    title: 'Every 18 months on the 10th thru 15th of the month for 10 occurrences',
    dtstart: '1997-09-10',
    rrule: 'FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15',
    groups: [
      [EDT, ...run('1997-09-10', '1997-09-15')],
      [EST, ...run('1999-03-10', '1999-03-13')],
    ],
  },
  {
    title: 'Every Tuesday, every other month',
    dtstart: '1997-09-02',
    rrule: 'FREQ=MONTHLY;INTERVAL=2;BYDAY=TU',
    limit: 18,
    groups: [
      [EDT, ...dates('1997-09', 2, 9, 16, 23, 30)],
      [EST, ...dates('1997-11', 4, 11, 18, 25), ...dates('1998-01', 6, 13, 20, 27), ...dates('1998-03', 3, 10, 17, 24, 31)],
    ],
  },
  {
    title: 'Yearly in June and July for 10 occurrences',
    dtstart: '1997-06-10',
    rrule: 'FREQ=YEARLY;COUNT=10;BYMONTH=6,7',
    groups: [[EDT, ...['1997', '1998', '1999', '2000', '2001'].flatMap((year) => [`${year}-06-10`, `${year}-07-10`])]],
  },
  {
    title: 'Every other year on January, February, and March for 10 occurrences',
    dtstart: '1997-03-10',
    rrule: 'FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3',
    groups: [[EST, '1997-03-10', ...['1999', '2001', '2003'].flatMap((year) => [`${year}-01-10`, `${year}-02-10`, `${year}-03-10`])]],
  },
  {
    title: 'Every third year on the 1st, 100th, and 200th day for 10 occurrences',
    dtstart: '1997-01-01',
    rrule: 'FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200',
    groups: [
      [EST, '1997-01-01'],
      [EDT, '1997-04-10', '1997-07-19'],
      [EST, '2000-01-01'],
      [EDT, '2000-04-09', '2000-07-18'],
      [EST, '2003-01-01'],
      [EDT, '2003-04-10', '2003-07-19'],
      [EST, '2006-01-01'],
    ],
  },
  {
    title: 'Every 20th Monday of the year, forever',
    dtstart: '1997-05-19',
    rrule: 'FREQ=YEARLY;BYDAY=20MO',
    limit: 3,
    groups: [[EDT, '1997-05-19', '1998-05-18', '1999-05-17']],
  },
  {
    title: 'Monday of week number 20 (where the default start of the week is Monday), forever',
    dtstart: '1997-05-12',
    rrule: 'FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO',
    limit: 3,
    groups: [[EDT, '1997-05-12', '1998-05-11', '1999-05-17']],
  },
  {
    title: 'Every Thursday in March, forever',
    dtstart: '1997-03-13',
    rrule: 'FREQ=YEARLY;BYMONTH=3;BYDAY=TH',
    limit: 11,
    groups: [[EST, ...dates('1997-03', 13, 20, 27), ...dates('1998-03', 5, 12, 19, 26), ...dates('1999-03', 4, 11, 18, 25)]],
  },
  {
    title: 'Every Thursday, but only during June, July, and August, forever',
    dtstart: '1997-06-05',
    rrule: 'FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8',
    limit: 39,
    groups: [
      [
        EDT,
        ...dates('1997-06', 5, 12, 19, 26),
        ...dates('1997-07', 3, 10, 17, 24, 31),
        ...dates('1997-08', 7, 14, 21, 28),
        ...dates('1998-06', 4, 11, 18, 25),
        ...dates('1998-07', 2, 9, 16, 23, 30),
        ...dates('1998-08', 6, 13, 20, 27),
        ...dates('1999-06', 3, 10, 17, 24),
        ...dates('1999-07', 1, 8, 15, 22, 29),
        ...dates('1999-08', 5, 12, 19, 26),
      ],
    ],
  },
  {
    // The RFC lists an EXDATE for DTSTART (Tuesday 1997-09-02); rule 1 drops it anyway.
    title: 'Every Friday the 13th, forever',
    dtstart: '1997-09-02',
    rrule: 'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13',
    limit: 5,
    groups: [
      [EST, '1998-02-13', '1998-03-13', '1998-11-13'],
      [EDT, '1999-08-13', '2000-10-13'],
    ],
  },
  {
    title: 'The first Saturday that follows the first Sunday of the month, forever',
    dtstart: '1997-09-13',
    rrule: 'FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13',
    limit: 10,
    groups: [
      [EDT, '1997-09-13', '1997-10-11'],
      [EST, '1997-11-08', '1997-12-13', '1998-01-10', '1998-02-07', '1998-03-07'],
      [EDT, '1998-04-11', '1998-05-09', '1998-06-13'],
    ],
  },
  {
    title: 'Every 4 years, the first Tuesday after a Monday in November, forever (U.S. Presidential Election day)',
    dtstart: '1996-11-05',
    rrule: 'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8',
    limit: 3,
    groups: [[EST, '1996-11-05', '2000-11-07', '2004-11-02']],
  },
  {
    title: 'The third instance into the month of one of Tuesday, Wednesday, or Thursday, for the next 3 months',
    dtstart: '1997-09-04',
    rrule: 'FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3',
    groups: [
      [EDT, '1997-09-04', '1997-10-07'],
      [EST, '1997-11-06'],
    ],
  },
  {
    title: 'The second-to-last weekday of the month',
    dtstart: '1997-09-29',
    rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2',
    limit: 7,
    groups: [
      [EDT, '1997-09-29'],
      [EST, '1997-10-30', '1997-11-27', '1997-12-30', '1998-01-29', '1998-02-26', '1998-03-30'],
    ],
  },
  {
    title: 'An example where the days generated makes a difference because of WKST (WKST=MO)',
    dtstart: '1997-08-05',
    rrule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO',
    groups: [[EDT, ...dates('1997-08', 5, 10, 19, 24)]],
  },
  {
    title: 'changing only WKST from MO to SU, yields different results',
    dtstart: '1997-08-05',
    rrule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU',
    groups: [[EDT, ...dates('1997-08', 5, 17, 19, 31)]],
  },
  {
    title: 'An example where an invalid date (i.e., February 30) is ignored',
    dtstart: '2007-01-15',
    rrule: 'FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5',
    groups: [
      [EST, '2007-01-15', '2007-01-30', '2007-02-15'],
      [EDT, '2007-03-15', '2007-03-30'],
    ],
  },
  {
    // RFC 5545 would list DTSTART (Tuesday 1997-09-02) first and count it: Sep 2, Sep 5, Oct 3.
    title: 'Rule 1, not the RFC: a startDate the rule does not select is not an occurrence and is not counted',
    dtstart: '1997-09-02',
    rrule: 'FREQ=MONTHLY;COUNT=3;BYDAY=1FR',
    groups: [
      [EDT, '1997-09-05', '1997-10-03'],
      [EST, '1997-11-07'],
    ],
  },
];

describe('RFC 5545 §3.8.5.3 examples (09:00 America/New_York)', () => {
  for (const example of rfcExamples) {
    const pattern = custom(example.rrule, example.dtstart);
    const expected = listed(example.groups);
    it(`${example.title}: ${example.rrule}`, () => {
      expect(oracle(pattern, example.limit), 'the oracle').toEqual(expected);
      expect(actual(pattern, example.limit)).toEqual(expected);
    });
  }
});

describe('issue 12: the five cases, with RFC 5545 answers', () => {
  const both = (pattern: RecurringPatternInput, expected: ReturnType<typeof listed>) => {
    expect(oracle(pattern), 'the oracle').toEqual(expected);
    expect(actual(pattern)).toEqual(expected);
  };

  it('a BYSETPOS beyond the set selects nothing: -5th Friday = only months with five Fridays', () => {
    both(
      custom('FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-5;COUNT=4', '2025-01-01'),
      listed([
        [EST, '2025-01-03'],
        [EDT, '2025-05-02', '2025-08-01', '2025-10-03'],
      ]),
    );
  });

  it('a date selected twice by BYSETPOS is one occurrence, for COUNT and for maxOccurrences', () => {
    const weekdays = listed([[EST, '2025-01-01', '2025-01-02', '2025-01-03', '2025-01-06']]);
    both(custom('FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1;COUNT=4', '2025-01-01'), weekdays);
    both(custom('FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1', '2025-01-01', { maxOccurrences: 4 }), weekdays);
  });

  it('a WEEKLY set starts at the beginning of the week: BYSETPOS=1 from a Wednesday skips the rest of that week', () => {
    both(custom('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1;COUNT=3', '2025-01-15'), listed([[EST, '2025-01-20', '2025-01-27', '2025-02-03']]));
  });

  it('a UTC UNTIL is an instant compared after the gap shift: 02:30 on 9 March is 07:30Z, after 07:00Z', () => {
    const pattern = custom('FREQ=DAILY;UNTIL=20250309T070000Z', '2025-03-05', { startTime: '02:30', endTime: '03:30' });
    both(pattern, listed([[EST, '2025-03-05', '2025-03-06', '2025-03-07', '2025-03-08']], '02:30'));
  });

  it('a UTC UNTIL is an instant compared after the fold: 01:30 on 2 November is 01:30 EDT = 05:30Z, before 06:15Z', () => {
    const pattern = custom('FREQ=DAILY;UNTIL=20251102T061500Z', '2025-10-30', { startTime: '01:30', endTime: '02:30' });
    both(pattern, listed([[EDT, '2025-10-30', '2025-10-31', '2025-11-01', '2025-11-02']], '01:30'));
  });

  it('a floating UNTIL compares the wall time as written: 02:30 on 9 March is included by UNTIL=20250309T023000', () => {
    const pattern = custom('FREQ=DAILY;UNTIL=20250309T023000', '2025-03-05', { startTime: '02:30', endTime: '03:30' });
    // 9 March 02:30 does not exist; it starts at 03:30 EDT = 07:30Z and still lasts an hour.
    both(pattern, listed([[EST, '2025-03-05', '2025-03-06', '2025-03-07', '2025-03-08', '2025-03-09']], '02:30'));
  });

  it('the maxOccurrences-th occurrence just inside the 100-year horizon ends the series (29 February, 24 times)', () => {
    const leapDays = [...run('2028-02-29', '2096-02-29', 1)].filter((d) => d.endsWith('-02-29'));
    const expectedDates = [...leapDays, '2104-02-29', '2108-02-29', '2112-02-29', '2116-02-29', '2120-02-29', '2124-02-29'];
    expect(expectedDates).toHaveLength(24);
    const expected = listed([[EST, ...expectedDates]]);
    both(custom('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', '2024-03-01', { maxOccurrences: 24 }), expected);
    both(custom('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=24', '2024-03-01'), expected);
  });

  it('one more than fits in 100 years is series_too_long, by maxOccurrences and by COUNT alike', () => {
    for (const pattern of [
      custom('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', '2024-03-01', { maxOccurrences: 25 }),
      custom('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=25', '2024-03-01'),
    ]) {
      expect(expectedRecurrence(pattern, { timeZone: ZONE })).toEqual({ kind: 'error', reasons: ['series_too_long'] });
      let reason: unknown;
      try {
        expandRecurrence(pattern, { timeZone: ZONE });
      } catch (error) {
        if (isSchedulingError(error, 'INVALID_INPUT')) reason = error.details.reason;
        else throw error;
      }
      expect(reason).toBe('series_too_long');
    }
  });
});

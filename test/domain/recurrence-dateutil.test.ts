/**
 * A third opinion on custom RRULEs: 300 seeded random rules expanded by python-dateutil
 * 2.9 (with its known differences from our spec patched, see
 * test/domain/fixtures/generate-dateutil-rrule.py), read from a committed JSON fixture.
 * dateutil's DTSTART is floating; in UTC a wall time is its own instant, so the local
 * dates must match exactly. The oracle of the differential test is held to the same list.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { expandRecurrence, type RecurringPatternInput } from '../../src/domain';
import { expectedRecurrence } from './recurrence-oracle';

interface DateutilCase {
  rrule: string;
  startDate: string;
  limit?: number;
  dates: string[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/dateutil-rrule.json', import.meta.url), 'utf8')) as {
  dateutil: string;
  seed: number;
  startTime: string;
  cases: DateutilCase[];
};

function patternOf(c: DateutilCase): RecurringPatternInput {
  return { patternType: 'custom', startDate: c.startDate, startTime: fixture.startTime, endTime: '10:00', customPattern: { rrule: c.rrule } };
}

const optionsOf = (c: DateutilCase) => ({ timeZone: 'UTC', ...(c.limit === undefined ? {} : { limit: c.limit }) });

describe(`custom RRULEs agree with python-dateutil ${fixture.dateutil} (fixture seed ${fixture.seed})`, () => {
  it('has the fixture it claims', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(300);
  });

  it('expandRecurrence gives dateutil’s local dates for every rule', () => {
    const mismatches: string[] = [];
    for (const c of fixture.cases) {
      let actual: string[] | string;
      try {
        actual = expandRecurrence(patternOf(c), optionsOf(c)).map((o) => o.localDate);
      } catch (error) {
        actual = String(error);
      }
      if (JSON.stringify(actual) !== JSON.stringify(c.dates)) {
        mismatches.push(
          `${c.rrule} from ${c.startDate}${c.limit ? ` (limit ${c.limit})` : ''}:\n  dateutil ${JSON.stringify(c.dates)}\n  actual   ${JSON.stringify(actual)}`,
        );
      }
    }
    expect(mismatches.slice(0, 5).join('\n'), `${mismatches.length} of ${fixture.cases.length} rules differ`).toBe('');
  });

  it('the differential test’s oracle gives the same dates', () => {
    const mismatches: string[] = [];
    for (const c of fixture.cases) {
      const result = expectedRecurrence(patternOf(c), optionsOf(c));
      const dates = result.kind === 'occurrences' ? result.occurrences.map((o) => o.localDate) : JSON.stringify(result);
      if (JSON.stringify(dates) !== JSON.stringify(c.dates))
        mismatches.push(`${c.rrule} from ${c.startDate}: dateutil ${JSON.stringify(c.dates)}, oracle ${JSON.stringify(dates)}`);
    }
    expect(mismatches.slice(0, 5).join('\n'), `${mismatches.length} of ${fixture.cases.length} rules differ`).toBe('');
  });
});

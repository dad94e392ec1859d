/**
 * Differential test of `expandRecurrence` against an independent oracle of
 * docs/time-and-recurrence.md (test/domain/recurrence-oracle.ts): seeded random patterns,
 * every start, end and localDate compared exactly, or the same error.
 *
 * The seed is fixed so CI is repeatable; set RECURRENCE_SEED to explore others (and
 * RECURRENCE_RUNS_FACTOR to run more cases). A
 * failure prints the (shrunk) pattern and options, and the first occurrence that differs.
 * Cases the doc leaves open (the oracle answers `ambiguous`) are skipped and counted.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { expandRecurrence } from '../../src/domain';
import { isSchedulingError } from '../../src/errors';
import { builtInCaseArb, customCaseArb, timesFrom, ZONES, type RecurrenceCase } from './recurrence-arbitraries';
import { ordinalCaseArb, weekNumberCaseArb } from './recurrence-arbitraries-focused';
import { guardCaseArb, refusedCaseArb } from './recurrence-arbitraries-guards';
import { allTransitions, changedWallTimes, transitionCaseArb } from './recurrence-arbitraries-transitions';
import { formatDay } from './recurrence-oracle-calendar';
import { expectedRecurrence, type ExpectedOccurrence, type OracleResult } from './recurrence-oracle';

const SEED = Number(process.env.RECURRENCE_SEED ?? 20_250_112);
/** Multiplies every property's runs, to search harder locally (RECURRENCE_RUNS_FACTOR=20). */
const RUNS_FACTOR = Number(process.env.RECURRENCE_RUNS_FACTOR ?? 1);

type EngineOutcome =
  { kind: 'occurrences'; occurrences: ExpectedOccurrence[] } | { kind: 'error'; reason: unknown; path: unknown } | { kind: 'crash'; message: string };

function runEngine({ pattern, options }: RecurrenceCase): EngineOutcome {
  try {
    const occurrences = expandRecurrence(pattern, options).map((o) => ({ start: o.start.toISOString(), end: o.end.toISOString(), localDate: o.localDate }));
    return { kind: 'occurrences', occurrences };
  } catch (error) {
    if (isSchedulingError(error, 'INVALID_INPUT')) return { kind: 'error', reason: error.details.reason, path: error.details.path };
    return { kind: 'crash', message: String(error) };
  }
}

const show = (value: unknown) => JSON.stringify(value);

/** Why the engine's answer is not the oracle's, or undefined when they agree. */
function disagreement(expected: OracleResult, actual: EngineOutcome): string | undefined {
  if (expected.kind === 'occurrences') {
    if (actual.kind !== 'occurrences') return `expected ${expected.occurrences.length} occurrences, got ${show(actual)}`;
    const a = actual.occurrences;
    const e = expected.occurrences;
    const length = Math.max(a.length, e.length);
    for (let i = 0; i < length; i++) {
      if (show(a[i]) !== show(e[i])) {
        return `first difference at #${i} of ${e.length} expected / ${a.length} actual:\n  expected ${show(e[i])}\n  actual   ${show(a[i])}`;
      }
    }
    return undefined;
  }
  if (expected.kind === 'error') {
    if (actual.kind === 'error' && expected.reasons.includes(actual.reason as never)) return undefined;
    return `expected INVALID_INPUT with reason ${expected.reasons.join(' or ')}, got ${actual.kind === 'occurrences' ? `${actual.occurrences.length} occurrences, last ${show(actual.occurrences.at(-1))}` : show(actual)}`;
  }
  if (expected.kind === 'invalid') {
    if (actual.kind === 'error' && show(actual.path) === show(expected.path)) return undefined;
    return `expected INVALID_INPUT at ${show(expected.path)}, got ${actual.kind === 'occurrences' ? `${actual.occurrences.length} occurrences` : show(actual)}`;
  }
  return undefined;
}

// What the runs covered, so that a generator that silently stops producing a feature fails.
const seen = new Map<string, number>();
const skipped = new Map<string, number>();
const note = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);

function noteFeatures(c: RecurrenceCase, expected: OracleResult) {
  note(`type:${c.pattern.patternType}`);
  note(`zone:${c.options.timeZone}`);
  note(`result:${expected.kind === 'error' ? expected.reasons.join('|') : expected.kind}`);
  const rule = (c.pattern.customPattern as { rrule?: string } | null | undefined)?.rrule;
  if (typeof rule !== 'string') return;
  for (const part of rule.replace(/^RRULE:/, '').split(';')) {
    const [name, value = ''] = part.split('=');
    note(`part:${name}`);
    if (name === 'FREQ') note(`freq:${value}`);
    if (name === 'BYDAY' && /\d/.test(value)) note('part:BYDAY ordinal');
    if (name === 'BYMONTHDAY' && value.includes('-')) note('part:BYMONTHDAY negative');
    if (name === 'BYSETPOS' && new Set(value.split(',')).size < value.split(',').length) note('part:BYSETPOS repeated');
    if (name === 'INTERVAL' && Number(value) > 1) note('part:INTERVAL>1');
    if (name === 'UNTIL') note(`until:${value.endsWith('Z') ? 'utc' : value.includes('T') ? 'floating' : 'date'}`);
  }
}

function agreesWithOracle(c: RecurrenceCase): void {
  const expected = expectedRecurrence(c.pattern, c.options);
  if (expected.kind === 'ambiguous') {
    skipped.set(expected.why, (skipped.get(expected.why) ?? 0) + 1);
    fc.pre(false);
    return;
  }
  noteFeatures(c, expected);
  const problem = disagreement(expected, runEngine(c));
  if (problem) throw new Error(`${problem}\n  pattern ${show(c.pattern)}\n  options ${show(c.options)}`);
}

const property = (arbitrary: fc.Arbitrary<RecurrenceCase>, numRuns: number, seedOffset: number) =>
  fc.assert(fc.property(arbitrary, agreesWithOracle), { seed: SEED + seedOffset, numRuns: Math.round(numRuns * RUNS_FACTOR), maxSkipsPerRun: 20 });

describe(`expandRecurrence agrees with the oracle (seed ${SEED})`, () => {
  it('built-in patterns: daily, weekly, biweekly, monthly with every option', () => property(builtInCaseArb, 300, 1));

  it('custom RRULEs: every BY-part, ordinals, BYSETPOS, WKST, INTERVAL, COUNT and UNTIL', () => property(customCaseArb, 700, 2));

  it('BYDAY ordinals as expansions and as limits, counted in the month or the year', () => property(ordinalCaseArb, 150, 6));

  it('BYWEEKNO at the ends of the year with every WKST', () => property(weekNumberCaseArb, 100, 7));

  it('wall times inside, at the edges of and around daylight-saving gaps and folds, with UNTIL near the change', () => property(transitionCaseArb, 200, 3));

  it('rules the doc refuses are INVALID_INPUT at [customPattern, rrule]', () => {
    fc.assert(
      fc.property(refusedCaseArb, (c) => {
        expect(expectedRecurrence(c.pattern, c.options), 'the oracle').toEqual({ kind: 'invalid', path: ['customPattern', 'rrule'] });
        agreesWithOracle(c);
      }),
      { seed: SEED + 4, numRuns: Math.round(100 * RUNS_FACTOR) },
    );
  });

  it('the runaway guard: 100-year horizon, series_too_long, the 10,000 cap, never-matching → []', () => property(guardCaseArb, 120, 5));

  it('every offset change of every zone, 2008–2034: a daily series across it, starting inside the gap or the repeated hour', () => {
    const problems: string[] = [];
    for (const t of allTransitions()) {
      const { day, lowMinutes, length } = changedWallTimes(t);
      for (const startMinutes of [lowMinutes, lowMinutes + Math.floor(length / 2)]) {
        const c: RecurrenceCase = {
          pattern: { patternType: 'daily', startDate: formatDay(day - 2), endDate: formatDay(day + 2), ...timesFrom(startMinutes, 60, 0) },
          options: { timeZone: t.zone },
        };
        const expected = expectedRecurrence(c.pattern, c.options);
        noteFeatures(c, expected);
        const problem = disagreement(expected, runEngine(c));
        if (problem) problems.push(`${t.zone} ${new Date(t.at).toISOString()}: ${problem}\n  pattern ${show(c.pattern)}`);
      }
    }
    expect(allTransitions().length).toBeGreaterThan(400);
    expect(problems.slice(0, 3).join('\n'), `${problems.length} changes differ`).toBe('');
  });

  afterAll(() => {
    const total = [...seen].filter(([key]) => key.startsWith('type:')).reduce((sum, [, n]) => sum + n, 0);
    console.log(`differential: ${total} patterns compared; skipped as ambiguous: ${show(Object.fromEntries(skipped))}`);
    console.log(show(Object.fromEntries([...seen].sort())));
  });
});

describe('the 10,000 cap treats every bound of the same series alike', () => {
  // The doc does not say which count the cap measures (returned, or the whole series), so
  // the oracle skips cases where the readings differ. Whatever the reading, one series
  // bounded by COUNT, UNTIL, endDate or maxOccurrences is the same series and must meet
  // the cap the same way. Each group below is one daily series of 10,001 (or 20,000)
  // occurrences from 2025-01-01, with a `from` window that leaves 10,000 (or 1,738).
  const daily = { startDate: '2025-01-01', startTime: '09:00', endTime: '10:00' };
  const outcome = (c: RecurrenceCase) => {
    const result = runEngine(c);
    return result.kind === 'occurrences' ? `${result.occurrences.length} occurrences` : show(result);
  };
  const groups: Array<[title: string, from: Date, bounds: Array<Partial<RecurrenceCase['pattern']>>]> = [
    [
      '10,001 occurrences, from after the first',
      new Date('2025-01-01T12:00:00Z'),
      [
        { patternType: 'custom', customPattern: { rrule: 'FREQ=DAILY;COUNT=10001' } },
        { patternType: 'custom', customPattern: { rrule: 'FREQ=DAILY;UNTIL=20520519' } },
        { patternType: 'custom', endDate: '2052-05-19', customPattern: { rrule: 'FREQ=DAILY' } },
        { patternType: 'custom', maxOccurrences: 10_001, customPattern: { rrule: 'FREQ=DAILY' } },
        { patternType: 'daily', endDate: '2052-05-19' },
        { patternType: 'daily', maxOccurrences: 10_001 },
      ],
    ],
    [
      '20,000 occurrences, from 50 years on',
      new Date('2075-01-01T00:00:00Z'),
      [
        { patternType: 'custom', customPattern: { rrule: 'FREQ=DAILY;COUNT=20000' } },
        { patternType: 'custom', maxOccurrences: 20_000, customPattern: { rrule: 'FREQ=DAILY' } },
        { patternType: 'daily', maxOccurrences: 20_000 },
      ],
    ],
  ];
  for (const [title, from, bounds] of groups) {
    it(title, () => {
      const outcomes = bounds.map((bound) => outcome({ pattern: { ...daily, ...bound } as RecurrenceCase['pattern'], options: { timeZone: 'UTC', from } }));
      const table = bounds.map((bound, i) => `${show(bound)} → ${outcomes[i]}`).join('\n');
      expect(new Set(outcomes).size, table).toBe(1);
    });
  }
});

describe('the differential runs covered what they claim', () => {
  // Runs after the properties above (vitest runs a file's tests in order).
  it('every pattern type, zone, RRULE part, UNTIL form and outcome was seen', () => {
    const required = [
      ...['daily', 'weekly', 'biweekly', 'monthly', 'custom'].map((t) => `type:${t}`),
      ...ZONES.map((z) => `zone:${z}`),
      ...['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY'].map((f) => `freq:${f}`),
      ...['BYMONTH', 'BYWEEKNO', 'BYYEARDAY', 'BYMONTHDAY', 'BYDAY', 'BYSETPOS', 'WKST', 'COUNT', 'UNTIL'].map((p) => `part:${p}`),
      'part:BYDAY ordinal',
      'part:BYMONTHDAY negative',
      'part:BYSETPOS repeated',
      'part:INTERVAL>1',
      'until:utc',
      'until:floating',
      'until:date',
      'result:occurrences',
      'result:invalid',
      'result:series_too_long',
      'result:too_many_occurrences',
    ];
    for (const key of required) expect(seen.get(key) ?? 0, key).toBeGreaterThanOrEqual(3);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { DateRule, RuleWeekday } from '../../src/domain/recurrence-rule-days';
import { parseCustomRule, type ParsedCustomRule } from '../../src/domain/recurrence-rule';
import { invalidInput } from '../../src/domain/validate';
import { isSchedulingError } from '../../src/errors';
import { RRule } from '../support/rrule-interop';

/*
 * Our RRULE parser against the one it replaced. The oracle below is the rrule-based
 * `parseCustomRule` as it stood before `rrule` left the runtime dependencies (the same
 * grammar and refusals, then `RRule.parseString`), kept here unchanged: on every input,
 * valid or not, both must give the same ParsedCustomRule (UNTIL to the millisecond) or
 * the same INVALID_INPUT error.
 */

// ---- the oracle: src/domain/recurrence-rule.ts before rrule was dropped ----

const RULE_PATH = ['customPattern', 'rrule'];
const WEEKDAY = '(?:MO|TU|WE|TH|FR|SA|SU)';
const signedList = (max: number) => (value: string) =>
  value.split(',').every((part) => /^[+-]?\d{1,3}$/.test(part) && Math.abs(Number(part)) >= 1 && Math.abs(Number(part)) <= max);

const PART_GRAMMAR: Record<string, (value: string) => boolean> = {
  FREQ: (v) => /^(?:YEARLY|MONTHLY|WEEKLY|DAILY)$/.test(v),
  INTERVAL: (v) => /^[1-9]\d{0,3}$/.test(v),
  COUNT: (v) => /^[1-9]\d{0,5}$/.test(v),
  UNTIL: (v) => /^\d{8}(?:T\d{6}Z?)?$/.test(v),
  BYDAY: (v) =>
    v.split(',').every((part) => {
      const m = new RegExp(`^([+-]?\\d{1,2})?${WEEKDAY}$`).exec(part);
      return m !== null && (m[1] === undefined || (Math.abs(Number(m[1])) >= 1 && Math.abs(Number(m[1])) <= 53));
    }),
  BYMONTHDAY: signedList(31),
  BYYEARDAY: signedList(366),
  BYWEEKNO: signedList(53),
  BYSETPOS: signedList(366),
  BYMONTH: (v) => v.split(',').every((part) => /^\d{1,2}$/.test(part) && Number(part) >= 1 && Number(part) <= 12),
  WKST: (v) => new RegExp(`^${WEEKDAY}$`).test(v),
};

/** The frequencies a rule over dates can have. */
type Frequency = DateRule['freq'];

/** `rrule` gives a single value as a scalar and several as an array. */
function list<T>(value: T | T[] | null | undefined): T[] | null {
  if (value === null || value === undefined) return null;
  return Array.isArray(value) ? value : [value];
}

/** `rrule`'s weekday (0 = Monday) as ours (0 = Sunday). */
const fromRRuleWeekday = (weekday: number) => (weekday + 1) % 7;

/** The old `parseCustomRule`, verbatim but for its name: grammar and refusals, then `RRule.parseString`. */
function parseWithRRule(customPattern: unknown): ParsedCustomRule {
  const raw = typeof customPattern === 'object' && customPattern !== null ? (customPattern as Record<string, unknown>).rrule : undefined;
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw invalidInput('a custom pattern needs customPattern.rrule, an RFC 5545 RRULE string', RULE_PATH);
  }
  const text = raw
    .trim()
    .toUpperCase()
    .replace(/^RRULE:/, '');
  const seen = new Set<string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    const name = eq > 0 ? part.slice(0, eq) : part;
    const value = eq > 0 ? part.slice(eq + 1) : '';
    const grammar = PART_GRAMMAR[name];
    if (!grammar) {
      throw invalidInput(`unsupported or malformed RRULE part "${part}" (no DTSTART, BYHOUR, BYMINUTE or BYSECOND)`, RULE_PATH, { rrule: raw });
    }
    if (seen.has(name)) throw invalidInput(`RRULE part ${name} appears twice`, RULE_PATH, { rrule: raw });
    if (!grammar(value)) throw invalidInput(`malformed RRULE part "${part}"`, RULE_PATH, { rrule: raw });
    seen.add(name);
  }
  if (!seen.has('FREQ')) throw invalidInput('RRULE needs FREQ (YEARLY, MONTHLY, WEEKLY or DAILY)', RULE_PATH, { rrule: raw });
  if (seen.has('COUNT') && seen.has('UNTIL')) throw invalidInput('RRULE may not have both COUNT and UNTIL', RULE_PATH, { rrule: raw });

  // RFC 5545 §3.3.10: parts that MUST NOT appear with this frequency, refused rather than guessed at.
  const freq = /(?:^|;)FREQ=([A-Z]+)/.exec(text)![1] as Frequency;
  const refuse = (message: string) => invalidInput(message, RULE_PATH, { rrule: raw });
  if (seen.has('BYWEEKNO') && freq !== 'YEARLY') throw refuse('BYWEEKNO is only for FREQ=YEARLY (RFC 5545)');
  if (seen.has('BYYEARDAY') && freq !== 'YEARLY') throw refuse('BYYEARDAY is only for FREQ=YEARLY here (RFC 5545: not with DAILY, WEEKLY or MONTHLY)');
  if (seen.has('BYMONTHDAY') && freq === 'WEEKLY') throw refuse('BYMONTHDAY cannot be used with FREQ=WEEKLY (RFC 5545)');
  const ordinalDay = /(?:^|;)BYDAY=[^;]*[+-]?\d/.test(text);
  if (ordinalDay && freq !== 'MONTHLY' && freq !== 'YEARLY') throw refuse('a BYDAY ordinal (such as 1MO) is only for FREQ=MONTHLY or YEARLY (RFC 5545)');
  if (ordinalDay && seen.has('BYWEEKNO')) throw refuse('a BYDAY ordinal cannot be combined with BYWEEKNO (RFC 5545)');
  if (seen.has('BYSETPOS') && !['BYMONTH', 'BYWEEKNO', 'BYYEARDAY', 'BYMONTHDAY', 'BYDAY'].some((part) => seen.has(part))) {
    throw refuse('BYSETPOS needs another BY-part to select from (RFC 5545)');
  }

  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(text);
  } catch (error) {
    throw refuse(`malformed RRULE: ${(error as Error).message}`);
  }
  const untilText = /(?:^|;)UNTIL=([^;]+)/.exec(text)?.[1];
  const until = untilText && options.until ? { kind: untilKind(untilText), ms: options.until.getTime() } : null;
  const weekdays = list(options.byweekday as Array<{ weekday: number; n?: number }> | { weekday: number; n?: number } | null);
  const wkst = options.wkst as { weekday: number } | number | null | undefined;
  const rule: DateRule = {
    freq,
    interval: options.interval ?? 1,
    byMonth: list(options.bymonth),
    byWeekNo: list(options.byweekno),
    byYearDay: list(options.byyearday),
    byMonthDay: list(options.bymonthday),
    byDay: weekdays?.map((d): RuleWeekday => ({ weekday: fromRRuleWeekday(d.weekday), n: d.n ?? null })) ?? null,
    bySetPos: list(options.bysetpos),
    // Weeks start on Monday unless the rule says otherwise (RFC 5545's default).
    wkst: wkst === null || wkst === undefined ? 1 : fromRRuleWeekday(typeof wkst === 'number' ? wkst : wkst.weekday),
  };
  return { rule, count: options.count ?? null, until };
}

function untilKind(value: string): 'date' | 'local' | 'utc' {
  if (value.length === 8) return 'date';
  return value.endsWith('Z') ? 'utc' : 'local';
}

// ---- generators ----

const RUNS = Number(process.env.PROPERTY_RUNS ?? 2000);
const SEED = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined;

const digits = (n: number, width: number) => String(n).padStart(width, '0');
const weekdayCode = fc.constantFrom('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU');
const sign = fc.constantFrom('', '', '+', '-');
/** A value the grammar's signed lists accept: 1..max, any sign, sometimes zero-padded to three digits. */
const signedNumber = (max: number) => fc.tuple(sign, fc.integer({ min: 1, max }), fc.boolean()).map(([s, n, pad]) => `${s}${pad ? digits(n, 3) : n}`);
const listOf = (item: fc.Arbitrary<string>) => fc.array(item, { minLength: 1, maxLength: 5 }).map((items) => items.join(','));

/** UNTIL in its three forms; fields anywhere in 00–99, as the grammar allows, but mostly real dates and times. */
const untilValue = fc
  .tuple(
    fc.oneof(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 0, max: 9999 })),
    fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 12 }) }, fc.integer({ min: 0, max: 99 })),
    fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 31 }) }, fc.integer({ min: 0, max: 99 })),
    fc.option(
      fc.tuple(
        fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 23 }) }, fc.integer({ min: 0, max: 99 })),
        fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 59 }) }, fc.integer({ min: 0, max: 99 })),
        fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 59 }) }, fc.integer({ min: 0, max: 99 })),
        fc.boolean(),
      ),
      { nil: null },
    ),
  )
  .map(
    ([y, m, d, time]) =>
      `${digits(y, 4)}${digits(m, 2)}${digits(d, 2)}${time ? `T${digits(time[0], 2)}${digits(time[1], 2)}${digits(time[2], 2)}${time[3] ? 'Z' : ''}` : ''}`,
  );

const plainDay = weekdayCode;
const ordinalDay = fc.tuple(sign, fc.integer({ min: 1, max: 53 }), fc.boolean(), weekdayCode).map(([s, n, pad, day]) => `${s}${pad ? digits(n, 2) : n}${day}`);

/** Every part but FREQ, each a value its grammar accepts. */
const optionalParts = {
  INTERVAL: fc.integer({ min: 1, max: 9999 }).map(String),
  COUNT: fc.integer({ min: 1, max: 999_999 }).map(String),
  UNTIL: untilValue,
  BYMONTH: listOf(fc.tuple(fc.integer({ min: 1, max: 12 }), fc.boolean()).map(([n, pad]) => (pad ? digits(n, 2) : String(n)))),
  BYWEEKNO: listOf(signedNumber(53)),
  BYYEARDAY: listOf(signedNumber(366)),
  BYMONTHDAY: listOf(signedNumber(31)),
  BYDAY: listOf(fc.oneof(plainDay, ordinalDay)),
  BYSETPOS: listOf(signedNumber(366)),
  WKST: weekdayCode,
};
type PartName = keyof typeof optionalParts;

/** Which parts RFC 5545 lets a rule of this frequency have, given the others (so the rule parses). */
function allowed(freq: string, parts: Partial<Record<PartName, string>>): Partial<Record<PartName, string>> {
  const kept = { ...parts };
  if (kept.COUNT !== undefined) delete kept.UNTIL;
  if (freq !== 'YEARLY') {
    delete kept.BYWEEKNO;
    delete kept.BYYEARDAY;
  }
  if (freq === 'WEEKLY') delete kept.BYMONTHDAY;
  if (kept.BYDAY !== undefined && ((freq !== 'MONTHLY' && freq !== 'YEARLY') || kept.BYWEEKNO !== undefined)) {
    kept.BYDAY = kept.BYDAY.replace(/[+-]?\d+/g, '');
  }
  if (!['BYMONTH', 'BYWEEKNO', 'BYYEARDAY', 'BYMONTHDAY', 'BYDAY'].some((name) => kept[name as PartName] !== undefined)) delete kept.BYSETPOS;
  return kept;
}

/** Upper- or lower-case letters at random, an optional `RRULE:` prefix and surrounding white space: all accepted. */
function dressed(parts: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.shuffledSubarray(parts, { minLength: parts.length }), fc.constantFrom('', 'RRULE:', 'rrule:'), fc.constantFrom('', ' ', '\n\t'), fc.boolean())
    .chain(([shuffled, prefix, space, lower]) => {
      const text = `${space}${prefix}${shuffled.join(';')}${space}`;
      return lower ? fc.constant(text.toLowerCase()) : fc.constant(text);
    });
}

/**
 * A rule of our grammar: FREQ and any other parts, in any order. Three in four keep
 * to what RFC 5545 allows with their frequency and parse; the rest may break those
 * rules, and both sides must refuse them alike.
 */
const grammaticalRule = fc
  .tuple(fc.constantFrom('YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY'), fc.record(optionalParts, { requiredKeys: [] }), fc.nat(3))
  .chain(([freq, parts, keepToRfc]) => {
    const kept = keepToRfc > 0 ? allowed(freq, parts) : parts;
    return dressed([`FREQ=${freq}`, ...Object.entries(kept).map(([name, value]) => `${name}=${value}`)]);
  });

/** Near misses and garbage: parts we refuse, malformed values, repeats, empty parts. */
const anyRule = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'FREQ=DAILY',
        'FREQ=WEEKLY',
        'FREQ=MONTHLY',
        'FREQ=YEARLY',
        'FREQ=HOURLY',
        'FREQ=daily',
        'INTERVAL=0',
        'INTERVAL=abc',
        'INTERVAL=2',
        'COUNT=3',
        'COUNT=-1',
        'UNTIL=2025',
        'UNTIL=20250309T0230',
        'UNTIL=20250309',
        'BYDAY=XX',
        'BYDAY=0MO',
        'BYDAY=54MO',
        'BYDAY=1MO,',
        'BYDAY=MO',
        'BYDAY=-1FR',
        'BYMONTH=13',
        'BYMONTH=1',
        'BYMONTHDAY=0',
        'BYMONTHDAY=-31',
        'BYWEEKNO=20',
        'BYYEARDAY=100',
        'BYSETPOS=1',
        'BYHOUR=10',
        'BYMINUTE=0',
        'BYSECOND=0',
        'BYEASTER=0',
        'DTSTART=20250101T000000Z',
        'TZID=Europe/London',
        'WKST=SU',
        'WKST=XX',
        'FREQ',
        '=DAILY',
        '',
      ),
      fc.string({ maxLength: 12 }),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(';'));

// ---- comparison ----

type Outcome = { parsed: ParsedCustomRule } | { refused: { code: string; message: string; details: unknown } };

function outcome(parse: (customPattern: unknown) => ParsedCustomRule, customPattern: unknown): Outcome {
  try {
    return { parsed: parse(customPattern) };
  } catch (error) {
    if (!isSchedulingError(error)) throw error;
    return { refused: { code: error.code, message: error.message, details: error.details } };
  }
}

/**
 * The one deliberate difference: rrule rolled an UNTIL that is not a real date or time
 * over (20250230 was 2 March, 0099 was 1999); we refuse it, after every other check.
 */
function unrealUntil(customPattern: unknown): string | null {
  const rrule = (customPattern as { rrule?: unknown } | null)?.rrule;
  const until =
    typeof rrule === 'string'
      ? /(?:^|;)UNTIL=(\d{8}(?:T\d{6}Z?)?)(?:;|$)/.exec(
          rrule
            .trim()
            .toUpperCase()
            .replace(/^RRULE:/, ''),
        )?.[1]
      : undefined;
  if (until === undefined) return null;
  const [y, mo, d, h, mi, s] = [until.slice(0, 4), until.slice(4, 6), until.slice(6, 8), until.slice(9, 11), until.slice(11, 13), until.slice(13, 15)].map(
    (digits) => Number(digits || 0),
  ) as [number, number, number, number, number, number];
  const iso = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}Z`;
  const parsed = new Date(iso);
  const real = y >= 1000 && !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === iso.slice(0, 19);
  return real ? null : until;
}

function expectSameAsRRule(customPattern: unknown): Outcome {
  const ours = outcome(parseCustomRule, customPattern);
  const theirs = outcome(parseWithRRule, customPattern);
  const unreal = 'parsed' in theirs ? unrealUntil(customPattern) : null;
  if (unreal === null) expect(ours).toStrictEqual(theirs);
  else {
    expect(ours).toMatchObject({
      refused: {
        code: 'INVALID_INPUT',
        message: expect.stringContaining(`UNTIL=${unreal} is not a real date`) as unknown,
        details: { path: ['customPattern', 'rrule'] },
      },
    });
  }
  return ours;
}

const refusalOf = (rrule: string) => {
  const result = expectSameAsRRule({ rrule });
  if (!('refused' in result)) throw new Error(`expected ${rrule} to be refused`);
  return result.refused;
};

const parsedOf = (rrule: string): ParsedCustomRule => {
  const result = expectSameAsRRule({ rrule });
  if (!('parsed' in result)) throw new Error(`expected ${rrule} to parse: ${result.refused.message}`);
  return result.parsed;
};

describe('parseCustomRule reads every rule exactly as rrule did', () => {
  it('gives the same ParsedCustomRule or the same refusal on random rules of our grammar', () => {
    let parsed = 0;
    fc.assert(
      fc.property(grammaticalRule, (rrule) => {
        if ('parsed' in expectSameAsRRule({ rrule })) parsed += 1;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // Most of them parse: the property is about values, not only about refusals.
    expect(parsed).toBeGreaterThan(RUNS / 2);
  });

  it('gives the same outcome on near misses and garbage', () => {
    fc.assert(
      fc.property(anyRule, (rrule) => {
        expectSameAsRRule({ rrule });
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('gives the same refusal when there is no rule string', () => {
    for (const customPattern of [undefined, null, 'FREQ=DAILY', {}, { rrule: 3 }, { rrule: '   ' }]) {
      expect(outcome(parseCustomRule, customPattern)).toMatchObject({ refused: { code: 'INVALID_INPUT', details: { path: ['customPattern', 'rrule'] } } });
      expectSameAsRRule(customPattern);
    }
  });
});

describe('parseCustomRule: UNTIL in its three forms', () => {
  it('a date is that day at 00:00 read as UTC, kind date', () => {
    expect(parsedOf('FREQ=DAILY;UNTIL=20250309').until).toEqual({ kind: 'date', ms: Date.UTC(2025, 2, 9) });
  });

  it('a floating date-time is its fields read as UTC, kind local', () => {
    expect(parsedOf('FREQ=DAILY;UNTIL=20250309T023000').until).toEqual({ kind: 'local', ms: Date.UTC(2025, 2, 9, 2, 30) });
  });

  it('a UTC date-time is that instant, kind utc', () => {
    expect(parsedOf('RRULE:FREQ=DAILY;UNTIL=20250309T070000Z').until).toEqual({ kind: 'utc', ms: Date.parse('2025-03-09T07:00:00Z') });
  });

  it('refuses an UNTIL that is not a real date or time, or before the year 1000 (rrule rolled them over)', () => {
    for (const until of ['20250230', '20251231T240000Z', '20250101T126000', '00991231', '20251301', '20250100']) {
      expect(refusalOf(`FREQ=DAILY;UNTIL=${until}`).message).toContain(`UNTIL=${until} is not a real date`);
    }
    expect(parsedOf('FREQ=DAILY;UNTIL=20240229').until).toEqual({ kind: 'date', ms: Date.UTC(2024, 1, 29) });
    expect(parsedOf('FREQ=DAILY;UNTIL=10000101T000000Z').until).toEqual({ kind: 'utc', ms: Date.UTC(1000, 0, 1) });
  });
});

describe('parseCustomRule: values and defaults', () => {
  it('defaults to INTERVAL 1, weeks from Monday, no BY-parts and no bounds', () => {
    const rule: DateRule = {
      freq: 'WEEKLY',
      interval: 1,
      byMonth: null,
      byWeekNo: null,
      byYearDay: null,
      byMonthDay: null,
      byDay: null,
      bySetPos: null,
      wkst: 1,
    };
    expect(parsedOf('FREQ=WEEKLY')).toStrictEqual({ rule, count: null, until: null });
  });

  it('reads every part, signed values and BYDAY ordinals included (weekdays 0 = Sunday)', () => {
    const byDay: RuleWeekday[] = [
      { weekday: 1, n: 2 },
      { weekday: 5, n: -1 },
      { weekday: 0, n: null },
      { weekday: 6, n: 3 },
    ];
    expect(parsedOf('rrule:freq=monthly;interval=2;count=10;bymonth=01,6;bymonthday=+1,-31;byday=2MO,-1FR,SU,+03SA;bysetpos=-1,007;wkst=SU')).toStrictEqual({
      rule: { freq: 'MONTHLY', interval: 2, byMonth: [1, 6], byWeekNo: null, byYearDay: null, byMonthDay: [1, -31], byDay, bySetPos: [-1, 7], wkst: 0 },
      count: 10,
      until: null,
    });
    expect(parsedOf('FREQ=YEARLY;BYWEEKNO=1,-1;BYYEARDAY=-366,100;BYDAY=TH').rule).toMatchObject({
      byWeekNo: [1, -1],
      byYearDay: [-366, 100],
      byDay: [{ weekday: 4, n: null }],
    });
  });
});

describe('parseCustomRule: every refusal, with rrule-era messages', () => {
  it.each([
    ['FREQ=DAILY;BYHOUR=10', 'unsupported or malformed RRULE part "BYHOUR=10" (no DTSTART, BYHOUR, BYMINUTE or BYSECOND)'],
    ['DTSTART=20250101T000000Z;FREQ=DAILY', 'unsupported or malformed RRULE part "DTSTART=20250101T000000Z" (no DTSTART, BYHOUR, BYMINUTE or BYSECOND)'],
    ['FREQ=DAILY;', 'unsupported or malformed RRULE part "" (no DTSTART, BYHOUR, BYMINUTE or BYSECOND)'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'RRULE part FREQ appears twice'],
    ['FREQ=HOURLY', 'malformed RRULE part "FREQ=HOURLY"'],
    ['FREQ=WEEKLY;BYDAY=XX', 'malformed RRULE part "BYDAY=XX"'],
    ['FREQ=MONTHLY;BYDAY=0MO', 'malformed RRULE part "BYDAY=0MO"'],
    ['FREQ=DAILY;UNTIL=20250309T0230', 'malformed RRULE part "UNTIL=20250309T0230"'],
    ['COUNT=3', 'RRULE needs FREQ (YEARLY, MONTHLY, WEEKLY or DAILY)'],
    ['FREQ=DAILY;COUNT=3;UNTIL=20250309', 'RRULE may not have both COUNT and UNTIL'],
    ['FREQ=MONTHLY;BYWEEKNO=1', 'BYWEEKNO is only for FREQ=YEARLY (RFC 5545)'],
    ['FREQ=DAILY;BYYEARDAY=1', 'BYYEARDAY is only for FREQ=YEARLY here (RFC 5545: not with DAILY, WEEKLY or MONTHLY)'],
    ['FREQ=WEEKLY;BYMONTHDAY=1', 'BYMONTHDAY cannot be used with FREQ=WEEKLY (RFC 5545)'],
    ['FREQ=WEEKLY;BYDAY=1MO', 'a BYDAY ordinal (such as 1MO) is only for FREQ=MONTHLY or YEARLY (RFC 5545)'],
    ['FREQ=YEARLY;BYWEEKNO=2;BYDAY=-1MO', 'a BYDAY ordinal cannot be combined with BYWEEKNO (RFC 5545)'],
    ['FREQ=MONTHLY;BYSETPOS=1', 'BYSETPOS needs another BY-part to select from (RFC 5545)'],
  ])('%s is refused: %s', (rrule, message) => {
    expect(refusalOf(rrule)).toStrictEqual({ code: 'INVALID_INPUT', message, details: { path: ['customPattern', 'rrule'], rrule } });
  });
});

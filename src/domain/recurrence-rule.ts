import type { DateRule, RuleWeekday } from './recurrence-rule-days';
import { invalidInput } from './validate';

/**
 * Parsing and validation of the RFC 5545 RRULE of a `custom` recurring pattern. Every
 * part is checked against its grammar first and anything we do not support is refused
 * instead of half-understood; only then are the values read. The reading matches what
 * the `rrule` package's `RRule.parseString` gave (it parsed these rules until we dropped
 * it as a runtime dependency), which `test/unit/recurrence-rule-parse.property.test.ts`
 * checks against `rrule` itself.
 */

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

/** A custom rule: what it selects, and the bounds it carries itself. */
export interface ParsedCustomRule {
  rule: DateRule;
  /** COUNT, or null. */
  count: number | null;
  /** UNTIL as written: date-only, floating local date-time, or UTC (`Z`), as epoch ms of that reading. */
  until: { kind: 'date' | 'local' | 'utc'; ms: number } | null;
}

/** The frequencies a rule over dates can have. */
type Frequency = DateRule['freq'];

/** RRULE weekday codes in our numbering: the index is the weekday, 0 = Sunday … 6 = Saturday. */
const WEEKDAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** A grammar-checked comma list of (signed) integers; `+5` is 5. */
const numbers = (value: string | undefined): number[] | null => (value === undefined ? null : value.split(',').map(Number));

/** A grammar-checked BYDAY list: `MO`, `2TU`, `-1FR`, `+3SA`. */
function weekdays(value: string | undefined): RuleWeekday[] | null {
  if (value === undefined) return null;
  return value.split(',').map((part) => ({
    weekday: WEEKDAY_CODES.indexOf(part.slice(-2)),
    n: part.length > 2 ? Number(part.slice(0, -2)) : null,
  }));
}

/**
 * A grammar-checked UNTIL (`YYYYMMDD`, `YYYYMMDDTHHMMSS` or `YYYYMMDDTHHMMSSZ`) as epoch
 * ms of its fields read as UTC, whichever the form: `20250309` is 2025-03-09T00:00Z,
 * `20250309T023000` and `20250309T023000Z` are both 02:30Z; `kind` says which reading
 * the expansion applies (a local date, a wall-clock time in the pattern's zone, an
 * instant). Computed with `Date.UTC` on the same fields exactly as `rrule` 2.8 did, so
 * the value is unchanged bit for bit. Unlike `rrule`, an UNTIL that is not a real date
 * and time (`20250230`, `T240000`) or before the year 1000 is refused before this runs
 * ({@link isRealUntil}) instead of rolling over (`20250230` was 2 March) or being
 * read as 19xx.
 */
/** True when a grammar-checked UNTIL names a real date (and time of day), in the years 1000–9999. */
function isRealUntil(value: string): boolean {
  const field = (from: number, to: number) => Number(value.slice(from, to));
  const [year, month, day] = [field(0, 4), field(4, 6), field(6, 8)];
  const date = new Date(Date.UTC(year, month - 1, day));
  const realDate = year >= 1000 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return realDate && (value.length === 8 || (field(9, 11) <= 23 && field(11, 13) <= 59 && field(13, 15) <= 59));
}

function untilOf(value: string | undefined): ParsedCustomRule['until'] {
  if (value === undefined) return null;
  const field = (from: number, to: number) => Number(value.slice(from, to));
  const ms =
    value.length === 8
      ? Date.UTC(field(0, 4), field(4, 6) - 1, field(6, 8))
      : Date.UTC(field(0, 4), field(4, 6) - 1, field(6, 8), field(9, 11), field(11, 13), field(13, 15));
  return { kind: value.length === 8 ? 'date' : value.endsWith('Z') ? 'utc' : 'local', ms };
}

/**
 * Parses `customPattern.rrule` (with or without the `RRULE:` prefix, without DTSTART).
 * Sub-daily frequencies and BYHOUR/BYMINUTE/BYSECOND are refused: an occurrence always
 * starts at the pattern's `startTime`.
 *
 * @internal
 */
export function parseCustomRule(customPattern: unknown): ParsedCustomRule {
  const raw = typeof customPattern === 'object' && customPattern !== null ? (customPattern as Record<string, unknown>).rrule : undefined;
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw invalidInput('a custom pattern needs customPattern.rrule, an RFC 5545 RRULE string', RULE_PATH);
  }
  const text = raw
    .trim()
    .toUpperCase()
    .replace(/^RRULE:/, '');
  const parts = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    const name = eq > 0 ? part.slice(0, eq) : part;
    const value = eq > 0 ? part.slice(eq + 1) : '';
    const grammar = PART_GRAMMAR[name];
    if (!grammar) {
      throw invalidInput(`unsupported or malformed RRULE part "${part}" (no DTSTART, BYHOUR, BYMINUTE or BYSECOND)`, RULE_PATH, { rrule: raw });
    }
    if (parts.has(name)) throw invalidInput(`RRULE part ${name} appears twice`, RULE_PATH, { rrule: raw });
    if (!grammar(value)) throw invalidInput(`malformed RRULE part "${part}"`, RULE_PATH, { rrule: raw });
    parts.set(name, value);
  }
  const freq = parts.get('FREQ') as Frequency | undefined;
  if (freq === undefined) throw invalidInput('RRULE needs FREQ (YEARLY, MONTHLY, WEEKLY or DAILY)', RULE_PATH, { rrule: raw });
  if (parts.has('COUNT') && parts.has('UNTIL')) throw invalidInput('RRULE may not have both COUNT and UNTIL', RULE_PATH, { rrule: raw });
  const byDay = weekdays(parts.get('BYDAY'));

  // RFC 5545 §3.3.10: parts that MUST NOT appear with this frequency, refused rather than guessed at.
  const refuse = (message: string) => invalidInput(message, RULE_PATH, { rrule: raw });
  if (parts.has('BYWEEKNO') && freq !== 'YEARLY') throw refuse('BYWEEKNO is only for FREQ=YEARLY (RFC 5545)');
  if (parts.has('BYYEARDAY') && freq !== 'YEARLY') throw refuse('BYYEARDAY is only for FREQ=YEARLY here (RFC 5545: not with DAILY, WEEKLY or MONTHLY)');
  if (parts.has('BYMONTHDAY') && freq === 'WEEKLY') throw refuse('BYMONTHDAY cannot be used with FREQ=WEEKLY (RFC 5545)');
  const ordinalDay = byDay?.some((day) => day.n !== null) ?? false;
  if (ordinalDay && freq !== 'MONTHLY' && freq !== 'YEARLY') throw refuse('a BYDAY ordinal (such as 1MO) is only for FREQ=MONTHLY or YEARLY (RFC 5545)');
  if (ordinalDay && parts.has('BYWEEKNO')) throw refuse('a BYDAY ordinal cannot be combined with BYWEEKNO (RFC 5545)');
  if (parts.has('BYSETPOS') && !['BYMONTH', 'BYWEEKNO', 'BYYEARDAY', 'BYMONTHDAY', 'BYDAY'].some((part) => parts.has(part))) {
    throw refuse('BYSETPOS needs another BY-part to select from (RFC 5545)');
  }
  const untilText = parts.get('UNTIL');
  if (untilText !== undefined && !isRealUntil(untilText)) {
    throw refuse(`UNTIL=${untilText} is not a real date${untilText.length > 8 ? ' and time' : ''} between the years 1000 and 9999`);
  }

  const wkst = parts.get('WKST');
  const rule: DateRule = {
    freq,
    interval: Number(parts.get('INTERVAL') ?? 1),
    byMonth: numbers(parts.get('BYMONTH')),
    byWeekNo: numbers(parts.get('BYWEEKNO')),
    byYearDay: numbers(parts.get('BYYEARDAY')),
    byMonthDay: numbers(parts.get('BYMONTHDAY')),
    byDay,
    bySetPos: numbers(parts.get('BYSETPOS')),
    // Weeks start on Monday unless the rule says otherwise (RFC 5545's default).
    wkst: wkst === undefined ? 1 : WEEKDAY_CODES.indexOf(wkst),
  };
  const count = parts.get('COUNT');
  return { rule, count: count === undefined ? null : Number(count), until: untilOf(parts.get('UNTIL')) };
}

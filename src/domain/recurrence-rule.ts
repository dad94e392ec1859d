import type { DateRule, RuleWeekday } from './recurrence-rule-days';
import { RRule } from './rrule-interop';
import { invalidInput } from './validate';

/**
 * Validation of the RFC 5545 RRULE of a `custom` recurring pattern. `rrule`'s own
 * parser accepts garbage (`BYDAY=XX` becomes `undefined`, `INTERVAL=abc` a string), so
 * every part is checked against its grammar here first and anything we do not
 * support is refused instead of half-understood.
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

/** `rrule` gives a single value as a scalar and several as an array. */
function list<T>(value: T | T[] | null | undefined): T[] | null {
  if (value === null || value === undefined) return null;
  return Array.isArray(value) ? value : [value];
}

/** `rrule`'s weekday (0 = Monday) as ours (0 = Sunday). */
const fromRRuleWeekday = (weekday: number) => (weekday + 1) % 7;

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

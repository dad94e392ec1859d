import { RRule, type RRuleOptions } from './rrule-interop';
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

/** A custom rule ready for `rrule`, plus the bounds it carries itself. */
export interface ParsedCustomRule {
  options: Partial<RRuleOptions>;
  hasCount: boolean;
  /** UNTIL as written: date-only, floating local date-time, or UTC (`Z`). */
  until: { kind: 'date' | 'local' | 'utc'; ms: number } | null;
}

/**
 * Parses `customPattern.rrule` (with or without the `RRULE:` prefix, without DTSTART).
 * Sub-daily frequencies and BYHOUR/BYMINUTE/BYSECOND are refused: an occurrence always
 * starts at the pattern's `startTime`.
 *
 * @example
 * ```ts
 * parseCustomRule({ rrule: 'RRULE:FREQ=MONTHLY;BYDAY=2TU' }).options.freq; // RRule.MONTHLY
 * ```
 */
export function parseCustomRule(customPattern: unknown): ParsedCustomRule {
  const raw = typeof customPattern === 'object' && customPattern !== null ? (customPattern as Record<string, unknown>).rrule : undefined;
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw invalidInput('a custom pattern needs customPattern.rrule, an RFC 5545 RRULE string', RULE_PATH);
  }
  const text = raw.trim().toUpperCase().replace(/^RRULE:/, '');
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

  let options: Partial<RRuleOptions>;
  try {
    options = RRule.parseString(text);
  } catch (error) {
    throw invalidInput(`malformed RRULE: ${(error as Error).message}`, RULE_PATH, { rrule: raw });
  }
  const untilText = /(?:^|;)UNTIL=([^;]+)/.exec(text)?.[1];
  const until = untilText && options.until ? { kind: untilKind(untilText), ms: options.until.getTime() } : null;
  delete options.until;
  // Weeks start on Monday unless the rule says otherwise (RFC 5545 default, made explicit).
  if (options.wkst === undefined || options.wkst === null) options.wkst = RRule.MO;
  return { options, hasCount: seen.has('COUNT'), until };
}

function untilKind(value: string): 'date' | 'local' | 'utc' {
  if (value.length === 8) return 'date';
  return value.endsWith('Z') ? 'utc' : 'local';
}

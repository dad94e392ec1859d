/**
 * The recurrence oracle's reading of an RRULE's text: its own parser, which refuses what
 * rule 7 of docs/time-and-recurrence.md refuses (RFC 5545's "MUST NOT" combinations,
 * sub-daily frequencies, times of day, DTSTART/TZID inside, a part twice, malformed).
 * The expansion is in recurrence-oracle-expand.ts.
 */
import { parseDay, secondsOfTime, type DayNumber } from './recurrence-oracle-calendar';

export type Frequency = 'YEARLY' | 'MONTHLY' | 'WEEKLY' | 'DAILY';

/** A BYDAY entry: weekday (0 = Sunday) and optional ordinal (`2TU` → 2, `-1FR` → -1). */
export interface WeekdayEntry {
  weekday: number;
  ordinal?: number;
}

export type RuleUntil = { kind: 'date'; day: DayNumber } | { kind: 'floating'; day: DayNumber; seconds: number } | { kind: 'utc'; instant: number };

export interface OracleRule {
  freq: Frequency;
  interval: number;
  count?: number;
  until?: RuleUntil;
  byMonth?: number[];
  byWeekNo?: number[];
  byYearDay?: number[];
  byMonthDay?: number[];
  byDay?: WeekdayEntry[];
  bySetPos?: number[];
  /** 0 = Sunday … 6 = Saturday; default Monday. */
  weekStart: number;
}

export const WEEKDAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

export type ParsedRule = { ok: true; rule: OracleRule } | { ok: false; why: string };

const SUPPORTED = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYMONTH', 'BYWEEKNO', 'BYYEARDAY', 'BYMONTHDAY', 'BYDAY', 'BYSETPOS', 'WKST']);

function integerList(value: string, min: number, max: number, signed: boolean): number[] | null {
  const items = value.split(',');
  const numbers: number[] = [];
  for (const item of items) {
    if (!(signed ? /^[+-]?\d{1,3}$/ : /^\+?\d{1,3}$/).test(item)) return null;
    const n = Number(item);
    if (Math.abs(n) < min || Math.abs(n) > max) return null;
    numbers.push(n);
  }
  return numbers;
}

function parseUntil(value: string): RuleUntil | null {
  const match = /^(\d{8})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value);
  if (!match) return null;
  const day = parseDay(match[1]!);
  if (match[2] === undefined) return { kind: 'date', day };
  const seconds = secondsOfTime(`${match[2]}:${match[3]}:${match[4]}`);
  if (match[5] === 'Z') return { kind: 'utc', instant: day * 86_400_000 + seconds * 1000 };
  return { kind: 'floating', day, seconds };
}

/** Parses an RRULE as the doc allows it; anything rule 7 refuses is `{ ok: false }`. */
export function parseRule(text: string): ParsedRule {
  const body = text.startsWith('RRULE:') ? text.slice('RRULE:'.length) : text;
  const parts = new Map<string, string>();
  for (const part of body.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, why: `malformed part "${part}"` };
    const name = part.slice(0, eq);
    if (!SUPPORTED.has(name)) return { ok: false, why: `unsupported part ${name}` };
    if (parts.has(name)) return { ok: false, why: `${name} given twice` };
    parts.set(name, part.slice(eq + 1));
  }
  const freq = parts.get('FREQ');
  if (freq !== 'YEARLY' && freq !== 'MONTHLY' && freq !== 'WEEKLY' && freq !== 'DAILY') return { ok: false, why: `FREQ ${freq}` };
  const rule: OracleRule = { freq, interval: 1, weekStart: 1 };
  for (const [name, value] of parts) {
    switch (name) {
      case 'INTERVAL':
      case 'COUNT': {
        if (!/^\d{1,6}$/.test(value) || Number(value) < 1) return { ok: false, why: `${name}=${value}` };
        if (name === 'INTERVAL') rule.interval = Number(value);
        else rule.count = Number(value);
        break;
      }
      case 'UNTIL': {
        const until = parseUntil(value);
        if (!until) return { ok: false, why: `UNTIL=${value}` };
        rule.until = until;
        break;
      }
      case 'WKST': {
        const weekday = WEEKDAY_CODES.indexOf(value as (typeof WEEKDAY_CODES)[number]);
        if (weekday < 0) return { ok: false, why: `WKST=${value}` };
        rule.weekStart = weekday;
        break;
      }
      case 'BYDAY': {
        const entries: WeekdayEntry[] = [];
        for (const item of value.split(',')) {
          const match = /^([+-]?\d{1,2})?(SU|MO|TU|WE|TH|FR|SA)$/.exec(item);
          if (!match) return { ok: false, why: `BYDAY item ${item}` };
          const weekday = WEEKDAY_CODES.indexOf(match[2] as (typeof WEEKDAY_CODES)[number]);
          if (match[1] === undefined) entries.push({ weekday });
          else {
            const ordinal = Number(match[1]);
            if (ordinal === 0 || Math.abs(ordinal) > 53) return { ok: false, why: `BYDAY ordinal ${item}` };
            entries.push({ weekday, ordinal });
          }
        }
        rule.byDay = entries;
        break;
      }
      case 'BYMONTH':
      case 'BYWEEKNO':
      case 'BYYEARDAY':
      case 'BYMONTHDAY':
      case 'BYSETPOS': {
        const [max, signed] = ({ BYMONTH: [12, false], BYWEEKNO: [53, true], BYYEARDAY: [366, true], BYMONTHDAY: [31, true], BYSETPOS: [366, true] } as const)[
          name
        ];
        const list = integerList(value, 1, max, signed);
        if (!list) return { ok: false, why: `${name}=${value}` };
        if (name === 'BYMONTH') rule.byMonth = list;
        else if (name === 'BYWEEKNO') rule.byWeekNo = list;
        else if (name === 'BYYEARDAY') rule.byYearDay = list;
        else if (name === 'BYMONTHDAY') rule.byMonthDay = list;
        else rule.bySetPos = list;
        break;
      }
    }
  }
  // Rule 7: where RFC 5545 says a part MUST NOT be used.
  if (rule.count !== undefined && rule.until !== undefined) return { ok: false, why: 'COUNT with UNTIL' };
  if (rule.byWeekNo && freq !== 'YEARLY') return { ok: false, why: 'BYWEEKNO unless YEARLY' };
  if (rule.byYearDay && freq !== 'YEARLY') return { ok: false, why: 'BYYEARDAY unless YEARLY' };
  if (rule.byMonthDay && freq === 'WEEKLY') return { ok: false, why: 'BYMONTHDAY with WEEKLY' };
  const hasOrdinal = rule.byDay?.some((entry) => entry.ordinal !== undefined) ?? false;
  if (hasOrdinal && (freq === 'WEEKLY' || freq === 'DAILY')) return { ok: false, why: 'BYDAY ordinal unless MONTHLY/YEARLY' };
  if (hasOrdinal && rule.byWeekNo) return { ok: false, why: 'BYDAY ordinal with BYWEEKNO' };
  const otherByPart = rule.byMonth || rule.byWeekNo || rule.byYearDay || rule.byMonthDay || rule.byDay;
  if (rule.bySetPos && !otherByPart) return { ok: false, why: 'BYSETPOS alone' };
  return { ok: true, rule };
}

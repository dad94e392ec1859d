/**
 * Wall-clock time → instant in an IANA zone, for the recurrence oracle. Written without
 * `src/domain/time-zone.ts`: the engine probes weekly and binary-searches transitions;
 * this asks `Intl` for the offset a day and a half either side of the wall time and
 * checks which offset, read back, reproduces that wall time.
 *
 * The rules (docs/time-and-recurrence.md, "Instants and wall-clock times"):
 * - a wall time that exists once is that instant;
 * - a wall time that exists twice (a repeated hour) is the earlier instant;
 * - a wall time in a gap moves forward by the gap's length, which is the same as reading
 *   it with the offset in force *before* the change.
 *
 * Assumes at most one offset change within ±2.5 days of any wall time, true of every
 * zone the differential test uses in 2000–2045 (Pacific/Apia's skipped day included).
 */
import type { DayNumber } from './recurrence-oracle-calendar';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The zone's UTC offset (ms, local − UTC) at an instant, to the second. */
export function offsetAt(zone: string, utcMs: number): number {
  let cache = offsetCache.get(zone);
  if (!cache) offsetCache.set(zone, (cache = new Map()));
  const cached = cache.get(utcMs);
  if (cached !== undefined) return cached;
  const fields: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const local = Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
  const offset = local - Math.floor(utcMs / 1000) * 1000;
  if (cache.size > 500_000) cache.clear();
  cache.set(utcMs, offset);
  return offset;
}

/** The instant (ms since epoch) of local date `day` at `seconds` after midnight in `zone`. */
export function wallTimeToInstant(zone: string, day: DayNumber, seconds: number): number {
  const wall = day * DAY + seconds * 1000;
  // Probe on whole hours so that neighbouring days share cache entries.
  const before = offsetAt(zone, Math.floor((wall - 60 * HOUR) / HOUR) * HOUR);
  const after = offsetAt(zone, Math.ceil((wall + 60 * HOUR) / HOUR) * HOUR);
  const valid: number[] = [];
  for (const offset of before === after ? [before] : [before, after]) {
    const instant = wall - offset;
    if (offsetAt(zone, instant) === offset) valid.push(instant);
  }
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: the offset before the change carries the wall time past it by the gap's length.
  return wall - before;
}

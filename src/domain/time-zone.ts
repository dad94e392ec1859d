import { daysFromCivil } from './calendar';

/**
 * Wall-clock ⇄ instant conversion for an IANA time zone.
 *
 * Why not luxon per occurrence: a `DateTime.fromObject` per occurrence costs more
 * than `rrule` itself, and luxon resolves an ambiguous (fall-back) wall time to the
 * *later* instant while we want the earlier one. Instead a `ZoneTimeline` probes the
 * zone's UTC offset once a week with a cached `Intl.DateTimeFormat`, binary-searches
 * the exact instant of each offset change, and then converts every wall time with
 * arithmetic. Assumption (true of every modern tzdb zone): a zone changes its offset
 * at most once in any 7-day span.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
const timelines = new Map<string, ZoneTimeline[]>();
/** A shared timeline is reused for instants at most this far outside what it covers. */
const REUSE_DISTANCE = 2 * 366 * 86_400_000;
const TIMELINES_PER_ZONE = 8;
const MINUTE = 60_000;
const WEEK = 7 * 86_400_000;
/** Wider than any UTC offset (±14h) plus a day, so lookups near a transition see both sides. */
const MARGIN = 40 * 3_600_000;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, fmt);
  }
  return fmt;
}

/**
 * True when the runtime knows `timeZone` as an IANA zone (or `UTC`).
 *
 * @example
 * ```ts
 * import { isValidTimeZone } from 'academy-scheduling/domain';
 * isValidTimeZone('America/New_York'); // true
 * isValidTimeZone('Mars/Olympus_Mons'); // false
 * ```
 */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** UTC offset (ms) of `timeZone` at `instant`, read from Intl; the one expensive call. */
function probeOffset(fmt: Intl.DateTimeFormat, instant: number): number {
  const t = Math.floor(instant / 1000) * 1000;
  // en-US numeric output is "M/D/YYYY, HH:MM:SS"; read the six numbers in that order.
  const n = fmt.format(t).match(/\d+/g);
  if (!n || n.length !== 6) throw new Error(`unexpected Intl output for ${fmt.resolvedOptions().timeZone}`);
  const hour = Number(n[3]) % 24;
  const wall = (daysFromCivil(Number(n[2]), Number(n[0]), Number(n[1])) * 86_400 + hour * 3600 + Number(n[4]) * 60 + Number(n[5])) * 1000;
  return wall - t;
}

/**
 * A lazily built, piecewise-constant offset table of one zone. Segment `k` covers
 * instants `[starts[k], starts[k+1])` with offset `offsets[k]` (ms, local − UTC).
 *
 * @internal
 */
export class ZoneTimeline {
  private readonly fmt: Intl.DateTimeFormat;
  private starts: number[] = [];
  private offsets: number[] = [];
  private coveredFrom = 0;
  private coveredUntil = 0;
  private hint = 0;

  constructor(readonly timeZone: string) {
    this.fmt = formatterFor(timeZone);
  }

  /**
   * A shared timeline of a zone for instants around `near`. Offsets are a fixed fact of
   * the runtime's tz data, so sharing what earlier calls probed keeps results identical
   * and makes repeat calls cheap.
   */
  static for(timeZone: string, near: number): ZoneTimeline {
    // Several timelines per zone, so a call about 1950 does not probe every week up to 2025.
    const list = timelines.get(timeZone) ?? [];
    timelines.set(timeZone, list);
    const found = list.find((t) => t.starts.length > 0 && near >= t.coveredFrom - REUSE_DISTANCE && near <= t.coveredUntil + REUSE_DISTANCE);
    if (found) return found;
    const timeline = new ZoneTimeline(timeZone);
    list.push(timeline);
    if (list.length > TIMELINES_PER_ZONE) list.shift();
    return timeline;
  }

  /**
   * Instant (epoch ms) of a wall-clock time given as "floating" ms (the wall time's
   * fields read as if UTC). A wall time in a gap moves forward by the gap's length
   * (02:30 on a spring-forward night → 03:30); an ambiguous one resolves to the
   * earlier instant.
   */
  toInstant(floating: number): number {
    this.ensure(floating - MARGIN, floating + MARGIN);
    const { starts, offsets } = this;
    const last = starts.length - 1;
    // The wall times of segment k are [starts[k] + offsets[k], starts[k+1] + offsets[k]);
    // find the first segment whose wall range ends after `floating`.
    let k = this.hint <= last && this.localEnd(this.hint - 1) <= floating ? this.hint : 0;
    while (k < last && this.localEnd(k) <= floating) k++;
    this.hint = k;
    const offset = offsets[k] as number;
    if (k === 0 || floating >= (starts[k] as number) + offset) return floating - offset;
    // `floating` fell in the gap before segment k: apply the pre-transition offset.
    return floating - (offsets[k - 1] as number);
  }

  /** Floating ms (wall-clock time read as UTC) of an instant in this zone. */
  toFloating(instant: number): number {
    this.ensure(instant - MARGIN, instant + MARGIN);
    const { starts, offsets } = this;
    let k = starts.length - 1;
    while (k > 0 && (starts[k] as number) > instant) k--;
    return instant + (offsets[k] as number);
  }

  private localEnd(k: number): number {
    if (k < 0) return -Infinity;
    const next = this.starts[k + 1];
    return next === undefined ? Infinity : next + (this.offsets[k] as number);
  }

  private ensure(from: number, until: number): void {
    if (this.starts.length === 0) {
      const t = Math.floor(from / MINUTE) * MINUTE;
      this.starts.push(t);
      this.offsets.push(probeOffset(this.fmt, t));
      this.coveredFrom = t;
      this.coveredUntil = t;
    }
    while (this.coveredUntil < until) {
      const prev = this.coveredUntil;
      const next = prev + WEEK;
      const before = this.offsets[this.offsets.length - 1] as number;
      const after = probeOffset(this.fmt, next);
      if (after !== before) {
        this.starts.push(this.findChange(prev, next, before, after));
        this.offsets.push(after);
      }
      this.coveredUntil = next;
    }
    while (this.coveredFrom > from) {
      const next = this.coveredFrom;
      const prev = next - WEEK;
      const after = this.offsets[0] as number;
      const before = probeOffset(this.fmt, prev);
      if (before !== after) {
        this.starts[0] = this.findChange(prev, next, before, after);
        this.starts.unshift(prev);
        this.offsets.unshift(before);
        this.hint++;
      } else {
        this.starts[0] = prev;
      }
      this.coveredFrom = prev;
    }
  }

  /** First instant in (lo, hi] whose offset is no longer `before`. */
  private findChange(lo: number, hi: number, before: number, after: number): number {
    // Offsets of whole minutes change on whole minutes; old LMT offsets need seconds.
    const step = before % MINUTE === 0 && after % MINUTE === 0 ? MINUTE : 1000;
    while (hi - lo > step) {
      const mid = lo + Math.floor((hi - lo) / (2 * step)) * step;
      if (probeOffset(this.fmt, mid) === before) lo = mid;
      else hi = mid;
    }
    return hi;
  }
}

import { civilFromDays, daysFromCivil, daysInMonth, weekdayOf } from './calendar';

/**
 * Candidate local dates (day numbers, ascending) of the built-in pattern types.
 * Each generator returns the next candidate on every call; once candidates pass
 * `limitDay` it returns a day beyond it (or `Infinity` when no day can ever match),
 * so a caller loop always ends.
 */
export type NextDay = () => number;

/** Bit mask of weekdays (bit 0 = Sunday … bit 6 = Saturday); 0 means "no filter". */
export function weekdayMask(days: readonly number[] | null | undefined): number {
  let mask = 0;
  for (const d of days ?? []) mask |= 1 << d;
  return mask;
}

/**
 * Every `interval` days from `startDay`, keeping only weekdays in `mask` (if any).
 *
 * @internal
 */
export function dailyDays(startDay: number, interval: number, mask: number, fromDay: number): NextDay {
  if (mask !== 0) {
    // Stepping by `interval` visits a fixed cycle of weekdays; if none is wanted, nothing ever matches.
    let reachable = 0;
    for (let k = 0; k < 7; k++) reachable |= 1 << weekdayOf(startDay + k * interval);
    if ((reachable & mask) === 0) return () => Infinity;
  }
  let day = startDay + (fromDay > startDay ? Math.floor((fromDay - startDay) / interval) * interval : 0);
  return () => {
    for (;;) {
      const d = day;
      day += interval;
      if (mask === 0 || (mask & (1 << weekdayOf(d))) !== 0) return d;
    }
  };
}

/**
 * The weekdays in `mask` (default: `startDay`'s weekday) of every `interval`-th week,
 * weeks starting on Monday and counted from the week containing `startDay`.
 *
 * @internal
 */
export function weeklyDays(startDay: number, interval: number, mask: number, fromDay: number): NextDay {
  const firstMonday = startDay - ((weekdayOf(startDay) + 6) % 7);
  const effective = mask === 0 ? 1 << weekdayOf(startDay) : mask;
  // Offsets from Monday, so candidates inside a week come out in date order.
  const offsets: number[] = [];
  for (let fromMonday = 0; fromMonday < 7; fromMonday++) {
    if ((effective & (1 << ((fromMonday + 1) % 7))) !== 0) offsets.push(fromMonday);
  }
  let week = fromDay > startDay ? Math.floor((fromDay - firstMonday) / 7 / interval) * interval : 0;
  let index = 0;
  return () => {
    for (;;) {
      const d = firstMonday + week * 7 + (offsets[index] as number);
      index++;
      if (index === offsets.length) {
        index = 0;
        week += interval;
      }
      if (d >= startDay) return d;
    }
  };
}

/**
 * `startDay`'s day of the month in every `interval`-th month; months without that
 * day are skipped (RFC 5545), and weekdays outside `mask` (if any) are dropped.
 *
 * @internal
 */
export function monthlyDays(startDay: number, interval: number, mask: number, fromDay: number, limitDay: number): NextDay {
  const [y0, m0, dayOfMonth] = civilFromDays(startDay);
  const firstMonth = y0 * 12 + (m0 - 1);
  let k = 0;
  if (fromDay > startDay) {
    const [fy, fm] = civilFromDays(fromDay);
    k = Math.max(0, Math.floor((fy * 12 + (fm - 1) - firstMonth) / interval) - 1) * interval;
  }
  return () => {
    for (;;) {
      const monthIndex = firstMonth + k;
      k += interval;
      const year = Math.floor(monthIndex / 12);
      const month = (monthIndex % 12) + 1;
      if (dayOfMonth <= daysInMonth(year, month)) {
        const d = daysFromCivil(year, month, dayOfMonth);
        if (mask === 0 || (mask & (1 << weekdayOf(d))) !== 0) return d;
      }
      const monthStart = daysFromCivil(year, month, 1);
      if (monthStart > limitDay) return monthStart;
    }
  };
}

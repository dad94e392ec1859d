/**
 * Calendar arithmetic on plain integers: a local date is a day number (days since
 * 1970-01-01 in the proleptic Gregorian calendar) and a time of day is a number of
 * seconds since midnight. Integer maths keeps recurrence expansion fast and avoids
 * `Date.UTC`'s quirk of mapping years 0–99 to 1900–1999.
 */

export const MS_PER_DAY = 86_400_000;
export const SECONDS_PER_DAY = 86_400;

/**
 * Days since 1970-01-01 for a Gregorian date (Howard Hinnant's `days_from_civil`).
 *
 * @internal
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The Gregorian `[year, month, day]` of a day number (Hinnant's `civil_from_days`).
 *
 * @internal
 */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/**
 * Day number of a validated `YYYY-MM-DD` string.
 *
 * @internal
 */
export function parseLocalDate(value: string): number {
  return daysFromCivil(Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8, 10)));
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * `YYYY-MM-DD` for a day number (years 1000–9999).
 *
 * @internal
 */
export function formatLocalDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/**
 * Day of week of a day number, 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
 *
 * @internal
 */
export function weekdayOf(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

/**
 * Number of days in a month.
 *
 * @internal
 */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Seconds since midnight of a validated `HH:MM` / `HH:MM:SS` string
 * (`24:00:00` is accepted as the end of the day, as Postgres `time` allows).
 *
 * @internal
 */
export function parseTimeOfDay(value: string): number {
  const h = Number(value.slice(0, 2));
  const m = Number(value.slice(3, 5));
  const s = value.length >= 8 ? Number(value.slice(6, 8)) : 0;
  return h * 3600 + m * 60 + s;
}

/**
 * `HH:MM:SS` for a number of seconds since midnight.
 *
 * @internal
 */
export function formatTimeOfDay(seconds: number): string {
  return `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor((seconds % 3600) / 60))}:${pad2(seconds % 60)}`;
}

/**
 * Proleptic Gregorian date maths for the recurrence oracle, written from scratch so the
 * oracle shares nothing with `src/domain/calendar.ts`. A date is a day number: days
 * since 1970-01-01. Weekdays use the pattern row's convention, 0 = Sunday … 6 = Saturday.
 */

export type DayNumber = number;

/** Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
export function dayNumber(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** The civil date of a day number (Howard Hinnant's civil_from_days). */
export function civilDate(n: DayNumber): CivilDate {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: era * 400 + yoe + (month <= 2 ? 1 : 0), month, day };
}

/** 1970-01-01 was a Thursday. */
export const weekdayOf = (n: DayNumber): number => (((n + 4) % 7) + 7) % 7;

export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export const daysInYear = (year: number): number => (isLeapYear(year) ? 366 : 365);

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** `YYYY-MM-DD` of a day number. */
export function formatDay(n: DayNumber): string {
  const { year, month, day } = civilDate(n);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Day number of a `YYYY-MM-DD` (or `YYYYMMDD`) string. */
export function parseDay(text: string): DayNumber {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text);
  if (!match) throw new Error(`not a date: ${text}`);
  return dayNumber(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** The same month and day `years` later; 29 February becomes 28 February in a common year. */
export function addYears(n: DayNumber, years: number): DayNumber {
  const { year, month, day } = civilDate(n);
  return dayNumber(year + years, month, Math.min(day, daysInMonth(year + years, month)));
}

/** First day of the week (starting on weekday `weekStart`) that contains `n`. */
export const startOfWeek = (n: DayNumber, weekStart: number): DayNumber => n - ((weekdayOf(n) - weekStart + 7) % 7);

/**
 * First day of week 1 of a week-numbering year: the first week starting on `weekStart`
 * that has at least four days in `year` (RFC 5545 BYWEEKNO; ISO 8601 when Monday).
 */
export function firstDayOfWeekOne(year: number, weekStart: number): DayNumber {
  const jan1 = dayNumber(year, 1, 1);
  const weekOfJan1 = startOfWeek(jan1, weekStart);
  const daysInYearOfThatWeek = 7 - (jan1 - weekOfJan1);
  return daysInYearOfThatWeek >= 4 ? weekOfJan1 : weekOfJan1 + 7;
}

/** How many weeks (52 or 53) a week-numbering year has. */
export const weeksInWeekYear = (year: number, weekStart: number): number => (firstDayOfWeekOne(year + 1, weekStart) - firstDayOfWeekOne(year, weekStart)) / 7;

/** Seconds since midnight of `HH:MM[:SS]` (24:00:00 allowed). */
export function secondsOfTime(text: string): number {
  const match = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!match) throw new Error(`not a time: ${text}`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0);
}

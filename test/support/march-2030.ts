/**
 * The calendar the availability parity tests draw from: the fortnight of March 2030
 * around New York's DST change (2030-03-10), in quarters of an hour.
 */

/** Quarter `quarter` of the day (0 = 00:00, 4 = 01:00, …) as `HH:MM`. */
export const hhmm = (quarter: number): string => `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;

/** 2030-03-03 is a Sunday: day-of-month of weekday `dow` in week `week` of the range. */
export const dateOfWeekday = (dow: number, week: number): number => 3 + dow + 7 * week + (dow === 0 && week === 0 ? 7 : 0);

/** Day `day` of March 2030 as `YYYY-MM-DD`. */
export const march = (day: number): string => `2030-03-${String(day).padStart(2, '0')}`;

/**
 * A week's timetable as terminal lines: one row per class, grouped by local day.
 */
import type { SessionRow } from '../../src';
import type { LocalTimeFormat } from '../shared/local-time';

export interface TimetableNames {
  /** Display names by instructor id and facility id. */
  instructors: ReadonlyMap<string, string>;
  facilities: ReadonlyMap<string, string>;
}

/**
 * Rows such as `Sat 12 Jan  10:00–10:45  Level 1 – Saturday  Teaching pool  Maya Ortiz  5/5 full`,
 * in the order given (`sessions.list` returns them by start time), with the day
 * printed once per day.
 *
 * @example
 * ```ts
 * const lines = formatTimetable(await scheduler.sessions.list(admin, { locationId, from, until }), names, local);
 * ```
 */
export function formatTimetable(sessions: readonly SessionRow[], names: TimetableNames, local: LocalTimeFormat): string[] {
  const rows = sessions.map((session) => [
    local.day(session.startTime),
    local.range(session.startTime, session.endTime),
    session.title,
    names.facilities.get(session.facilityId) ?? '?',
    (session.instructorId && names.instructors.get(session.instructorId)) ?? 'no instructor',
    `${session.currentBookings}/${session.capacity}${session.currentBookings >= session.capacity ? ' full' : ''}`,
  ]);
  const widths = rows.reduce((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), [] as number[]);
  return rows.map((row, i) => {
    const sameDay = i > 0 && rows[i - 1]![0] === row[0];
    const cells = [sameDay ? '' : row[0]!, ...row.slice(1)];
    return cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ');
  });
}

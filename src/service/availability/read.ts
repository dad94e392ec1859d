import { ACTIVE_SESSION_STATUSES } from '../../domain/statuses';
import { sqlList } from '../../db/sql-list';
import { and, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { computeAvailabilityWindows, findFreeSlots, type AvailabilityRow, type FreeSlot } from '../../domain';
import { queryRows } from '../../db/query';
import { instructorAvailability, sessions } from '../../schema/unqualified';
import { instantRangeIn } from '../kernel/inputs';
import { loadInstructor, loadLocation } from '../kernel/lookups';
import { type LocalTimes, localTimesOf } from '../kernel/session-fields';
import type { SchedulingDb } from '../../db/scheduling-db';
import { FREE_SLOTS_MAX_DAYS, freeSlotsSchema, findAvailableInstructorsSchema } from './inputs';

const DAY_MS = 86_400_000;

/** An instructor free to teach the requested time. */
export interface AvailableInstructor {
  instructorId: string;
  firstName: string;
  lastName: string;
  email: string;
  /** How many sessions they may lead at once then. */
  limit: number;
  /** Their active sessions (anywhere) overlapping the time. */
  overlappingSessions: number;
}

/**
 * The reference schema's "check instructor availability" query, done right. The
 * reference compared only `day_of_week` and times (never dates, effective ranges,
 * exceptions or breaks), checked a session's start `::time` against the slot for
 * every date, and counted only sessions inside the slot. Here coverage follows the
 * database's own `covering_availability` rules (location zone, effective dates,
 * exception > temporary > regular, days off, breaks), and the instructor's active
 * sessions anywhere in `[start, end)` must leave room under the limit of
 * `instructor_session_limit` (peak concurrency, not a plain count).
 *
 * One set-based statement for all instructors: calling those SQL functions once per
 * instructor cost a planned sub-query each (hundreds of ms for 200 instructors).
 * {@link availableInstructorsQuery} restates them over every instructor at once;
 * `test/db/available-instructors-parity` proves both give the same answers.
 *
 * @internal
 */
export async function findAvailableInstructors(tx: SchedulingDb, input: z.output<typeof findAvailableInstructorsSchema>): Promise<AvailableInstructor[]> {
  await loadLocation(tx, input.locationId);
  const rows = await queryRows<{ instructor_id: string; first_name: string; last_name: string; email: string; lim: number; overlapping: number }>(
    tx,
    availableInstructorsQuery(input.locationId, input.start, input.end),
  );
  return rows.map((r) => ({
    instructorId: r.instructor_id,
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    limit: Number(r.lim),
    overlappingSessions: Number(r.overlapping),
  }));
}

/**
 * The statement behind {@link findAvailableInstructors}. `covering_availability` for
 * every instructor at once: the rows that apply on the local date, the layer that
 * wins per instructor (a day off, else exceptions, else a temporary schedule whose
 * dates include the day — even one listing other weekdays — else regular), the rows
 * of that layer covering `[start, end)` outside their breaks. The limit is the largest
 * of theirs (`instructor_session_limit`). Active sessions overlapping the slot are read
 * through `idx_sessions_instructor_schedule`, one bounded range per candidate, and the
 * peak is computed only for candidates that have any.
 */
export function availableInstructorsQuery(locationId: string, startInstant: Date, endInstant: Date): SQL {
  const start = startInstant.toISOString();
  const end = endInstant.toISOString();
  return sql`WITH day AS (
      SELECT ls::date AS d, extract(dow FROM ls)::int AS dow, ls::time AS st,
             CASE WHEN le::date = ls::date + 1 AND le::time = '00:00' THEN '24:00'::time ELSE le::time END AS et,
             le::date = ls::date OR (le::date = ls::date + 1 AND le::time = '00:00') AS same_day
      FROM (SELECT ${start}::timestamptz AT TIME ZONE l.timezone AS ls, ${end}::timestamptz AT TIME ZONE l.timezone AS le
            FROM locations l WHERE l.id = ${locationId}::uuid) AS local_times
    ),
    dated AS (
      SELECT ia.*, (ia.specific_date = day.d
                    OR (ia.specific_date IS NULL AND day.d >= ia.effective_from
                        AND (ia.effective_until IS NULL OR day.d <= ia.effective_until))) AS in_dates,
             ia.specific_date = day.d OR ia.day_of_week = day.dow AS on_day
      FROM instructor_availability ia, day
      WHERE coalesce(ia.is_active, true)
        AND (ia.location_id IS NULL OR ia.location_id = ${locationId}::uuid)
    ),
    layer AS (
      SELECT instructor_id,
             CASE WHEN bool_or(availability_type = 'exception' AND max_concurrent_sessions = 0 AND on_day) THEN 'day_off'
                  WHEN bool_or(availability_type = 'exception' AND on_day) THEN 'exception'
                  WHEN bool_or(availability_type = 'temporary') THEN 'temporary'
                  ELSE 'regular' END AS t
      FROM dated WHERE in_dates
      GROUP BY instructor_id
    ),
    candidates AS (
      SELECT i.id, i.first_name, i.last_name, i.email, max(coalesce(a.max_concurrent_sessions, 1)) AS lim
      FROM dated a
      JOIN layer ON layer.instructor_id = a.instructor_id AND a.availability_type = layer.t
      JOIN instructors i ON i.id = a.instructor_id AND i.is_active
      CROSS JOIN day
      WHERE a.in_dates AND a.on_day AND day.same_day
        AND coalesce(a.max_concurrent_sessions, 1) > 0
        AND a.start_time <= day.st AND a.end_time >= day.et
        AND NOT (a.break_start_time IS NOT NULL AND coalesce(a.break_duration_minutes, 0) > 0
                 AND day.st < a.break_start_time + make_interval(mins => a.break_duration_minutes)
                 AND a.break_start_time < day.et)
      GROUP BY i.id
    ),
    busy AS (
      SELECT c.id, b.overlapping,
             CASE WHEN b.overlapping = 0 THEN 1
                  ELSE peak_concurrency(${start}::timestamptz, ${end}::timestamptz, b.starts, b.ends) END AS peak
      FROM candidates c
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS overlapping, array_agg(s.start_time) AS starts, array_agg(s.end_time) AS ends
        FROM sessions s
        WHERE s.instructor_id = c.id AND s.status IN ${sqlList(ACTIVE_SESSION_STATUSES)}
          -- sessions last at most 24 hours: bounds the index range
          AND s.start_time > ${start}::timestamptz - interval '24 hours'
          AND s.start_time < ${end}::timestamptz AND s.end_time > ${start}::timestamptz
      ) AS b
    )
    SELECT c.id AS instructor_id, c.first_name, c.last_name, c.email, c.lim, b.overlapping
    FROM candidates c JOIN busy b ON b.id = c.id
    WHERE b.peak <= c.lim
    ORDER BY c.last_name, c.first_name, c.id`;
}

/** A free slot of `availability.freeSlots`, with its times on the location's wall clocks. */
export type LocalFreeSlot = FreeSlot & { local: LocalTimes };

/**
 * Bookable slots of one instructor at a location: the domain's availability windows
 * in the location's time zone, minus their active sessions anywhere (`findFreeSlots`),
 * each with `local`, its times in the location's zone. Local `{ date }` bounds are
 * read in `timeZone`, else in the location's zone.
 *
 * @internal
 */
export async function freeSlots(tx: SchedulingDb, input: z.output<typeof freeSlotsSchema>): Promise<LocalFreeSlot[]> {
  const location = await loadLocation(tx, input.locationId);
  const range = instantRangeIn(input, ['from', 'until'], input.timeZone ?? location.timezone, {
    maxDays: FREE_SLOTS_MAX_DAYS,
    tooLong: `at most ${FREE_SLOTS_MAX_DAYS} days per call`,
  });
  const from = range.from!;
  const until = range.until!;
  await loadInstructor(tx, input.instructorId);
  const rows = await tx
    .select()
    .from(instructorAvailability)
    .where(
      and(
        eq(instructorAvailability.instructorId, input.instructorId),
        or(isNull(instructorAvailability.locationId), eq(instructorAvailability.locationId, input.locationId)),
      ),
    );
  // Local dates of the range in any zone: pad a day each side.
  const fromDate = new Date(from.getTime() - DAY_MS).toISOString().slice(0, 10);
  const toDate = new Date(until.getTime() + DAY_MS).toISOString().slice(0, 10);
  const windows = computeAvailabilityWindows({ rows: rows as AvailabilityRow[], fromDate, toDate, timeZone: location.timezone });
  const busy = await tx
    .select({ instructorId: sessions.instructorId, start: sessions.startTime, end: sessions.endTime })
    .from(sessions)
    .where(
      and(
        eq(sessions.instructorId, input.instructorId),
        inArray(sessions.status, [...ACTIVE_SESSION_STATUSES]),
        gt(sessions.startTime, new Date(from.getTime() - DAY_MS)),
        lt(sessions.startTime, until),
        gt(sessions.endTime, from),
      ),
    );
  const slots = findFreeSlots({
    windows,
    busy: busy.map((b) => ({ instructorId: b.instructorId!, start: b.start, end: b.end })),
    durationMinutes: input.durationMinutes,
    stepMinutes: input.stepMinutes,
    from,
    until,
  });
  return slots.map((slot) => ({ ...slot, local: localTimesOf(slot.start, slot.end, location.timezone) }));
}

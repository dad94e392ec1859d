import { and, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { computeAvailabilityWindows, findFreeSlots, type AvailabilityRow, type FreeSlot } from '../domain';
import { queryRows } from '../internal/db';
import { instructorAvailability, sessions } from '../schema';
import { instantInput, requireTimeOrder, uuidInput } from './input-schemas';
import { loadInstructor, loadLocation } from './references';
import type { SchedulingDb } from './scheduling-db';

const DAY_MS = 86_400_000;

/**
 * Input of `availability.findAvailableInstructors`: who could teach `[start, end)` at a location.
 *
 * @example
 * ```ts
 * findAvailableInstructorsSchema.parse({ locationId, start: new Date('2030-01-14T15:00Z'), end: new Date('2030-01-14T16:00Z') });
 * ```
 */
export const findAvailableInstructorsSchema = z
  .strictObject({ locationId: uuidInput, start: instantInput, end: instantInput })
  .superRefine(requireTimeOrder('start', 'end'));

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
 * every date, and counted only sessions inside the slot. Here the database's own
 * `covering_availability` (location zone, effective dates, exception > temporary >
 * regular, days off, breaks) decides coverage, and the instructor's active sessions
 * anywhere in `[start, end)` must leave room under `instructor_session_limit`
 * (peak concurrency, not a plain count).
 *
 * @example
 * ```ts
 * const free = await findAvailableInstructors(tx, { locationId, start, end });
 * ```
 */
export async function findAvailableInstructors(tx: SchedulingDb, input: z.output<typeof findAvailableInstructorsSchema>): Promise<AvailableInstructor[]> {
  await loadLocation(tx, input.locationId);
  const start = input.start.toISOString();
  const end = input.end.toISOString();
  const rows = await queryRows<{ instructor_id: string; first_name: string; last_name: string; email: string; lim: number; overlapping: number; peak: number }>(
    tx,
    sql`WITH candidates AS (
          SELECT i.id, i.first_name, i.last_name, i.email,
                 scheduling.instructor_session_limit(i.id, ${input.locationId}::uuid, ${start}::timestamptz, ${end}::timestamptz) AS lim
          FROM scheduling.instructors i
          WHERE i.is_active
            AND EXISTS (SELECT 1 FROM scheduling.covering_availability(i.id, ${input.locationId}::uuid, ${start}::timestamptz, ${end}::timestamptz))
        ),
        busy AS (
          SELECT c.id, count(s.id)::int AS overlapping,
                 scheduling.peak_concurrency(${start}::timestamptz, ${end}::timestamptz,
                   coalesce(array_agg(s.start_time) FILTER (WHERE s.id IS NOT NULL), '{}'),
                   coalesce(array_agg(s.end_time) FILTER (WHERE s.id IS NOT NULL), '{}')) AS peak
          FROM candidates c
          LEFT JOIN scheduling.sessions s
            ON s.instructor_id = c.id AND s.status IN ('scheduled', 'in_progress')
           AND s.start_time > ${start}::timestamptz - interval '24 hours'
           AND s.start_time < ${end}::timestamptz AND s.end_time > ${start}::timestamptz
          GROUP BY c.id
        )
        SELECT c.id AS instructor_id, c.first_name, c.last_name, c.email, c.lim, b.overlapping, b.peak
        FROM candidates c JOIN busy b ON b.id = c.id
        WHERE b.peak <= c.lim
        ORDER BY c.last_name, c.first_name, c.id`,
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
 * Input of `availability.freeSlots`.
 *
 * @example
 * ```ts
 * freeSlotsSchema.parse({ instructorId, locationId, from, until, durationMinutes: 45 });
 * ```
 */
export const freeSlotsSchema = z
  .strictObject({
    instructorId: uuidInput,
    locationId: uuidInput,
    from: instantInput,
    until: instantInput,
    durationMinutes: z.number().int().min(1).max(1440),
    stepMinutes: z.number().int().min(1).max(1440).default(15),
  })
  .refine((v) => v.until.getTime() > v.from.getTime(), { message: 'until must be after from', path: ['until'] })
  .refine((v) => v.until.getTime() - v.from.getTime() <= 92 * DAY_MS, { message: 'at most 92 days per call', path: ['until'] });

/**
 * Bookable slots of one instructor at a location: the domain's availability windows
 * in the location's time zone, minus their active sessions anywhere (`findFreeSlots`).
 *
 * @example
 * ```ts
 * const slots = await freeSlots(tx, { instructorId, locationId, from, until, durationMinutes: 60, stepMinutes: 30 });
 * ```
 */
export async function freeSlots(tx: SchedulingDb, input: z.output<typeof freeSlotsSchema>): Promise<FreeSlot[]> {
  const location = await loadLocation(tx, input.locationId);
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
  const fromDate = new Date(input.from.getTime() - DAY_MS).toISOString().slice(0, 10);
  const toDate = new Date(input.until.getTime() + DAY_MS).toISOString().slice(0, 10);
  const windows = computeAvailabilityWindows({ rows: rows as AvailabilityRow[], fromDate, toDate, timeZone: location.timezone });
  const busy = await tx
    .select({ instructorId: sessions.instructorId, start: sessions.startTime, end: sessions.endTime })
    .from(sessions)
    .where(
      and(
        eq(sessions.instructorId, input.instructorId),
        inArray(sessions.status, ['scheduled', 'in_progress']),
        gt(sessions.startTime, new Date(input.from.getTime() - DAY_MS)),
        lt(sessions.startTime, input.until),
        gt(sessions.endTime, input.from),
      ),
    );
  return findFreeSlots({
    windows,
    busy: busy.map((b) => ({ instructorId: b.instructorId!, start: b.start, end: b.end })),
    durationMinutes: input.durationMinutes,
    stepMinutes: input.stepMinutes,
    from: input.from,
    until: input.until,
  });
}

import * as z from 'zod/mini';
import { ACTIVE_SESSION_STATUSES, BOOKING_STATUSES, SESSION_STATUSES, isOneOf } from './statuses';
import { allowanceMapSchema, idSchema, instantSchema } from './schemas';
import { crowdedRegions, sweepOverlaps } from './intervals';
import { parseInput } from './validate';

/** Session statuses of the reference schema; only `scheduled` and `in_progress` are active. */
export const sessionStatusSchema = z.enum(SESSION_STATUSES);
export type { SessionStatus } from './statuses';
/** Booking statuses of the reference schema; only `confirmed` bookings count. */
export const bookingStatusSchema = z.enum(BOOKING_STATUSES);
export type { BookingStatus } from './statuses';

/** The reference schema's `schedule_conflicts.conflict_type` values. */
export type ConflictType = 'instructor_double_booking' | 'facility_overlap' | 'student_conflict' | 'capacity_exceeded' | 'availability_mismatch';
/** The reference schema's `schedule_conflicts.severity` values. */
export type ConflictSeverity = 'low' | 'medium' | 'high' | 'critical';

/**
 * Severity per conflict type. Overbooking is `critical` because students were
 * promised a place that does not exist; a person or room in two places is `high`; a
 * session outside published availability is `medium` (someone may have agreed to it).
 *
 * @example
 * ```ts
 * import { CONFLICT_SEVERITY } from 'academy-scheduling/domain';
 * CONFLICT_SEVERITY.capacity_exceeded; // 'critical'
 * ```
 */
export const CONFLICT_SEVERITY: Readonly<Record<ConflictType, ConflictSeverity>> = Object.freeze({
  instructor_double_booking: 'high',
  facility_overlap: 'high',
  student_conflict: 'high',
  capacity_exceeded: 'critical',
  availability_mismatch: 'medium',
});

const TYPE_ORDER: ConflictType[] = ['capacity_exceeded', 'instructor_double_booking', 'facility_overlap', 'student_conflict', 'availability_mismatch'];

const conflictSessionSchema = z.lazy(() =>
  z
    .object({
      id: idSchema,
      instructorId: z.nullish(idSchema),
      facilityId: z.nullish(idSchema),
      start: instantSchema,
      end: instantSchema,
      capacity: z.number().check(z.int(), z.gte(0)),
      status: sessionStatusSchema,
    })
    .check(z.refine((s) => s.end.getTime() > s.start.getTime(), { message: 'end must be after start', path: ['end'] })),
);

/**
 * Input of {@link detectConflicts}: sessions, bookings, availability windows, and how
 * many sessions each instructor / facility may run at once (default 1).
 * Built on its first parse (`z.lazy`), not when the package is imported.
 *
 * @example
 * ```ts
 * import { detectConflictsInputSchema } from 'academy-scheduling/domain';
 * detectConflictsInputSchema.parse({ sessions: [], bookings: [], facilityMaxConcurrent: { 'pool-1': 2 } });
 * ```
 */
export const detectConflictsInputSchema = z.lazy(() =>
  z
    .object({
      sessions: z.array(conflictSessionSchema),
      bookings: z._default(z.array(z.object({ bookingId: idSchema, sessionId: idSchema, studentId: idSchema, status: bookingStatusSchema })), []),
      availability: z._default(
        z.array(
          z
            .object({ instructorId: idSchema, start: instantSchema, end: instantSchema })
            .check(z.refine((w) => w.end.getTime() > w.start.getTime(), { message: 'end must be after start', path: ['end'] })),
        ),
        [],
      ),
      instructorMaxConcurrent: z.optional(allowanceMapSchema),
      facilityMaxConcurrent: z.optional(allowanceMapSchema),
    })
    .check(
      z.superRefine((input, ctx) => {
        const seen = new Set<string>();
        input.sessions.forEach((s, i) => {
          if (seen.has(s.id)) ctx.addIssue({ code: 'custom', message: `duplicate session id ${s.id}`, path: ['sessions', i, 'id'] });
          seen.add(s.id);
        });
        const bookings = new Set<string>();
        input.bookings.forEach((b, i) => {
          if (bookings.has(b.bookingId)) ctx.addIssue({ code: 'custom', message: `duplicate booking id ${b.bookingId}`, path: ['bookings', i, 'bookingId'] });
          bookings.add(b.bookingId);
        });
      }),
    ),
);

/** Input of {@link detectConflicts}. */
export type DetectConflictsInput = z.input<typeof detectConflictsInputSchema>;
type Session = z.output<typeof conflictSessionSchema>;

/** One detected conflict, shaped like a `schedule_conflicts` row. */
export interface ScheduleConflict {
  conflictType: ConflictType;
  severity: ConflictSeverity;
  sessionId: string;
  conflictingSessionId: string | null;
  instructorId: string | null;
  facilityId: string | null;
  studentId: string | null;
  /** Start of the conflicting time window. */
  start: Date;
  /** End (exclusive) of the conflicting time window. */
  end: Date;
  description: string;
  /** Confirmed bookings on the session(s) involved (1 for a student conflict). */
  affectedBookings: number;
}

/**
 * Every conflict in a set of sessions and bookings. Only active sessions
 * (`scheduled`, `in_progress`) and `confirmed` bookings take part.
 *
 * - `instructor_double_booking` / `facility_overlap`: more than N of the resource's
 *   sessions at one instant (N from the allowance maps, default 1); one conflict per
 *   overlapping pair whose overlap reaches the over-limit time, with the window
 *   spanning that over-limit part of the pair's overlap.
 * - `student_conflict`: one student confirmed on two overlapping sessions.
 * - `capacity_exceeded`: more confirmed bookings than capacity (window = the session).
 * - `availability_mismatch`: the instructor has windows in `availability` but none
 *   contains the session (an instructor without windows is never a mismatch).
 *
 * Bookings of sessions not in `sessions` are ignored. Results are sorted by window
 * start, conflict type, then ids.
 *
 * @example
 * ```ts
 * import { detectConflicts } from 'academy-scheduling/domain';
 * const at = (h: number) => new Date(Date.UTC(2025, 0, 15, h));
 * detectConflicts({
 *   sessions: [
 *     { id: 's1', instructorId: 'i1', facilityId: 'f1', start: at(10), end: at(11), capacity: 5, status: 'scheduled' },
 *     { id: 's2', instructorId: 'i1', facilityId: 'f2', start: at(10), end: at(12), capacity: 5, status: 'scheduled' },
 *   ],
 * }); // [{ conflictType: 'instructor_double_booking', sessionId: 's1', conflictingSessionId: 's2', start: at(10), end: at(11), ... }]
 * ```
 */
export function detectConflicts(input: DetectConflictsInput): ScheduleConflict[] {
  const parsed = parseInput(detectConflictsInputSchema, input);
  const active = parsed.sessions.filter((s) => isOneOf(ACTIVE_SESSION_STATUSES, s.status));
  const byId = new Map(active.map((s) => [s.id, s]));

  const bookingsBySession = new Map<string, number>();
  const sessionsByStudent = new Map<string, Session[]>();
  for (const b of parsed.bookings) {
    const session = byId.get(b.sessionId);
    if (b.status !== 'confirmed' || !session) continue;
    bookingsBySession.set(b.sessionId, (bookingsBySession.get(b.sessionId) ?? 0) + 1);
    const list = sessionsByStudent.get(b.studentId) ?? [];
    if (!list.includes(session)) list.push(session);
    sessionsByStudent.set(b.studentId, list);
  }
  const booked = (s: Session): number => bookingsBySession.get(s.id) ?? 0;

  const conflicts: ScheduleConflict[] = [];
  const base = { conflictingSessionId: null, instructorId: null, facilityId: null, studentId: null };

  const resourceConflicts = (key: 'instructorId' | 'facilityId', limits: Map<string, number> | undefined): void => {
    const conflictType = key === 'instructorId' ? 'instructor_double_booking' : 'facility_overlap';
    for (const [resourceId, sessions] of groupBy(active, (s) => s[key] ?? null)) {
      const limit = limits?.get(resourceId) ?? 1;
      forEachOverLimitPair(sessions, limit, (a, b, start, end) => {
        conflicts.push({
          ...base,
          conflictType,
          severity: CONFLICT_SEVERITY[conflictType],
          sessionId: a.id,
          conflictingSessionId: b.id,
          [key]: resourceId,
          start: new Date(start),
          end: new Date(end),
          description:
            key === 'instructorId'
              ? `Instructor ${resourceId} is booked on sessions ${a.id} and ${b.id} at the same time (allowed at once: ${limit})`
              : `Facility ${resourceId} hosts sessions ${a.id} and ${b.id} at the same time (allowed at once: ${limit})`,
          affectedBookings: booked(a) + booked(b),
        });
      });
    }
  };
  resourceConflicts('instructorId', parsed.instructorMaxConcurrent);
  resourceConflicts('facilityId', parsed.facilityMaxConcurrent);

  for (const [studentId, sessions] of sessionsByStudent) {
    forEachOverLimitPair(sessions, 1, (a, b, start, end) => {
      conflicts.push({
        ...base,
        conflictType: 'student_conflict',
        severity: CONFLICT_SEVERITY.student_conflict,
        sessionId: a.id,
        conflictingSessionId: b.id,
        studentId,
        start: new Date(start),
        end: new Date(end),
        description: `Student ${studentId} is booked on overlapping sessions ${a.id} and ${b.id}`,
        affectedBookings: 1,
      });
    });
  }

  for (const s of active) {
    const count = booked(s);
    if (count > s.capacity) {
      conflicts.push({
        ...base,
        conflictType: 'capacity_exceeded',
        severity: CONFLICT_SEVERITY.capacity_exceeded,
        sessionId: s.id,
        instructorId: s.instructorId ?? null,
        facilityId: s.facilityId ?? null,
        start: s.start,
        end: s.end,
        description: `Session ${s.id} has ${count} confirmed bookings for a capacity of ${s.capacity}`,
        affectedBookings: count,
      });
    }
  }

  const windowsByInstructor = groupBy(parsed.availability, (w) => w.instructorId);
  for (const s of active) {
    const windows = s.instructorId ? windowsByInstructor.get(s.instructorId) : undefined;
    if (!windows) continue;
    const fits = windows.some((w) => w.start.getTime() <= s.start.getTime() && s.end.getTime() <= w.end.getTime());
    if (!fits) {
      conflicts.push({
        ...base,
        conflictType: 'availability_mismatch',
        severity: CONFLICT_SEVERITY.availability_mismatch,
        sessionId: s.id,
        instructorId: s.instructorId ?? null,
        facilityId: s.facilityId ?? null,
        start: s.start,
        end: s.end,
        description: `Session ${s.id} is outside the availability of instructor ${s.instructorId}`,
        affectedBookings: booked(s),
      });
    }
  }

  return conflicts.sort(compareConflicts);
}

function compareConflicts(a: ScheduleConflict, b: ScheduleConflict): number {
  return (
    a.start.getTime() - b.start.getTime() ||
    TYPE_ORDER.indexOf(a.conflictType) - TYPE_ORDER.indexOf(b.conflictType) ||
    compareStrings(a.sessionId, b.sessionId) ||
    compareStrings(a.conflictingSessionId ?? '', b.conflictingSessionId ?? '') ||
    compareStrings(a.studentId ?? '', b.studentId ?? '') ||
    compareStrings(a.instructorId ?? '', b.instructorId ?? '') ||
    compareStrings(a.facilityId ?? '', b.facilityId ?? '')
  );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * Calls `emit` for each overlapping pair of `sessions` whose overlap contains time at
 * which more than `limit` of them run at once, with the hull of that over-limit part.
 */
function forEachOverLimitPair(sessions: readonly Session[], limit: number, emit: (earlier: Session, later: Session, start: number, end: number) => void): void {
  if (sessions.length <= limit) return;
  const starts = Float64Array.from(sessions, (s) => s.start.getTime());
  const ends = Float64Array.from(sessions, (s) => s.end.getTime());
  const regions = crowdedRegions(starts, ends, limit + 1);
  if (regions.length === 0) return;
  sweepOverlaps(starts, ends, (i, j) => {
    const from = Math.max(starts[i] as number, starts[j] as number);
    const to = Math.min(ends[i] as number, ends[j] as number);
    // Regions are sorted and disjoint: find the first ending after `from`.
    let lo = 0;
    let hi = regions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((regions[mid] as [number, number])[1] <= from) lo = mid + 1;
      else hi = mid;
    }
    const first = regions[lo];
    if (!first || first[0] >= to) return;
    let last = first;
    for (let r = lo + 1; r < regions.length && (regions[r] as [number, number])[0] < to; r++) last = regions[r] as [number, number];
    emit(sessions[i] as Session, sessions[j] as Session, Math.max(from, first[0]), Math.min(to, last[1]));
  });
}

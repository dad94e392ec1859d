import { ACTIVE_SESSION_STATUSES } from '../../domain/statuses';
import { sqlList } from '../../db/sql-list';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { SchedulingError } from '../../errors';
import { checkCapacity, detectConflicts, type CapacityPolicy, type ScheduleConflict, type SessionType } from '../../domain';
import { sessionBookings, sessions } from '../../schema/unqualified';
import { queryRows } from '../../db/query';
import type { SchedulingDb } from '../../db/scheduling-db';

/** A session as it would be after a create or change, to check before writing. */
export interface SessionCandidate {
  /** Null for a session not inserted yet. */
  id: string | null;
  sessionType: SessionType;
  capacity: number;
  minParticipants?: number | null;
  locationId: string;
  facility: { id: string; capacity: number | null; maxConcurrentSessions: number };
  instructorId: string | null;
  startTime: Date;
  endTime: Date;
  /** Which checks apply; the conflict trigger runs the same subset for the same change. */
  check: { overlaps: boolean; instructor: boolean; facility: boolean; facilitySize: boolean; students: boolean };
}

/** Codes a schedule check can refuse with. */
export type ScheduleProblemCode =
  'INVALID_INPUT' | 'CAPACITY_POLICY_VIOLATION' | 'CAPACITY_EXCEEDED' | 'INSTRUCTOR_DOUBLE_BOOKED' | 'FACILITY_OVERLAP' | 'STUDENT_CONFLICT';

/** One reason a session cannot be written as is. */
export interface ScheduleProblem {
  code: ScheduleProblemCode;
  message: string;
  /** An administrator override lets it through (recorded as a resolved conflict); policy and confirmed-booking limits never. */
  overridable: boolean;
  conflictingSessionIds: string[];
  /** For `STUDENT_CONFLICT`: each confirmed student and the sessions they clash with. */
  studentClashes?: Array<{ studentId: string; conflictingSessionIds: string[] }>;
  details: Record<string, unknown>;
}

const NEW_SESSION = 'new-session';
const DAY_MS = 86_400_000;

/**
 * Everything that would stop `candidate` from being written: capacity policy,
 * confirmed bookings above the capacity, instructor and facility concurrency,
 * facility size, and (when the session moves or comes back) each confirmed student's
 * other sessions. The overlap rules are the domain's `detectConflicts`, run over the
 * candidate and the active sessions around it; the database triggers enforce the
 * same rules again under races.
 *
 * @internal
 */
export async function findScheduleProblems(
  tx: SchedulingDb,
  candidate: SessionCandidate,
  policy: CapacityPolicy,
  preloaded: { neighbours?: ScheduleNeighbour[] } = {},
): Promise<ScheduleProblem[]> {
  const problems: ScheduleProblem[] = [];
  const capacity = checkCapacity(
    { sessionType: candidate.sessionType, capacity: candidate.capacity, minParticipants: candidate.minParticipants ?? null },
    policy,
  );
  if (!capacity.ok) {
    const { ok: _ok, message, ...details } = capacity;
    // minParticipants outside 1..capacity is bad input (chk_session_participants), not a policy matter.
    const code = capacity.reason === 'min_participants_out_of_range' ? 'INVALID_INPUT' : 'CAPACITY_POLICY_VIOLATION';
    const path = capacity.reason === 'min_participants_out_of_range' ? { path: ['minParticipants'] } : {};
    problems.push({ code, message, overridable: false, conflictingSessionIds: [], details: { ...details, ...path } });
  }

  const id = candidate.id ?? NEW_SESSION;
  const ownBookings = candidate.id
    ? await tx
        .select({ id: sessionBookings.id, studentId: sessionBookings.studentId })
        .from(sessionBookings)
        .where(and(eq(sessionBookings.sessionId, candidate.id), eq(sessionBookings.bookingStatus, 'confirmed')))
    : [];
  if (ownBookings.length > candidate.capacity) {
    problems.push({
      code: 'CAPACITY_EXCEEDED',
      message: `Capacity ${candidate.capacity} is below the ${ownBookings.length} confirmed bookings`,
      overridable: false,
      conflictingSessionIds: [],
      details: { reason: 'below_confirmed', capacity: candidate.capacity, currentBookings: ownBookings.length },
    });
  }
  if (!candidate.check.overlaps) return problems;

  const studentIds = candidate.check.students ? ownBookings.map((b) => b.studentId) : [];
  const neighbours =
    preloaded.neighbours && studentIds.length === 0 ? preloaded.neighbours : await loadScheduleNeighbours(tx, neighbourQueryOf(candidate), studentIds);
  const neighbourBookings =
    studentIds.length > 0 && neighbours.length > 0
      ? await tx
          .select({ id: sessionBookings.id, sessionId: sessionBookings.sessionId, studentId: sessionBookings.studentId })
          .from(sessionBookings)
          .where(
            and(
              inArray(
                sessionBookings.sessionId,
                neighbours.map((n) => n.id),
              ),
              inArray(sessionBookings.studentId, studentIds),
              eq(sessionBookings.bookingStatus, 'confirmed'),
            ),
          )
      : [];
  // The limit matters only when the instructor already teaches something then: the
  // common case (no overlap) skips the query and its call to covering_availability.
  const sharesInstructor = candidate.instructorId !== null && neighbours.some((n) => n.instructorId === candidate.instructorId);
  const instructorLimit = sharesInstructor ? await instructorLimitAt(tx, candidate) : 1;

  const conflicts = detectConflicts({
    sessions: [
      {
        id,
        instructorId: candidate.instructorId,
        facilityId: candidate.facility.id,
        start: candidate.startTime,
        end: candidate.endTime,
        capacity: 50,
        status: 'scheduled',
      },
      ...neighbours.map((n) => ({
        id: n.id,
        instructorId: n.instructorId,
        facilityId: n.facilityId,
        start: n.startTime,
        end: n.endTime,
        capacity: 50,
        status: n.status,
      })),
    ],
    bookings: [
      ...ownBookings.map((b) => ({ bookingId: b.id, sessionId: id, studentId: b.studentId, status: 'confirmed' as const })),
      ...neighbourBookings.map((b) => ({ bookingId: b.id, sessionId: b.sessionId, studentId: b.studentId, status: 'confirmed' as const })),
    ],
    ...(candidate.instructorId ? { instructorMaxConcurrent: { [candidate.instructorId]: Math.max(1, instructorLimit) } } : {}),
    facilityMaxConcurrent: { [candidate.facility.id]: candidate.facility.maxConcurrentSessions },
  }).filter((c) => c.sessionId === id || c.conflictingSessionId === id);

  const others = (list: ScheduleConflict[]) => unique(list.map((c) => (c.sessionId === id ? c.conflictingSessionId! : c.sessionId)));
  const instructorClashes = conflicts.filter((c) => c.conflictType === 'instructor_double_booking' && c.instructorId === candidate.instructorId);
  if (candidate.check.instructor && instructorClashes.length > 0) {
    const ids = others(instructorClashes);
    problems.push({
      code: 'INSTRUCTOR_DOUBLE_BOOKED',
      message: `The instructor is already teaching ${codesOf(neighbours, ids)} at that time (at most ${instructorLimit} at once)`,
      overridable: true,
      conflictingSessionIds: ids,
      details: { instructorId: candidate.instructorId, limit: instructorLimit, conflictingSessionCodes: codeList(neighbours, ids) },
    });
  }
  const facilityClashes = conflicts.filter((c) => c.conflictType === 'facility_overlap' && c.facilityId === candidate.facility.id);
  if (candidate.check.facility && facilityClashes.length > 0) {
    const ids = others(facilityClashes);
    problems.push({
      code: 'FACILITY_OVERLAP',
      message: `The facility is already used by ${codesOf(neighbours, ids)} at that time (at most ${candidate.facility.maxConcurrentSessions} at once)`,
      overridable: true,
      conflictingSessionIds: ids,
      details: { facilityId: candidate.facility.id, limit: candidate.facility.maxConcurrentSessions, conflictingSessionCodes: codeList(neighbours, ids) },
    });
  }
  if (candidate.check.facilitySize && candidate.facility.capacity !== null && candidate.capacity > candidate.facility.capacity) {
    problems.push({
      code: 'CAPACITY_EXCEEDED',
      message: `Capacity ${candidate.capacity} exceeds the facility's ${candidate.facility.capacity} places`,
      overridable: true,
      conflictingSessionIds: [],
      details: { reason: 'facility_capacity', capacity: candidate.capacity, facilityCapacity: candidate.facility.capacity, facilityId: candidate.facility.id },
    });
  }
  const studentConflicts = conflicts.filter((c) => c.conflictType === 'student_conflict');
  if (studentConflicts.length > 0) {
    const byStudent = new Map<string, ScheduleConflict[]>();
    for (const c of studentConflicts) byStudent.set(c.studentId!, [...(byStudent.get(c.studentId!) ?? []), c]);
    const studentClashes = [...byStudent].map(([studentId, list]) => ({ studentId, conflictingSessionIds: others(list) }));
    const ids = others(studentConflicts);
    problems.push({
      code: 'STUDENT_CONFLICT',
      message: `${studentClashes.length} confirmed student(s) are booked into ${codesOf(neighbours, ids)} at the new time`,
      overridable: true,
      conflictingSessionIds: ids,
      studentClashes,
      details: { studentIds: studentClashes.map((c) => c.studentId) },
    });
  }
  return problems;
}

/**
 * Throws the first problem that blocks the write as a `SchedulingError` (with
 * `details.conflictingSessionIds` and, for students, `details.studentClashes`).
 * Under an override only the problems no override can lift block.
 *
 * @internal
 */
export function throwIfBlocked(problems: readonly ScheduleProblem[], options: { override: boolean }): void {
  const blocking = problems.find((p) => !(options.override && p.overridable));
  if (!blocking) return;
  throw new SchedulingError(blocking.code, blocking.message, {
    ...blocking.details,
    conflictingSessionIds: blocking.conflictingSessionIds,
    ...(blocking.studentClashes ? { studentClashes: blocking.studentClashes } : {}),
    problems,
  });
}

/** What the neighbour query needs to know about a candidate (enough to run it before the facility row is read). */
export interface NeighbourQuery {
  id: string | null;
  facilityId: string;
  instructorId: string | null;
  startTime: Date;
  endTime: Date;
}

/** An active session overlapping a candidate, as `loadScheduleNeighbours` returns it. */
export type ScheduleNeighbour = Awaited<ReturnType<typeof loadScheduleNeighbours>>[number];

function neighbourQueryOf(candidate: SessionCandidate): NeighbourQuery {
  return {
    id: candidate.id,
    facilityId: candidate.facility.id,
    instructorId: candidate.instructorId,
    startTime: candidate.startTime,
    endTime: candidate.endTime,
  };
}

/**
 * Active sessions overlapping the candidate that share its instructor, facility or a
 * confirmed student. Exported so a caller can issue it together with its other
 * look-ups (see `lookUpTogether`) and hand the rows to `findScheduleProblems`.
 *
 * @internal
 */
export async function loadScheduleNeighbours(tx: SchedulingDb, candidate: NeighbourQuery, studentIds: string[] = []) {
  return tx
    .select({
      id: sessions.id,
      sessionId: sessions.sessionId,
      instructorId: sessions.instructorId,
      facilityId: sessions.facilityId,
      startTime: sessions.startTime,
      endTime: sessions.endTime,
      status: sessions.status,
    })
    .from(sessions)
    .where(neighbourCondition(candidate, studentIds));
}

/**
 * The WHERE of the neighbour query: active, overlapping, sharing the facility, the
 * instructor or a confirmed student. Plain SQL rather than Drizzle operators: it is
 * built on every create and move, and this renders several times faster. Columns are
 * those of `sessions` as named in the surrounding FROM.
 */
function neighbourCondition(candidate: NeighbourQuery, studentIds: readonly string[] = []): SQL {
  const shared = [sql`"sessions"."facility_id" = ${candidate.facilityId}::uuid`];
  if (candidate.instructorId) shared.push(sql`"sessions"."instructor_id" = ${candidate.instructorId}::uuid`);
  if (studentIds.length > 0) {
    shared.push(
      sql`EXISTS (SELECT 1 FROM ${sessionBookings} WHERE ${sessionBookings.sessionId} = "sessions"."id"
            AND ${sessionBookings.bookingStatus} = 'confirmed' AND ${inArray(sessionBookings.studentId, studentIds)})`,
    );
  }
  // Each bound is a sub-select, so that the planner never sees its value. The plan
  // does not depend on it (a range of the (start_time, end_time) index), and a
  // statement whose plan cannot get cheaper with the values is planned once per
  // connection; with the values in view, Postgres planned it again on every call,
  // which cost more than running it.
  const instant = (date: Date) => sql`(SELECT ${date.toISOString()}::timestamptz)`;
  // Sessions last at most 24 hours (chk_session_max_duration), so an overlapping one
  // starts after dayBefore and ends before dayAfter. The end bound adds nothing
  // logically, but with it all four bounds are conditions on the (start_time,
  // end_time) index, which then hands over only the sessions that overlap, instead of
  // every session that starts within the 24 hours before.
  const dayBefore = new Date(candidate.startTime.getTime() - DAY_MS);
  const dayAfter = new Date(candidate.endTime.getTime() + DAY_MS);
  return sql`${candidate.id ? sql`"sessions"."id" <> ${candidate.id}::uuid AND ` : sql``}"sessions"."status" IN ${sqlList(ACTIVE_SESSION_STATUSES)}
    AND "sessions"."start_time" > ${instant(dayBefore)} AND "sessions"."start_time" < ${instant(candidate.endTime)}
    AND "sessions"."end_time" > ${instant(candidate.startTime)} AND "sessions"."end_time" < ${instant(dayAfter)}
    AND (${sql.join(shared, sql` OR `)})`;
}

/** A session about to be inserted, as `newSessionIsClear` checks it. */
export interface NewSessionClearance {
  locationId: string;
  facilityId: string;
  instructorId: string | null;
  capacity: number;
  startTime: Date;
  endTime: Date;
}

/**
 * SQL that is true only when nothing stands in the way of a new session: its facility
 * exists at its location (so the location exists too) with room for `capacity`, its
 * instructor (if any) exists and is active, and the neighbour query finds nothing.
 * Whenever this holds, the reference look-ups and `findScheduleProblems` (given a
 * capacity the policy allows) find nothing to refuse or record, so `createSession`
 * can put it in the WHERE of its insert instead of running them. It is stricter,
 * never looser: a facility that allows two sessions at once still sends an
 * overlapping one down the checked path.
 *
 * @internal
 */
export function newSessionIsClear(session: NewSessionClearance): SQL {
  const instructor = session.instructorId ? sql` AND EXISTS (SELECT 1 FROM instructors WHERE id = ${session.instructorId}::uuid AND is_active)` : sql``;
  return sql`EXISTS (SELECT 1 FROM facilities WHERE id = ${session.facilityId}::uuid AND location_id = ${session.locationId}::uuid
      AND (capacity IS NULL OR capacity >= ${session.capacity}::integer))${instructor}
    AND NOT EXISTS (SELECT 1 FROM sessions WHERE ${neighbourCondition({ ...session, id: null })})`;
}

/** How many sessions the instructor may lead at once then: the database's own rule (availability rows, else the instructor's default). */
async function instructorLimitAt(tx: SchedulingDb, candidate: SessionCandidate): Promise<number> {
  const [row] = await queryRows<{ limit: number }>(
    tx,
    sql`SELECT instructor_session_limit(${candidate.instructorId}::uuid, ${candidate.locationId}::uuid,
          ${candidate.startTime.toISOString()}::timestamptz, ${candidate.endTime.toISOString()}::timestamptz) AS "limit"`,
  );
  return Number(row?.limit ?? 1);
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

function codeList(neighbours: ReadonlyArray<{ id: string; sessionId: string }>, ids: string[]): string[] {
  return ids.map((id) => neighbours.find((n) => n.id === id)?.sessionId ?? id);
}

function codesOf(neighbours: ReadonlyArray<{ id: string; sessionId: string }>, ids: string[]): string {
  return codeList(neighbours, ids).join(', ');
}

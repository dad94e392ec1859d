import { ACTIVE_SESSION_STATUSES } from '../../domain/statuses';
import { sqlList } from '../../db/sql-list';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/query';
import type { SchedulingDb } from '../../db/scheduling-db';

/** More active sessions overlap for one instructor or facility than its limit allows. */
export interface ConcurrencyFinding {
  kind: 'instructor_overlap' | 'facility_overlap';
  /** The instructor's or facility's id. */
  ownerId: string;
  /** The overlapping sessions, sorted. */
  sessionIds: string[];
  /** How many of them run at once at the worst instant. */
  peak: number;
  limit: number;
}

/** A student confirmed in two overlapping active sessions. */
export interface StudentConflictFinding {
  kind: 'student_overlap';
  studentId: string;
  /** The two sessions, sorted. */
  sessionIds: [string, string];
}

const ACTIVE = sqlList(ACTIVE_SESSION_STATUSES);

/**
 * Groups of active sessions whose peak concurrency exceeds the limit: the database's
 * own `concurrency_violations` (drizzle/0006), the rule its triggers enforce — for an
 * instructor, the peak during each session is at most that session's limit (its
 * covering availability, else the instructor's default); for a facility, its
 * `max_concurrent_sessions`. A group contained in a larger reported group of the same
 * owner is left out. Sessions allowed by an administrator override are reported too.
 *
 * @internal
 */
export async function findConcurrencyViolations(tx: SchedulingDb, kind: 'instructor' | 'facility'): Promise<ConcurrencyFinding[]> {
  const rows = await queryRows<{ ownerId: string; sessionId: string; others: string[]; peak: number; lim: number }>(
    tx,
    sql`SELECT owner_id AS "ownerId", session_id AS "sessionId", other_ids::text[] AS others, peak, session_limit AS lim
        FROM concurrency_violations(${kind}, NULL)`,
  );
  const groups = rows.map((r) => ({
    kind: `${kind}_overlap` as const,
    ownerId: r.ownerId,
    sessionIds: [r.sessionId, ...parseArray(r.others)].sort(),
    peak: Number(r.peak),
    limit: Number(r.lim),
  }));
  const key = (g: ConcurrencyFinding) => `${g.ownerId}:${g.sessionIds.join(',')}`;
  const unique = [...new Map(groups.map((g) => [key(g), g])).values()];
  return unique.filter(
    (g) =>
      !unique.some(
        (other) =>
          other !== g &&
          other.ownerId === g.ownerId &&
          other.sessionIds.length > g.sessionIds.length &&
          g.sessionIds.every((id) => other.sessionIds.includes(id)),
      ),
  );
}

/**
 * Every pair of overlapping active sessions in which one student is confirmed.
 *
 * @internal
 */
export async function scanStudentConflicts(tx: SchedulingDb): Promise<StudentConflictFinding[]> {
  const rows = await queryRows<{ studentId: string; a: string; b: string }>(
    tx,
    sql`SELECT b1.student_id AS "studentId", s1.id AS a, s2.id AS b
        FROM session_bookings b1
        JOIN sessions s1 ON s1.id = b1.session_id
        JOIN session_bookings b2 ON b2.student_id = b1.student_id AND b2.session_id > b1.session_id
        JOIN sessions s2 ON s2.id = b2.session_id
        WHERE b1.booking_status = 'confirmed' AND b2.booking_status = 'confirmed'
          AND s1.status IN ${ACTIVE} AND s2.status IN ${ACTIVE}
          AND s1.start_time < s2.end_time AND s2.start_time < s1.end_time
        ORDER BY b1.student_id, s1.id, s2.id`,
  );
  return rows.map((r) => ({ kind: 'student_overlap', studentId: r.studentId, sessionIds: [r.a, r.b] }));
}

/** Drivers hand back `text[]` as arrays; the `{a,b}` literal form is parsed too, in case one does not. */
function parseArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  return value
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean);
}

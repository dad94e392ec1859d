import { ACTIVE_WAITLIST_STATUSES, PLANNED_SESSION_STATUSES } from '../../domain/statuses';
import { sqlList } from '../../db/sql-list';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/query';
import { type ConcurrencyFinding, type StudentConflictFinding, findConcurrencyViolations, scanStudentConflicts } from './integrity-overlaps';
import type { SchedulingDb } from '../../db/scheduling-db';

/** One broken invariant found by `maintenance.verifyIntegrity`. */
export type IntegrityFinding =
  | { kind: 'booking_count_drift'; sessionId: string; recorded: number; actual: number }
  | { kind: 'over_capacity'; sessionId: string; capacity: number; confirmed: number }
  | { kind: 'held_offers_over_capacity'; sessionId: string; capacity: number; confirmed: number; heldOffers: number }
  | { kind: 'capacity_outside_policy'; sessionId: string; sessionType: string; capacity: number; min: number | null; max: number | null }
  | ConcurrencyFinding
  | StudentConflictFinding
  | { kind: 'waitlist_positions'; sessionId: string; positions: number[]; duplicates: number[]; gaps: number[] }
  | { kind: 'expired_offer'; waitlistEntryId: string; sessionId: string; studentId: string; responseDeadline: Date }
  | { kind: 'booked_and_waiting'; sessionId: string; studentId: string; bookingId: string; waitlistEntryId: string };

const ACTIVE_WAITLIST = sqlList(ACTIVE_WAITLIST_STATUSES);

/**
 * Checks every invariant the database is meant to keep and returns each one that
 * does not hold, grouped by kind (in `INTEGRITY_FINDING_KINDS` order) and sorted by
 * id within a kind. A healthy database gives `[]`. Read-only.
 *
 * - `current_bookings` equals the confirmed bookings; confirmed bookings ≤ capacity;
 *   confirmed bookings + open offers ≤ capacity (an offer holds a place); every live
 *   session's capacity (scheduled, in progress, postponed) within its type's policy;
 * - instructors and facilities within their concurrency limits; no student confirmed
 *   in two overlapping active sessions;
 * - active waitlist entries (waiting, notified, offered) of a session hold positions
 *   1…n exactly once; no offer past its `response_deadline` still `offered` (by `now`);
 *   no student both confirmed and actively waiting for the same session.
 *
 * @internal
 */
export async function verifyIntegrity(tx: SchedulingDb, now: Date): Promise<IntegrityFinding[]> {
  const counts = await queryRows<{ sessionId: string; recorded: number; actual: number; capacity: number }>(
    tx,
    sql`SELECT s.id AS "sessionId", s.current_bookings AS recorded, s.capacity, coalesce(c.n, 0)::int AS actual
        FROM sessions s
        LEFT JOIN (SELECT session_id, count(*) AS n FROM session_bookings WHERE booking_status = 'confirmed' GROUP BY session_id) c
          ON c.session_id = s.id
        WHERE s.current_bookings <> coalesce(c.n, 0) OR coalesce(c.n, 0) > s.capacity
        ORDER BY s.id`,
  );
  const findings: IntegrityFinding[] = [];
  for (const c of counts) {
    if (Number(c.recorded) !== Number(c.actual)) {
      findings.push({ kind: 'booking_count_drift', sessionId: c.sessionId, recorded: Number(c.recorded), actual: Number(c.actual) });
    }
  }
  for (const c of counts) {
    if (Number(c.actual) > Number(c.capacity)) {
      findings.push({ kind: 'over_capacity', sessionId: c.sessionId, capacity: Number(c.capacity), confirmed: Number(c.actual) });
    }
  }
  findings.push(...(await findHeldOffersOverCapacity(tx)));
  findings.push(...(await findCapacitiesOutsidePolicy(tx)));
  const byIds = (a: { ownerId: string; sessionIds: string[] }, b: { ownerId: string; sessionIds: string[] }) =>
    `${a.ownerId}:${a.sessionIds.join(',')}`.localeCompare(`${b.ownerId}:${b.sessionIds.join(',')}`);
  findings.push(...(await findConcurrencyViolations(tx, 'instructor')).sort(byIds));
  findings.push(...(await findConcurrencyViolations(tx, 'facility')).sort(byIds));
  findings.push(...(await scanStudentConflicts(tx)));
  findings.push(...(await findWaitlistPositionProblems(tx)));

  const expired = await queryRows<{ id: string; sessionId: string; studentId: string; deadline: Date | string }>(
    tx,
    sql`SELECT id, session_id AS "sessionId", student_id AS "studentId", response_deadline AS deadline
        FROM session_waitlist
        WHERE status = 'offered' AND response_deadline < ${now.toISOString()}::timestamptz
        ORDER BY id`,
  );
  for (const e of expired) {
    findings.push({ kind: 'expired_offer', waitlistEntryId: e.id, sessionId: e.sessionId, studentId: e.studentId, responseDeadline: new Date(e.deadline) });
  }

  const both = await queryRows<{ sessionId: string; studentId: string; bookingId: string; waitlistEntryId: string }>(
    tx,
    sql`SELECT b.session_id AS "sessionId", b.student_id AS "studentId", b.id AS "bookingId", w.id AS "waitlistEntryId"
        FROM session_bookings b
        JOIN session_waitlist w ON w.session_id = b.session_id AND w.student_id = b.student_id
        WHERE b.booking_status = 'confirmed' AND w.status IN ${ACTIVE_WAITLIST}
        ORDER BY b.session_id, b.student_id`,
  );
  for (const row of both) findings.push({ kind: 'booked_and_waiting', ...row });
  return findings;
}

/** Sessions whose active waitlist positions are not exactly 1…n. */
async function findWaitlistPositionProblems(tx: SchedulingDb): Promise<IntegrityFinding[]> {
  const rows = await queryRows<{ sessionId: string; positions: number[] | string }>(
    tx,
    sql`SELECT session_id AS "sessionId", array_agg(position ORDER BY position) AS positions
        FROM session_waitlist WHERE status IN ${ACTIVE_WAITLIST}
        GROUP BY session_id
        HAVING count(DISTINCT position) <> count(*) OR max(position) <> count(*) OR min(position) <> 1
        ORDER BY session_id`,
  );
  return rows.map((r) => {
    const positions = (Array.isArray(r.positions) ? r.positions : r.positions.replace(/^\{|\}$/g, '').split(',')).map(Number);
    const duplicates = [...new Set(positions.filter((p, i) => positions.indexOf(p) !== i))];
    const present = new Set(positions);
    const gaps = Array.from({ length: Math.max(...positions) }, (_, i) => i + 1).filter((p) => !present.has(p));
    return { kind: 'waitlist_positions' as const, sessionId: r.sessionId, positions, duplicates, gaps };
  });
}

/** Sessions where confirmed bookings and open offers together take more places than there are. */
async function findHeldOffersOverCapacity(tx: SchedulingDb): Promise<IntegrityFinding[]> {
  const rows = await queryRows<{ sessionId: string; capacity: number; confirmed: number; heldOffers: number }>(
    tx,
    sql`SELECT s.id AS "sessionId", s.capacity, coalesce(b.n, 0)::int AS confirmed, w.n::int AS "heldOffers"
        FROM sessions s
        JOIN (SELECT session_id, count(*) AS n FROM session_waitlist WHERE status = 'offered' GROUP BY session_id) w
          ON w.session_id = s.id
        LEFT JOIN (SELECT session_id, count(*) AS n FROM session_bookings WHERE booking_status = 'confirmed' GROUP BY session_id) b
          ON b.session_id = s.id
        WHERE coalesce(b.n, 0) + w.n > s.capacity
        ORDER BY s.id`,
  );
  return rows.map((r) => ({
    kind: 'held_offers_over_capacity' as const,
    sessionId: r.sessionId,
    capacity: Number(r.capacity),
    confirmed: Number(r.confirmed),
    heldOffers: Number(r.heldOffers),
  }));
}

/** Live sessions (scheduled, in progress, postponed) whose capacity is outside their type's policy, or whose type has none. */
async function findCapacitiesOutsidePolicy(tx: SchedulingDb): Promise<IntegrityFinding[]> {
  const rows = await queryRows<{ sessionId: string; sessionType: string; capacity: number; min: number | null; max: number | null }>(
    tx,
    sql`SELECT s.id AS "sessionId", s.session_type AS "sessionType", s.capacity, p.min_capacity AS min, p.max_capacity AS max
        FROM sessions s
        LEFT JOIN capacity_policies p ON p.session_type = s.session_type
        WHERE s.status IN ${sqlList(PLANNED_SESSION_STATUSES)}
          AND (p.session_type IS NULL OR s.capacity < p.min_capacity OR s.capacity > p.max_capacity)
        ORDER BY s.id`,
  );
  return rows.map((r) => ({
    kind: 'capacity_outside_policy' as const,
    sessionId: r.sessionId,
    sessionType: r.sessionType,
    capacity: Number(r.capacity),
    min: r.min === null ? null : Number(r.min),
    max: r.max === null ? null : Number(r.max),
  }));
}

/**
 * An independent recount of what the soak left behind, in plain SQL written for this
 * test (not the library's verifyIntegrity, which is checked separately). Each query
 * returns the rows that break one invariant; a healthy database gives [] for each.
 */
import type { Sql } from '../faults/fault-harness';

export interface Reconciliation {
  /** current_bookings differs from the number of confirmed bookings. */
  countDrift: unknown[];
  /** More confirmed bookings than places. */
  overCapacity: unknown[];
  /** Confirmed bookings plus offers still open hold more than the capacity. */
  overHeld: unknown[];
  /** Active waitlist positions (waiting, notified, offered) of a session are not exactly 1..n. */
  positionGaps: unknown[];
  /** A student both confirmed and actively waiting for the same session. */
  bookedAndWaiting: unknown[];
  /** A student confirmed in two overlapping active sessions. */
  studentOverlaps: unknown[];
}

export async function reconcile(sql: Sql, now: Date): Promise<Reconciliation> {
  const countDrift = await sql`
    SELECT s.id, s.current_bookings, count(b.id)::int AS confirmed
    FROM scheduling.sessions s
    LEFT JOIN scheduling.session_bookings b ON b.session_id = s.id AND b.booking_status = 'confirmed'
    GROUP BY s.id HAVING s.current_bookings <> count(b.id)`;
  const overCapacity = await sql`
    SELECT s.id, s.capacity, count(*)::int AS confirmed
    FROM scheduling.sessions s JOIN scheduling.session_bookings b ON b.session_id = s.id AND b.booking_status = 'confirmed'
    GROUP BY s.id HAVING count(*) > s.capacity`;
  const overHeld = await sql`
    SELECT s.id, s.capacity, s.current_bookings,
           (SELECT count(*)::int FROM scheduling.session_waitlist w
            WHERE w.session_id = s.id AND w.status = 'offered' AND w.response_deadline > ${now}) AS open_offers
    FROM scheduling.sessions s
    WHERE s.current_bookings + (SELECT count(*) FROM scheduling.session_waitlist w
                                WHERE w.session_id = s.id AND w.status = 'offered' AND w.response_deadline > ${now}) > s.capacity`;
  const positionGaps = await sql`
    SELECT session_id, positions FROM (
      SELECT session_id, array_agg(position ORDER BY position) AS positions, count(*)::int AS n
      FROM scheduling.session_waitlist WHERE status IN ('waiting', 'notified', 'offered')
      GROUP BY session_id
    ) q
    WHERE positions <> array(SELECT generate_series(1, q.n))`;
  const bookedAndWaiting = await sql`
    SELECT b.session_id, b.student_id, w.status
    FROM scheduling.session_bookings b
    JOIN scheduling.session_waitlist w ON w.session_id = b.session_id AND w.student_id = b.student_id
    WHERE b.booking_status = 'confirmed' AND w.status IN ('waiting', 'notified', 'offered')`;
  const studentOverlaps = await sql`
    SELECT b1.student_id, s1.id AS first, s2.id AS second
    FROM scheduling.session_bookings b1 JOIN scheduling.sessions s1 ON s1.id = b1.session_id
    JOIN scheduling.session_bookings b2 ON b2.student_id = b1.student_id AND b2.session_id > b1.session_id
    JOIN scheduling.sessions s2 ON s2.id = b2.session_id
    WHERE b1.booking_status = 'confirmed' AND b2.booking_status = 'confirmed'
      AND s1.status IN ('scheduled', 'in_progress') AND s2.status IN ('scheduled', 'in_progress')
      AND s1.start_time < s2.end_time AND s2.start_time < s1.end_time`;
  return { countDrift, overCapacity, overHeld, positionGaps, bookedAndWaiting, studentOverlaps };
}

/** Totals to print: what the academy looks like after the soak. */
export async function finalState(sql: Sql) {
  const [row] = await sql`
    SELECT (SELECT count(*)::int FROM scheduling.session_bookings WHERE booking_status = 'confirmed') AS confirmed,
           (SELECT count(*)::int FROM scheduling.session_bookings WHERE booking_status = 'cancelled') AS cancelled,
           (SELECT count(*)::int FROM scheduling.session_bookings WHERE checked_in_at IS NOT NULL) AS checked_in,
           (SELECT count(*)::int FROM scheduling.session_waitlist WHERE status IN ('waiting', 'notified')) AS waiting,
           (SELECT count(*)::int FROM scheduling.session_waitlist WHERE status = 'offered') AS offered,
           (SELECT sum(capacity)::int FROM scheduling.sessions) AS places`;
  return row!;
}

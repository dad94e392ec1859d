import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/query';
import type { SchedulingDb } from '../../db/scheduling-db';

/** A session whose `current_bookings` did not match its confirmed bookings. */
export interface BookingCountDrift {
  sessionId: string;
  sessionCode: string;
  /** What `current_bookings` said. */
  previous: number;
  /** The number of confirmed bookings. */
  actual: number;
}

/** Result of `maintenance.recountBookings`. */
export interface RecountResult {
  /** Sessions whose count was corrected. */
  fixed: BookingCountDrift[];
  /**
   * Sessions with more confirmed bookings than places: `chk_session_bookings` forbids
   * storing that count, so they are left as they are for a person to resolve.
   */
  overCapacity: Array<BookingCountDrift & { capacity: number }>;
}

const CONFIRMED_COUNT = sql`(SELECT count(*)::int FROM session_bookings b WHERE b.session_id = s.id AND b.booking_status = 'confirmed')`;

/**
 * The reference schema's "Update session statistics" statement, made safe to run
 * while bookings happen: the drifting sessions are locked first (the booking trigger
 * updates the same rows, so it waits or has already committed), then recounted in a
 * second statement whose fresh snapshot sees every committed booking.
 *
 * @internal
 */
export async function recountBookings(tx: SchedulingDb): Promise<RecountResult> {
  const drifting = await queryRows<BookingCountDrift & { capacity: number }>(
    tx,
    sql`SELECT s.id AS "sessionId", s.session_id AS "sessionCode", s.current_bookings AS previous, s.capacity
        FROM sessions s
        WHERE s.current_bookings <> ${CONFIRMED_COUNT}
        ORDER BY s.id
        FOR NO KEY UPDATE OF s`,
  );
  if (drifting.length === 0) return { fixed: [], overCapacity: [] };
  const ids = sql.join(
    drifting.map((d) => sql`${d.sessionId}::uuid`),
    sql`, `,
  );
  const counted = await queryRows<{ sessionId: string; actual: number; capacity: number }>(
    tx,
    sql`SELECT s.id AS "sessionId", ${CONFIRMED_COUNT} AS actual, s.capacity FROM sessions s WHERE s.id IN (${ids})`,
  );
  const actualOf = new Map(counted.map((c) => [c.sessionId, Number(c.actual)]));
  const fixable = drifting.filter((d) => (actualOf.get(d.sessionId) ?? 0) <= d.capacity && actualOf.get(d.sessionId) !== Number(d.previous));
  if (fixable.length > 0) {
    await tx.execute(
      sql`UPDATE sessions s SET current_bookings = ${CONFIRMED_COUNT}
          WHERE s.id IN (${sql.join(
            fixable.map((d) => sql`${d.sessionId}::uuid`),
            sql`, `,
          )})`,
    );
  }
  const withActual = (d: BookingCountDrift & { capacity: number }) => ({
    sessionId: d.sessionId,
    sessionCode: d.sessionCode,
    previous: Number(d.previous),
    actual: actualOf.get(d.sessionId) ?? 0,
  });
  return {
    fixed: fixable.map(withActual),
    overCapacity: drifting.filter((d) => (actualOf.get(d.sessionId) ?? 0) > d.capacity).map((d) => ({ ...withActual(d), capacity: Number(d.capacity) })),
  };
}

import { OPEN_CONFLICT_STATUSES } from '../../domain/statuses';
import { sqlList } from '../../db/sql-list';
import { sql } from 'drizzle-orm';
import type { ScheduleConflict } from '../../domain';
import { queryRows, queryTableRows } from '../../db/query';
import { scheduleConflicts } from '../../schema/unqualified';
import type { ConflictRow } from './rows';
import type { SchedulingDb } from '../../db/scheduling-db';

/** A confirmed booking, for the impact of a conflict. */
export interface ConfirmedBooking {
  sessionId: string;
  studentId: string;
  amountCharged: string | null;
}

/**
 * Stores detected conflicts as `schedule_conflicts` rows with status `detected`,
 * skipping every one already open: the partial unique index
 * `uk_schedule_conflicts_open` catches exact repeats (ON CONFLICT DO NOTHING) and a
 * NOT EXISTS catches the same pair stored the other way round (the trigger stores
 * the newer session first). `affected_bookings` and `financial_impact` (sum of
 * `amount_charged`) count the confirmed bookings involved: the student's for a
 * student conflict, both sessions' for a pair, the session's otherwise.
 * Returns the ids of the rows inserted.
 *
 * @internal
 */
export async function recordConflicts(
  tx: SchedulingDb,
  conflicts: readonly ScheduleConflict[],
  bookings: readonly ConfirmedBooking[],
  detectedBy: string | null,
): Promise<string[]> {
  const inserted: string[] = [];
  for (const c of conflicts) {
    const involved = bookings.filter((b) =>
      c.conflictType === 'student_conflict'
        ? b.studentId === c.studentId && (b.sessionId === c.sessionId || b.sessionId === c.conflictingSessionId)
        : b.sessionId === c.sessionId || (c.conflictingSessionId !== null && b.sessionId === c.conflictingSessionId),
    );
    const impact = involved.reduce((sum, b) => sum + Math.round(Number(b.amountCharged ?? 0) * 100), 0) / 100;
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`INSERT INTO schedule_conflicts (
            conflict_type, session_id, conflicting_session_id, instructor_id, student_id, facility_id,
            conflict_description, conflict_time_start, conflict_time_end, severity, detected_by,
            affected_bookings, financial_impact)
          SELECT ${c.conflictType}, ${c.sessionId}::uuid, ${c.conflictingSessionId}::uuid, ${c.instructorId}::uuid,
                 ${c.studentId}::uuid, ${c.facilityId}::uuid, ${c.description}, ${c.start.toISOString()}::timestamptz,
                 ${c.end.toISOString()}::timestamptz, ${c.severity}, ${detectedBy}::uuid, ${involved.length}, ${impact.toFixed(2)}::numeric
          WHERE NOT EXISTS (
            SELECT 1 FROM schedule_conflicts o
            WHERE o.status IN ${sqlList(OPEN_CONFLICT_STATUSES)} AND o.conflict_type = ${c.conflictType}
              AND o.student_id IS NOT DISTINCT FROM ${c.studentId}::uuid
              AND ((o.session_id = ${c.sessionId}::uuid AND o.conflicting_session_id IS NOT DISTINCT FROM ${c.conflictingSessionId}::uuid)
                OR (o.session_id = ${c.conflictingSessionId}::uuid AND o.conflicting_session_id = ${c.sessionId}::uuid)))
          ON CONFLICT (conflict_type, session_id,
                       (coalesce(conflicting_session_id, '00000000-0000-0000-0000-000000000000'::uuid)),
                       (coalesce(student_id, '00000000-0000-0000-0000-000000000000'::uuid)))
            WHERE status IN ${sqlList(OPEN_CONFLICT_STATUSES)}
          DO NOTHING
          RETURNING id`,
    );
    if (rows[0]) inserted.push(rows[0].id);
  }
  return inserted;
}

/**
 * The conflicts recorded for a session by the current transaction: the trigger stamps
 * `detected_at` with `now()`, which is the transaction's start time.
 *
 * @internal
 */
export async function conflictsRecordedNow(tx: SchedulingDb, sessionId: string): Promise<ConflictRow[]> {
  return queryTableRows(
    tx,
    scheduleConflicts,
    sql`SELECT * FROM schedule_conflicts WHERE session_id = ${sessionId}::uuid AND detected_at = now() ORDER BY conflict_id`,
  );
}

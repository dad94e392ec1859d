import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/query';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import { SESSION_TRANSITIONS } from '../../domain/index';

/** Result of `maintenance.advanceStatuses`: session ids, sorted. */
export interface AdvanceStatusesResult {
  /** Sessions that left `scheduled` because they had started (including those then completed). */
  started: string[];
  /** Sessions that became `completed` because they had ended. */
  completed: string[];
}

/**
 * Moves sessions along the clock: `scheduled → in_progress` once started,
 * `in_progress → completed` once ended (a session that started and ended since the
 * last run takes both steps). Postponed and cancelled sessions are left alone.
 * Bookings are not settled here, because attendance may still be recorded after the
 * end: call `attendance.settle` (or complete through `sessions.complete`, which settles).
 *
 * @internal
 */
export async function advanceStatuses(tx: SchedulingDb, now: Date, actor: Actor): Promise<AdvanceStatusesResult> {
  // Two bulk updates instead of one state-machine call per session: they take exactly these steps.
  if (!SESSION_TRANSITIONS.scheduled.includes('in_progress') || !SESSION_TRANSITIONS.in_progress.includes('completed')) {
    throw new Error('advanceStatuses relies on scheduled → in_progress → completed');
  }
  const at = now.toISOString();
  const started = await queryRows<{ id: string }>(
    tx,
    sql`UPDATE sessions SET status = 'in_progress', updated_at = now(), updated_by = ${actor.userId ?? null}
        WHERE status = 'scheduled' AND start_time <= ${at}::timestamptz RETURNING id`,
  );
  const completed = await queryRows<{ id: string }>(
    tx,
    sql`UPDATE sessions SET status = 'completed', updated_at = now(), updated_by = ${actor.userId ?? null}
        WHERE status = 'in_progress' AND end_time <= ${at}::timestamptz RETURNING id`,
  );
  return { started: started.map((r) => r.id).sort(), completed: completed.map((r) => r.id).sort() };
}

import { UPCOMING_SESSION_STATUSES, isOneOf } from '../../domain/statuses';
import { asc, eq } from 'drizzle-orm';
import { SchedulingError } from '../../errors';
import { recurringPatterns, sessions } from '../../schema/unqualified';
import { loadLocation, notFound } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import { localDateOf } from './calendar';
import type { SessionRow } from '../kernel/rows';

/** A `recurring_patterns` row. */
export type PatternRow = typeof recurringPatterns.$inferSelect;

/** A pattern with its sessions (locked) and the zone its wall-clock times are read in. */
export interface LockedSeries {
  pattern: PatternRow;
  timeZone: string;
  /** Every session of the pattern, by start time, each with its local date. */
  sessions: Array<SessionRow & { localDate: string }>;
}

/**
 * The pattern and all its sessions, locked against concurrent series edits (the
 * pattern `FOR UPDATE`, the sessions `FOR NO KEY UPDATE` in id order, the order
 * every other writer uses), or `NOT_FOUND`. The zone is the location of the series'
 * sessions; a pattern without sessions is `INVALID_STATE`.
 *
 * @internal
 */
export async function lockSeries(tx: SchedulingDb, patternId: string, path: Array<string | number> = ['patternId']): Promise<LockedSeries> {
  const [pattern] = await tx.select().from(recurringPatterns).where(eq(recurringPatterns.id, patternId)).for('update');
  if (!pattern) throw notFound('recurring pattern', patternId, path);
  const rows = await tx.select().from(sessions).where(eq(sessions.recurringPatternId, patternId)).orderBy(asc(sessions.id)).for('no key update');
  if (rows.length === 0) {
    throw new SchedulingError('INVALID_STATE', `Recurring pattern ${pattern.name} has no sessions`, { path, patternId });
  }
  rows.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  const { timezone } = await loadLocation(tx, rows[0]!.locationId);
  return { pattern, timeZone: timezone, sessions: rows.map((s) => ({ ...s, localDate: localDateOf(s.startTime, timezone) })) };
}

/**
 * The pattern an occurrence belongs to, locked as in {@link lockSeries}, with the
 * occurrence itself; `NOT_FOUND` for an unknown session, `INVALID_INPUT` for a
 * session that is not part of a series.
 *
 * @internal
 */
export async function lockSeriesOf(tx: SchedulingDb, sessionId: string) {
  const [row] = await tx.select({ patternId: sessions.recurringPatternId }).from(sessions).where(eq(sessions.id, sessionId));
  if (!row) throw notFound('session', sessionId, ['sessionId']);
  if (!row.patternId) throw notAnOccurrence(sessionId);
  const series = await lockSeries(tx, row.patternId, ['sessionId']);
  const occurrence = series.sessions.find((s) => s.id === sessionId);
  // It left the series between the two reads.
  if (!occurrence) throw notAnOccurrence(sessionId);
  return { series, occurrence };
}

/**
 * Whether an occurrence may still be changed by a series-wide edit: not started,
 * completed or cancelled, and not in the past by the injected clock.
 *
 * @internal
 */
export function isOpen(session: Pick<SessionRow, 'status' | 'startTime'>, now: Date): boolean {
  return isOneOf(UPCOMING_SESSION_STATUSES, session.status) && session.startTime.getTime() > now.getTime();
}

function notAnOccurrence(sessionId: string): SchedulingError {
  return new SchedulingError('INVALID_INPUT', `Session ${sessionId} is not part of a recurring series`, { path: ['sessionId'], sessionId });
}

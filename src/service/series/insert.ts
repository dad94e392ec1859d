import { and, inArray, sql } from 'drizzle-orm';
import { type SchedulingErrorCode } from '../../errors';
import { toSchedulingError } from '../../db/database-errors';
import { scheduleConflicts, sessions } from '../../schema/unqualified';
import { type SchedulingDb, inSavepoint } from '../../db/scheduling-db';
import type { OccurrenceConflict, PlannedOccurrence } from './conflicts';
import type { ConflictRow, SessionRow } from '../kernel/rows';

/** The columns every occurrence of a series shares (everything but the times and the series links). */
export type OccurrenceValues = Omit<typeof sessions.$inferInsert, 'startTime' | 'endTime' | 'recurringPatternId' | 'parentSessionId' | 'isRecurring'>;

/** Where new occurrences go. */
export interface OccurrenceTarget {
  patternId: string;
  /** The series' first session; null when this call creates it (the first inserted row becomes the parent). */
  parentSessionId: string | null;
  /**
   * Skip mode: when the conflict trigger refuses the batch anyway (a racing writer
   * committed after the pre-check), insert row by row in savepoints and skip the
   * dates it refuses instead of failing the call.
   */
  skipOnRace: boolean;
}

/** Result of {@link insertOccurrences}. */
export interface InsertedOccurrences {
  sessions: SessionRow[];
  /** Dates the trigger refused in skip mode. */
  skipped: OccurrenceConflict[];
}

// Postgres allows 65535 parameters per statement; a session row binds about 25.
const ROWS_PER_STATEMENT = 500;
const RACE_CODES = new Set<SchedulingErrorCode>(['INSTRUCTOR_DOUBLE_BOOKED', 'FACILITY_OVERLAP']);

/**
 * Inserts the occurrences with multi-row inserts (the parent first when there is
 * none yet, then the rest pointing at it), `is_recurring` and the pattern set.
 * The conflict trigger checks every row again; in skip mode a refusal of the batch
 * falls back to one savepoint per row, skipping the refused dates.
 *
 * @internal
 */
export async function insertOccurrences(
  tx: SchedulingDb,
  occurrences: readonly PlannedOccurrence[],
  values: OccurrenceValues,
  target: OccurrenceTarget,
): Promise<InsertedOccurrences> {
  if (occurrences.length === 0) return { sessions: [], skipped: [] };
  const row = (o: PlannedOccurrence, parent: string | null) => ({
    ...values,
    startTime: o.start,
    endTime: o.end,
    isRecurring: true,
    recurringPatternId: target.patternId,
    parentSessionId: parent,
  });
  const batch = async (db: SchedulingDb) => {
    const inserted: SessionRow[] = [];
    let parent = target.parentSessionId;
    let rest = occurrences;
    if (!parent) {
      const [first] = await db.insert(sessions).values(row(occurrences[0]!, null)).returning();
      inserted.push(first!);
      parent = first!.id;
      rest = occurrences.slice(1);
    }
    for (let i = 0; i < rest.length; i += ROWS_PER_STATEMENT) {
      inserted.push(
        ...(await db
          .insert(sessions)
          .values(rest.slice(i, i + ROWS_PER_STATEMENT).map((o) => row(o, parent)))
          .returning()),
      );
    }
    return inserted;
  };
  if (!target.skipOnRace) return { sessions: await batch(tx), skipped: [] };

  const whole = await insertInSavepoint(tx, batch);
  if (whole.ok) return { sessions: whole.value, skipped: [] };

  const inserted: SessionRow[] = [];
  const skipped: OccurrenceConflict[] = [];
  let parent = target.parentSessionId;
  for (const occurrence of occurrences) {
    const one = await insertInSavepoint(tx, async (db) => (await db.insert(sessions).values(row(occurrence, parent)).returning())[0]!);
    if (one.ok) {
      inserted.push(one.value);
      parent ??= one.value.id;
    } else {
      const ids = one.error.details.conflictingSessionIds;
      skipped.push({
        ...occurrence,
        code: one.error.code as OccurrenceConflict['code'],
        conflictingSessionIds: Array.isArray(ids) ? (ids as string[]) : [],
        conflictingDates: [],
      });
    }
  }
  return { sessions: inserted, skipped };
}

/**
 * Runs `work` in a savepoint. A refusal by the conflict trigger rolls back only the
 * savepoint and is returned; any other error propagates.
 */
async function insertInSavepoint<T>(
  tx: SchedulingDb,
  work: (db: SchedulingDb) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: ReturnType<typeof toSchedulingError> }> {
  try {
    return { ok: true, value: await inSavepoint(tx, work) };
  } catch (error) {
    const mapped = toSchedulingError(error);
    if (!RACE_CODES.has(mapped.code)) throw error;
    return { ok: false, error: mapped };
  }
}

/**
 * The conflicts the current transaction recorded for these sessions (the trigger
 * stamps `detected_at` with the transaction's start time).
 *
 * @internal
 */
export async function conflictsRecordedNowFor(tx: SchedulingDb, sessionIds: readonly string[]): Promise<ConflictRow[]> {
  if (sessionIds.length === 0) return [];
  return tx
    .select()
    .from(scheduleConflicts)
    .where(and(inArray(scheduleConflicts.sessionId, [...sessionIds]), sql`${scheduleConflicts.detectedAt} = now()`))
    .orderBy(scheduleConflicts.conflictId);
}

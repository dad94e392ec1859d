import type * as z from 'zod/mini';
import { SchedulingError } from '../../errors';
import type { CapacityPolicy } from '../../domain';
import { recurringPatterns } from '../../schema/unqualified';
import { requireUserId } from '../kernel/actor';
import type { SchedulingDb } from '../../db/scheduling-db';
import { addYears } from './calendar';
import type { OccurrenceConflict } from './conflicts';
import { expandSeries, loadHolidayDates } from './expansion';
import type { createSeriesSchema } from './inputs';
import { SERIES_MAX_YEARS } from './limits';
import { conflictsRecordedNowFor, insertOccurrences } from './insert';
import type { PatternRow } from './pattern';
import { planOccurrences, prepareTemplate, seriesConflict } from './plan';
import type { Actor } from '../kernel/types';
import type { ConflictRow, SessionRow } from '../kernel/rows';

/** Result of `series.create` and `series.extend`. */
export interface SeriesWriteResult {
  pattern: PatternRow;
  /** The sessions written by this call, by start time. */
  sessions: SessionRow[];
  /** Skip mode: the dates left out and why. */
  skipped: OccurrenceConflict[];
  /** Conflicts recorded for the new sessions (availability mismatches, overridden conflicts). */
  conflicts: ConflictRow[];
}

/**
 * Creates a series: expands the pattern in the location's zone (skipping the
 * location's and academy-wide holidays and the exception dates), checks every
 * occurrence in bulk, then writes the pattern row and the occurrences in one
 * transaction (`recurring_pattern_id`, `is_recurring`, `parent_session_id` = the
 * first occurrence).
 *
 * @internal
 */
export async function createSeries(
  tx: SchedulingDb,
  input: z.output<typeof createSeriesSchema>,
  actor: Actor,
  policy: CapacityPolicy,
): Promise<SeriesWriteResult> {
  const createdBy = requireUserId(actor);
  const { pattern: values, session: template, mode, override } = input;
  const prepared = await prepareTemplate(tx, template, policy, override);
  const holidays = values.skipHolidays ? await loadHolidayDates(tx, template.locationId, values.startDate, addYears(values.startDate, SERIES_MAX_YEARS)) : [];
  const occurrences = expandSeries(values, { timeZone: prepared.timeZone, holidays });
  if (occurrences.length === 0) {
    throw new SchedulingError('INVALID_INPUT', 'The pattern has no occurrences', { path: ['pattern'], reason: 'no_occurrences' });
  }
  const plan = await planOccurrences(tx, occurrences, prepared.resources, { mode, override });

  const [pattern] = await tx
    .insert(recurringPatterns)
    .values({ ...values, createdBy })
    .returning();
  const written = await insertOccurrences(
    tx,
    plan.write,
    { ...template, capacity: prepared.capacity, createdBy, updatedBy: createdBy },
    { patternId: pattern!.id, parentSessionId: null, skipOnRace: mode === 'skip-conflicts' && !override },
  );
  const skipped = [...plan.skipped, ...written.skipped].sort((a, b) => a.localDate.localeCompare(b.localDate));
  // Every remaining date lost a race: there is no series to keep.
  if (written.sessions.length === 0) throw seriesConflict(skipped, occurrences.length);
  return {
    pattern: pattern!,
    sessions: written.sessions.sort((a, b) => a.startTime.getTime() - b.startTime.getTime()),
    skipped,
    conflicts: await conflictsRecordedNowFor(
      tx,
      written.sessions.map((s) => s.id),
    ),
  };
}

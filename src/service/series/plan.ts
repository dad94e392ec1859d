import type * as z from 'zod/mini';
import { SchedulingError } from '../../errors';
import type { CapacityPolicy } from '../../domain';
import { loadFacility, loadInstructor, loadLocation } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import { type OccurrenceConflict, type PlannedOccurrence, type SeriesResources, findSeriesConflicts } from './conflicts';
import type { SeriesMode, seriesTemplateSchema } from './inputs';
import { findScheduleProblems, throwIfBlocked } from '../kernel/schedule-problems';
import { capacityForRoom } from '../../domain/index';

/** A session template checked against the database and the policy, ready to insert. */
export interface PreparedTemplate {
  timeZone: string;
  capacity: number;
  resources: SeriesResources;
}

/**
 * Loads what a template names (`NOT_FOUND` / `INVALID_INPUT` / `INVALID_STATE` as for
 * a single session) and checks, once for the whole series, what does not depend on
 * the date: the capacity policy (never overridable) and the facility's size.
 *
 * @internal
 */
export async function prepareTemplate(
  tx: SchedulingDb,
  template: Pick<z.output<typeof seriesTemplateSchema>, 'locationId' | 'facilityId' | 'instructorId' | 'sessionType' | 'capacity' | 'minParticipants'>,
  policy: CapacityPolicy,
  override: boolean,
  path: string[] = ['session'],
): Promise<PreparedTemplate> {
  const location = await loadLocation(tx, template.locationId, [...path, 'locationId']);
  const facility = await loadFacility(tx, template.facilityId, template.locationId, [...path, 'facilityId']);
  if (template.instructorId) await loadInstructor(tx, template.instructorId, [...path, 'instructorId']);
  const capacity = template.capacity ?? capacityForRoom(template.sessionType, policy, facility.capacity);
  // The same check sessions.create runs, minus overlaps (checked per date in bulk).
  const problems = await findScheduleProblems(
    tx,
    {
      id: null,
      sessionType: template.sessionType,
      capacity,
      minParticipants: template.minParticipants ?? null,
      locationId: template.locationId,
      facility,
      instructorId: template.instructorId ?? null,
      startTime: new Date(0),
      endTime: new Date(1),
      check: { overlaps: false, instructor: false, facility: false, facilitySize: true, students: false },
    },
    policy,
  );
  throwIfBlocked(problems, { override });
  return {
    timeZone: location.timezone,
    capacity,
    resources: { instructorId: template.instructorId ?? null, locationId: template.locationId, facility },
  };
}

/** Which occurrences to write and which were left out. */
export interface OccurrencePlan {
  write: PlannedOccurrence[];
  skipped: OccurrenceConflict[];
}

/**
 * Decides which occurrences to write: all of them under an override (the trigger
 * records the conflicts as overridden); otherwise the conflicting ones refuse the
 * call (`all-or-nothing`, `SERIES_CONFLICT` listing every conflicting date) or are
 * skipped (`skip-conflicts`; refused too when nothing would be left).
 *
 * @internal
 */
export async function planOccurrences(
  tx: SchedulingDb,
  occurrences: readonly PlannedOccurrence[],
  resources: SeriesResources,
  options: { mode: SeriesMode; override: boolean },
): Promise<OccurrencePlan> {
  if (options.override) return { write: [...occurrences], skipped: [] };
  const conflicts = await findSeriesConflicts(tx, occurrences, resources);
  return decide(occurrences, conflicts, options.mode);
}

/**
 * Applies a mode to conflicts already found (shared by create, extend and edits).
 *
 * @internal
 */
export function decide(occurrences: readonly PlannedOccurrence[], conflicts: readonly OccurrenceConflict[], mode: SeriesMode): OccurrencePlan {
  if (conflicts.length === 0) return { write: [...occurrences], skipped: [] };
  const blocked = new Set(conflicts.map((c) => c.localDate));
  const write = occurrences.filter((o) => !blocked.has(o.localDate));
  if (mode === 'all-or-nothing' || write.length === 0) throw seriesConflict(conflicts, occurrences.length);
  return { write, skipped: [...conflicts] };
}

/**
 * The `SERIES_CONFLICT` error: `details.conflicts` lists every conflicting date with
 * its code and the sessions in the way; `details.conflictingDates` the dates alone.
 *
 * @internal
 */
export function seriesConflict(conflicts: readonly OccurrenceConflict[], total: number): SchedulingError {
  const dates = [...new Set(conflicts.map((c) => c.localDate))];
  return new SchedulingError(
    'SERIES_CONFLICT',
    `${dates.length} of ${total} occurrences conflict (${dates.slice(0, 10).join(', ')}${dates.length > 10 ? ', …' : ''})`,
    {
      conflicts: conflicts.map((c) => ({ ...c })),
      conflictingDates: dates,
      conflictingSessionIds: [...new Set(conflicts.flatMap((c) => c.conflictingSessionIds))],
    },
  );
}

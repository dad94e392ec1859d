import { eq, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { SchedulingError } from '../../errors';
import type { CapacityPolicy } from '../../domain';
import { recurringPatterns } from '../../schema/unqualified';
import { requireUserId } from '../kernel/actor';
import type { SchedulingDb } from '../../db/scheduling-db';
import { addYears } from './calendar';
import type { SeriesWriteResult } from './create';
import { expandSeries, loadHolidayDates } from './expansion';
import type { extendSeriesSchema } from './inputs';
import { SERIES_MAX_YEARS } from './limits';
import { conflictsRecordedNowFor, insertOccurrences } from './insert';
import { lockSeries } from './pattern';
import { planOccurrences, prepareTemplate, seriesConflict } from './plan';
import type { Actor } from '../kernel/types';

/**
 * Extends a series to a later end date or a larger count and creates only the new
 * dates (after the last date of the current pattern, in the future by the injected
 * clock), with the same checks and conflict modes as `series.create`. The new
 * occurrences copy the series' latest session. Giving only `endDate` drops a count
 * bound and giving only `maxOccurrences` drops the end date, so the new bound is the
 * one that applies.
 *
 * @internal
 */
export async function extendSeries(
  tx: SchedulingDb,
  input: z.output<typeof extendSeriesSchema>,
  actor: Actor,
  policy: CapacityPolicy,
  now: Date,
): Promise<SeriesWriteResult> {
  const createdBy = requireUserId(actor);
  const { pattern, timeZone, sessions } = await lockSeries(tx, input.patternId);
  if (input.endDate !== undefined && pattern.endDate && input.endDate <= pattern.endDate) {
    throw notLater('endDate', `endDate must be after the current end date ${pattern.endDate}`);
  }
  if (input.maxOccurrences !== undefined && pattern.maxOccurrences && input.maxOccurrences <= pattern.maxOccurrences) {
    throw notLater('maxOccurrences', `maxOccurrences must be more than the current ${pattern.maxOccurrences}`);
  }
  const extended = { ...pattern, endDate: input.endDate ?? null, maxOccurrences: input.maxOccurrences ?? null };

  const latest = sessions.at(-1)!;
  const {
    id: _id,
    sessionId: _code,
    startTime: _s,
    endTime: _e,
    durationMinutes: _d,
    availableSpots: _a,
    currentBookings: _b,
    status: _st,
    cancellationReason: _cr,
    cancelledAt: _ca,
    cancelledBy: _cb,
    createdAt: _c,
    updatedAt: _u,
    isRecurring: _r,
    recurringPatternId: _p,
    parentSessionId: _ps,
    localDate: _l,
    ...template
  } = latest;
  const prepared = await prepareTemplate(tx, { ...template, minParticipants: template.minParticipants ?? undefined }, policy, input.override, []);

  const holidays =
    pattern.skipHolidays === false ? [] : await loadHolidayDates(tx, latest.locationId, pattern.startDate, addYears(pattern.startDate, SERIES_MAX_YEARS));
  const current = expandSeries(pattern, { timeZone, holidays });
  const covered = [current.at(-1)?.localDate ?? '', latest.localDate].sort().at(-1)!;
  const existing = new Set(sessions.map((s) => s.localDate));
  const added = expandSeries(extended, { timeZone, holidays }).filter((o) => o.localDate > covered && !existing.has(o.localDate) && o.start > now);
  if (added.length === 0) {
    throw new SchedulingError('INVALID_INPUT', 'The extension adds no future occurrence', {
      path: [input.endDate ? 'endDate' : 'maxOccurrences'],
      reason: 'no_new_occurrences',
    });
  }
  const plan = await planOccurrences(tx, added, prepared.resources, { mode: input.mode, override: input.override });

  const [updated] = await tx
    .update(recurringPatterns)
    .set({ endDate: extended.endDate, maxOccurrences: extended.maxOccurrences, isActive: true, updatedAt: sql`now()` })
    .where(eq(recurringPatterns.id, pattern.id))
    .returning();
  const parent = sessions.find((s) => s.parentSessionId === null) ?? sessions[0]!;
  const written = await insertOccurrences(
    tx,
    plan.write,
    { ...template, capacity: prepared.capacity, createdBy, updatedBy: createdBy },
    { patternId: pattern.id, parentSessionId: parent.id, skipOnRace: input.mode === 'skip-conflicts' && !input.override },
  );
  const skipped = [...plan.skipped, ...written.skipped].sort((a, b) => a.localDate.localeCompare(b.localDate));
  if (written.sessions.length === 0) throw seriesConflict(skipped, added.length);
  return {
    pattern: updated!,
    sessions: written.sessions.sort((a, b) => a.startTime.getTime() - b.startTime.getTime()),
    skipped,
    conflicts: await conflictsRecordedNowFor(
      tx,
      written.sessions.map((s) => s.id),
    ),
  };
}

function notLater(field: string, message: string): SchedulingError {
  return new SchedulingError('INVALID_INPUT', message, { path: [field], reason: 'not_an_extension' });
}

import { and, eq, gte, isNull, lte, or } from 'drizzle-orm';
import { SchedulingError, isSchedulingError } from '../../errors';
import { type Occurrence, type RecurringPatternInput, expandRecurrence } from '../../domain';
import { holidays } from '../../schema/unqualified';
import type { SchedulingDb } from '../../db/scheduling-db';
import { addYears } from './calendar';
import { SERIES_MAX_OCCURRENCES, SERIES_MAX_YEARS } from './limits';

/**
 * The holiday dates that apply at a location between two local dates (inclusive):
 * the location's own rows and the academy-wide ones (`location_id` null).
 *
 * @internal
 */
export async function loadHolidayDates(tx: SchedulingDb, locationId: string, fromDate: string, toDate: string): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ date: holidays.holidayDate })
    .from(holidays)
    .where(and(or(eq(holidays.locationId, locationId), isNull(holidays.locationId)), gte(holidays.holidayDate, fromDate), lte(holidays.holidayDate, toDate)));
  return rows.map((r) => r.date).sort();
}

/**
 * Expands a series pattern with the domain's `expandRecurrence`, refusing what a
 * series may not be (`INVALID_INPUT` with `details.reason`): open-ended or longer
 * than {@link SERIES_MAX_OCCURRENCES} occurrences (`too_many_occurrences`), ending
 * {@link SERIES_MAX_YEARS} years or more after its start date (`series_too_long`),
 * or without any occurrence (`no_occurrences`). The domain's `limit` keeps an
 * open-ended pattern from being materialised beyond one occurrence too many.
 * Domain validation errors are reported under `pattern`.
 *
 * @internal
 */
export function expandSeries(pattern: RecurringPatternInput, options: { timeZone: string; holidays: string[] }): Occurrence[] {
  const occurrences = withPatternPath(() =>
    expandRecurrence(pattern, { timeZone: options.timeZone, holidays: options.holidays, limit: SERIES_MAX_OCCURRENCES + 1 }),
  );
  const openEnded = !pattern.endDate && !pattern.maxOccurrences;
  if (occurrences.length > SERIES_MAX_OCCURRENCES) {
    throw new SchedulingError(
      'INVALID_INPUT',
      openEnded ? 'The pattern never ends: give an endDate or maxOccurrences' : `A series has at most ${SERIES_MAX_OCCURRENCES} occurrences; this one has more`,
      { path: ['pattern', openEnded ? 'endDate' : 'maxOccurrences'], reason: openEnded ? 'open_ended' : 'too_many_occurrences', limit: SERIES_MAX_OCCURRENCES },
    );
  }
  const horizon = addYears(pattern.startDate, SERIES_MAX_YEARS);
  const last = occurrences.at(-1);
  if (last && last.localDate >= horizon) {
    throw new SchedulingError('INVALID_INPUT', `A series must end within ${SERIES_MAX_YEARS} years of its start date (before ${horizon})`, {
      path: ['pattern', 'endDate'],
      reason: openEnded ? 'open_ended' : 'series_too_long',
      limitYears: SERIES_MAX_YEARS,
      lastDate: last.localDate,
    });
  }
  return occurrences;
}

/**
 * The instants of a wall-clock time span on each of the given local dates, by date.
 *
 * @internal
 */
export function wallClockSlots(dates: readonly string[], startTime: string, endTime: string, timeZone: string): Map<string, Occurrence> {
  if (dates.length === 0) return new Map();
  const sorted = [...dates].sort();
  // One daily expansion over the span: the domain does the zone arithmetic (gaps, ambiguous hours).
  const all = withPatternPath(() =>
    expandRecurrence({ patternType: 'daily', startDate: sorted[0]!, endDate: sorted.at(-1)!, startTime, endTime, skipHolidays: false }, { timeZone }),
  );
  const wanted = new Set(sorted);
  return new Map(all.filter((o) => wanted.has(o.localDate)).map((o) => [o.localDate, o]));
}

/** Runs a domain call and reports its `INVALID_INPUT` paths under `pattern`, as the caller wrote them. */
function withPatternPath<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (isSchedulingError(error, 'INVALID_INPUT') && Array.isArray(error.details.path) && error.details.path[0] !== 'timeZone') {
      throw new SchedulingError(error.code, error.message, { ...error.details, path: ['pattern', ...error.details.path] }, { cause: error });
    }
    throw error;
  }
}

import * as z from 'zod/mini';
import { formatLocalDate, MS_PER_DAY, parseLocalDate, parseTimeOfDay, weekdayOf } from './calendar';
import { idSchema, instantSchema, localDateSchema, timeOfDaySchema, timeZoneSchema } from './schemas';
import { ZoneTimeline } from './time-zone';
import { parseInput } from './validate';

/** Longest date range {@link computeAvailabilityWindows} expands in one call. */
export const AVAILABILITY_MAX_DAYS = 3700;

/**
 * An `instructor_availability` row as Drizzle returns it (camelCase, `date`/`time` as
 * strings). Exactly one of `dayOfWeek` and `specificDate` is set, as the table's
 * `chk_availability_context` requires.
 *
 * @example
 * ```ts
 * import { availabilityRowSchema } from 'academy-scheduling/domain';
 * availabilityRowSchema.parse({
 *   id: 'a1', instructorId: 'i1', availabilityType: 'regular', dayOfWeek: 1, startTime: '09:00:00', endTime: '17:00:00',
 *   locationId: null, facilityId: null, effectiveFrom: '2025-01-01', effectiveUntil: null, specificDate: null,
 *   breakDurationMinutes: 60, breakStartTime: '12:00:00', maxConcurrentSessions: 1, isActive: true,
 * });
 * ```
 */
export const availabilityRowSchema = z
  .object({
    id: idSchema,
    instructorId: idSchema,
    availabilityType: z.enum(['regular', 'temporary', 'exception']),
    dayOfWeek: z.nullish(z.number().check(z.int(), z.gte(0), z.lte(6))),
    startTime: timeOfDaySchema,
    endTime: timeOfDaySchema,
    locationId: z.nullish(idSchema),
    facilityId: z.nullish(idSchema),
    effectiveFrom: localDateSchema,
    effectiveUntil: z.nullish(localDateSchema),
    specificDate: z.nullish(localDateSchema),
    breakDurationMinutes: z.nullish(z.number().check(z.int(), z.gte(0), z.lte(1440))),
    breakStartTime: z.nullish(timeOfDaySchema),
    maxConcurrentSessions: z.nullish(z.number().check(z.int(), z.gte(0), z.lte(1000))),
    isActive: z.nullish(z.boolean()),
  })
  .check(
    z.superRefine((row, ctx) => {
      if (parseTimeOfDay(row.endTime) <= parseTimeOfDay(row.startTime)) {
        ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'endTime must be after startTime' });
      }
      if ((row.dayOfWeek === null || row.dayOfWeek === undefined) === !row.specificDate) {
        ctx.addIssue({ code: 'custom', path: ['dayOfWeek'], message: 'exactly one of dayOfWeek and specificDate must be set' });
      }
      if (row.effectiveUntil && row.effectiveUntil < row.effectiveFrom) {
        ctx.addIssue({ code: 'custom', path: ['effectiveUntil'], message: 'effectiveUntil must not be before effectiveFrom' });
      }
    }),
  );

/** An `instructor_availability` row. */
export type AvailabilityRow = z.input<typeof availabilityRowSchema>;
type Row = z.output<typeof availabilityRowSchema>;

/**
 * Input of {@link computeAvailabilityWindows}: rows, an inclusive range of local
 * dates and the location's IANA zone.
 *
 * @example
 * ```ts
 * import { availabilityRangeSchema } from 'academy-scheduling/domain';
 * availabilityRangeSchema.parse({ rows: [], fromDate: '2025-03-03', toDate: '2025-03-09', timeZone: 'Europe/London' });
 * ```
 */
export const availabilityRangeSchema = z
  .object({ rows: z.array(availabilityRowSchema), fromDate: localDateSchema, toDate: localDateSchema, timeZone: timeZoneSchema })
  .check(
    z.superRefine((input, ctx) => {
      const days = parseLocalDate(input.toDate) - parseLocalDate(input.fromDate);
      if (days < 0) ctx.addIssue({ code: 'custom', path: ['toDate'], message: 'toDate must not be before fromDate' });
      if (days >= AVAILABILITY_MAX_DAYS) {
        ctx.addIssue({ code: 'custom', path: ['toDate'], message: `at most ${AVAILABILITY_MAX_DAYS} days per call` });
      }
    }),
  );

/** Input of {@link computeAvailabilityWindows}. */
export type AvailabilityRangeInput = z.input<typeof availabilityRangeSchema>;

/** A concrete stretch of time an instructor is available. */
export interface AvailabilityWindow {
  instructorId: string;
  start: Date;
  end: Date;
  /** How many sessions the instructor may run at once in this window. */
  maxConcurrentSessions: number;
  /** `id` of the availability row this window comes from. */
  sourceId: string;
  /** Local date (`YYYY-MM-DD`) of the row's day. */
  localDate: string;
  locationId: string | null;
  facilityId: string | null;
}

/**
 * Concrete availability windows (instants) for every instructor and local date in
 * `[fromDate, toDate]`. Per instructor and date, the first rule that applies wins:
 *
 * 1. `exception` rows on that date replace the day; an exception row with
 *    `maxConcurrentSessions: 0` is a **day off** (no windows at all that day, its
 *    times are ignored, and it wins over other exception rows of the date).
 * 2. Otherwise, if the date lies in the effective range of any `temporary` row, only
 *    temporary rows apply (on their weekday / specific date).
 * 3. Otherwise `regular` rows apply on their weekday within their effective range.
 *
 * A row with `specificDate` applies on that date only; one with `dayOfWeek` applies on
 * that weekday from `effectiveFrom` to `effectiveUntil` (inclusive). Inactive rows are
 * ignored; `maxConcurrentSessions` null means 1; a break (`breakStartTime` +
 * `breakDurationMinutes`) is cut out of the window (a duration without a start time
 * cannot be placed and is ignored). Wall times convert as in recurrence: a time in a
 * daylight-saving gap moves forward, an ambiguous one takes the earlier instant.
 *
 * @example
 * ```ts
 * import { computeAvailabilityWindows } from 'academy-scheduling/domain';
 * computeAvailabilityWindows({
 *   rows: [{
 *     id: 'a1', instructorId: 'i1', availabilityType: 'regular', dayOfWeek: 1, startTime: '09:00', endTime: '17:00',
 *     effectiveFrom: '2025-01-01', breakStartTime: '12:00', breakDurationMinutes: 60,
 *   }],
 *   fromDate: '2025-03-03', toDate: '2025-03-09', timeZone: 'America/New_York',
 * });
 * // Monday 3 March, 09:00–12:00 and 13:00–17:00 in New York:
 * // [{ instructorId: 'i1', start: 2025-03-03T14:00Z, end: 2025-03-03T17:00Z, sourceId: 'a1', … },
 * //  { instructorId: 'i1', start: 2025-03-03T18:00Z, end: 2025-03-03T22:00Z, sourceId: 'a1', … }]
 * ```
 */
export function computeAvailabilityWindows(input: AvailabilityRangeInput): AvailabilityWindow[] {
  const parsed = parseInput(availabilityRangeSchema, input);
  const fromDay = parseLocalDate(parsed.fromDate);
  const toDay = parseLocalDate(parsed.toDate);
  const timeline = ZoneTimeline.for(parsed.timeZone, fromDay * MS_PER_DAY);
  const byInstructor = new Map<string, Row[]>();
  for (const row of parsed.rows) {
    if (row.isActive === false) continue;
    const list = byInstructor.get(row.instructorId) ?? [];
    list.push(row);
    byInstructor.set(row.instructorId, list);
  }

  const windows: AvailabilityWindow[] = [];
  for (const rows of byInstructor.values()) {
    for (let day = fromDay; day <= toDay; day++) {
      const exceptions = rows.filter((r) => r.availabilityType === 'exception' && appliesOn(r, day));
      let chosen: Row[];
      if (exceptions.length > 0) {
        if (exceptions.some((r) => r.maxConcurrentSessions === 0)) continue;
        chosen = exceptions;
      } else if (rows.some((r) => r.availabilityType === 'temporary' && covers(r, day))) {
        chosen = rows.filter((r) => r.availabilityType === 'temporary' && appliesOn(r, day));
      } else {
        chosen = rows.filter((r) => r.availabilityType === 'regular' && appliesOn(r, day));
      }
      for (const row of chosen) windows.push(...windowsOf(row, day, timeline));
    }
  }
  return windows.sort(
    (a, b) => a.start.getTime() - b.start.getTime() || compareStrings(a.instructorId, b.instructorId) || compareStrings(a.sourceId, b.sourceId),
  );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether a row describes `day` (its specific date, or its weekday within its effective range). */
function appliesOn(row: Row, day: number): boolean {
  if (row.specificDate) return parseLocalDate(row.specificDate) === day;
  return row.dayOfWeek === weekdayOf(day) && covers(row, day);
}

/** Whether `day` lies in the row's date range (a specific-date row covers only its date). */
function covers(row: Row, day: number): boolean {
  if (row.specificDate) return parseLocalDate(row.specificDate) === day;
  return day >= parseLocalDate(row.effectiveFrom) && (!row.effectiveUntil || day <= parseLocalDate(row.effectiveUntil));
}

function windowsOf(row: Row, day: number, timeline: ZoneTimeline): AvailabilityWindow[] {
  const max = row.maxConcurrentSessions ?? 1;
  if (max === 0) return [];
  const wall = (time: string): number => timeline.toInstant(day * MS_PER_DAY + parseTimeOfDay(time) * 1000);
  const start = wall(row.startTime);
  const end = wall(row.endTime);
  let pieces: Array<[number, number]> = [[start, end]];
  const breakMinutes = row.breakDurationMinutes ?? 0;
  if (row.breakStartTime && breakMinutes > 0) {
    const breakStart = wall(row.breakStartTime);
    const breakEnd = breakStart + breakMinutes * 60_000;
    pieces = [
      [start, Math.min(end, breakStart)],
      [Math.max(start, breakEnd), end],
    ];
  }
  return pieces
    .filter(([s, e]) => e > s)
    .map(([s, e]) => ({
      instructorId: row.instructorId,
      start: new Date(s),
      end: new Date(e),
      maxConcurrentSessions: max,
      sourceId: row.id,
      localDate: formatLocalDate(day),
      locationId: row.locationId ?? null,
      facilityId: row.facilityId ?? null,
    }));
}

/**
 * A window as {@link sessionFitsAvailability} and {@link findFreeSlots} need it.
 *
 * @example
 * ```ts
 * import { availabilityWindowSchema } from 'academy-scheduling/domain';
 * availabilityWindowSchema.parse({ instructorId: 'i1', start: new Date('2025-01-15T09:00Z'), end: new Date('2025-01-15T12:00Z'), maxConcurrentSessions: 1 });
 * ```
 */
export const availabilityWindowSchema = z
  .object({
    instructorId: idSchema,
    start: instantSchema,
    end: instantSchema,
    maxConcurrentSessions: z.nullish(z.number().check(z.int(), z.gte(0))),
    sourceId: z.nullish(idSchema),
  })
  .check(z.refine((w) => w.end.getTime() > w.start.getTime(), { message: 'end must be after start', path: ['end'] }));

/**
 * A session or busy period of one instructor, `[start, end)`.
 *
 * @example
 * ```ts
 * import { instructorIntervalSchema } from 'academy-scheduling/domain';
 * instructorIntervalSchema.parse({ instructorId: 'i1', start: new Date('2025-01-15T10:00Z'), end: new Date('2025-01-15T11:00Z') });
 * ```
 */
export const instructorIntervalSchema = z
  .object({ instructorId: idSchema, start: instantSchema, end: instantSchema })
  .check(z.refine((s) => s.end.getTime() > s.start.getTime(), { message: 'end must be after start', path: ['end'] }));

const windowListSchema = z.array(availabilityWindowSchema);

/**
 * Whether the session `[start, end)` lies entirely inside one window of its instructor.
 *
 * @example
 * ```ts
 * import { sessionFitsAvailability } from 'academy-scheduling/domain';
 * const at = (h: number) => new Date(Date.UTC(2025, 0, 15, h));
 * const windows = [{ instructorId: 'i1', start: at(9), end: at(12) }];
 * sessionFitsAvailability({ instructorId: 'i1', start: at(10), end: at(11) }, windows); // true
 * sessionFitsAvailability({ instructorId: 'i1', start: at(11), end: at(13) }, windows); // false: it ends after the window
 * ```
 */
export function sessionFitsAvailability(
  session: z.input<typeof instructorIntervalSchema>,
  windows: ReadonlyArray<z.input<typeof availabilityWindowSchema>>,
): boolean {
  const s = parseInput(instructorIntervalSchema, session, { prefix: ['session'], argument: 'session' });
  const ws = parseInput(windowListSchema, windows, { prefix: ['windows'], argument: 'windows' });
  return ws.some((w) => w.instructorId === s.instructorId && w.start.getTime() <= s.start.getTime() && s.end.getTime() <= w.end.getTime());
}

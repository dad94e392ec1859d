import { eq, inArray, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { SchedulingError } from '../../errors';
import type { CapacityPolicy } from '../../domain';
import { facilities, recurringPatterns, sessions } from '../../schema/unqualified';
import { requireUserId } from '../kernel/actor';
import { loadFacility, loadInstructor } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import { addDays } from './calendar';
import { type OccurrenceConflict, type OccurrenceMove, findSeriesConflicts, findStudentConflictsOfMoves } from './conflicts';
import { expandSeries, loadHolidayDates, wallClockSlots } from './expansion';
import type { editFollowingSchema, editOccurrenceSchema } from './inputs';
import { conflictsRecordedNowFor } from './insert';
import { type PatternRow, isOpen, lockSeriesOf } from './pattern';
import { seriesConflict } from './plan';
import type { Actor } from '../kernel/types';
import { type ConflictRow, type SessionRow } from '../kernel/rows';
import { type UpdateSessionResult, updateSession } from '../places/session-change';
import type { PromotionSettings } from '../places/waitlist-promotion';

/**
 * Changes one occurrence (times, instructor, facility) with exactly the checks of
 * `sessions.update`, students included. It stays in its series: only its own values
 * differ from the pattern.
 *
 * @internal
 */
export async function editOccurrence(
  tx: SchedulingDb,
  input: z.output<typeof editOccurrenceSchema>,
  actor: Actor,
  settings: { policy: CapacityPolicy; promotion: PromotionSettings; now: Date },
): Promise<UpdateSessionResult> {
  await lockSeriesOf(tx, input.sessionId);
  return updateSession(tx, { ...input, dryRun: false }, actor, settings);
}

/** Result of `series.editFollowing`. */
export interface EditFollowingResult {
  /** The pattern the occurrences now belong to: a new row after a split, else the edited one. */
  pattern: PatternRow;
  /** The pattern that now ends the day before (null when the edit started at the first date and changed the pattern in place). */
  previousPattern: PatternRow | null;
  /** The occurrences moved or changed, by start time. */
  sessions: SessionRow[];
  conflicts: ConflictRow[];
}

/**
 * This-and-following: from the occurrence's local date on, the series gets new
 * wall-clock times, instructor or facility. The pattern is split (the old one ends
 * the day before, a new `recurring_patterns` row starts at the first pattern date
 * from then on) and the open occurrences move to it with the change applied.
 * Occurrences in the past, in progress or completed are not touched. Instructor and
 * facility conflicts refuse the edit with `SERIES_CONFLICT` (every date); confirmed
 * students booked elsewhere at a new time refuse it with `STUDENT_CONFLICT` naming
 * them — unless an administrator overrides.
 *
 * @internal
 */
export async function editFollowing(tx: SchedulingDb, input: z.output<typeof editFollowingSchema>, actor: Actor, now: Date): Promise<EditFollowingResult> {
  const userId = requireUserId(actor);
  const { series, occurrence } = await lockSeriesOf(tx, input.sessionId);
  const { pattern, timeZone } = series;
  if (!isOpen(occurrence, now)) {
    throw new SchedulingError('INVALID_STATE', `Session ${occurrence.sessionId} is ${occurrence.status} or past and cannot start a change of the series`, {
      path: ['sessionId'],
      sessionId: occurrence.id,
      sessionStatus: occurrence.status,
    });
  }
  const startTime = input.startTime ?? pattern.startTime;
  const endTime = input.endTime ?? pattern.endTime;
  if (normalTime(endTime) <= normalTime(startTime)) {
    throw new SchedulingError('INVALID_INPUT', 'endTime must be after startTime', { path: [input.endTime ? 'endTime' : 'startTime'] });
  }
  const retimed = normalTime(startTime) !== normalTime(pattern.startTime) || normalTime(endTime) !== normalTime(pattern.endTime);
  if (input.instructorId) await loadInstructor(tx, input.instructorId);
  const facility = input.facilityId ? await loadFacility(tx, input.facilityId, occurrence.locationId) : null;

  const fromDate = occurrence.localDate;
  const moving = series.sessions.filter((s) => s.localDate >= fromDate && isOpen(s, now));
  const slots = retimed
    ? wallClockSlots(
        moving.map((s) => s.localDate),
        startTime,
        endTime,
        timeZone,
      )
    : new Map();
  const next = moving.map((s) => ({
    session: s,
    start: slots.get(s.localDate)?.start ?? s.startTime,
    end: slots.get(s.localDate)?.end ?? s.endTime,
    instructorId: input.instructorId !== undefined ? input.instructorId : s.instructorId,
    facilityId: facility?.id ?? s.facilityId,
  }));

  if (!input.override) await refuseConflicts(tx, next, { retimed, newInstructor: input.instructorId !== undefined, newFacility: facility !== null });

  // Split the pattern, unless the change starts at its first date (then it changes in place).
  const holidays =
    pattern.skipHolidays === false ? [] : await loadHolidayDates(tx, occurrence.locationId, pattern.startDate, pattern.endDate ?? addDays(fromDate, 800));
  const patternDates = expandSeries(pattern, { timeZone, holidays }).map((o) => o.localDate);
  const before = patternDates.filter((d) => d < fromDate).length;
  let target: PatternRow;
  let previous: PatternRow | null = null;
  const times = { startTime, endTime, updatedAt: sql`now()` };
  if (fromDate <= pattern.startDate || before === 0) {
    [target] = (await tx.update(recurringPatterns).set(times).where(eq(recurringPatterns.id, pattern.id)).returning()) as [PatternRow];
  } else {
    const newStart = patternDates.find((d) => d >= fromDate) ?? fromDate;
    [previous] = (await tx
      .update(recurringPatterns)
      .set({ endDate: addDays(fromDate, -1), maxOccurrences: pattern.maxOccurrences ? before : null, updatedAt: sql`now()` })
      .where(eq(recurringPatterns.id, pattern.id))
      .returning()) as [PatternRow];
    const { id: _id, createdAt: _c, updatedAt: _u, ...copy } = pattern;
    const remaining = pattern.maxOccurrences ? pattern.maxOccurrences - before : null;
    [target] = (await tx
      .insert(recurringPatterns)
      .values({
        ...copy,
        ...times,
        startDate: newStart,
        endDate: pattern.endDate && pattern.endDate < newStart ? newStart : pattern.endDate,
        maxOccurrences: remaining && remaining > 0 ? remaining : null,
        exceptionDates: pattern.exceptionDates?.filter((d) => d >= newStart) ?? null,
        createdBy: userId,
      })
      .returning()) as [PatternRow];
  }
  const split = previous !== null;
  const parent = split ? (next[0]?.session.id ?? null) : null;
  if (next.length > 0) {
    // One statement for every occurrence: the conflict trigger still checks each row.
    const payload = JSON.stringify(
      next.map((n) => ({
        id: n.session.id,
        s: n.start.toISOString(),
        e: n.end.toISOString(),
        instructor: n.instructorId,
        facility: n.facilityId,
        pattern: target.id,
        parent: split ? (n.session.id === parent ? null : parent) : n.session.parentSessionId,
      })),
    );
    await tx.execute(sql`
      UPDATE sessions AS s
      SET start_time = c.s, end_time = c.e, instructor_id = c.instructor, facility_id = c.facility,
          recurring_pattern_id = c.pattern, parent_session_id = c.parent, updated_by = ${userId}::uuid, updated_at = now()
      FROM json_to_recordset(${payload}::json) AS c(id uuid, s timestamptz, e timestamptz, instructor uuid, facility uuid, pattern uuid, parent uuid)
      WHERE s.id = c.id`);
  }
  const ids = next.map((n) => n.session.id);
  const rows = ids.length > 0 ? await tx.select().from(sessions).where(inArray(sessions.id, ids)) : [];
  return {
    pattern: target!,
    previousPattern: previous,
    sessions: rows.sort((a, b) => a.startTime.getTime() - b.startTime.getTime()),
    conflicts: await conflictsRecordedNowFor(tx, ids),
  };
}

interface Change {
  session: SessionRow & { localDate: string };
  start: Date;
  end: Date;
  instructorId: string | null;
  facilityId: string;
}

/** The checks the conflict trigger runs for these changes, in bulk, before writing. */
async function refuseConflicts(tx: SchedulingDb, changes: Change[], what: { retimed: boolean; newInstructor: boolean; newFacility: boolean }) {
  const active = changes.filter((c) => c.session.status === 'scheduled');
  const checkInstructor = what.retimed || what.newInstructor;
  const checkFacility = what.retimed || what.newFacility;
  if (!checkInstructor && !checkFacility) return;
  const exclude = changes.map((c) => c.session.id);
  const found: OccurrenceConflict[] = [];
  // Occurrences edited one by one may differ in instructor or facility: one bulk check per combination.
  const groups = new Map<string, Change[]>();
  for (const c of active) groups.set(`${c.instructorId}|${c.facilityId}`, [...(groups.get(`${c.instructorId}|${c.facilityId}`) ?? []), c]);
  for (const group of groups.values()) {
    const [facility] = await tx.select().from(facilities).where(eq(facilities.id, group[0]!.facilityId));
    const conflicts = await findSeriesConflicts(
      tx,
      group.map((c) => ({ localDate: c.session.localDate, start: c.start, end: c.end })),
      { instructorId: group[0]!.instructorId, locationId: group[0]!.session.locationId, facility: facility!, excludeSessionIds: exclude },
    );
    found.push(...conflicts.filter((c) => (c.code === 'INSTRUCTOR_DOUBLE_BOOKED' ? checkInstructor : checkFacility)));
  }
  const moves: OccurrenceMove[] = what.retimed
    ? active.map((c) => ({ sessionId: c.session.id, localDate: c.session.localDate, start: c.start, end: c.end }))
    : [];
  const students = await findStudentConflictsOfMoves(tx, moves);
  if (found.length > 0)
    throw seriesConflict(
      [...found, ...students].sort((a, b) => a.localDate.localeCompare(b.localDate)),
      active.length,
    );
  if (students.length > 0) {
    const studentIds = [...new Set(students.flatMap((s) => s.studentIds ?? []))];
    throw new SchedulingError('STUDENT_CONFLICT', `${studentIds.length} confirmed student(s) are booked elsewhere at the new time`, {
      studentIds,
      conflicts: students,
      conflictingSessionIds: [...new Set(students.flatMap((s) => s.conflictingSessionIds))],
    });
  }
}

/** `HH:MM[:SS]` as `HH:MM:SS`, comparable as a string. */
function normalTime(value: string): string {
  return value.length === 5 ? `${value}:00` : value;
}

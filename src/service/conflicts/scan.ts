import { ACTIVE_SESSION_STATUSES } from '../../domain/statuses';
import { and, eq, gt, inArray, lt } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { detectConflicts, type ScheduleConflict } from '../../domain';
import { facilities, instructors, scheduleConflicts, sessionBookings, sessions } from '../../schema/unqualified';
import { CONFLICT_SEVERITY } from '../../domain';
import { findAvailabilityMismatches } from '../kernel/availability-mismatch';
import { recordConflicts } from '../kernel/conflict-recording';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { ConflictRow } from '../kernel/rows';
import { scanConflictsSchema } from './inputs';

const DAY_MS = 86_400_000;
/** Result of `conflicts.scan`. */
export interface ScanConflictsResult {
  /** Every conflict found among the active sessions of the range. */
  found: ScheduleConflict[];
  /** The rows newly stored (conflicts already open were skipped). */
  recorded: ConflictRow[];
}

/**
 * Finds conflicts among the active sessions of a range that got there without the
 * service's checks (raw SQL, an override, data loaded in bulk): instructor and
 * facility overlaps beyond their limits, students in overlapping sessions, more
 * confirmed bookings than capacity, sessions outside availability. Detection is the
 * domain's `detectConflicts` (instructor limit: the instructor's
 * `max_concurrent_sessions`); each conflict not already open is stored once.
 *
 * @internal
 */
export async function scanConflicts(tx: SchedulingDb, input: z.output<typeof scanConflictsSchema>, detectedBy: string | null): Promise<ScanConflictsResult> {
  const active = await tx
    .select()
    .from(sessions)
    .where(
      and(
        inArray(sessions.status, [...ACTIVE_SESSION_STATUSES]),
        gt(sessions.startTime, new Date(input.from.getTime() - DAY_MS)),
        lt(sessions.startTime, input.until),
        gt(sessions.endTime, input.from),
      ),
    );
  if (active.length === 0) return { found: [], recorded: [] };
  const ids = active.map((s) => s.id);
  const bookings = await tx
    .select({
      id: sessionBookings.id,
      sessionId: sessionBookings.sessionId,
      studentId: sessionBookings.studentId,
      amountCharged: sessionBookings.amountCharged,
    })
    .from(sessionBookings)
    .where(and(inArray(sessionBookings.sessionId, ids), eq(sessionBookings.bookingStatus, 'confirmed')));
  const instructorIds = [...new Set(active.flatMap((s) => (s.instructorId ? [s.instructorId] : [])))];
  const instructorLimits = instructorIds.length
    ? await tx.select({ id: instructors.id, max: instructors.maxConcurrentSessions }).from(instructors).where(inArray(instructors.id, instructorIds))
    : [];
  const facilityLimits = await tx
    .select({ id: facilities.id, max: facilities.maxConcurrentSessions })
    .from(facilities)
    .where(inArray(facilities.id, [...new Set(active.map((s) => s.facilityId))]));

  const found = detectConflicts({
    sessions: active.map((s) => ({
      id: s.id,
      instructorId: s.instructorId,
      facilityId: s.facilityId,
      start: s.startTime,
      end: s.endTime,
      capacity: s.capacity,
      status: s.status,
    })),
    bookings: bookings.map((b) => ({ bookingId: b.id, sessionId: b.sessionId, studentId: b.studentId, status: 'confirmed' as const })),
    instructorMaxConcurrent: Object.fromEntries(instructorLimits.map((l) => [l.id, l.max])),
    facilityMaxConcurrent: Object.fromEntries(facilityLimits.map((l) => [l.id, l.max])),
  });
  const booked = (id: string) => bookings.filter((b) => b.sessionId === id).length;
  for (const s of await findAvailabilityMismatches(tx, active)) {
    found.push({
      conflictType: 'availability_mismatch',
      severity: CONFLICT_SEVERITY.availability_mismatch,
      sessionId: s.id,
      conflictingSessionId: null,
      instructorId: s.instructorId,
      facilityId: s.facilityId,
      studentId: null,
      start: s.startTime,
      end: s.endTime,
      description: `Session ${s.sessionId} is outside the instructor's availability`,
      affectedBookings: booked(s.id),
    });
  }
  const insertedIds = await recordConflicts(tx, found, bookings, detectedBy);
  const recorded = insertedIds.length
    ? await tx.select().from(scheduleConflicts).where(inArray(scheduleConflicts.id, insertedIds)).orderBy(scheduleConflicts.conflictId)
    : [];
  return { found, recorded };
}

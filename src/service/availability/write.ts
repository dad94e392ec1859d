import { ACTIVE_SESSION_STATUSES } from '../../domain/statuses';
import { and, eq, gte, inArray, lt, ne, or, isNull, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { SchedulingError } from '../../errors';
import { availabilityRowSchema, parseInput, CONFLICT_SEVERITY } from '../../domain';
import { instructorAvailability, scheduleConflicts, sessionBookings, sessions } from '../../schema/unqualified';
import { requireAdministratorOrInstructor } from '../kernel/actor';
import { requireAdministratorToRaiseConcurrency } from '../kernel/administrator-decisions';
import { availabilitySlotsOverlap } from './overlap';
import { findAvailabilityMismatches } from '../kernel/availability-mismatch';
import { recordConflicts } from '../kernel/conflict-recording';
import { loadFacility, loadInstructor, loadLocation, notFound } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import type { ConflictRow } from '../kernel/rows';
import { slotFields, addAvailabilitySchema } from './inputs';

type AvailabilityRowDb = typeof instructorAvailability.$inferSelect;

/** Result of an availability change. */
export interface AvailabilityChangeResult {
  availability: AvailabilityRowDb;
  /** Availability mismatches newly recorded for the instructor's future sessions now outside their availability. */
  mismatches: ConflictRow[];
  /** Under `override`: the sessions the change left over their limit, recorded as resolved conflicts. */
  overloads: ConflictRow[];
}

/** How far ahead sessions are re-checked after an availability change. */
const RECHECK_DAYS = 365;

/**
 * Adds, changes or deactivates an availability slot (`values` is the whole row after
 * the change). Refuses a slot that clashes with another active slot of the same type
 * (`AVAILABILITY_OVERLAP`, naming them in `details.conflictingAvailabilityIds`), then
 * records an `availability_mismatch` for every future active session of the
 * instructor that the new availability no longer covers.
 *
 * @internal
 */
export async function writeAvailability(
  tx: SchedulingDb,
  existing: AvailabilityRowDb | null,
  values: Omit<z.output<typeof addAvailabilitySchema>, 'override'> & { isActive?: boolean },
  actor: Actor,
  now: Date,
): Promise<AvailabilityChangeResult> {
  requireAdministratorOrInstructor(actor, values.instructorId, "change another instructor's availability", 'not_their_availability');
  parseInput(availabilityRowSchema, { ...values, id: existing?.id ?? 'new' }, { argument: 'input' });
  const instructor = await loadInstructor(tx, values.instructorId);
  // An instructor may lower their own limit, or restore it, but not raise it past their own.
  requireAdministratorToRaiseConcurrency(
    actor,
    values.maxConcurrentSessions,
    Math.max(instructor.maxConcurrentSessions, existing ? (existing.maxConcurrentSessions ?? 1) : 0),
  );
  if (values.locationId) await loadLocation(tx, values.locationId);
  if (values.facilityId) {
    if (!values.locationId) throw new SchedulingError('INVALID_INPUT', 'A facility slot needs its locationId', { path: ['locationId'] });
    await loadFacility(tx, values.facilityId, values.locationId);
  }
  // Only the slot's own columns: `values` may be a whole stored row merged with changes.
  const slot = Object.fromEntries(
    [...Object.keys(slotFields), 'isActive'].filter((k) => k in values).map((k) => [k, (values as Record<string, unknown>)[k]]),
  ) as typeof values;
  const normalized = { ...slot, startTime: seconds(values.startTime), endTime: seconds(values.endTime), breakStartTime: seconds(values.breakStartTime) };
  if (values.isActive !== false) {
    const others = await tx
      .select()
      .from(instructorAvailability)
      .where(
        and(
          eq(instructorAvailability.instructorId, instructor.id),
          or(eq(instructorAvailability.isActive, true), isNull(instructorAvailability.isActive)),
          existing ? ne(instructorAvailability.id, existing.id) : undefined,
        ),
      );
    const clashes = others.filter((o) =>
      availabilitySlotsOverlap(o, {
        ...normalized,
        dayOfWeek: normalized.dayOfWeek ?? null,
        specificDate: normalized.specificDate ?? null,
        effectiveUntil: normalized.effectiveUntil ?? null,
      }),
    );
    if (clashes.length > 0) {
      throw new SchedulingError('AVAILABILITY_OVERLAP', 'Instructor availability slots cannot overlap', {
        instructorId: instructor.id,
        conflictingAvailabilityIds: clashes.map((c) => c.id),
      });
    }
  }
  const [availability] = existing
    ? await tx
        .update(instructorAvailability)
        .set({ ...normalized, updatedAt: now })
        .where(eq(instructorAvailability.id, existing.id))
        .returning()
    : await tx
        .insert(instructorAvailability)
        .values({ ...normalized, createdBy: actor.userId ?? null })
        .returning();
  return {
    availability: availability!,
    mismatches: await recordFutureMismatches(tx, instructor.id, actor, now),
    overloads: await overloadsRecordedNow(tx, instructor.id),
  };
}

/** What the availability trigger recorded under an override in this transaction (its `detected_at` is the transaction's `now()`). */
async function overloadsRecordedNow(tx: SchedulingDb, instructorId: string): Promise<ConflictRow[]> {
  return tx
    .select()
    .from(scheduleConflicts)
    .where(
      and(
        eq(scheduleConflicts.instructorId, instructorId),
        eq(scheduleConflicts.conflictType, 'instructor_double_booking'),
        eq(scheduleConflicts.resolutionMethod, 'manual_override'),
        sql`${scheduleConflicts.detectedAt} = now()`,
      ),
    )
    .orderBy(scheduleConflicts.conflictId);
}

/**
 * The row to change, locked, or `NOT_FOUND`.
 *
 * @internal
 */
export async function lockAvailability(tx: SchedulingDb, id: string): Promise<AvailabilityRowDb> {
  const [row] = await tx.select().from(instructorAvailability).where(eq(instructorAvailability.id, id)).for('update');
  if (!row) throw notFound('availability slot', id, ['availabilityId']);
  return row;
}

async function recordFutureMismatches(tx: SchedulingDb, instructorId: string, actor: Actor, now: Date): Promise<ConflictRow[]> {
  const upcoming = await tx
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.instructorId, instructorId),
        inArray(sessions.status, [...ACTIVE_SESSION_STATUSES]),
        gte(sessions.startTime, now),
        lt(sessions.startTime, new Date(now.getTime() + RECHECK_DAYS * 86_400_000)),
      ),
    );
  const outside = await findAvailabilityMismatches(tx, upcoming);
  const bookings = outside.length
    ? await tx
        .select({ sessionId: sessionBookings.sessionId, studentId: sessionBookings.studentId, amountCharged: sessionBookings.amountCharged })
        .from(sessionBookings)
        .where(
          and(
            inArray(
              sessionBookings.sessionId,
              outside.map((s) => s.id),
            ),
            eq(sessionBookings.bookingStatus, 'confirmed'),
          ),
        )
    : [];
  const ids = await recordConflicts(
    tx,
    outside.map((s) => ({
      conflictType: 'availability_mismatch' as const,
      severity: CONFLICT_SEVERITY.availability_mismatch,
      sessionId: s.id,
      conflictingSessionId: null,
      instructorId,
      facilityId: s.facilityId,
      studentId: null,
      start: s.startTime,
      end: s.endTime,
      description: `Session ${s.sessionId} is outside the instructor's availability`,
      affectedBookings: s.currentBookings,
    })),
    bookings,
    actor.userId ?? null,
  );
  return ids.length ? tx.select().from(scheduleConflicts).where(inArray(scheduleConflicts.id, ids)) : [];
}

/** `HH:MM` → `HH:MM:SS`, the form Postgres returns, so comparisons with stored rows are exact. */
function seconds<T extends string | null | undefined>(time: T): T {
  return (typeof time === 'string' && time.length === 5 ? `${time}:00` : time) as T;
}

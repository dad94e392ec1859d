import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { SchedulingError } from '../errors';
import { type CapacityPolicy, type SessionType, defaultCapacity } from '../domain';
import { scheduleConflicts, sessions } from '../schema';
import { queryRows } from '../internal/db';
import { forbidden, isAdministrator, requireUserId } from './actor';
import { afterCapacityRaised } from './capacity-raised';
import { loadFacility, loadInstructor, loadLocation, lockSession, lookUpTogether } from './references';
import type { SchedulingDb } from './scheduling-db';
import { type ScheduleProblem, findScheduleProblems, loadScheduleNeighbours, throwIfBlocked } from './session-problems';
import type { createSessionSchema, updateSessionSchema } from './session-inputs';
import type { Actor } from './types';

/** A `sessions` row. */
export type SessionRow = typeof sessions.$inferSelect;
/** A `schedule_conflicts` row. */
export type ConflictRow = typeof scheduleConflicts.$inferSelect;

/** Result of `sessions.create`. */
export interface CreateSessionResult {
  session: SessionRow;
  /** Conflicts recorded for the new session in this call (availability mismatches, overridden conflicts). */
  conflicts: ConflictRow[];
}

/** Result of `sessions.update` / `sessions.reschedule`. */
export interface UpdateSessionResult {
  /** False for a dry run: nothing was written. */
  applied: boolean;
  /** The session after the change (unchanged for a dry run). */
  session: SessionRow;
  /** Conflicts recorded for the session in this call. */
  conflicts: ConflictRow[];
  /** What stands in the way (a dry run reports; a real run refuses with the first blocking one, or records them under an override). */
  problems: ScheduleProblem[];
}

const ACTIVE = new Set(['scheduled', 'in_progress']);

/**
 * Creates a session after checking it (capacity policy, facility size, instructor and
 * facility overlaps) so a refusal is a typed error naming the sessions in the way.
 *
 * @example
 * ```ts
 * const { session, conflicts } = await createSession(tx, input, actor, policy);
 * ```
 */
export async function createSession(
  tx: SchedulingDb,
  input: z.output<typeof createSessionSchema>,
  actor: Actor,
  policy: CapacityPolicy,
): Promise<CreateSessionResult> {
  const createdBy = requireUserId(actor);
  if (!isAdministrator(actor) && !(actor.kind === 'instructor' && actor.instructorId && actor.instructorId === input.instructorId)) {
    throw forbidden(actor, 'create a session (instructors may create only sessions they teach)');
  }
  // One round trip on postgres.js: the references, the sessions around the new one,
  // and whether the instructor's availability covers it.
  const [, facility, , neighbours, fits] = await lookUpTogether([
    loadLocation(tx, input.locationId),
    loadFacility(tx, input.facilityId, input.locationId),
    input.instructorId ? loadInstructor(tx, input.instructorId) : Promise.resolve(null),
    loadScheduleNeighbours(tx, { id: null, facilityId: input.facilityId, instructorId: input.instructorId ?? null, startTime: input.startTime, endTime: input.endTime }),
    input.instructorId ? fitsAvailability(tx, input.instructorId, input.locationId, input.startTime, input.endTime) : Promise.resolve(true),
  ]);

  const capacity = input.capacity ?? capacityForRoom(input.sessionType, policy, facility.capacity);
  const problems = await findScheduleProblems(
    tx,
    {
      id: null,
      sessionType: input.sessionType,
      capacity,
      minParticipants: input.minParticipants ?? null,
      locationId: input.locationId,
      facility,
      instructorId: input.instructorId ?? null,
      startTime: input.startTime,
      endTime: input.endTime,
      check: { overlaps: true, instructor: true, facility: true, facilitySize: true, students: false },
    },
    policy,
    { neighbours },
  );
  throwIfBlocked(problems, { override: input.override });

  const { override: _override, ...values } = input;
  const [session] = await tx
    .insert(sessions)
    .values({ ...values, capacity, createdBy, updatedBy: createdBy })
    .returning();
  // Without an override the insert trigger can record only an availability mismatch,
  // so when the availability covers the session there is nothing to read back. (An
  // availability change committed between the check and the insert can still make
  // the trigger record one: it is in `conflicts.list`, as the trigger stored it.)
  const mayHaveRecorded = input.override || !fits;
  return { session: session!, conflicts: mayHaveRecorded ? await conflictsRecordedNow(tx, session!.id) : [] };
}

/**
 * Whether the insert trigger would find the session inside the instructor's
 * availability: the same test (`covering_availability`, and an instructor without
 * any active availability rows never mismatches).
 */
async function fitsAvailability(tx: SchedulingDb, instructorId: string, locationId: string, start: Date, end: Date): Promise<boolean> {
  const [row] = await queryRows<{ fits: boolean }>(
    tx,
    sql`SELECT NOT EXISTS (SELECT 1 FROM scheduling.instructor_availability WHERE instructor_id = ${instructorId}::uuid AND coalesce(is_active, true))
            OR EXISTS (SELECT 1 FROM scheduling.covering_availability(${instructorId}::uuid, ${locationId}::uuid,
                         ${start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz)) AS fits`,
  );
  return row?.fits === true;
}

/**
 * Changes a session (fields, times, instructor, facility, capacity) with the same
 * checks as create; moving it re-checks every confirmed student. `dryRun` reports.
 *
 * @example
 * ```ts
 * const result = await updateSession(tx, { sessionId, startTime, endTime, override: false, dryRun: true }, actor, policy);
 * result.problems; // [{ code: 'STUDENT_CONFLICT', studentClashes: [...] }]
 * ```
 */
export async function updateSession(
  tx: SchedulingDb,
  input: z.output<typeof updateSessionSchema>,
  actor: Actor,
  policy: CapacityPolicy,
): Promise<UpdateSessionResult> {
  const { sessionId, override, dryRun, ...changes } = input;
  const current = await lockSession(tx, sessionId);
  authorizeUpdate(actor, current, changes);
  if (current.status === 'cancelled' || current.status === 'completed') {
    throw new SchedulingError('INVALID_STATE', `Session ${current.sessionId} is ${current.status} and cannot be changed`, {
      sessionId,
      status: current.status,
    });
  }
  const next = { ...current, ...stripUndefined(changes) };
  const moved = next.startTime.getTime() !== current.startTime.getTime() || next.endTime.getTime() !== current.endTime.getTime();
  const newInstructor = next.instructorId !== current.instructorId;
  const newFacility = next.facilityId !== current.facilityId || next.locationId !== current.locationId;
  const newCapacity = next.capacity !== current.capacity;
  if (current.status === 'in_progress' && (moved || newFacility)) {
    throw new SchedulingError('INVALID_STATE', `Session ${current.sessionId} is in progress and cannot be moved`, { sessionId, status: current.status });
  }
  if (next.endTime.getTime() <= next.startTime.getTime()) {
    throw new SchedulingError('INVALID_INPUT', 'endTime must be after startTime', { path: ['endTime'] });
  }
  if (next.locationId !== current.locationId) await loadLocation(tx, next.locationId);
  const facility = await loadFacility(tx, next.facilityId, next.locationId);
  if (next.instructorId && newInstructor) await loadInstructor(tx, next.instructorId);

  const active = ACTIVE.has(current.status);
  const problems = await findScheduleProblems(
    tx,
    {
      id: sessionId,
      sessionType: next.sessionType,
      capacity: next.capacity,
      minParticipants: next.minParticipants,
      locationId: next.locationId,
      facility,
      instructorId: next.instructorId,
      startTime: next.startTime,
      endTime: next.endTime,
      check: {
        overlaps: active && (moved || newInstructor || newFacility || newCapacity),
        instructor: moved || newInstructor,
        facility: moved || newFacility,
        facilitySize: true,
        students: moved,
      },
    },
    policy,
  );
  if (dryRun) return { applied: false, session: current, conflicts: [], problems };
  throwIfBlocked(problems, { override });

  const [session] = await tx
    .update(sessions)
    .set({ ...stripUndefined(changes), updatedBy: actor.userId ?? null, updatedAt: sql`now()` })
    .where(eq(sessions.id, sessionId))
    .returning();
  if (next.capacity > current.capacity) await afterCapacityRaised(tx, sessionId);
  return { applied: true, session: session!, conflicts: await conflictsRecordedNow(tx, sessionId), problems };
}

/** Instructors may edit their own sessions, but only administrators reassign them or change capacity. */
function authorizeUpdate(actor: Actor, current: SessionRow, changes: Partial<SessionRow>): void {
  if (isAdministrator(actor)) return;
  if (actor.kind !== 'instructor' || !actor.instructorId || actor.instructorId !== current.instructorId) {
    throw forbidden(actor, 'change this session');
  }
  if (changes.capacity !== undefined && changes.capacity !== current.capacity) throw forbidden(actor, 'change a session capacity');
  if (changes.instructorId !== undefined && changes.instructorId !== current.instructorId) throw forbidden(actor, 'reassign a session');
}

/**
 * The conflicts recorded for a session by the current transaction: the trigger stamps
 * `detected_at` with `now()`, which is the transaction's start time.
 *
 * @example
 * ```ts
 * const conflicts = await conflictsRecordedNow(tx, session.id);
 * ```
 */
export async function conflictsRecordedNow(tx: SchedulingDb, sessionId: string): Promise<ConflictRow[]> {
  return tx
    .select()
    .from(scheduleConflicts)
    .where(and(eq(scheduleConflicts.sessionId, sessionId), sql`${scheduleConflicts.detectedAt} = now()`))
    .orderBy(scheduleConflicts.conflictId);
}

function stripUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The capacity of a session created without one: the policy's maximum for its type
 * (the domain's `defaultCapacity`), or the room's size when that is smaller.
 *
 * @example
 * ```ts
 * capacityForRoom('school', policy, 24); // 24 when the school maximum is 30
 * ```
 */
export function capacityForRoom(sessionType: SessionType, policy: CapacityPolicy, roomSize: number | null): number {
  return Math.min(defaultCapacity(sessionType, policy), roomSize ?? Infinity);
}

import { ACTIVE_SESSION_STATUSES, isOneOf } from '../../domain/statuses';
import { eq, sql } from 'drizzle-orm';
import { SchedulingError } from '../../errors';
import type { CapacityPolicy } from '../../domain';
import { sessions } from '../../schema/unqualified';
import type { SchedulingDb } from '../../db/scheduling-db';
import { requireAdministratorOrInstructor } from '../kernel/actor';
import { requireAdministratorForSessionChanges } from '../kernel/administrator-decisions';
import { conflictsRecordedNow } from '../kernel/conflict-recording';
import { loadFacility, loadInstructor, loadLocation, lockSession } from '../kernel/lookups';
import type { ConflictRow, SessionRow } from '../kernel/rows';
import { type ScheduleProblem, findScheduleProblems, throwIfBlocked } from '../kernel/schedule-problems';
import { type SessionChange, type WithLocalTimes, refuseStartInThePast, sessionInstantsIn, withLocalTimes } from '../kernel/session-fields';
import type { Actor } from '../kernel/types';
import { type PromotionSettings, promoteFromWaitlist } from './waitlist-promotion';

/*
 * Changing a session, shared by `sessions.update` / `sessions.reschedule` and a series'
 * `editOccurrence`: the same checks as creating one, every confirmed student re-checked
 * when it moves, and new places handed to the waitlist when its capacity grows.
 */

/** Result of `sessions.update` / `sessions.reschedule`. */
export interface UpdateSessionResult {
  /** False for a dry run: nothing was written. */
  applied: boolean;
  /** The session after the change (unchanged for a dry run), with `local`: its times on the wall clocks of its location. */
  session: WithLocalTimes<SessionRow>;
  /** Conflicts recorded for the session in this call. */
  conflicts: ConflictRow[];
  /** What stands in the way (a dry run reports; a real run refuses with the first blocking one, or records them under an override). */
  problems: ScheduleProblem[];
}

/**
 * Changes a session (fields, times, instructor, facility, capacity) with the same
 * checks as create; moving it re-checks every confirmed student. `dryRun` reports.
 * Local `{ date, time }` times are read in the zone of the session's location (the
 * new one when the change moves it). With `settings.now` (`sessions.update` and
 * `reschedule`), a changed start before it is refused unless `allowPast`.
 *
 * @internal
 */
export async function updateSession(
  tx: SchedulingDb,
  input: SessionChange,
  actor: Actor,
  settings: { policy: CapacityPolicy; promotion: PromotionSettings; now?: Date },
): Promise<UpdateSessionResult> {
  const { policy } = settings;
  const { sessionId, override, dryRun, allowPast, startTime, endTime, ...fields } = input;
  const current = await lockSession(tx, sessionId);
  authorizeUpdate(actor, current, fields);
  if (current.status === 'cancelled' || current.status === 'completed') {
    throw new SchedulingError('INVALID_STATE', `Session ${current.sessionId} is ${current.status} and cannot be changed`, {
      sessionId,
      sessionStatus: current.status,
    });
  }
  // The zone local times are read in, and the one `local` is rendered in.
  const location = await loadLocation(tx, fields.locationId ?? current.locationId);
  const changes = { ...fields, ...sessionInstantsIn({ startTime, endTime }, location.timezone) };
  const next = { ...current, ...stripUndefined(changes) };
  const moved = next.startTime.getTime() !== current.startTime.getTime() || next.endTime.getTime() !== current.endTime.getTime();
  const newInstructor = next.instructorId !== current.instructorId;
  const newFacility = next.facilityId !== current.facilityId || next.locationId !== current.locationId;
  const newCapacity = next.capacity !== current.capacity;
  if (current.status === 'in_progress' && (moved || newFacility)) {
    throw new SchedulingError('INVALID_STATE', `Session ${current.sessionId} is in progress and cannot be moved`, { sessionId, sessionStatus: current.status });
  }
  if (next.endTime.getTime() <= next.startTime.getTime()) {
    throw new SchedulingError('INVALID_INPUT', 'endTime must be after startTime', { path: ['endTime'] });
  }
  if (settings.now && next.startTime.getTime() !== current.startTime.getTime()) {
    refuseStartInThePast(next.startTime, { now: settings.now, allowPast }, { timeZone: location.timezone, sessionId });
  }
  const facility = await loadFacility(tx, next.facilityId, next.locationId);
  if (next.instructorId && newInstructor) await loadInstructor(tx, next.instructorId);

  const active = isOneOf(ACTIVE_SESSION_STATUSES, current.status);
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
  if (dryRun) {
    const currentZone = current.locationId === location.id ? location.timezone : (await loadLocation(tx, current.locationId)).timezone;
    return { applied: false, session: withLocalTimes(current, currentZone), conflicts: [], problems };
  }
  throwIfBlocked(problems, { override });

  const [session] = await tx
    .update(sessions)
    .set({ ...stripUndefined(changes), updatedBy: actor.userId ?? null, updatedAt: sql`now()` })
    .where(eq(sessions.id, sessionId))
    .returning();
  // New places go to the waitlist first, as offers or bookings (the session row is locked).
  if (next.capacity > current.capacity) await promoteFromWaitlist(tx, sessionId, settings.promotion);
  return { applied: true, session: withLocalTimes(session!, location.timezone), conflicts: await conflictsRecordedNow(tx, sessionId), problems };
}

/**
 * Instructors may edit their own sessions, but only administrators reassign them or
 * change what they cost, whom they are for and how many they take
 * (`ADMINISTRATOR_SESSION_FIELDS`).
 */
function authorizeUpdate(actor: Actor, current: SessionRow, changes: Partial<SessionRow>): void {
  requireAdministratorOrInstructor(actor, current.instructorId, 'change this session');
  requireAdministratorForSessionChanges(actor, current, changes);
}

function stripUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

import { SchedulingError } from '../../errors';
import { type CapacityPolicy, parseInput } from '../../domain';
import { requireAdministratorOrInstructor } from '../kernel/actor';
import { lockSession } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import { type SessionStatusResult, setSessionStatus } from '../places/session-status';
import { settleConfirmedBookings } from '../places/booking-settlement';
import type { Actor } from '../kernel/types';
import { setSessionStatusSchema } from '../kernel/session-fields';

/** What settling a completed session did to its confirmed bookings. */
export interface SettleResult {
  sessionId: string;
  /** Bookings of students who came (checked in, or marked present/late/partial): now `completed`. */
  completed: string[];
  /** Bookings of students who did not: now `no_show` (attendance `absent` unless recorded otherwise). */
  noShow: string[];
}

/**
 * Settles every confirmed booking of a completed session: attended → `completed`,
 * not attended → `no_show`. A session that is not completed is `INVALID_STATE`;
 * settling twice finds nothing left to settle and returns empty lists.
 *
 * @internal
 */
export async function settleSession(tx: SchedulingDb, sessionId: string, actor: Actor): Promise<SettleResult> {
  const session = await lockSession(tx, sessionId);
  requireAdministratorOrInstructor(actor, session.instructorId, 'settle attendance for this session');
  if (session.status !== 'completed') {
    throw new SchedulingError('INVALID_STATE', `Only a completed session is settled; ${session.sessionId} is ${session.status}`, {
      sessionId,
      sessionStatus: session.status,
      reason: 'not_completed',
    });
  }
  return { sessionId, ...(await settleConfirmedBookings(tx, sessionId)) };
}

/** Result of `attendance.complete`: the status change and the settlement. */
export interface CompleteAndSettleResult extends SettleResult {
  session: SessionStatusResult['session'];
}

/**
 * Completes an in-progress session through the session state machine and settles its
 * bookings, in one transaction.
 *
 * @internal
 */
export async function completeAndSettle(
  tx: SchedulingDb,
  sessionId: string,
  actor: Actor,
  policy: CapacityPolicy,
  now: Date,
): Promise<CompleteAndSettleResult> {
  // Completing through the state machine settles the bookings in the same step.
  const result = await setSessionStatus(tx, parseInput(setSessionStatusSchema, { sessionId, status: 'completed' }), actor, policy, now);
  return { session: result.session, sessionId, completed: result.settled?.completed ?? [], noShow: result.settled?.noShow ?? [] };
}

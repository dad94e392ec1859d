import type { SchedulingDb } from './scheduling-db';

/**
 * Called inside the transaction that raised a session's capacity (or otherwise freed
 * places), after the update. The waitlist part promotes waiting students here; until
 * then it does nothing.
 *
 * @example
 * ```ts
 * if (next.capacity > current.capacity) await afterCapacityRaised(tx, session.id);
 * ```
 */
export async function afterCapacityRaised(_tx: SchedulingDb, _sessionId: string): Promise<void> {
  // Intentionally empty: waitlist promotion (part 2) hooks in here.
}

import type { SessionStatus } from './conflicts';

/*
 * The life cycles the service enforces, as data: which status may follow which. The
 * database keeps the values valid (CHECK constraints); these tables say which changes
 * the scheduler allows.
 */

/** A resource's allocation status. */
export type AllocationStatus = 'requested' | 'allocated' | 'unavailable' | 'cancelled';

/**
 * The session life cycle: `scheduled → in_progress → completed`,
 * `scheduled ⇄ postponed`, and any active state (scheduled, in progress, postponed)
 * → `cancelled`. Completed and cancelled are final.
 *
 * @example
 * ```ts
 * import { SESSION_TRANSITIONS } from 'academy-scheduling/domain';
 * SESSION_TRANSITIONS.postponed; // ['scheduled', 'cancelled']
 * ```
 */
export const SESSION_TRANSITIONS: Readonly<Record<SessionStatus, readonly SessionStatus[]>> = Object.freeze({
  scheduled: ['in_progress', 'postponed', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  postponed: ['scheduled', 'cancelled'],
  completed: [],
  cancelled: [],
});

/**
 * The conflict life cycle: `detected → acknowledged → resolved | ignored`, and
 * `detected → resolved | ignored` directly. Resolved and ignored are final.
 *
 * @example
 * ```ts
 * import { CONFLICT_TRANSITIONS } from 'academy-scheduling/domain';
 * CONFLICT_TRANSITIONS.acknowledged; // ['resolved', 'ignored']
 * ```
 */
export const CONFLICT_TRANSITIONS = Object.freeze({
  detected: ['acknowledged', 'resolved', 'ignored'],
  acknowledged: ['resolved', 'ignored'],
  resolved: [],
  ignored: [],
} as const);

/**
 * The allocation life cycle: `requested → allocated | unavailable | cancelled`,
 * `allocated → allocated` (another quantity) `| unavailable | cancelled`,
 * `unavailable → allocated | cancelled`. Cancelled is final.
 *
 * @example
 * ```ts
 * import { RESOURCE_TRANSITIONS } from 'academy-scheduling/domain';
 * RESOURCE_TRANSITIONS.unavailable; // ['allocated', 'cancelled']
 * ```
 */
export const RESOURCE_TRANSITIONS: Readonly<Record<AllocationStatus, readonly AllocationStatus[]>> = Object.freeze({
  requested: ['allocated', 'unavailable', 'cancelled'],
  allocated: ['allocated', 'unavailable', 'cancelled'],
  unavailable: ['allocated', 'cancelled'],
  cancelled: [],
});

import * as z from 'zod/mini';
import { SchedulingError } from '../../errors';
import { copyPlainData, parseInput } from '../../domain/validate';
import type { Actor } from './types';

const id = z.guid('expected a uuid');

/**
 * An actor as every method receives it. Unknown keys are refused so a typo such as
 * `userID` cannot silently drop the audit trail.
 *
 * @internal
 */
export const actorSchema = z.strictObject({
  kind: z.enum(['admin', 'instructor', 'parent', 'student', 'system']),
  userId: z.optional(id),
  instructorId: z.optional(id),
  parentId: z.optional(id),
  studentId: z.optional(id),
});

/**
 * Validates an actor (`INVALID_INPUT` at path `actor.…`). Only the actor's own data
 * properties count: a `kind` inherited from a prototype, a getter, a class instance
 * or a Proxy that throws is refused, so nobody becomes an admin by what an object
 * inherits.
 *
 * @internal
 */
export function parseActor(actor: unknown): Actor {
  return parseInput(actorSchema, copyPlainData(actor, ['actor']), { prefix: ['actor'], argument: 'actor' });
}

/**
 * True for the actors allowed to administer the schedule: admins and the system.
 *
 * @internal
 */
export function isAdministrator(actor: Actor): boolean {
  return actor.kind === 'admin' || actor.kind === 'system';
}

/**
 * The `FORBIDDEN` error for an actor that may not do `action`.
 *
 * @internal
 */
export function forbidden(actor: Actor, action: string): SchedulingError {
  return new SchedulingError('FORBIDDEN', `A ${actor.kind} may not ${action}`, { actorKind: actor.kind, action });
}

/**
 * Throws `FORBIDDEN` unless the actor is an admin or the system.
 *
 * @internal
 */
export function requireAdministrator(actor: Actor, action: string): void {
  if (!isAdministrator(actor)) throw forbidden(actor, action);
}

/**
 * Throws `FORBIDDEN` unless the actor is an administrator or the instructor `instructorId`.
 *
 * @internal
 */
export function requireAdministratorOrInstructor(actor: Actor, instructorId: string | null | undefined, action: string): void {
  if (isAdministrator(actor)) return;
  if (actor.kind === 'instructor' && actor.instructorId && actor.instructorId === instructorId) return;
  throw forbidden(actor, action);
}

/**
 * The acting user's id, or `INVALID_INPUT` when a write needs one (e.g. `created_by`
 * is NOT NULL) and the actor has none.
 *
 * @internal
 */
export function requireUserId(actor: Actor): string {
  if (!actor.userId) {
    throw new SchedulingError('INVALID_INPUT', 'This operation records who did it: actor.userId is required', {
      path: ['actor', 'userId'],
    });
  }
  return actor.userId;
}

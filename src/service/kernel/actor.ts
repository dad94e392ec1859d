import * as z from 'zod/mini';
import { type ErrorPath, type ForbiddenReason, SchedulingError } from '../../errors';
import { copyPlainData, parseInput } from '../../domain/validate';
import { ACTOR_KINDS } from '../../domain/statuses';
import type { Actor } from './types';

const id = z.guid('expected a uuid');

/**
 * An actor as every method receives it. Unknown keys are refused so a typo such as
 * `userID` cannot silently drop the audit trail.
 *
 * @internal
 */
export const actorSchema = z.strictObject({
  kind: z.enum(ACTOR_KINDS),
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

/** The id each kind of actor acts through. */
const ACTOR_ID_FIELD = { instructor: 'instructorId', parent: 'parentId', student: 'studentId' } as const;

/** The table row each of those ids names. */
const ACTOR_ID_TABLE = { instructor: 'instructors', parent: 'parents', student: 'students' } as const;

/** The id the actor acts through (none for administrators). */
/**
 * The actor as change events record it (`scheduling.actor`): `<kind>:<id>`, the id being
 * the instructor, parent or student row the actor acts as (empty for admins and the system).
 *
 * @internal
 */
export function actorRefOf(actor: Actor): string {
  const field = idFieldOf(actor);
  return `${actor.kind}:${field ? (((actor as unknown as Record<string, unknown>)[field] as string | undefined) ?? '') : ''}`;
}

function idFieldOf(actor: Actor): (typeof ACTOR_ID_FIELD)[keyof typeof ACTOR_ID_FIELD] | undefined {
  return actor.kind === 'admin' || actor.kind === 'system' ? undefined : ACTOR_ID_FIELD[actor.kind];
}

/**
 * Why the actor is refused, in words: the right or the link they lack. Only the
 * actor's own ids are named, never a student's (see `family-access.ts`).
 */
function explanation(actor: Actor, reason: ForbiddenReason): string {
  switch (reason) {
    case 'administrators_only':
      return 'only administrators (admin and system actors) may';
    case 'administrators_or_instructor_only':
      return 'only administrators and the instructor concerned may (parents and students never)';
    case 'administrators_or_parent_only':
      return 'only administrators and the parent whose family it is may';
    case 'instructors_do_not_book':
      return "instructors teach sessions; booking, queueing and a student's own bookings are for the student, the parents linked to them and administrators";
    case 'not_linked_to_student':
      return `parent ${actor.parentId}'s account has no parent_students link to this student (an administrator creates one with scheduler.academy.linkParentStudent)`;
    case 'not_this_student':
      return `student ${actor.studentId} acts only for themself`;
    case 'not_this_parent':
      return `parent ${actor.parentId} acts only in their own name`;
    case 'not_their_session':
      return `instructor ${actor.instructorId} does not teach this session`;
    case 'not_their_availability':
      return `instructor ${actor.instructorId} changes only their own availability`;
    case 'not_their_records':
      return `instructor ${actor.instructorId} sees only their own records`;
    case 'not_a_participant':
      return actor.kind === 'parent'
        ? `none of the students linked to parent ${actor.parentId} took part in this session`
        : `student ${actor.studentId} did not take part in this session`;
    case 'actor_id_missing':
      return actor.kind === 'admin' || actor.kind === 'system'
        ? 'the actor has no id'
        : `the actor has no ${ACTOR_ID_FIELD[actor.kind]} (a ${actor.kind} acts as the ${ACTOR_ID_TABLE[actor.kind]} row it names)`;
    case 'not_visible':
      return 'the row is not one this actor may see';
  }
}

/**
 * The `FORBIDDEN` error for an actor that may not do `action`, because of `reason`
 * (`details.reason`, and in words in the message). `path` names the input field only
 * an administrator may set; for `actor_id_missing` it is the actor's missing id.
 *
 * @internal
 */
export function forbidden(actor: Actor, action: string, reason: ForbiddenReason, path?: ErrorPath): SchedulingError {
  const missing = reason === 'actor_id_missing' ? idFieldOf(actor) : undefined;
  const where = path ?? (missing ? ['actor', missing] : undefined);
  const article = /^[aeiou]/.test(actor.kind) ? 'An' : 'A';
  return new SchedulingError('FORBIDDEN', `${article} ${actor.kind} may not ${action}: ${explanation(actor, reason)}`, {
    actorKind: actor.kind,
    action,
    reason,
    ...(where ? { path: where } : {}),
  });
}

/**
 * Throws `FORBIDDEN` (`administrators_only`) unless the actor is an admin or the system.
 *
 * @internal
 */
export function requireAdministrator(actor: Actor, action: string, path?: ErrorPath): void {
  if (!isAdministrator(actor)) throw forbidden(actor, action, 'administrators_only', path);
}

/**
 * Throws `FORBIDDEN` unless the actor is an administrator or the instructor
 * `instructorId`: a parent or a student is `administrators_or_instructor_only`, an
 * instructor without an `instructorId` `actor_id_missing`, another instructor
 * `otherInstructor` (the session, availability or records are not theirs).
 *
 * @internal
 */
export function requireAdministratorOrInstructor(
  actor: Actor,
  instructorId: string | null | undefined,
  action: string,
  otherInstructor: 'not_their_session' | 'not_their_availability' | 'not_their_records' = 'not_their_session',
): void {
  if (isAdministrator(actor)) return;
  if (actor.kind !== 'instructor') throw forbidden(actor, action, 'administrators_or_instructor_only');
  if (!actor.instructorId) throw forbidden(actor, action, 'actor_id_missing');
  if (actor.instructorId !== instructorId) throw forbidden(actor, action, otherInstructor);
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

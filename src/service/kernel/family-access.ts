import { and, eq } from 'drizzle-orm';
import { SchedulingError } from '../../errors';
import { parentStudents, students } from '../../schema/unqualified';
import { forbidden, isAdministrator } from './actor';
import { notFound } from './lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from './types';

/**
 * True when the parent is linked to the student in `parent_students`.
 *
 * @internal
 */
export async function isParentOf(tx: SchedulingDb, parentId: string, studentId: string): Promise<boolean> {
  const [link] = await tx
    .select({ parentId: parentStudents.parentId })
    .from(parentStudents)
    .where(and(eq(parentStudents.parentId, parentId), eq(parentStudents.studentId, studentId)));
  return link !== undefined;
}

/**
 * Checks that the student exists (`NOT_FOUND`) and that the actor may act for them
 * (`FORBIDDEN`, see {@link refuseUnlessActsForStudent}).
 *
 * @internal
 */
export async function requireActsForStudent(
  tx: SchedulingDb,
  actor: Actor,
  studentId: string,
  action: string,
  path: Array<string | number> = ['studentId'],
): Promise<void> {
  const [student] = await tx.select({ id: students.id }).from(students).where(eq(students.id, studentId));
  if (!student) throw notFound('student', studentId, path);
  await refuseUnlessActsForStudent(tx, actor, studentId, action);
}

/**
 * Throws `FORBIDDEN` unless the actor may act for the student (who exists):
 * administrators for anyone, a parent for the students linked to them in
 * `parent_students` (else `not_linked_to_student`), a student for themself (else
 * `not_this_student`). Instructors never book or queue (`instructors_do_not_book`);
 * a parent or student without their id is `actor_id_missing`.
 *
 * @internal
 */
export async function refuseUnlessActsForStudent(tx: SchedulingDb, actor: Actor, studentId: string, action: string): Promise<void> {
  // The refusals do not name the student: asked about a booking or an entry, the
  // caller would otherwise learn which child it belongs to. The actor's own ids are theirs.
  switch (actor.kind) {
    case 'admin':
    case 'system':
      return;
    case 'instructor':
      throw forbidden(actor, action, 'instructors_do_not_book');
    case 'student':
      if (!actor.studentId) throw forbidden(actor, action, 'actor_id_missing');
      if (actor.studentId !== studentId) throw forbidden(actor, action, 'not_this_student');
      return;
    case 'parent':
      if (!actor.parentId) throw forbidden(actor, action, 'actor_id_missing');
      if (!(await isParentOf(tx, actor.parentId, studentId))) throw forbidden(actor, action, 'not_linked_to_student');
      return;
  }
}

/**
 * The parent recorded on a booking or waitlist entry: the one given (it must be
 * linked to the student, else `INVALID_INPUT`), else the acting parent.
 *
 * @internal
 */
export async function resolveParentId(
  tx: SchedulingDb,
  actor: Actor,
  studentId: string,
  given: string | undefined,
  path: Array<string | number> = ['parentId'],
): Promise<string | null> {
  const parentId = given ?? (actor.kind === 'parent' ? actor.parentId : undefined);
  if (!parentId) return null;
  if (actor.kind === 'parent' && given && given !== actor.parentId) throw forbidden(actor, 'book in the name of another parent', 'not_this_parent', path);
  if (!(await isParentOf(tx, parentId, studentId))) {
    throw new SchedulingError('INVALID_INPUT', `Parent ${parentId} is not linked to student ${studentId}`, { path, parentId, studentId });
  }
  return parentId;
}

/**
 * Throws `FORBIDDEN` for instructors: they teach sessions but do not book places
 * (a check that needs no database, so it runs before the transaction).
 *
 * @internal
 */
export function refuseInstructors(action: string) {
  return (actor: Actor): void => {
    if (actor.kind === 'instructor') throw forbidden(actor, action, 'instructors_do_not_book');
  };
}

/**
 * Refuses anyone but administrators and the parent `parentId` names (`FORBIDDEN`:
 * `administrators_or_parent_only`, `actor_id_missing` or `not_this_parent`, the last at
 * `path` when given). For what belongs to a whole family: its schedule, its calendar.
 *
 * @internal
 */
export function requireParentOrAdministrator(actor: Actor, parentId: string, action: string, path?: Array<string | number>): void {
  if (isAdministrator(actor)) return;
  if (actor.kind !== 'parent') throw forbidden(actor, action, 'administrators_or_parent_only');
  if (!actor.parentId) throw forbidden(actor, action, 'actor_id_missing');
  if (actor.parentId !== parentId) throw forbidden(actor, action, 'not_this_parent', path);
}

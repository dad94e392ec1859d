import { and, eq } from 'drizzle-orm';
import { parentStudents } from '../../schema';
import { isAdministrator } from '../kernel/actor';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';

/**
 * True when the actor may act for the student: an administrator, the student
 * themselves, or a parent linked to them in `parent_students`. Instructors act for
 * their sessions, not for students.
 *
 * @internal
 */
export async function actsForStudent(tx: SchedulingDb, actor: Actor, studentId: string): Promise<boolean> {
  if (isAdministrator(actor)) return true;
  if (actor.kind === 'student') return actor.studentId === studentId;
  if (actor.kind === 'parent' && actor.parentId) {
    const [link] = await tx
      .select({ parentId: parentStudents.parentId })
      .from(parentStudents)
      .where(and(eq(parentStudents.parentId, actor.parentId), eq(parentStudents.studentId, studentId)));
    return Boolean(link);
  }
  return false;
}

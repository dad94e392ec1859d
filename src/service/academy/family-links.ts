import { and, eq, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { parentStudents, parents, students } from '../../schema/unqualified';
import type { SchedulingDb } from '../../db/scheduling-db';
import { notFound } from '../kernel/lookups';
import { type ParentStudentRow, requireRow } from './rows';
import type { linkParentStudentSchema, unlinkParentStudentSchema } from './inputs';

/*
 * `parent_students`: which students a parent may act for (book, cancel, give
 * feedback, see). Nothing else gives a parent access to a child.
 */

/**
 * Links a parent to a student, or changes the relationship of an existing link.
 *
 * @internal
 */
export async function linkParentStudent(tx: SchedulingDb, input: z.output<typeof linkParentStudentSchema>): Promise<ParentStudentRow> {
  await requireRow(tx, parents, input.parentId, 'parent', ['parentId']);
  await requireRow(tx, students, input.studentId, 'student', ['studentId']);
  const [row] = await tx
    .insert(parentStudents)
    .values(input)
    .onConflictDoUpdate({ target: [parentStudents.parentId, parentStudents.studentId], set: { relationship: sql`excluded.relationship` } })
    .returning();
  return row!;
}

/**
 * Removes a link: the parent no longer acts for the student (their bookings stay).
 * `NOT_FOUND` at `studentId` when the two are not linked.
 *
 * @internal
 */
export async function unlinkParentStudent(tx: SchedulingDb, input: z.output<typeof unlinkParentStudentSchema>): Promise<ParentStudentRow> {
  await requireRow(tx, parents, input.parentId, 'parent', ['parentId']);
  await requireRow(tx, students, input.studentId, 'student', ['studentId']);
  const [row] = await tx
    .delete(parentStudents)
    .where(and(eq(parentStudents.parentId, input.parentId), eq(parentStudents.studentId, input.studentId)))
    .returning();
  if (!row) throw notFound('link of that parent to student', input.studentId, ['studentId']);
  return row;
}

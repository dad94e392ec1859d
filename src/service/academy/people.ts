import { eq, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { instructors, levels, parents, students, users } from '../../schema/unqualified';
import type { SchedulingDb } from '../../db/scheduling-db';
import { type InstructorRow, type ParentRow, type StudentRow, type UserRow, givenFields, requireRow, updatedRow, writing } from './rows';
import type {
  createInstructorSchema,
  createParentSchema,
  createStudentSchema,
  createUserSchema,
  updateInstructorSchema,
  updateParentSchema,
  updateStudentSchema,
  updateUserSchema,
} from './inputs';

/*
 * Who is in the academy: users (the logins actors act as), instructors, students and
 * parents. A person's `userId`, when given, must be a user (`NOT_FOUND` at `userId`).
 */

const requireUser = async (tx: SchedulingDb, userId: string | null | undefined) => {
  if (userId) await requireRow(tx, users, userId, 'user', ['userId']);
};

/**
 * Creates a user: the row `actor.userId` refers to. An e-mail already taken is
 * `INVALID_INPUT` at `email`.
 *
 * @internal
 */
export async function createUser(tx: SchedulingDb, input: z.output<typeof createUserSchema>): Promise<UserRow> {
  const [row] = await writing(tx.insert(users).values(input).returning());
  return row!;
}

/**
 * Changes a user's e-mail, name or role.
 *
 * @internal
 */
export async function updateUser(tx: SchedulingDb, input: z.output<typeof updateUserSchema>): Promise<UserRow> {
  const { userId, ...fields } = input;
  await requireRow(tx, users, userId, 'user', ['userId'], { lock: true });
  const changes = givenFields(fields);
  return updatedRow(
    changes,
    () => tx.select().from(users).where(eq(users.id, userId)),
    () =>
      tx
        .update(users)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(eq(users.id, userId))
        .returning(),
  );
}

/**
 * Creates an instructor. An e-mail already taken is `INVALID_INPUT` at `email`.
 *
 * @internal
 */
export async function createInstructor(tx: SchedulingDb, input: z.output<typeof createInstructorSchema>): Promise<InstructorRow> {
  await requireUser(tx, input.userId);
  const [row] = await writing(tx.insert(instructors).values(input).returning());
  return row!;
}

/**
 * Changes an instructor. A lower `maxConcurrentSessions` that would leave them
 * teaching more at once is refused by the database (`INSTRUCTOR_DOUBLE_BOOKED`,
 * `limit_lowered`) unless overridden.
 *
 * @internal
 */
export async function updateInstructor(tx: SchedulingDb, input: z.output<typeof updateInstructorSchema>): Promise<InstructorRow> {
  const { instructorId, override: _override, ...fields } = input;
  await requireRow(tx, instructors, instructorId, 'instructor', ['instructorId'], { lock: true });
  await requireUser(tx, fields.userId);
  const changes = givenFields(fields);
  return updatedRow(
    changes,
    () => tx.select().from(instructors).where(eq(instructors.id, instructorId)),
    () =>
      tx
        .update(instructors)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(eq(instructors.id, instructorId))
        .returning(),
  );
}

/**
 * Creates a student (their `STU-…` code is generated). Parents act for them once
 * linked (`linkParentStudent`).
 *
 * @internal
 */
export async function createStudent(tx: SchedulingDb, input: z.output<typeof createStudentSchema>): Promise<StudentRow> {
  if (input.levelId) await requireRow(tx, levels, input.levelId, 'level', ['levelId']);
  await requireUser(tx, input.userId);
  const [row] = await writing(tx.insert(students).values(input).returning());
  return row!;
}

/**
 * Changes a student's record.
 *
 * @internal
 */
export async function updateStudent(tx: SchedulingDb, input: z.output<typeof updateStudentSchema>): Promise<StudentRow> {
  const { studentId, ...fields } = input;
  await requireRow(tx, students, studentId, 'student', ['studentId'], { lock: true });
  if (fields.levelId) await requireRow(tx, levels, fields.levelId, 'level', ['levelId']);
  await requireUser(tx, fields.userId);
  const changes = givenFields(fields);
  return updatedRow(
    changes,
    () => tx.select().from(students).where(eq(students.id, studentId)),
    () =>
      tx
        .update(students)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(eq(students.id, studentId))
        .returning(),
  );
}

/**
 * Creates a parent (their `PAR-…` code is generated).
 *
 * @internal
 */
export async function createParent(tx: SchedulingDb, input: z.output<typeof createParentSchema>): Promise<ParentRow> {
  await requireUser(tx, input.userId);
  const [row] = await writing(tx.insert(parents).values(input).returning());
  return row!;
}

/**
 * Changes a parent's record.
 *
 * @internal
 */
export async function updateParent(tx: SchedulingDb, input: z.output<typeof updateParentSchema>): Promise<ParentRow> {
  const { parentId, ...fields } = input;
  await requireRow(tx, parents, parentId, 'parent', ['parentId'], { lock: true });
  await requireUser(tx, fields.userId);
  const changes = givenFields(fields);
  return updatedRow(
    changes,
    () => tx.select().from(parents).where(eq(parents.id, parentId)),
    () =>
      tx
        .update(parents)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(eq(parents.id, parentId))
        .returning(),
  );
}

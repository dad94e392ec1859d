import { eq, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { SchedulingError } from '../../errors';
import { courses, levels, programs } from '../../schema/unqualified';
import type { SchedulingDb } from '../../db/scheduling-db';
import { type CourseRow, type LevelRow, type ProgramRow, givenFields, requireRow, updatedRow, writing } from './rows';
import type { createCourseSchema, createLevelSchema, createProgramSchema, updateCourseSchema, updateLevelSchema, updateProgramSchema } from './inputs';

/*
 * What is taught: programs, their levels, and courses (a program's course, at one of
 * its levels or at a level shared by every program).
 */

/**
 * Creates a program. A code already taken is `INVALID_INPUT` at `code`.
 *
 * @internal
 */
export async function createProgram(tx: SchedulingDb, input: z.output<typeof createProgramSchema>): Promise<ProgramRow> {
  const [row] = await writing(tx.insert(programs).values(input).returning());
  return row!;
}

/**
 * Changes a program.
 *
 * @internal
 */
export async function updateProgram(tx: SchedulingDb, input: z.output<typeof updateProgramSchema>): Promise<ProgramRow> {
  const { programId, ...fields } = input;
  await requireRow(tx, programs, programId, 'program', ['programId'], { lock: true });
  const changes = givenFields(fields);
  return updatedRow(
    changes,
    () => tx.select().from(programs).where(eq(programs.id, programId)),
    () =>
      tx
        .update(programs)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(eq(programs.id, programId))
        .returning(),
  );
}

/**
 * Creates a level, of a program or (no `programId`) of every program.
 *
 * @internal
 */
export async function createLevel(tx: SchedulingDb, input: z.output<typeof createLevelSchema>): Promise<LevelRow> {
  if (input.programId) await requireRow(tx, programs, input.programId, 'program', ['programId']);
  const [row] = await writing(tx.insert(levels).values(input).returning());
  return row!;
}

/**
 * Changes a level.
 *
 * @internal
 */
export async function updateLevel(tx: SchedulingDb, input: z.output<typeof updateLevelSchema>): Promise<LevelRow> {
  const { levelId, ...fields } = input;
  await requireRow(tx, levels, levelId, 'level', ['levelId'], { lock: true });
  if (fields.programId) await requireRow(tx, programs, fields.programId, 'program', ['programId']);
  const changes = givenFields(fields);
  return updatedRow(
    changes,
    () => tx.select().from(levels).where(eq(levels.id, levelId)),
    () =>
      tx
        .update(levels)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(eq(levels.id, levelId))
        .returning(),
  );
}

/** `NOT_FOUND` for an unknown level, `INVALID_INPUT` for a level of another program. */
async function requireLevelOf(tx: SchedulingDb, levelId: string, programId: string): Promise<void> {
  const [level] = await tx.select({ programId: levels.programId }).from(levels).where(eq(levels.id, levelId));
  if (!level) {
    await requireRow(tx, levels, levelId, 'level', ['levelId']);
    return;
  }
  if (level.programId !== null && level.programId !== programId) {
    throw new SchedulingError('INVALID_INPUT', `Level ${levelId} belongs to another program`, { path: ['levelId'] });
  }
}

/**
 * Creates a course of a program, at one of its levels (or a level of every program).
 *
 * @internal
 */
export async function createCourse(tx: SchedulingDb, input: z.output<typeof createCourseSchema>): Promise<CourseRow> {
  await requireRow(tx, programs, input.programId, 'program', ['programId']);
  if (input.levelId) await requireLevelOf(tx, input.levelId, input.programId);
  const [row] = await writing(tx.insert(courses).values(input).returning());
  return row!;
}

/**
 * Changes a course. Its level must stay one of its program's (or of every program).
 *
 * @internal
 */
export async function updateCourse(tx: SchedulingDb, input: z.output<typeof updateCourseSchema>): Promise<CourseRow> {
  const { courseId, ...fields } = input;
  await requireRow(tx, courses, courseId, 'course', ['courseId'], { lock: true });
  if (fields.programId) await requireRow(tx, programs, fields.programId, 'program', ['programId']);
  const changes = givenFields(fields);
  if (fields.programId !== undefined || fields.levelId) {
    const [current] = await tx.select().from(courses).where(eq(courses.id, courseId));
    const levelId = fields.levelId === undefined ? current!.levelId : fields.levelId;
    if (levelId) await requireLevelOf(tx, levelId, fields.programId ?? current!.programId);
  }
  return updatedRow(
    changes,
    () => tx.select().from(courses).where(eq(courses.id, courseId)),
    () =>
      tx
        .update(courses)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(eq(courses.id, courseId))
        .returning(),
  );
}

import { sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { SchedulingError } from '../../errors';
import { constraintOf, findDriverError } from '../../db/database-errors';
import { queryRows } from '../../db/query';
import type { SchedulingDb } from '../../db/scheduling-db';
import type {
  courses,
  facilities,
  holidays,
  instructors,
  levels,
  locations,
  parentStudents,
  parents,
  programs,
  students,
  users,
} from '../../schema/unqualified';
import { notFound } from '../kernel/lookups';

/** A `users` row. */
export type UserRow = typeof users.$inferSelect;
/** A `locations` row (its IANA zone in `timezone`). */
export type LocationRow = typeof locations.$inferSelect;
/** A `facilities` row. */
export type FacilityRow = typeof facilities.$inferSelect;
/** An `instructors` row. */
export type InstructorRow = typeof instructors.$inferSelect;
/** A `students` row. */
export type StudentRow = typeof students.$inferSelect;
/** A `parents` row. */
export type ParentRow = typeof parents.$inferSelect;
/** A `parent_students` row: the parent may act for the student. */
export type ParentStudentRow = typeof parentStudents.$inferSelect;
/** A `programs` row. */
export type ProgramRow = typeof programs.$inferSelect;
/** A `levels` row. */
export type LevelRow = typeof levels.$inferSelect;
/** A `courses` row. */
export type CourseRow = typeof courses.$inferSelect;
/** A `holidays` row. */
export type HolidayRow = typeof holidays.$inferSelect;

/**
 * The input field each unique constraint and CHECK of the academy's tables is about.
 * The schemas in inputs.ts refuse what a CHECK would, so only the unique constraints
 * (a code or an e-mail already taken, which only the database knows) normally end here.
 */
const FIELD_OF_CONSTRAINT: Record<string, string> = {
  users_email_unique: 'email',
  chk_user_role: 'role',
  locations_code_unique: 'code',
  facilities_code_unique: 'code',
  chk_facility_capacity: 'capacity',
  chk_facility_concurrency: 'maxConcurrentSessions',
  // A facility moved away from the location its sessions are at.
  chk_session_facility_location: 'locationId',
  instructors_email_unique: 'email',
  chk_instructor_concurrency: 'maxConcurrentSessions',
  programs_code_unique: 'code',
  levels_code_unique: 'code',
  courses_code_unique: 'code',
  uk_holiday_location_date: 'holidayDate',
};

/**
 * Runs one write of an academy table and gives a refusal by the database the input
 * field it is about: a code or e-mail already taken (23505) and a CHECK (23514) become
 * `INVALID_INPUT` at that field (with `sqlstate` and `constraint`), and an unknown
 * time zone (`SC010`, the database's own list) `INVALID_INPUT` at `timeZone`. Every
 * other error passes through unchanged (the transaction maps and retries it).
 *
 * @internal
 */
export async function writing<T>(write: PromiseLike<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    const driver = findDriverError(error);
    const constraint = driver && constraintOf(driver);
    const field = constraint === undefined ? undefined : FIELD_OF_CONSTRAINT[constraint];
    if ((driver?.code === '23505' || driver?.code === '23514') && field && constraint) {
      const message = driver.code === '23505' ? `That ${field} is already taken` : `Invalid ${field}: ${driver.message ?? constraint}`;
      throw new SchedulingError('INVALID_INPUT', message, { path: [field], sqlstate: driver.code, constraint }, { cause: error });
    }
    if (driver?.code === 'SC010') {
      throw new SchedulingError('INVALID_INPUT', driver.message ?? 'Unknown time zone', { path: ['timeZone'], sqlstate: driver.code }, { cause: error });
    }
    throw error;
  }
}

/**
 * Throws `NOT_FOUND` (naming `entity` and the input `path`) unless `table` has a row
 * with that id. With `lock`, the row is locked for the update that follows. A
 * referenced row deleted after this check is still refused by its foreign key, as
 * `NOT_FOUND` too.
 *
 * @internal
 */
export async function requireRow(
  tx: SchedulingDb,
  table: PgTable,
  id: string,
  entity: string,
  path: string[],
  options: { lock?: boolean } = {},
): Promise<void> {
  const found = await queryRows(tx, sql`SELECT 1 FROM ${table} WHERE id = ${id}${options.lock ? sql` FOR NO KEY UPDATE` : sql``}`);
  if (found.length === 0) throw notFound(entity, id, path);
}

/**
 * The row after an update whose target was locked by {@link requireRow}: written with
 * `update` when there is something to change, else read as it is with `read`.
 *
 * @internal
 */
export async function updatedRow<T>(changes: object, read: () => PromiseLike<T[]>, update: () => PromiseLike<T[]>): Promise<T> {
  const [row] = Object.keys(changes).length === 0 ? await read() : await writing(update());
  return row!;
}

/**
 * The fields of an update input that were given: `undefined` means "leave as it is",
 * `null` clears a nullable field.
 *
 * @internal
 */
export function givenFields<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

import { boolean, date, integer, primaryKey, uuid, varchar, check, index } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { auditTimestamps } from './namespace';
import type { AcademyNamespace, ReferencedTables } from './academy-namespace';

/**
 * Users, instructors, students, parents and who may act for whom, in the namespace's
 * schema; foreign keys point into `tables()`.
 *
 * @internal
 */
export function peopleTables<S extends string | undefined>(ns: AcademyNamespace<S>, tables: ReferencedTables) {
  const users = ns.table(
    'users',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      email: varchar('email', { length: 255 }).notNull().unique(),
      fullName: varchar('full_name', { length: 255 }),
      role: varchar('role', { length: 20 }).notNull().default('admin'),
      ...auditTimestamps(),
    },
    (t) => [check('chk_user_role', sql`${t.role} IN ('admin', 'instructor', 'parent', 'student', 'staff')`)],
  );

  const instructors = ns.table(
    'instructors',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
      email: varchar('email', { length: 255 }).notNull().unique(),
      firstName: varchar('first_name', { length: 100 }).notNull(),
      lastName: varchar('last_name', { length: 100 }).notNull(),
      /** How many sessions this instructor may lead at once when no availability row says otherwise. */
      maxConcurrentSessions: integer('max_concurrent_sessions').notNull().default(1),
      isActive: boolean('is_active').notNull().default(true),
      ...auditTimestamps(),
    },
    (t) => [check('chk_instructor_concurrency', sql`${t.maxConcurrentSessions} >= 1`)],
  );

  const students = ns.table(
    'students',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      studentId: varchar('student_id', { length: 20 }).notNull().unique().default(ns.humanIdDefault('STU', 'student_code_seq')),
      userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
      firstName: varchar('first_name', { length: 100 }).notNull(),
      lastName: varchar('last_name', { length: 100 }).notNull(),
      dateOfBirth: date('date_of_birth'),
      levelId: uuid('level_id').references(() => tables().levels.id, { onDelete: 'set null' }),
      isActive: boolean('is_active').notNull().default(true),
      ...auditTimestamps(),
    },
    (t) => [index('idx_students_name').on(t.lastName, t.firstName)],
  );

  const parents = ns.table('parents', {
    id: uuid('id').primaryKey().defaultRandom(),
    parentId: varchar('parent_id', { length: 20 }).notNull().unique().default(ns.humanIdDefault('PAR', 'parent_code_seq')),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    firstName: varchar('first_name', { length: 100 }).notNull(),
    lastName: varchar('last_name', { length: 100 }).notNull(),
    email: varchar('email', { length: 255 }),
    phone: varchar('phone', { length: 50 }),
    ...auditTimestamps(),
  });

  const parentStudents = ns.table(
    'parent_students',
    {
      parentId: uuid('parent_id')
        .notNull()
        .references(() => parents.id, { onDelete: 'cascade' }),
      studentId: uuid('student_id')
        .notNull()
        .references(() => students.id, { onDelete: 'cascade' }),
      relationship: varchar('relationship', { length: 50 }).default('parent'),
    },
    (t) => [primaryKey({ columns: [t.parentId, t.studentId] }), index('idx_parent_students_student').on(t.studentId)],
  );

  return { users, instructors, students, parents, parentStudents };
}

import { boolean, date, integer, primaryKey, uuid, varchar, check, index } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { auditTimestamps, humanIdDefault, scheduling } from './namespace';
import { levels } from './academics';

/** People who act in the system (admins, instructors, parents, students with a login). */
export const users = scheduling.table(
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

export const instructors = scheduling.table(
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

export const students = scheduling.table(
  'students',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    studentId: varchar('student_id', { length: 20 }).notNull().unique().default(humanIdDefault('STU', 'student_code_seq')),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    firstName: varchar('first_name', { length: 100 }).notNull(),
    lastName: varchar('last_name', { length: 100 }).notNull(),
    dateOfBirth: date('date_of_birth'),
    levelId: uuid('level_id').references(() => levels.id, { onDelete: 'set null' }),
    isActive: boolean('is_active').notNull().default(true),
    ...auditTimestamps(),
  },
  (t) => [index('idx_students_name').on(t.lastName, t.firstName)],
);

export const parents = scheduling.table('parents', {
  id: uuid('id').primaryKey().defaultRandom(),
  parentId: varchar('parent_id', { length: 20 }).notNull().unique().default(humanIdDefault('PAR', 'parent_code_seq')),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
  firstName: varchar('first_name', { length: 100 }).notNull(),
  lastName: varchar('last_name', { length: 100 }).notNull(),
  email: varchar('email', { length: 255 }),
  phone: varchar('phone', { length: 50 }),
  ...auditTimestamps(),
});

/** Which students a parent may act for (book, cancel, give feedback). */
export const parentStudents = scheduling.table(
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

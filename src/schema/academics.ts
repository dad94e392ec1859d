import { boolean, integer, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { auditTimestamps } from './namespace';
import type { AcademyNamespace } from './academy-namespace';

/**
 * Programs, their levels, courses and curricula, in the namespace's schema.
 *
 * @internal
 */
export function academicTables<S extends string | undefined>(ns: AcademyNamespace<S>) {
  const programs = ns.table('programs', {
    id: uuid('id').primaryKey().defaultRandom(),
    code: varchar('code', { length: 50 }).notNull().unique(),
    name: varchar('name', { length: 255 }).notNull(),
    description: text('description'),
    isActive: boolean('is_active').notNull().default(true),
    ...auditTimestamps(),
  });

  const levels = ns.table('levels', {
    id: uuid('id').primaryKey().defaultRandom(),
    programId: uuid('program_id').references(() => programs.id, { onDelete: 'cascade' }),
    code: varchar('code', { length: 50 }).notNull().unique(),
    name: varchar('name', { length: 255 }).notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    ...auditTimestamps(),
  });

  const courses = ns.table('courses', {
    id: uuid('id').primaryKey().defaultRandom(),
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    levelId: uuid('level_id').references(() => levels.id, { onDelete: 'set null' }),
    code: varchar('code', { length: 50 }).notNull().unique(),
    name: varchar('name', { length: 255 }).notNull(),
    description: text('description'),
    isActive: boolean('is_active').notNull().default(true),
    ...auditTimestamps(),
  });

  const curricula = ns.table('curricula', {
    id: uuid('id').primaryKey().defaultRandom(),
    courseId: uuid('course_id').references(() => courses.id, { onDelete: 'cascade' }),
    code: varchar('code', { length: 50 }).notNull().unique(),
    name: varchar('name', { length: 255 }).notNull(),
    ...auditTimestamps(),
  });

  return { programs, levels, courses, curricula };
}

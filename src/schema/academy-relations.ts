import { relations } from 'drizzle-orm';
import { type AcademyTables, academyTables } from './academy-tables';

/**
 * The relations of one table set from {@link academyTables}, for Drizzle's relational
 * queries (`db.query.sessions.findFirst({ with: { bookings: { with: { student: true } } } })`):
 * the same names as the relations this entry exports, which are
 * `academyRelations(academyTables('scheduling'))` over the exported tables.
 *
 * @example
 * ```ts
 * import postgres from 'postgres';
 * import { drizzle } from 'drizzle-orm/postgres-js';
 * import { academyRelations, academyTables } from 'academy-scheduling/schema';
 *
 * const tables = academyTables('academy_b');
 * const academyB = drizzle(postgres(process.env.DATABASE_URL!), { schema: { ...tables, ...academyRelations(tables) } });
 * const session = await academyB.query.sessions.findFirst({ with: { bookings: true } });
 * ```
 */
export function academyRelations<S extends string | undefined>(tables: AcademyTables<S>) {
  return {
    programsRelations: relations(tables.programs, ({ many }) => ({ courses: many(tables.courses), sessions: many(tables.sessions) })),
    coursesRelations: relations(tables.courses, ({ one, many }) => ({
      program: one(tables.programs, { fields: [tables.courses.programId], references: [tables.programs.id] }),
      level: one(tables.levels, { fields: [tables.courses.levelId], references: [tables.levels.id] }),
      sessions: many(tables.sessions),
    })),
    curriculaRelations: relations(tables.curricula, ({ one }) => ({
      course: one(tables.courses, { fields: [tables.curricula.courseId], references: [tables.courses.id] }),
    })),
    levelsRelations: relations(tables.levels, ({ one }) => ({
      program: one(tables.programs, { fields: [tables.levels.programId], references: [tables.programs.id] }),
    })),
    locationsRelations: relations(tables.locations, ({ many }) => ({
      facilities: many(tables.facilities),
      sessions: many(tables.sessions),
      holidays: many(tables.holidays),
    })),
    facilitiesRelations: relations(tables.facilities, ({ one, many }) => ({
      location: one(tables.locations, { fields: [tables.facilities.locationId], references: [tables.locations.id] }),
      sessions: many(tables.sessions),
    })),
    holidaysRelations: relations(tables.holidays, ({ one }) => ({
      location: one(tables.locations, { fields: [tables.holidays.locationId], references: [tables.locations.id] }),
    })),
    usersRelations: relations(tables.users, ({ many }) => ({ instructors: many(tables.instructors) })),
    instructorsRelations: relations(tables.instructors, ({ one, many }) => ({
      user: one(tables.users, { fields: [tables.instructors.userId], references: [tables.users.id] }),
      sessions: many(tables.sessions),
      availability: many(tables.instructorAvailability),
    })),
    studentsRelations: relations(tables.students, ({ one, many }) => ({
      level: one(tables.levels, { fields: [tables.students.levelId], references: [tables.levels.id] }),
      bookings: many(tables.sessionBookings),
      waitlistEntries: many(tables.sessionWaitlist),
      parents: many(tables.parentStudents),
    })),
    parentsRelations: relations(tables.parents, ({ many }) => ({
      students: many(tables.parentStudents),
      bookings: many(tables.sessionBookings),
    })),
    parentStudentsRelations: relations(tables.parentStudents, ({ one }) => ({
      parent: one(tables.parents, { fields: [tables.parentStudents.parentId], references: [tables.parents.id] }),
      student: one(tables.students, { fields: [tables.parentStudents.studentId], references: [tables.students.id] }),
    })),
    sessionsRelations: relations(tables.sessions, ({ one, many }) => ({
      program: one(tables.programs, { fields: [tables.sessions.programId], references: [tables.programs.id] }),
      course: one(tables.courses, { fields: [tables.sessions.courseId], references: [tables.courses.id] }),
      curriculum: one(tables.curricula, { fields: [tables.sessions.curriculumId], references: [tables.curricula.id] }),
      level: one(tables.levels, { fields: [tables.sessions.levelId], references: [tables.levels.id] }),
      location: one(tables.locations, { fields: [tables.sessions.locationId], references: [tables.locations.id] }),
      facility: one(tables.facilities, { fields: [tables.sessions.facilityId], references: [tables.facilities.id] }),
      instructor: one(tables.instructors, { fields: [tables.sessions.instructorId], references: [tables.instructors.id] }),
      recurringPattern: one(tables.recurringPatterns, { fields: [tables.sessions.recurringPatternId], references: [tables.recurringPatterns.id] }),
      parentSession: one(tables.sessions, { fields: [tables.sessions.parentSessionId], references: [tables.sessions.id], relationName: 'series' }),
      occurrences: many(tables.sessions, { relationName: 'series' }),
      bookings: many(tables.sessionBookings, { relationName: 'bookings' }),
      waitlist: many(tables.sessionWaitlist),
      conflicts: many(tables.scheduleConflicts, { relationName: 'conflicts' }),
      feedback: many(tables.sessionFeedback),
      resources: many(tables.sessionResources),
    })),
    recurringPatternsRelations: relations(tables.recurringPatterns, ({ many }) => ({ sessions: many(tables.sessions) })),
    sessionBookingsRelations: relations(tables.sessionBookings, ({ one }) => ({
      session: one(tables.sessions, { fields: [tables.sessionBookings.sessionId], references: [tables.sessions.id], relationName: 'bookings' }),
      student: one(tables.students, { fields: [tables.sessionBookings.studentId], references: [tables.students.id] }),
      parent: one(tables.parents, { fields: [tables.sessionBookings.parentId], references: [tables.parents.id] }),
      originalSession: one(tables.sessions, { fields: [tables.sessionBookings.originalSessionId], references: [tables.sessions.id] }),
    })),
    instructorAvailabilityRelations: relations(tables.instructorAvailability, ({ one }) => ({
      instructor: one(tables.instructors, { fields: [tables.instructorAvailability.instructorId], references: [tables.instructors.id] }),
      location: one(tables.locations, { fields: [tables.instructorAvailability.locationId], references: [tables.locations.id] }),
      facility: one(tables.facilities, { fields: [tables.instructorAvailability.facilityId], references: [tables.facilities.id] }),
    })),
    scheduleConflictsRelations: relations(tables.scheduleConflicts, ({ one }) => ({
      session: one(tables.sessions, { fields: [tables.scheduleConflicts.sessionId], references: [tables.sessions.id], relationName: 'conflicts' }),
      conflictingSession: one(tables.sessions, { fields: [tables.scheduleConflicts.conflictingSessionId], references: [tables.sessions.id] }),
      instructor: one(tables.instructors, { fields: [tables.scheduleConflicts.instructorId], references: [tables.instructors.id] }),
      student: one(tables.students, { fields: [tables.scheduleConflicts.studentId], references: [tables.students.id] }),
      facility: one(tables.facilities, { fields: [tables.scheduleConflicts.facilityId], references: [tables.facilities.id] }),
    })),
    sessionWaitlistRelations: relations(tables.sessionWaitlist, ({ one }) => ({
      session: one(tables.sessions, { fields: [tables.sessionWaitlist.sessionId], references: [tables.sessions.id] }),
      student: one(tables.students, { fields: [tables.sessionWaitlist.studentId], references: [tables.students.id] }),
      parent: one(tables.parents, { fields: [tables.sessionWaitlist.parentId], references: [tables.parents.id] }),
    })),
    sessionFeedbackRelations: relations(tables.sessionFeedback, ({ one }) => ({
      session: one(tables.sessions, { fields: [tables.sessionFeedback.sessionId], references: [tables.sessions.id] }),
      student: one(tables.students, { fields: [tables.sessionFeedback.studentId], references: [tables.students.id] }),
      parent: one(tables.parents, { fields: [tables.sessionFeedback.parentId], references: [tables.parents.id] }),
      instructor: one(tables.instructors, { fields: [tables.sessionFeedback.instructorId], references: [tables.instructors.id] }),
    })),
    sessionResourcesRelations: relations(tables.sessionResources, ({ one }) => ({
      session: one(tables.sessions, { fields: [tables.sessionResources.sessionId], references: [tables.sessions.id] }),
    })),
  };
}

/** The relations {@link academyRelations} builds: the same for every schema. */
export type AcademyRelations = ReturnType<typeof academyRelations>;

/** The tables and relations of one academy's schema, as {@link academySchema} returns them. */
export type AcademySchema<S extends string | undefined = string | undefined> = AcademyTables<S> & AcademyRelations;

/**
 * The tables and relations of the academy whose PostgreSQL schema is `schema`, ready
 * to be the `schema` of a Drizzle database: `{ ...academyTables(schema), ...academyRelations(…) }`.
 *
 * @example
 * ```ts
 * import postgres from 'postgres';
 * import { drizzle } from 'drizzle-orm/postgres-js';
 * import { academySchema } from 'academy-scheduling/schema';
 *
 * // Reads "academy_b"."sessions" and its bookings.
 * const academyB = drizzle(postgres(process.env.DATABASE_URL!), { schema: academySchema('academy_b') });
 * const session = await academyB.query.sessions.findFirst({ with: { bookings: { with: { student: true } } } });
 * ```
 */
export function academySchema<S extends string>(schema: S): AcademySchema<S> {
  const tables = academyTables(schema);
  return { ...tables, ...academyRelations(tables) };
}

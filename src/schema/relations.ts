import { relations } from 'drizzle-orm';
import { courses, curricula, levels, programs } from './academics';
import { facilities, holidays, locations } from './locations';
import { instructors, parentStudents, parents, students, users } from './people';
import { sessions } from './sessions';
import { recurringPatterns } from './recurring-patterns';
import { sessionBookings } from './bookings';
import { instructorAvailability } from './availability';
import { scheduleConflicts } from './conflicts';
import { sessionWaitlist } from './waitlist';
import { sessionFeedback } from './feedback';
import { sessionResources } from './resources';

/*
 * Relations for Drizzle's relational queries, e.g.
 * db.query.sessions.findFirst({ with: { bookings: { with: { student: true } } } }).
 */

export const programsRelations = relations(programs, ({ many }) => ({ courses: many(courses), sessions: many(sessions) }));
export const coursesRelations = relations(courses, ({ one, many }) => ({
  program: one(programs, { fields: [courses.programId], references: [programs.id] }),
  level: one(levels, { fields: [courses.levelId], references: [levels.id] }),
  sessions: many(sessions),
}));
export const curriculaRelations = relations(curricula, ({ one }) => ({
  course: one(courses, { fields: [curricula.courseId], references: [courses.id] }),
}));
export const levelsRelations = relations(levels, ({ one }) => ({
  program: one(programs, { fields: [levels.programId], references: [programs.id] }),
}));
export const locationsRelations = relations(locations, ({ many }) => ({
  facilities: many(facilities),
  sessions: many(sessions),
  holidays: many(holidays),
}));
export const facilitiesRelations = relations(facilities, ({ one, many }) => ({
  location: one(locations, { fields: [facilities.locationId], references: [locations.id] }),
  sessions: many(sessions),
}));
export const holidaysRelations = relations(holidays, ({ one }) => ({
  location: one(locations, { fields: [holidays.locationId], references: [locations.id] }),
}));
export const usersRelations = relations(users, ({ many }) => ({ instructors: many(instructors) }));
export const instructorsRelations = relations(instructors, ({ one, many }) => ({
  user: one(users, { fields: [instructors.userId], references: [users.id] }),
  sessions: many(sessions),
  availability: many(instructorAvailability),
}));
export const studentsRelations = relations(students, ({ one, many }) => ({
  level: one(levels, { fields: [students.levelId], references: [levels.id] }),
  bookings: many(sessionBookings),
  waitlistEntries: many(sessionWaitlist),
  parents: many(parentStudents),
}));
export const parentsRelations = relations(parents, ({ many }) => ({
  students: many(parentStudents),
  bookings: many(sessionBookings),
}));
export const parentStudentsRelations = relations(parentStudents, ({ one }) => ({
  parent: one(parents, { fields: [parentStudents.parentId], references: [parents.id] }),
  student: one(students, { fields: [parentStudents.studentId], references: [students.id] }),
}));
export const sessionsRelations = relations(sessions, ({ one, many }) => ({
  program: one(programs, { fields: [sessions.programId], references: [programs.id] }),
  course: one(courses, { fields: [sessions.courseId], references: [courses.id] }),
  curriculum: one(curricula, { fields: [sessions.curriculumId], references: [curricula.id] }),
  level: one(levels, { fields: [sessions.levelId], references: [levels.id] }),
  location: one(locations, { fields: [sessions.locationId], references: [locations.id] }),
  facility: one(facilities, { fields: [sessions.facilityId], references: [facilities.id] }),
  instructor: one(instructors, { fields: [sessions.instructorId], references: [instructors.id] }),
  recurringPattern: one(recurringPatterns, { fields: [sessions.recurringPatternId], references: [recurringPatterns.id] }),
  parentSession: one(sessions, { fields: [sessions.parentSessionId], references: [sessions.id], relationName: 'series' }),
  occurrences: many(sessions, { relationName: 'series' }),
  bookings: many(sessionBookings, { relationName: 'bookings' }),
  waitlist: many(sessionWaitlist),
  conflicts: many(scheduleConflicts, { relationName: 'conflicts' }),
  feedback: many(sessionFeedback),
  resources: many(sessionResources),
}));
export const recurringPatternsRelations = relations(recurringPatterns, ({ many }) => ({ sessions: many(sessions) }));
export const sessionBookingsRelations = relations(sessionBookings, ({ one }) => ({
  session: one(sessions, { fields: [sessionBookings.sessionId], references: [sessions.id], relationName: 'bookings' }),
  student: one(students, { fields: [sessionBookings.studentId], references: [students.id] }),
  parent: one(parents, { fields: [sessionBookings.parentId], references: [parents.id] }),
  originalSession: one(sessions, { fields: [sessionBookings.originalSessionId], references: [sessions.id] }),
}));
export const instructorAvailabilityRelations = relations(instructorAvailability, ({ one }) => ({
  instructor: one(instructors, { fields: [instructorAvailability.instructorId], references: [instructors.id] }),
  location: one(locations, { fields: [instructorAvailability.locationId], references: [locations.id] }),
  facility: one(facilities, { fields: [instructorAvailability.facilityId], references: [facilities.id] }),
}));
export const scheduleConflictsRelations = relations(scheduleConflicts, ({ one }) => ({
  session: one(sessions, { fields: [scheduleConflicts.sessionId], references: [sessions.id], relationName: 'conflicts' }),
  conflictingSession: one(sessions, { fields: [scheduleConflicts.conflictingSessionId], references: [sessions.id] }),
  instructor: one(instructors, { fields: [scheduleConflicts.instructorId], references: [instructors.id] }),
  student: one(students, { fields: [scheduleConflicts.studentId], references: [students.id] }),
  facility: one(facilities, { fields: [scheduleConflicts.facilityId], references: [facilities.id] }),
}));
export const sessionWaitlistRelations = relations(sessionWaitlist, ({ one }) => ({
  session: one(sessions, { fields: [sessionWaitlist.sessionId], references: [sessions.id] }),
  student: one(students, { fields: [sessionWaitlist.studentId], references: [students.id] }),
  parent: one(parents, { fields: [sessionWaitlist.parentId], references: [parents.id] }),
}));
export const sessionFeedbackRelations = relations(sessionFeedback, ({ one }) => ({
  session: one(sessions, { fields: [sessionFeedback.sessionId], references: [sessions.id] }),
  student: one(students, { fields: [sessionFeedback.studentId], references: [students.id] }),
  parent: one(parents, { fields: [sessionFeedback.parentId], references: [parents.id] }),
  instructor: one(instructors, { fields: [sessionFeedback.instructorId], references: [instructors.id] }),
}));
export const sessionResourcesRelations = relations(sessionResources, ({ one }) => ({
  session: one(sessions, { fields: [sessionResources.sessionId], references: [sessions.id] }),
}));

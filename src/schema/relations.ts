import { academyRelations } from './academy-relations';
import * as schedulingTables from './scheduling-tables';

/*
 * Relations for Drizzle's relational queries, e.g.
 * db.query.sessions.findFirst({ with: { bookings: { with: { student: true } } } }),
 * between the tables this entry exports.
 */

export const {
  programsRelations,
  coursesRelations,
  curriculaRelations,
  levelsRelations,
  locationsRelations,
  facilitiesRelations,
  holidaysRelations,
  usersRelations,
  instructorsRelations,
  studentsRelations,
  parentsRelations,
  parentStudentsRelations,
  sessionsRelations,
  recurringPatternsRelations,
  sessionBookingsRelations,
  instructorAvailabilityRelations,
  scheduleConflictsRelations,
  sessionWaitlistRelations,
  sessionFeedbackRelations,
  sessionResourcesRelations,
} = academyRelations(schedulingTables);

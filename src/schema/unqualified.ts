/**
 * The schema entry with every table, sequence and relation replaced by its
 * unqualified twin, `academyTables(undefined)`: the service imports its tables from
 * here and runs each transaction under `SET LOCAL search_path = "<academy>"`, so one
 * set of tables serves every academy's schema. Not a public entry.
 *
 * Everything else (constants, types, helpers) comes from `./index` unchanged.
 */
import { academyRelations } from './academy-relations';
import { academyTables } from './academy-tables';

// Everything of the entry that is not a table, sequence or relation, by name: a module's
// own exports do shadow its `export *` ones in ES modules, but not in every loader
// (vitest's did not), so nothing here relies on it.
export {
  actingUserDefault,
  auditTimestamps,
  humanIdDefault,
  instant,
  scheduling,
  academyTables,
  academyRelations,
  academySchema,
  SESSION_STATUSES,
  SESSION_TYPES,
  ATTENDANCE_STATUSES,
  BOOKING_STATUSES,
  CANCELLATION_TYPES,
  WAITLIST_STATUSES,
  NOTIFICATION_METHODS,
  CONFLICT_SEVERITIES,
  CONFLICT_STATUSES,
  CONFLICT_TYPES,
  RESOLUTION_METHODS,
  PATTERN_TYPES,
  AVAILABILITY_TYPES,
  FEEDBACK_SOURCES,
  ALLOCATION_STATUSES,
  RESOURCE_TYPES,
  CHANGE_EVENT_ACTOR_KINDS,
  CHANGE_EVENT_ENTITY_TYPES,
  EVENT_DELIVERY_STATES,
  CALENDAR_FEED_KINDS,
} from './index';
export type * from './index';

const tables = academyTables(undefined);

/**
 * The tables and sequences, unqualified: names resolve through `search_path`.
 *
 * @internal
 */
export const {
  programs,
  levels,
  courses,
  curricula,
  users,
  instructors,
  students,
  parents,
  parentStudents,
  locations,
  facilities,
  holidays,
  recurringPatterns,
  sessions,
  sessionBookings,
  sessionBookingsArchive,
  instructorAvailability,
  scheduleConflicts,
  sessionWaitlist,
  sessionFeedback,
  sessionResources,
  capacityPolicies,
  changeEvents,
  eventConsumers,
  eventDeliveries,
  calendarFeedTokens,
  sessionCodeSeq,
  bookingCodeSeq,
  waitlistCodeSeq,
  conflictCodeSeq,
  studentCodeSeq,
  parentCodeSeq,
} = tables;

/**
 * The relations between the unqualified tables.
 *
 * @internal
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
} = academyRelations(tables);

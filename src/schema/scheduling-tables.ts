import { type AcademyTables, academyTables } from './academy-tables';
import { scheduling } from './namespace';

/*
 * The tables of the schema `scheduling` that `academy-scheduling/schema` exports:
 * `academyTables('scheduling')`, one export per table so each keeps its documentation.
 * Nothing else is exported from this file: `relations.ts` builds the relations from
 * everything it exports. Each export is typed by name (`SchedulingTables['sessions']`)
 * so the published declarations refer to the table types instead of spelling each out
 * a second time.
 */
type SchedulingTables = AcademyTables<typeof scheduling.schemaName>;
const tables: SchedulingTables = academyTables(scheduling.schemaName);

export const programs: SchedulingTables['programs'] = tables.programs;
export const levels: SchedulingTables['levels'] = tables.levels;
export const courses: SchedulingTables['courses'] = tables.courses;
export const curricula: SchedulingTables['curricula'] = tables.curricula;
/** People who act in the system (admins, instructors, parents, students with a login). */
export const users: SchedulingTables['users'] = tables.users;
export const instructors: SchedulingTables['instructors'] = tables.instructors;
export const students: SchedulingTables['students'] = tables.students;
export const parents: SchedulingTables['parents'] = tables.parents;
/** Which students a parent may act for (book, cancel, give feedback). */
export const parentStudents: SchedulingTables['parentStudents'] = tables.parentStudents;
/** A site. Its IANA `timezone` is the zone every wall-clock time of its classes is read in. */
export const locations: SchedulingTables['locations'] = tables.locations;
/** A room, pool or court at a location. */
export const facilities: SchedulingTables['facilities'] = tables.facilities;
/** Days without classes, for one location or (location null) the whole academy. */
export const holidays: SchedulingTables['holidays'] = tables.holidays;
/** How a series repeats. Dates and times are wall-clock values in the location's zone. */
export const recurringPatterns: SchedulingTables['recurringPatterns'] = tables.recurringPatterns;
/** Central table: one row per scheduled class, `[start_time, end_time)`. */
export const sessions: SchedulingTables['sessions'] = tables.sessions;
/** A student's place in a session. */
export const sessionBookings: SchedulingTables['sessionBookings'] = tables.sessionBookings;
/** Old bookings moved out of `session_bookings` by maintenance; same columns, no constraints. */
export const sessionBookingsArchive: SchedulingTables['sessionBookingsArchive'] = tables.sessionBookingsArchive;
/**
 * When an instructor can teach: weekly slots (`day_of_week`) or one date
 * (`specific_date`), wall-clock times in the location's zone.
 */
export const instructorAvailability: SchedulingTables['instructorAvailability'] = tables.instructorAvailability;
/** Every scheduling conflict found, and how it was resolved. */
export const scheduleConflicts: SchedulingTables['scheduleConflicts'] = tables.scheduleConflicts;
/** Students waiting for a place in a full session, ranked by priority then position. */
export const sessionWaitlist: SchedulingTables['sessionWaitlist'] = tables.sessionWaitlist;
/** Ratings and comments on a completed session. */
export const sessionFeedback: SchedulingTables['sessionFeedback'] = tables.sessionFeedback;
/**
 * What changed, who changed it and when: one row per change to a session, booking,
 * waitlist entry, availability row, conflict or session resource, written in the same
 * transaction by a trigger. Append-only (docs/change-events.md).
 */
export const changeEvents: SchedulingTables['changeEvents'] = tables.changeEvents;
/** The named consumers of change events; each gets every event once. */
export const eventConsumers: SchedulingTables['eventConsumers'] = tables.eventConsumers;
/** What each consumer still owes: one row per event not yet acknowledged (pending, leased or dead). */
export const eventDeliveries: SchedulingTables['eventDeliveries'] = tables.eventDeliveries;
/** Tokens of subscribable calendar feeds, stored as SHA-256 hashes. */
export const calendarFeedTokens: SchedulingTables['calendarFeedTokens'] = tables.calendarFeedTokens;
/** Equipment and materials a session needs, and whether they are allocated. */
export const sessionResources: SchedulingTables['sessionResources'] = tables.sessionResources;
/**
 * The capacity policy the database enforces: one row per session type, read by the
 * `validate_session_capacity` trigger. Seeded with the domain's
 * `DEFAULT_CAPACITY_POLICY`; hosts change it through the scheduler so TypeScript and
 * the database never disagree.
 */
export const capacityPolicies: SchedulingTables['capacityPolicies'] = tables.capacityPolicies;

/** Sequences behind the human-readable ids (`SES-2025-0001`, …). */
export const sessionCodeSeq: SchedulingTables['sessionCodeSeq'] = tables.sessionCodeSeq;
export const bookingCodeSeq: SchedulingTables['bookingCodeSeq'] = tables.bookingCodeSeq;
export const waitlistCodeSeq: SchedulingTables['waitlistCodeSeq'] = tables.waitlistCodeSeq;
export const conflictCodeSeq: SchedulingTables['conflictCodeSeq'] = tables.conflictCodeSeq;
export const studentCodeSeq: SchedulingTables['studentCodeSeq'] = tables.studentCodeSeq;
export const parentCodeSeq: SchedulingTables['parentCodeSeq'] = tables.parentCodeSeq;

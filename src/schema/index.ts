/**
 * `academy-scheduling/schema`: Drizzle table definitions and relations for the whole
 * scheduling schema (Postgres schema `scheduling`). Exported tables and columns are
 * public API. `academyTables`, `academyRelations` and `academySchema` build the same
 * tables and relations in another schema, one per academy.
 *
 * @example
 * ```ts
 * import postgres from 'postgres';
 * import { drizzle } from 'drizzle-orm/postgres-js';
 * import * as schema from 'academy-scheduling/schema';
 *
 * const db = drizzle(postgres(process.env.DATABASE_URL!), { schema });
 * const session = await db.query.sessions.findFirst({ with: { bookings: { with: { student: true } } } });
 * ```
 */
export * from './namespace';
export * from './scheduling-tables';
export * from './relations';
export { academyTables, type AcademyTables } from './academy-tables';
export { academyRelations, academySchema, type AcademyRelations, type AcademySchema } from './academy-relations';
export { SESSION_STATUSES, SESSION_TYPES, type SessionStatus, type SessionType } from './sessions';
export { ATTENDANCE_STATUSES, BOOKING_STATUSES, CANCELLATION_TYPES, type AttendanceStatus, type BookingStatus, type CancellationType } from './bookings';
export { WAITLIST_STATUSES, NOTIFICATION_METHODS, type WaitlistStatus, type NotificationMethod } from './waitlist';
export {
  CONFLICT_SEVERITIES,
  CONFLICT_STATUSES,
  CONFLICT_TYPES,
  RESOLUTION_METHODS,
  type ConflictSeverity,
  type ConflictStatus,
  type ConflictType,
  type ResolutionMethod,
} from './conflicts';
export { PATTERN_TYPES, type PatternType } from './recurring-patterns';
export { AVAILABILITY_TYPES, type AvailabilityType } from './availability';
export { FEEDBACK_SOURCES, type FeedbackSource } from './feedback';
export { ALLOCATION_STATUSES, RESOURCE_TYPES, type AllocationStatus, type ResourceType } from './resources';
export {
  CHANGE_EVENT_ACTOR_KINDS,
  CHANGE_EVENT_ENTITY_TYPES,
  EVENT_DELIVERY_STATES,
  type ChangeEventActorKind,
  type ChangeEventEntityType,
  type EventDeliveryState,
} from './change-events';
export { CALENDAR_FEED_KINDS, type CalendarFeedKind } from './calendar-feeds';

/**
 * `academy-scheduling`: the scheduler service and its error type.
 *
 * @example
 * ```ts
 * import { createScheduler, isSchedulingError } from 'academy-scheduling';
 * const scheduler = createScheduler({ db });
 * ```
 */
export { SCHEDULING_ERROR_CODES, SchedulingError, isSchedulingError } from './errors';
export type { ErrorPath, SchedulingErrorCode, SchedulingErrorDetails } from './errors';
export { createScheduler, type Scheduler } from './service/create-scheduler';
export type { Actor, CallOptions, SchedulerOptions } from './service/types';
export type { AnyPgDatabase } from './internal/db';
export type { CapacityPolicy, PartialCapacityPolicy } from './domain';
export type { ConflictRow, CreateSessionResult, SessionRow, UpdateSessionResult } from './service/sessions-write';
export type { CreateSessionInput, RescheduleSessionInput, UpdateSessionInput } from './service/session-inputs';
export type { CancelledBooking, SessionStatusResult, SetSessionStatusInput } from './service/session-status';
export type { ListSessionsInput, SessionDetails } from './service/sessions-read';
export type { ScheduleProblem, ScheduleProblemCode } from './service/session-problems';
export { SESSION_TRANSITIONS } from './service/session-status';
export { CONFLICT_TRANSITIONS } from './service/conflicts-service';
export type { ScanConflictsResult } from './service/conflict-scan';
export type { AvailabilityChangeResult } from './service/availability-write';
export type { AvailableInstructor } from './service/availability-read';
export type { FreeSlot, ScheduleConflict } from './domain';
export type { BookManyResult, BookOutcome } from './service/booking-write';
export type { JoinWaitlistInput } from './service/waitlist-inputs';
export type { ExpireOffersResult } from './service/waitlist-offers';
export type { PromotionResult } from './service/waitlist-promotion';
export type { WaitlistJoin, WaitlistStanding } from './service/waitlist-queue';
export type { PendingNotification } from './service/notification-service';
export type { IntegrityFinding } from './service/maintenance-integrity';
export { INTEGRITY_FINDING_KINDS } from './service/maintenance-integrity';
export type { CompleteAndSettleResult, SettleResult } from './service/attendance-settle';
export type { RequestResourceInput, ResourceRow } from './service/resource-write';
export { RESOURCE_TRANSITIONS } from './service/resource-write';
export type { SeriesWriteResult } from './service/series-create';
export type { CreateSeriesInput, SeriesMode } from './service/series-inputs';
export { SERIES_MAX_OCCURRENCES, SERIES_MAX_YEARS } from './service/series-inputs';

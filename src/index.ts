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
export { CONFLICT_TRANSITIONS, RESOURCE_TRANSITIONS, SESSION_TRANSITIONS } from './domain/transitions';
export type { SetSessionStatusInput } from './service/kernel/session-fields';
export type { ListSessionsInput } from './service/sessions/inputs';
export type { RequestResourceInput } from './service/resources/inputs';
export type { CreateSessionResult } from './service/sessions/create';
export type { UpdateSessionResult } from './service/places/session-change';
export type { ConflictRow, SessionRow } from './service/kernel/rows';
export type {
  AnySchedulingError,
  CapacityExceededReason,
  ErrorPath,
  InvalidInputReason,
  InvalidStateReason,
  ForbiddenReason,
  SchedulingErrorCode,
  SchedulingErrorDetails,
  SchedulingErrorDetailsByCode,
  SchedulingErrorDetailsOf,
} from './errors';
export { createScheduler, type Scheduler } from './service/create-scheduler';
export type { Actor, CallOptions, SchedulerOptions } from './service/kernel/types';
export type { AnyPgDatabase } from './db/query';
export type { CapacityPolicy, PartialCapacityPolicy } from './domain';
export type { CreateSessionInput, RescheduleSessionInput, UpdateSessionInput } from './service/sessions/inputs';
export type { CancelledBooking, SessionStatusResult } from './service/places/session-status';
export type { SessionDetails, SessionListItem } from './service/sessions/read';
export type { ScheduleProblem, ScheduleProblemCode } from './service/kernel/schedule-problems';
export type { ScanConflictsResult } from './service/conflicts/scan';
export type { AvailabilityChangeResult } from './service/availability/write';
export type { AvailableInstructor } from './service/availability/read';
export type { FreeSlot, ScheduleConflict } from './domain';
export type { BookManyResult, BookOutcome } from './service/bookings/book';
export type { JoinWaitlistInput } from './service/waitlist/inputs';
export type { ExpireOffersResult } from './service/waitlist/offers';
export type { WaitlistQueue } from './service/waitlist/list';
export type { PromotionResult } from './service/places/waitlist-promotion';
export type { WaitlistJoin, WaitlistStanding } from './service/places/waitlist-queue';
export type { PendingNotification } from './service/notifications/claim';
export type { IntegrityFinding } from './service/maintenance/integrity';
export { INTEGRITY_FINDING_KINDS } from './service/maintenance/integrity-finding-kinds';
export type { CompleteAndSettleResult, SettleResult } from './service/attendance/settle';
export type { AttendanceRegisterEntry } from './service/attendance/register';
export type { ResourceRow } from './service/resources/write';
export type { SeriesWriteResult } from './service/series/create';
export type { CreateSeriesInput, SeriesMode } from './service/series/inputs';
export { SERIES_MAX_OCCURRENCES, SERIES_MAX_YEARS } from './service/series/limits';
export type {
  CreateCourseInput,
  CreateFacilityInput,
  CreateHolidayInput,
  CreateInstructorInput,
  CreateLevelInput,
  CreateLocationInput,
  CreateParentInput,
  CreateProgramInput,
  CreateStudentInput,
  CreateUserInput,
  LinkParentStudentInput,
  UnlinkParentStudentInput,
  UpdateCourseInput,
  UpdateFacilityInput,
  UpdateHolidayInput,
  UpdateInstructorInput,
  UpdateLevelInput,
  UpdateLocationInput,
  UpdateParentInput,
  UpdateProgramInput,
  UpdateStudentInput,
  UpdateUserInput,
} from './service/academy/inputs';
export type {
  CourseRow,
  FacilityRow,
  HolidayRow,
  InstructorRow,
  LevelRow,
  LocationRow,
  ParentRow,
  ParentStudentRow,
  ProgramRow,
  StudentRow,
  UserRow,
} from './service/academy/rows';

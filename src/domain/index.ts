/**
 * `academy-scheduling/domain`: the rules of scheduling as pure functions. No I/O, no
 * clock reads, no database driver: services, browsers and edge functions run the same
 * code. Every input has an exported zod schema; bad input throws `SchedulingError`
 * with code `INVALID_INPUT` and the failing path in `details.path`.
 */
export {
  SchedulingError,
  isSchedulingError,
  type AnySchedulingError,
  type SchedulingErrorCode,
  type SchedulingErrorDetails,
  type SchedulingErrorDetailsByCode,
  type SchedulingErrorDetailsOf,
} from '../errors';
export { parseInput } from './validate';
export { allowanceMapSchema, idSchema, instantSchema, localDateSchema, sessionTypeSchema, timeOfDaySchema, timeZoneSchema, type SessionType } from './schemas';
export { isValidTimeZone } from './time-zone';
export {
  instantToLocalTime,
  localDateRangeSchema,
  localDateRangeToInterval,
  localDateTimeSchema,
  localTimeToInstant,
  type LocalDateRange,
  type LocalDateTime,
  type ZonedLocalTime,
} from './local-time';
export {
  CAPACITY_HARD_LIMIT,
  DEFAULT_CAPACITY_POLICY,
  assertCapacityAllowed,
  capacityCheckInputSchema,
  capacityPolicySchema,
  checkCapacity,
  capacityForRoom,
  defaultCapacity,
  partialCapacityPolicySchema,
  resolveCapacityPolicy,
  type CapacityCheckInput,
  type CapacityCheckResult,
  type CapacityPolicy,
  type CapacityViolationReason,
  type PartialCapacityPolicy,
} from './capacity';
export { findOverlappingPairs, intervalSchema, overlaps, type Interval } from './intervals';
export {
  CONFLICT_SEVERITY,
  bookingStatusSchema,
  detectConflicts,
  detectConflictsInputSchema,
  sessionStatusSchema,
  type BookingStatus,
  type ConflictSeverity,
  type ConflictType,
  type DetectConflictsInput,
  type ScheduleConflict,
  type SessionStatus,
} from './conflicts';
export {
  RECURRENCE_DEFAULT_LIMIT,
  RECURRENCE_HARD_CAP,
  RECURRENCE_MAX_SPAN_YEARS,
  expandRecurrence,
  expandRecurrenceOptionsSchema,
  recurringPatternSchema,
  type ExpandRecurrenceOptions,
  type Occurrence,
  type RecurringPatternInput,
} from './recurrence';
export {
  AVAILABILITY_MAX_DAYS,
  availabilityRangeSchema,
  availabilityRowSchema,
  availabilityWindowSchema,
  computeAvailabilityWindows,
  instructorIntervalSchema,
  sessionFitsAvailability,
  type AvailabilityRangeInput,
  type AvailabilityRow,
  type AvailabilityWindow,
} from './availability';
export { findFreeSlots, findFreeSlotsInputSchema, type FindFreeSlotsInput, type FreeSlot } from './free-slots';
export {
  compareWaitlistEntries,
  planPromotions,
  planPromotionsInputSchema,
  rankWaitlist,
  waitlistEntrySchema,
  waitlistStatusSchema,
  type PlanPromotionsInput,
  type PromotionPlan,
  type WaitlistEntry,
  type WaitlistStatus,
} from './waitlist';
export { CONFLICT_TRANSITIONS, RESOURCE_TRANSITIONS, SESSION_TRANSITIONS, type AllocationStatus } from './transitions';

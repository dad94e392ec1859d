/**
 * The fields of each code's `details` as run-time lists, kept equal to
 * `SchedulingErrorDetailsByCode` by test/unit/error-details-types.test.ts (a field added
 * to a type and not here, or the reverse, fails to compile), so that a refusal caught
 * in a test can be checked against its documented type: `expectDocumentedDetails(error)`.
 */
import { expect } from 'vitest';
import type { SchedulingError, SchedulingErrorCode, SchedulingErrorDetailsByCode } from '../../src/errors';

type Details<C extends SchedulingErrorCode> = SchedulingErrorDetailsByCode[C];
/** The fields of `T` without `?`. */
export type RequiredField<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

const DATABASE = ['sqlstate', 'constraint', 'detail'] as const;
const SCHEDULE_CHECK = ['conflictingSessionIds', 'problems'] as const;

/** Every field each code's details may have. */
export const DETAIL_FIELDS = {
  INVALID_INPUT: [
    ...DATABASE,
    ...SCHEDULE_CHECK,
    'path',
    'issues',
    'argument',
    'reason',
    'expected',
    'maximum',
    'limit',
    'limitYears',
    'lastDate',
    'sessionType',
    'actual',
    'rrule',
    'timezone',
    'sessionId',
    'bookingId',
    'originalBookingId',
    'resourceId',
    'facilityId',
    'locationId',
    'facilityLocationId',
    'parentId',
    'studentId',
    'courseId',
    'targetCourseId',
    'expectedCourseId',
    'expectedLevelId',
    'checkedInAt',
    'quantityNeeded',
    'windowStart',
    'windowEnd',
  ],
  NOT_FOUND: [...DATABASE, 'path', 'id', 'entity'],
  INVALID_STATE: [
    'reason',
    'path',
    'sessionId',
    'sessionStatus',
    'bookingId',
    'bookingStatus',
    'attendanceStatus',
    'waitlistId',
    'waitlistStatus',
    'from',
    'to',
    'allowed',
    'conflictId',
    'resourceId',
    'feedbackId',
    'feedbackSource',
    'patternId',
    'instructorId',
    'originalBookingId',
    'makeupBookingId',
    'windowStart',
    'windowEnd',
    'freeSpots',
    'objects',
  ],
  FORBIDDEN: ['actorKind', 'action', 'reason', 'path'],
  CAPACITY_EXCEEDED: [
    ...DATABASE,
    ...SCHEDULE_CHECK,
    'reason',
    'sessionId',
    'capacity',
    'currentBookings',
    'heldOffers',
    'requested',
    'available',
    'facilityId',
    'facilityCapacity',
    'conflictingSessionCodes',
    'confirmed',
    'waitlistId',
    'table',
  ],
  CAPACITY_POLICY_VIOLATION: [...DATABASE, ...SCHEDULE_CHECK, 'reason', 'sessionType', 'limit', 'actual', 'capacity', 'min', 'max'],
  INSTRUCTOR_DOUBLE_BOOKED: [...DATABASE, ...SCHEDULE_CHECK, 'reason', 'sessionId', 'instructorId', 'limit', 'conflictingSessionCodes', 'table'],
  FACILITY_OVERLAP: [...DATABASE, ...SCHEDULE_CHECK, 'reason', 'sessionId', 'facilityId', 'limit', 'conflictingSessionCodes'],
  STUDENT_CONFLICT: [...DATABASE, ...SCHEDULE_CHECK, 'sessionId', 'studentId', 'conflictingSessionCodes', 'studentIds', 'studentClashes', 'conflicts'],
  AVAILABILITY_OVERLAP: [...DATABASE, 'instructorId', 'conflictingAvailabilityIds'],
  ALREADY_BOOKED: [...DATABASE, 'sessionId', 'studentId', 'bookingId', 'waitlistId', 'status', 'position', 'waitlistStatus'],
  NOT_BOOKABLE: [...DATABASE, 'sessionId', 'status', 'reason'],
  WAITLIST_FULL: ['sessionId', 'maxWaitlistSize', 'waiting'],
  WAITLIST_POSITION_CONFLICT: [...DATABASE, 'sessionId', 'positions'],
  SERIES_CONFLICT: ['conflicts', 'conflictingDates', 'conflictingSessionIds'],
  SCHEMA_TOO_NEW: ['unknownMigrations', 'schema'],
  MIGRATION_CHECKSUM_MISMATCH: ['migration', 'expected', 'actual', 'schema'],
  RETRY_EXHAUSTED: ['sqlstate', 'attempts'],
  DATABASE_ERROR: [...DATABASE],
} as const satisfies { [C in SchedulingErrorCode]: ReadonlyArray<keyof Details<C>> };

/** The fields each code's details always have. */
export const REQUIRED_DETAIL_FIELDS = {
  INVALID_INPUT: [],
  NOT_FOUND: [],
  INVALID_STATE: [],
  FORBIDDEN: ['actorKind', 'action', 'reason'],
  CAPACITY_EXCEEDED: [],
  CAPACITY_POLICY_VIOLATION: [],
  INSTRUCTOR_DOUBLE_BOOKED: [],
  FACILITY_OVERLAP: [],
  STUDENT_CONFLICT: ['conflictingSessionIds'],
  AVAILABILITY_OVERLAP: ['instructorId', 'conflictingAvailabilityIds'],
  ALREADY_BOOKED: ['sessionId', 'studentId'],
  NOT_BOOKABLE: ['sessionId', 'status', 'reason'],
  WAITLIST_FULL: ['sessionId', 'maxWaitlistSize', 'waiting'],
  WAITLIST_POSITION_CONFLICT: ['sqlstate', 'sessionId', 'positions'],
  SERIES_CONFLICT: ['conflicts', 'conflictingDates', 'conflictingSessionIds'],
  SCHEMA_TOO_NEW: ['unknownMigrations', 'schema'],
  MIGRATION_CHECKSUM_MISMATCH: ['migration', 'expected', 'actual', 'schema'],
  RETRY_EXHAUSTED: ['sqlstate', 'attempts'],
  DATABASE_ERROR: [],
} as const satisfies { [C in SchedulingErrorCode]: ReadonlyArray<RequiredField<Details<C>>> };

/**
 * Asserts that a refusal's details are what its code's type documents: every required
 * field set, and no field the type does not name.
 */
export function expectDocumentedDetails(error: SchedulingError): void {
  const fields: readonly string[] = DETAIL_FIELDS[error.code];
  const required: readonly string[] = REQUIRED_DETAIL_FIELDS[error.code];
  const present = Object.entries(error.details)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);
  expect(
    present.filter((key) => !fields.includes(key)),
    `${error.code} details carry fields its type does not document: ${JSON.stringify(error.details)}`,
  ).toEqual([]);
  expect(
    required.filter((key) => !present.includes(key)),
    `${error.code} details lack required fields: ${JSON.stringify(error.details)}`,
  ).toEqual([]);
}

/**
 * The one error class of academy-scheduling. Every refusal, whether it comes from
 * input validation, a domain rule or a database trigger, surfaces as a
 * `SchedulingError` with a literal `code`, so callers branch on codes and never on
 * message text. Each code has its own `details` type (`SchedulingErrorDetailsByCode`),
 * as zod types each issue code: narrowing `code` narrows `details`.
 */
import type { BookingStatus, SessionStatus, SessionType, WaitlistStatus } from './domain/statuses';

/** Why a capacity is refused. */
export type CapacityViolationReason = 'below_minimum' | 'above_maximum' | 'above_hard_limit' | 'min_participants_out_of_range';

/** Every code a `SchedulingError` can carry. Adding a code is a minor change; removing or renaming one is breaking. */
export const SCHEDULING_ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'INVALID_STATE',
  'FORBIDDEN',
  'CAPACITY_EXCEEDED',
  'CAPACITY_POLICY_VIOLATION',
  'INSTRUCTOR_DOUBLE_BOOKED',
  'FACILITY_OVERLAP',
  'STUDENT_CONFLICT',
  'AVAILABILITY_OVERLAP',
  'ALREADY_BOOKED',
  'NOT_BOOKABLE',
  'WAITLIST_FULL',
  'WAITLIST_POSITION_CONFLICT',
  'SERIES_CONFLICT',
  'SCHEMA_TOO_NEW',
  'MIGRATION_CHECKSUM_MISMATCH',
  'RETRY_EXHAUSTED',
  'DATABASE_ERROR',
] as const;

export type SchedulingErrorCode = (typeof SCHEDULING_ERROR_CODES)[number];

/** A path into the input that failed validation, as zod reports it. */
export type ErrorPath = ReadonlyArray<string | number>;

/**
 * The open record every code's `details` fits. Kept for code written before `details`
 * was typed per code; prefer `SchedulingErrorDetailsByCode[code]`.
 */
export interface SchedulingErrorDetails {
  /** Where in the input the problem is (for `INVALID_INPUT`). */
  path?: ErrorPath;
  /** Every validation issue, when there is more than one. */
  issues?: ReadonlyArray<{ path: ErrorPath; message: string }>;
  /** Ids of the sessions, bookings or rows involved. */
  [key: string]: unknown;
}

// The per-code details are type aliases, not interfaces, so that each fits an open
// record (`Record<string, unknown>`, `SchedulingErrorDetails`) as it did before.

/** One zod issue of an `INVALID_INPUT` (`details.issues`). */
export type ValidationIssue = { path: ErrorPath; message: string };

/**
 * What a refusal raised by the database adds (a trigger's SQLSTATE, a constraint, a
 * foreign key): the keys of a trigger's DETAIL JSON arrive as the camelCase fields of
 * the code, and these three say where it came from.
 */
export type DatabaseErrorFields = {
  /** The SQLSTATE: `SC001`…`SC010` for this package's triggers, else PostgreSQL's (`23505`, `23503`, `40001`, …). Set exactly when the database refused. */
  sqlstate?: string;
  /** The violated constraint (or unique index), when PostgreSQL names one. */
  constraint?: string;
  /** PostgreSQL's DETAIL when it is not JSON, e.g. `Key (session_id, student_id)=(…) already exists.` */
  detail?: string;
};

/** A confirmed student and the sessions they are booked into at the new time. */
export type StudentClashDetails = { studentId: string; conflictingSessionIds: string[] };

/** One problem a schedule check found (`details.problems`; the service's `ScheduleProblem`). */
export type ScheduleProblemDetails = {
  code: SchedulingErrorCode;
  message: string;
  /** An administrator override lets it through. */
  overridable: boolean;
  conflictingSessionIds: string[];
  studentClashes?: StudentClashDetails[];
  details: Record<string, unknown>;
};

/**
 * What the service adds when the check of a session write (create, change, status
 * change) refuses it: the sessions in the way and every problem found, the refusing
 * one first among those no override lifts.
 */
export type ScheduleCheckFields = {
  /** Existing sessions in the way (empty for a capacity refusal). */
  conflictingSessionIds?: string[];
  /** Every problem the check found, the one thrown included. */
  problems?: readonly ScheduleProblemDetails[];
};

/** One occurrence of a series that cannot be written as planned (`details.conflicts`). */
export type OccurrenceConflictDetails = {
  /** Its date in the location's time zone, `YYYY-MM-DD`. */
  localDate: string;
  start: Date;
  end: Date;
  code: 'INSTRUCTOR_DOUBLE_BOOKED' | 'FACILITY_OVERLAP' | 'STUDENT_CONFLICT';
  /** Existing sessions in the way. */
  conflictingSessionIds: string[];
  /** Other occurrences of the same series in the way (local dates). */
  conflictingDates: string[];
  /** For `STUDENT_CONFLICT`: the students booked elsewhere then. */
  studentIds?: string[];
};

/** `details.reason` of an `INVALID_INPUT`, when the input is valid data but cannot be used. */
export type InvalidInputReason =
  | 'series_too_long'
  | 'too_many_occurrences'
  | 'open_ended'
  | 'no_occurrences'
  | 'no_new_occurrences'
  | 'not_an_extension'
  /** `attendance.checkOut`: `at` before the check-in. */
  | 'before_check_in'
  /** `attendance.*`: `at` after the scheduler's clock (attendance records what happened). */
  | 'in_the_future'
  /** `attendance.checkIn`: `at` before check-in opens (`checkInOpensMinutes` before the start; `windowStart`). */
  | 'too_early'
  /** `attendance.checkIn`: `at` after the session's end; `attendance.checkOut`: after check-out closes (`checkOutClosesMinutes` after the end; `windowEnd`). */
  | 'too_late'
  | 'more_than_needed'
  | 'same_session'
  | 'different_course'
  | 'other_course'
  | 'other_level'
  | 'min_participants_out_of_range'
  /** A session start before the scheduler's clock, without `allowPast` (`sessions.create`, `update`, `reschedule`, `series.editOccurrence`). */
  | 'in_the_past'
  /** An academy schema name that is not a plain lower-case identifier, or is reserved (`pg_…`, `information_schema`, `public`). */
  | 'invalid_schema_name'
  /** A database role name that is not a plain lower-case identifier, or starts with `pg_`. */
  | 'invalid_role_name'
  /** `academy-scheduling/webhooks`: a `webhook-id`, `webhook-timestamp` or `webhook-signature` header absent or empty (`path`: `['headers', name]`). */
  | 'missing_header'
  /** `academy-scheduling/webhooks`: a timestamp that is not whole seconds since the epoch, or an invalid `Date`. */
  | 'bad_timestamp'
  /** `academy-scheduling/webhooks`: `webhook-timestamp` further from the clock than the tolerance (`limit`, seconds; `actual`: how far ahead of the clock, negative when behind). */
  | 'timestamp_out_of_tolerance'
  /** `academy-scheduling/webhooks`: no `v1` signature of `webhook-signature` matches the message. */
  | 'no_matching_signature'
  /** `academy-scheduling/webhooks`: a secret that is not `whsec_` and base64, nor key bytes. */
  | 'bad_secret'
  /** `academy-scheduling/webhooks`: a body that is not a string or bytes, not UTF-8, or not JSON; an event that cannot be written as JSON. */
  | 'bad_payload';

/** `details.reason` of an `INVALID_STATE`, where the refusal gives one. */
export type InvalidStateReason =
  | 'moved'
  | 'not_confirmed'
  | 'already_checked_in'
  | 'marked_absent'
  | 'not_checked_in'
  | 'already_checked_out'
  | 'checked_in'
  /** `attendance.markAbsent` / `markNoShow` before the session's start (`windowStart`). */
  | 'not_started'
  /** `attendance.checkIn` without `at`, before check-in opens (`windowStart`). */
  | 'too_early'
  /** `attendance.checkIn` without `at` after the session's end, `checkOut` after check-out closes (`windowEnd`): pass `at`, when it happened. */
  | 'too_late'
  | 'session_not_running'
  | 'not_completed'
  | 'already_done'
  | 'no_follow_up'
  | 'duplicate'
  | 'not_missed'
  | 'already_made_up'
  | 'outside_window'
  | 'not_waiting'
  | 'not_offered'
  | 'offer_expired'
  | 'places_available'
  | 'session_not_plannable'
  /** `dropAcademy`: the schema holds tables or views this package did not create (`objects`). */
  | 'foreign_objects';

/** `details.reason` of a `CAPACITY_EXCEEDED`. */
export type CapacityExceededReason =
  /** Every place is confirmed. */
  | 'full'
  /** The free places are held by open waitlist offers. */
  | 'held_offers'
  /** Booking siblings together: fewer free places than students (nobody was booked). */
  | 'not_all_fit'
  /** A capacity below the confirmed bookings. */
  | 'below_confirmed'
  /** A capacity below the confirmed bookings plus the places held by offers. */
  | 'below_held_offers'
  /** A capacity above the facility's size, or a facility shrunk below its sessions'. */
  | 'facility_capacity'
  /** `current_bookings` written by hand (it is derived from the confirmed bookings). */
  | 'derived_counter'
  /** `TRUNCATE` of the bookings above READ COMMITTED. */
  | 'truncate_isolation';

/**
 * `details.reason` of a `FORBIDDEN`: the right or the link the actor lacks. The
 * message says the same in words, naming the actor's own ids (never a student's).
 */
export type ForbiddenReason =
  /** Only administrators (`admin`, `system`) do this, or set the field in `path`. */
  | 'administrators_only'
  /** Only administrators and the instructor concerned (their own session or records): parents and students never. */
  | 'administrators_or_instructor_only'
  /** Only administrators and the parent whose family it is (`bookings.familySchedule`). */
  | 'administrators_or_parent_only'
  /** An instructor where only a family acts: booking, moving, queueing, makeups, a student's own bookings and waitlist entries. */
  | 'instructors_do_not_book'
  /** A parent with no `parent_students` link to the student (an administrator creates one with `scheduler.academy.linkParentStudent`). */
  | 'not_linked_to_student'
  /** A student acting for another student. */
  | 'not_this_student'
  /** A parent acting in another parent's name (`parentId`) or reading another parent's family schedule. */
  | 'not_this_parent'
  /** An instructor on a session they do not teach (or would not teach, for `sessions.create`). */
  | 'not_their_session'
  /** An instructor changing another instructor's availability. */
  | 'not_their_availability'
  /** An instructor asking for another instructor's records (`conflicts.list`, `feedback.averages` by `instructorId`). */
  | 'not_their_records'
  /** Feedback from a student, or a parent of no student, who took part in the session. */
  | 'not_a_participant'
  /** The actor lacks the id its kind acts through (`instructorId`, `parentId`, `studentId`): `path` names it (`['actor', 'parentId']`). */
  | 'actor_id_missing'
  /** A row the actor has just acted on is not theirs to see (the access rules of the method and of `VISIBILITY` disagree). */
  | 'not_visible';

/**
 * The `details` of each code. A field without `?` is there on every refusal with that
 * code, whichever layer refused (the service, the domain functions, a trigger); an
 * optional one only on some, as its comment says. Ids are the rows' uuids (`id`),
 * never their human codes (those are in `…Codes` fields).
 */
export interface SchedulingErrorDetailsByCode {
  /**
   * Bad input: a zod schema, a domain rule, an unknown time zone (`SC010`), a CHECK
   * (`23514`), a NOT NULL (`23502`) or a value out of range (`22xxx`).
   */
  INVALID_INPUT: DatabaseErrorFields &
    ScheduleCheckFields & {
      /** Where in the input, as zod spells it (`[]`: the whole argument). Set on every refusal except the database's (then `sqlstate` and `constraint` say what). */
      path?: ErrorPath;
      /** Every zod issue, the first at `path` (a schema refusal only). */
      issues?: ValidationIssue[];
      /** Which argument of a domain function was refused (`input`, `policy`, …), when it is not the first. */
      argument?: string;
      /** For input that is valid data but cannot be used. */
      reason?: InvalidInputReason;
      /** What a plain-data check expected (`object`, `plain object`, `array`, `data`, `data property`). */
      expected?: string;
      /** The size limit a plain-data check applied (keys, items, characters, depth, values). */
      maximum?: number;
      /** The limit crossed: occurrences of a series (`too_many_occurrences`), years (`series_too_long` in the domain), the allowed range of `minParticipants`, the tolerance in seconds (`timestamp_out_of_tolerance`). */
      limit?: number | { min: number; max: number };
      /** `series_too_long` (service): how many years a series may run, and the last date it reached. */
      limitYears?: number;
      lastDate?: string;
      /** `min_participants_out_of_range`: the session type and the value refused. `timestamp_out_of_tolerance`: `actual` is how many seconds the timestamp is ahead of the clock (negative: behind). */
      sessionType?: SessionType;
      actual?: number;
      /** The RRULE refused. */
      rrule?: string;
      /** The time zone refused (`SC010`). */
      timezone?: string;
      /** Rows the refusal names. */
      sessionId?: string;
      bookingId?: string;
      originalBookingId?: string;
      resourceId?: string;
      facilityId?: string;
      locationId?: string;
      /** `chk_session_facility_location`: the location the facility is at. */
      facilityLocationId?: string;
      parentId?: string;
      studentId?: string;
      /** `different_course`: the course of the booking's session and of the target. */
      courseId?: string;
      targetCourseId?: string;
      /** `other_course`, `other_level`: what a makeup session must match. */
      expectedCourseId?: string;
      expectedLevelId?: string;
      /** `before_check_in`: the check-in, ISO 8601. */
      checkedInAt?: string;
      /** `more_than_needed`: the units the session needs. */
      quantityNeeded?: number | null;
      /** Attendance (`too_early`, `too_late`): the instants `at` may fall in, both included (ISO 8601). */
      windowStart?: string;
      windowEnd?: string;
    };
  /** An id that does not exist: a look-up by the service, or a foreign key (`23503`). */
  NOT_FOUND: DatabaseErrorFields & {
    /** The input field holding the id. Set on every look-up, and on a foreign key refusal (from the column PostgreSQL names). */
    path?: ErrorPath;
    /** The id as given. */
    id?: string;
    /** What was looked up (`session`, `booking`, `student`, …); a look-up only. */
    entity?: string;
  };
  /** A transition or an action the row's current state does not allow. */
  INVALID_STATE: {
    /** Set by the refusals that have more than one cause; transitions give `from`, `to` and `allowed` instead. */
    reason?: InvalidStateReason;
    /** The input field naming the row, when it is not the obvious one. */
    path?: ErrorPath;
    sessionId?: string;
    /** The status of the session concerned. */
    sessionStatus?: SessionStatus;
    bookingId?: string;
    bookingStatus?: BookingStatus;
    attendanceStatus?: string | null;
    waitlistId?: string;
    waitlistStatus?: WaitlistStatus;
    /** A refused transition (of a session, a conflict or a resource): from, to, and where `from` may go. */
    from?: string;
    to?: string;
    allowed?: readonly string[];
    conflictId?: string;
    resourceId?: string;
    feedbackId?: string;
    /** `duplicate`: who already gave feedback (`student`, `parent`, `instructor`, `admin`). */
    feedbackSource?: string;
    patternId?: string;
    /** An inactive instructor. */
    instructorId?: string;
    /** Makeups: the missed booking, the makeup that already exists, the window a makeup must start in (ISO 8601). Attendance: the instants a step accepts, both included (`too_early`, `too_late`, `not_started`). */
    originalBookingId?: string;
    makeupBookingId?: string;
    windowStart?: string;
    windowEnd?: string;
    /** `places_available`: free places (book instead of joining the waitlist). */
    freeSpots?: number;
    /** `foreign_objects` (`dropAcademy`): what the schema holds that this package did not create. */
    objects?: readonly string[];
  };
  /** The actor may not do this. */
  FORBIDDEN: {
    actorKind: 'admin' | 'instructor' | 'parent' | 'student' | 'system';
    /** What was refused, in words (`set a waitlist priority`). */
    action: string;
    /** The right or the link the actor lacks. */
    reason: ForbiddenReason;
    /** The input field only an administrator may set (`administrators_only`), or the actor's missing id (`actor_id_missing`: `['actor', 'parentId']`). */
    path?: ErrorPath;
  };
  /** No place: see `reason`. The fields set depend on it. */
  CAPACITY_EXCEEDED: DatabaseErrorFields &
    ScheduleCheckFields & {
      /** Set by every refusal except the `chk_session_bookings` constraint's. */
      reason?: CapacityExceededReason;
      /** The session (not for a session not written yet, nor for a shrunk facility). */
      sessionId?: string;
      capacity?: number;
      /** Confirmed bookings. */
      currentBookings?: number;
      /** Places held by open waitlist offers. */
      heldOffers?: number;
      /** `not_all_fit`: students asked for and places free. */
      requested?: number;
      available?: number;
      /** `facility_capacity`: the facility and its size. */
      facilityId?: string;
      facilityCapacity?: number;
      /** `facility_capacity` when a facility shrinks: codes of the sessions that no longer fit (their ids in `conflictingSessionIds`). */
      conflictingSessionCodes?: string[];
      /** `derived_counter`: the real count of confirmed bookings. */
      confirmed?: number;
      /** The waitlist entry an offer was to be made on. */
      waitlistId?: string;
      /** `truncate_isolation`: the table. */
      table?: string;
    };
  /** A capacity outside the policy for its session type, or a policy change or removal that would strand sessions. */
  CAPACITY_POLICY_VIOLATION: DatabaseErrorFields &
    ScheduleCheckFields & {
      /** Set for a session's capacity and for a policy removed; not for a policy change (then `min`, `max` and `conflictingSessionIds`). */
      reason?: CapacityViolationReason | 'policy_removed';
      sessionType?: SessionType;
      /** The bound crossed and the capacity refused (a session's capacity). */
      limit?: number | { min: number; max: number };
      actual?: number;
      /** A trigger's refusal: the capacity and the policy's range. */
      capacity?: number;
      min?: number;
      max?: number;
    };
  /** The instructor already teaches then (as many sessions as they may), or a limit was lowered under sessions using it. */
  INSTRUCTOR_DOUBLE_BOOKED: DatabaseErrorFields &
    ScheduleCheckFields & {
      /** `limit_lowered`: a limit lowered under sessions; `truncate_isolation`: `TRUNCATE` of the availability above READ COMMITTED. Absent for a clash. */
      reason?: 'limit_lowered' | 'truncate_isolation';
      /** The session written (a trigger's refusal of an existing row). */
      sessionId?: string;
      instructorId?: string;
      /** How many sessions the instructor may teach at once there. */
      limit?: number;
      conflictingSessionCodes?: string[];
      /** `truncate_isolation`: the table. */
      table?: string;
    };
  /** The facility is taken then (as many sessions as it holds at once), or its limit was lowered under sessions using it. */
  FACILITY_OVERLAP: DatabaseErrorFields &
    ScheduleCheckFields & {
      /** `limit_lowered`: `max_concurrent_sessions` lowered under sessions. Absent for a clash. */
      reason?: 'limit_lowered';
      sessionId?: string;
      facilityId?: string;
      /** How many sessions the facility holds at once. */
      limit?: number;
      conflictingSessionCodes?: string[];
    };
  /** A student is already confirmed in an overlapping session. */
  STUDENT_CONFLICT: DatabaseErrorFields &
    ScheduleCheckFields & {
      /** The sessions the students are booked into. */
      conflictingSessionIds: string[];
      /** Booking one student: the session and the student. */
      sessionId?: string;
      studentId?: string;
      conflictingSessionCodes?: string[];
      /** Moving sessions: every student booked elsewhere at the new time. */
      studentIds?: string[];
      /** Moving one session: each student and their sessions in the way. */
      studentClashes?: StudentClashDetails[];
      /** Moving a series: each occurrence in the way. */
      conflicts?: OccurrenceConflictDetails[];
    };
  /** Two active availability slots of one instructor overlap. */
  AVAILABILITY_OVERLAP: DatabaseErrorFields & {
    instructorId: string;
    conflictingAvailabilityIds: string[];
  };
  /** The student already has a booking or an active waitlist entry in the session, or is both confirmed and waiting there. */
  ALREADY_BOOKED: DatabaseErrorFields & {
    sessionId: string;
    studentId: string;
    /** The booking in the way, when there is one. */
    bookingId?: string;
    /** The waitlist entry in the way, when there is one. */
    waitlistId?: string;
    /** The status of the booking or the entry in the way (service refusals). */
    status?: BookingStatus | WaitlistStatus;
    /** The entry's place in the queue. */
    position?: number;
    /** Confirmed and waiting at once (`SC008`): the entry's status. */
    waitlistStatus?: WaitlistStatus;
  };
  /** The session takes no bookings. */
  NOT_BOOKABLE: DatabaseErrorFields & {
    sessionId: string;
    status: SessionStatus;
    /** Why: the session's status, or `past` once a scheduled session has started. */
    reason: Exclude<SessionStatus, 'scheduled'> | 'past';
  };
  /** The session's waitlist is full. */
  WAITLIST_FULL: {
    sessionId: string;
    maxWaitlistSize: number;
    /** Active entries in the queue. */
    waiting: number;
  };
  /** A write would leave a session's active waitlist positions other than 1..n (`SC009`, at commit). */
  WAITLIST_POSITION_CONFLICT: DatabaseErrorFields & {
    sqlstate: string;
    sessionId: string;
    /** The positions the queue would hold. */
    positions: number[];
  };
  /** Occurrences of a series conflict with existing sessions (all-or-nothing, or none could be written). */
  SERIES_CONFLICT: {
    conflicts: OccurrenceConflictDetails[];
    /** The dates of `conflicts`, once each. */
    conflictingDates: string[];
    conflictingSessionIds: string[];
  };
  /** The database was migrated by a newer version of this package. */
  SCHEMA_TOO_NEW: {
    unknownMigrations: string[];
    /** The academy schema that was migrated by a newer version. */
    schema: string;
  };
  /** An applied migration differs from this package's. */
  MIGRATION_CHECKSUM_MISMATCH: {
    migration: string;
    expected: string;
    actual: string;
    /** The academy schema the migration was applied to. */
    schema: string;
  };
  /** Serialization failures or deadlocks persisted past the retry limit. */
  RETRY_EXHAUSTED: {
    /** `40001` or `40P01`. */
    sqlstate: string;
    attempts: number;
  };
  /** Anything else; `sqlstate` is absent when no database error is in the `cause` chain (a lost connection). */
  DATABASE_ERROR: DatabaseErrorFields;
}

type KeysOfEach<T> = T extends unknown ? keyof T : never;
/** Every field name of every code's details. */
type DetailFieldName = KeysOfEach<SchedulingErrorDetailsByCode[SchedulingErrorCode]>;
type WithOtherFieldsAbsent = {
  [C in SchedulingErrorCode]: SchedulingErrorDetailsByCode[C] & { readonly [K in Exclude<DetailFieldName, keyof SchedulingErrorDetailsByCode[C]>]?: undefined };
};

/**
 * `details` of a `SchedulingError<C>`: the fields of `SchedulingErrorDetailsByCode[C]`,
 * and every other code's field names as `undefined`, so that a field can be read
 * before `code` is narrowed (`e.details.sqlstate`), a field of another code reads as
 * `undefined`, and a name no code has is a type error.
 */
export type SchedulingErrorDetailsOf<C extends SchedulingErrorCode> = WithOtherFieldsAbsent[C];

/**
 * The details and options a constructor takes: the details of `C`, which may be left
 * out only when none of its fields is required; or any record, when the code is only
 * known as `SchedulingErrorCode` (as before details were typed).
 */
type ConstructorRest<C extends SchedulingErrorCode> = [SchedulingErrorCode] extends [C]
  ? [details?: SchedulingErrorDetails, options?: { cause?: unknown }]
  : object extends SchedulingErrorDetailsByCode[C]
    ? [details?: SchedulingErrorDetailsByCode[C], options?: { cause?: unknown }]
    : [details: SchedulingErrorDetailsByCode[C], options?: { cause?: unknown }];

const BRAND = Symbol.for('academy-scheduling.SchedulingError');

/**
 * A typed error with a literal `code`, structured `details` (typed per code:
 * `SchedulingErrorDetailsByCode`) and the original `cause`. `SchedulingError<'NOT_FOUND'>`
 * is one with that code; plain `SchedulingError` any code. Narrow with
 * `isSchedulingError(e, code)`, or with `isSchedulingError(e)` and then `e.code`.
 *
 * @example
 * ```ts
 * import { isSchedulingError } from 'academy-scheduling';
 *
 * try {
 *   await scheduler.bookings.book(parent, { sessionId, studentId });
 * } catch (e) {
 *   if (!isSchedulingError(e)) throw e;
 *   switch (e.code) {
 *     case 'NOT_BOOKABLE':
 *       console.log(`Session ${e.details.sessionId} takes no bookings: ${e.details.reason}`);
 *       break;
 *     case 'ALREADY_BOOKED':
 *       console.log(`Already booked (${e.details.status ?? e.details.waitlistStatus})`);
 *       break;
 *     default:
 *       throw e;
 *   }
 * }
 * ```
 */
export class SchedulingError<C extends SchedulingErrorCode = SchedulingErrorCode> extends Error {
  readonly code: C;
  readonly details: SchedulingErrorDetailsOf<C>;
  readonly [BRAND] = true;

  /**
   * `details` are checked against the code's type (`code` sets `C`); they may be left
   * out only for a code whose details have no required field.
   *
   * @example
   * ```ts
   * import { SchedulingError } from 'academy-scheduling';
   *
   * throw new SchedulingError('WAITLIST_FULL', 'The waitlist is full', { sessionId, maxWaitlistSize: 10, waiting: 10 });
   * ```
   */
  constructor(code: C, message: string, ...[details, options]: ConstructorRest<C>) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SchedulingError';
    this.code = code;
    this.details = (details ?? {}) as SchedulingErrorDetailsOf<C>;
  }
}

/**
 * Any `SchedulingError`, as a union discriminated by `code`: comparing `code` narrows
 * `details` to that code's (what `isSchedulingError(value)` narrows to).
 */
export type AnySchedulingError = { [C in SchedulingErrorCode]: SchedulingError<C> }[SchedulingErrorCode];

/**
 * True for a `SchedulingError` from any copy of the package (ESM or CJS), because it
 * checks a `Symbol.for` brand instead of `instanceof`. Without a code it narrows to
 * `AnySchedulingError` (then `e.code` narrows `details`); with one, to
 * `SchedulingError<typeof code>`.
 *
 * @example
 * ```ts
 * import { isSchedulingError } from 'academy-scheduling';
 *
 * function statusOf(err: unknown): number {
 *   if (isSchedulingError(err, 'NOT_FOUND')) return err.details.path?.[0] === 'sessionId' ? 404 : 422;
 *   if (isSchedulingError(err)) return err.code === 'FORBIDDEN' ? 403 : 409;
 *   return 500;
 * }
 * ```
 */
export function isSchedulingError(value: unknown): value is AnySchedulingError;
/** True for a `SchedulingError` with this code, from any copy of the package. */
export function isSchedulingError<C extends SchedulingErrorCode>(value: unknown, code: C): value is SchedulingError<C>;
/** True for a `SchedulingError` (with `code`, when given), from any copy of the package. */
export function isSchedulingError(value: unknown, code?: SchedulingErrorCode): value is AnySchedulingError;
export function isSchedulingError(value: unknown, code?: SchedulingErrorCode): boolean {
  if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[BRAND] !== true) {
    return false;
  }
  return code === undefined || (value as SchedulingError).code === code;
}

/**
 * The one error class of academy-scheduling. Every refusal, whether it comes from
 * input validation, a domain rule or a database trigger, surfaces as a
 * `SchedulingError` with a literal `code`, so callers branch on codes and never on
 * message text.
 */

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

export interface SchedulingErrorDetails {
  /** Where in the input the problem is (for `INVALID_INPUT`). */
  path?: ErrorPath;
  /** Every validation issue, when there is more than one. */
  issues?: ReadonlyArray<{ path: ErrorPath; message: string }>;
  /** Ids of the sessions, bookings or rows involved. */
  [key: string]: unknown;
}

const BRAND = Symbol.for('academy-scheduling.SchedulingError');

/**
 * A typed error with a literal `code`, structured `details` and the original `cause`.
 *
 * @example
 * ```ts
 * try {
 *   await scheduler.bookings.book(input);
 * } catch (e) {
 *   if (isSchedulingError(e) && e.code === 'CAPACITY_EXCEEDED') showFullMessage();
 *   else throw e;
 * }
 * ```
 */
export class SchedulingError extends Error {
  readonly code: SchedulingErrorCode;
  readonly details: SchedulingErrorDetails;
  readonly [BRAND] = true;

  constructor(
    code: SchedulingErrorCode,
    message: string,
    details: SchedulingErrorDetails = {},
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SchedulingError';
    this.code = code;
    this.details = details;
  }
}

/**
 * True for a `SchedulingError` from any copy of the package (ESM or CJS), because it
 * checks a `Symbol.for` brand instead of `instanceof`.
 *
 * @example
 * ```ts
 * if (isSchedulingError(err, 'NOT_FOUND')) return new Response(null, { status: 404 });
 * ```
 */
export function isSchedulingError(value: unknown, code?: SchedulingErrorCode): value is SchedulingError {
  if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[BRAND] !== true) {
    return false;
  }
  return code === undefined || (value as SchedulingError).code === code;
}

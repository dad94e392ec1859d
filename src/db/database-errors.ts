import { SchedulingError, type AnySchedulingError, type SchedulingErrorCode, isSchedulingError } from '../errors';

/** The driver error fields we read; names differ between drivers. */
interface DriverErrorFields {
  code: string;
  message?: string;
  detail?: string;
  constraint?: string;
  constraint_name?: string;
  where?: string;
}

/** SQLSTATEs raised by our own triggers (see drizzle/0001_triggers.sql and the later migrations). */
const TRIGGER_CODES: Record<string, SchedulingErrorCode> = {
  SC001: 'CAPACITY_EXCEEDED',
  SC002: 'CAPACITY_POLICY_VIOLATION',
  SC003: 'INSTRUCTOR_DOUBLE_BOOKED',
  SC004: 'FACILITY_OVERLAP',
  SC005: 'STUDENT_CONFLICT',
  SC006: 'AVAILABILITY_OVERLAP',
  SC007: 'NOT_BOOKABLE',
  SC008: 'ALREADY_BOOKED',
  SC009: 'WAITLIST_POSITION_CONFLICT',
  SC010: 'INVALID_INPUT',
  // Change events are append-only (drizzle/0009_change_events.sql).
  SC011: 'INVALID_STATE',
};

/** Constraints whose violation means something more specific than bad input. */
const CONSTRAINT_CODES: Record<string, SchedulingErrorCode> = {
  uk_session_booking: 'ALREADY_BOOKED',
  uk_session_waitlist: 'ALREADY_BOOKED',
  chk_session_bookings: 'CAPACITY_EXCEEDED',
};

/** SQLSTATEs after which the whole transaction may simply be run again. */
export const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

/**
 * Finds the driver error inside whatever was thrown: Drizzle wraps driver errors
 * (as `cause`), and drivers differ in field names (postgres.js `constraint_name`,
 * pg and PGlite `constraint`).
 */
export function findDriverError(error: unknown): DriverErrorFields | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === 'object'; depth++) {
    const candidate = current as Partial<DriverErrorFields> & { cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return candidate as DriverErrorFields;
    }
    current = candidate.cause;
  }
  return undefined;
}

/** The SQLSTATE of a database error, if there is one anywhere in the cause chain. */
export function sqlStateOf(error: unknown): string | undefined {
  return findDriverError(error)?.code;
}

const camelCase = (key: string) => key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * Our triggers put JSON in DETAIL with snake_case keys (SQL's habit); callers get the
 * same camelCase keys the service's own refusals use, so one code always carries its
 * data under one name (e.g. `conflictingSessionIds`).
 */
function parseDetail(detail: string | undefined): Record<string, unknown> {
  if (!detail || !detail.startsWith('{')) return detail ? { detail } : {};
  try {
    const parsed = JSON.parse(detail) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [camelCase(key), value]));
  } catch {
    return { detail };
  }
}

function codeFor(sqlstate: string, constraint: string | undefined): SchedulingErrorCode {
  const fromTrigger = TRIGGER_CODES[sqlstate];
  if (fromTrigger) return fromTrigger;
  if (constraint && CONSTRAINT_CODES[constraint]) return CONSTRAINT_CODES[constraint];
  if (sqlstate === '23503') return 'NOT_FOUND';
  if (sqlstate.startsWith('23') || sqlstate.startsWith('22')) return 'INVALID_INPUT';
  return 'DATABASE_ERROR';
}

/**
 * The key of a unique (23505) or foreign key (23503) violation, from PostgreSQL's
 * DETAIL `Key (session_id, student_id)=(…, …) already exists.`, camelCased. Undefined
 * when DETAIL has no key (PostgreSQL leaves it out for a role that may not read it).
 */
function keyOf(detail: string | undefined): Record<string, string> | undefined {
  const match = /^Key \(([a-z_, ]+)\)=\((.*)\) (?:already exists|is not present in table)/.exec(detail ?? '');
  if (!match) return undefined;
  const columns = match[1]!.split(', ');
  const values = match[2]!.split(', ');
  if (columns.length !== values.length) return undefined;
  return Object.fromEntries(columns.map((column, i) => [camelCase(column), values[i]!]));
}

/**
 * An unknown id refused by a foreign key (23503) names its column in DETAIL, `Key
 * (course_id)=(…) is not present in table "courses".`: that column, camelCased, is the
 * input field (`courseId`) and the value the `id`, as a NOT_FOUND found by a look-up
 * names them.
 */
function missingKey(driver: DriverErrorFields): { path?: string[]; id?: string } {
  if (driver.code !== '23503') return {};
  const column = /^Key \(([a-z_]+)\)=/.exec(driver.detail ?? '')?.[1];
  if (!column) return {};
  const id = keyOf(driver.detail)?.[camelCase(column)];
  return { path: [camelCase(column)], ...(id === undefined ? {} : { id }) };
}

/**
 * Gives a trigger's refusal the fields the service's own refusal with the same code
 * has (SchedulingErrorDetailsByCode documents them), so that one code carries its data
 * under one name whichever layer refused. The trigger's own fields stay.
 */
function alignWithService(code: SchedulingErrorCode, details: Record<string, unknown>, driver: DriverErrorFields): Record<string, unknown> {
  switch (code) {
    case 'AVAILABILITY_OVERLAP': {
      // The trigger names the first slot in the way; the service every one.
      const { conflictingAvailabilityId, ...rest } = details;
      return conflictingAvailabilityId === undefined ? details : { ...rest, conflictingAvailabilityIds: [conflictingAvailabilityId] };
    }
    case 'NOT_BOOKABLE':
      // The trigger refuses a session that is not active: its status is the reason, as assertBookable gives it.
      return details.reason === undefined && typeof details.status === 'string' ? { ...details, reason: details.status } : details;
    case 'CAPACITY_POLICY_VIOLATION': {
      // A capacity outside the policy's range: the bound crossed and the capacity, as checkCapacity reports them.
      const { capacity, min, max } = details;
      if (details.reason !== undefined || typeof capacity !== 'number' || typeof min !== 'number' || typeof max !== 'number') return details;
      if (capacity < min) return { ...details, reason: 'below_minimum', limit: min, actual: capacity };
      if (capacity > max) return { ...details, reason: 'above_maximum', limit: max, actual: capacity };
      return details;
    }
    case 'ALREADY_BOOKED':
      // uk_session_booking / uk_session_waitlist: the session and the student, from the key.
      return driver.code === '23505' ? { ...keyOf(driver.detail), ...details } : details;
    default:
      return details;
  }
}

/**
 * Turns anything a database call threw into a `SchedulingError`, keeping the original
 * as `cause`. A `SchedulingError` passes through unchanged. The details are the
 * trigger's DETAIL JSON (camelCased) with `sqlstate` and `constraint`, aligned with the
 * service's refusals of the same code (see SchedulingErrorDetailsByCode).
 */
export function toSchedulingError(error: unknown): AnySchedulingError {
  if (isSchedulingError(error)) return error;
  let driver = findDriverError(error);
  if (!driver) {
    const message = error instanceof Error ? error.message : String(error);
    return new SchedulingError('DATABASE_ERROR', message, {}, { cause: error });
  }
  const fromWorker = isFromCitusWorker(driver);
  const constraint = constraintOf(driver);
  // Fields by name: an Error's `message` is not an own enumerable property, so a spread would lose it.
  if (fromWorker) driver = { code: driver.code, message: driver.message, detail: driver.detail && withoutShardIds(driver.detail), where: driver.where };
  const code = codeFor(driver.code, constraint);
  const details = { sqlstate: driver.code, ...(constraint ? { constraint } : {}), ...parseDetail(driver.detail), ...missingKey(driver) };
  // The code is only known at run time here: the details are what the triggers raise,
  // which test/service/scheduler/error-details.test.ts checks against SchedulingErrorDetailsByCode.
  return new SchedulingError(code, driver.message ?? `Database error ${driver.code}`, alignWithService(code, details, driver), {
    cause: error,
  }) as AnySchedulingError;
}

/** Whether a Citus worker raised the error (and the coordinator passed it on). */
function isFromCitusWorker(driver: DriverErrorFields): boolean {
  return driver.where?.includes('while executing command on') ?? false;
}

/**
 * The name of the constraint a database error is about, by the name it has in the
 * migrations, on every driver and on Citus.
 *
 * @internal
 */
export function constraintOf(driver: DriverErrorFields): string | undefined {
  return isFromCitusWorker(driver) ? workerConstraint(driver) : (driver.constraint ?? driver.constraint_name);
}

/**
 * The constraint of an error a Citus worker raised. Citus passes on the worker's
 * SQLSTATE, message and detail but not the constraint field, and there the names carry
 * the shard's id (`chk_session_times_102022` on the shard `sessions_102022`): the name
 * is read from the message (or, for a trigger's RAISE, from its DETAIL) and the suffix
 * dropped (none of our constraints ends in one).
 */
function workerConstraint(driver: DriverErrorFields): string | undefined {
  const inDetail = parseDetail(driver.detail).constraint;
  const named =
    driver.constraint ??
    driver.constraint_name ??
    (typeof inDetail === 'string' ? inDetail : undefined) ??
    /constraint "([^"]+)"/.exec(driver.message ?? '')?.[1];
  return named?.replace(/_\d+$/, '');
}

/** `table "students_102025"` in a worker's detail, as `table "students"`. */
function withoutShardIds(detail: string): string {
  return detail.replace(/(table "[^"]+?)_\d+"/g, '$1"');
}

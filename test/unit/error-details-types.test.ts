/**
 * `SchedulingError.details` is typed per code. These are type-level tests (checked by
 * `tsc --noEmit -p .`, which compiles test/; `expectTypeOf` and `@ts-expect-error` fail
 * the compile, not the run) plus a few run-time checks of the same errors.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type AnySchedulingError,
  type ErrorPath,
  SCHEDULING_ERROR_CODES,
  SchedulingError,
  type SchedulingErrorCode,
  type SchedulingErrorDetails,
  type SchedulingErrorDetailsByCode,
  isSchedulingError,
} from '../../src';
import { DETAIL_FIELDS, REQUIRED_DETAIL_FIELDS, type RequiredField, expectDocumentedDetails } from '../support/error-details';

const full = new SchedulingError('CAPACITY_EXCEEDED', 'Session SES-1 is full', {
  sessionId: 'a7e4c1d2-0000-4000-8000-000000000001',
  capacity: 5,
  currentBookings: 5,
  reason: 'full',
});
const missing = new SchedulingError('NOT_FOUND', 'No session with id x', { path: ['sessionId'], id: 'x', entity: 'session' });
const forbidden = new SchedulingError('FORBIDDEN', 'A parent may not set a waitlist priority: only administrators (admin and system actors) may', {
  actorKind: 'parent',
  action: 'set a waitlist priority',
  reason: 'administrators_only',
});
const caught: unknown = full;

describe('SchedulingError details, typed per code', () => {
  it('the run-time field lists are exactly the types (test/support/error-details.ts)', () => {
    type Unlisted = { [C in SchedulingErrorCode]: Exclude<keyof SchedulingErrorDetailsByCode[C], (typeof DETAIL_FIELDS)[C][number]> }[SchedulingErrorCode];
    type UnlistedRequired = {
      [C in SchedulingErrorCode]: Exclude<RequiredField<SchedulingErrorDetailsByCode[C]>, (typeof REQUIRED_DETAIL_FIELDS)[C][number]>;
    }[SchedulingErrorCode];
    expectTypeOf<Unlisted>().toBeNever();
    expectTypeOf<UnlistedRequired>().toBeNever();
    expectTypeOf<keyof SchedulingErrorDetailsByCode>().toEqualTypeOf<SchedulingErrorCode>();
    expect(Object.keys(DETAIL_FIELDS).sort()).toEqual([...SCHEDULING_ERROR_CODES].sort());
  });

  it('isSchedulingError(e) narrows to a union on code: comparing code narrows details', () => {
    if (!isSchedulingError(caught)) throw new Error('expected a SchedulingError');
    expectTypeOf(caught).toEqualTypeOf<AnySchedulingError>();
    if (caught.code === 'CAPACITY_EXCEEDED') {
      expectTypeOf(caught.details.capacity).toEqualTypeOf<number | undefined>();
      expectTypeOf(caught.details.reason).toEqualTypeOf<
        | 'full'
        | 'held_offers'
        | 'not_all_fit'
        | 'below_confirmed'
        | 'below_held_offers'
        | 'facility_capacity'
        | 'derived_counter'
        | 'truncate_isolation'
        | undefined
      >();
      // A name no code has is an error; another code's field reads as undefined.
      // @ts-expect-error -- `capacty` is no field of any code
      void caught.details.capacty;
      expectTypeOf(caught.details.entity).toEqualTypeOf<undefined>();
      // @ts-expect-error -- `entity` is NOT_FOUND's: here it is undefined, not a string
      const entity: string = caught.details.entity;
      void entity;
      expect(caught.details.capacity).toBe(5);
    } else {
      throw new Error('expected CAPACITY_EXCEEDED');
    }
    const described = (e: AnySchedulingError): string => {
      switch (e.code) {
        case 'NOT_FOUND':
          expectTypeOf(e.details.path).toEqualTypeOf<ErrorPath | undefined>();
          return `no ${e.details.entity ?? 'row'}`;
        case 'FORBIDDEN':
          expectTypeOf(e.details.actorKind).toEqualTypeOf<'admin' | 'instructor' | 'parent' | 'student' | 'system'>();
          expectTypeOf(e.details.action).toBeString();
          // Always there: no `undefined` to rule out.
          expectTypeOf(e.details.reason).toExtend<string>();
          // @ts-expect-error -- the reasons are a closed union
          void (e.details.reason === 'no_such_reason');
          return `a ${e.details.actorKind} may not ${e.details.action}`;
        case 'ALREADY_BOOKED':
          expectTypeOf(e.details.sessionId).toBeString();
          return `already in ${e.details.sessionId}`;
        case 'STUDENT_CONFLICT':
          expectTypeOf(e.details.conflictingSessionIds).toEqualTypeOf<string[]>();
          return e.details.conflictingSessionIds.join();
        case 'WAITLIST_FULL':
          expectTypeOf(e.details.maxWaitlistSize).toBeNumber();
          return `${e.details.waiting} of ${e.details.maxWaitlistSize}`;
        case 'RETRY_EXHAUSTED':
          expectTypeOf(e.details.attempts).toBeNumber();
          return `${e.details.attempts} attempts (${e.details.sqlstate})`;
        default:
          return e.code;
      }
    };
    expect(described(missing)).toBe('no session');
    expect(described(forbidden)).toBe('a parent may not set a waitlist priority');
  });

  it('isSchedulingError(e, code) narrows to that code', () => {
    const error: unknown = missing;
    if (!isSchedulingError(error, 'NOT_FOUND')) throw new Error('expected NOT_FOUND');
    expectTypeOf(error).toEqualTypeOf<SchedulingError<'NOT_FOUND'>>();
    expectTypeOf(error.code).toEqualTypeOf<'NOT_FOUND'>();
    expectTypeOf(error.details.id).toEqualTypeOf<string | undefined>();
    // @ts-expect-error -- `capacity` belongs to CAPACITY_EXCEEDED: a NOT_FOUND has none
    const capacity: number = error.details.capacity;
    void capacity;
    expect(error.details).toEqual({ path: ['sessionId'], id: 'x', entity: 'session' });
    expect(isSchedulingError(error, 'FORBIDDEN')).toBe(false);
  });

  it('the constructor checks the details against the code', () => {
    expectTypeOf(full).toEqualTypeOf<SchedulingError<'CAPACITY_EXCEEDED'>>();
    // @ts-expect-error -- FORBIDDEN needs actorKind, action and reason
    void new SchedulingError('FORBIDDEN', 'refused', { action: 'book' });
    // @ts-expect-error -- no code has `seats`
    void new SchedulingError('CAPACITY_EXCEEDED', 'full', { seats: 5 });
    // @ts-expect-error -- capacity is a number
    void new SchedulingError('CAPACITY_EXCEEDED', 'full', { capacity: '5' });
    // @ts-expect-error -- an unknown reason
    void new SchedulingError('NOT_BOOKABLE', 'closed', { sessionId: 'x', status: 'cancelled', reason: 'closed' });
    // @ts-expect-error -- WAITLIST_FULL has required fields, so its details cannot be left out
    void new SchedulingError('WAITLIST_FULL', 'full');
    // Codes whose fields are all optional may leave details out, as before.
    expect(new SchedulingError('DATABASE_ERROR', 'lost').details).toEqual({});
    // A code known only as SchedulingErrorCode takes any record, as before details were typed.
    const code = 'INVALID_STATE' as SchedulingErrorCode;
    expect(new SchedulingError(code, 'odd', { anything: 1 }).details).toEqual({ anything: 1 });
    expect(new SchedulingError(code, 'odd').details).toEqual({});
  });

  it('code written before details were typed still compiles', () => {
    // Plain `SchedulingError` is any code: every code's fields can be read without narrowing.
    const wide: SchedulingError = full;
    expectTypeOf(wide.details.sqlstate).toEqualTypeOf<string | undefined>();
    expect(wide.details.reason).toBe('full');
    const record: Record<string, unknown> = wide.details;
    const legacy: SchedulingErrorDetails = wide.details;
    expect([record, legacy]).toEqual([wide.details, wide.details]);
    // A SchedulingError of one code is a SchedulingError; the guard without a code still reads any field.
    const narrowed: SchedulingError<'NOT_FOUND'> = missing;
    const asWide: SchedulingError = narrowed;
    const maybeCode: SchedulingErrorCode | undefined = undefined;
    expect(isSchedulingError(asWide, maybeCode) && asWide.details.path).toEqual(['sessionId']);
    if (isSchedulingError(caught)) expect(caught.details.sqlstate).toBeUndefined();
  });

  it('the errors constructed here carry their documented fields', () => {
    for (const error of [full, missing, forbidden]) expectDocumentedDetails(error);
    expect(() => expectDocumentedDetails(new SchedulingError('INVALID_STATE' as SchedulingErrorCode, 'odd', { seats: 1 }))).toThrow(/does not document/);
  });
});

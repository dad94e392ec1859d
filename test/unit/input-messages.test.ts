import { describe, expect, it } from 'vitest';
import * as classic from 'zod';
import * as z from 'zod/mini';
import french from 'zod/v4/locales/fr.js';
import { isSchedulingError, type SchedulingError } from '../../src/errors';
import { intervalSchema } from '../../src/domain/intervals';
import { parseInput, safeParseInput } from '../../src/domain/validate';
import { bookingRefInput, instantInput, moneyInput, requireTimeOrder, uuidInput } from '../../src/service/kernel/inputs';
import { sessionFields } from '../../src/service/kernel/session-fields';

const INSTANT = 'expected a Date or an ISO-8601 instant with an offset, such as 2030-01-15T15:00:00Z';
const SESSION_ID = '00000000-0000-4000-8000-000000000001';

/** A slot as `sessions.reschedule` takes it: the kernel's instants, strict keys, times in order. */
const slotSchema = z
  .strictObject({ sessionId: uuidInput, startTime: instantInput, endTime: instantInput })
  .check(z.superRefine(requireTimeOrder('startTime', 'endTime')));
const slot = { sessionId: SESSION_ID, startTime: '2030-01-15T15:00:00Z', endTime: '2030-01-15T16:00:00Z' };

function refusal(schema: z.core.$ZodType, input: unknown): SchedulingError<'INVALID_INPUT'> {
  try {
    parseInput(schema, input);
  } catch (error) {
    if (isSchedulingError(error, 'INVALID_INPUT')) return error;
    throw error;
  }
  throw new Error('the input was accepted');
}

describe('an instant that is not one says why, in the message and in details.issues', () => {
  it('an epoch number: what is expected, and that a number was given', () => {
    const error = refusal(slotSchema, { ...slot, startTime: 1736700000000 });
    expect(error.message).toBe(`Invalid input at startTime: ${INSTANT} (received a number)`);
    expect(error.details.path).toEqual(['startTime']);
    expect(error.details.issues).toEqual([{ path: ['startTime'], message: `${INSTANT} (received a number)` }]);
  });

  it('null, a boolean, an object: named by what they are', () => {
    expect(refusal(slotSchema, { ...slot, endTime: null }).message).toBe(`Invalid input at endTime: ${INSTANT} (received null)`);
    expect(refusal(slotSchema, { ...slot, endTime: true }).message).toBe(`Invalid input at endTime: ${INSTANT} (received a boolean)`);
    expect(refusal(slotSchema, { ...slot, endTime: { seconds: 1 } }).message).toBe(`Invalid input at endTime: ${INSTANT} (received an object)`);
  });

  it('an Invalid Date says it is an Invalid Date', () => {
    const error = refusal(slotSchema, { ...slot, startTime: new Date('x') });
    expect(error.message).toBe('Invalid input at startTime: expected a valid Date, not Invalid Date');
    expect(error.details.issues).toEqual([{ path: ['startTime'], message: 'expected a valid Date, not Invalid Date' }]);
  });

  it('a misspelt key: the field it left empty is required, and the unknown key is named too', () => {
    const { startTime, ...rest } = slot;
    const error = refusal(slotSchema, { ...rest, startTme: startTime });
    expect(error.message).toBe(`Invalid input at startTime: required (${INSTANT}); also: Unrecognized key: "startTme"`);
    expect(error.details.path).toEqual(['startTime']);
    expect(error.details.issues).toEqual([
      { path: ['startTime'], message: `required (${INSTANT})` },
      { path: [], message: 'Unrecognized key: "startTme"' },
    ]);
  });

  it('a string without an offset keeps its advice', () => {
    const error = refusal(slotSchema, { ...slot, startTime: '2030-01-15T16:00' });
    expect(error.message).toBe(
      'Invalid input at startTime: a time without an offset (such as an HTML datetime-local value) is not an instant: add Z or ±HH:MM, such as 2030-01-15T16:00:00+01:00 (no time zone is guessed)',
    );
  });

  it('times out of order are reported once both are instants', () => {
    const error = refusal(slotSchema, { ...slot, endTime: '2030-01-15T14:00:00Z' });
    expect(error.message).toBe('Invalid input at endTime: endTime must be after startTime');
  });
});

describe("the domain's instants (Dates only) say why too", () => {
  it('a number, a missing end and an Invalid Date', () => {
    const error = refusal(intervalSchema, { start: 1736700000000 });
    expect(error.details.issues).toEqual([
      { path: ['start'], message: 'expected a valid Date (received a number)' },
      { path: ['end'], message: 'required (expected a valid Date)' },
    ]);
    expect(refusal(intervalSchema, { start: new Date('x'), end: new Date() }).message).toBe('Invalid input at start: expected a valid Date, not Invalid Date');
  });
});

describe('zod/mini says nothing of its own: every message is English', () => {
  it('a missing field is required, with what it expects', () => {
    const error = refusal(z.strictObject({ sessionType: sessionFields.sessionType, recordingEnabled: sessionFields.recordingEnabled }), {
      sessionType: 'group',
    });
    expect(error.message).toBe('Invalid input at recordingEnabled: required (expected boolean)');
  });

  it('numbers, strings, options and urls say what is wrong, without "Invalid input" twice', () => {
    expect(refusal(z.object({ capacity: sessionFields.capacity }), { capacity: 0.5 }).message).toBe('Invalid input at capacity: expected int, received number');
    expect(refusal(z.object({ maxWaitlistSize: sessionFields.maxWaitlistSize }), { maxWaitlistSize: 1001 }).message).toBe(
      'Invalid input at maxWaitlistSize: Too big: expected number to be <=1000',
    );
    expect(refusal(z.object({ title: sessionFields.title }), { title: '   ' }).message).toBe(
      'Invalid input at title: Too small: expected string to have >=1 characters',
    );
    expect(refusal(z.object({ sessionType: sessionFields.sessionType }), { sessionType: 'solo' }).message).toBe(
      'Invalid input at sessionType: Invalid option: expected one of "group"|"private"|"school"',
    );
    expect(refusal(z.object({ virtualMeetingUrl: sessionFields.virtualMeetingUrl }), { virtualMeetingUrl: 'nowhere' }).message).toBe(
      'Invalid input at virtualMeetingUrl: Invalid URL',
    );
  });

  it('a union names what its options expected, not just "Invalid input"', () => {
    expect(refusal(bookingRefInput, 'BKG-1').message).toBe('Invalid input: expected a uuid, or expected a booking uuid or BKG-YYYY-NNNN code');
    expect(refusal(moneyInput, true).message).toBe('Invalid input: expected number or string, received boolean');
    expect(refusal(moneyInput, '12,50').message).toBe('Invalid input: expected an amount such as 12.50');
  });

  it('the messages are English whatever locale the host configured, and the configuration is left alone', () => {
    const before = { ...z.config() };
    z.config(french());
    try {
      expect(refusal(z.object({ capacity: sessionFields.capacity }), { capacity: 'x' }).message).toBe(
        'Invalid input at capacity: expected number, received string',
      );
    } finally {
      z.config({ localeError: before.localeError });
    }
    parseInput(sessionFields.capacity, 3);
    expect(z.config().localeError).toBe(before.localeError);
  });

  it('safeParseInput gives the same English messages to a parse that must not throw', () => {
    const result = safeParseInput(slotSchema, { ...slot, startTime: 1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([`${INSTANT} (received a number)`]);
  });

  it("a host's classic zod schema is parsed too, with the same error", () => {
    const host = classic.object({ seats: classic.number().int().min(1) });
    expect(parseInput(host, { seats: 2 })).toEqual({ seats: 2 });
    const error = refusal(host, { seats: 0 });
    expect({ message: error.message, path: error.details.path }).toEqual({
      message: 'Invalid input at seats: Too small: expected number to be >=1',
      path: ['seats'],
    });
  });
});

describe('each issue once', () => {
  it('an issue a refinement repeats from the schema it refines with is listed once', () => {
    const positive = z.object({ count: z.number().check(z.gte(1)) });
    // As a series pattern re-reads itself with the domain's pattern schema and passes its issues on.
    const repeating = positive.check(
      z.superRefine((value, ctx) => {
        const again = safeParseInput(positive, value);
        if (!again.success) for (const issue of again.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
      }),
    );
    const error = refusal(repeating, { count: 0 });
    expect(error.details.issues).toEqual([{ path: ['count'], message: 'Too small: expected number to be >=1' }]);
    expect(error.message).toBe('Invalid input at count: Too small: expected number to be >=1');
  });

  it('more than three issues: the first three are quoted, the rest counted', () => {
    const error = refusal(slotSchema, { sessionId: 'x', startTime: 1, endTime: 2, room: 'A' });
    expect(error.details.issues).toHaveLength(4);
    expect(error.message).toBe(
      `Invalid input at sessionId: expected a uuid; also at startTime: ${INSTANT} (received a number); also at endTime: ${INSTANT} (received a number); and 1 more issue in details.issues`,
    );
  });
});

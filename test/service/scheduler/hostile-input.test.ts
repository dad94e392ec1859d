/**
 * Every public scheduler method, called with arbitrary and boundary input (wrong
 * types, huge strings, NaN and invalid dates, zone-less and date-only instants, unknown
 * ids, SQL-looking strings, emoji, zones that do not exist, ranges of 100 years): each
 * call ends in a result or a SchedulingError with a documented code — never a raw
 * driver error, never a hang — and after each refusal the database is byte-for-byte
 * unchanged (a digest of every table). Methods are discovered from the scheduler
 * object, so new ones are covered; hostile-fields.property.test.ts aims a hostile
 * value at each field of each method.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createScheduler } from '../../../src';
import { SCHEDULING_ERROR_CODES, isSchedulingError } from '../../../src/errors';
import { useTestDatabase } from '../../support/database';
import { databaseDigest } from '../../support/digest';
import { type Academy, insertSession, seedAcademy } from '../../support/fixtures';

const database = useTestDatabase();
let academy: Academy;
let sessionId: string;

const digest = () => databaseDigest(database.db);

const UNKNOWN_UUID = '7d1f3c3e-9d5b-4a55-8f6f-0e8c1d2b3a4f';
const hostileString = fc.oneof(
  fc.constantFrom(
    "'; DROP TABLE scheduling.sessions; --",
    'Robert"); DELETE FROM users;--',
    '🏊‍♀️🎻⚽',
    '',
    ' ',
    'null',
    'Mars/Olympus_Mons',
    'not-a-uuid',
    UNKNOWN_UUID,
    '2030-02-30',
    '25:61:00',
    '2027-02-12T16:00',
    '2027-02-12',
  ),
  fc.string({ maxLength: 20 }),
  fc.constant('x'.repeat(100_000)),
);
const hostileDate = fc.oneof(
  fc.constant(new Date(Number.NaN)),
  fc.constant(new Date('1925-01-01T00:00:00Z')),
  fc.constant(new Date('2125-01-01T00:00:00Z')),
  fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: false }),
);
const hostileNumber = fc.oneof(fc.constantFrom(Number.NaN, -1, 0, 1e308, Infinity, 2 ** 53, 0.5), fc.integer());
const hostileValue = fc.oneof(
  hostileString,
  hostileDate,
  hostileNumber,
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(hostileString, { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);

/** Field names the scheduler's inputs use; a random subset gets hostile values. */
const FIELDS = [
  'sessionId',
  'bookingId',
  'waitlistId',
  'conflictId',
  'availabilityId',
  'studentId',
  'parentId',
  'instructorId',
  'facilityId',
  'locationId',
  'courseId',
  'programId',
  'sessionType',
  'title',
  'startTime',
  'endTime',
  'from',
  'until',
  'start',
  'end',
  'capacity',
  'status',
  'reason',
  'method',
  'timeZone',
  'durationMinutes',
  'dayOfWeek',
  'specificDate',
  'effectiveFrom',
  'availabilityType',
  'limit',
  'offset',
  'override',
  'pattern',
  'template',
  'mode',
  'students',
  'type',
];
const hostileInput = fc.oneof(fc.anything({ maxDepth: 2 }), fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 8 }));

beforeAll(async () => {
  academy = await seedAcademy(database.db);
  sessionId = (await insertSession(database.db, academy)).id;
});

function methodsOf(scheduler: Record<string, unknown>): Array<[string, (...args: unknown[]) => Promise<unknown>]> {
  const found: Array<[string, (...args: unknown[]) => Promise<unknown>]> = [];
  for (const [group, value] of Object.entries(scheduler)) {
    if (!value || typeof value !== 'object') continue;
    for (const [name, fn] of Object.entries(value)) {
      if (typeof fn === 'function') found.push([`${group}.${name}`, fn as (...args: unknown[]) => Promise<unknown>]);
    }
  }
  return found;
}

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`hung for ${ms} ms`)), ms))]);

describe('hostile input to every scheduler method', () => {
  it('the digest sees a one-row change (guards the guard)', async () => {
    const before = await digest();
    await database.query(`UPDATE scheduling.sessions SET title = 'changed' WHERE id = '${sessionId}'`);
    const after = await digest();
    await database.query(`UPDATE scheduling.sessions SET title = 'Swim club' WHERE id = '${sessionId}'`);
    expect(after).not.toBe(before);
    // Both changes are in the change events (append-only); every other table is as it was.
    const withoutEvents = (text: string) => text.replace(/change_events:[0-9a-f]*,/, '');
    expect(withoutEvents(await digest())).toBe(withoutEvents(before));
    expect(await digest()).not.toBe(after);
  });

  it('ends in a result or a documented SchedulingError, and a refusal changes nothing', async () => {
    const scheduler = createScheduler({ db: database.db, now: () => new Date('2029-06-01T00:00:00Z') });
    const methods = methodsOf(scheduler as unknown as Record<string, unknown>);
    expect(methods.length).toBeGreaterThan(15);
    const admin = { kind: 'admin' as const, userId: academy.adminId };
    // Warm up so the one-time capacity-policy sync is not mistaken for a change.
    await scheduler.sessions.list(admin, {});
    const seen = new Map<string, number>();
    for (const [name, method] of methods) {
      await fc.assert(
        fc.asyncProperty(
          hostileInput,
          fc.oneof(fc.constant(admin), fc.constant({ kind: 'parent' as const, parentId: academy.parentId }), fc.anything({ maxDepth: 1 })),
          fc.constantFrom(undefined, 'known-session'),
          async (input, actor, pin) => {
            const arg = pin && input && typeof input === 'object' && !Array.isArray(input) ? { ...input, sessionId } : input;
            const before = await digest();
            try {
              await withTimeout(method(actor, arg), 15_000);
            } catch (error) {
              if (!isSchedulingError(error)) throw new Error(`${name} threw a raw ${String(error)}`);
              expect(SCHEDULING_ERROR_CODES).toContain(error.code);
              if (error.code === 'DATABASE_ERROR') throw new Error(`${name} leaked a database error: ${error.message}`);
              seen.set(error.code, (seen.get(error.code) ?? 0) + 1);
              expect(await digest()).toBe(before);
            }
          },
        ),
        { numRuns: 12, seed: 424242 },
      );
    }
    expect(seen.get('INVALID_INPUT')).toBeGreaterThan(0);
  }, 600_000);
});

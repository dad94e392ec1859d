import { describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import * as domain from '../../src/domain';
import { copyOwnProperties, copyPlainData } from '../../src/domain/validate';
import { sampleWeeklyPattern } from './fixtures';

const good = new Date('2025-01-15T10:00:00Z');
const later = new Date('2025-01-15T11:00:00Z');

/** Each public function with hostile arguments, and the path its error must name. */
const cases: Array<[string, () => unknown, ReadonlyArray<string | number>]> = [
  ['checkCapacity(null)', () => domain.checkCapacity(null as never), []],
  ['checkCapacity capacity Infinity', () => domain.checkCapacity({ sessionType: 'group', capacity: Infinity }), ['capacity']],
  ['checkCapacity policy string', () => domain.checkCapacity({ sessionType: 'group', capacity: 2 }, 'strict' as never), ['policy']],
  ['resolveCapacityPolicy number', () => domain.resolveCapacityPolicy(5 as never), []],
  ['defaultCapacity policy missing type', () => domain.defaultCapacity('group', { group: { min: 1, max: 5 } } as never), ['policy', 'private']],
  ['overlaps strings', () => domain.overlaps({ start: '2025' as never, end: later }, { start: good, end: later }), ['a', 'start']],
  ['findOverlappingPairs null item', () => domain.findOverlappingPairs([null as never]), [0]],
  ['findOverlappingPairs undefined', () => domain.findOverlappingPairs(undefined as never), []],
  ['detectConflicts sessions not array', () => domain.detectConflicts({ sessions: 'x' as never }), ['sessions']],
  [
    'detectConflicts capacity NaN',
    () => domain.detectConflicts({ sessions: [{ id: 's', start: good, end: later, capacity: NaN, status: 'scheduled' }] }),
    ['sessions', 0, 'capacity'],
  ],
  [
    'detectConflicts booking status',
    () => domain.detectConflicts({ sessions: [], bookings: [{ bookingId: 'b', sessionId: 's', studentId: 'k', status: 'maybe' as never }] }),
    ['bookings', 0, 'status'],
  ],
  ['expandRecurrence null pattern', () => domain.expandRecurrence(null as never, { timeZone: 'UTC' }), []],
  ['expandRecurrence no options', () => domain.expandRecurrence(sampleWeeklyPattern, undefined as never), []],
  ['expandRecurrence time zone number', () => domain.expandRecurrence(sampleWeeklyPattern, { timeZone: 5 as never }), ['timeZone']],
  ['expandRecurrence unknown zone', () => domain.expandRecurrence(sampleWeeklyPattern, { timeZone: 'Europe/Atlantis' }), ['timeZone']],
  ['expandRecurrence invalid from', () => domain.expandRecurrence(sampleWeeklyPattern, { timeZone: 'UTC', from: new Date(NaN) }), ['from']],
  ['expandRecurrence startTime 25:00', () => domain.expandRecurrence({ ...sampleWeeklyPattern, startTime: '25:00' }, { timeZone: 'UTC' }), ['startTime']],
  [
    'expandRecurrence Date startDate',
    () => domain.expandRecurrence({ ...sampleWeeklyPattern, startDate: new Date() as never }, { timeZone: 'UTC' }),
    ['startDate'],
  ],
  ['expandRecurrence interval 0', () => domain.expandRecurrence({ ...sampleWeeklyPattern, intervalValue: 0 }, { timeZone: 'UTC' }), ['intervalValue']],
  ['expandRecurrence interval 1.5', () => domain.expandRecurrence({ ...sampleWeeklyPattern, intervalValue: 1.5 }, { timeZone: 'UTC' }), ['intervalValue']],
  [
    'expandRecurrence maxOccurrences -1',
    () => domain.expandRecurrence({ ...sampleWeeklyPattern, maxOccurrences: -1 }, { timeZone: 'UTC' }),
    ['maxOccurrences'],
  ],
  [
    'expandRecurrence patternType',
    () => domain.expandRecurrence({ ...sampleWeeklyPattern, patternType: 'yearly' as never }, { timeZone: 'UTC' }),
    ['patternType'],
  ],
  [
    'expandRecurrence exceptionDates string',
    () => domain.expandRecurrence({ ...sampleWeeklyPattern, exceptionDates: '2025-01-01' as never }, { timeZone: 'UTC' }),
    ['exceptionDates'],
  ],
  [
    'expandRecurrence rrule number',
    () => domain.expandRecurrence({ ...sampleWeeklyPattern, patternType: 'custom', customPattern: { rrule: 42 } }, { timeZone: 'UTC' }),
    ['customPattern', 'rrule'],
  ],
  [
    'computeAvailabilityWindows rows null',
    () => domain.computeAvailabilityWindows({ rows: null as never, fromDate: '2025-01-01', toDate: '2025-01-02', timeZone: 'UTC' }),
    ['rows'],
  ],
  [
    'computeAvailabilityWindows huge range',
    () => domain.computeAvailabilityWindows({ rows: [], fromDate: '2000-01-01', toDate: '2099-01-01', timeZone: 'UTC' }),
    ['toDate'],
  ],
  ['sessionFitsAvailability windows not array', () => domain.sessionFitsAvailability({ instructorId: 'i', start: good, end: later }, {} as never), ['windows']],
  [
    'findFreeSlots step 0',
    () => domain.findFreeSlots({ windows: [], busy: [], durationMinutes: 30, stepMinutes: 0, from: good, until: later }),
    ['stepMinutes'],
  ],
  ['rankWaitlist not array', () => domain.rankWaitlist('x' as never), ['entries']],
  ['planPromotions mode', () => domain.planPromotions({ entries: [], freeSpots: 1, now: good, mode: 'lottery' as never }), ['mode']],
  ['planPromotions freeSpots 1.5', () => domain.planPromotions({ entries: [], freeSpots: 1.5, now: good, mode: 'auto' }), ['freeSpots']],
];

describe('hostile input', () => {
  it.each(cases)('%s → SchedulingError INVALID_INPUT with a path', (_name, call, path) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(domain.isSchedulingError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as domain.SchedulingError).details.path).toEqual(path);
    expect((error as Error).message).toMatch(/\S/);
  });
});

const throwingGetter = {
  enumerable: true,
  get: () => {
    throw new TypeError('hostile getter');
  },
};
const throwingProxy = new Proxy(
  {},
  {
    getPrototypeOf: () => {
      throw new TypeError('trap');
    },
  },
);

/** The INVALID_INPUT error `call` throws (and fails the test when it throws anything else). */
function invalidInputOf(call: () => unknown): domain.SchedulingError {
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  if (!domain.isSchedulingError(error, 'INVALID_INPUT')) throw new Error(`expected INVALID_INPUT, got ${String(error)}`);
  return error;
}

describe('exceptions while parsing are INVALID_INPUT, never a raw error', () => {
  it('a getter that throws inside a domain input', () => {
    const input = Object.defineProperty({ sessionType: 'group' }, 'capacity', throwingGetter);
    const error = invalidInputOf(() => domain.checkCapacity(input as never));
    expect(error.details.path).toEqual([]);
    expect((error as Error & { cause?: unknown }).cause).toBeInstanceOf(TypeError);
  });

  it('a Proxy whose traps throw while zod words its message', () => {
    expect(invalidInputOf(() => domain.checkCapacity({ sessionType: 'group', capacity: throwingProxy } as never)).details.path).toEqual([]);
    expect(invalidInputOf(() => domain.expandRecurrence(sampleWeeklyPattern, { timeZone: throwingProxy } as never)).details.path).toEqual([]);
  });
});

describe('a malformed date or time ends its own validation: refinements never see it', () => {
  const row = { id: 'a1', instructorId: 'i', availabilityType: 'regular', dayOfWeek: 1, startTime: '09:00', endTime: '10:00', effectiveFrom: '2025-01-01' };
  it.each([
    ['startTime', { startTime: '25:00' }],
    ['endTime', { endTime: 9 }],
    ['effectiveFrom', { effectiveFrom: '2025-02-30' }],
    ['effectiveFrom', { effectiveFrom: '0999-01-01' }],
  ])('%s', (field, change) => {
    const error = invalidInputOf(() =>
      domain.computeAvailabilityWindows({ rows: [{ ...row, ...change } as never], fromDate: '2025-01-06', toDate: '2025-01-07', timeZone: 'UTC' }),
    );
    expect(error.details.path).toEqual(['rows', 0, field]);
    expect(error.details.issues).toHaveLength(1);
  });

  it('a range whose start is not a date reports only the start', () => {
    const error = invalidInputOf(() => domain.computeAvailabilityWindows({ rows: [], fromDate: '2025-1-6', toDate: '2025-01-07', timeZone: 'UTC' }));
    expect(error.details.issues).toEqual([{ path: ['fromDate'], message: 'expected a date as YYYY-MM-DD' }]);
  });
});

describe('copyPlainData: the input as plain data, read once', () => {
  it('copies primitives, arrays, plain and null-prototype objects, and Dates as new Dates', () => {
    const when = new Date('2030-01-15T15:00:00Z');
    const nullProto = Object.assign(Object.create(null), { a: 1 });
    const copy = copyPlainData({ s: 'x', n: 1, b: true, nil: null, list: [1, [2]], when, nullProto, sparse: [, 1] }) as Record<string, unknown>;
    expect(copy).toEqual({ s: 'x', n: 1, b: true, nil: null, list: [1, [2]], when, nullProto: { a: 1 }, sparse: [undefined, 1] });
    expect(copy.when).not.toBe(when);
    expect(Object.getPrototypeOf(copy)).toBe(null);
  });

  it('takes an object from another realm as plain', () => {
    expect(copyPlainData(runInNewContext('({ kind: "admin", at: [1] })'))).toEqual({ kind: 'admin', at: [1] });
  });

  it('reads a Date by its internal time, not by its methods', () => {
    class LyingDate extends Date {
      override getTime() {
        return 0;
      }
    }
    expect(Number.isNaN((copyPlainData(new LyingDate(Number.NaN)) as Date).getTime())).toBe(true);
    expect(invalidInputOf(() => copyPlainData({ at: new Proxy(new Date(), {}) })).details.path).toEqual(['at']);
    expect(invalidInputOf(() => copyPlainData({ at: Object.create(Date.prototype) })).details.path).toEqual(['at']);
  });

  it.each([
    ['a getter that throws', () => ({ a: Object.defineProperty({}, 'b', throwingGetter) }), ['a', 'b']],
    ['a getter that does not', () => ({ a: Object.defineProperty({}, 'b', { enumerable: true, get: () => 1 }) }), ['a', 'b']],
    ['a getter on an array item', () => ({ a: Object.defineProperty([0, 1], 1, { enumerable: true, get: () => 1 }) }), ['a', 1]],
    ['an inherited key', () => ({ a: Object.create({ kind: 'admin' }) }), ['a']],
    [
      'a class instance',
      () => ({
        a: new (class Admin {
          kind = 'admin';
        })(),
      }),
      ['a'],
    ],
    ['a Map', () => ({ a: new Map() }), ['a']],
    ['a function holding data', () => [Object.assign(() => 1, { kind: 'admin' })], [0]],
    ['a boxed string', () => ({ a: new String('admin') }), ['a']],
    ['an own __proto__ key', () => JSON.parse('{"a":{"__proto__":{"kind":"admin"}}}'), ['a', '__proto__']],
    ['a constructor key', () => ({ constructor: { prototype: {} } }), ['constructor']],
    ['a prototype key', () => ({ a: [{ prototype: 1 }] }), ['a', 0, 'prototype']],
    [
      'a Proxy whose ownKeys throws',
      () => ({
        a: new Proxy(
          {},
          {
            ownKeys: () => {
              throw new TypeError('trap');
            },
          },
        ),
      }),
      ['a'],
    ],
    [
      'a Proxy of an array whose ownKeys throws',
      () => ({
        a: new Proxy([1], {
          ownKeys: () => {
            throw new TypeError('trap');
          },
        }),
      }),
      ['a'],
    ],
    ['a Proxy whose getPrototypeOf throws', () => ({ a: throwingProxy }), ['a']],
    ['a string over the limit', () => ({ a: 'x'.repeat(100_001) }), ['a']],
    ['an array over the limit', () => ({ a: new Array(10_001).fill(0) }), ['a']],
    ['a huge sparse array', () => ({ a: new Array(2 ** 32 - 1) }), ['a']],
    ['more keys than the limit', () => ({ a: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])) }), ['a']],
    [
      'nesting past the limit',
      () => {
        let deep: unknown = 1;
        for (let i = 0; i < 20; i++) deep = { d: deep };
        return deep;
      },
      ['d', 'd', 'd', 'd', 'd', 'd', 'd', 'd', 'd', 'd', 'd', 'd', 'd', 'd', 'd', 'd'],
    ],
    [
      'a cycle',
      () => {
        const cycle: Record<string, unknown> = {};
        cycle.self = cycle;
        return { a: cycle };
      },
      ['a', ...Array.from({ length: 15 }, () => 'self')],
    ],
  ])('refuses %s at its path', (_name, make, path) => {
    expect(invalidInputOf(() => copyPlainData(make())).details.path).toEqual(path);
  });

  it('refuses more values than the limit in total, without a hang', () => {
    const wide = Array.from({ length: 20 }, () => Array.from({ length: 10_000 }, () => 0));
    // The root and each array count too: value 100,001 is item 9,989 of the tenth array.
    expect(invalidInputOf(() => copyPlainData(wide)).details.path).toEqual([9, 9989]);
  });

  it('copyOwnProperties keeps the values as they are, and refuses what copyPlainData refuses on the object itself', () => {
    const tx = new (class Transaction {})();
    expect(copyOwnProperties({ tx }).tx).toBe(tx);
    expect(invalidInputOf(() => copyOwnProperties(Object.create({ tx }), ['options'])).details.path).toEqual(['options']);
    expect(invalidInputOf(() => copyOwnProperties(null, ['options'])).details.path).toEqual(['options']);
  });
});

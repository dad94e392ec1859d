import { describe, expect, it } from 'vitest';
import { computeAvailabilityWindows, findFreeSlots, sessionFitsAvailability, type AvailabilityRow } from '../../src/domain';
import { invalidPath } from './fixtures';
import { iso } from '../support/time';

const row = (overrides: Partial<AvailabilityRow> & Pick<AvailabilityRow, 'id'>): AvailabilityRow => ({
  instructorId: 'i1',
  availabilityType: 'regular',
  dayOfWeek: null,
  startTime: '09:00:00',
  endTime: '17:00:00',
  locationId: null,
  facilityId: null,
  effectiveFrom: '2025-01-01',
  effectiveUntil: null,
  specificDate: null,
  breakDurationMinutes: 0,
  breakStartTime: null,
  maxConcurrentSessions: 1,
  isActive: true,
  ...overrides,
});

const rows: AvailabilityRow[] = [
  row({ id: 'r1', dayOfWeek: 1, breakStartTime: '12:00:00', breakDurationMinutes: 60, maxConcurrentSessions: 2 }),
  row({ id: 'r2', dayOfWeek: 3, endTime: '12:00:00' }),
  row({ id: 'r3', dayOfWeek: 0, startTime: '01:00:00', endTime: '04:00:00' }),
  row({ id: 'r4', dayOfWeek: 2, isActive: false }),
  row({ id: 'e1', availabilityType: 'exception', specificDate: '2025-03-05', effectiveFrom: '2025-03-05', startTime: '14:00', endTime: '16:00' }),
  ...[1, 2, 3, 4, 5].map((d) => row({ id: `i2-${d}`, instructorId: 'i2', dayOfWeek: d, startTime: '10:00', endTime: '11:00' })),
  row({
    id: 't1',
    instructorId: 'i2',
    availabilityType: 'temporary',
    dayOfWeek: 4,
    startTime: '08:00',
    endTime: '09:00',
    effectiveFrom: '2025-03-06',
    effectiveUntil: '2025-03-07',
  }),
  row({ id: 'off', instructorId: 'i2', availabilityType: 'exception', specificDate: '2025-03-03', effectiveFrom: '2025-03-03', maxConcurrentSessions: 0 }),
];

describe('computeAvailabilityWindows', () => {
  const windows = computeAvailabilityWindows({ rows, fromDate: '2025-03-03', toDate: '2025-03-09', timeZone: 'America/New_York' });
  const summary = windows.map((w) => [w.instructorId, w.sourceId, w.localDate, iso(w.start), iso(w.end), w.maxConcurrentSessions]);

  it('expands regular, temporary and exception rows, breaks and days off into instants', () => {
    expect(summary).toEqual([
      ['i1', 'r1', '2025-03-03', '2025-03-03T14:00:00.000Z', '2025-03-03T17:00:00.000Z', 2],
      ['i1', 'r1', '2025-03-03', '2025-03-03T18:00:00.000Z', '2025-03-03T22:00:00.000Z', 2],
      ['i2', 'i2-2', '2025-03-04', '2025-03-04T15:00:00.000Z', '2025-03-04T16:00:00.000Z', 1],
      ['i2', 'i2-3', '2025-03-05', '2025-03-05T15:00:00.000Z', '2025-03-05T16:00:00.000Z', 1],
      ['i1', 'e1', '2025-03-05', '2025-03-05T19:00:00.000Z', '2025-03-05T21:00:00.000Z', 1],
      ['i2', 't1', '2025-03-06', '2025-03-06T13:00:00.000Z', '2025-03-06T14:00:00.000Z', 1],
      // 01:00 EST to 04:00 EDT on the spring-forward night: two real hours.
      ['i1', 'r3', '2025-03-09', '2025-03-09T06:00:00.000Z', '2025-03-09T08:00:00.000Z', 1],
    ]);
  });

  it('an exception row with maxConcurrentSessions 0 is a day off', () => {
    expect(windows.some((w) => w.instructorId === 'i2' && w.localDate === '2025-03-03')).toBe(false);
  });

  it('a temporary row overrides every regular row in its date range, even on days it does not cover', () => {
    expect(windows.some((w) => w.instructorId === 'i2' && w.localDate === '2025-03-07')).toBe(false);
    expect(windows.filter((w) => w.localDate === '2025-03-06').map((w) => w.sourceId)).toEqual(['t1']);
  });

  it('ignores rows outside their effective range', () => {
    const later = computeAvailabilityWindows({
      rows: [row({ id: 'x', dayOfWeek: 1, effectiveFrom: '2025-03-04', effectiveUntil: '2025-03-10' })],
      fromDate: '2025-03-03',
      toDate: '2025-03-17',
      timeZone: 'UTC',
    });
    expect(later.map((w) => w.localDate)).toEqual(['2025-03-10']);
  });

  it('rejects bad rows and ranges with a path', () => {
    expect(
      invalidPath(() =>
        computeAvailabilityWindows({
          rows: [row({ id: 'x', dayOfWeek: 1, specificDate: '2025-03-03' })],
          fromDate: '2025-03-03',
          toDate: '2025-03-03',
          timeZone: 'UTC',
        }),
      ),
    ).toEqual(['rows', 0, 'dayOfWeek']);
    expect(
      invalidPath(() =>
        computeAvailabilityWindows({ rows: [row({ id: 'x', dayOfWeek: 1, endTime: '08:00' })], fromDate: '2025-03-03', toDate: '2025-03-03', timeZone: 'UTC' }),
      ),
    ).toEqual(['rows', 0, 'endTime']);
    expect(invalidPath(() => computeAvailabilityWindows({ rows: [], fromDate: '2025-03-03', toDate: '2025-03-02', timeZone: 'UTC' }))).toEqual(['toDate']);
    expect(invalidPath(() => computeAvailabilityWindows({ rows: [], fromDate: '2025-03-03', toDate: '2025-03-03', timeZone: 'Nowhere/City' }))).toEqual([
      'timeZone',
    ]);
    expect(
      invalidPath(() => computeAvailabilityWindows({ rows: [row({ id: 'x', dayOfWeek: 9 })], fromDate: '2025-03-03', toDate: '2025-03-03', timeZone: 'UTC' })),
    ).toEqual(['rows', 0, 'dayOfWeek']);
  });

  it('sessionFitsAvailability: inside one window of the instructor only', () => {
    const at = (h: number, m = 0) => new Date(Date.UTC(2025, 2, 3, h, m));
    expect(sessionFitsAvailability({ instructorId: 'i1', start: at(15), end: at(16) }, windows)).toBe(true);
    expect(sessionFitsAvailability({ instructorId: 'i1', start: at(14), end: at(17) }, windows)).toBe(true);
    expect(sessionFitsAvailability({ instructorId: 'i1', start: at(16, 30), end: at(17, 30) }, windows)).toBe(false);
    expect(sessionFitsAvailability({ instructorId: 'i2', start: at(15), end: at(16) }, windows)).toBe(false);
    expect(invalidPath(() => sessionFitsAvailability({ instructorId: 'i1', start: at(16), end: at(15) }, windows))).toEqual(['session', 'end']);
  });
});

describe('findFreeSlots', () => {
  const at = (h: number, m = 0) => new Date(Date.UTC(2025, 2, 3, h, m));
  const windows = [
    { instructorId: 'i1', start: at(14), end: at(17), maxConcurrentSessions: 2, sourceId: 'r1' },
    { instructorId: 'i1', start: at(18), end: at(22), maxConcurrentSessions: 2, sourceId: 'r1' },
  ];
  const busy = [
    { instructorId: 'i1', start: at(14), end: at(15) },
    { instructorId: 'i1', start: at(14), end: at(15) },
    { instructorId: 'i1', start: at(15), end: at(16) },
    { instructorId: 'other', start: at(16), end: at(17) },
  ];

  it('respects maxConcurrentSessions, half-open busy periods, step and range', () => {
    const slots = findFreeSlots({ windows, busy, durationMinutes: 60, stepMinutes: 30, from: at(14), until: at(17) });
    expect(slots.map((s) => [iso(s.start), iso(s.end), s.sourceId])).toEqual([
      ['2025-03-03T15:00:00.000Z', '2025-03-03T16:00:00.000Z', 'r1'],
      ['2025-03-03T15:30:00.000Z', '2025-03-03T16:30:00.000Z', 'r1'],
      ['2025-03-03T16:00:00.000Z', '2025-03-03T17:00:00.000Z', 'r1'],
    ]);
    const single = windows.map((w) => ({ ...w, maxConcurrentSessions: 1 }));
    expect(findFreeSlots({ windows: single, busy, durationMinutes: 60, stepMinutes: 30, from: at(14), until: at(17) }).map((s) => iso(s.start))).toEqual([
      '2025-03-03T16:00:00.000Z',
    ]);
  });

  it('aligns slots to the step from the window start (default 15 minutes)', () => {
    const slots = findFreeSlots({
      windows: [{ instructorId: 'i1', start: at(9, 5), end: at(10, 5) }],
      busy: [],
      durationMinutes: 30,
      from: at(9, 10),
      until: at(12),
    });
    expect(slots.map((s) => iso(s.start))).toEqual(['2025-03-03T09:20:00.000Z', '2025-03-03T09:35:00.000Z']);
  });

  it('rejects bad input with a path', () => {
    expect(invalidPath(() => findFreeSlots({ windows, busy, durationMinutes: 0, from: at(14), until: at(17) }))).toEqual(['durationMinutes']);
    expect(invalidPath(() => findFreeSlots({ windows, busy, durationMinutes: 30, from: at(17), until: at(14) }))).toEqual(['until']);
    expect(
      invalidPath(() =>
        findFreeSlots({ windows, busy: [{ instructorId: 'i1', start: at(15), end: new Date('x') }], durationMinutes: 30, from: at(14), until: at(17) }),
      ),
    ).toEqual(['busy', 0, 'end']);
  });
});

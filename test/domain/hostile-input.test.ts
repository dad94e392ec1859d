import { describe, expect, it } from 'vitest';
import * as domain from '../../src/domain';
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
  ['detectConflicts capacity NaN', () => domain.detectConflicts({ sessions: [{ id: 's', start: good, end: later, capacity: NaN, status: 'scheduled' }] }), ['sessions', 0, 'capacity']],
  ['detectConflicts booking status', () => domain.detectConflicts({ sessions: [], bookings: [{ bookingId: 'b', sessionId: 's', studentId: 'k', status: 'maybe' as never }] }), ['bookings', 0, 'status']],
  ['expandRecurrence null pattern', () => domain.expandRecurrence(null as never, { timeZone: 'UTC' }), []],
  ['expandRecurrence no options', () => domain.expandRecurrence(sampleWeeklyPattern, undefined as never), []],
  ['expandRecurrence time zone number', () => domain.expandRecurrence(sampleWeeklyPattern, { timeZone: 5 as never }), ['timeZone']],
  ['expandRecurrence unknown zone', () => domain.expandRecurrence(sampleWeeklyPattern, { timeZone: 'Europe/Atlantis' }), ['timeZone']],
  ['expandRecurrence invalid from', () => domain.expandRecurrence(sampleWeeklyPattern, { timeZone: 'UTC', from: new Date(NaN) }), ['from']],
  ['expandRecurrence startTime 25:00', () => domain.expandRecurrence({ ...sampleWeeklyPattern, startTime: '25:00' }, { timeZone: 'UTC' }), ['startTime']],
  ['expandRecurrence Date startDate', () => domain.expandRecurrence({ ...sampleWeeklyPattern, startDate: new Date() as never }, { timeZone: 'UTC' }), ['startDate']],
  ['expandRecurrence interval 0', () => domain.expandRecurrence({ ...sampleWeeklyPattern, intervalValue: 0 }, { timeZone: 'UTC' }), ['intervalValue']],
  ['expandRecurrence interval 1.5', () => domain.expandRecurrence({ ...sampleWeeklyPattern, intervalValue: 1.5 }, { timeZone: 'UTC' }), ['intervalValue']],
  ['expandRecurrence maxOccurrences -1', () => domain.expandRecurrence({ ...sampleWeeklyPattern, maxOccurrences: -1 }, { timeZone: 'UTC' }), ['maxOccurrences']],
  ['expandRecurrence patternType', () => domain.expandRecurrence({ ...sampleWeeklyPattern, patternType: 'yearly' as never }, { timeZone: 'UTC' }), ['patternType']],
  ['expandRecurrence exceptionDates string', () => domain.expandRecurrence({ ...sampleWeeklyPattern, exceptionDates: '2025-01-01' as never }, { timeZone: 'UTC' }), ['exceptionDates']],
  ['expandRecurrence rrule number', () => domain.expandRecurrence({ ...sampleWeeklyPattern, patternType: 'custom', customPattern: { rrule: 42 } }, { timeZone: 'UTC' }), ['customPattern', 'rrule']],
  ['computeAvailabilityWindows rows null', () => domain.computeAvailabilityWindows({ rows: null as never, fromDate: '2025-01-01', toDate: '2025-01-02', timeZone: 'UTC' }), ['rows']],
  ['computeAvailabilityWindows huge range', () => domain.computeAvailabilityWindows({ rows: [], fromDate: '2000-01-01', toDate: '2099-01-01', timeZone: 'UTC' }), ['toDate']],
  ['sessionFitsAvailability windows not array', () => domain.sessionFitsAvailability({ instructorId: 'i', start: good, end: later }, {} as never), ['windows']],
  ['findFreeSlots step 0', () => domain.findFreeSlots({ windows: [], busy: [], durationMinutes: 30, stepMinutes: 0, from: good, until: later }), ['stepMinutes']],
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

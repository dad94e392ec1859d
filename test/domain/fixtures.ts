import { isSchedulingError } from '../../src/errors';
import type { RecurringPatternInput } from '../../src/domain';

/** The reference schema's sample pattern: Mon/Wed/Fri 10:00–11:00, 2025-01-15 to 2025-12-31. */
export const sampleWeeklyPattern = {
  id: '7d0c5a4e-0000-4000-8000-000000000001',
  name: 'Weekly Swimming Club',
  description: 'Weekly recurring swimming sessions',
  patternType: 'weekly',
  intervalValue: 1,
  daysOfWeek: [1, 3, 5],
  startDate: '2025-01-15',
  endDate: '2025-12-31',
  maxOccurrences: null,
  startTime: '10:00:00',
  endTime: '11:00:00',
  skipHolidays: true,
  exceptionDates: null,
  customPattern: null,
  isActive: true,
} satisfies RecurringPatternInput & Record<string, unknown>;

/** A pattern with everything optional left empty. */
export function pattern(overrides: Partial<RecurringPatternInput>): RecurringPatternInput {
  return { ...sampleWeeklyPattern, ...overrides } as RecurringPatternInput;
}

/** Runs `fn` and returns the INVALID_INPUT error's path, failing if it is anything else. */
export function invalidPath(fn: () => unknown): ReadonlyArray<string | number> {
  try {
    fn();
  } catch (error) {
    if (isSchedulingError(error, 'INVALID_INPUT')) return error.details.path ?? ['<no path>'];
    throw new Error(`expected SchedulingError INVALID_INPUT, got ${String(error)}`);
  }
  throw new Error('expected SchedulingError INVALID_INPUT, got a result');
}

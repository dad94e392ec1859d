import { CONFLICT_SEVERITIES, CONFLICT_STATUSES, CONFLICT_TYPES, RESOLUTION_METHODS } from '../../schema';
import { instantInput, pagingInput, uuidInput, textInput } from '../kernel/inputs';
import { z } from 'zod';

/** Longest range one scan covers: keeps the detection set and the availability expansion bounded. */
export const SCAN_MAX_DAYS = 366;

/**
 * Input of `conflicts.scan`: the sessions overlapping `[from, until)` are examined.
 *
 * @internal
 */
export const scanConflictsSchema = z
  .strictObject({ from: instantInput, until: instantInput })
  .refine((v) => v.until.getTime() > v.from.getTime(), { message: 'until must be after from', path: ['until'] })
  .refine((v) => v.until.getTime() - v.from.getTime() <= SCAN_MAX_DAYS * 86_400_000, { message: `at most ${SCAN_MAX_DAYS} days per scan`, path: ['until'] });

/**
 * Input of `conflicts.list`; `from`/`until` bound `conflict_time_start` half-open.
 *
 * @internal
 */
export const listConflictsSchema = z
  .strictObject({
    status: z.enum(CONFLICT_STATUSES).optional(),
    type: z.enum(CONFLICT_TYPES).optional(),
    severity: z.enum(CONFLICT_SEVERITIES).optional(),
    sessionId: uuidInput.optional(),
    instructorId: uuidInput.optional(),
    from: instantInput.optional(),
    until: instantInput.optional(),
    ...pagingInput,
  })
  .refine((v) => !v.from || !v.until || v.until.getTime() > v.from.getTime(), { message: 'until must be after from', path: ['until'] });

export const conflictRef = z.strictObject({ conflictId: uuidInput, notes: textInput.optional() });

export const resolveSchema = z.strictObject({ conflictId: uuidInput, method: z.enum(RESOLUTION_METHODS), notes: textInput.optional() });

import { CONFLICT_SEVERITIES, CONFLICT_STATUSES, CONFLICT_TYPES } from '../../schema';
import { instantInput, pagingInput, uuidInput } from '../kernel/inputs';
import { SCAN_MAX_DAYS } from './scan';
import { z } from 'zod';
import { RESOLUTION_METHODS } from '../../schema';
import { textInput } from '../kernel/inputs';

/**
 * Input of `conflicts.scan`: the sessions overlapping `[from, until)` are examined.
 *
 * @example
 * ```ts
 * scanConflictsSchema.parse({ from: new Date('2030-01-01Z'), until: new Date('2030-02-01Z') });
 * ```
 */
export const scanConflictsSchema = z
  .strictObject({ from: instantInput, until: instantInput })
  .refine((v) => v.until.getTime() > v.from.getTime(), { message: 'until must be after from', path: ['until'] })
  .refine((v) => v.until.getTime() - v.from.getTime() <= SCAN_MAX_DAYS * 86_400_000, { message: `at most ${SCAN_MAX_DAYS} days per scan`, path: ['until'] });

/**
 * Input of `conflicts.list`; `from`/`until` bound `conflict_time_start` half-open.
 *
 * @example
 * ```ts
 * listConflictsSchema.parse({ status: 'detected', severity: 'high', instructorId });
 * ```
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

import { CONFLICT_SEVERITIES, CONFLICT_STATUSES, CONFLICT_TYPES, RESOLUTION_METHODS } from '../../schema/unqualified';
import { instantInput, pagingInput, uuidInput, textInput } from '../kernel/inputs';
import * as z from 'zod/mini';

// Each schema is built on its first parse (`z.lazy`), not when the package is imported: a call needs one or two.

/** Longest range one scan covers: keeps the detection set and the availability expansion bounded. */
export const SCAN_MAX_DAYS = 366;

/**
 * Input of `conflicts.scan`: the sessions overlapping `[from, until)` are examined.
 *
 * @internal
 */
export const scanConflictsSchema = z.lazy(() =>
  z.strictObject({ from: instantInput, until: instantInput }).check(
    z.refine((v) => v.until.getTime() > v.from.getTime(), { message: 'until must be after from', path: ['until'] }),
    z.refine((v) => v.until.getTime() - v.from.getTime() <= SCAN_MAX_DAYS * 86_400_000, { message: `at most ${SCAN_MAX_DAYS} days per scan`, path: ['until'] }),
  ),
);

/**
 * Input of `conflicts.list`; `from`/`until` bound `conflict_time_start` half-open.
 *
 * @internal
 */
export const listConflictsSchema = z.lazy(() =>
  z
    .strictObject({
      status: z.optional(z.enum(CONFLICT_STATUSES)),
      type: z.optional(z.enum(CONFLICT_TYPES)),
      severity: z.optional(z.enum(CONFLICT_SEVERITIES)),
      sessionId: z.optional(uuidInput),
      instructorId: z.optional(uuidInput),
      from: z.optional(instantInput),
      until: z.optional(instantInput),
      ...pagingInput,
    })
    .check(z.refine((v) => !v.from || !v.until || v.until.getTime() > v.from.getTime(), { message: 'until must be after from', path: ['until'] })),
);

export const conflictRef = z.lazy(() => z.strictObject({ conflictId: uuidInput, notes: z.optional(textInput) }));

export const resolveSchema = z.lazy(() => z.strictObject({ conflictId: uuidInput, method: z.enum(RESOLUTION_METHODS), notes: z.optional(textInput) }));

import * as z from 'zod/mini';
import { localDateSchema, recurringPatternSchema, timeOfDaySchema } from '../../domain';
import { safeParseInput } from '../../domain/validate';
import { PATTERN_TYPES } from '../../schema/unqualified';
import { INT4_MAX, instantInput, requireTimeOrder, textInput, uuidInput, storableText } from '../kernel/inputs';
import { allowPastInput, newSessionFields } from '../kernel/session-fields';
import { SERIES_MAX_OCCURRENCES } from './limits';

// Each schema is built on its first parse (`z.lazy`), not when the package is imported: a call needs one or two.

/**
 * How a series treats conflicting occurrences: `all-or-nothing` (default) refuses the
 * whole call with `SERIES_CONFLICT` listing every conflicting date; `skip-conflicts`
 * writes the others and returns the skipped dates with their reasons.
 *
 * @internal
 */
export const seriesModeSchema = z.enum(['all-or-nothing', 'skip-conflicts']);
/** `all-or-nothing` | `skip-conflicts`. */
export type SeriesMode = z.infer<typeof seriesModeSchema>;

/**
 * The pattern of a new series: a `recurring_patterns` row without its ids. Time order
 * and date order are the domain's rules (`recurringPatternSchema`), reported under `pattern`.
 *
 * @internal
 */
export const seriesPatternSchema = z.lazy(() =>
  z
    .strictObject({
      name: storableText(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
      description: z.nullish(textInput),
      patternType: z.enum(PATTERN_TYPES),
      intervalValue: z._default(z.int().check(z.gte(1), z.lte(1000)), 1),
      // chk_days_of_week: a list, when given, has 1–7 entries.
      daysOfWeek: z.nullish(z.array(z.int().check(z.gte(0), z.lte(6))).check(z.minLength(1), z.maxLength(7))),
      startDate: localDateSchema,
      endDate: z.nullish(localDateSchema),
      maxOccurrences: z.nullish(z.int().check(z.gte(1), z.lte(INT4_MAX))),
      startTime: timeOfDaySchema,
      endTime: timeOfDaySchema,
      skipHolidays: z._default(z.boolean(), true),
      exceptionDates: z.nullish(z.array(localDateSchema).check(z.maxLength(SERIES_MAX_OCCURRENCES))),
      customPattern: z.nullish(z.strictObject({ rrule: storableText(z.string().check(z.trim(), z.minLength(1), z.maxLength(1000))) })),
    })
    .check(
      z.superRefine((pattern, ctx) => {
        const domain = safeParseInput(recurringPatternSchema, pattern);
        if (!domain.success) for (const issue of domain.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
        if (pattern.patternType === 'custom' && !pattern.customPattern) {
          ctx.addIssue({ code: 'custom', path: ['customPattern'], message: 'a custom pattern needs customPattern.rrule' });
        }
      }),
    ),
);

// The session template is a session without its times, which come from the pattern.
const { startTime: _startTime, endTime: _endTime, ...templateShape } = newSessionFields;

/**
 * The fields every occurrence of a series gets, as in `sessions.create` minus the times.
 *
 * @internal
 */
export const seriesTemplateSchema = z.lazy(() => z.strictObject(templateShape));

/**
 * Input of `series.create`.
 *
 * @internal
 */
export const createSeriesSchema = z.lazy(() =>
  z.strictObject({
    pattern: seriesPatternSchema,
    session: seriesTemplateSchema,
    mode: z._default(seriesModeSchema, 'all-or-nothing'),
    override: z._default(z.boolean(), false),
  }),
);
/** Input of `series.create`. */
export type CreateSeriesInput = z.input<typeof createSeriesSchema>;

const changeFields = () => ({
  /** New wall-clock start in the location's zone. */
  startTime: z.optional(timeOfDaySchema),
  /** New wall-clock end in the location's zone. */
  endTime: z.optional(timeOfDaySchema),
  instructorId: z.nullish(uuidInput),
  facilityId: z.optional(uuidInput),
});

/**
 * Input of `series.editFollowing`: the occurrence from which on the series changes.
 *
 * @internal
 */
export const editFollowingSchema = z.lazy(() =>
  z.strictObject({ sessionId: uuidInput, ...changeFields(), override: z._default(z.boolean(), false) }).check(
    z.refine((v) => v.startTime !== undefined || v.endTime !== undefined || v.instructorId !== undefined || v.facilityId !== undefined, {
      message: 'nothing to change: give startTime/endTime, instructorId or facilityId',
    }),
  ),
);
/** Input of `series.editFollowing`. */
export type EditFollowingInput = z.input<typeof editFollowingSchema>;

/**
 * Input of `series.cancelFrom`: cancels the occurrences on or after a local date and ends the pattern the day before.
 *
 * @internal
 */
export const cancelFromSchema = z.lazy(() =>
  z.strictObject({
    patternId: uuidInput,
    fromDate: localDateSchema,
    reason: textInput.check(z.trim(), z.minLength(1, 'a cancellation needs a reason')),
  }),
);
/** Input of `series.cancelFrom`. */
export type CancelFromInput = z.input<typeof cancelFromSchema>;

/**
 * Input of `series.extend`: a later end date and/or a larger count; only the new dates are created.
 *
 * @internal
 */
export const extendSeriesSchema = z.lazy(() =>
  z
    .strictObject({
      patternId: uuidInput,
      endDate: z.optional(localDateSchema),
      maxOccurrences: z.optional(z.int().check(z.gte(1), z.lte(INT4_MAX))),
      mode: z._default(seriesModeSchema, 'all-or-nothing'),
      override: z._default(z.boolean(), false),
    })
    .check(z.refine((v) => v.endDate !== undefined || v.maxOccurrences !== undefined, { message: 'give a new endDate or maxOccurrences', path: ['endDate'] })),
);
/** Input of `series.extend`. */
export type ExtendSeriesInput = z.input<typeof extendSeriesSchema>;

/**
 * Input of `series.editOccurrence`: new instants, instructor or facility for one occurrence.
 *
 * @internal
 */
export const editOccurrenceSchema = z.lazy(() =>
  z
    .strictObject({
      sessionId: uuidInput,
      startTime: z.optional(instantInput),
      endTime: z.optional(instantInput),
      instructorId: z.nullish(uuidInput),
      facilityId: z.optional(uuidInput),
      override: z._default(z.boolean(), false),
      allowPast: allowPastInput,
    })
    .check(z.superRefine(requireTimeOrder('startTime', 'endTime'))),
);
/** Input of `series.editOccurrence`. */
export type EditOccurrenceInput = z.input<typeof editOccurrenceSchema>;

/**
 * Input of `series.cancelOccurrence`.
 *
 * @internal
 */
export const cancelOccurrenceSchema = z.lazy(() =>
  z.strictObject({
    sessionId: uuidInput,
    reason: textInput.check(z.trim(), z.minLength(1, 'a cancellation needs a reason')),
  }),
);
/** Input of `series.cancelOccurrence`. */
export type CancelOccurrenceInput = z.input<typeof cancelOccurrenceSchema>;

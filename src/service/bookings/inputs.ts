import * as z from 'zod/mini';
import { bookingRefInput, instantInput, moneyInput, promotionOverrideInput, requireRangeOrder, storableText, textInput, uuidInput } from '../kernel/inputs';

/*
 * Input schemas of `scheduler.bookings`. Bookings and waitlist entries are named by
 * their uuid or by their human code (`BKG-2030-0001`, `WLT-2030-0001`). Each schema is
 * built on its first parse (`z.lazy`), not when the package is imported: a call needs one or two.
 */

const bookingFields = () => ({
  specialRequests: z.optional(textInput),
  medicalNotes: z.optional(textInput),
  amountCharged: z.optional(moneyInput),
});

/**
 * Input of `bookings.book`.
 *
 * @internal
 */
export const bookSchema = z.lazy(() =>
  z.strictObject({
    sessionId: uuidInput,
    studentId: uuidInput,
    parentId: z.optional(uuidInput),
    source: z.optional(storableText(z.string().check(z.trim(), z.minLength(1), z.maxLength(50)))),
    ...bookingFields(),
  }),
);

/** Input of `bookings.book`. */
export type BookInput = z.input<typeof bookSchema>;

/**
 * Input of `bookings.bookMany`: siblings into one session, all or nothing.
 *
 * @internal
 */
export const bookManySchema = z.lazy(() =>
  z
    .strictObject({
      sessionId: uuidInput,
      parentId: z.optional(uuidInput),
      source: z.optional(storableText(z.string().check(z.trim(), z.minLength(1), z.maxLength(50)))),
      students: z.array(z.strictObject({ studentId: uuidInput, ...bookingFields() })).check(z.minLength(1), z.maxLength(50)),
    })
    .check(
      z.superRefine((value, ctx) => {
        const seen = new Set<string>();
        // Runs after a field failed without aborting too (a malformed uuid): compare strings only.
        if (!Array.isArray(value.students)) return;
        value.students.forEach((s, i) => {
          if (typeof s?.studentId !== 'string') return;
          if (seen.has(s.studentId)) ctx.addIssue({ code: 'custom', path: ['students', i, 'studentId'], message: 'a student appears twice' });
          seen.add(s.studentId);
        });
      }),
    ),
);

/** Input of `bookings.bookMany`. */
export type BookManyInput = z.input<typeof bookManySchema>;

/**
 * Input of `bookings.cancel`. Parents and students may only cancel as `student`.
 *
 * @internal
 */
export const cancelBookingSchema = z.lazy(() =>
  z.strictObject({
    bookingId: bookingRefInput,
    type: z.enum(['student', 'instructor', 'academy', 'emergency']),
    reason: z.optional(textInput.check(z.trim(), z.minLength(1))),
    ...promotionOverrideInput,
  }),
);

/** Input of `bookings.cancel`. */
export type CancelBookingInput = z.input<typeof cancelBookingSchema>;

/**
 * Input of `bookings.move`.
 *
 * @internal
 */
export const moveBookingSchema = z.lazy(() =>
  z.strictObject({
    bookingId: bookingRefInput,
    toSessionId: uuidInput,
    reason: z.optional(textInput.check(z.trim(), z.minLength(1))),
    ...promotionOverrideInput,
  }),
);

/** Input of `bookings.move`. */
export type MoveBookingInput = z.input<typeof moveBookingSchema>;

/**
 * Input of `bookings.upcomingForStudent`; `from` defaults to the scheduler's clock.
 *
 * @internal
 */
export const upcomingSchema = z.lazy(() =>
  z.strictObject({
    studentId: uuidInput,
    from: z.optional(instantInput),
    limit: z._default(z.int().check(z.gte(1), z.lte(500)), 100),
  }),
);

/**
 * Input of `bookings.participants`.
 *
 * @internal
 */
export const participantsSchema = z.lazy(() => z.strictObject({ sessionId: uuidInput }));

/**
 * Input of `bookings.familySchedule`: sessions starting in `[from, until)`.
 *
 * @internal
 */
export const familyScheduleSchema = z.lazy(() =>
  z
    .strictObject({ parentId: uuidInput, from: instantInput, until: instantInput })
    .check(z.superRefine(requireRangeOrder('from', 'until', 366, 'at most a year at a time'))),
);

import { instantInput, uuidInput } from '../kernel/inputs';
import * as z from 'zod/mini';

// Each schema is built on its first parse (`z.lazy`), not when the package is imported: a call needs one or two.

/**
 * Input of `attendance.checkIn` / `attendance.checkOut`: the booking and, optionally,
 * when it happened (defaults to the scheduler's clock).
 *
 * @internal
 */
export const attendanceEventSchema = z.lazy(() => z.strictObject({ bookingId: uuidInput, at: z.optional(instantInput) }));

/** Input of `attendance.checkIn` / `attendance.checkOut`. */
export type AttendanceEventInput = z.input<typeof attendanceEventSchema>;

/**
 * Input of `attendance.markAbsent` / `attendance.markNoShow`.
 *
 * @internal
 */
export const bookingRefSchema = z.lazy(() => z.strictObject({ bookingId: uuidInput }));

/**
 * Input of `attendance.register`: the session whose register to read.
 *
 * @internal
 */
export const registerSchema = z.lazy(() => z.strictObject({ sessionId: uuidInput }));

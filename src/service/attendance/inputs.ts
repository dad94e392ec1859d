import { instantInput, uuidInput } from '../kernel/inputs';
import { z } from 'zod';

/**
 * Input of `attendance.checkIn` / `attendance.checkOut`: the booking and, optionally,
 * when it happened (defaults to the scheduler's clock).
 *
 * @example
 * ```ts
 * attendanceEventSchema.parse({ bookingId, at: '2030-01-15T15:04:00Z' });
 * ```
 */
export const attendanceEventSchema = z.strictObject({ bookingId: uuidInput, at: instantInput.optional() });

/** Input of `attendance.checkIn` / `attendance.checkOut`. */
export type AttendanceEventInput = z.input<typeof attendanceEventSchema>;

/**
 * Input of `attendance.markAbsent` / `attendance.markNoShow`.
 *
 * @example
 * ```ts
 * bookingRefSchema.parse({ bookingId });
 * ```
 */
export const bookingRefSchema = z.strictObject({ bookingId: uuidInput });


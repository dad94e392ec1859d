import { forbidden } from '../kernel/actor';
import { checkIn, checkOut, markAbsent, markNoShow } from './record';
import { completeAndSettle, settleSession } from './settle';
import { defineOperation } from '../kernel/operation';
import { bookingSeenBy } from './seen-by';

import type { ServiceContext } from '../kernel/context';
import type { Actor } from '../kernel/types';

import { attendanceEventSchema, bookingRefSchema, registerSchema } from './inputs';
import { attendanceRegister } from './register';
import { sessionRef } from '../kernel/inputs';

/** Parents and students never record attendance; refused before any database read. */
function staffOnly(actor: Actor) {
  if (actor.kind === 'parent' || actor.kind === 'student') throw forbidden(actor, 'record attendance', 'administrators_or_instructor_only');
}

/**
 * `scheduler.attendance`: check-in/out, absences, settling a completed session and the
 * register. Admins (and the system) may record and read attendance for any session, an
 * instructor only for their own; parents and students may not (`FORBIDDEN`). Attendance
 * records what happened in a class: check-in from `checkInOpensMinutes` (60) before the
 * start to the end, check-out from the check-in to `checkOutClosesMinutes` (60) after
 * the end, absences from the start on; an `at` after the clock is refused.
 *
 * @example
 * ```ts
 * declare const bookingId: string;
 * await scheduler.attendance.checkIn(instructor, { bookingId });
 * await scheduler.attendance.checkOut(instructor, { bookingId });
 * const { completed, noShow } = await scheduler.attendance.complete(instructor, { sessionId });
 * // still complete after the class: confirmed, completed and no-show bookings
 * for (const row of await scheduler.attendance.register(instructor, { sessionId })) {
 *   console.log(row.student.lastName, row.bookingStatus, row.attendanceStatus, row.checkedInAt, row.checkedOutAt);
 * }
 * ```
 */
export function createAttendanceService(ctx: ServiceContext) {
  const thresholds = () => ({
    lateAfterMinutes: ctx.lateAfterMinutes,
    earlyLeaveMinutes: ctx.earlyLeaveMinutes,
    checkInOpensMinutes: ctx.checkInOpensMinutes,
    checkOutClosesMinutes: ctx.checkOutClosesMinutes,
  });
  const staff = { authorize: staffOnly };
  return {
    /** Checks a confirmed booking in (`present`, or `late` after `lateAfterMinutes`), from `checkInOpensMinutes` before the start to the end; `at` (default now) never after the clock. */
    checkIn: defineOperation(
      ctx,
      attendanceEventSchema,
      async (tx, input, actor) => bookingSeenBy(tx, actor, await checkIn(tx, input, actor, ctx.now(), thresholds())),
      staff,
    ),
    /** Checks a booking out (`partial` when leaving more than `earlyLeaveMinutes` before the end), from the check-in to `checkOutClosesMinutes` after the end; `at` never after the clock. */
    checkOut: defineOperation(
      ctx,
      attendanceEventSchema,
      async (tx, input, actor) => bookingSeenBy(tx, actor, await checkOut(tx, input, actor, ctx.now(), thresholds())),
      staff,
    ),
    /** Marks a confirmed, not checked-in booking `absent` (settled to `no_show` later), from the session's start on. */
    markAbsent: defineOperation(
      ctx,
      bookingRefSchema,
      async (tx, input, actor) => bookingSeenBy(tx, actor, await markAbsent(tx, input, actor, ctx.now())),
      staff,
    ),
    /** Turns a confirmed, not checked-in booking into a `no_show` now, from the session's start on. */
    markNoShow: defineOperation(
      ctx,
      bookingRefSchema,
      async (tx, input, actor) => bookingSeenBy(tx, actor, await markNoShow(tx, input, actor, ctx.now())),
      staff,
    ),
    /** Settles a completed session: attended → `completed`, the rest → `no_show`. */
    settle: defineOperation(ctx, sessionRef, (tx, input, actor) => settleSession(tx, input.sessionId, actor), staff),
    /** `in_progress → completed` through the session state machine, then `settle`, in one transaction. */
    complete: defineOperation(ctx, sessionRef, (tx, input, actor) => completeAndSettle(tx, input.sessionId, actor, ctx.policy, ctx.now()), staff),
    /** The register by name: confirmed, completed and no-show bookings with attendance and check-in/out times, before, during and after the class. */
    register: defineOperation(ctx, registerSchema, (tx, input, actor) => attendanceRegister(tx, input, actor), {
      authorize: (actor) => {
        if (actor.kind === 'parent' || actor.kind === 'student') throw forbidden(actor, 'see the attendance register', 'administrators_or_instructor_only');
      },
    }),
  };
}

/** `scheduler.attendance`. */
export type AttendanceService = ReturnType<typeof createAttendanceService>;

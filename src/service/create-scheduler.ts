import { createServiceContext } from './kernel/context';
import { createSessionService } from './sessions/service';
import { createConflictService } from './conflicts/service';
import { createAvailabilityService } from './availability/service';
import { createBookingService } from './bookings/service';
import { createWaitlistService } from './waitlist/service';
import { createNotificationService } from './notifications/service';
import { createSeriesService } from './series/service';
import { createAttendanceService } from './attendance/service';
import { createMakeupService } from './makeups/service';
import { createFeedbackService } from './feedback/service';
import { createResourceService } from './resources/service';
import { createMaintenanceService } from './maintenance/service';
import { createAcademyService } from './academy/service';
import type { SchedulerOptions } from './kernel/types';

/**
 * The scheduler: every operation validates its input, runs in one transaction (or
 * joins the host's with `{ tx }`), maps database errors to `SchedulingError` codes
 * and retries serialization failures and deadlocks. The capacity policy given here is
 * validated now (`INVALID_INPUT`) and written to the database in the first call.
 *
 * @example
 * ```ts
 * import { createScheduler, type Actor } from 'academy-scheduling';
 * declare const userId: string, programId: string, courseId: string, locationId: string, facilityId: string, instructorId: string;
 *
 * const scheduler = createScheduler({ db, policy: { school: { max: 40 } } });
 * const admin: Actor = { kind: 'admin', userId };
 * const { session } = await scheduler.sessions.create(admin, {
 *   programId, courseId, locationId, facilityId, instructorId, sessionType: 'group', title: 'Swim club',
 *   startTime: new Date('2030-01-15T15:00:00Z'), endTime: new Date('2030-01-15T16:00:00Z'),
 * });
 * ```
 */
export function createScheduler(options: SchedulerOptions) {
  const ctx = createServiceContext(options);
  return {
    /** The resolved capacity policy this scheduler enforces. */
    policy: ctx.policy,
    sessions: createSessionService(ctx),
    conflicts: createConflictService(ctx),
    availability: createAvailabilityService(ctx),
    series: createSeriesService(ctx),
    bookings: createBookingService(ctx),
    waitlist: createWaitlistService(ctx),
    notifications: createNotificationService(ctx),
    attendance: createAttendanceService(ctx),
    makeups: createMakeupService(ctx),
    feedback: createFeedbackService(ctx),
    resources: createResourceService(ctx),
    maintenance: createMaintenanceService(ctx),
    academy: createAcademyService(ctx),
  };
}

/** What `createScheduler` returns. */
export type Scheduler = ReturnType<typeof createScheduler>;

import { parseSchedulerOptions } from './kernel/scheduler-options';
import { lazyFeature } from './kernel/lazy-feature';
import type { ServiceContext } from './kernel/context';
import type { SchedulerOptions } from './kernel/types';

/**
 * The scheduler: every operation validates its input, runs in one transaction (or
 * joins the host's with `{ tx }`), maps database errors to `SchedulingError` codes
 * and retries serialization failures and deadlocks. The options (the capacity policy
 * among them) are validated now (`INVALID_INPUT`); the policy is written to the
 * database in the first call.
 *
 * Each feature's code (and Drizzle, which only the operations need) is loaded on the
 * feature's first call, so importing the package and creating a scheduler stay cheap
 * for a serverless function that uses one or two features.
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
  const settings = parseSchedulerOptions(options);
  let context: Promise<ServiceContext> | undefined;
  const ctx = (): Promise<ServiceContext> => (context ??= import('./kernel/context').then((m) => m.createServiceContext(settings)));
  return {
    /** The resolved capacity policy this scheduler enforces. */
    policy: settings.policy,
    sessions: lazyFeature('sessions', async () => (await import('./sessions/service')).createSessionService(await ctx()), [
      'create',
      'update',
      'reschedule',
      'setStatus',
      'start',
      'complete',
      'postpone',
      'resume',
      'cancel',
      'get',
      'list',
    ]),
    conflicts: lazyFeature('conflicts', async () => (await import('./conflicts/service')).createConflictService(await ctx()), [
      'list',
      'acknowledge',
      'resolve',
      'ignore',
      'scan',
    ]),
    availability: lazyFeature('availability', async () => (await import('./availability/service')).createAvailabilityService(await ctx()), [
      'add',
      'update',
      'deactivate',
      'findAvailableInstructors',
      'freeSlots',
    ]),
    series: lazyFeature('series', async () => (await import('./series/service')).createSeriesService(await ctx()), [
      'create',
      'editOccurrence',
      'editFollowing',
      'cancelOccurrence',
      'cancelFrom',
      'extend',
    ]),
    bookings: lazyFeature('bookings', async () => (await import('./bookings/service')).createBookingService(await ctx()), [
      'book',
      'bookMany',
      'cancel',
      'move',
      'upcomingForStudent',
      'participants',
      'familySchedule',
    ]),
    waitlist: lazyFeature('waitlist', async () => (await import('./waitlist/service')).createWaitlistService(await ctx()), [
      'join',
      'leave',
      'position',
      'list',
      'accept',
      'decline',
      'expireOffers',
    ]),
    notifications: lazyFeature('notifications', async () => (await import('./notifications/service')).createNotificationService(await ctx()), [
      'claim',
      'markSent',
    ]),
    attendance: lazyFeature('attendance', async () => (await import('./attendance/service')).createAttendanceService(await ctx()), [
      'checkIn',
      'checkOut',
      'markAbsent',
      'markNoShow',
      'settle',
      'complete',
      'register',
    ]),
    makeups: lazyFeature('makeups', async () => (await import('./makeups/service')).createMakeupService(await ctx()), ['book']),
    feedback: lazyFeature('feedback', async () => (await import('./feedback/service')).createFeedbackService(await ctx()), [
      'submit',
      'markFollowUpDone',
      'averages',
    ]),
    resources: lazyFeature('resources', async () => (await import('./resources/service')).createResourceService(await ctx()), [
      'request',
      'allocate',
      'markUnavailable',
      'cancel',
      'unallocatedMandatory',
      'costs',
    ]),
    maintenance: lazyFeature('maintenance', async () => (await import('./maintenance/service')).createMaintenanceService(await ctx()), [
      'recountBookings',
      'archiveBookings',
      'purgeCancelledSessions',
      'purgeEvents',
      'advanceStatuses',
      'verifyIntegrity',
    ]),
    events: lazyFeature('events', async () => (await import('./events/service')).createEventService(await ctx()), [
      'registerConsumer',
      'removeConsumer',
      'consumers',
      'claim',
      'ack',
      'fail',
      'retryDead',
      'list',
    ]),
    calendar: lazyFeature('calendar', async () => (await import('./calendar/service')).createCalendarService(await ctx()), [
      'feed',
      'createToken',
      'listTokens',
      'revokeToken',
      'feedForToken',
    ]),
    academy: lazyFeature('academy', async () => (await import('./academy/service')).createAcademyService(await ctx()), [
      'createUser',
      'updateUser',
      'createLocation',
      'updateLocation',
      'createFacility',
      'updateFacility',
      'createInstructor',
      'updateInstructor',
      'createStudent',
      'updateStudent',
      'createParent',
      'updateParent',
      'linkParentStudent',
      'unlinkParentStudent',
      'createProgram',
      'updateProgram',
      'createLevel',
      'updateLevel',
      'createCourse',
      'updateCourse',
      'createHoliday',
      'updateHoliday',
    ]),
  };
}

/** What `createScheduler` returns. */
export type Scheduler = ReturnType<typeof createScheduler>;

/**
 * A seeded academy with one row of every kind a scheduler method acts on, and one valid
 * input per scheduler method referring to those rows: shared by the tests that call
 * every method (hostile fields, and academies that must not see each other's rows).
 */
import { createScheduler } from '../../src';
import type { Actor } from '../../src/service/kernel/types';
import type { TestDatabase } from './database';
import { type Academy, insertSession, seedAcademy, book, createInput } from './fixtures';
import { at } from './time';

/** The ids the sample inputs refer to: every one exists, so a refusal is about the hostile field. */
export interface Ids {
  academy: Academy;
  sessionId: string;
  fullSessionId: string;
  bookingId: string;
  waitlistId: string;
  conflictId: string;
  availabilityId: string;
  patternId: string;
  occurrenceId: string;
  completedSessionId: string;
  feedbackId: string;
  resourceId: string;
  levelId: string;
  holidayId: string;
  calendarTokenId: string;
}

/** One valid input per method; the test fails when a method has none (so new methods get one). */
export function sampleInputs(ids: Ids): Record<string, unknown> {
  const { academy } = ids;
  const from = at('2030-01-01T00:00:00Z');
  const until = at('2030-02-01T00:00:00Z');
  const template = {
    programId: academy.programId,
    courseId: academy.courseId,
    locationId: academy.locationId,
    facilityId: academy.lanesId,
    instructorId: academy.instructorIds[2]!,
    sessionType: 'group',
    title: 'Series',
  };
  return {
    'sessions.create': createInput(academy, { startTime: at('2030-02-05T15:00:00Z'), endTime: at('2030-02-05T16:00:00Z') }),
    'sessions.update': { sessionId: ids.sessionId },
    'sessions.reschedule': { sessionId: ids.sessionId, startTime: at('2030-01-16T15:00:00Z'), endTime: at('2030-01-16T16:00:00Z') },
    'sessions.setStatus': { sessionId: ids.sessionId, status: 'postponed' },
    'sessions.start': { sessionId: ids.sessionId },
    'sessions.complete': { sessionId: ids.sessionId },
    'sessions.postpone': { sessionId: ids.sessionId },
    'sessions.resume': { sessionId: ids.sessionId },
    'sessions.cancel': { sessionId: ids.sessionId, reason: 'Pool closed' },
    'sessions.get': { sessionId: ids.sessionId },
    'sessions.list': {},
    'conflicts.list': {},
    'conflicts.acknowledge': { conflictId: ids.conflictId },
    'conflicts.resolve': { conflictId: ids.conflictId, method: 'manual_override' },
    'conflicts.ignore': { conflictId: ids.conflictId },
    'conflicts.scan': { from, until },
    'availability.add': {
      instructorId: academy.instructorIds[1]!,
      availabilityType: 'regular',
      dayOfWeek: 3,
      startTime: '09:00',
      endTime: '12:00',
      effectiveFrom: '2030-01-01',
    },
    'availability.update': { availabilityId: ids.availabilityId },
    'availability.deactivate': { availabilityId: ids.availabilityId },
    'availability.findAvailableInstructors': { locationId: academy.locationId, start: at('2030-01-15T15:00:00Z'), end: at('2030-01-15T16:00:00Z') },
    'availability.freeSlots': { instructorId: academy.instructorIds[0]!, locationId: academy.locationId, from, until, durationMinutes: 30 },
    'series.create': {
      pattern: {
        name: 'Thursdays',
        patternType: 'weekly',
        daysOfWeek: [4],
        startDate: '2030-05-01',
        endDate: '2030-05-31',
        startTime: '10:00',
        endTime: '11:00',
      },
      session: template,
    },
    'series.editOccurrence': { sessionId: ids.occurrenceId },
    'series.editFollowing': { sessionId: ids.occurrenceId, startTime: '16:00', endTime: '17:00' },
    'series.cancelOccurrence': { sessionId: ids.occurrenceId, reason: 'Pool closed' },
    'series.cancelFrom': { patternId: ids.patternId, fromDate: '2030-04-15', reason: 'Pool closed' },
    'series.extend': { patternId: ids.patternId, endDate: '2030-04-30' },
    'bookings.book': { sessionId: ids.sessionId, studentId: academy.studentIds[3]! },
    'bookings.bookMany': { sessionId: ids.sessionId, students: [{ studentId: academy.studentIds[3]! }, { studentId: academy.studentIds[4]! }] },
    'bookings.cancel': { bookingId: ids.bookingId, type: 'academy' },
    'bookings.move': { bookingId: ids.bookingId, toSessionId: ids.fullSessionId },
    'bookings.upcomingForStudent': { studentId: academy.studentIds[0]! },
    'bookings.participants': { sessionId: ids.sessionId },
    'bookings.familySchedule': { parentId: academy.parentId, from, until },
    'waitlist.join': { sessionId: ids.fullSessionId, studentId: academy.studentIds[3]! },
    'waitlist.leave': { waitlistId: ids.waitlistId },
    'waitlist.position': { waitlistId: ids.waitlistId },
    'waitlist.list': { sessionId: ids.fullSessionId },
    'waitlist.accept': { waitlistId: ids.waitlistId },
    'waitlist.decline': { waitlistId: ids.waitlistId },
    'waitlist.expireOffers': {},
    'notifications.claim': {},
    'notifications.markSent': { waitlistIds: [ids.waitlistId] },
    'attendance.checkIn': { bookingId: ids.bookingId },
    'attendance.checkOut': { bookingId: ids.bookingId },
    'attendance.markAbsent': { bookingId: ids.bookingId },
    'attendance.markNoShow': { bookingId: ids.bookingId },
    'attendance.settle': { sessionId: ids.sessionId },
    'attendance.complete': { sessionId: ids.sessionId },
    'attendance.register': { sessionId: ids.sessionId },
    'makeups.book': { originalBookingId: ids.bookingId, sessionId: ids.fullSessionId },
    'feedback.submit': { sessionId: ids.completedSessionId, overallRating: 4 },
    'feedback.markFollowUpDone': { feedbackId: ids.feedbackId },
    'feedback.averages': { sessionId: ids.completedSessionId },
    'resources.request': { sessionId: ids.sessionId, resourceType: 'equipment', resourceName: 'Floats' },
    'resources.allocate': { resourceId: ids.resourceId, quantity: 1 },
    'resources.markUnavailable': { resourceId: ids.resourceId },
    'resources.cancel': { resourceId: ids.resourceId },
    'resources.unallocatedMandatory': {},
    'resources.costs': { sessionIds: [ids.sessionId] },
    'maintenance.recountBookings': {},
    'maintenance.archiveBookings': { olderThan: at('2020-01-01T00:00:00Z') },
    'maintenance.purgeCancelledSessions': { olderThan: at('2020-01-01T00:00:00Z') },
    'maintenance.advanceStatuses': {},
    'maintenance.verifyIntegrity': {},
    'maintenance.purgeEvents': { olderThanDays: 365 },
    'events.registerConsumer': { consumer: 'sample' },
    'events.removeConsumer': { consumer: 'sample' },
    'events.consumers': {},
    'events.claim': { consumer: 'sample', limit: 1 },
    'events.ack': { consumer: 'sample', leaseId: '00000000-0000-4000-8000-000000000000', eventIds: ['00000000-0000-4000-8000-000000000001'] },
    'events.fail': { consumer: 'sample', leaseId: '00000000-0000-4000-8000-000000000000', eventIds: ['00000000-0000-4000-8000-000000000001'] },
    'events.retryDead': { consumer: 'sample' },
    // Filters, not references: an entity's events outlive it, so a foreign or deleted id lists nothing rather than NOT_FOUND.
    'events.list': { types: ['session.scheduled'], limit: 5 },
    'calendar.feed': { location: academy.locationId, from: at('2030-01-01T00:00:00Z'), until: at('2030-02-01T00:00:00Z') },
    'calendar.createToken': { feed: { location: academy.locationId } },
    'calendar.listTokens': {},
    'calendar.revokeToken': { id: ids.calendarTokenId },
    'academy.createUser': { email: 'desk@academy.test', role: 'staff' },
    'academy.updateUser': { userId: academy.adminId },
    'academy.createLocation': { code: 'ANNEX', name: 'Annex', timeZone: 'Europe/London' },
    'academy.updateLocation': { locationId: academy.locationId },
    'academy.createFacility': { locationId: academy.locationId, code: 'STUDIO', name: 'Studio' },
    'academy.updateFacility': { facilityId: academy.poolId },
    'academy.createInstructor': { email: 'maya@academy.test', firstName: 'Maya', lastName: 'Ortiz' },
    'academy.updateInstructor': { instructorId: academy.instructorIds[2]! },
    'academy.createStudent': { firstName: 'Ada', lastName: 'Okafor' },
    'academy.updateStudent': { studentId: academy.studentIds[5]! },
    'academy.createParent': { firstName: 'Grace', lastName: 'Okafor' },
    'academy.updateParent': { parentId: academy.parentId },
    'academy.linkParentStudent': { parentId: academy.parentId, studentId: academy.studentIds[5]! },
    'academy.unlinkParentStudent': { parentId: academy.parentId, studentId: academy.studentIds[0]! },
    'academy.createProgram': { code: 'MUSIC', name: 'Music' },
    'academy.updateProgram': { programId: academy.programId },
    'academy.createLevel': { code: 'L1', name: 'Level 1' },
    'academy.updateLevel': { levelId: ids.levelId },
    'academy.createCourse': { programId: academy.programId, code: 'SPLASH', name: 'Splash' },
    'academy.updateCourse': { courseId: academy.courseId },
    'academy.createHoliday': { holidayDate: '2030-12-25', name: 'Christmas' },
    'academy.updateHoliday': { holidayId: ids.holidayId },
  };
}

/**
 * Seeds an academy in the `scheduling` schema of `database` with every row the sample
 * inputs refer to, and returns their ids. The scheduler's clock reads 2029-06-01.
 */
export async function seedSampleAcademy(database: TestDatabase): Promise<Ids> {
  const academy = await seedAcademy(database.db);
  const admin: Actor = { kind: 'admin', userId: academy.adminId };
  const scheduler = createScheduler({ db: database.db, now: () => at('2029-06-01T00:00:00Z') });
  const session = await insertSession(database.db, academy);
  const bookingId = await book(database.db, session.id, academy.studentIds[0]!);
  const full = await insertSession(database.db, academy, { instructorId: academy.instructorIds[1]!, facilityId: academy.lanesId, capacity: 1 });
  await book(database.db, full.id, academy.studentIds[1]!);
  await scheduler.waitlist.join(admin, { sessionId: full.id, studentId: academy.studentIds[2]! });
  // An administrator override records the double booking as a conflict.
  await scheduler.sessions.create(
    admin,
    createInput(academy, { facilityId: academy.lanesId, startTime: at('2030-01-15T15:30:00Z'), endTime: at('2030-01-15T16:30:00Z'), override: true }),
  );
  await scheduler.availability.add(admin, {
    instructorId: academy.instructorIds[0]!,
    availabilityType: 'regular',
    dayOfWeek: 2,
    startTime: '08:00',
    endTime: '20:00',
    effectiveFrom: '2029-01-01',
  });
  await scheduler.series.create(admin, {
    pattern: { name: 'Mondays', patternType: 'weekly', daysOfWeek: [1], startDate: '2030-04-01', endDate: '2030-04-30', startTime: '10:00', endTime: '11:00' },
    session: {
      programId: academy.programId,
      courseId: academy.courseId,
      locationId: academy.locationId,
      facilityId: academy.poolId,
      instructorId: academy.instructorIds[2]!,
      sessionType: 'group',
      title: 'Mondays',
    },
  });
  const completed = await insertSession(database.db, academy, {
    instructorId: academy.instructorIds[2]!,
    startTime: at('2029-05-01T15:00:00Z'),
    endTime: at('2029-05-01T16:00:00Z'),
  });
  await book(database.db, completed.id, academy.studentIds[0]!);
  await database.query(`UPDATE scheduling.sessions SET status = 'completed' WHERE id = '${completed.id}'`);
  await scheduler.feedback.submit(
    { kind: 'student', studentId: academy.studentIds[0]! },
    { sessionId: completed.id, overallRating: 4, requiresFollowUp: true },
  );
  await scheduler.resources.request(admin, { sessionId: session.id, resourceType: 'equipment', resourceName: 'Kickboards' });
  await scheduler.academy.linkParentStudent(admin, { parentId: academy.parentId, studentId: academy.studentIds[0]! });
  const one = async (sql: string) => String((await database.query<{ id: string }>(sql))[0]!.id);
  const patternId = await one('SELECT id FROM scheduling.recurring_patterns LIMIT 1');
  return {
    academy,
    sessionId: session.id,
    fullSessionId: full.id,
    bookingId,
    waitlistId: await one('SELECT id FROM scheduling.session_waitlist LIMIT 1'),
    conflictId: await one('SELECT id FROM scheduling.schedule_conflicts LIMIT 1'),
    availabilityId: await one('SELECT id FROM scheduling.instructor_availability LIMIT 1'),
    patternId,
    occurrenceId: await one(`SELECT id FROM scheduling.sessions WHERE recurring_pattern_id = '${patternId}' ORDER BY start_time LIMIT 1`),
    completedSessionId: completed.id,
    feedbackId: await one('SELECT id FROM scheduling.session_feedback LIMIT 1'),
    resourceId: await one('SELECT id FROM scheduling.session_resources LIMIT 1'),
    levelId: (await scheduler.academy.createLevel(admin, { code: 'ANY', name: 'Any' })).id,
    holidayId: (await scheduler.academy.createHoliday(admin, { holidayDate: '2030-01-01', name: 'New Year' })).id,
    calendarTokenId: (await scheduler.calendar.createToken(admin, { feed: { location: academy.locationId }, label: 'Front desk' })).id,
  };
}

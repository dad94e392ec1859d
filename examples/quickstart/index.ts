/**
 * `npm run demo`: one week at a swim school, on an in-process PGlite database — no
 * server, no setup.
 *
 * Read it top to bottom: each numbered step shows one part of the API.
 * The output never changes, because the scheduler runs on an injected clock (the
 * `now` below) instead of the real one.
 *
 * In your own service, import from the package instead of `../../src`:
 *   `academy-scheduling`, `academy-scheduling/migrate`, `academy-scheduling/schema`.
 */
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { createScheduler, isSchedulingError, type Actor } from '../../src';
import { migrate } from '../../src/migrate';
import { localTimeFormat } from '../shared/local-time';
import { isMainModule } from '../shared/main-module';
import { type ChildName, seedSwimAcademy } from '../shared/swim-academy';
import { formatTimetable } from './timetable';

export async function runQuickstart(log: (line: string) => void = console.log): Promise<void> {
  const client = await PGlite.create();
  // Any Drizzle PostgreSQL database works: postgres.js, node-postgres or PGlite.
  const db = drizzle(client);
  try {
    // 1. Install the library's schema (`scheduling`). Idempotent: run it at every start.
    const { applied } = await migrate(db);
    log(`Migrated a fresh PGlite database: ${applied.join(', ')}`);

    // 2. The academy's people and places, set up through `scheduler.academy` (see ../shared/swim-academy.ts).
    const academy = await seedSwimAcademy(db);
    const { location, facilities, instructors, children, courses } = academy;
    const local = localTimeFormat(location.timeZone);
    const families = new Set(Object.values(children).map((c) => c.parent.id)).size;
    log(
      `Created ${location.name} (${location.timeZone}): ${facilities.pool.name}, ${facilities.lanes.name}, ` +
        `instructors ${instructors.maya.name} and ${instructors.leo.name}, ${Object.keys(children).length} children in ${families} families`,
    );

    // The scheduler's clock, moved forward as the story goes: Monday 7 January 2030, 09:00 in New York.
    let now = new Date('2030-01-07T09:00:00-05:00');
    const scheduler = createScheduler({ db, now: () => now });

    // Every call names who is acting; the scheduler checks what each actor may do.
    const frontDesk: Actor = { kind: 'admin', userId: academy.adminUserId };
    const maya: Actor = { kind: 'instructor', instructorId: instructors.maya.id };
    const parentOf = (child: ChildName): Actor => ({ kind: 'parent', parentId: children[child].parent.id });

    log('');
    log('== Availability ==');
    // 3. Weekly slots in the location's wall-clock time; day 0 is Sunday, 6 Saturday.
    const slots = [
      { who: instructors.maya, dayOfWeek: 6, day: 'Sat', startTime: '09:00', endTime: '13:00' },
      { who: instructors.leo, dayOfWeek: 2, day: 'Tue', startTime: '16:00', endTime: '19:00' },
      { who: instructors.leo, dayOfWeek: 6, day: 'Sat', startTime: '09:00', endTime: '12:00' },
    ];
    for (const { who, dayOfWeek, day, startTime, endTime } of slots) {
      await scheduler.availability.add(frontDesk, {
        instructorId: who.id,
        availabilityType: 'regular',
        dayOfWeek,
        startTime,
        endTime,
        locationId: location.id,
        effectiveFrom: '2030-01-01',
      });
      log(`${who.name}: ${day} ${startTime}–${endTime}`);
    }

    log('');
    log('== Classes for the spring term ==');
    // 4. A series: one pattern, every occurrence created (and conflict-checked) in one transaction.
    const term = { patternType: 'weekly', startDate: '2030-01-07', endDate: '2030-03-31' } as const;
    const classTemplate = { programId: academy.programId, locationId: location.id, sessionType: 'group' } as const;
    const saturdays = await scheduler.series.create(frontDesk, {
      pattern: { ...term, name: 'Level 1 on Saturdays', daysOfWeek: [6], startTime: '10:00', endTime: '10:45' },
      session: {
        ...classTemplate,
        courseId: courses.level1,
        facilityId: facilities.pool.id,
        instructorId: instructors.maya.id,
        title: 'Level 1 – Saturday',
        capacity: 5,
      },
    });
    const tuesdays = await scheduler.series.create(frontDesk, {
      pattern: { ...term, name: 'Level 2 on Tuesdays', daysOfWeek: [2], startTime: '17:00', endTime: '17:45' },
      session: {
        ...classTemplate,
        courseId: courses.level2,
        facilityId: facilities.lanes.id,
        instructorId: instructors.leo.id,
        title: 'Level 2 – Tuesday',
        capacity: 4,
      },
    });
    for (const { pattern, sessions } of [saturdays, tuesdays]) {
      const first = sessions[0]!;
      const last = sessions.at(-1)!;
      log(
        `"${pattern.name}": ${sessions.length} classes, ${local.day(first.startTime)} to ${local.day(last.startTime)}, ${local.range(first.startTime, first.endTime)}`,
      );
    }
    // The series is expanded in the location's zone: 10:00 stays 10:00 when the clocks change on 10 March.
    const utc = (d: Date) => d.toISOString().slice(11, 16);
    const [beforeDst, afterDst] = [saturdays.sessions[8]!, saturdays.sessions[9]!];
    log(
      `Across the DST change: ${local.dayTime(beforeDst.startTime)} is ${utc(beforeDst.startTime)} UTC, ` +
        `${local.dayTime(afterDst.startTime)} is ${utc(afterDst.startTime)} UTC`,
    );

    log('');
    log('== Bookings for Saturday 12 January ==');
    // 5. Parents book their children. A full class queues the child on its waitlist instead.
    const firstClass = saturdays.sessions[0]!;
    const bookingIds = new Map<ChildName, string>();
    const waitlistIds = new Map<ChildName, string>();
    const confirmed: string[] = [];
    const waitlisted: string[] = [];
    for (const child of ['Ada', 'Ben', 'Cleo', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana'] as const) {
      const result = await scheduler.bookings.book(parentOf(child), { sessionId: firstClass.id, studentId: children[child].id });
      if (result.outcome === 'confirmed') {
        bookingIds.set(child, result.booking.id);
        confirmed.push(child);
      } else {
        waitlistIds.set(child, result.entry.id);
        waitlisted.push(`${child} #${result.position}`);
      }
    }
    log(`Confirmed: ${confirmed.join(', ')} (the class is full at 5)`);
    log(`Waitlisted: ${waitlisted.join(', ')}`);
    // Siblings go together or not at all.
    const siblings = await scheduler.bookings.bookMany(parentOf('Iris'), {
      sessionId: tuesdays.sessions[0]!.id,
      students: [{ studentId: children.Iris.id }, { studentId: children.Jack.id }],
    });
    log(
      `Iris and Jack booked together into "${tuesdays.sessions[0]!.title}" on ${local.day(tuesdays.sessions[0]!.startTime)}: ${siblings.bookings.length} places`,
    );

    log('');
    log('== A cancellation frees a place ==');
    // 6. Tuesday morning Cleo's parent cancels. In the same transaction the place is
    //    offered to the first on the waitlist and held for 24 hours (`offerWindowMinutes`).
    now = new Date('2030-01-08T08:00:00-05:00');
    // The host's mailer is a named consumer of the change events (step 11): from now on it is owed every change.
    const system: Actor = { kind: 'system' };
    await scheduler.events.registerConsumer(system, { consumer: 'mailer' });
    const cleosBooking = bookingIds.get('Cleo')!;
    await scheduler.bookings.cancel(parentOf('Cleo'), { bookingId: cleosBooking, type: 'student', reason: 'Ear infection' });
    bookingIds.delete('Cleo');
    // Cleo's parent is not told who is next (another family's child); the library sends
    // nothing itself either: your mailer claims what is owed, sends it, marks it sent.
    const owed = await scheduler.notifications.claim(system, {});
    const offer = owed.find((note) => note.kind === 'offer')!;
    log(`Cleo cancelled; the place is offered to ${offer.student.firstName} until ${local.dayTime(offer.responseDeadline!)}`);
    for (const note of owed) {
      log(
        `Notification to send (${note.method}): ${note.parent?.firstName} ${note.parent?.lastName}, "${note.student.firstName} can have a place on ${local.dayTime(note.session.startTime)}"`,
      );
      await scheduler.notifications.markSent(system, { waitlistIds: [note.id] });
    }
    const accepted = await scheduler.waitlist.accept(parentOf('Fay'), { waitlistId: offer.id });
    bookingIds.set('Fay', accepted.booking.id);
    const gus = await scheduler.waitlist.position(parentOf('Gus'), { waitlistId: waitlistIds.get('Gus')! });
    log(`Fay accepted: booking ${accepted.booking.bookingStatus}; Gus is now #${gus.position} of ${gus.queueLength} waiting`);

    log('');
    log('== Conflicts ==');
    // 7. Maya is teaching at 10:30 on Saturday, so a second class for her then is refused
    //    (by the scheduler, and by the database's triggers should two requests race)…
    const privateLesson = {
      ...classTemplate,
      courseId: courses.level1,
      facilityId: facilities.lanes.id,
      instructorId: instructors.maya.id,
      sessionType: 'private',
      title: 'Private lesson – Kai',
      capacity: 1,
      startTime: new Date('2030-01-12T10:30:00-05:00'),
      endTime: new Date('2030-01-12T11:00:00-05:00'),
    } as const;
    try {
      await scheduler.sessions.create(frontDesk, privateLesson);
    } catch (error) {
      if (!isSchedulingError(error, 'INSTRUCTOR_DOUBLE_BOOKED')) throw error;
      const clashes = error.details.conflictingSessionIds as string[];
      const clashTitles = clashes.map((id) => (id === firstClass.id ? `"${firstClass.title}"` : id));
      log(`Private lesson with Maya on ${local.dayTime(privateLesson.startTime)} refused: ${error.code} (she teaches ${clashTitles.join(', ')})`);
    }
    // …the scheduler can say who is free then…
    const free = await scheduler.availability.findAvailableInstructors(frontDesk, {
      locationId: location.id,
      start: privateLesson.startTime,
      end: privateLesson.endTime,
    });
    log(`Free to teach then: ${free.map((i) => `${i.firstName} ${i.lastName}`).join(', ')}`);
    // …but Kai's family wants Maya. An administrator override lets it through and records the conflict.
    const overridden = await scheduler.sessions.create(frontDesk, { ...privateLesson, override: true });
    await scheduler.bookings.book(frontDesk, { sessionId: overridden.session.id, studentId: children.Kai.id });
    for (const conflict of overridden.conflicts) {
      log(`Override recorded: ${conflict.conflictType}, ${conflict.status} by ${conflict.resolutionMethod}`);
    }

    log('');
    // 8. Listings are plain session rows (instants): show them in the location's zone.
    const weekStart = new Date('2030-01-07T00:00:00-05:00');
    const weekEnd = new Date('2030-01-14T00:00:00-05:00');
    log(`== Timetable, week of ${local.day(weekStart)} (${location.timeZone}) ==`);
    const week = await scheduler.sessions.list(frontDesk, { locationId: location.id, from: weekStart, until: weekEnd });
    const names = {
      instructors: new Map(Object.values(instructors).map((i) => [i.id, i.name])),
      facilities: new Map(Object.values(facilities).map((f) => [f.id, f.name])),
    };
    for (const line of formatTimetable(week, names, local)) log(line);

    log('');
    log('== Saturday: the class runs ==');
    // 9. Maya starts her class, checks the children in (late after 10 minutes), then completes it.
    now = new Date('2030-01-12T09:55:00-05:00');
    await scheduler.sessions.start(maya, { sessionId: firstClass.id });
    const arrivals: Array<[ChildName, string]> = [
      ['Ada', '09:57'],
      ['Ben', '09:57'],
      ['Fay', '09:59'],
      ['Eli', '10:14'],
    ];
    const attendance: string[] = [];
    for (const [child, time] of arrivals) {
      const at = new Date(`2030-01-12T${time}:00-05:00`);
      now = at; // checked in as they arrive: attendance records what has happened, never a time still to come
      const booking = await scheduler.attendance.checkIn(maya, { bookingId: bookingIds.get(child)!, at });
      attendance.push(`${child} ${booking.attendanceStatus} (${local.time(at)})`);
    }
    log(`Checked in: ${attendance.join(', ')}`);
    // Completing settles every booking: attended → completed, the rest → no_show.
    now = new Date('2030-01-12T10:45:00-05:00');
    const settled = await scheduler.attendance.complete(maya, { sessionId: firstClass.id });
    const childOfBooking = new Map([...bookingIds].map(([child, id]) => [id, child]));
    log(`Class ${settled.session.status}: ${settled.completed.length} attended, no-show: ${settled.noShow.map((id) => childOfBooking.get(id)).join(', ')}`);

    log('');
    log('== Feedback ==');
    // 10. Parents rate the class they paid for; administrators see the averages.
    await scheduler.feedback.submit(parentOf('Ada'), {
      sessionId: firstClass.id,
      studentId: children.Ada.id,
      overallRating: 5,
      feedbackText: 'Ada loved the diving games',
    });
    await scheduler.feedback.submit(parentOf('Fay'), {
      sessionId: firstClass.id,
      studentId: children.Fay.id,
      overallRating: 4,
      feedbackText: 'Could Fay try the deep end next time?',
      requiresFollowUp: true,
    });
    const averages = await scheduler.feedback.averages(frontDesk, { sessionId: firstClass.id });
    log(`"${firstClass.title}" on ${local.day(firstClass.startTime)}: ${averages.feedbackCount} reviews, overall ${averages.overall.average}/5`);

    log('');
    log('== Change events ==');
    // 11. Every change since step 6 was recorded in its own transaction (also changes made
    //     in SQL outside the scheduler). The mailer claims them under a lease, handles them,
    //     and acknowledges them; an entity's events come in the order they were committed.
    const delivered: Awaited<ReturnType<typeof scheduler.events.claim>>['events'] = [];
    for (;;) {
      const { leaseId, events } = await scheduler.events.claim(system, { consumer: 'mailer', limit: 100, leaseSeconds: 60 });
      if (events.length === 0) break;
      delivered.push(...events);
      await scheduler.events.ack(system, { consumer: 'mailer', leaseId, eventIds: events.map((e) => e.id) });
    }
    const byType = new Map<string, number>();
    for (const event of delivered) byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
    log(
      `The mailer claimed ${delivered.length} events: ${[...byType]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([type, n]) => `${type} ×${n}`)
        .join(', ')}`,
    );
    const cancelled = delivered.find((e) => e.type === 'booking.cancelled')!;
    const parents = new Map(Object.entries(children).map(([name, child]) => [child.parent.id, `${name}'s parent`]));
    log(
      `First: ${cancelled.type}, ${cancelled.entity.id === cleosBooking ? "Cleo's" : 'a'} booking, by ${cancelled.operation} ` +
        `as ${cancelled.actor.kind} (${parents.get(cancelled.actor.id!) ?? cancelled.actor.id}), booking_status ${String(cancelled.changes.booking_status!.old)} → ${String(cancelled.changes.booking_status!.new)}`,
    );

    log('');
    log('== Calendar feed ==');
    // 12. An iCalendar feed a family subscribes to: one event per class in the location's
    //     zone (TZID and VTIMEZONE), stable UIDs, SEQUENCE raised on every change.
    const feed = await scheduler.calendar.feed(parentOf('Ada'), { student: children.Ada.id, from: weekStart, until: new Date('2030-04-01T00:00:00-04:00') });
    const lines = feed.ics.split(/\r?\n/);
    const firstStart = lines.find((line) => line.startsWith('DTSTART;'))!;
    log(
      `Ada's calendar (${feed.contentType}): ${feed.events} event(s), time zones ${lines
        .filter((l) => l.startsWith('TZID:'))
        .map((l) => l.slice(5))
        .join(', ')}`,
    );
    log(`First class: ${firstStart}, ${lines.find((line) => line.startsWith('SEQUENCE'))}, ${lines.find((line) => line.startsWith('STATUS'))}`);
  } finally {
    await client.close();
  }
}

if (isMainModule(import.meta.url)) {
  runQuickstart().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

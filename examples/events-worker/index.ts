/**
 * The host's notification worker: it claims the scheduler's change events as the
 * consumer `email`, turns the ones a family cares about into e-mails, and acknowledges
 * them. One delivery fails and is retried; one event is shown as a signed webhook.
 * On an in-process PGlite database, like the quickstart: `npx tsx examples/events-worker/index.ts`.
 *
 * The library sends nothing itself. Every change is recorded as an event in its own
 * transaction (docs/change-events.md); a worker like this one delivers them, at least
 * once, each entity's events in commit order.
 *
 * The output never changes: the scheduler runs on an injected clock, and nothing the
 * database's own clock decides is printed (event ids, `occurredAt`, the year in codes).
 */
import { PGlite } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { createScheduler, isSchedulingError, type Actor, type Scheduler } from '../../src';
import { migrate } from '../../src/migrate';
import { instructors, locations, parents, sessionBookings, sessionWaitlist, sessions, students } from '../../src/schema';
import { signWebhook, verifyWebhook, webhookMessageId, webhookPayload } from '../../src/webhooks';
import { localTimeFormat } from '../shared/local-time';
import { isMainModule } from '../shared/main-module';
import { type ChildName, type Person, seedSwimAcademy } from '../shared/swim-academy';

type ClaimedEvent = Awaited<ReturnType<Scheduler['events']['claim']>>['events'][number];
type ConsumerCounts = Awaited<ReturnType<Scheduler['events']['consumers']>>;
type Email = { to: string; subject: string };

/** `booking.confirmed ×6, session.scheduled ×2, waitlist.joined` */
function summarize(items: string[]): string {
  const counted = [...new Set(items)].map((item) => [item, items.filter((i) => i === item).length] as const);
  return counted.map(([item, n]) => (n > 1 ? `${item} ×${n}` : item)).join(', ');
}

/** Runs the story and returns what each consumer still owes at the end (nothing). */
export async function runEventsWorkerExample(log: (line: string) => void = console.log): Promise<{ consumers: ConsumerCounts }> {
  const client = await PGlite.create();
  const db = drizzle(client);
  try {
    // 1. Install the schema and set up the swim school (../shared/swim-academy.ts).
    const { applied } = await migrate(db);
    const academy = await seedSwimAcademy(db);
    const { location, facilities, children } = academy;
    log(`Migrated (${applied.length} migrations) and created ${location.name}`);

    let now = new Date('2030-01-07T09:00:00-05:00'); // Monday 7 January 2030, 09:00 in New York
    const scheduler = createScheduler({ db, now: () => now });
    const system: Actor = { kind: 'system' };
    const frontDesk: Actor = { kind: 'admin', userId: academy.adminUserId };
    const parentOf = (child: ChildName): Actor => ({ kind: 'parent', parentId: children[child].parent.id });

    // 2. The worker's consumer, registered once at startup, before anything happens: from
    //    now on every change owes `email` one delivery, written in the change's transaction.
    await scheduler.events.registerConsumer(system, { consumer: 'email', maxAttempts: 5 });
    log('Registered the consumer "email"');

    log('');
    log('== Changes families care about ==');
    // 3. Ordinary scheduler calls. None of them sends anything: each only records events.
    const { programId, courses, instructors: staff } = academy;
    const newClass = async (title: string, capacity: number, [date, start, end]: string[], courseId: string, facility: Person, instructor: Person) => {
      const fields = { programId, courseId, locationId: location.id, facilityId: facility.id, instructorId: instructor.id, sessionType: 'group' } as const;
      const times = { startTime: { date: date!, time: start! }, endTime: { date: date!, time: end! } };
      return (await scheduler.sessions.create(frontDesk, { ...fields, title, capacity, ...times })).session;
    };
    const saturday = await newClass('Level 1 – Saturday', 3, ['2030-01-12', '10:00', '10:45'], courses.level1, facilities.pool, staff.maya);
    const tuesday = await newClass('Level 2 – Tuesday', 4, ['2030-01-08', '17:00', '17:45'], courses.level2, facilities.lanes, staff.leo);
    const bookingIds = new Map<ChildName, string>();
    let devsEntry = '';
    for (const child of ['Ada', 'Ben', 'Cleo', 'Dev'] as const) {
      const result = await scheduler.bookings.book(parentOf(child), { sessionId: saturday.id, studentId: children[child].id });
      if (result.outcome === 'confirmed') bookingIds.set(child, result.booking.id);
      else devsEntry = result.entry.id;
    }
    log(`"${saturday.title}" booked full (Ada, Ben, Cleo); Dev waitlisted`);
    for (const child of ['Iris', 'Jack'] as const) await scheduler.bookings.book(parentOf(child), { sessionId: tuesday.id, studentId: children[child].id });
    log(`Iris and Jack booked into "${tuesday.title}"`);
    now = new Date('2030-01-08T08:00:00-05:00');
    await scheduler.bookings.cancel(parentOf('Cleo'), { bookingId: bookingIds.get('Cleo')!, type: 'student', reason: 'Ear infection' });
    log('Cleo cancelled: the place is offered to Dev');
    await scheduler.waitlist.accept(parentOf('Dev'), { waitlistId: devsEntry });
    log('Dev accepted the offer');
    now = new Date('2030-01-08T12:00:00-05:00');
    await scheduler.sessions.cancel(frontDesk, { sessionId: tuesday.id, reason: 'Lap lanes closed for repairs' });
    log(`The academy cancelled "${tuesday.title}"`);

    // 4. What an event needs to become an e-mail, read with Drizzle from `academy-scheduling/schema`:
    //    who is concerned, their address, and the class in the location's time zone.
    const whenOf = (start: Date, zone: string) => localTimeFormat(zone).dayTime(start);
    const place = async (table: typeof sessionBookings | typeof sessionWaitlist, id: string) => {
      const [row] = await db
        .select({ child: students.firstName, to: parents.email, title: sessions.title, start: sessions.startTime, zone: locations.timezone })
        .from(table)
        .innerJoin(students, eq(students.id, table.studentId))
        .innerJoin(parents, eq(parents.id, table.parentId))
        .innerJoin(sessions, eq(sessions.id, table.sessionId))
        .innerJoin(locations, eq(locations.id, sessions.locationId))
        .where(eq(table.id, id));
      return { ...row!, to: row!.to!, when: `${row!.title}, ${whenOf(row!.start, row!.zone)}` };
    };
    async function emailFor(event: ClaimedEvent): Promise<Email | null> {
      const { type: entity, id } = event.entity;
      if (entity === 'session') {
        if (event.type !== 'session.cancelled' && event.type !== 'session.rescheduled') return null; // session.scheduled, …
        // To the instructor; the families hear through their bookings' own events.
        const [s] = await db
          .select({ to: instructors.email, title: sessions.title, start: sessions.startTime, zone: locations.timezone })
          .from(sessions)
          .innerJoin(instructors, eq(instructors.id, sessions.instructorId))
          .innerJoin(locations, eq(locations.id, sessions.locationId))
          .where(eq(sessions.id, id));
        return { to: s!.to, subject: `Your class is ${event.type.split('.')[1]}: ${s!.title}, ${whenOf(s!.start, s!.zone)}` };
      }
      if (entity !== 'booking' && entity !== 'waitlist_entry') return null;
      if (event.operation === 'waitlist.accept' && event.type === 'booking.confirmed') return null; // the waitlist.promoted e-mail says it
      const p = await place(entity === 'booking' ? sessionBookings : sessionWaitlist, id);
      // The event carries the columns that changed: the academy's reason, the offer's deadline.
      const changed = (column: string) => String(event.changes[column]?.new);
      const subjects: Record<string, () => string> = {
        'booking.confirmed': () => `${p.child} is booked: ${p.when}`,
        'booking.cancelled': () =>
          event.operation === 'sessions.cancel'
            ? `Class cancelled by the academy (${changed('cancellation_reason')}): ${p.child}, ${p.when}`
            : `${p.child}'s place is cancelled: ${p.when}`,
        'waitlist.joined': () => `${p.child} is on the waitlist: ${p.when}`,
        'waitlist.offered': () => `A place for ${p.child}: ${p.when} (reply by ${whenOf(new Date(changed('response_deadline')), p.zone)})`,
        'waitlist.promoted': () => `${p.child} has the place: ${p.when}`,
      };
      const subject = subjects[event.type]?.();
      return subject ? { to: p.to, subject } : null; // attendance.recorded, …: nothing to tell
    }

    // A mail server that is busy once: the first attempt at the offer's e-mail is refused.
    let busy = true;
    const send = (event: ClaimedEvent, email: Email) => {
      if (busy && event.type === 'waitlist.offered') {
        busy = false;
        throw new Error('421 mail server busy, try again later');
      }
      log(`  To: ${email.to} | Subject: ${email.subject}`);
    };

    log('');
    log('== The e-mail worker ==');
    // 5. Claim, send, acknowledge, until nothing is due. A claim leases each event to this worker
    //    alone, and holds an entity's next event back until its earlier one is acknowledged. A worker
    //    that dies before acknowledging loses nothing: the lease runs out and the event is claimed again.
    for (let round = 1; ; round++) {
      const { leaseId, events } = await scheduler.events.claim(system, { consumer: 'email', limit: 25, leaseSeconds: 60 });
      if (events.length === 0) break;
      // Across entities a claim promises no order: sorted by code only so the printout is the same every run.
      events.sort((a, b) => (a.entity.code! < b.entity.code! ? -1 : 1));
      log(`Claim ${round}: ${summarize(events.map((e) => (e.attempt > 1 ? `${e.type} (attempt ${e.attempt})` : e.type)))}`);
      const done: string[] = [];
      const skipped: string[] = [];
      for (const event of events) {
        try {
          const email = await emailFor(event);
          if (email) send(event, email);
          else skipped.push(`${event.type} by ${event.operation}`);
          done.push(event.id); // sent, or nothing to send: either way the consumer owes it no more
        } catch (error) {
          // Any error, the lookup's or the mail server's: the event goes back to pending, to be claimed
          // again (`retryInSeconds: 0` keeps the example fast; by default it backs off 10 s, 20 s, …).
          const message = (error as Error).message;
          const { retried } = await scheduler.events.fail(system, { consumer: 'email', leaseId, eventIds: [event.id], error: message, retryInSeconds: 0 });
          log(`  ${event.type} attempt ${event.attempt} failed (${message}): ${retried.length} back to pending`);
        }
      }
      if (skipped.length > 0) log(`  No e-mail for ${summarize(skipped)}`);
      if (done.length > 0) await scheduler.events.ack(system, { consumer: 'email', leaseId, eventIds: done });
    }
    const consumers = await scheduler.events.consumers(system, {});
    for (const c of consumers) log(`Consumer "${c.name}" owes: ${c.pending} pending, ${c.leased} leased, ${c.dead} dead`);

    log('');
    log('== The same event as a webhook ==');
    // 6. The audit trail (`events.list`) finds the cancellation; signed the Standard Webhooks way.
    const { events: found } = await scheduler.events.list(system, { types: ['session.cancelled'], entityId: tuesday.id });
    const event = found[0]!;
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'; // an example secret: the subscriber gives you theirs
    const body = webhookPayload(event);
    // Signed anew on every attempt; `timestamp` is the example's clock here, `new Date()` in a real sender.
    const headers = signWebhook({ secret, id: webhookMessageId(event), timestamp: now, payload: body });
    log(`webhook-id: ${headers['webhook-id'].slice(0, 4)}<the event's id>, the same on every retry`);
    log(`webhook-timestamp: ${headers['webhook-timestamp']} (when this attempt is sent)`);
    log(`webhook-signature: v1, and ${headers['webhook-signature'].length - 3} characters of base64 HMAC-SHA256`);
    // The receiver checks the raw body against the headers (and the clock, within 5 minutes).
    const received = verifyWebhook({ secret, headers, payload: body, now }) as { type: string };
    log(`verifyWebhook: accepted, type ${received.type}`);
    try {
      verifyWebhook({ secret, headers, payload: body.replace('cancelled', 'scheduled'), now });
    } catch (error) {
      if (!isSchedulingError(error, 'INVALID_INPUT')) throw error;
      log(`verifyWebhook on a changed body: ${error.code} (${String(error.details.reason)})`);
    }
    return { consumers };
  } finally {
    await client.close();
  }
}

if (isMainModule(import.meta.url)) {
  runEventsWorkerExample().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

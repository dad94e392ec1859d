/**
 * The core booking flow against a real PostgreSQL server, through postgres.js:
 * migrate, create a class, book it full, queue a child, cancel, offer the place,
 * accept it.
 *
 *   DATABASE_URL=postgres://user@127.0.0.1:5432/mydb npx tsx examples/postgres-js/index.ts
 *
 * It adds a small academy to that database each time it runs (with unique codes, so
 * it can run again); point it at a scratch database. The role needs to create a
 * schema the first time (`migrate` installs `scheduling`).
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { createScheduler, type Actor } from '../../src';
import { migrate } from '../../src/migrate';
import { localTimeFormat } from '../shared/local-time';
import { isMainModule } from '../shared/main-module';
import { type ChildName, seedSwimAcademy } from '../shared/swim-academy';

/** What happened, for callers (and the test) to check. */
export interface PostgresJsExampleResult {
  migrationsApplied: string[];
  confirmed: ChildName[];
  waitlisted: Array<{ child: ChildName; position: number }>;
  offeredTo: ChildName;
  acceptedBookingStatus: string;
}

const HOUR = 3_600_000;

/**
 * Runs the flow on the database at `databaseUrl` and closes its connections.
 *
 * @example
 * ```ts
 * await runPostgresJsExample('postgres://postgres@127.0.0.1:5432/scratch');
 * ```
 */
export async function runPostgresJsExample(databaseUrl: string, log: (line: string) => void = console.log): Promise<PostgresJsExampleResult> {
  // `onnotice` silences the server's NOTICEs (e.g. "schema already exists, skipping").
  const client = postgres(databaseUrl, { max: 5, onnotice: () => {} });
  const db = drizzle(client);
  try {
    // Safe at every start, and from many processes at once: it takes an advisory lock.
    const { applied } = await migrate(db);
    log(applied.length ? `Migrated: ${applied.join(', ')}` : 'Schema already up to date');

    const academy = await seedSwimAcademy(db, { tag: randomUUID().slice(0, 8) });
    const { children, location } = academy;
    const local = localTimeFormat(location.timeZone);
    const scheduler = createScheduler({ db });
    const frontDesk: Actor = { kind: 'admin', userId: academy.adminUserId };
    const parentOf = (child: ChildName): Actor => ({ kind: 'parent', parentId: children[child].parent.id });

    // A class for two, a week from now on the hour (the real clock: bookings close when a class starts).
    const startTime = new Date(Math.ceil(Date.now() / HOUR) * HOUR + 7 * 24 * HOUR);
    const { session } = await scheduler.sessions.create(frontDesk, {
      programId: academy.programId,
      courseId: academy.courses.level1,
      locationId: location.id,
      facilityId: academy.facilities.pool.id,
      instructorId: academy.instructors.maya.id,
      sessionType: 'group',
      title: 'Level 1 – trial class',
      capacity: 2,
      startTime,
      endTime: new Date(startTime.getTime() + 45 * 60_000),
    });
    log(`Created "${session.title}" on ${local.dayTime(session.startTime)} (${location.timeZone}), ${session.capacity} places`);

    const confirmed: ChildName[] = [];
    const waitlisted: PostgresJsExampleResult['waitlisted'] = [];
    const bookingIds = new Map<ChildName, string>();
    for (const child of ['Ada', 'Ben', 'Cleo'] as const) {
      const booking = await scheduler.bookings.book(parentOf(child), { sessionId: session.id, studentId: children[child].id });
      if (booking.outcome === 'confirmed') {
        bookingIds.set(child, booking.booking.id);
        confirmed.push(child);
        log(`${child}: confirmed`);
      } else {
        waitlisted.push({ child, position: booking.position });
        log(`${child}: waitlisted, #${booking.position}`);
      }
    }

    // Cancelling offers the freed place to the first in the queue, in the same transaction.
    // Ben's parent is not told who that is; the notification worker (the system) is.
    await scheduler.bookings.cancel(parentOf('Ben'), { bookingId: bookingIds.get('Ben')!, type: 'student' });
    const [offer] = (await scheduler.notifications.claim({ kind: 'system' }, {})).filter((note) => note.kind === 'offer');
    if (!offer) throw new Error('the freed place was not offered');
    const offeredTo = (Object.keys(children) as ChildName[]).find((name) => children[name].id === offer.student.id)!;
    log(`Ben cancelled: the place is offered to ${offeredTo} until ${local.dayTime(offer.responseDeadline!)}`);

    const { booking } = await scheduler.waitlist.accept(parentOf(offeredTo), { waitlistId: offer.id });
    log(`${offeredTo} accepted: booking ${booking.bookingStatus}`);
    return { migrationsApplied: applied, confirmed, waitlisted, offeredTo, acceptedBookingStatus: booking.bookingStatus };
  } finally {
    await client.end();
  }
}

if (isMainModule(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('Set DATABASE_URL to a PostgreSQL database to run this example, e.g.');
    console.error('  DATABASE_URL=postgres://postgres@127.0.0.1:5432/scratch npx tsx examples/postgres-js/index.ts');
    console.error('(`npm run demo` runs the full quickstart with no database at all.)');
    process.exit(1);
  }
  runPostgresJsExample(url).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

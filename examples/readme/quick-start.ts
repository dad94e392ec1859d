/**
 * The README's quick start, kept here so `npm run typecheck` proves it compiles. The
 * README imports from the package (`academy-scheduling`, `academy-scheduling/migrate`);
 * this copy imports the same modules from `src`. The README's block itself is run, as
 * written, by test/service/scheduler/readme-quick-start.test.ts.
 */
import postgres from 'postgres';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePostgresJs } from 'drizzle-orm/postgres-js';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import * as schema from '../../src/schema';
import { createScheduler, isSchedulingError } from '../../src';
import { migrate } from '../../src/migrate';
import { createTestDatabase } from '../../src/testing';

/** README: "Other drivers" — one of these three. */
export function connectNodePostgres() {
  return drizzleNodePostgres(new pg.Pool({ connectionString: process.env.DATABASE_URL }), { schema });
}
export async function connectPglite() {
  return drizzlePglite(await PGlite.create('./pgdata'), { schema }); // or PGlite.create() for in-memory
}

/** README: "Quick start", the whole program. */
export async function quickStart() {
  const client = postgres(process.env.DATABASE_URL!);
  const db = drizzlePostgresJs(client, { schema });
  try {
    await migrate(db); // idempotent; safe from many processes at once
    const scheduler = createScheduler({ db });

    // Nobody is an administrator yet: the system creates the first one's user.
    const office = await scheduler.academy.createUser({ kind: 'system' }, { email: 'office@dolphins.example', fullName: 'Front desk', role: 'admin' });
    const admin = { kind: 'admin', userId: office.id } as const; // actor.userId: a row of scheduling.users

    const location = await scheduler.academy.createLocation(admin, { code: 'LDN', name: 'Dolphins London', timeZone: 'Europe/London' });
    const pool = await scheduler.academy.createFacility(admin, { locationId: location.id, code: 'LDN-POOL', name: 'Teaching pool', capacity: 12 });
    const maya = await scheduler.academy.createInstructor(admin, { email: 'maya@dolphins.example', firstName: 'Maya', lastName: 'Ortiz' });
    const swimming = await scheduler.academy.createProgram(admin, { code: 'SWIM', name: 'Swimming' });
    const level1 = await scheduler.academy.createCourse(admin, { programId: swimming.id, code: 'SWIM-L1', name: 'Learn to swim, level 1' });
    const grace = await scheduler.academy.createParent(admin, { firstName: 'Grace', lastName: 'Okafor', email: 'grace@example.com' });
    const ada = await scheduler.academy.createStudent(admin, { firstName: 'Ada', lastName: 'Okafor', dateOfBirth: '2022-05-14' });
    // A parent acts only for the students linked to them in parent_students.
    await scheduler.academy.linkParentStudent(admin, { parentId: grace.id, studentId: ada.id });

    const { session } = await scheduler.sessions.create(admin, {
      programId: swimming.id,
      courseId: level1.id,
      locationId: location.id,
      facilityId: pool.id,
      instructorId: maya.id,
      sessionType: 'group',
      title: 'Level 1 swim',
      startTime: new Date('2030-03-09T10:00:00Z'),
      endTime: new Date('2030-03-09T10:45:00Z'),
    }); // capacity defaults to the policy maximum for the type (5 for group), or the room size if smaller

    const parent = { kind: 'parent', parentId: grace.id } as const;
    try {
      const result = await scheduler.bookings.book(parent, { sessionId: session.id, studentId: ada.id });
      if (result.outcome === 'confirmed') console.log(`Booked ${ada.firstName} into "${session.title}": ${result.booking.bookingStatus}`);
      else console.log(`Number ${result.position} on the waitlist`);
    } catch (error) {
      if (isSchedulingError(error, 'ALREADY_BOOKED')) console.log('Already booked');
      else throw error;
    }

    const upcoming = await scheduler.bookings.upcomingForStudent(parent, { studentId: ada.id });
    for (const { session: s } of upcoming) {
      const when = s.startTime.toLocaleString('en-GB', { timeZone: location.timezone, dateStyle: 'full', timeStyle: 'short' });
      console.log(`${s.title}: ${when} (${location.timezone}), ${s.currentBookings} of ${s.capacity} places taken`);
    }
  } finally {
    await client.end(); // let the process exit
  }
}

/** README: "In tests". */
export async function inTests() {
  const { db, close } = await createTestDatabase(); // migrated, isolated, in-process
  const scheduler = createScheduler({ db });
  await close();
  return scheduler;
}

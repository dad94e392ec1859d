/**
 * The README's quick start, kept here so `npm run typecheck` proves it compiles.
 * Nothing runs it. The README imports from the package (`academy-scheduling`,
 * `academy-scheduling/migrate`); this copy imports the same modules from `src`.
 */
import postgres from 'postgres';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePostgresJs } from 'drizzle-orm/postgres-js';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { createScheduler, isSchedulingError, type AnyPgDatabase } from '../../src';
import { migrate } from '../../src/migrate';
import { createTestDatabase } from '../../src/testing';

// Ids your application already has (its own users, students, …).
declare const frontDeskUserId: string;
declare const parentId: string;
declare const studentId: string;
declare const ids: { programId: string; courseId: string; locationId: string; facilityId: string; instructorId: string };

/** README: "Connect" — one of these three. */
export function connectPostgresJs() {
  return drizzlePostgresJs(postgres(process.env.DATABASE_URL!));
}
export function connectNodePostgres() {
  return drizzleNodePostgres(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
}
export async function connectPglite() {
  return drizzlePglite(await PGlite.create('./pgdata')); // or PGlite.create() for in-memory
}

/** README: "Schedule and book". */
export async function quickStart(db: AnyPgDatabase) {
  await migrate(db); // idempotent; safe from many processes at once

  const scheduler = createScheduler({ db });
  const admin = { kind: 'admin', userId: frontDeskUserId } as const;

  const { session } = await scheduler.sessions.create(admin, {
    ...ids, // programId, courseId, locationId, facilityId, instructorId
    sessionType: 'group',
    title: 'Swim club',
    capacity: 5,
    startTime: new Date('2030-01-15T15:00:00Z'),
    endTime: new Date('2030-01-15T16:00:00Z'),
  });

  try {
    const result = await scheduler.bookings.book({ kind: 'parent', parentId }, { sessionId: session.id, studentId });
    if (result.outcome === 'waitlisted') console.log(`Number ${result.position} on the waitlist`);
  } catch (error) {
    if (isSchedulingError(error, 'ALREADY_BOOKED')) console.log('Already booked');
    else throw error;
  }
}

/** README: "In tests". */
export async function inTests() {
  const { db, close } = await createTestDatabase(); // migrated, isolated, in-process
  const scheduler = createScheduler({ db });
  await close();
  return scheduler;
}

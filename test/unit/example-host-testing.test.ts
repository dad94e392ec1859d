/**
 * The sample in examples/host-testing/README.md: how an application tests its own
 * booking code against the real schema and triggers, with no database server.
 * In an application the imports are `academy-scheduling`, `academy-scheduling/schema`
 * and `academy-scheduling/testing`.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createScheduler, isSchedulingError, type Actor, type Scheduler } from '../../src';
import * as schema from '../../src/schema';
import { createTestDatabase, type TestDatabase } from '../../src/testing';

let database: TestDatabase;
let scheduler: Scheduler;
let admin: Actor;
let sessionId: string;
let studentIds: string[];

beforeEach(async () => {
  // A fresh, migrated, in-process database per test; later ones start from a snapshot.
  database = await createTestDatabase();
  const { db } = database;
  scheduler = createScheduler({ db, now: () => new Date('2030-01-01T12:00:00Z') });

  // The rows your application owns: who is acting, and what is being scheduled.
  const [user] = await db.insert(schema.users).values({ email: 'office@example.com' }).returning();
  const [program] = await db.insert(schema.programs).values({ code: 'SWIM', name: 'Swimming' }).returning();
  const [course] = await db.insert(schema.courses).values({ programId: program!.id, code: 'L1', name: 'Level 1' }).returning();
  const [location] = await db.insert(schema.locations).values({ code: 'MAIN', name: 'Main pool', timezone: 'Europe/London' }).returning();
  const [pool] = await db.insert(schema.facilities).values({ locationId: location!.id, code: 'POOL', name: 'Pool' }).returning();
  const students = await db
    .insert(schema.students)
    .values([
      { firstName: 'Ada', lastName: 'L' },
      { firstName: 'Ben', lastName: 'M' },
    ])
    .returning();
  admin = { kind: 'admin', userId: user!.id };
  studentIds = students.map((s) => s.id);

  const { session } = await scheduler.sessions.create(admin, {
    programId: program!.id,
    courseId: course!.id,
    locationId: location!.id,
    facilityId: pool!.id,
    sessionType: 'group',
    title: 'Level 1',
    capacity: 1,
    startTime: new Date('2030-01-15T17:00:00Z'),
    endTime: new Date('2030-01-15T18:00:00Z'),
  });
  sessionId = session.id;
});

afterEach(async () => database.close());

it('books the last place, then queues the next child', async () => {
  const first = await scheduler.bookings.book(admin, { sessionId, studentId: studentIds[0]! });
  expect(first.outcome).toBe('confirmed');

  const second = await scheduler.bookings.book(admin, { sessionId, studentId: studentIds[1]! });
  expect(second).toMatchObject({ outcome: 'waitlisted', position: 1 });
});

it('refuses to book the same child twice, with a code to branch on', async () => {
  await scheduler.bookings.book(admin, { sessionId, studentId: studentIds[0]! });
  const error = await scheduler.bookings.book(admin, { sessionId, studentId: studentIds[0]! }).catch((e: unknown) => e);
  expect(isSchedulingError(error, 'ALREADY_BOOKED')).toBe(true);
});

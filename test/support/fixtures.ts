/** A small academy to test against: one location, facilities, instructors, students. */
import { and, eq, inArray } from 'drizzle-orm';
import * as s from '../../src/schema';
import type { TestDb } from './database';

export interface Academy {
  adminId: string;
  programId: string;
  courseId: string;
  locationId: string;
  timeZone: string;
  poolId: string;
  lanesId: string;
  instructorIds: string[];
  studentIds: string[];
  parentId: string;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

export async function seedAcademy(db: TestDb, options: { students?: number; timeZone?: string } = {}): Promise<Academy> {
  const timeZone = options.timeZone ?? 'America/New_York';
  const [admin] = await db.insert(s.users).values({ email: `${unique('admin')}@academy.test`, fullName: 'Admin', role: 'admin' }).returning();
  const [program] = await db.insert(s.programs).values({ code: unique('SWIM'), name: 'Swimming' }).returning();
  const [course] = await db.insert(s.courses).values({ code: unique('SWIM-CLUB'), name: 'Swim club', programId: program!.id }).returning();
  const [location] = await db.insert(s.locations).values({ code: unique('MAIN'), name: 'Main', timezone: timeZone }).returning();
  const [pool] = await db
    .insert(s.facilities)
    .values({ code: unique('POOL'), name: 'Pool', locationId: location!.id, capacity: 40 })
    .returning();
  const [lanes] = await db
    .insert(s.facilities)
    .values({ code: unique('LANES'), name: 'Lanes', locationId: location!.id, maxConcurrentSessions: 3 })
    .returning();
  const instructors = await db
    .insert(s.instructors)
    .values([0, 1, 2].map((i) => ({ email: `${unique('coach')}@academy.test`, firstName: `Coach${i}`, lastName: 'Test' })))
    .returning();
  const studentCount = options.students ?? 6;
  const students = studentCount
    ? await db
        .insert(s.students)
        .values(Array.from({ length: studentCount }, (_, i) => ({ firstName: `Kid${i}`, lastName: `Family${i}` })))
        .returning()
    : [];
  const [parent] = await db.insert(s.parents).values({ firstName: 'Pat', lastName: 'Parent', email: `${unique('p')}@x.test` }).returning();
  return {
    adminId: admin!.id,
    programId: program!.id,
    courseId: course!.id,
    locationId: location!.id,
    timeZone,
    poolId: pool!.id,
    lanesId: lanes!.id,
    instructorIds: instructors.map((i) => i.id),
    studentIds: students.map((st) => st.id),
    parentId: parent!.id,
  };
}

/** Values for a session insert; override what the test is about. */
export function sessionValues(academy: Academy, overrides: Partial<typeof s.sessions.$inferInsert> = {}): typeof s.sessions.$inferInsert {
  return {
    programId: academy.programId,
    courseId: academy.courseId,
    locationId: academy.locationId,
    facilityId: academy.poolId,
    instructorId: academy.instructorIds[0],
    sessionType: 'group',
    title: 'Swim club',
    startTime: new Date('2030-01-15T15:00:00Z'),
    endTime: new Date('2030-01-15T16:00:00Z'),
    capacity: 5,
    createdBy: academy.adminId,
    ...overrides,
  };
}

export async function insertSession(db: TestDb, academy: Academy, overrides: Partial<typeof s.sessions.$inferInsert> = {}) {
  const [row] = await db.insert(s.sessions).values(sessionValues(academy, overrides)).returning();
  return row!;
}

export async function sessionById(db: TestDb, id: string) {
  const [row] = await db.select().from(s.sessions).where(eq(s.sessions.id, id));
  return row!;
}

/** Runs `fn` and returns the error it throws, failing if it does not. */
export async function errorOf(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** A session's confirmed bookings (student ids) and its active waitlist entries in queue order. */
export async function confirmedAndQueue(db: TestDb, sessionId: string) {
  const confirmed = await db
    .select({ studentId: s.sessionBookings.studentId })
    .from(s.sessionBookings)
    .where(and(eq(s.sessionBookings.sessionId, sessionId), eq(s.sessionBookings.bookingStatus, 'confirmed')));
  const queue = await db
    .select()
    .from(s.sessionWaitlist)
    .where(and(eq(s.sessionWaitlist.sessionId, sessionId), inArray(s.sessionWaitlist.status, ['waiting', 'notified', 'offered'])))
    .orderBy(s.sessionWaitlist.position);
  return { confirmed, queue };
}

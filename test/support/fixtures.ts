/**
 * A small academy to test against (one location, facilities, instructors, students),
 * and the rows and inputs tests make for it.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import * as s from '../../src/schema';
import { queryRows } from '../../src/db/query';
import type { CreateSessionInput } from '../../src';
import type { TestDb } from './database';
import { at } from './time';

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
  const [admin] = await db
    .insert(s.users)
    .values({ email: `${unique('admin')}@academy.test`, fullName: 'Admin', role: 'admin' })
    .returning();
  const [program] = await db
    .insert(s.programs)
    .values({ code: unique('SWIM'), name: 'Swimming' })
    .returning();
  const [course] = await db
    .insert(s.courses)
    .values({ code: unique('SWIM-CLUB'), name: 'Swim club', programId: program!.id })
    .returning();
  const [location] = await db
    .insert(s.locations)
    .values({ code: unique('MAIN'), name: 'Main', timezone: timeZone })
    .returning();
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
  const [parent] = await db
    .insert(s.parents)
    .values({ firstName: 'Pat', lastName: 'Parent', email: `${unique('p')}@x.test` })
    .returning();
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

/** Input of sessions.create for the seeded academy; override what the test is about. */
export function createInput(academy: Academy, overrides: Partial<CreateSessionInput> = {}): CreateSessionInput {
  return {
    programId: academy.programId,
    courseId: academy.courseId,
    locationId: academy.locationId,
    facilityId: academy.poolId,
    instructorId: academy.instructorIds[0]!,
    sessionType: 'group',
    title: 'Swim club',
    startTime: at('2030-01-15T15:00:00Z'),
    endTime: at('2030-01-15T16:00:00Z'),
    ...overrides,
  };
}

/** Books a student into a session directly in SQL, past the scheduler; returns the booking's id. */
export async function book(db: TestDb, sessionId: string, studentId: string, options: { status?: string; amount?: string } = {}) {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO scheduling.session_bookings (session_id, student_id, booking_status, amount_charged)
        VALUES (${sessionId}, ${studentId}, ${options.status ?? 'confirmed'}, ${options.amount ?? null}) RETURNING id`,
  );
  return row!.id;
}

/** A facility with the given size and concurrency at the academy's location; returns its id. */
export async function addFacility(db: TestDb, academy: Academy, values: { capacity?: number; maxConcurrentSessions?: number } = {}) {
  const [row] = await db
    .insert(s.facilities)
    .values({ code: `ROOM-${Math.random().toString(36).slice(2)}`, name: 'Room', locationId: academy.locationId, ...values })
    .returning();
  return row!.id;
}

/**
 * The fixtures of `fixtures.ts` for an academy in any schema (one made by
 * `migrate(db, { schema })`): the same academy, sessions and reads, written through
 * `academyTables(schema)` instead of the default `scheduling` tables.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { academyTables } from '../../src/schema';
import type { TestDb } from './database';
import { type Academy, sessionValues } from './fixtures';

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

/** `seedAcademy`, in the academy schema `schema`: the same rows, with ids of that schema. */
export async function seedAcademyIn(db: TestDb, schema: string, options: { students?: number; timeZone?: string } = {}): Promise<Academy> {
  const t = academyTables(schema);
  const timeZone = options.timeZone ?? 'America/New_York';
  const [admin] = await db
    .insert(t.users)
    .values({ email: `${unique('admin')}@${schema}.test`, fullName: 'Admin', role: 'admin' })
    .returning();
  const [program] = await db
    .insert(t.programs)
    .values({ code: unique('SWIM'), name: 'Swimming' })
    .returning();
  const [course] = await db
    .insert(t.courses)
    .values({ code: unique('SWIM-CLUB'), name: 'Swim club', programId: program!.id })
    .returning();
  const [location] = await db
    .insert(t.locations)
    .values({ code: unique('MAIN'), name: 'Main', timezone: timeZone })
    .returning();
  const [pool] = await db
    .insert(t.facilities)
    .values({ code: unique('POOL'), name: 'Pool', locationId: location!.id, capacity: 40 })
    .returning();
  const [lanes] = await db
    .insert(t.facilities)
    .values({ code: unique('LANES'), name: 'Lanes', locationId: location!.id, maxConcurrentSessions: 3 })
    .returning();
  const instructors = await db
    .insert(t.instructors)
    .values([0, 1, 2].map((i) => ({ email: `${unique('coach')}@${schema}.test`, firstName: `Coach${i}`, lastName: 'Test' })))
    .returning();
  const studentCount = options.students ?? 6;
  const students = studentCount
    ? await db
        .insert(t.students)
        .values(Array.from({ length: studentCount }, (_, i) => ({ firstName: `Kid${i}`, lastName: `Family${i}` })))
        .returning()
    : [];
  const [parent] = await db
    .insert(t.parents)
    .values({ firstName: 'Pat', lastName: 'Parent', email: `${unique('p')}@${schema}.test` })
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

type SessionInsert = ReturnType<typeof academyTables>['sessions']['$inferInsert'];

/** `insertSession`, in the academy schema `schema`. */
export async function insertSessionIn(db: TestDb, schema: string, academy: Academy, overrides: Partial<SessionInsert> = {}) {
  const t = academyTables(schema);
  const [row] = await db.insert(t.sessions).values(sessionValues(academy, overrides)).returning();
  return row!;
}

/** `sessionById`, in the academy schema `schema`. */
export async function sessionByIdIn(db: TestDb, schema: string, id: string) {
  const t = academyTables(schema);
  const [row] = await db.select().from(t.sessions).where(eq(t.sessions.id, id));
  return row!;
}

/** `confirmedAndQueue`, in the academy schema `schema`: confirmed student ids and the active queue in order. */
export async function confirmedAndQueueIn(db: TestDb, schema: string, sessionId: string) {
  const t = academyTables(schema);
  const confirmed = await db
    .select({ studentId: t.sessionBookings.studentId })
    .from(t.sessionBookings)
    .where(and(eq(t.sessionBookings.sessionId, sessionId), eq(t.sessionBookings.bookingStatus, 'confirmed')));
  const queue = await db
    .select()
    .from(t.sessionWaitlist)
    .where(and(eq(t.sessionWaitlist.sessionId, sessionId), inArray(t.sessionWaitlist.status, ['waiting', 'notified', 'offered'])))
    .orderBy(t.sessionWaitlist.position);
  return { confirmed, queue };
}

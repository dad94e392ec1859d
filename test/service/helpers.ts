/** Shared helpers of the service tests. */
import { sql } from 'drizzle-orm';
import * as s from '../../src/schema';
import { queryRows } from '../../src/db/query';
import type { Actor } from '../../src/service/kernel/types';
import type { CreateSessionInput } from '../../src/service/sessions/inputs';
import type { TestDb } from '../support/database';
import type { Academy } from '../support/fixtures';

export const at = (iso: string) => new Date(iso);

export const adminOf = (academy: Academy): Actor => ({ kind: 'admin', userId: academy.adminId });

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

/** Row counts of the tables a refused call must leave untouched. */
export async function rowCounts(db: TestDb) {
  const [row] = await queryRows<{ sessions: number; conflicts: number; bookings: number; availability: number; patterns: number }>(
    db,
    sql`SELECT (SELECT count(*)::int FROM scheduling.sessions) AS sessions,
               (SELECT count(*)::int FROM scheduling.schedule_conflicts) AS conflicts,
               (SELECT count(*)::int FROM scheduling.session_bookings) AS bookings,
               (SELECT count(*)::int FROM scheduling.instructor_availability) AS availability,
               (SELECT count(*)::int FROM scheduling.recurring_patterns) AS patterns`,
  );
  return row!;
}

/** Books a student into a session directly (the booking service is another part). */
export async function book(db: TestDb, sessionId: string, studentId: string, options: { status?: string; amount?: string } = {}) {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO scheduling.session_bookings (session_id, student_id, booking_status, amount_charged)
        VALUES (${sessionId}, ${studentId}, ${options.status ?? 'confirmed'}, ${options.amount ?? null}) RETURNING id`,
  );
  return row!.id;
}

/** A facility with the given size and concurrency at the academy's location. */
export async function addFacility(db: TestDb, academy: Academy, values: { capacity?: number; maxConcurrentSessions?: number } = {}) {
  const [row] = await db
    .insert(s.facilities)
    .values({ code: `ROOM-${Math.random().toString(36).slice(2)}`, name: 'Room', locationId: academy.locationId, ...values })
    .returning();
  return row!.id;
}

/**
 * The five guarantees the database keeps by itself, proven with many simultaneous
 * connections on the real server (PGlite has one connection, so it cannot race).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { and, eq, sql } from 'drizzle-orm';
import * as s from '../../src/schema';
import { useTestDatabase } from '../support/database';
import { type Academy, seedAcademy, sessionValues } from '../support/fixtures';
import { at } from '../support/time';
import { race } from '../support/race';

const CONNECTIONS = 50;
const database = useTestDatabase();
let pool: ReturnType<typeof postgres>;
let db: ReturnType<typeof drizzle<typeof s>>;
let academy: Academy;

beforeAll(async () => {
  pool = postgres(database.url!, { max: CONNECTIONS, onnotice: () => {} });
  db = drizzle(pool, { schema: s });
  academy = await seedAcademy(database.db, { students: 60 });
});
afterAll(async () => pool.end());

async function roomyFacility(): Promise<string> {
  const [f] = await db
    .insert(s.facilities)
    .values({ code: `HALL-${Math.random()}`, name: 'Hall', locationId: academy.locationId, maxConcurrentSessions: 50 })
    .returning();
  return f!.id;
}

describe(`database guarantees under ${CONNECTIONS} concurrent connections`, () => {
  it('1. confirmed bookings never exceed capacity: 50 bookings for 5 places -> exactly 5', async () => {
    const [session] = await db
      .insert(s.sessions)
      .values(sessionValues(academy, { instructorId: null }))
      .returning();
    const { tally: outcome } = await race(50, (i) => db.insert(s.sessionBookings).values({ sessionId: session!.id, studentId: academy.studentIds[i]! }), {
      warm: pool,
      mapRaw: true,
    });
    expect(outcome).toEqual({ ok: 5, CAPACITY_EXCEEDED: 45 });
    const [row] = await db.select().from(s.sessions).where(eq(s.sessions.id, session!.id));
    const confirmed = await db
      .select()
      .from(s.sessionBookings)
      .where(and(eq(s.sessionBookings.sessionId, session!.id), eq(s.sessionBookings.bookingStatus, 'confirmed')));
    expect(row!.currentBookings).toBe(5);
    expect(confirmed).toHaveLength(5);
  });

  it('2. an instructor is never in overlapping active sessions beyond their limit (1, then 2)', async () => {
    const hall = await roomyFacility();
    const instructor = academy.instructorIds[0]!;
    const { tally: one } = await race(
      30,
      (i) =>
        db.insert(s.sessions).values(
          sessionValues(academy, {
            instructorId: instructor,
            facilityId: hall,
            startTime: at(`2031-03-01T10:${String(i).padStart(2, '0')}:00Z`),
            endTime: at('2031-03-01T11:30:00Z'),
          }),
        ),
      { warm: pool, mapRaw: true },
    );
    expect(one).toEqual({ ok: 1, INSTRUCTOR_DOUBLE_BOOKED: 29 });

    await db.update(s.instructors).set({ maxConcurrentSessions: 2 }).where(eq(s.instructors.id, academy.instructorIds[1]!));
    const { tally: two } = await race(
      30,
      () =>
        db.insert(s.sessions).values(
          sessionValues(academy, {
            instructorId: academy.instructorIds[1],
            facilityId: hall,
            startTime: at('2031-03-02T10:00:00Z'),
            endTime: at('2031-03-02T11:00:00Z'),
          }),
        ),
      { warm: pool, mapRaw: true },
    );
    expect(two).toEqual({ ok: 2, INSTRUCTOR_DOUBLE_BOOKED: 28 });
  });

  it('3. a facility never holds more overlapping active sessions than it allows (3)', async () => {
    const { tally: outcome } = await race(
      30,
      () =>
        db.insert(s.sessions).values(
          sessionValues(academy, {
            instructorId: null,
            facilityId: academy.lanesId,
            startTime: at('2031-03-03T10:00:00Z'),
            endTime: at('2031-03-03T11:00:00Z'),
          }),
        ),
      { warm: pool, mapRaw: true },
    );
    expect(outcome).toEqual({ ok: 3, FACILITY_OVERLAP: 27 });
  });

  it('4. a student is never confirmed in two overlapping active sessions', async () => {
    const hall = await roomyFacility();
    const sessions = await db
      .insert(s.sessions)
      .values(
        Array.from({ length: 30 }, () =>
          sessionValues(academy, { instructorId: null, facilityId: hall, startTime: at('2031-03-04T10:00:00Z'), endTime: at('2031-03-04T11:00:00Z') }),
        ),
      )
      .returning();
    const student = academy.studentIds[59]!;
    const { tally: outcome } = await race(30, (i) => db.insert(s.sessionBookings).values({ sessionId: sessions[i]!.id, studentId: student }), {
      warm: pool,
      mapRaw: true,
    });
    expect(outcome).toEqual({ ok: 1, STUDENT_CONFLICT: 29 });
  });

  it('5. every session capacity stays within its type policy, even while the policy changes', async () => {
    const hall = await roomyFacility();
    const { tally: outcome } = await race(
      25,
      (i) =>
        i === 12
          ? db.update(s.capacityPolicies).set({ maxCapacity: 4 }).where(eq(s.capacityPolicies.sessionType, 'group'))
          : db.insert(s.sessions).values(
              sessionValues(academy, {
                instructorId: null,
                facilityId: hall,
                capacity: 5,
                startTime: at(`2031-04-${String(i + 1).padStart(2, '0')}T10:00:00Z`),
                endTime: at(`2031-04-${String(i + 1).padStart(2, '0')}T11:00:00Z`),
              }),
            ),
      { warm: pool, mapRaw: true },
    );
    expect((outcome.ok ?? 0) + (outcome.CAPACITY_POLICY_VIOLATION ?? 0)).toBe(25);
    const outside = await db.execute(sql`
      SELECT count(*)::int AS n FROM scheduling.sessions s JOIN scheduling.capacity_policies p USING (session_type)
      WHERE s.status IN ('scheduled', 'in_progress', 'postponed') AND (s.capacity < p.min_capacity OR s.capacity > p.max_capacity)`);
    expect(outside[0]!.n).toBe(0);
  });

  it('an administrator override is recorded, not silently allowed, also under concurrency', async () => {
    const hall = await roomyFacility();
    const instructor = academy.instructorIds[2]!;
    const { tally: outcome } = await race(
      20,
      (i) =>
        db.transaction(async (tx) => {
          if (i < 2) await tx.execute(sql`SET LOCAL scheduling.allow_conflicts = on`);
          await tx.insert(s.sessions).values(
            sessionValues(academy, {
              instructorId: instructor,
              facilityId: hall,
              startTime: at('2031-05-01T10:00:00Z'),
              endTime: at('2031-05-01T11:00:00Z'),
            }),
          );
        }),
      { warm: pool, mapRaw: true },
    );
    // Two overrides always get in; of the rest, only one can (if it ran before both overrides).
    expect(outcome.ok).toBeGreaterThanOrEqual(2);
    expect(outcome.ok).toBeLessThanOrEqual(3);
    const created = await db
      .select()
      .from(s.sessions)
      .where(and(eq(s.sessions.instructorId, instructor), eq(s.sessions.startTime, at('2031-05-01T10:00:00Z'))));
    const overrides = await db.select().from(s.scheduleConflicts).where(eq(s.scheduleConflicts.instructorId, instructor));
    expect(overrides.length).toBeGreaterThanOrEqual(created.length - 1);
    expect(overrides.every((c) => c.status === 'resolved' && c.resolutionMethod === 'manual_override')).toBe(true);
  });
});

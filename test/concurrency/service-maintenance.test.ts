/**
 * Makeups and archiving under real concurrency (real server only): the original
 * booking's row lock must let exactly one makeup through, and concurrent archivers
 * must neither lose nor duplicate a booking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { eq, inArray, sql } from 'drizzle-orm';
import * as s from '../../src/schema';
import { createScheduler } from '../../src';
import { queryRows } from '../../src/db/query';
import { useTestDatabase } from '../support/database';
import { type Academy, insertSession, seedAcademy, book } from '../support/fixtures';
import { at } from '../support/time';
import { race } from '../support/race';

const CONNECTIONS = 25;
const database = useTestDatabase();
let pool: ReturnType<typeof postgres>;
let academy: Academy;

beforeAll(async () => {
  pool = postgres(database.url!, { max: CONNECTIONS, onnotice: () => {} });
  academy = await seedAcademy(database.db, { students: 20 });
});
afterAll(async () => pool.end());

const lanes = (start: Date, overrides: Partial<typeof s.sessions.$inferInsert> = {}) =>
  insertSession(database.db, academy, {
    instructorId: null,
    facilityId: academy.lanesId,
    startTime: start,
    endTime: new Date(start.getTime() + 1_800_000),
    ...overrides,
  });

describe(`maintenance and makeups under ${CONNECTIONS} concurrent connections`, () => {
  it('racing makeups for one missed booking, each into a different session: exactly one is booked', async () => {
    const scheduler = createScheduler({ db: drizzle(pool, { schema: s }) });
    const original = await lanes(at('2032-01-01T10:00:00Z'));
    const missed = await book(database.db, original.id, academy.studentIds[0]!, { status: 'no_show' });
    const targets: Array<typeof s.sessions.$inferSelect> = [];
    for (let i = 0; i < CONNECTIONS; i++) targets.push(await lanes(new Date(at('2032-01-02T00:00:00Z').getTime() + i * 1_800_000)));
    const admin = { kind: 'admin' as const, userId: academy.adminId };
    const { tally: outcome } = await race(CONNECTIONS, (i) => scheduler.makeups.book(admin, { originalBookingId: missed, sessionId: targets[i]!.id }), {
      warm: pool,
    });
    expect(outcome).toEqual({ ok: 1, INVALID_STATE: CONNECTIONS - 1 });
    const makeups = await database.db.select().from(s.sessionBookings).where(eq(s.sessionBookings.originalSessionId, original.id));
    expect(makeups).toHaveLength(1);
    const counts = await queryRows<{ n: number }>(
      database.db,
      sql`SELECT sum(current_bookings)::int AS n FROM scheduling.sessions WHERE id IN (${sql.join(
        targets.map((t) => sql`${t.id}::uuid`),
        sql`, `,
      )})`,
    );
    expect(counts[0]!.n).toBe(1);
  });

  it('concurrent archive runs move every old booking exactly once', async () => {
    const sessions: Array<typeof s.sessions.$inferSelect> = [];
    for (let i = 0; i < 20; i++) sessions.push(await lanes(new Date(at('2027-06-01T10:00:00Z').getTime() + i * 86_400_000)));
    const ids = sessions.map((x) => sql`${x.id}::uuid`);
    // 400 bookings: one confirmed per session (so deletes also move current_bookings), the rest completed.
    await database.db.execute(
      sql`INSERT INTO scheduling.session_bookings (session_id, student_id, booking_status, created_at)
          SELECT se.id, st.id, CASE WHEN st.id = ${academy.studentIds[0]!}::uuid THEN 'confirmed' ELSE 'completed' END, '2027-01-01T00:00:00Z'
          FROM scheduling.sessions se CROSS JOIN scheduling.students st
          WHERE se.id IN (${sql.join(ids, sql`, `)}) AND st.id IN (${sql.join(
            academy.studentIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`,
    );
    await database.db
      .update(s.sessions)
      .set({ status: 'completed' })
      .where(
        inArray(
          s.sessions.id,
          sessions.map((x) => x.id),
        ),
      );
    const old = (
      await database.db
        .select({ id: s.sessionBookings.id })
        .from(s.sessionBookings)
        .where(
          inArray(
            s.sessionBookings.sessionId,
            sessions.map((x) => x.id),
          ),
        )
    )
      .map((r) => r.id)
      .sort();
    expect(old).toHaveLength(400);

    const scheduler = createScheduler({ db: drizzle(pool, { schema: s }), maxRetries: 10 });
    const { tally: outcome, values } = await race(
      CONNECTIONS,
      () => scheduler.maintenance.archiveBookings({ kind: 'system' }, { olderThan: at('2028-01-01T00:00:00Z'), batchSize: 7 }),
      { warm: pool },
    );
    expect(outcome).toEqual({ ok: CONNECTIONS });
    expect(values.reduce((sum, v) => sum + v.archived, 0)).toBe(400);
    expect(values.reduce((sum, v) => sum + v.alreadyArchived, 0)).toBe(0);

    const archived = (
      await database.db.select({ id: s.sessionBookingsArchive.id }).from(s.sessionBookingsArchive).where(inArray(s.sessionBookingsArchive.id, old))
    )
      .map((r) => r.id)
      .sort();
    expect(archived).toEqual(old);
    expect(await database.db.select().from(s.sessionBookings).where(inArray(s.sessionBookings.id, old))).toEqual([]);
    expect(await scheduler.maintenance.verifyIntegrity({ kind: 'system' }, {})).toEqual([]);
  });
});

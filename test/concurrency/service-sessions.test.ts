/**
 * The scheduler under real concurrency (real server only): its pre-checks cannot see
 * uncommitted rows, so the database triggers must catch the races and the service
 * must still report them with the same typed code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { eq } from 'drizzle-orm';
import * as s from '../../src/schema';
import { createScheduler, type SessionRow } from '../../src';
import { useTestDatabase } from '../support/database';
import { type Academy, seedAcademy, createInput } from '../support/fixtures';
import { adminOf } from '../support/actors';
import { at } from '../support/time';
import { race } from '../support/race';

const CONNECTIONS = 25;
const database = useTestDatabase();
let pool: ReturnType<typeof postgres>;
let academy: Academy;

beforeAll(async () => {
  pool = postgres(database.url!, { max: CONNECTIONS, onnotice: () => {} });
  academy = await seedAcademy(database.db);
});
afterAll(async () => pool.end());

describe(`scheduler.sessions under ${CONNECTIONS} concurrent connections`, () => {
  it('racing creates of overlapping sessions for one instructor: exactly one succeeds, the rest INSTRUCTOR_DOUBLE_BOOKED', async () => {
    const scheduler = createScheduler({ db: drizzle(pool, { schema: s }) });
    const [hall] = await database.db
      .insert(s.facilities)
      .values({ code: `HALL-${Math.random()}`, name: 'Hall', locationId: academy.locationId, maxConcurrentSessions: 50 })
      .returning();
    const { tally: outcome } = await race(
      CONNECTIONS,
      (i) =>
        scheduler.sessions.create(
          adminOf(academy),
          createInput(academy, { facilityId: hall!.id, startTime: at(`2031-03-01T10:${String(i).padStart(2, '0')}:00Z`), endTime: at('2031-03-01T11:30:00Z') }),
        ),
      { warm: pool },
    );
    expect(outcome).toEqual({ ok: 1, INSTRUCTOR_DOUBLE_BOOKED: CONNECTIONS - 1 });
    const rows = await database.db.select().from(s.sessions).where(eq(s.sessions.facilityId, hall!.id));
    expect(rows).toHaveLength(1);
  });

  it('racing reschedules onto one slot: exactly one moves', async () => {
    const scheduler = createScheduler({ db: drizzle(pool, { schema: s }) });
    const admin = adminOf(academy);
    const [hall] = await database.db
      .insert(s.facilities)
      .values({ code: `HALL-${Math.random()}`, name: 'Hall', locationId: academy.locationId, maxConcurrentSessions: 50 })
      .returning();
    const created: SessionRow[] = [];
    for (let i = 0; i < 20; i++) {
      const day = String(i + 1).padStart(2, '0');
      created.push(
        (
          await scheduler.sessions.create(
            admin,
            createInput(academy, {
              instructorId: academy.instructorIds[1]!,
              facilityId: hall!.id,
              startTime: at(`2031-05-${day}T10:00:00Z`),
              endTime: at(`2031-05-${day}T11:00:00Z`),
            }),
          )
        ).session,
      );
    }
    const { tally: outcome } = await race(
      created.length,
      (i) => scheduler.sessions.reschedule(admin, { sessionId: created[i]!.id, startTime: at('2031-06-01T10:00:00Z'), endTime: at('2031-06-01T11:00:00Z') }),
      { warm: pool },
    );
    expect(outcome).toEqual({ ok: 1, INSTRUCTOR_DOUBLE_BOOKED: created.length - 1 });
  });
});

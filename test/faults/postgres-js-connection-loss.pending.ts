/**
 * PENDING — fails today, kept out of the suite by its name (vitest only collects
 * `*.test.ts`). To run it: copy it to `postgres-js-connection-loss.test.ts` and run
 * `DATABASE_URL=… npx vitest run --project concurrency test/faults/postgres-js-connection-loss`.
 *
 * The connection-loss tests of `connection-loss.test.ts`, on postgres.js (3.4.9)
 * instead of node-postgres. The scheduler itself behaves: the call rejects with
 * `DATABASE_ERROR` ("write CONNECTION_CLOSED", no sqlstate) and nothing partial is
 * left. But the driver does not survive the kill:
 *
 * 1. postgres.js `begin()` answers the failed statement with a ROLLBACK on the dead
 *    connection; the write is deferred with `setImmediate`, the socket is already
 *    null, and `nextWrite` throws `TypeError: Cannot read properties of null
 *    (reading 'write')` as an uncaught exception — a host process without an
 *    `uncaughtException` handler dies. Vitest reports it as an unhandled error.
 * 2. The throw skips `nextWriteTimer = null`, so the connection never writes again:
 *    the next call on the same client fails with `CONNECT_TIMEOUT` after 30 s.
 *
 * Upstream: porsager/postgres#1154, #1208 (fix proposed in #1168 / #1176 / #1209).
 * This is why the connection-loss tests and the soak's backend kills use
 * node-postgres. Nothing in src/ can catch it: the throw happens inside the driver.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import postgres from 'postgres';
import { useTestDatabase } from '../support/database';
import { insertSession, seedAcademy, type Academy } from '../support/fixtures';
import { adminOf } from '../support/actors';
import { at } from '../support/time';
import { type Sql, digestTables, holdLock, killWhileBlocked, openVictim } from './fault-harness';

const database = useTestDatabase();
let admin: Sql;
let academy: Academy;
const clock = () => at('2029-12-01T08:00:00Z');

beforeAll(async () => {
  admin = postgres(database.url!, { max: 2, onnotice: () => {} });
  academy = await seedAcademy(database.db, { students: 4 });
});
afterAll(async () => admin.end());

it('postgres.js: a booking killed mid-transaction fails typed, and the same client books on the next call', async () => {
  const session = await insertSession(database.db, academy, {
    instructorId: null,
    capacity: 5,
    startTime: at('2030-03-01T15:00:00Z'),
    endTime: at('2030-03-01T16:00:00Z'),
  });
  const actor = adminOf(academy);
  const kid = academy.studentIds[0]!;
  const v = await openVictim(database.url!, { now: clock, driver: 'postgres-js' });
  try {
    const before = await digestTables(admin);
    const blocker = await holdLock(database.url!, 'SELECT 1 FROM scheduling.students WHERE id = $1 FOR NO KEY UPDATE', [kid]);
    const { error } = await killWhileBlocked(admin, v, blocker, (sch) => sch.bookings.book(actor, { sessionId: session.id, studentId: kid }));
    expect(error.code).toBe('DATABASE_ERROR');
    expect(await digestTables(admin)).toEqual(before);
    // Fails: the uncaught TypeError above, then CONNECT_TIMEOUT here.
    expect((await v.scheduler.bookings.book(actor, { sessionId: session.id, studentId: kid })).outcome).toBe('confirmed');
  } finally {
    await v.close();
  }
}, 60_000);

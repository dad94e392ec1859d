/**
 * Lock and statement timeouts (real server only), on both drivers a host may use.
 * A timeout is not a transient conflict the scheduler may quietly re-run: it is
 * surfaced at once as a typed `DATABASE_ERROR` carrying the SQLSTATE (55P03
 * lock_not_available, 57014 query_canceled), nothing the call wrote survives, and
 * when the call joined the host's transaction that transaction stays usable.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import * as s from '../../src/schema';
import { type SchedulingError } from '../../src';
import type { Actor } from '../../src/service/kernel/types';
import { onCitus, useTestDatabase } from '../support/database';
import { type Academy } from '../support/fixtures';
import { type Driver, type Sql, type Victim, useFaultScene, digestTables, holdLock, openVictim, typedRejection, waitUntilBlocked } from './fault-harness';

const database = useTestDatabase();
const scene = useFaultScene(database, { students: 20, month: 3 });
const { clock, victims, freshKid, newSession } = scene;
let admin: Sql;
let academy: Academy;
let actor: Actor;
beforeAll(() => ({ admin, academy, actor } = scene));
const TIMEOUT = '250ms';
/**
 * The connect-time `statement_timeout` bounds the victim's warm-up call too. On Citus a
 * new session's first statements that go to the academy's worker (opening the
 * coordinator's connection to it, both nodes' metadata caches) took more than 250ms when
 * the suite ran two files at once: the warm-up was cancelled (57014 on `select … from
 * capacity_policies`) before the test began. The wait the test times out is on a lock
 * held until the test releases it, so any timeout reaches it.
 */
const CONNECT_STATEMENT_TIMEOUT = onCitus() ? '2s' : TIMEOUT;

async function victim(driver: Driver, settings: Record<string, string> = {}): Promise<Victim> {
  const v = await openVictim(database.url!, { now: clock, driver, settings });
  victims.push(v);
  await v.scheduler.maintenance.verifyIntegrity(actor, {}); // syncs the policy up front
  return v;
}

function expectTimeout(error: SchedulingError, sqlstate: '55P03' | '57014') {
  console.info(`[faults] timeout: ${error.code} sqlstate=${String(error.details.sqlstate)} — ${error.message}`);
  expect(error.code).toBe('DATABASE_ERROR');
  expect(error.details.sqlstate).toBe(sqlstate);
}

describe.each<Driver>(['postgres-js', 'node-postgres'])('timeouts on %s', (driver) => {
  it('lock_timeout hit after the booking was written: DATABASE_ERROR 55P03, not retried, nothing kept; the next call books', async () => {
    const session = await newSession();
    const kid = freshKid();
    const v = await victim(driver, { lock_timeout: TIMEOUT });
    const before = await digestTables(admin);
    // The booking trigger's update of the student row waits on this, after the insert.
    const blocker = await holdLock(database.url!, 'SELECT 1 FROM scheduling.students WHERE id = $1 FOR NO KEY UPDATE', [kid]);
    const attempts = v.attempts();
    try {
      const error = await typedRejection(v.scheduler.bookings.book(actor, { sessionId: session.id, studentId: kid }));
      expectTimeout(error, '55P03');
    } finally {
      await blocker.release();
    }
    expect(v.attempts() - attempts).toBe(1);
    expect(await digestTables(admin)).toEqual(before);
    expect((await v.scheduler.bookings.book(actor, { sessionId: session.id, studentId: kid })).outcome).toBe('confirmed');
  });

  it('statement_timeout while waiting for the session lock: DATABASE_ERROR 57014, not retried, nothing kept', async () => {
    const session = await newSession();
    const kid = freshKid();
    const v = await victim(driver, { statement_timeout: CONNECT_STATEMENT_TIMEOUT });
    const before = await digestTables(admin);
    const blocker = await holdLock(database.url!, 'SELECT 1 FROM scheduling.sessions WHERE id = $1 FOR UPDATE', [session.id]);
    const attempts = v.attempts();
    try {
      expectTimeout(await typedRejection(v.scheduler.bookings.book(actor, { sessionId: session.id, studentId: kid })), '57014');
    } finally {
      await blocker.release();
    }
    expect(v.attempts() - attempts).toBe(1);
    expect(await digestTables(admin)).toEqual(before);
  });

  it.each([
    ['lock_timeout', '55P03'],
    ['statement_timeout', '57014'],
  ] as const)("SET LOCAL %s in the host's transaction: the joined call fails typed (%s), the host's own work still commits", async (setting, sqlstate) => {
    const session = await newSession();
    const kid = freshKid();
    const v = await victim(driver);
    const blocker = await holdLock(database.url!, 'SELECT 1 FROM scheduling.students WHERE id = $1 FOR NO KEY UPDATE', [kid]);
    let observed: SchedulingError | undefined;
    try {
      await v.db.transaction(async (tx) => {
        await tx.execute(sql.raw(`SET LOCAL ${setting} = '${TIMEOUT}'`));
        await tx
          .update(s.users)
          .set({ fullName: `Host wrote this (${setting}, ${driver})` })
          .where(eq(s.users.id, academy.adminId));
        observed = await typedRejection(v.scheduler.bookings.book(actor, { sessionId: session.id, studentId: kid }, { tx }));
        // The savepoint was rolled back: the host's transaction goes on.
        await tx.execute(sql`SELECT 1`);
      });
    } finally {
      await blocker.release();
    }
    expectTimeout(observed!, sqlstate);
    const [user] = await admin`SELECT full_name FROM scheduling.users WHERE id = ${academy.adminId}`;
    expect(user!.full_name).toBe(`Host wrote this (${setting}, ${driver})`);
    const [row] = await admin`SELECT current_bookings, (SELECT count(*)::int FROM scheduling.session_bookings WHERE session_id = ${session.id}) AS rows
                              FROM scheduling.sessions WHERE id = ${session.id}`;
    expect(row).toEqual({ current_bookings: 0, rows: 0 });
  });

  it('a lock wait the timeout does not reach is simply waited out', async () => {
    const session = await newSession();
    const kid = freshKid();
    const v = await victim(driver, { lock_timeout: '5s' });
    const blocker = await holdLock(database.url!, 'SELECT 1 FROM scheduling.sessions WHERE id = $1 FOR UPDATE', [session.id]);
    const call = v.scheduler.bookings.book(actor, { sessionId: session.id, studentId: kid });
    await waitUntilBlocked(admin, v.pid);
    await blocker.release();
    expect((await call).outcome).toBe('confirmed');
  });
});

/**
 * Induced deadlocks (real server only), on both drivers. Which side Postgres aborts
 * is made deterministic with `deadlock_timeout`: the side with the short one runs
 * the deadlock check first and is the one cancelled with 40P01.
 *
 * - In its own transaction the scheduler re-runs the call (bounded by maxRetries),
 *   then gives up with RETRY_EXHAUSTED.
 * - Joined to the host's transaction it must not retry (the host owns the
 *   transaction): the call fails typed and the host retries as a whole.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { isSchedulingError, type SchedulingError } from '../../src';
import type { Actor } from '../../src/service/kernel/types';
import type { AnyPgDatabase } from '../../src/db/query';
import { useTestDatabase } from '../support/database';
import {
  type Driver,
  type Sql,
  type Victim,
  useFaultScene,
  deferred,
  digestTables,
  holdLock,
  openSchedulerClient,
  openVictim,
  typedRejection,
  waitUntilBlocked,
} from './fault-harness';

const database = useTestDatabase();
const scene = useFaultScene(database, { students: 120, month: 4 });
const { clock, victims, freshKid, newSession } = scene;
let admin: Sql;
let actor: Actor;
beforeAll(() => ({ admin, actor } = scene));
// Postgres looks for a deadlock once, when a waiting backend's deadlock_timeout runs out.
// The victim waits first; the other side closes the cycle only once the harness has seen
// that wait. At 50 ms the victim's one look came too early on a loaded machine (CI beside
// other work): no cycle yet, so the other side, 10 s later, was the one cancelled.
const DETECTS_FIRST = { deadlock_timeout: '1s' };
const DETECTS_LATE = { deadlock_timeout: '10s' };

async function victim(driver: Driver, options: { maxRetries?: number; settings?: Record<string, string> } = {}): Promise<Victim> {
  const v = await openVictim(database.url!, { now: clock, driver, ...options });
  victims.push(v);
  await v.scheduler.maintenance.verifyIntegrity(actor, {}); // syncs the policy up front
  return v;
}

/**
 * The scheduler books `kid` into `sessionId` (session row lock, then the student row
 * in the booking trigger) while a host transaction holds the student row and then
 * asks for the session row: a lock cycle that Postgres breaks by cancelling the
 * scheduler's transaction. Returns the call's outcome after the host committed.
 */
async function deadlockBooking(v: Victim, sessionId: string, kid: string) {
  const host = await holdLock(database.url!, 'SELECT 1 FROM scheduling.students WHERE id = $1 FOR NO KEY UPDATE', [kid], DETECTS_LATE);
  const call = v.scheduler.bookings.book(actor, { sessionId, studentId: kid });
  call.catch(() => undefined);
  try {
    await waitUntilBlocked(admin, v.pid);
    // Completes once Postgres cancelled the scheduler's transaction.
    await host.run('SELECT 1 FROM scheduling.sessions WHERE id = $1 FOR NO KEY UPDATE', [sessionId]);
  } finally {
    await host.release();
  }
  return call.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

describe.each<Driver>(['postgres-js', 'node-postgres'])('deadlocks on %s', (driver) => {
  it('own transaction: the deadlocked booking is re-run and succeeds on the second attempt', async () => {
    const session = await newSession();
    const kid = freshKid();
    const v = await victim(driver, { settings: DETECTS_FIRST });
    const attempts = v.attempts();
    const result = await deadlockBooking(v, session.id, kid);
    if (!result.ok) throw result.error;
    expect(result.value.outcome).toBe('confirmed');
    expect(v.attempts() - attempts).toBe(2);
    const [row] = await admin`SELECT current_bookings FROM scheduling.sessions WHERE id = ${session.id}`;
    expect(row!.current_bookings).toBe(1);
  });

  it('own transaction with maxRetries 0: RETRY_EXHAUSTED with sqlstate 40P01, nothing kept', async () => {
    const session = await newSession();
    const kid = freshKid();
    const v = await victim(driver, { maxRetries: 0, settings: DETECTS_FIRST });
    const before = await digestTables(admin);
    const result = await deadlockBooking(v, session.id, kid);
    if (result.ok) throw new Error('expected the deadlocked booking to fail without retries');
    const error = result.error as SchedulingError;
    expect(isSchedulingError(error)).toBe(true);
    console.info(`[faults] deadlock, no retries left: ${error.code} ${JSON.stringify(error.details)}`);
    expect(error.code).toBe('RETRY_EXHAUSTED');
    expect(error.details).toEqual({ sqlstate: '40P01', attempts: 1 });
    expect(await digestTables(admin)).toEqual(before);
  });

  it("two host transactions booking two sessions in opposite order: one fails typed (DATABASE_ERROR 40P01), the other commits, the refused host's retry commits", async () => {
    const [x, y] = [await newSession(), await newSession()];
    const [a1, a2, b1, b2] = [freshKid(), freshKid(), freshKid(), freshKid()];
    const first = await victim(driver, { settings: DETECTS_FIRST });
    const second = await victim(driver, { settings: DETECTS_LATE });
    const booked = { first: deferred(), second: deferred() };
    const go = { first: deferred(), second: deferred() };
    const run = (v: Victim, mine: 'first' | 'second', one: [string, string], two: [string, string]) =>
      v.db.transaction(async (tx: AnyPgDatabase) => {
        await v.scheduler.bookings.book(actor, { sessionId: one[0], studentId: one[1] }, { tx });
        booked[mine].resolve();
        await go[mine].promise;
        await v.scheduler.bookings.book(actor, { sessionId: two[0], studentId: two[1] }, { tx });
      });
    const firstHost = run(first, 'first', [x.id, a1], [y.id, a2]);
    firstHost.catch(() => undefined);
    const secondHost = run(second, 'second', [y.id, b1], [x.id, b2]);
    secondHost.catch(() => undefined);
    await Promise.all([booked.first.promise, booked.second.promise]);
    go.first.resolve();
    await waitUntilBlocked(admin, first.pid);
    go.second.resolve();

    // Usually the first detects it (its deadlock_timeout is short), but Postgres checks
    // once per wait: when the second host reaches its lock later than that under load,
    // the second is the one refused. Either way exactly one fails, typed.
    const [firstOutcome, secondOutcome] = await Promise.allSettled([firstHost, secondHost]);
    const refusedHost = firstOutcome.status === 'rejected' ? 'first' : 'second';
    expect([firstOutcome.status, secondOutcome.status].sort()).toEqual(['fulfilled', 'rejected']);
    const error = await typedRejection(refusedHost === 'first' ? firstHost : secondHost);
    console.info(`[faults] deadlock in joined host transactions (${refusedHost} refused): ${error.code} sqlstate=${String(error.details.sqlstate)}`);
    expect(error.code).toBe('DATABASE_ERROR');
    expect(error.details.sqlstate).toBe('40P01');
    // The refused host retries its whole transaction.
    go[refusedHost] = deferred();
    go[refusedHost].resolve();
    if (refusedHost === 'first') await run(first, 'first', [x.id, a1], [y.id, a2]);
    else await run(second, 'second', [y.id, b1], [x.id, b2]);

    const rows =
      await admin`SELECT session_id, student_id FROM scheduling.session_bookings WHERE session_id IN (${x.id}, ${y.id}) AND booking_status = 'confirmed'`;
    const pairs = new Set(rows.map((r) => `${r.session_id}:${r.student_id}`));
    expect(pairs).toEqual(new Set([`${x.id}:${a1}`, `${x.id}:${b2}`, `${y.id}:${b1}`, `${y.id}:${a2}`]));
  });

  it('20 pairs of opposite moves at once never deadlock: every move succeeds', async () => {
    const pool = await openSchedulerClient(database.url!, { driver, max: 20, now: clock, maxRetries: 10 });
    try {
      const pairs = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const [x, y] = [await newSession(), await newSession()];
          const [a, b] = [freshKid(), freshKid()];
          const ba = await pool.scheduler.bookings.book(actor, { sessionId: x.id, studentId: a });
          const bb = await pool.scheduler.bookings.book(actor, { sessionId: y.id, studentId: b });
          if (ba.outcome !== 'confirmed' || bb.outcome !== 'confirmed') throw new Error('setup');
          return { x, y, ba: ba.booking, bb: bb.booking };
        }),
      );
      const attempts = pool.attempts();
      const results = await Promise.allSettled(
        pairs.flatMap(({ x, y, ba, bb }) => [
          pool.scheduler.bookings.move(actor, { bookingId: ba.id, toSessionId: y.id }),
          pool.scheduler.bookings.move(actor, { bookingId: bb.id, toSessionId: x.id }),
        ]),
      );
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [isSchedulingError(r.reason) ? r.reason.code : `UNTYPED ${String(r.reason)}`] : []));
      expect(failures).toEqual([]);
      console.info(`[faults] 40 opposite moves on ${driver}: ${pool.attempts() - attempts - 40} re-run(s) after 40001/40P01`);
    } finally {
      await pool.close();
    }
  });
});

/**
 * Bookings and the waitlist under real concurrency (real server only): a rush of
 * parents on one Saturday class must never overbook, never lose or duplicate a queue
 * place, and never give one place to two children.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { eq, sql } from 'drizzle-orm';
import * as s from '../../src/schema';
import { createScheduler, type Scheduler } from '../../src';
import type { Actor } from '../../src/service/kernel/types';
import { useTestDatabase } from '../support/database';
import { type Academy, confirmedAndQueue, insertSession, seedAcademy, sessionById } from '../support/fixtures';
import { adminOf } from '../support/actors';
import { at } from '../support/time';
import { race } from '../support/race';

const CONNECTIONS = 30;
const WINDOW = 60;
const database = useTestDatabase();
let pool: ReturnType<typeof postgres>;
let academy: Academy;
let admin: Actor;
const system: Actor = { kind: 'system' };
const clock = { now: at('2029-12-01T08:00:00Z') };
let scheduler: Scheduler;

beforeAll(async () => {
  pool = postgres(database.url!, { max: CONNECTIONS, onnotice: () => {} });
  academy = await seedAcademy(database.db, { students: 130 });
  admin = adminOf(academy);
  scheduler = createScheduler({ db: drizzle(pool, { schema: s }), now: () => clock.now, offerWindowMinutes: WINDOW, maxRetries: 10 });
  // The first call syncs the capacity policy; do it now so the races measure bookings only.
  await scheduler.waitlist.expireOffers(system, {});
});
afterAll(async () => pool.end());

const kid = (i: number) => academy.studentIds[i]!;
let day = 0;
async function newSession(overrides: Partial<typeof s.sessions.$inferInsert> = {}) {
  day++;
  const start = new Date(Date.UTC(2030, 4, 1 + day, 9));
  return insertSession(database.db, academy, {
    instructorId: null,
    capacity: 5,
    startTime: start,
    endTime: new Date(start.getTime() + 3_600_000),
    ...overrides,
  });
}

/** The invariants every session must keep, whatever raced. */
async function expectConsistent(sessionId: string) {
  const session = await sessionById(database.db, sessionId);
  const { confirmed, queue } = await confirmedAndQueue(database.db, sessionId);
  const held = queue.filter((e) => e.status === 'offered' && e.responseDeadline! > clock.now).length;
  expect(session.currentBookings).toBe(confirmed.length);
  expect(confirmed.length + held).toBeLessThanOrEqual(session.capacity);
  expect(queue.map((e) => e.position)).toEqual(queue.map((_, i) => i + 1));
  const booked = new Set(confirmed.map((c) => c.studentId));
  expect(queue.filter((e) => booked.has(e.studentId))).toEqual([]);
  return { session, confirmed, queue };
}

describe(`bookings under ${CONNECTIONS} concurrent connections`, () => {
  it('100 students booking the same 5-place class at once: exactly 5 confirmed, 95 queued at positions 1..95', async () => {
    const session = await newSession({ maxWaitlistSize: 95 });
    const { results, tally } = await race(100, (i) => scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(i) }), { warm: pool });
    expect(tally).toEqual({ ok: 100 });
    const outcomes = results.map((r) => (r.status === 'fulfilled' ? r.value : null));
    expect(outcomes.filter((o) => o?.outcome === 'confirmed')).toHaveLength(5);
    const positions = outcomes.flatMap((o) => (o?.outcome === 'waitlisted' ? [o.position] : [])).sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 95 }, (_, i) => i + 1));
    const { session: after, confirmed, queue } = await expectConsistent(session.id);
    expect(after.currentBookings).toBe(5);
    expect(confirmed).toHaveLength(5);
    expect(queue).toHaveLength(95);
  });

  it('cancellations racing new bookings: freed places go to the queue, never to two children', async () => {
    const session = await newSession({ maxWaitlistSize: 50 });
    const bookings: Array<{ id: string }> = [];
    for (let i = 0; i < 5; i++) {
      const r = await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(i) });
      if (r.outcome !== 'confirmed') throw new Error('setup');
      bookings.push(r.booking);
    }
    for (let i = 5; i < 10; i++) await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(i) });
    const { tally } = await race<unknown>(
      13,
      (i) =>
        i < 3
          ? scheduler.bookings.cancel(admin, { bookingId: bookings[i]!.id, type: 'student' })
          : scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(10 + i) }),
      { warm: pool },
    );
    expect(tally).toEqual({ ok: 13 });
    const { confirmed, queue } = await expectConsistent(session.id);
    expect(confirmed).toHaveLength(2);
    // The three places are held for the first three in line, whatever the interleaving.
    expect(queue.filter((e) => e.status === 'offered').map((e) => e.studentId)).toEqual([kid(5), kid(6), kid(7)]);
    expect(queue).toHaveLength(15);
  });

  it('offer acceptances racing several expireOffers runs: every offer is accepted or expired, never both', async () => {
    const sessions: Array<{ session: { id: string }; offer: { id: string; studentId: string } }> = [];
    for (let n = 0; n < 10; n++) {
      const session = await newSession({ capacity: 1 });
      const holder = await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(0) });
      const first = await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(1 + n * 2) });
      await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(2 + n * 2) });
      if (holder.outcome !== 'confirmed' || first.outcome !== 'waitlisted') throw new Error('setup');
      await scheduler.bookings.cancel(admin, { bookingId: holder.booking.id, type: 'student' });
      sessions.push({ session, offer: first.entry });
    }
    const late = new Date(clock.now.getTime() + (WINDOW + 1) * 60_000);
    const { tally, results } = await race<unknown>(
      15,
      (i) => (i < 10 ? scheduler.waitlist.accept(admin, { waitlistId: sessions[i]!.offer.id }) : scheduler.waitlist.expireOffers(system, { now: late })),
      { warm: pool },
    );
    expect((tally.ok ?? 0) + (tally.INVALID_STATE ?? 0)).toBe(15);
    const expiredIds = results
      .slice(10)
      .flatMap((r) => (r.status === 'fulfilled' ? (r.value as { expired: Array<{ id: string }> }).expired.map((e) => e.id) : []));
    expect(new Set(expiredIds).size).toBe(expiredIds.length);
    for (const [i, { session, offer }] of sessions.entries()) {
      const [entry] = await database.db.select().from(s.sessionWaitlist).where(eq(s.sessionWaitlist.id, offer.id));
      const accepted = results[i]!.status === 'fulfilled';
      expect(entry!.status).toBe(accepted ? 'accepted' : 'expired');
      expect(expiredIds.includes(offer.id)).toBe(!accepted);
      const { confirmed } = await expectConsistent(session.id);
      expect(confirmed.map((c) => c.studentId)).toEqual(accepted ? [offer.studentId] : []);
    }
  });

  it('sibling bookMany racing single bookings: each family is booked whole or not at all', async () => {
    const session = await newSession({ maxWaitlistSize: 50 });
    const { results, tally } = await race<unknown>(
      10,
      (i) =>
        i < 5
          ? scheduler.bookings.bookMany(admin, { sessionId: session.id, students: [{ studentId: kid(100 + i * 2) }, { studentId: kid(101 + i * 2) }] })
          : scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(110 + i) }),
      { warm: pool },
    );
    expect((tally.ok ?? 0) + (tally.CAPACITY_EXCEEDED ?? 0)).toBe(10);
    const { confirmed } = await expectConsistent(session.id);
    const booked = new Set(confirmed.map((c) => c.studentId));
    for (let i = 0; i < 5; i++) {
      const pair = [kid(100 + i * 2), kid(101 + i * 2)].filter((k) => booked.has(k)).length;
      expect(pair).toBe(results[i]!.status === 'fulfilled' ? 2 : 0);
    }
    expect(confirmed.length).toBeGreaterThanOrEqual(4);
  });

  it('several mailers claiming at once: each owed notification is claimed exactly once', async () => {
    const owed = await database.query<{ id: string }>(sql`SELECT id FROM scheduling.session_waitlist
      WHERE notified_at IS NULL AND NOT coalesce(notification_sent, false) AND status = 'offered' AND response_deadline > ${clock.now.toISOString()}::timestamptz`);
    expect(owed.length).toBeGreaterThan(0);
    const { results, tally } = await race(8, () => scheduler.notifications.claim(system, { limit: 3 }), { warm: pool });
    expect(tally).toEqual({ ok: 8 });
    const claimed = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.map((n) => n.id) : []));
    expect(new Set(claimed).size).toBe(claimed.length);
    // 8 claims of 3 cover everything owed, so every owed notification went to exactly one mailer.
    expect(owed.length).toBeLessThanOrEqual(24);
    expect(new Set(claimed)).toEqual(new Set(owed.map((o) => o.id)));
  });
});

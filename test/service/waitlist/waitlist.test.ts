import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type Scheduler, type SchedulingError } from '../../../src';
import type { Actor } from '../../../src/service/kernel/types';
import { useTestDatabase } from '../../support/database';
import { type Academy, insertSession, seedAcademy, sessionById } from '../../support/fixtures';
import { errorOf, refusalsIn } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;
let auto: Scheduler;
let admin: Actor;
let parent: Actor;
const system: Actor = { kind: 'system' };
const clock = { now: at('2029-12-01T08:00:00Z') };
const WINDOW = 60;
const minutesLater = (n: number) => new Date(clock.now.getTime() + n * 60_000);

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 10 });
  scheduler = createScheduler({ db: database.db, now: () => clock.now, offerWindowMinutes: WINDOW });
  auto = createScheduler({ db: database.db, now: () => clock.now, promotionMode: 'auto' });
  admin = adminOf(academy);
  parent = { kind: 'parent', parentId: academy.parentId };
  await database.db.insert(s.parentStudents).values([0, 1].map((i) => ({ parentId: academy.parentId, studentId: academy.studentIds[i]! })));
});

const kid = (i: number) => academy.studentIds[i]!;
let day = 0;
async function newSession(overrides: Partial<typeof s.sessions.$inferInsert> = {}) {
  day++;
  const start = new Date(Date.UTC(2030, 2, 1 + day, 15));
  return insertSession(database.db, academy, {
    instructorId: null,
    capacity: 1,
    startTime: start,
    endTime: new Date(start.getTime() + 3_600_000),
    ...overrides,
  });
}

/** A full session (capacity 1, taken by kid 9) with the given kids queued in order; returns their entries. */
async function fullSessionWithQueue(kids: number[], overrides: Partial<typeof s.sessions.$inferInsert> = {}) {
  const session = await newSession(overrides);
  const taken = await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(9) });
  if (taken.outcome !== 'confirmed') throw new Error('setup');
  const entries = [];
  for (const i of kids) entries.push((await scheduler.waitlist.join(admin, { sessionId: session.id, studentId: kid(i) })).entry);
  return { session, booking: taken.booking, entries };
}

async function queue(sessionId: string) {
  return database.db.select().from(s.sessionWaitlist).where(eq(s.sessionWaitlist.sessionId, sessionId)).orderBy(s.sessionWaitlist.position);
}
const active = (rows: Awaited<ReturnType<typeof queue>>) =>
  rows.filter((r) => ['waiting', 'notified', 'offered'].includes(r.status)).map((r) => [r.studentId, r.position, r.status]);

const refused = refusalsIn(database);

describe('waitlist offers', () => {
  it('accept confirms the held place and closes the gap behind it', async () => {
    const { session, booking, entries } = await fullSessionWithQueue([0, 2, 3]);
    await scheduler.bookings.cancel(admin, { bookingId: booking.id, type: 'academy' });
    const { booking: accepted, entry } = await scheduler.waitlist.accept(parent, { waitlistId: entries[0]!.waitlistId });
    expect(accepted).toMatchObject({ sessionId: session.id, studentId: kid(0), bookingStatus: 'confirmed', bookingSource: 'waitlist' });
    expect(entry).toMatchObject({ status: 'accepted', responseReceivedAt: clock.now });
    expect(active(await queue(session.id))).toEqual([
      [kid(2), 1, 'waiting'],
      [kid(3), 2, 'waiting'],
    ]);
    expect((await sessionById(database.db, session.id)).currentBookings).toBe(1);
    await refused('INVALID_STATE', () => scheduler.waitlist.accept(parent, { waitlistId: entries[0]!.id }));
  });

  it('decline passes the place to the next in line', async () => {
    const { session, booking, entries } = await fullSessionWithQueue([0, 2]);
    await scheduler.bookings.cancel(admin, { bookingId: booking.id, type: 'academy' });
    const { entry, promotion } = await scheduler.waitlist.decline(parent, { waitlistId: entries[0]!.id, notes: 'Away' });
    expect(entry).toMatchObject({ status: 'declined', responseNotes: 'Away' });
    // Kid 2 is another family's: the parent declining is not told the place went to them (visibility.test.ts).
    expect(promotion.offered).toEqual([]);
    expect(active(await queue(session.id))).toEqual([[kid(2), 1, 'offered']]);
    expect((await queue(session.id)).find((e) => e.id === entries[1]!.id)).toMatchObject({
      status: 'offered',
      position: 1,
      responseDeadline: minutesLater(WINDOW),
    });
  });

  it('an unanswered offer expires (expireOffers, system) and passes on; accepting it late is refused', async () => {
    const { session, booking, entries } = await fullSessionWithQueue([0, 2]);
    await scheduler.bookings.cancel(admin, { bookingId: booking.id, type: 'academy' });
    const late = new Date(clock.now.getTime() + (WINDOW + 1) * 60_000);
    await refused('FORBIDDEN', () => scheduler.waitlist.expireOffers(parent, { now: late }));
    const result = await scheduler.waitlist.expireOffers(system, { now: late });
    expect(result.expired.map((e) => [e.id, e.status])).toContainEqual([entries[0]!.id, 'expired']);
    expect(result.offered.map((e) => e.id)).toContain(entries[1]!.id);
    expect(result.offered.find((e) => e.id === entries[1]!.id)!.responseDeadline).toEqual(new Date(late.getTime() + WINDOW * 60_000));
    await refused('INVALID_STATE', () => scheduler.waitlist.accept(parent, { waitlistId: entries[0]!.id }));
    expect(active(await queue(session.id))).toEqual([[kid(2), 1, 'offered']]);
  });

  it("a booking after an offer's deadline settles it first: the place goes to the next in line, not the newcomer", async () => {
    const { session, booking, entries } = await fullSessionWithQueue([0, 2]);
    await scheduler.bookings.cancel(admin, { bookingId: booking.id, type: 'academy' });
    const start = clock.now;
    clock.now = new Date(start.getTime() + (WINDOW + 1) * 60_000);
    try {
      expect(await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(3) })).toMatchObject({ outcome: 'waitlisted', position: 2 });
      expect(active(await queue(session.id))).toEqual([
        [kid(2), 1, 'offered'],
        [kid(3), 2, 'waiting'],
      ]);
      const [first] = await database.db.select().from(s.sessionWaitlist).where(eq(s.sessionWaitlist.id, entries[0]!.id));
      expect(first!.status).toBe('expired');
    } finally {
      clock.now = start;
    }
  });

  it('auto mode books the next in line directly', async () => {
    const { session, booking, entries } = await fullSessionWithQueue([0, 2]);
    const { promotion } = await auto.bookings.cancel(admin, { bookingId: booking.id, type: 'academy' });
    expect(promotion.offered).toEqual([]);
    expect(promotion.confirmed).toHaveLength(1);
    expect(promotion.confirmed[0]!.entry).toMatchObject({ id: entries[0]!.id, status: 'accepted', notificationSent: false, responseReceivedAt: null });
    expect(promotion.confirmed[0]!.booking).toMatchObject({ studentId: kid(0), bookingStatus: 'confirmed', bookingSource: 'waitlist' });
    expect(active(await queue(session.id))).toEqual([[kid(2), 1, 'waiting']]);
    expect((await sessionById(database.db, session.id)).currentBookings).toBe(1);
  });

  it('raising the capacity offers the new places', async () => {
    const { session, entries } = await fullSessionWithQueue([0, 2, 3]);
    await scheduler.sessions.update(admin, { sessionId: session.id, capacity: 3 });
    expect(active(await queue(session.id))).toEqual([
      [kid(0), 1, 'offered'],
      [kid(2), 2, 'offered'],
      [kid(3), 3, 'waiting'],
    ]);
    const [first] = await queue(session.id);
    expect(first!.responseDeadline).toEqual(minutesLater(WINDOW));
    expect(entries).toHaveLength(3);
  });

  it('skips a student now confirmed elsewhere at that time; they keep their place', async () => {
    const { session, booking } = await fullSessionWithQueue([3, 4]);
    const clash = await newSession({ facilityId: academy.lanesId, startTime: session.startTime, endTime: session.endTime });
    await scheduler.bookings.book(admin, { sessionId: clash.id, studentId: kid(3) });
    const { promotion } = await scheduler.bookings.cancel(admin, { bookingId: booking.id, type: 'academy' });
    expect(promotion.skipped).toMatchObject([{ studentId: kid(3), reason: 'student_conflict' }]);
    expect(active(await queue(session.id))).toEqual([
      [kid(3), 1, 'waiting'],
      [kid(4), 2, 'offered'],
    ]);
  });
});

describe('waitlist queue', () => {
  it('positions stay 1..n after someone leaves; position reports place and length', async () => {
    const { session, entries } = await fullSessionWithQueue([0, 2, 3, 4]);
    const { entry } = await scheduler.waitlist.leave(parent, { waitlistId: entries[0]!.waitlistId });
    expect(entry.status).toBe('cancelled');
    expect(active(await queue(session.id))).toEqual([
      [kid(2), 1, 'waiting'],
      [kid(3), 2, 'waiting'],
      [kid(4), 3, 'waiting'],
    ]);
    expect(await scheduler.waitlist.position(admin, { waitlistId: entries[3]!.id })).toMatchObject({ position: 3, queueLength: 3 });
    expect(await scheduler.waitlist.position(parent, { waitlistId: entries[0]!.id })).toMatchObject({ position: null, queueLength: 3 });
    // Rejoining reuses the row, at the end.
    const again = await scheduler.waitlist.join(parent, { sessionId: session.id, studentId: kid(0) });
    expect(again).toMatchObject({ position: 4, entry: { id: entries[0]!.id, status: 'waiting' } });
  });

  it('refuses to queue for a session with free places, and priority from non-admins', async () => {
    const session = await newSession();
    const error = await refused('INVALID_STATE', () => scheduler.waitlist.join(admin, { sessionId: session.id, studentId: kid(0) }));
    expect(error.details.reason).toBe('places_available');
    await refused('FORBIDDEN', () => scheduler.waitlist.join(parent, { sessionId: session.id, studentId: kid(0), priorityScore: 5 }));
  });

  it('cancelling the session cancels its queue and open offers', async () => {
    const { session, booking } = await fullSessionWithQueue([0, 2]);
    await scheduler.bookings.cancel(admin, { bookingId: booking.id, type: 'academy' });
    await scheduler.sessions.cancel(admin, { sessionId: session.id, reason: 'Pool closed' });
    expect(active(await queue(session.id))).toEqual([]);
  });
});

describe('notifications', () => {
  it('claims each owed notification exactly once and marks it sent', async () => {
    const { booking, entries } = await fullSessionWithQueue([0, 2]);
    await scheduler.bookings.cancel(admin, { bookingId: booking.id, type: 'academy' });
    const claimed = await scheduler.notifications.claim(system, { limit: 100 });
    const mine = claimed.filter((n) => n.id === entries[0]!.id);
    expect(mine).toMatchObject([{ kind: 'offer', method: 'email', claimedAt: clock.now, student: { id: kid(0) }, responseDeadline: minutesLater(WINDOW) }]);
    expect((await scheduler.notifications.claim(system, { limit: 100 })).map((n) => n.id)).not.toContain(entries[0]!.id);
    expect(await scheduler.notifications.markSent(system, { waitlistIds: [entries[0]!.waitlistId] })).toEqual({
      marked: 1,
      waitlistIds: [entries[0]!.waitlistId],
    });
    const [row] = await database.db.select().from(s.sessionWaitlist).where(eq(s.sessionWaitlist.id, entries[0]!.id));
    expect(row).toMatchObject({ notificationSent: true, notifiedAt: clock.now });
    expect(((await errorOf(() => scheduler.notifications.claim(parent, { limit: 1 }))) as SchedulingError).code).toBe('FORBIDDEN');
  });

  it('a claim not marked sent comes back after its lease (a worker that died); a sent one never does', async () => {
    const { booking, entries } = await fullSessionWithQueue([0, 3]);
    await scheduler.bookings.cancel(admin, { bookingId: booking.id, type: 'academy' });
    const start = clock.now;
    try {
      const first = (await scheduler.notifications.claim(system, { limit: 100, leaseSeconds: 60 })).filter((n) => n.id === entries[0]!.id);
      expect(first).toHaveLength(1);
      clock.now = new Date(start.getTime() + 59_000);
      expect((await scheduler.notifications.claim(system, { limit: 100, leaseSeconds: 60 })).map((n) => n.id)).not.toContain(entries[0]!.id);
      clock.now = new Date(start.getTime() + 61_000);
      const again = (await scheduler.notifications.claim(system, { limit: 100, leaseSeconds: 60 })).filter((n) => n.id === entries[0]!.id);
      expect(again).toMatchObject([{ claimedAt: clock.now }]);
      await scheduler.notifications.markSent(system, { waitlistIds: [entries[0]!.id] });
      clock.now = new Date(start.getTime() + 30 * 60_000);
      expect((await scheduler.notifications.claim(system, { limit: 100, leaseSeconds: 60 })).map((n) => n.id)).not.toContain(entries[0]!.id);
    } finally {
      clock.now = start;
    }
  });
});

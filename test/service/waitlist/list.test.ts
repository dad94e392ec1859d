/**
 * `waitlist.list`: a session's active queue in the order promotion takes it, as each
 * kind of actor may see it (README "Who may see what"): administrators and the
 * session's instructor every entry (the instructor without the family's reply), a
 * parent or a student only their own family's entries and the queue's length, another
 * instructor nothing (`FORBIDDEN`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type Scheduler, type WaitlistQueue } from '../../../src';
import type { Actor } from '../../../src/service/kernel/types';
import { useTestDatabase } from '../../support/database';
import { type Academy, insertSession, seedAcademy } from '../../support/fixtures';
import { refusalsIn } from '../../support/refusals';
import { adminOf, instructorOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
const refused = refusalsIn(database);
let academy: Academy;
let scheduler: Scheduler;
let admin: Actor;
let parent: Actor;
let otherParent: Actor;
const clock = { now: at('2029-12-01T08:00:00Z') };
const WINDOW = 90;
const REPLY = 'We can only make Tuesdays';

/*
 * Session Q (capacity 1, taught by coach 0): Kid9 booked. Queue, in joining order:
 * Kid0 (parent), Kid2 (otherParent), Kid1 (parent), Kid3 (no family on file, priority 5
 * set by an administrator), Kid4 (joined and left). Kid9's place is then freed, so the
 * first by rank — Kid3, by priority — holds an offer.
 */
const ids = {} as { Q: string; empty: string; entry: Record<number, string> };
const kid = (i: number) => academy.studentIds[i]!;

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 10 });
  scheduler = createScheduler({ db: database.db, now: () => clock.now, offerWindowMinutes: WINDOW });
  admin = adminOf(academy);
  parent = { kind: 'parent', parentId: academy.parentId };
  const [other] = await database.db.insert(s.parents).values({ firstName: 'Olga', lastName: 'Other' }).returning();
  otherParent = { kind: 'parent', parentId: other!.id };
  await database.db.insert(s.parentStudents).values([
    { parentId: academy.parentId, studentId: kid(0) },
    { parentId: academy.parentId, studentId: kid(1) },
    { parentId: other!.id, studentId: kid(2) },
  ]);
  const session = await insertSession(database.db, academy, { capacity: 1, startTime: at('2030-03-04T15:00:00Z'), endTime: at('2030-03-04T16:00:00Z') });
  ids.Q = session.id;
  ids.empty = (await insertSession(database.db, academy, { startTime: at('2030-03-05T15:00:00Z'), endTime: at('2030-03-05T16:00:00Z') })).id;
  const taken = await scheduler.bookings.book(admin, { sessionId: ids.Q, studentId: kid(9) });
  if (taken.outcome !== 'confirmed') throw new Error('setup');
  ids.entry = {};
  const join = async (i: number, actor: Actor, extra: { priorityScore?: number } = {}) =>
    (ids.entry[i] = (await scheduler.waitlist.join(actor, { sessionId: ids.Q, studentId: kid(i), ...extra })).entry.id);
  await join(0, parent);
  await join(2, otherParent);
  await join(1, parent);
  await join(3, admin, { priorityScore: 5 });
  await join(4, admin);
  await scheduler.waitlist.leave(admin, { waitlistId: ids.entry[4]! });
  await scheduler.bookings.cancel(admin, { bookingId: taken.booking.id, type: 'academy' });
  // A family's note on an entry still in the queue (written by hand: only answers to offers set it).
  await database.db.update(s.sessionWaitlist).set({ responseNotes: REPLY }).where(eq(s.sessionWaitlist.id, ids.entry[0]!));
});

/** [student, rank, position, status] of each entry returned. */
const summary = (queue: WaitlistQueue) => queue.entries.map((e) => [e.student.firstName, e.rank, e.position, e.status]);

/** Every string anywhere in a value. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value && typeof value === 'object' && !(value instanceof Date)) for (const item of Object.values(value)) strings(item, out);
  return out;
}

/** What identifies child `i`: ids, codes, name and waitlist entries. */
async function secretsOf(i: number): Promise<string[]> {
  const [student] = await database.db
    .select()
    .from(s.students)
    .where(eq(s.students.id, kid(i)));
  const entries = await database.db
    .select()
    .from(s.sessionWaitlist)
    .where(eq(s.sessionWaitlist.studentId, kid(i)));
  return [student!.id, student!.studentId, student!.firstName, student!.lastName, ...entries.flatMap((e) => [e.id, e.waitlistId])];
}

async function expectNothingOf(queue: WaitlistQueue, kids: number[]) {
  const found = new Set(strings(queue));
  for (const i of kids) for (const secret of await secretsOf(i)) expect(found.has(secret), `Kid${i}: ${secret}`).toBe(false);
}

describe('waitlist.list', () => {
  it('administrators (and the system) see the whole active queue in promotion order, with names, deadlines and the length', async () => {
    for (const actor of [admin, { kind: 'system' } as const]) {
      const queue = await scheduler.waitlist.list(actor, { sessionId: ids.Q });
      expect(queue.sessionId).toBe(ids.Q);
      expect(queue.queueLength).toBe(4);
      // Kid3 first by priority (and offered the freed place); then join order. Kid4 left: not listed.
      expect(summary(queue)).toEqual([
        ['Kid3', 1, 4, 'offered'],
        ['Kid0', 2, 1, 'waiting'],
        ['Kid2', 3, 2, 'waiting'],
        ['Kid1', 4, 3, 'waiting'],
      ]);
      const [offered, first] = queue.entries;
      expect(offered).toMatchObject({
        id: ids.entry[3],
        waitlistId: expect.stringMatching(/^WLT-/),
        studentId: kid(3),
        priorityScore: 5,
        responseDeadline: new Date(clock.now.getTime() + WINDOW * 60_000),
        addedAt: clock.now,
        student: { id: kid(3), studentCode: expect.stringMatching(/^STU-/), firstName: 'Kid3', lastName: 'Family3' },
      });
      expect(first).toMatchObject({ studentId: kid(0), responseDeadline: null, responseNotes: REPLY });
    }
  });

  it("the session's instructor sees every entry with names, but not the family's reply", async () => {
    const queue = await scheduler.waitlist.list(instructorOf(academy, 0), { sessionId: ids.Q });
    expect(queue.queueLength).toBe(4);
    expect(summary(queue).map((e) => e[0])).toEqual(['Kid3', 'Kid0', 'Kid2', 'Kid1']);
    expect(queue.entries.map((e) => e.responseNotes)).toEqual([null, null, null, null]);
    expect(queue.entries[1]!.student).toEqual({ id: kid(0), studentCode: expect.any(String), firstName: 'Kid0', lastName: 'Family0' });
    expect(strings(queue)).not.toContain(REPLY);
  });

  it('another instructor, or one without an instructorId, is refused (FORBIDDEN) and learns nothing', async () => {
    for (const actor of [instructorOf(academy, 1), { kind: 'instructor' } as const]) {
      const error = await refused('FORBIDDEN', () => scheduler.waitlist.list(actor, { sessionId: ids.Q }));
      const said = JSON.stringify(error.details) + error.message;
      for (const i of [0, 1, 2, 3]) for (const secret of await secretsOf(i)) expect(said).not.toContain(secret);
    }
  });

  it("a parent sees their own children's entries (rank and position in the whole queue) and the queue's length, nothing of other families", async () => {
    const mine = await scheduler.waitlist.list(parent, { sessionId: ids.Q });
    expect(mine.queueLength).toBe(4);
    expect(summary(mine)).toEqual([
      ['Kid0', 2, 1, 'waiting'],
      ['Kid1', 4, 3, 'waiting'],
    ]);
    expect(mine.entries[0]!.responseNotes).toBe(REPLY);
    await expectNothingOf(mine, [2, 3, 4, 9]);

    const theirs = await scheduler.waitlist.list(otherParent, { sessionId: ids.Q });
    expect(summary(theirs)).toEqual([['Kid2', 3, 2, 'waiting']]);
    await expectNothingOf(theirs, [0, 1, 3, 4, 9]);

    // A parent with no child in the queue (or none on file) gets the length only.
    for (const actor of [{ kind: 'parent' } as const, { kind: 'parent', parentId: academy.parentId } as const]) {
      const queue = await scheduler.waitlist.list(actor, { sessionId: actor.parentId ? ids.empty : ids.Q });
      expect(queue.entries).toEqual([]);
      expect(queue.queueLength).toBe(actor.parentId ? 0 : 4);
    }
  });

  it('a student sees their own entry and the length; a student not queued, only the length', async () => {
    const own = await scheduler.waitlist.list({ kind: 'student', studentId: kid(1) }, { sessionId: ids.Q });
    expect(summary(own)).toEqual([['Kid1', 4, 3, 'waiting']]);
    expect(own.queueLength).toBe(4);
    await expectNothingOf(own, [0, 2, 3, 4, 9]);
    const outside = await scheduler.waitlist.list({ kind: 'student', studentId: kid(5) }, { sessionId: ids.Q });
    expect(outside).toEqual({ sessionId: ids.Q, queueLength: 4, entries: [] });
  });

  it('follows the queue: an accepted offer leaves it, the rest keep their order and move up', async () => {
    const session = await insertSession(database.db, academy, { capacity: 1, startTime: at('2030-03-06T15:00:00Z'), endTime: at('2030-03-06T16:00:00Z') });
    const taken = await scheduler.bookings.book(admin, { sessionId: session.id, studentId: kid(9) });
    if (taken.outcome !== 'confirmed') throw new Error('setup');
    const a = (await scheduler.waitlist.join(admin, { sessionId: session.id, studentId: kid(5) })).entry;
    await scheduler.waitlist.join(admin, { sessionId: session.id, studentId: kid(6) });
    await scheduler.waitlist.join(admin, { sessionId: session.id, studentId: kid(7) });
    await scheduler.bookings.cancel(admin, { bookingId: taken.booking.id, type: 'academy' });
    expect(summary(await scheduler.waitlist.list(admin, { sessionId: session.id }))).toEqual([
      ['Kid5', 1, 1, 'offered'],
      ['Kid6', 2, 2, 'waiting'],
      ['Kid7', 3, 3, 'waiting'],
    ]);
    await scheduler.waitlist.accept(admin, { waitlistId: a.id });
    const after = await scheduler.waitlist.list(admin, { sessionId: session.id });
    expect(after.queueLength).toBe(2);
    expect(summary(after)).toEqual([
      ['Kid6', 1, 1, 'waiting'],
      ['Kid7', 2, 2, 'waiting'],
    ]);
  });

  it('an empty queue is empty; an unknown session is NOT_FOUND, a malformed id INVALID_INPUT', async () => {
    expect(await scheduler.waitlist.list(admin, { sessionId: ids.empty })).toEqual({ sessionId: ids.empty, queueLength: 0, entries: [] });
    await refused('NOT_FOUND', () => scheduler.waitlist.list(admin, { sessionId: '00000000-0000-4000-8000-000000000001' }));
    expect(await refused('INVALID_INPUT', () => scheduler.waitlist.list(admin, { sessionId: 'SES-2030-0001' }))).toMatchObject({
      details: { path: ['sessionId'] },
    });
  });
});

/**
 * Who may see what: every read method (and what the writes that touch other families
 * return) called by every kind of actor against one seeded academy, asserting exactly
 * what each actor gets back — and, by walking the whole result (or the error), that
 * nothing of a child who is not theirs to see appears anywhere in it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, isSchedulingError, type Scheduler } from '../../../src';
import type { Actor } from '../../../src/service/kernel/types';
import { useTestDatabase } from '../../support/database';
import { type Academy, seedAcademy, createInput } from '../../support/fixtures';
import { refusedUnchanged } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;
const clock = { now: at('2029-12-01T08:00:00Z') };

const ACTORS = ['admin', 'system', 'sessionInstructor', 'otherInstructor', 'parent', 'otherParent', 'student', 'otherStudent'] as const;
type ActorName = (typeof ACTORS)[number];
let actors: Record<ActorName, Actor>;

/*
 * The families: `parent` has Kid0 (the child) and Kid1; `otherParent` has Kid2.
 * `student` is Kid0, `otherStudent` is Kid2. Kid3 and Kid4 have no parent on file.
 * `sessionInstructor` teaches S and W; `otherInstructor` teaches T.
 *
 * S (full, 3 places): Kid0, Kid2, Kid3 booked with medical notes; Kid1 then Kid4 waiting.
 * T: nobody. W (full, 1 place): Kid3 booked; Kid0 then Kid2 waiting.
 */
const ids = {} as { S: string; T: string; W: string; otherParentId: string; kid0UserId: string; kid0EntryInW: string; kid1EntryInS: string };
const kid = (i: number) => academy.studentIds[i]!;
const MEDICAL = ['Asthma: inhaler in the blue bag', 'Peanut allergy', 'Epilepsy: rescue medication at reception'];
const REQUESTS = ['Armbands please', 'Collected by grandma', 'Afraid of deep water'];
const AMOUNT = '17.25'; // charged for each booking in S; S's price is different on purpose
const S_IMPACT = '34.50'; // the financial impact of S's availability mismatch: two bookings charged AMOUNT
const URLS = { S: 'https://meet.example/s-9c1f', T: 'https://meet.example/t-77ab', W: 'https://meet.example/w-41d0' };
const PREP = { S: 'Bring the long floats', T: 'Lane ropes out', W: 'Warm-up on deck' };

/** Every string that would identify child `i` or carry their private data, to look for in results. */
const secrets: Record<number, string[]> = {};

/** Children whose data each actor may ever see (the exact rows are asserted per method). */
const mayKnow: Record<ActorName, number[]> = {
  admin: [0, 1, 2, 3, 4, 5],
  system: [0, 1, 2, 3, 4, 5],
  sessionInstructor: [0, 1, 2, 3, 4], // the participants and waitlisted students of S and W
  otherInstructor: [],
  parent: [0, 1],
  otherParent: [2],
  student: [0],
  otherStudent: [2],
};

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 6 });
  scheduler = createScheduler({ db: database.db, now: () => clock.now });
  const db = database.db;
  const admin = adminOf(academy);
  const [otherParent] = await db.insert(s.parents).values({ firstName: 'Olga', lastName: 'Other', email: 'olga@x.test' }).returning();
  ids.otherParentId = otherParent!.id;
  await db.insert(s.parentStudents).values([
    { parentId: academy.parentId, studentId: kid(0) },
    { parentId: academy.parentId, studentId: kid(1) },
    { parentId: otherParent!.id, studentId: kid(2) },
  ]);
  const [kid0User] = await db
    .insert(s.users)
    .values({ email: `kid0-${Math.random()}@x.test`, role: 'student' })
    .returning();
  ids.kid0UserId = kid0User!.id;
  await db
    .update(s.students)
    .set({ userId: kid0User!.id })
    .where(eq(s.students.id, kid(0)));
  actors = {
    admin,
    system: { kind: 'system' },
    sessionInstructor: { kind: 'instructor', instructorId: academy.instructorIds[0]! },
    otherInstructor: { kind: 'instructor', instructorId: academy.instructorIds[1]! },
    parent: { kind: 'parent', parentId: academy.parentId },
    otherParent: { kind: 'parent', parentId: otherParent!.id },
    student: { kind: 'student', studentId: kid(0) },
    otherStudent: { kind: 'student', studentId: kid(2) },
  };

  const create = async (name: 'S' | 'T' | 'W', overrides: Parameters<typeof createInput>[1]) =>
    (ids[name] = (
      await scheduler.sessions.create(admin, createInput(academy, { virtualMeetingUrl: URLS[name], preparationNotes: PREP[name], ...overrides }))
    ).session.id);
  await create('S', { capacity: 3, sessionPrice: '18.00', startTime: at('2030-01-15T15:00:00Z'), endTime: at('2030-01-15T16:00:00Z') });
  await create('T', {
    instructorId: academy.instructorIds[1]!,
    facilityId: academy.lanesId,
    startTime: at('2030-01-16T15:00:00Z'),
    endTime: at('2030-01-16T16:00:00Z'),
  });
  await create('W', { capacity: 1, startTime: at('2030-01-17T15:00:00Z'), endTime: at('2030-01-17T16:00:00Z') });

  const parentOf = [academy.parentId, undefined, otherParent!.id, undefined];
  for (const i of [0, 2, 3]) {
    await scheduler.bookings.book(admin, {
      sessionId: ids.S,
      studentId: kid(i),
      ...(parentOf[i] ? { parentId: parentOf[i] } : {}),
      medicalNotes: MEDICAL[i === 0 ? 0 : i === 2 ? 1 : 2],
      specialRequests: REQUESTS[i === 0 ? 0 : i === 2 ? 1 : 2],
      ...(i !== 3 ? { amountCharged: AMOUNT } : {}),
    });
  }
  ids.kid1EntryInS = (await scheduler.waitlist.join(actors.parent, { sessionId: ids.S, studentId: kid(1) })).entry.id;
  await scheduler.waitlist.join(admin, { sessionId: ids.S, studentId: kid(4) });
  await scheduler.bookings.book(admin, { sessionId: ids.W, studentId: kid(3) });
  ids.kid0EntryInW = (await scheduler.waitlist.join(actors.parent, { sessionId: ids.W, studentId: kid(0) })).entry.id;
  await scheduler.waitlist.join(actors.otherParent, { sessionId: ids.W, studentId: kid(2) });

  // Narrowing the instructor's availability records mismatches for S and W (with S's financial impact) …
  await scheduler.availability.add(admin, {
    instructorId: academy.instructorIds[0]!,
    availabilityType: 'regular',
    dayOfWeek: 1,
    startTime: '09:00',
    endTime: '10:00',
    effectiveFrom: '2029-12-01',
  });
  // … and a conflict naming a child on that instructor's session (written by hand: an administrator's record).
  await database.query(sql`INSERT INTO scheduling.schedule_conflicts (conflict_type, session_id, instructor_id, student_id, conflict_description, severity)
    VALUES ('student_conflict', ${ids.S}, ${academy.instructorIds[0]!}, ${kid(0)}, ${`Student ${kid(0)} is booked twice`}, 'high')`);

  const people = await db.select().from(s.students);
  const bookings = await db.select().from(s.sessionBookings);
  const entries = await db.select().from(s.sessionWaitlist);
  for (let i = 0; i < 6; i++) {
    const student = people.find((p) => p.id === kid(i))!;
    secrets[i] = [
      student.id,
      student.studentId,
      student.firstName,
      student.lastName,
      ...(student.userId ? [student.userId] : []),
      ...bookings.filter((b) => b.studentId === kid(i)).flatMap((b) => [b.id, b.bookingId, b.medicalNotes ?? '', b.specialRequests ?? '']),
      ...entries.filter((e) => e.studentId === kid(i)).flatMap((e) => [e.id, e.waitlistId]),
    ].filter((v) => v !== '');
  }
});

/** Every string (and number, as text) anywhere in a value: arrays, objects, error details and messages. */
function leaves(value: unknown, out: string[] = []): string[] {
  if (value === null || value === undefined) return out;
  if (value instanceof Date) return out;
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
  else if (value instanceof Error) {
    out.push(value.message);
    leaves((value as { details?: unknown }).details, out);
  } else if (Array.isArray(value)) for (const item of value) leaves(item, out);
  else if (typeof value === 'object') for (const item of Object.values(value)) leaves(item, out);
  return out;
}

/** Secrets of children the actor may not know that appear anywhere in the value. */
function leakedTo(name: ActorName, value: unknown): string[] {
  const text = leaves(value);
  const hidden = Object.keys(secrets)
    .map(Number)
    .filter((i) => !mayKnow[name].includes(i));
  return hidden.flatMap((i) => secrets[i]!.filter((secret) => text.some((t) => t.includes(secret))).map((secret) => `Kid${i}: ${secret}`));
}

type Outcome = { ok: unknown } | { error: unknown };
async function outcome(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: await fn() };
  } catch (error) {
    return { error };
  }
}

/**
 * Calls `call` as every actor. Those not `allowed` are refused with FORBIDDEN and the
 * database unchanged; the others get a result that `check` asserts. Either way, neither
 * the result nor the error mentions a child the actor may not know.
 */
async function everyActor<R>(call: (actor: Actor) => Promise<R>, allowed: readonly ActorName[], check: (result: R, name: ActorName) => void) {
  for (const name of ACTORS) {
    if (!allowed.includes(name)) {
      const error = await refusedUnchanged(database.db, () => call(actors[name]));
      expect(error.code, `${name} is refused`).toBe('FORBIDDEN');
      expect(leakedTo(name, error), `the refusal tells ${name} nothing`).toEqual([]);
      continue;
    }
    const result = await outcome(() => call(actors[name]));
    if ('error' in result)
      throw new Error(`${name} was refused: ${isSchedulingError(result.error) ? `${result.error.code} ${result.error.message}` : String(result.error)}`);
    expect(leakedTo(name, result.ok), `nothing of another family reaches ${name}`).toEqual([]);
    check(result.ok as R, name);
  }
}

const ADMINS: ActorName[] = ['admin', 'system'];

describe('sessions.get', () => {
  type Details = Awaited<ReturnType<Scheduler['sessions']['get']>>;
  const bookedIn = (d: Details) => d.bookings.map((b) => b.studentId);
  const noteOf = (d: Details, i: number) => d.bookings.find((b) => b.studentId === kid(i))?.medicalNotes;

  it("the timetable to everyone; bookings only to administrators, the session's instructor and each child's own family", async () => {
    const expected: Record<ActorName, { students: number[]; url: boolean; prep: boolean; email: boolean; money: boolean }> = {
      admin: { students: [0, 2, 3], url: true, prep: true, email: true, money: true },
      system: { students: [0, 2, 3], url: true, prep: true, email: true, money: true },
      sessionInstructor: { students: [0, 2, 3], url: true, prep: true, email: true, money: false },
      otherInstructor: { students: [], url: false, prep: false, email: false, money: false },
      parent: { students: [0], url: true, prep: false, email: false, money: true },
      otherParent: { students: [2], url: true, prep: false, email: false, money: true },
      student: { students: [0], url: true, prep: false, email: false, money: true },
      otherStudent: { students: [2], url: true, prep: false, email: false, money: true },
    };
    await everyActor(
      (actor) => scheduler.sessions.get(actor, { sessionId: ids.S }),
      ACTORS,
      (d, name) => {
        const want = expected[name];
        // The timetable: times, title, instructor, facility and free places, for everyone.
        expect(d).toMatchObject({ id: ids.S, title: 'Swim club', capacity: 3, currentBookings: 3, availableSpots: 0, instructorId: academy.instructorIds[0] });
        expect(d.instructor).toMatchObject({ id: academy.instructorIds[0], firstName: 'Coach0' });
        expect(d.facility.id).toBe(academy.poolId);
        expect(d.location.id).toBe(academy.locationId);
        expect(bookedIn(d), name).toEqual(want.students.map(kid));
        expect(d.virtualMeetingUrl, `${name}: meeting link`).toBe(want.url ? URLS.S : null);
        expect(d.preparationNotes, `${name}: preparation notes`).toBe(want.prep ? PREP.S : null);
        expect(d.instructor?.email ?? null, `${name}: the instructor's email`).toEqual(want.email ? expect.stringContaining('@academy.test') : null);
        for (const b of d.bookings) {
          // Medical notes: administrators, the session's instructor, and the child's own family.
          expect(b.medicalNotes).toBe(MEDICAL[b.studentId === kid(0) ? 0 : b.studentId === kid(2) ? 1 : 2]);
          expect(b.student.id).toBe(b.studentId);
          if (b.studentId !== kid(3)) expect(b.amountCharged, `${name}: what a family paid`).toBe(want.money ? AMOUNT : null);
        }
        const kid0 = d.bookings.find((b) => b.studentId === kid(0));
        if (kid0) expect(kid0.student.userId, `${name}: Kid0's login`).toBe(name === 'sessionInstructor' ? null : ids.kid0UserId);
      },
    );
  });

  it('a parent with no parentId, or an unlinked one, sees the session and no booking at all', async () => {
    const stranger = await database.db.insert(s.parents).values({ firstName: 'Sam', lastName: 'Stranger' }).returning();
    for (const actor of [{ kind: 'parent' } as const, { kind: 'parent', parentId: stranger[0]!.id } as const, { kind: 'student' } as const]) {
      const d = await scheduler.sessions.get(actor, { sessionId: ids.S });
      expect(d.bookings).toEqual([]);
      expect(noteOf(d, 0)).toBeUndefined();
      expect(d.virtualMeetingUrl).toBeNull();
    }
  });
});

describe('sessions.list', () => {
  it('every actor gets the same timetable; the meeting link only where they teach or their child holds a place', async () => {
    const linkSeenBy: Record<string, ActorName[]> = {
      S: ['admin', 'system', 'sessionInstructor', 'parent', 'otherParent', 'student', 'otherStudent'],
      T: ['admin', 'system', 'otherInstructor'],
      // W: Kid0 and Kid2 only wait for it; waiting gives no link.
      W: ['admin', 'system', 'sessionInstructor'],
    };
    const prepSeenBy: Record<string, ActorName[]> = {
      S: ['admin', 'system', 'sessionInstructor'],
      T: ['admin', 'system', 'otherInstructor'],
      W: ['admin', 'system', 'sessionInstructor'],
    };
    await everyActor(
      (actor) => scheduler.sessions.list(actor, { from: at('2030-01-01T00:00:00Z'), until: at('2030-02-01T00:00:00Z') }),
      ACTORS,
      (rows, name) => {
        expect(rows.map((r) => r.id)).toEqual([ids.S, ids.T, ids.W]);
        expect(rows.map((r) => [r.currentBookings, r.availableSpots])).toEqual([
          [3, 0],
          [0, 5],
          [1, 0],
        ]);
        for (const [key, id] of [
          ['S', ids.S],
          ['T', ids.T],
          ['W', ids.W],
        ] as const) {
          const row = rows.find((r) => r.id === id)!;
          expect(row.virtualMeetingUrl, `${name} / ${key}: link`).toBe(linkSeenBy[key]!.includes(name) ? URLS[key] : null);
          expect(row.preparationNotes, `${name} / ${key}: preparation`).toBe(prepSeenBy[key]!.includes(name) ? PREP[key] : null);
        }
      },
    );
  });
});

describe('bookings', () => {
  it("upcomingForStudent: the child's own family and administrators; nobody else, not even the child's instructor", async () => {
    await everyActor(
      (actor) => scheduler.bookings.upcomingForStudent(actor, { studentId: kid(0) }),
      ['admin', 'system', 'parent', 'student'],
      (rows) => {
        expect(rows.map((r) => [r.session.id, r.booking.studentId, r.booking.medicalNotes, r.booking.amountCharged])).toEqual([
          [ids.S, kid(0), MEDICAL[0], AMOUNT],
        ]);
        expect(rows[0]!.session.virtualMeetingUrl).toBe(URLS.S);
      },
    );
  });

  it("participants: administrators and the session's instructor, with medical notes; FORBIDDEN to everyone else", async () => {
    await everyActor(
      (actor) => scheduler.bookings.participants(actor, { sessionId: ids.S }),
      ['admin', 'system', 'sessionInstructor'],
      (rows) => {
        expect(rows.map((r) => [r.studentId, r.lastName, r.medicalNotes, r.specialRequests])).toEqual([
          [kid(0), 'Family0', MEDICAL[0], REQUESTS[0]],
          [kid(2), 'Family2', MEDICAL[1], REQUESTS[1]],
          [kid(3), 'Family3', MEDICAL[2], REQUESTS[2]],
        ]);
      },
    );
  });

  it("attendance.register: administrators and the session's instructor, with medical notes; FORBIDDEN to everyone else", async () => {
    await everyActor(
      (actor) => scheduler.attendance.register(actor, { sessionId: ids.S }),
      ['admin', 'system', 'sessionInstructor'],
      (rows) => {
        expect(rows.map((r) => [r.studentId, r.student.lastName, r.medicalNotes, r.specialRequests])).toEqual([
          [kid(0), 'Family0', MEDICAL[0], REQUESTS[0]],
          [kid(2), 'Family2', MEDICAL[1], REQUESTS[1]],
          [kid(3), 'Family3', MEDICAL[2], REQUESTS[2]],
        ]);
      },
    );
  });

  it("familySchedule: that parent and administrators, no one else (the family's own child included)", async () => {
    await everyActor(
      (actor) => scheduler.bookings.familySchedule(actor, { parentId: academy.parentId, from: at('2030-01-01T00:00:00Z'), until: at('2030-02-01T00:00:00Z') }),
      ['admin', 'system', 'parent'],
      ({ bookings, waitlist }, name) => {
        expect(bookings.map((b) => [b.session.id, b.student.id, b.booking.medicalNotes])).toEqual([[ids.S, kid(0), MEDICAL[0]]]);
        expect(waitlist.map((w) => [w.session.id, w.student.id, w.entry.position])).toEqual([
          [ids.S, kid(1), 1],
          [ids.W, kid(0), 1],
        ]);
        expect(bookings[0]!.session.preparationNotes).toBe(name === 'parent' ? null : PREP.S);
        expect(bookings[0]!.session.virtualMeetingUrl).toBe(URLS.S);
      },
    );
  });
});

describe('waitlist.position', () => {
  it("the waiting child's family and administrators; not the instructor, not another family", async () => {
    await everyActor(
      (actor) => scheduler.waitlist.position(actor, { waitlistId: ids.kid0EntryInW }),
      ['admin', 'system', 'parent', 'student'],
      (standing) => {
        expect(standing).toMatchObject({ position: 1, queueLength: 2, entry: { id: ids.kid0EntryInW, studentId: kid(0), sessionId: ids.W } });
      },
    );
  });
});

describe('conflicts', () => {
  it('list: administrators see every conflict; an instructor their own, without money or rows naming a child', async () => {
    type Rows = Awaited<ReturnType<Scheduler['conflicts']['list']>>;
    const mismatches = (rows: Rows) =>
      rows
        .filter((r) => r.conflictType === 'availability_mismatch')
        .map((r) => [r.sessionId, r.financialImpact])
        .sort();
    await everyActor(
      (actor) => scheduler.conflicts.list(actor, { instructorId: academy.instructorIds[0]! }),
      ['admin', 'system', 'sessionInstructor'],
      (rows, name) => {
        if (name === 'sessionInstructor') {
          expect(mismatches(rows)).toEqual(
            [
              [ids.S, null],
              [ids.W, null],
            ].sort(),
          );
          expect(rows.filter((r) => r.studentId !== null || r.conflictType === 'student_conflict')).toEqual([]);
          expect(leaves(rows).filter((t) => t === S_IMPACT || t === AMOUNT)).toEqual([]);
        } else {
          expect(mismatches(rows)).toEqual(
            [
              [ids.S, S_IMPACT],
              [ids.W, '0.00'],
            ].sort(),
          );
          expect(rows.filter((r) => r.conflictType === 'student_conflict').map((r) => r.studentId)).toEqual([kid(0)]);
        }
      },
    );
  });

  it('scan: administrators only', async () => {
    await everyActor(
      (actor) => scheduler.conflicts.scan(actor, { from: at('2030-01-01T00:00:00Z'), until: at('2030-01-31T00:00:00Z') }),
      ADMINS,
      (result) => expect(result.recorded).toEqual([]),
    );
  });
});

describe('availability', () => {
  it("findAvailableInstructors: administrators only (it shows every instructor's contact and workload)", async () => {
    await everyActor(
      (actor) =>
        scheduler.availability.findAvailableInstructors(actor, {
          locationId: academy.locationId,
          start: at('2030-01-21T14:00:00Z'),
          end: at('2030-01-21T15:00:00Z'),
        }),
      ADMINS,
      (rows) => expect(rows.map((r) => r.instructorId)).toEqual([academy.instructorIds[0]]),
    );
  });

  it('freeSlots: administrators and the instructor themself', async () => {
    await everyActor(
      (actor) =>
        scheduler.availability.freeSlots(actor, {
          instructorId: academy.instructorIds[0]!,
          locationId: academy.locationId,
          from: at('2030-01-21T00:00:00Z'),
          until: at('2030-01-22T00:00:00Z'),
          durationMinutes: 60,
        }),
      ['admin', 'system', 'sessionInstructor'],
      (slots) => expect(slots.map((slot) => slot.start)).toEqual([at('2030-01-21T14:00:00Z')]),
    );
  });
});

describe('reports', () => {
  it("feedback.averages: administrators and the session's instructor", async () => {
    await everyActor(
      (actor) => scheduler.feedback.averages(actor, { sessionId: ids.S }),
      ['admin', 'system', 'sessionInstructor'],
      (averages) => expect(averages.feedbackCount).toBe(0),
    );
  });

  it('resources.unallocatedMandatory and resources.costs: administrators only', async () => {
    await everyActor(
      (actor) => scheduler.resources.unallocatedMandatory(actor, { withinDays: 60 }),
      ADMINS,
      (rows) => expect(rows).toEqual([]),
    );
    await everyActor(
      (actor) => scheduler.resources.costs(actor, { sessionIds: [ids.S] }),
      ADMINS,
      (rows) => expect(rows).toEqual([{ sessionId: ids.S, totalCost: '0.00', resourceCount: 0 }]),
    );
  });

  it('maintenance.verifyIntegrity: administrators only', async () => {
    await everyActor(
      (actor) => scheduler.maintenance.verifyIntegrity(actor, {}),
      ADMINS,
      (findings) => expect(Array.isArray(findings)).toBe(true),
    );
  });

  it('notifications.claim: administrators only (the mailer gets names and contacts)', async () => {
    for (const name of ACTORS.filter((n) => !ADMINS.includes(n))) {
      expect((await refusedUnchanged(database.db, () => scheduler.notifications.claim(actors[name], {}))).code).toBe('FORBIDDEN');
    }
    expect(Array.isArray(await scheduler.notifications.claim(actors.system, { limit: 1 }))).toBe(true);
  });
});

describe('what writes return', () => {
  let day = 0;
  /** A full one-place session of the session's instructor: `holder` booked, `queue` waiting in order. */
  async function fullSession(holder: { student: number; parentId?: string }, queue: number[]) {
    day++;
    const start = new Date(Date.UTC(2030, 2, day, 15));
    const { session } = await scheduler.sessions.create(
      actors.admin,
      createInput(academy, { capacity: 1, startTime: start, endTime: new Date(start.getTime() + 3_600_000) }),
    );
    const booked = await scheduler.bookings.book(actors.admin, {
      sessionId: session.id,
      studentId: kid(holder.student),
      ...(holder.parentId ? { parentId: holder.parentId } : {}),
      amountCharged: AMOUNT,
      medicalNotes: 'Holder note',
    });
    if (booked.outcome !== 'confirmed') throw new Error('setup');
    const entries = [];
    for (const i of queue) entries.push((await scheduler.waitlist.join(actors.admin, { sessionId: session.id, studentId: kid(i) })).entry);
    return { session, booking: booked.booking, entries };
  }
  const offeredIn = async (sessionId: string) =>
    (await database.db.select().from(s.sessionWaitlist).where(eq(s.sessionWaitlist.sessionId, sessionId)))
      .filter((e) => e.status === 'offered')
      .map((e) => e.studentId);

  it('a parent cancelling gets their own booking back, but not whom the place was offered to', async () => {
    const { session, booking } = await fullSession({ student: 2, parentId: ids.otherParentId }, [0]);
    const result = await scheduler.bookings.cancel(actors.otherParent, { bookingId: booking.id, type: 'student' });
    expect(result.booking).toMatchObject({ id: booking.id, bookingStatus: 'cancelled', amountCharged: AMOUNT, medicalNotes: 'Holder note' });
    expect(result.promotion).toEqual({ offered: [], confirmed: [], expired: [], skipped: [] });
    expect(leakedTo('otherParent', result)).toEqual([]);
    // The place was offered all the same.
    expect(await offeredIn(session.id)).toEqual([kid(0)]);
  });

  it('a parent moving a booking, or declining an offer, does not learn who is next', async () => {
    const from = await fullSession({ student: 2, parentId: ids.otherParentId }, [0]);
    day++;
    const start = new Date(Date.UTC(2030, 2, day, 15));
    const { session: to } = await scheduler.sessions.create(
      actors.admin,
      createInput(academy, { capacity: 1, startTime: start, endTime: new Date(start.getTime() + 3_600_000) }),
    );
    const moved = await scheduler.bookings.move(actors.otherParent, { bookingId: from.booking.id, toSessionId: to.id });
    expect(moved.booking).toMatchObject({ sessionId: to.id, studentId: kid(2) });
    expect(moved.promotion.offered).toEqual([]);
    expect(leakedTo('otherParent', moved)).toEqual([]);
    expect(await offeredIn(from.session.id)).toEqual([kid(0)]);

    const next = await fullSession({ student: 3 }, [2, 0]);
    await scheduler.bookings.cancel(actors.admin, { bookingId: next.booking.id, type: 'academy' });
    const declined = await scheduler.waitlist.decline(actors.otherParent, { waitlistId: next.entries[0]!.id, notes: 'Away' });
    expect(declined.entry).toMatchObject({ studentId: kid(2), status: 'declined', responseNotes: 'Away' });
    expect(declined.promotion.offered).toEqual([]);
    expect(leakedTo('otherParent', declined)).toEqual([]);
    expect(await offeredIn(next.session.id)).toEqual([kid(0)]);
  });

  it('the parent of the child offered the place sees it in their own cancellation result when it is their child', async () => {
    const { session, booking, entries } = await fullSession({ student: 0, parentId: academy.parentId }, [1, 2]);
    const result = await scheduler.bookings.cancel(actors.parent, { bookingId: booking.id, type: 'student' });
    expect(result.promotion.offered.map((e) => [e.id, e.studentId, e.status])).toEqual([[entries[0]!.id, kid(1), 'offered']]);
    expect(leakedTo('parent', result)).toEqual([]);
    expect(await offeredIn(session.id)).toEqual([kid(1)]);
  });

  it("the session's instructor cancelling sees the next in line, but no money and no family's reply", async () => {
    const { booking, entries } = await fullSession({ student: 2, parentId: ids.otherParentId }, [4]);
    await database.db.update(s.sessionWaitlist).set({ responseNotes: 'Please call after six' }).where(eq(s.sessionWaitlist.id, entries[0]!.id));
    const result = await scheduler.bookings.cancel(actors.sessionInstructor, { bookingId: booking.id, type: 'instructor', reason: 'Ill' });
    expect(result.booking).toMatchObject({ id: booking.id, bookingStatus: 'cancelled', medicalNotes: 'Holder note', amountCharged: null });
    expect(result.promotion.offered.map((e) => [e.studentId, e.status, e.responseNotes])).toEqual([[kid(4), 'offered', null]]);
  });

  it("attendance returns the booking to the session's instructor with the medical notes and without the money", async () => {
    const { session, booking } = await fullSession({ student: 3 }, []);
    await database.db.update(s.sessions).set({ status: 'in_progress' }).where(eq(s.sessions.id, session.id));
    // Attendance is recorded once the class runs: a scheduler whose clock is at its start.
    const during = createScheduler({ db: database.db, now: () => session.startTime });
    const checked = await during.attendance.checkIn(actors.sessionInstructor, { bookingId: booking.id, at: session.startTime });
    expect(checked).toMatchObject({ id: booking.id, attendanceStatus: 'present', medicalNotes: 'Holder note', amountCharged: null });
    const [stored] = await database.db.select().from(s.sessionBookings).where(eq(s.sessionBookings.id, booking.id));
    expect(stored!.amountCharged).toBe(AMOUNT);
  });
});

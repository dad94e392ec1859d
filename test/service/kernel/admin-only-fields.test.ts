/**
 * Administrator-only decisions: what a class costs and whom it is for, how many it
 * takes and may queue, whether it is recorded, an instructor's concurrency limit, what
 * a family is charged. Each is refused with FORBIDDEN (naming the field) to anyone else,
 * with the database unchanged; administrators still make them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type Scheduler } from '../../../src';
import type { Actor } from '../../../src/service/kernel/types';
import type { UpdateSessionInput } from '../../../src/service/sessions/inputs';
import { useTestDatabase } from '../../support/database';
import { type Academy, insertSession, seedAcademy, sessionById, book, createInput } from '../../support/fixtures';
import { refusalsIn } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;
let admin: Actor;
let coach: Actor;
let parent: Actor;
const other = {} as { programId: string; courseId: string; levelId: string; curriculumId: string; locationId: string };

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 4 });
  scheduler = createScheduler({ db: database.db, now: () => at('2030-01-01T00:00:00Z') });
  admin = adminOf(academy);
  coach = { kind: 'instructor', userId: academy.adminId, instructorId: academy.instructorIds[0]! };
  parent = { kind: 'parent', parentId: academy.parentId };
  await database.db.insert(s.parentStudents).values([0, 1].map((i) => ({ parentId: academy.parentId, studentId: academy.studentIds[i]! })));
  const tag = Math.random().toString(36).slice(2);
  const [program] = await database.db
    .insert(s.programs)
    .values({ code: `DIVE-${tag}`, name: 'Diving' })
    .returning();
  const [course] = await database.db
    .insert(s.courses)
    .values({ code: `DIVE-1-${tag}`, name: 'Diving 1', programId: academy.programId })
    .returning();
  const [level] = await database.db
    .insert(s.levels)
    .values({ code: `L2-${tag}`, name: 'Level 2', programId: academy.programId })
    .returning();
  const [curriculum] = await database.db
    .insert(s.curricula)
    .values({ code: `C-${tag}`, name: 'Strokes', courseId: academy.courseId })
    .returning();
  const [location] = await database.db
    .insert(s.locations)
    .values({ code: `NORTH-${tag}`, name: 'North', timezone: 'America/New_York' })
    .returning();
  Object.assign(other, { programId: program!.id, courseId: course!.id, levelId: level!.id, curriculumId: curriculum!.id, locationId: location!.id });
});

const refused = refusalsIn(database);

let day = 0;
/** A session of the coach on its own day, priced, created by an administrator. */
async function coachSession() {
  day++;
  const start = new Date(Date.UTC(2030, 1, day, 15));
  const { session } = await scheduler.sessions.create(
    admin,
    createInput(academy, { sessionPrice: '18.00', startTime: start, endTime: new Date(start.getTime() + 3_600_000) }),
  );
  return session;
}

describe('sessions: only administrators decide', () => {
  const changes: Array<[string, () => Partial<UpdateSessionInput>]> = [
    ['sessionPrice', () => ({ sessionPrice: '30.00' })],
    ['discountPercentage', () => ({ discountPercentage: 50 })],
    ['maxWaitlistSize', () => ({ maxWaitlistSize: 40 })],
    ['courseId', () => ({ courseId: other.courseId })],
    ['programId', () => ({ programId: other.programId })],
    ['levelId', () => ({ levelId: other.levelId })],
    ['curriculumId', () => ({ curriculumId: other.curriculumId })],
    ['capacity', () => ({ capacity: 3 })],
    ['minParticipants', () => ({ minParticipants: 2 })],
    ['sessionType', () => ({ sessionType: 'private' })],
    ['locationId', () => ({ locationId: other.locationId })],
    ['instructorId', () => ({ instructorId: academy.instructorIds[1]! })],
    ['recordingEnabled', () => ({ recordingEnabled: true })],
  ];

  it.each(changes)("the session's instructor may not change %s (FORBIDDEN, nothing written); an administrator may", async (field, change) => {
    const session = await coachSession();
    const error = await refused(() => scheduler.sessions.update(coach, { sessionId: session.id, ...change() }));
    expect(error).toMatchObject({ code: 'FORBIDDEN', details: { path: [field] } });
    // Not even hidden among allowed changes.
    expect((await refused(() => scheduler.sessions.update(coach, { sessionId: session.id, title: 'Renamed', ...change() }))).code).toBe('FORBIDDEN');
    for (const actor of [parent, { kind: 'student', studentId: academy.studentIds[0]! } as const]) {
      expect((await refused(() => scheduler.sessions.update(actor, { sessionId: session.id, ...change() }))).code).toBe('FORBIDDEN');
    }
    if (field === 'locationId') return; // moving to another location needs a facility there as well
    // A private class takes at most 2 (the capacity policy), so the administrator lowers both at once.
    const decision = field === 'sessionType' ? { ...change(), capacity: 2 } : change();
    const { session: changed } = await scheduler.sessions.update(admin, { sessionId: session.id, ...decision });
    expect(changed).toMatchObject(
      field === 'sessionPrice' ? { sessionPrice: '30.00' } : field === 'discountPercentage' ? { discountPercentage: '50.00' } : decision,
    );
  });

  it("reschedule onto another instructor is the administrators' too", async () => {
    const session = await coachSession();
    const error = await refused(() =>
      scheduler.sessions.reschedule(coach, {
        sessionId: session.id,
        startTime: session.startTime,
        endTime: session.endTime,
        instructorId: academy.instructorIds[1]!,
      }),
    );
    expect(error).toMatchObject({ code: 'FORBIDDEN', details: { path: ['instructorId'] } });
  });

  it('the instructor still edits the rest of their session, and may send administrator fields back unchanged', async () => {
    const session = await coachSession();
    const { session: edited } = await scheduler.sessions.update(coach, {
      sessionId: session.id,
      title: 'Swim club – floats',
      preparationNotes: 'Bring floats',
      virtualMeetingUrl: 'https://meet.example/club',
      // What an edit form posts back: the same values, in another form.
      sessionPrice: 18,
      discountPercentage: '0',
      capacity: session.capacity,
      courseId: session.courseId,
      levelId: null,
      recordingEnabled: false,
    });
    expect(edited).toMatchObject({ title: 'Swim club – floats', preparationNotes: 'Bring floats', sessionPrice: '18.00', capacity: session.capacity });
    const moved = await scheduler.sessions.reschedule(coach, {
      sessionId: session.id,
      startTime: new Date(session.startTime.getTime() + 3_600_000),
      endTime: new Date(session.endTime.getTime() + 3_600_000),
    });
    expect(moved.session.startTime).toEqual(new Date(session.startTime.getTime() + 3_600_000));
  });

  it.each([
    ['sessionPrice', { sessionPrice: '25.00' }],
    ['discountPercentage', { discountPercentage: 10 }],
    ['maxWaitlistSize', { maxWaitlistSize: 0 }],
    ['capacity', { capacity: 3 }],
    ['minParticipants', { minParticipants: 2 }],
    ['recordingEnabled', { recordingEnabled: true }],
  ] as const)('an instructor creating their own session may not set %s (FORBIDDEN, nothing written)', async (field, values) => {
    day++;
    const start = new Date(Date.UTC(2030, 1, day, 15));
    const input = createInput(academy, { startTime: start, endTime: new Date(start.getTime() + 3_600_000) });
    expect(await refused(() => scheduler.sessions.create(coach, { ...input, ...values }))).toMatchObject({ code: 'FORBIDDEN', details: { path: [field] } });
    // With the defaults (left out, or given as they are) the session is created, for an administrator to price.
    const { session } = await scheduler.sessions.create(coach, { ...input, sessionPrice: null, discountPercentage: 0, recordingEnabled: false });
    expect(session).toMatchObject({ instructorId: academy.instructorIds[0], sessionPrice: null, discountPercentage: '0.00', maxWaitlistSize: 10, capacity: 5 });
    await scheduler.sessions.update(admin, { sessionId: session.id, ...values });
    expect(await sessionById(database.db, session.id)).toMatchObject(
      field === 'sessionPrice' ? { sessionPrice: '25.00' } : field === 'discountPercentage' ? { discountPercentage: '10.00' } : values,
    );
  });
});

describe('availability: an instructor may not raise their own concurrency limit', () => {
  const slot = (overrides: Record<string, unknown> = {}) => ({
    instructorId: academy.instructorIds[2]!,
    availabilityType: 'regular' as const,
    startTime: '09:00',
    endTime: '12:00',
    effectiveFrom: '2030-01-01',
    ...overrides,
  });
  const coach2 = (): Actor => ({ kind: 'instructor', instructorId: academy.instructorIds[2]! });

  it('adding a slot above their own limit is FORBIDDEN; at or below it is theirs', async () => {
    expect(await refused(() => scheduler.availability.add(coach2(), { ...slot({ dayOfWeek: 1 }), maxConcurrentSessions: 2 }))).toMatchObject({
      code: 'FORBIDDEN',
      details: { path: ['maxConcurrentSessions'] },
    });
    const { availability } = await scheduler.availability.add(coach2(), { ...slot({ dayOfWeek: 1 }), maxConcurrentSessions: 1 });
    expect(availability.maxConcurrentSessions).toBe(1);

    // Raising it later is refused too; lowering it (0: not teaching then) is not.
    expect((await refused(() => scheduler.availability.update(coach2(), { availabilityId: availability.id, maxConcurrentSessions: 3 }))).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await scheduler.availability.update(coach2(), { availabilityId: availability.id, maxConcurrentSessions: 0 })).availability.maxConcurrentSessions,
    ).toBe(0);
    // Back up to their own limit: restoring, not raising.
    expect(
      (await scheduler.availability.update(coach2(), { availabilityId: availability.id, maxConcurrentSessions: 1 })).availability.maxConcurrentSessions,
    ).toBe(1);
  });

  it('a limit an administrator raised stays; the instructor edits the slot but cannot raise it further', async () => {
    const { availability } = await scheduler.availability.add(admin, { ...slot({ dayOfWeek: 2 }), maxConcurrentSessions: 2 });
    const { availability: edited } = await scheduler.availability.update(coach2(), { availabilityId: availability.id, endTime: '13:00' });
    expect(edited).toMatchObject({ maxConcurrentSessions: 2, endTime: '13:00:00' });
    expect((await refused(() => scheduler.availability.update(coach2(), { availabilityId: availability.id, maxConcurrentSessions: 3 }))).code).toBe(
      'FORBIDDEN',
    );
    expect((await scheduler.availability.update(admin, { availabilityId: availability.id, maxConcurrentSessions: 3 })).availability.maxConcurrentSessions).toBe(
      3,
    );
  });

  it('an instructor whose own limit an administrator set to 2 may give a slot 2', async () => {
    await database.db.update(s.instructors).set({ maxConcurrentSessions: 2 }).where(eq(s.instructors.id, academy.instructorIds[2]!));
    try {
      const { availability } = await scheduler.availability.add(coach2(), { ...slot({ dayOfWeek: 3 }), maxConcurrentSessions: 2 });
      expect(availability.maxConcurrentSessions).toBe(2);
      expect((await refused(() => scheduler.availability.add(coach2(), { ...slot({ dayOfWeek: 4 }), maxConcurrentSessions: 3 }))).code).toBe('FORBIDDEN');
    } finally {
      await database.db.update(s.instructors).set({ maxConcurrentSessions: 1 }).where(eq(s.instructors.id, academy.instructorIds[2]!));
    }
  });
});

describe("bookings and makeups: what a family pays is the academy's decision", () => {
  async function openSession() {
    day++;
    const start = new Date(Date.UTC(2030, 1, day, 15));
    return insertSession(database.db, academy, { instructorId: null, startTime: start, endTime: new Date(start.getTime() + 3_600_000) });
  }

  it('a parent may not set the amount charged (book, bookMany); an administrator may', async () => {
    const session = await openSession();
    expect(
      await refused(() => scheduler.bookings.book(parent, { sessionId: session.id, studentId: academy.studentIds[0]!, amountCharged: '0.00' })),
    ).toMatchObject({
      code: 'FORBIDDEN',
      details: { path: ['amountCharged'] },
    });
    expect(
      await refused(() =>
        scheduler.bookings.bookMany(parent, {
          sessionId: session.id,
          students: [{ studentId: academy.studentIds[0]! }, { studentId: academy.studentIds[1]!, amountCharged: 1 }],
        }),
      ),
    ).toMatchObject({ code: 'FORBIDDEN', details: { path: ['students', 1, 'amountCharged'] } });
    const student = { kind: 'student', studentId: academy.studentIds[2]! } as const;
    expect((await refused(() => scheduler.bookings.book(student, { sessionId: session.id, studentId: academy.studentIds[2]!, amountCharged: 5 }))).code).toBe(
      'FORBIDDEN',
    );
    expect(await scheduler.bookings.book(parent, { sessionId: session.id, studentId: academy.studentIds[0]! })).toMatchObject({
      outcome: 'confirmed',
      booking: { amountCharged: null },
    });
    expect(
      await scheduler.bookings.book(admin, { sessionId: session.id, studentId: academy.studentIds[1]!, parentId: academy.parentId, amountCharged: 12.5 }),
    ).toMatchObject({
      outcome: 'confirmed',
      booking: { amountCharged: '12.50', parentId: academy.parentId },
    });
  });

  it('a parent may not choose the credits a makeup uses; the default of 1 is theirs to book', async () => {
    const original = await openSession();
    const bookingId = await book(database.db, original.id, academy.studentIds[0]!, { status: 'no_show' });
    const target = await openSession();
    expect(await refused(() => scheduler.makeups.book(parent, { originalBookingId: bookingId, sessionId: target.id, creditsUsed: 0 }))).toMatchObject({
      code: 'FORBIDDEN',
      details: { path: ['creditsUsed'] },
    });
    const { booking } = await scheduler.makeups.book(parent, { originalBookingId: bookingId, sessionId: target.id });
    expect(booking).toMatchObject({ isMakeupSession: true, sessionCreditsUsed: 1 });
  });

  it("waitlist priority and the offer window stay the administrators' (FORBIDDEN to a parent)", async () => {
    const session = await openSession();
    await database.db.update(s.sessions).set({ capacity: 1 }).where(eq(s.sessions.id, session.id));
    const taken = await scheduler.bookings.book(admin, { sessionId: session.id, studentId: academy.studentIds[3]! });
    if (taken.outcome !== 'confirmed') throw new Error('setup');
    expect((await refused(() => scheduler.waitlist.join(parent, { sessionId: session.id, studentId: academy.studentIds[0]!, priorityScore: 100 }))).code).toBe(
      'FORBIDDEN',
    );
    const { entry } = await scheduler.waitlist.join(parent, { sessionId: session.id, studentId: academy.studentIds[0]! });
    expect((await refused(() => scheduler.waitlist.leave(parent, { waitlistId: entry.id, offerWindowMinutes: 60 * 24 * 7 }))).code).toBe('FORBIDDEN');
  });
});

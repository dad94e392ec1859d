import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type Scheduler } from '../../../src';
import { useTestDatabase } from '../../support/database';
import { type Academy, insertSession, seedAcademy, book } from '../../support/fixtures';
import { errorOf, refusalsIn } from '../../support/refusals';
import { adminOf, instructorOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;
let quietCourseId: string;

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 6 });
  scheduler = createScheduler({ db: database.db, now: () => at('2030-09-01T00:00:00Z') });
  const [course] = await database.db
    .insert(s.courses)
    .values({ code: `QUIET-${Math.random()}`, name: 'Quiet', programId: academy.programId })
    .returning();
  quietCourseId = course!.id;
});

/** Refused, and the whole database unchanged. */
const refused = refusalsIn(database);

let day = 1;
/** A session of coach `coach` with students 0 and 1 booked (confirmed), then completed. */
async function completedSession(coach = 0, overrides: Partial<typeof s.sessions.$inferInsert> = {}) {
  const d = String(day++).padStart(2, '0');
  const session = await insertSession(database.db, academy, {
    instructorId: academy.instructorIds[coach]!,
    startTime: at(`2030-08-${d}T10:00:00Z`),
    endTime: at(`2030-08-${d}T11:00:00Z`),
    ...overrides,
  });
  await book(database.db, session.id, academy.studentIds[0]!);
  await book(database.db, session.id, academy.studentIds[1]!);
  await book(database.db, session.id, academy.studentIds[2]!, { status: 'cancelled' });
  await database.db.update(s.sessions).set({ status: 'completed' }).where(eq(s.sessions.id, session.id));
  return session;
}

const student = (i: number) => ({ kind: 'student' as const, studentId: academy.studentIds[i]! });
const coach = (i: number) => instructorOf(academy, i);
const parent = () => ({ kind: 'parent' as const, parentId: academy.parentId });

describe('feedback.submit', () => {
  it('a participant gives feedback once; a second piece is INVALID_STATE duplicate', async () => {
    const session = await completedSession();
    const row = await scheduler.feedback.submit(student(0), {
      sessionId: session.id,
      overallRating: 5,
      safetyRating: 4,
      feedbackText: 'Great',
      requiresFollowUp: true,
    });
    expect(row).toMatchObject({
      sessionId: session.id,
      feedbackSource: 'student',
      studentId: academy.studentIds[0],
      parentId: null,
      instructorId: academy.instructorIds[0],
      overallRating: 5,
      safetyRating: 4,
      requiresFollowUp: true,
      followUpCompleted: false,
    });
    const error = await refused(() => scheduler.feedback.submit(student(0), { sessionId: session.id, overallRating: 1 }));
    expect(error).toMatchObject({ code: 'INVALID_STATE', details: { reason: 'duplicate', feedbackSource: 'student' } });
  });

  it('only on a completed session', async () => {
    const session = await insertSession(database.db, academy, { startTime: at('2030-07-01T10:00:00Z'), endTime: at('2030-07-01T11:00:00Z') });
    await book(database.db, session.id, academy.studentIds[0]!);
    expect(await refused(() => scheduler.feedback.submit(student(0), { sessionId: session.id, overallRating: 3 }))).toMatchObject({
      code: 'INVALID_STATE',
      details: { reason: 'not_completed', sessionStatus: 'scheduled' },
    });
  });

  it("from a participant, their linked parent, the session's instructor or an admin — nobody else", async () => {
    const session = await completedSession();
    const ref = { sessionId: session.id, overallRating: 4 };
    expect((await refused(() => scheduler.feedback.submit(student(2), ref))).code).toBe('FORBIDDEN'); // cancelled booking
    expect((await refused(() => scheduler.feedback.submit(student(3), ref))).code).toBe('FORBIDDEN'); // never booked
    expect((await refused(() => scheduler.feedback.submit(parent(), ref))).code).toBe('FORBIDDEN'); // no linked child yet
    expect((await refused(() => scheduler.feedback.submit(coach(1), ref))).code).toBe('FORBIDDEN');
    expect((await refused(() => scheduler.feedback.submit({ kind: 'admin' }, ref))).code).toBe('INVALID_INPUT'); // admin feedback needs an author

    await database.db.insert(s.parentStudents).values([
      { parentId: academy.parentId, studentId: academy.studentIds[3]! },
      { parentId: academy.parentId, studentId: academy.studentIds[1]! },
    ]);
    expect((await refused(() => scheduler.feedback.submit(parent(), { ...ref, studentId: academy.studentIds[3]! }))).code).toBe('FORBIDDEN');
    expect(await scheduler.feedback.submit(parent(), ref)).toMatchObject({
      feedbackSource: 'parent',
      parentId: academy.parentId,
      studentId: academy.studentIds[1],
    });
    expect(await scheduler.feedback.submit(coach(0), { sessionId: session.id, feedbackText: 'Good group' })).toMatchObject({
      feedbackSource: 'instructor',
      instructorId: academy.instructorIds[0],
    });
    expect(await scheduler.feedback.submit(adminOf(academy), ref)).toMatchObject({ feedbackSource: 'admin', submittedBy: academy.adminId });
    expect((await refused(() => scheduler.feedback.submit(adminOf(academy), ref))).details.reason).toBe('duplicate');
    expect((await refused(() => scheduler.feedback.submit(parent(), ref))).details.reason).toBe('duplicate');
  });

  it('ratings are 1 to 5 and a rating or a text is required — in zod and in the database', async () => {
    const session = await completedSession();
    for (const overallRating of [0, 6, 2.5]) {
      expect(await refused(() => scheduler.feedback.submit(student(0), { sessionId: session.id, overallRating }))).toMatchObject({
        code: 'INVALID_INPUT',
        details: { path: ['overallRating'] },
      });
    }
    expect((await refused(() => scheduler.feedback.submit(student(0), { sessionId: session.id, safetyRating: 3 }))).code).toBe('INVALID_INPUT');
    const raw = await errorOf(() =>
      database.query(`INSERT INTO scheduling.session_feedback (session_id, feedback_source, overall_rating) VALUES ('${session.id}', 'admin', 6)`),
    );
    expect(String((raw as { cause?: { message?: string } }).cause?.message ?? raw)).toMatch(/chk_feedback_overall_rating/);
  });
});

describe('follow-ups and averages', () => {
  it('an admin marks a requested follow-up done, once; feedback without one is refused', async () => {
    const session = await completedSession();
    const asked = await scheduler.feedback.submit(student(0), { sessionId: session.id, overallRating: 2, requiresFollowUp: true });
    const plain = await scheduler.feedback.submit(student(1), { sessionId: session.id, overallRating: 5 });
    expect((await refused(() => scheduler.feedback.markFollowUpDone(coach(0), { feedbackId: asked.id }))).code).toBe('FORBIDDEN');
    expect(await scheduler.feedback.markFollowUpDone(adminOf(academy), { feedbackId: asked.id, notes: 'Called the family' })).toMatchObject({
      followUpCompleted: true,
      followUpNotes: 'Called the family',
    });
    expect((await refused(() => scheduler.feedback.markFollowUpDone(adminOf(academy), { feedbackId: asked.id }))).details.reason).toBe('already_done');
    expect((await refused(() => scheduler.feedback.markFollowUpDone(adminOf(academy), { feedbackId: plain.id }))).details.reason).toBe('no_follow_up');
  });

  it('averages per session, per instructor and per course count only the ratings given', async () => {
    const quiet = { courseId: quietCourseId };
    const first = await completedSession(2, quiet);
    const second = await completedSession(2, quiet);
    await scheduler.feedback.submit(student(0), { sessionId: first.id, overallRating: 5, instructionQuality: 4 });
    await scheduler.feedback.submit(student(1), { sessionId: first.id, overallRating: 4 });
    await scheduler.feedback.submit(student(0), { sessionId: second.id, overallRating: 2, instructionQuality: 3, feedbackText: 'Cold water' });
    await scheduler.feedback.submit(coach(2), { sessionId: second.id, feedbackText: 'Only text' });

    const none = { count: 0, average: null };
    expect(await scheduler.feedback.averages(adminOf(academy), { sessionId: first.id })).toEqual({
      feedbackCount: 2,
      overall: { count: 2, average: 4.5 },
      instructionQuality: { count: 1, average: 4 },
      facility: none,
      content: none,
      punctuality: none,
      communication: none,
      safety: none,
    });
    const byInstructor = await scheduler.feedback.averages(coach(2), { instructorId: academy.instructorIds[2]! });
    expect(byInstructor).toMatchObject({ feedbackCount: 4, overall: { count: 3, average: 3.67 }, instructionQuality: { count: 2, average: 3.5 } });
    expect(await scheduler.feedback.averages(adminOf(academy), { courseId: quietCourseId })).toEqual(byInstructor);
    expect((await scheduler.feedback.averages(adminOf(academy), { courseId: academy.courseId })).feedbackCount).toBeGreaterThan(0);

    expect((await refused(() => scheduler.feedback.averages(coach(1), { instructorId: academy.instructorIds[2]! }))).code).toBe('FORBIDDEN');
    expect((await refused(() => scheduler.feedback.averages(coach(1), { sessionId: first.id }))).code).toBe('FORBIDDEN');
    expect((await refused(() => scheduler.feedback.averages(student(0), { sessionId: first.id }))).code).toBe('FORBIDDEN');
    expect((await refused(() => scheduler.feedback.averages(adminOf(academy), { sessionId: first.id, courseId: quietCourseId }))).code).toBe('INVALID_INPUT');
  });
});

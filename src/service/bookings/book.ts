import type * as z from 'zod/mini';
import { SchedulingError } from '../../errors';
import type { SchedulingDb } from '../../db/scheduling-db';
import { isAdministrator } from '../kernel/actor';
import { requireActsForStudent, resolveParentId } from '../kernel/family-access';
import type { BookingRow, WaitlistRow } from '../kernel/rows';
import type { Actor } from '../kernel/types';
import { type BookingDetails, writeConfirmedBooking, writeDirectBooking } from '../places/booking-rows';
import { assertNotInSession, openSessionForBooking } from '../places/open-session';
import { assertStudentsFree } from '../places/session-load';
import type { PromotionSettings } from '../places/waitlist-promotion';
import { addToWaitlist } from '../places/waitlist-queue';
import type { bookManySchema, bookSchema } from './inputs';

/** Result of `bookings.book`: a place, or a place in the queue. Refusals are thrown. */
export type BookOutcome = { outcome: 'confirmed'; booking: BookingRow } | { outcome: 'waitlisted'; entry: WaitlistRow; position: number };

/** Result of `bookings.bookMany`: every sibling confirmed (refusals are thrown, nothing written). */
export interface BookManyResult {
  outcome: 'confirmed';
  bookings: BookingRow[];
}

/**
 * Books one student: confirmed when a place is free (offers held for waitlisted
 * students count as taken), otherwise queued when the waitlist has room. Refusals:
 * `FORBIDDEN`, `NOT_FOUND`, `NOT_BOOKABLE`, `ALREADY_BOOKED`, `STUDENT_CONFLICT`
 * (naming the session in the way), `WAITLIST_FULL`.
 *
 * @internal
 */
export async function bookStudent(tx: SchedulingDb, input: z.output<typeof bookSchema>, actor: Actor, settings: PromotionSettings): Promise<BookOutcome> {
  // An administrator booking without naming a parent needs nothing looked up first:
  // the short path declines for a student that does not exist, and the full path then
  // refuses with NOT_FOUND. Anyone else is checked before anything is written.
  const nothingToCheckFirst = isAdministrator(actor) && input.parentId === undefined;
  if (!nothingToCheckFirst) await requireActsForStudent(tx, actor, input.studentId, 'book a place for this student');
  const parentId = await resolveParentId(tx, actor, input.studentId, input.parentId);
  const details: BookingDetails = {
    sessionId: input.sessionId,
    studentId: input.studentId,
    parentId,
    source: input.source ?? actor.kind,
    specialRequests: input.specialRequests,
    medicalNotes: input.medicalNotes,
    amountCharged: input.amountCharged,
  };
  // Most bookings land in a session with room and no queue: one statement. Otherwise the full path below.
  const direct = await writeDirectBooking(tx, details, settings.now);
  if (direct) return { outcome: 'confirmed', booking: direct };
  if (nothingToCheckFirst) await requireActsForStudent(tx, actor, input.studentId, 'book a place for this student');
  return bookUnderLock(tx, details, settings);
}

/**
 * The full path of a booking: the session opened under its row lock (refused if it
 * takes no bookings, expired offers settled), the student checked, then confirmed
 * when a place is free (offers held count as taken), otherwise queued. Every refusal
 * of `bookings.book` comes from here.
 *
 * @internal
 */
export async function bookUnderLock(tx: SchedulingDb, details: BookingDetails, settings: PromotionSettings): Promise<BookOutcome> {
  const load = await openSessionForBooking(tx, details.sessionId, settings, async (session) => {
    await assertNotInSession(tx, session.id, details.studentId);
    await assertStudentsFree(tx, [details.studentId], session, [session.id]);
  });
  if (load.freeSpots > 0) return { outcome: 'confirmed', booking: await writeConfirmedBooking(tx, details) };
  const entry = await addToWaitlist(tx, load, { studentId: details.studentId, parentId: details.parentId ?? null, now: settings.now });
  return { outcome: 'waitlisted', entry, position: entry.position };
}

/**
 * Books siblings into one session, all or nothing: every student must be
 * confirmable now, otherwise nothing is written (`CAPACITY_EXCEEDED` with the
 * places requested and free when they do not all fit; no partial or waitlisted
 * outcome — families queue one child at a time with `book` or `waitlist.join`).
 * Students are written in id order, the lock order every booking path uses.
 *
 * @internal
 */
export async function bookSiblings(
  tx: SchedulingDb,
  input: z.output<typeof bookManySchema>,
  actor: Actor,
  settings: PromotionSettings,
): Promise<BookManyResult> {
  const ordered = [...input.students].sort((a, b) => (a.studentId < b.studentId ? -1 : 1));
  const parents = new Map<string, string | null>();
  for (const [i, student] of input.students.entries()) {
    await requireActsForStudent(tx, actor, student.studentId, 'book a place for this student', ['students', i, 'studentId']);
    parents.set(student.studentId, await resolveParentId(tx, actor, student.studentId, input.parentId));
  }
  const ids = ordered.map((s) => s.studentId);
  const load = await openSessionForBooking(tx, input.sessionId, settings, async (session) => {
    for (const id of ids) await assertNotInSession(tx, session.id, id);
    await assertStudentsFree(tx, ids, session, [session.id]);
  });
  if (load.freeSpots < ordered.length) {
    throw new SchedulingError(
      'CAPACITY_EXCEEDED',
      `Session ${load.session.sessionId} has ${load.freeSpots} free place(s), not ${ordered.length}: nobody was booked`,
      { sessionId: load.session.id, requested: ordered.length, available: load.freeSpots, reason: 'not_all_fit' },
    );
  }
  const bookings: BookingRow[] = [];
  for (const student of ordered) {
    bookings.push(
      await writeConfirmedBooking(tx, {
        sessionId: input.sessionId,
        studentId: student.studentId,
        parentId: parents.get(student.studentId) ?? null,
        source: input.source ?? actor.kind,
        specialRequests: student.specialRequests,
        medicalNotes: student.medicalNotes,
        amountCharged: student.amountCharged,
      }),
    );
  }
  return { outcome: 'confirmed', bookings };
}

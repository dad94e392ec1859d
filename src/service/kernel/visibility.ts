import { and, eq, inArray, ne } from 'drizzle-orm';
import { parentStudents, sessionBookings, sessions } from '../../schema/unqualified';
import { forbidden, isAdministrator } from './actor';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from './types';

/*
 * Who may see what. Whole calls that make no sense for an actor are refused with
 * FORBIDDEN where the method is defined (the README's "Who may see what" lists them);
 * this module is the one place that says which fields of which record an actor sees
 * once the call is allowed, and redacts rows accordingly. Privacy of children comes
 * first: a child's bookings, waitlist entries and record (name, code, medical notes)
 * reach administrators, the instructor of the session they are in, and the child's
 * own family — nobody else. The timetable (times, titles, instructor and facility,
 * free places, prices) is not private.
 */

/**
 * How an actor stands to a record:
 * - `administrator`: an admin or the system;
 * - `instructor`: the instructor of the session the record belongs to (for an
 *   instructor's own record or conflicts, that instructor);
 * - `family`: the child the record is about, or a parent linked to them in
 *   `parent_students` (for a session: a family with a place in it);
 * - `outsider`: anyone else — another family, another instructor, another student.
 */
export type Relation = 'administrator' | 'instructor' | 'family' | 'outsider';

/** `'none'`: the record is left out. A list: the fields returned as `null`. */
type Rule = 'none' | readonly string[];

/**
 * THE table: for each record and relation, what is withheld. A row an actor may not see
 * is left out of lists; a field they may not see comes back as `null`.
 *
 * - A booking (and the child's record with it): the child's family and administrators
 *   see all of it; the session's instructor sees who comes, attendance, special
 *   requests and medical notes, but not what the family paid, nor the child's login;
 *   nobody else sees it at all.
 * - A waitlist entry: the same, except that the instructor does not see the family's
 *   reply to an offer (`response_notes`).
 * - A conflict: administrators; the instructor it is about, without its financial
 *   impact (rows naming a child are for administrators only, see {@link conflictRelation}).
 * - A session: everyone sees the timetable; the preparation notes are the
 *   instructor's and the administrators'; the meeting link goes to them and to the
 *   families holding a place (a waiting family gets it when it accepts the offer).
 * - An instructor's record: their email and login only to administrators and to the
 *   instructor themself.
 *
 * @internal
 */
export const VISIBILITY = Object.freeze({
  booking: {
    administrator: [],
    instructor: ['amountCharged', 'discountApplied', 'paymentStatus', 'sessionCreditsUsed'],
    family: [],
    outsider: 'none',
  },
  student: { administrator: [], instructor: ['userId'], family: [], outsider: 'none' },
  waitlistEntry: { administrator: [], instructor: ['responseNotes'], family: [], outsider: 'none' },
  conflict: { administrator: [], instructor: ['financialImpact'], family: 'none', outsider: 'none' },
  session: { administrator: [], instructor: [], family: ['preparationNotes'], outsider: ['preparationNotes', 'virtualMeetingUrl'] },
  instructor: { administrator: [], instructor: [], family: ['email', 'userId'], outsider: ['email', 'userId'] },
} as const satisfies Record<string, Record<Relation, Rule>>);

/** A record kind of {@link VISIBILITY}. */
export type VisibleRecord = keyof typeof VISIBILITY;

/** The fields of a record that some relation gets as `null`. */
export type WithheldField<R extends VisibleRecord> = Exclude<(typeof VISIBILITY)[R][Relation], 'none'>[number];

/** A row as an actor sees it: the withheld fields may be `null`. */
export type Visible<T, K extends PropertyKey> = { [P in keyof T]: P extends K ? T[P] | null : T[P] };

/**
 * `row` as `relation` sees a `record`: a copy with the withheld fields set to `null`,
 * or null when the row is not theirs to see at all.
 *
 * @internal
 */
export function redact<R extends VisibleRecord, T extends object>(record: R, relation: Relation, row: T): Visible<T, WithheldField<R>> | null {
  const rule: Rule = VISIBILITY[record][relation];
  if (rule === 'none') return null;
  if (rule.length === 0) return row as Visible<T, WithheldField<R>>;
  const copy = { ...row } as Record<string, unknown>;
  for (const field of rule) if (field in copy) copy[field] = null;
  return copy as Visible<T, WithheldField<R>>;
}

/** What a session must tell about itself to be seen: its id and instructor. */
export interface SessionRef {
  id: string;
  instructorId: string | null;
}

/** What is known about the actor to decide relations (one read per call, at most two). */
export interface Viewer {
  administrator: boolean;
  /** The acting instructor, if any. */
  instructorId: string | null;
  /** The students whose family the actor is: a parent's linked students, or the student themself. */
  family: ReadonlySet<string>;
  /** Of the sessions asked about, those the actor teaches. */
  teaches: ReadonlySet<string>;
  /** Of the sessions asked about, those where the actor's family holds a place (a booking not cancelled). */
  holdsPlace: ReadonlySet<string>;
}

const NOTHING: ReadonlySet<string> = new Set();
const ADMINISTRATOR: Viewer = { administrator: true, instructorId: null, family: NOTHING, teaches: NOTHING, holdsPlace: NOTHING };

/**
 * What the relations of an actor to the given sessions (and their children) depend
 * on. Administrators need no read; an instructor's sessions are read only for those
 * given by id alone; a parent's family is read from `parent_students`; where a
 * family holds places is read only when sessions are given.
 *
 * @internal
 */
export async function loadViewer(tx: SchedulingDb, actor: Actor, about: ReadonlyArray<SessionRef | string> = []): Promise<Viewer> {
  if (isAdministrator(actor)) return ADMINISTRATOR;
  const sessionIds = [...new Set(about.map((s) => (typeof s === 'string' ? s : s.id)))];
  if (actor.kind === 'instructor') {
    const me = actor.instructorId;
    if (!me) return { administrator: false, instructorId: null, family: NOTHING, teaches: NOTHING, holdsPlace: NOTHING };
    const teaches = new Set(about.filter((s): s is SessionRef => typeof s !== 'string' && s.instructorId === me).map((s) => s.id));
    const unknown = about.filter((s): s is string => typeof s === 'string' && !teaches.has(s));
    if (unknown.length > 0) {
      const mine = await tx
        .select({ id: sessions.id })
        .from(sessions)
        .where(and(inArray(sessions.id, [...new Set(unknown)]), eq(sessions.instructorId, me)));
      for (const row of mine) teaches.add(row.id);
    }
    return { administrator: false, instructorId: me, family: NOTHING, teaches, holdsPlace: NOTHING };
  }
  const family = new Set(await familyOf(tx, actor));
  const holdsPlace = new Set<string>();
  if (family.size > 0 && sessionIds.length > 0) {
    const places = await tx
      .selectDistinct({ sessionId: sessionBookings.sessionId })
      .from(sessionBookings)
      .where(
        and(inArray(sessionBookings.sessionId, sessionIds), inArray(sessionBookings.studentId, [...family]), ne(sessionBookings.bookingStatus, 'cancelled')),
      );
    for (const row of places) holdsPlace.add(row.sessionId);
  }
  return { administrator: false, instructorId: null, family, teaches: NOTHING, holdsPlace };
}

async function familyOf(tx: SchedulingDb, actor: Actor): Promise<string[]> {
  if (actor.kind === 'student') return actor.studentId ? [actor.studentId] : [];
  if (actor.kind !== 'parent' || !actor.parentId) return [];
  const links = await tx.select({ studentId: parentStudents.studentId }).from(parentStudents).where(eq(parentStudents.parentId, actor.parentId));
  return links.map((l) => l.studentId);
}

/**
 * How the viewer stands to a child's record in a session (a booking, a waitlist
 * entry, the child's own record with them).
 *
 * @internal
 */
export function childRelation(viewer: Viewer, sessionId: string, studentId: string): Relation {
  if (viewer.administrator) return 'administrator';
  if (viewer.family.has(studentId)) return 'family';
  if (viewer.teaches.has(sessionId)) return 'instructor';
  return 'outsider';
}

/**
 * How the viewer stands to a session: administrator, its instructor, a family with a
 * place in it, or an outsider.
 *
 * @internal
 */
export function sessionRelation(viewer: Viewer, sessionId: string): Relation {
  if (viewer.administrator) return 'administrator';
  if (viewer.teaches.has(sessionId)) return 'instructor';
  if (viewer.holdsPlace.has(sessionId)) return 'family';
  return 'outsider';
}

/**
 * How the viewer stands to a conflict: the instructor it names sees it, unless it also
 * names a child (a student conflict spans sessions that are not all theirs).
 *
 * @internal
 */
export function conflictRelation(viewer: Viewer, conflict: { instructorId: string | null; studentId: string | null }): Relation {
  if (viewer.administrator) return 'administrator';
  if (viewer.instructorId && conflict.instructorId === viewer.instructorId && conflict.studentId === null) return 'instructor';
  return 'outsider';
}

/**
 * A booking as the viewer sees it, or null.
 *
 * @internal
 */
export function redactBooking<T extends { sessionId: string; studentId: string }>(viewer: Viewer, booking: T) {
  return redact('booking', childRelation(viewer, booking.sessionId, booking.studentId), booking);
}

/**
 * A booking with its student (`sessions.get`) as the viewer sees it, or null.
 *
 * @internal
 */
export function redactBookingWithStudent<T extends { sessionId: string; studentId: string; student: object }>(viewer: Viewer, booking: T) {
  const relation = childRelation(viewer, booking.sessionId, booking.studentId);
  const row = redact('booking', relation, booking);
  return row && { ...row, student: redact('student', relation, booking.student)! };
}

/**
 * A waitlist entry as the viewer sees it, or null.
 *
 * @internal
 */
export function redactEntry<T extends { sessionId: string; studentId: string }>(viewer: Viewer, entry: T) {
  return redact('waitlistEntry', childRelation(viewer, entry.sessionId, entry.studentId), entry);
}

/**
 * A waitlist entry with its student (`waitlist.list`) as the viewer sees it, or null.
 *
 * @internal
 */
export function redactEntryWithStudent<T extends { sessionId: string; studentId: string; student: object }>(viewer: Viewer, entry: T) {
  const relation = childRelation(viewer, entry.sessionId, entry.studentId);
  const row = redact('waitlistEntry', relation, entry);
  return row && { ...row, student: redact('student', relation, entry.student)! };
}

/**
 * A session row as the viewer sees it (never null: the timetable is public).
 *
 * @internal
 */
export function redactSession<T extends { id: string }>(viewer: Viewer, session: T) {
  return redact('session', sessionRelation(viewer, session.id), session)!;
}

/**
 * An instructor's record as the viewer sees it (never null: who teaches is public).
 *
 * @internal
 */
export function redactInstructor<T extends { id: string }>(viewer: Viewer, instructor: T) {
  const relation: Relation = viewer.administrator ? 'administrator' : viewer.instructorId === instructor.id ? 'instructor' : 'outsider';
  return redact('instructor', relation, instructor)!;
}

/**
 * A conflict as the viewer sees it, or null.
 *
 * @internal
 */
export function redactConflict<T extends { instructorId: string | null; studentId: string | null }>(viewer: Viewer, conflict: T) {
  return redact('conflict', conflictRelation(viewer, conflict), conflict);
}

/**
 * The rows the viewer may see, each as they see it.
 *
 * @internal
 */
export function visibleRows<T, V>(rows: readonly T[], see: (row: T) => V | null): V[] {
  const out: V[] = [];
  for (const row of rows) {
    const seen = see(row);
    if (seen !== null) out.push(seen);
  }
  return out;
}

/**
 * A row the actor has just acted on (their child's booking, their session's): as they
 * see it. Being refused here would mean the access rules of the operation and of this
 * table disagree, so it is `FORBIDDEN` (and the transaction rolls back) rather than a
 * row with holes.
 *
 * @internal
 */
export function seenByActor<V>(actor: Actor, seen: V | null, action: string): V {
  if (seen === null) throw forbidden(actor, action, 'not_visible');
  return seen;
}

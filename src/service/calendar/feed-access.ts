import { requireAdministratorOrInstructor } from '../kernel/actor';
import { requireActsForStudent, requireParentOrAdministrator } from '../kernel/family-access';
import { requireExisting } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import type { FeedSubject } from './inputs';

/*
 * Who may fetch which feed, by the rules of kernel/visibility.ts. A personal feed shows
 * where a child or an instructor will be, so it is as private as the bookings behind it:
 * - a student's feed: administrators, the student, the parents linked to them
 *   (`parent_students`) — exactly who may act for the student (`requireActsForStudent`);
 *   an instructor is refused (`instructors_do_not_book`: a child's own bookings are the family's);
 * - a parent's feed (all their linked children's sessions): administrators and that parent;
 * - an instructor's feed: administrators and that instructor;
 * - a location's or a facility's feed: everyone. It is the timetable, which
 *   visibility.ts says is not private (`sessions.list` shows the same to anyone), and
 *   the feed holds no booking, name or meeting link.
 * The subject must exist (`NOT_FOUND`), checked before the right, as every other
 * method does with its ids.
 */

/**
 * Throws `NOT_FOUND` when the subject does not exist and `FORBIDDEN` when the actor may
 * not fetch its feed (the rules above). `path` is where the subject was given.
 *
 * @internal
 */
export async function requireMayFetchFeed(tx: SchedulingDb, actor: Actor, subject: FeedSubject, path: Array<string | number>): Promise<void> {
  const action = `fetch the ${subject.kind} calendar feed`;
  if (subject.kind === 'student') {
    await requireActsForStudent(tx, actor, subject.id, action, path);
    return;
  }
  await requireExisting(tx, subject.kind, [subject.id], () => path);
  if (subject.kind === 'parent') requireParentOrAdministrator(actor, subject.id, action);
  else if (subject.kind === 'instructor') requireAdministratorOrInstructor(actor, subject.id, action, 'not_their_records');
}

/** True for the feeds anyone may fetch: the timetable of a place. */
export function isPublicFeed(subject: Pick<FeedSubject, 'kind'>): boolean {
  return subject.kind === 'location' || subject.kind === 'facility';
}

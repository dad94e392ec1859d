import { ACTIVE_WAITLIST_STATUSES, isOneOf } from '../../domain/statuses';
import { sqlList } from '../../db/sql-list';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { SchedulingError } from '../../errors';
import { type NotificationMethod, sessionWaitlist } from '../../schema/unqualified';
import { type SessionLoad } from './session-load';
import { alreadyBooked } from './booking-rows';
import { notFound } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { WaitlistRow } from '../kernel/rows';

/** A waitlist entry as callers name it: its uuid or its `WLT-…` code. */
export const WAITLIST_CODE = /^WLT-\d{4}-(?:\d+-)?\d{4,}$/;

/**
 * The active entries of a session (waiting, notified, offered) in queue order.
 *
 * @internal
 */
export async function activeEntries(tx: SchedulingDb, sessionId: string): Promise<WaitlistRow[]> {
  return tx
    .select()
    .from(sessionWaitlist)
    .where(and(eq(sessionWaitlist.sessionId, sessionId), inArray(sessionWaitlist.status, [...ACTIVE_WAITLIST_STATUSES])))
    .orderBy(asc(sessionWaitlist.position), asc(sessionWaitlist.addedAt), asc(sessionWaitlist.id));
}

/**
 * Renumbers the active entries of a session 1..n, keeping their order, so positions
 * never have gaps. Entries that left keep their last position (it must stay > 0).
 * The caller holds the session row lock, so two renumberings never interleave.
 *
 * @internal
 */
export async function renumberWaitlist(tx: SchedulingDb, sessionId: string): Promise<void> {
  await tx.execute(sql`
    UPDATE session_waitlist AS w
    SET position = r.rn, updated_at = now()
    FROM (
      SELECT id, row_number() OVER (ORDER BY position, added_at, id)::int AS rn
      FROM session_waitlist
      WHERE session_id = ${sessionId} AND status IN ${sqlList(ACTIVE_WAITLIST_STATUSES)}
    ) AS r
    WHERE w.id = r.id AND w.position <> r.rn`);
}

/** Who joins the queue and how they want to hear about a place. */
export interface WaitlistJoin {
  studentId: string;
  parentId?: string | null | undefined;
  priorityScore?: number | undefined;
  notificationMethod?: NotificationMethod | undefined;
  now: Date;
}

/**
 * Puts a student at the end of a full session's queue: `WAITLIST_FULL` when
 * `max_waitlist_size` active entries are already there (null = no limit),
 * `ALREADY_BOOKED` when the student is already in it. A row left from an earlier
 * stay (cancelled, declined, expired, accepted) is reused, as the unique
 * (session_id, student_id) requires. The caller holds the session row lock and
 * passes the session's load read under it.
 *
 * @internal
 */
export async function addToWaitlist(tx: SchedulingDb, load: SessionLoad, join: WaitlistJoin): Promise<WaitlistRow> {
  const { session } = load;
  const [existing] = await tx
    .select()
    .from(sessionWaitlist)
    .where(and(eq(sessionWaitlist.sessionId, session.id), eq(sessionWaitlist.studentId, join.studentId)))
    .for('update');
  if (existing && isOneOf(ACTIVE_WAITLIST_STATUSES, existing.status)) {
    throw alreadyBooked(session.id, join.studentId, { waitlistId: existing.id, status: existing.status, position: existing.position });
  }
  const limit = session.maxWaitlistSize;
  if (limit !== null && load.activeEntries >= limit) {
    throw new SchedulingError('WAITLIST_FULL', `The waitlist of session ${session.sessionId} is full (${limit} places)`, {
      sessionId: session.id,
      maxWaitlistSize: limit,
      waiting: load.activeEntries,
    });
  }
  const values = {
    parentId: join.parentId ?? null,
    position: load.activeEntries + 1,
    priorityScore: join.priorityScore ?? 0,
    addedAt: join.now,
    status: 'waiting' as const,
    notificationMethod: join.notificationMethod ?? null,
    notificationSent: false,
    notifiedAt: null,
    responseDeadline: null,
    expiresAt: null,
    responseReceivedAt: null,
    responseNotes: null,
    updatedAt: sql`now()`,
  };
  const [row] = existing
    ? await tx.update(sessionWaitlist).set(values).where(eq(sessionWaitlist.id, existing.id)).returning()
    : await tx
        .insert(sessionWaitlist)
        .values({ sessionId: session.id, studentId: join.studentId, ...values })
        .returning();
  return row!;
}

/**
 * The entry named by its uuid or `WLT-…` code (no lock), or `NOT_FOUND`.
 *
 * @internal
 */
export async function findEntry(tx: SchedulingDb, ref: string, path: Array<string | number> = ['waitlistId']): Promise<WaitlistRow> {
  const column = WAITLIST_CODE.test(ref) ? sessionWaitlist.waitlistId : sessionWaitlist.id;
  const [row] = await tx.select().from(sessionWaitlist).where(eq(column, ref));
  if (!row) throw notFound('waitlist entry', ref, path);
  return row;
}

/**
 * Ends one entry (`cancelled`, `declined`, `expired`, `accepted`) and closes the gap
 * it leaves. The caller holds the session row lock.
 *
 * @internal
 */
export async function closeEntry(
  tx: SchedulingDb,
  entry: WaitlistRow,
  change: { status: 'cancelled' | 'declined' | 'expired' | 'accepted'; now: Date; notes?: string | undefined; responded?: boolean },
): Promise<WaitlistRow> {
  const [row] = await tx
    .update(sessionWaitlist)
    .set({
      status: change.status,
      ...(change.responded ? { responseReceivedAt: change.now } : {}),
      ...(change.notes !== undefined ? { responseNotes: change.notes } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(sessionWaitlist.id, entry.id))
    .returning();
  await renumberWaitlist(tx, entry.sessionId);
  return row!;
}

/**
 * Cancels every active entry of a cancelled session, so no offer stays open for a
 * class that will not run and no notification is owed for it.
 *
 * @internal
 */
export async function cancelSessionWaitlist(tx: SchedulingDb, sessionId: string): Promise<WaitlistRow[]> {
  return tx
    .update(sessionWaitlist)
    .set({ status: 'cancelled', updatedAt: sql`now()` })
    .where(and(eq(sessionWaitlist.sessionId, sessionId), inArray(sessionWaitlist.status, [...ACTIVE_WAITLIST_STATUSES])))
    .returning();
}

/** Where an entry stands. */
export interface WaitlistStanding {
  entry: WaitlistRow;
  /** 1-based place among the active entries, or null once the entry has left the queue. */
  position: number | null;
  /** How many active entries the session's queue holds. */
  queueLength: number;
}

/**
 * An entry's place in its session's queue (positions are kept gap-free, so the
 * stored position is the place).
 *
 * @internal
 */
export async function waitlistStanding(tx: SchedulingDb, ref: string): Promise<WaitlistStanding> {
  const entry = await findEntry(tx, ref);
  const queue = await activeEntries(tx, entry.sessionId);
  const active = queue.some((e) => e.id === entry.id);
  return { entry, position: active ? entry.position : null, queueLength: queue.length };
}

import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import { requireMayFetchFeed } from './feed-access';
import { loadFeedSessions } from './feed-sessions';
import type { FeedSubject } from './inputs';
import { CALENDAR_CONTENT_TYPE, renderIcs } from './render-ics';

/** A calendar feed, ready to send: the body, its media type, and how many events it holds. */
export interface CalendarFeed {
  ics: string;
  contentType: typeof CALENDAR_CONTENT_TYPE;
  events: number;
}

/** What a feed shows: the sessions starting in `[from, until)` and how long cancelled ones stay. */
export interface FeedRange {
  from: Date;
  until: Date;
  cancelledForDays: number;
}

/**
 * The feed of `subject` over `range`, rendered: no access check (the callers make it).
 *
 * @internal
 */
export async function buildFeed(tx: SchedulingDb, subject: FeedSubject, range: FeedRange, now: Date): Promise<CalendarFeed> {
  const sessions = await loadFeedSessions(tx, subject, range, now);
  return { ics: renderIcs(sessions, now), contentType: CALENDAR_CONTENT_TYPE, events: sessions.length };
}

/**
 * `calendar.feed`: the feed of `subject` as `actor` may fetch it (`feed-access.ts`:
 * `NOT_FOUND` for an unknown subject, `FORBIDDEN` for someone else's personal feed).
 *
 * @internal
 */
export async function feedForActor(tx: SchedulingDb, actor: Actor, subject: FeedSubject, range: FeedRange, now: Date): Promise<CalendarFeed> {
  await requireMayFetchFeed(tx, actor, subject, [subject.kind]);
  return buildFeed(tx, subject, range, now);
}

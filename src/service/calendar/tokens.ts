import { and, asc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { calendarFeedTokens, parentStudents, type CalendarFeedKind } from '../../schema/unqualified';
import { isAdministrator } from '../kernel/actor';
import { notFound } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor } from '../kernel/types';
import { isPublicFeed, requireMayFetchFeed } from './feed-access';
import { type FeedSubject, TOKEN_PREFIX, createTokenSchema, listTokensSchema, revokeTokenSchema, subjectOf } from './inputs';

/*
 * Tokens of subscribable feed URLs. A token is 32 random bytes (base64url) behind the
 * prefix `acf_`, shown once, when it is made; the database keeps only its SHA-256
 * (`sha256(convert_to(token, 'UTF8'))`, computed by the database both when storing and
 * when looking up, so the two cannot disagree). Whoever holds the token reads the feed
 * without signing in, as a calendar app does — so a token is made only by someone who
 * may fetch that feed, and can be revoked.
 *
 * Who sees and revokes a token: administrators, any; anyone else, the tokens of the
 * personal feeds they may fetch (a family's tokens are the family's, whichever member
 * made them) and the tokens they made themselves. The tokens of a place's timetable
 * made by others are not theirs: a label such as "Pat's phone" is another family's.
 */

/** A token as listed: never the token, nor its hash. */
export interface CalendarToken {
  id: string;
  kind: CalendarFeedKind;
  subjectId: string;
  label: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A token just made: the row, and the token itself (returned this once). */
export interface CreatedCalendarToken extends CalendarToken {
  token: string;
}

const listed = {
  id: calendarFeedTokens.id,
  kind: calendarFeedTokens.feedKind,
  subjectId: calendarFeedTokens.subjectId,
  label: calendarFeedTokens.label,
  createdAt: calendarFeedTokens.createdAt,
  lastUsedAt: calendarFeedTokens.lastUsedAt,
  revokedAt: calendarFeedTokens.revokedAt,
};

/** The stored hash of a token, computed by the database. */
function tokenHash(token: string): SQL {
  return sql`sha256(convert_to(${token}, 'UTF8'))`;
}

/** A new token: the prefix and 32 bytes from the platform's CSPRNG, base64url without padding. */
function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const base64 = btoa(String.fromCharCode(...bytes));
  return TOKEN_PREFIX + base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * `calendar.createToken`: a token for a feed the actor may fetch (`NOT_FOUND`,
 * `FORBIDDEN` as `calendar.feed`).
 *
 * @internal
 */
export async function createToken(tx: SchedulingDb, input: z.output<typeof createTokenSchema>, actor: Actor, now: Date): Promise<CreatedCalendarToken> {
  const subject = subjectOf(input.feed);
  await requireMayFetchFeed(tx, actor, subject, ['feed', subject.kind]);
  const token = newToken();
  const [row] = await tx
    .insert(calendarFeedTokens)
    .values({
      tokenHash: tokenHash(token),
      feedKind: subject.kind,
      subjectId: subject.id,
      label: input.label ?? null,
      createdAt: now,
      createdBy: actor.userId ?? null,
    })
    .returning(listed);
  return { ...row!, token };
}

/** The personal feeds the actor may fetch (none for administrators, who see every token anyway). */
async function personalFeedsOf(tx: SchedulingDb, actor: Actor): Promise<FeedSubject[]> {
  switch (actor.kind) {
    case 'student':
      return actor.studentId ? [{ kind: 'student', id: actor.studentId }] : [];
    case 'instructor':
      return actor.instructorId ? [{ kind: 'instructor', id: actor.instructorId }] : [];
    case 'parent': {
      if (!actor.parentId) return [];
      const links = await tx.select({ studentId: parentStudents.studentId }).from(parentStudents).where(eq(parentStudents.parentId, actor.parentId));
      return [{ kind: 'parent', id: actor.parentId }, ...links.map((link): FeedSubject => ({ kind: 'student', id: link.studentId }))];
    }
    default:
      return [];
  }
}

/** The condition "the actor may see and revoke this token" (undefined: every token, for administrators). */
async function manageableBy(tx: SchedulingDb, actor: Actor): Promise<SQL | undefined> {
  if (isAdministrator(actor)) return undefined;
  const feeds = await personalFeedsOf(tx, actor);
  const t = calendarFeedTokens;
  const kinds = [...new Set(feeds.map((f) => f.kind))];
  return or(
    ...kinds.map((kind) =>
      and(
        eq(t.feedKind, kind),
        inArray(
          t.subjectId,
          feeds.filter((f) => f.kind === kind).map((f) => f.id),
        ),
      ),
    ),
    actor.userId ? eq(t.createdBy, actor.userId) : undefined,
    sql`false`,
  );
}

/**
 * `calendar.listTokens`: the tokens the actor may see, of one feed (which the actor must
 * be allowed to fetch) or of all, newest first. A place's tokens made by someone else
 * are left out for non-administrators.
 *
 * @internal
 */
export async function listTokens(tx: SchedulingDb, input: z.output<typeof listTokensSchema>, actor: Actor): Promise<CalendarToken[]> {
  const t = calendarFeedTokens;
  let feedFilter: SQL | undefined;
  if (input.feed) {
    const subject = subjectOf(input.feed);
    await requireMayFetchFeed(tx, actor, subject, ['feed', subject.kind]);
    feedFilter = and(eq(t.feedKind, subject.kind), eq(t.subjectId, subject.id));
    // A personal feed the actor may fetch is theirs: all its tokens. A place's: only their own.
    if (!isPublicFeed(subject) || isAdministrator(actor)) {
      return tx
        .select(listed)
        .from(t)
        .where(feedFilter)
        .orderBy(sql`${t.createdAt} DESC`, asc(t.id));
    }
  }
  return tx
    .select(listed)
    .from(t)
    .where(and(feedFilter, await manageableBy(tx, actor)))
    .orderBy(sql`${t.createdAt} DESC`, asc(t.id));
}

/**
 * `calendar.revokeToken`: the token stops opening its feed at once. Revoking a revoked
 * token changes nothing. A token the actor may not see is `NOT_FOUND`, as one that does
 * not exist.
 *
 * @internal
 */
export async function revokeToken(tx: SchedulingDb, input: z.output<typeof revokeTokenSchema>, actor: Actor, now: Date): Promise<CalendarToken> {
  const t = calendarFeedTokens;
  const [row] = await tx
    .select(listed)
    .from(t)
    .where(and(eq(t.id, input.id), await manageableBy(tx, actor)))
    .for('update');
  if (!row) throw notFound('calendar feed token', input.id, ['id']);
  if (row.revokedAt) return row;
  const [revoked] = await tx
    .update(t)
    .set({ revokedAt: now, revokedBy: actor.userId ?? null })
    .where(eq(t.id, row.id))
    .returning(listed);
  return revoked!;
}

/**
 * The live (not revoked) token `token` names, marked as used now, or undefined.
 *
 * @internal
 */
export async function useToken(tx: SchedulingDb, token: string, now: Date): Promise<FeedSubject | undefined> {
  const t = calendarFeedTokens;
  const [row] = await tx
    .update(t)
    .set({ lastUsedAt: now })
    .where(and(eq(t.tokenHash, tokenHash(token)), isNull(t.revokedAt)))
    .returning({ kind: t.feedKind, id: t.subjectId });
  return row;
}

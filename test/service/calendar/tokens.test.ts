import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../src/schema';
import { createScheduler, type Actor, type Scheduler } from '../../../src';
import { useTestDatabase } from '../../support/database';
import { type Academy, book, createInput, seedAcademy } from '../../support/fixtures';
import { errorOf, refusalsIn } from '../../support/refusals';
import { adminOf, instructorOf } from '../../support/actors';
import { at } from '../../support/time';
import { eventOf, parseFeed } from './parse-ics';

const database = useTestDatabase();
const refused = refusalsIn(database);
let academy: Academy;
let scheduler: Scheduler;
let now = at('2030-03-01T00:00:00Z');
let otherParentId: string;
let sessionId: string;
let farSessionId: string;

const kid = (i: number) => academy.studentIds[i]!;
const admin = () => adminOf(academy);
const pat = (): Actor => ({ kind: 'parent', parentId: academy.parentId, userId: '5a1f3c3e-9d5b-4a55-8f6f-0e8c1d2b3a4f' });
const olga = (): Actor => ({ kind: 'parent', parentId: otherParentId });

beforeAll(async () => {
  academy = await seedAcademy(database.db, { timeZone: 'America/New_York', students: 2 });
  scheduler = createScheduler({ db: database.db, now: () => now });
  const [other] = await database.db
    .insert(s.parents)
    .values({ firstName: 'Olga', lastName: 'Other', email: `olga-tok-${process.pid}@x.test` })
    .returning();
  otherParentId = other!.id;
  await database.db.insert(s.parentStudents).values([
    { parentId: academy.parentId, studentId: kid(0) },
    { parentId: otherParentId, studentId: kid(1) },
  ]);
  sessionId = (await scheduler.sessions.create(admin(), createInput(academy, { startTime: at('2030-03-12T21:00:00Z'), endTime: at('2030-03-12T22:00:00Z') })))
    .session.id;
  // Beyond the default window (180 days after the clock).
  farSessionId = (
    await scheduler.sessions.create(admin(), createInput(academy, { startTime: at('2030-10-01T21:00:00Z'), endTime: at('2030-10-01T22:00:00Z') }))
  ).session.id;
  await book(database.db, sessionId, kid(0));
  await book(database.db, farSessionId, kid(0));
});

/** The stored rows of the token table. */
const storedTokens = () => database.db.select().from(s.calendarFeedTokens);

describe('calendar.createToken and feedForToken', () => {
  it('returns a token once (acf_ + 32 random bytes in base64url); only its SHA-256 is stored', async () => {
    const created = await scheduler.calendar.createToken(pat(), { feed: { student: kid(0) }, label: "Pat's phone" });
    expect(created.token).toMatch(/^acf_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ kind: 'student', subjectId: kid(0), label: "Pat's phone", createdAt: now, lastUsedAt: null, revokedAt: null });
    const [row] = (await storedTokens()).filter((r) => r.id === created.id);
    const hash = Buffer.from(row!.tokenHash);
    expect(hash.equals(createHash('sha256').update(created.token, 'utf8').digest())).toBe(true);
    expect(hash.toString('utf8')).not.toContain(created.token);
    expect(JSON.stringify(await storedTokens())).not.toContain(created.token.slice(4));
    const again = await scheduler.calendar.createToken(pat(), { feed: { student: kid(0) } });
    expect(again.token).not.toBe(created.token);
  });

  it('feedForToken serves the token’s feed (default: 30 days back, 180 ahead), parsed back to the session’s instants, and records last_used_at', async () => {
    const { token, id } = await scheduler.calendar.createToken(admin(), { feed: { parent: academy.parentId } });
    now = at('2030-03-02T08:00:00Z');
    const feed = await scheduler.calendar.feedForToken(token);
    expect(feed.contentType).toBe('text/calendar; charset=utf-8');
    const parsed = parseFeed(feed.ics);
    expect(parsed.events.map((e) => e.uid)).toEqual([`${sessionId}@academy-scheduling`]);
    expect(parsed.timezones).toEqual(['America/New_York']);
    expect(eventOf(parsed, sessionId)).toMatchObject({ tzid: 'America/New_York', localStart: '2030-03-12T17:00:00' });
    expect(eventOf(parsed, sessionId)!.start.toISOString()).toBe('2030-03-12T21:00:00.000Z');
    // An explicit range reaches further.
    const wide = await scheduler.calendar.feedForToken(token, { from: at('2030-03-01T00:00:00Z'), until: at('2031-01-01T00:00:00Z') });
    expect(wide.events).toBe(2);
    const [listed] = await scheduler.calendar.listTokens(admin(), { feed: { parent: academy.parentId } });
    expect(listed).toMatchObject({ id, lastUsedAt: at('2030-03-02T08:00:00Z') });
    now = at('2030-03-01T00:00:00Z');
  });

  it('the creator must be allowed to fetch the feed: FORBIDDEN otherwise, nothing stored', async () => {
    await expect(refused('FORBIDDEN', () => scheduler.calendar.createToken(olga(), { feed: { student: kid(0) } }))).resolves.toMatchObject({
      details: { reason: 'not_linked_to_student' },
    });
    await refused('FORBIDDEN', () => scheduler.calendar.createToken(instructorOf(academy, 0), { feed: { instructor: academy.instructorIds[1]! } }));
    await refused('INVALID_INPUT', () => scheduler.calendar.createToken(pat(), { feed: {} }));
    await refused('INVALID_INPUT', () => scheduler.calendar.createToken(pat(), { feed: { student: kid(0) }, label: 'x'.repeat(101) }));
  });
});

describe('calendar.listTokens and revokeToken', () => {
  it('lists id, kind, subject, label and times — never the token or its hash', async () => {
    const created = await scheduler.calendar.createToken(instructorOf(academy, 0), { feed: { instructor: academy.instructorIds[0]! }, label: 'Coach' });
    const listed = await scheduler.calendar.listTokens(instructorOf(academy, 0), {});
    expect(listed).toEqual([
      { id: created.id, kind: 'instructor', subjectId: academy.instructorIds[0], label: 'Coach', createdAt: now, lastUsedAt: null, revokedAt: null },
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.token);
  });

  it('a family sees its own feeds’ tokens; another family sees none of them, and its place tokens only its own', async () => {
    const family = await scheduler.calendar.listTokens(pat(), {});
    expect(family.length).toBeGreaterThanOrEqual(3);
    expect(new Set(family.map((t) => `${t.kind}:${t.subjectId}`))).toEqual(new Set([`student:${kid(0)}`, `parent:${academy.parentId}`]));
    expect(await scheduler.calendar.listTokens(olga(), {})).toEqual([]);
    await expect(refused('FORBIDDEN', () => scheduler.calendar.listTokens(olga(), { feed: { student: kid(0) } }))).resolves.toMatchObject({
      details: { reason: 'not_linked_to_student' },
    });
    // A location's timetable: anyone may make a token, but sees only the ones they made.
    const olgaWithUser: Actor = { ...olga(), userId: '6a1f3c3e-9d5b-4a55-8f6f-0e8c1d2b3a4f' };
    const mine = await scheduler.calendar.createToken(olgaWithUser, { feed: { location: academy.locationId }, label: 'Olga at the pool' });
    await scheduler.calendar.createToken(admin(), { feed: { location: academy.locationId }, label: 'Front desk' });
    expect((await scheduler.calendar.listTokens(olgaWithUser, { feed: { location: academy.locationId } })).map((t) => t.id)).toEqual([mine.id]);
    expect(await scheduler.calendar.listTokens(pat(), { feed: { location: academy.locationId } })).toEqual([]);
    expect(await scheduler.calendar.listTokens(admin(), { feed: { location: academy.locationId } })).toHaveLength(2);
  });

  it('a revoked token and an unknown one are refused alike (NOT_FOUND, the token not echoed); revoking twice changes nothing', async () => {
    const { token, id } = await scheduler.calendar.createToken(pat(), { feed: { student: kid(0) } });
    await expect(scheduler.calendar.feedForToken(token)).resolves.toMatchObject({ events: 1 });
    // Another family cannot revoke it, and is told it does not exist.
    await refused('NOT_FOUND', () => scheduler.calendar.revokeToken(olga(), { id }));
    now = at('2030-03-01T09:00:00Z');
    const revoked = await scheduler.calendar.revokeToken(pat(), { id });
    expect(revoked).toMatchObject({ id, revokedAt: now });
    now = at('2030-03-01T10:00:00Z');
    expect(await scheduler.calendar.revokeToken(admin(), { id })).toMatchObject({ revokedAt: at('2030-03-01T09:00:00Z') });
    const refusals = [
      await refused('NOT_FOUND', () => scheduler.calendar.feedForToken(token)),
      await refused('NOT_FOUND', () => scheduler.calendar.feedForToken(`acf_${'A'.repeat(43)}`)),
      await refused('NOT_FOUND', () => scheduler.calendar.feedForToken('not a token at all')),
    ];
    for (const error of refusals) {
      expect(error.message).toBe(refusals[0]!.message);
      expect(error.details).toEqual(refusals[0]!.details);
      expect(error.message).not.toContain(token);
    }
    await refused('NOT_FOUND', () => scheduler.calendar.revokeToken(admin(), { id: '7d1f3c3e-9d5b-4a55-8f6f-0e8c1d2b3a4f' }));
  });

  it('INVALID_INPUT for a token that is not a string and for bad ranges (explicit or defaulted)', async () => {
    const { token } = await scheduler.calendar.createToken(admin(), { feed: { facility: academy.poolId } });
    await expect(refused('INVALID_INPUT', () => scheduler.calendar.feedForToken(42 as never))).resolves.toMatchObject({ details: { path: ['token'] } });
    await expect(
      refused('INVALID_INPUT', () => scheduler.calendar.feedForToken(token, { from: at('2030-01-01T00:00:00Z'), until: at('2031-03-01T00:00:00Z') })),
    ).resolves.toMatchObject({ details: { path: ['until'] } });
    // Only `from`, after the default `until`.
    await expect(refused('INVALID_INPUT', () => scheduler.calendar.feedForToken(token, { from: at('2031-01-01T00:00:00Z') }))).resolves.toMatchObject({
      details: { path: ['until'] },
    });
    await expect(refused('INVALID_INPUT', () => scheduler.calendar.feedForToken(token, { limit: 3 } as never))).resolves.toMatchObject({
      details: { path: [] },
    });
    expect(await errorOf(() => scheduler.calendar.feedForToken(token, {}, { tx: 'nope' } as never))).toMatchObject({ code: 'INVALID_INPUT' });
  });
});

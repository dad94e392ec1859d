import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type Actor, type Scheduler } from '../../../src';
import { useTestDatabase } from '../../support/database';
import { type Academy, book, createInput, seedAcademy, sessionById } from '../../support/fixtures';
import { refusalsIn } from '../../support/refusals';
import { adminOf, instructorOf } from '../../support/actors';
import { at } from '../../support/time';
import { eventOf, parseFeed } from './parse-ics';

const database = useTestDatabase();
const refused = refusalsIn(database);
let academy: Academy;
let scheduler: Scheduler;
/** The scheduler's clock; tests move it. */
let now = at('2030-03-01T00:00:00Z');
let otherParentId: string;
let otherLocationId: string;
const ids: Record<string, string> = {};

const kid = (i: number) => academy.studentIds[i]!;
const admin = () => adminOf(academy);
const pat = (): Actor => ({ kind: 'parent', parentId: academy.parentId });
const olga = (): Actor => ({ kind: 'parent', parentId: otherParentId });
const student = (i: number): Actor => ({ kind: 'student', studentId: kid(i) });
const range = { from: at('2030-03-01T00:00:00Z'), until: at('2030-06-01T00:00:00Z') };

/** Makes a session through the scheduler (times local to Berlin) and returns its id. */
async function session(name: string, overrides: Parameters<typeof createInput>[1]) {
  ids[name] = (await scheduler.sessions.create(admin(), createInput(academy, overrides))).session.id;
  return ids[name]!;
}
const local = (date: string, time: string) => ({ date, time });

beforeAll(async () => {
  // Berlin springs forward on Sunday 31 March 2030: the Thursday class at 17:00 is 16:00Z before, 15:00Z after.
  academy = await seedAcademy(database.db, { timeZone: 'Europe/Berlin', students: 4 });
  scheduler = createScheduler({ db: database.db, now: () => now });
  const [other] = await database.db
    .insert(s.parents)
    .values({ firstName: 'Olga', lastName: 'Other', email: `olga-cal-${process.pid}@x.test` })
    .returning();
  otherParentId = other!.id;
  await database.db.insert(s.parentStudents).values([
    { parentId: academy.parentId, studentId: kid(0) },
    { parentId: academy.parentId, studentId: kid(2) },
    { parentId: otherParentId, studentId: kid(1) },
  ]);
  const [elsewhere] = await database.db
    .insert(s.locations)
    .values({ code: `NYC-${process.pid}`, name: 'Harbor', timezone: 'America/New_York' })
    .returning();
  otherLocationId = elsewhere!.id;
  const [harborPool] = await database.db
    .insert(s.facilities)
    .values({ code: `HPOOL-${process.pid}`, name: 'Harbor pool', locationId: otherLocationId })
    .returning();

  await session('before', { title: 'Thursday swim', startTime: local('2030-03-28', '17:00'), endTime: local('2030-03-28', '18:00') });
  await session('after', { title: 'Thursday swim', startTime: local('2030-04-04', '17:00'), endTime: local('2030-04-04', '18:00') });
  await session('kid1', {
    title: 'Lanes',
    facilityId: academy.lanesId,
    instructorId: academy.instructorIds[1]!,
    startTime: local('2030-03-29', '10:00'),
    endTime: local('2030-03-29', '11:00'),
  });
  await session('kid2', {
    title: 'Diving',
    instructorId: academy.instructorIds[2]!,
    startTime: local('2030-04-02', '09:00'),
    endTime: local('2030-04-02', '10:00'),
  });
  await session('pending', { title: 'Pending', startTime: local('2030-04-09', '17:00'), endTime: local('2030-04-09', '18:00') });
  await session('dropped', { title: 'Dropped by family', startTime: local('2030-04-10', '17:00'), endTime: local('2030-04-10', '18:00') });
  await session('completed', { title: 'Done', startTime: local('2030-03-05', '17:00'), endTime: local('2030-03-05', '18:00') });
  await session('outOfRange', { title: 'June', startTime: local('2030-06-06', '17:00'), endTime: local('2030-06-06', '18:00') });
  ids.harbor = (
    await scheduler.sessions.create(admin(), {
      ...createInput(academy, { locationId: otherLocationId, facilityId: harborPool!.id, instructorId: academy.instructorIds[1]! }),
      title: 'Harbor swim',
      startTime: local('2030-03-07', '17:00'),
      endTime: local('2030-03-07', '18:00'),
    })
  ).session.id;

  await book(database.db, ids.before!, kid(0));
  await book(database.db, ids.after!, kid(0));
  await book(database.db, ids.kid1!, kid(1));
  await book(database.db, ids.kid2!, kid(2));
  await book(database.db, ids.pending!, kid(0), { status: 'pending' });
  await book(database.db, ids.dropped!, kid(0), { status: 'cancelled' });
  await book(database.db, ids.completed!, kid(0));
  await book(database.db, ids.outOfRange!, kid(0));
  await book(database.db, ids.harbor!, kid(0));
  await database.db.update(s.sessions).set({ status: 'completed' }).where(eq(s.sessions.id, ids.completed!));
  await database.db.update(s.sessionBookings).set({ bookingStatus: 'completed' }).where(eq(s.sessionBookings.sessionId, ids.completed!));
});

const uids = (ics: string) =>
  parseFeed(ics)
    .events.map((e) => e.uid.replace('@academy-scheduling', ''))
    .sort();
const idsOf = (...names: string[]) => names.map((n) => ids[n]!).sort();

describe('calendar.feed: the calendar itself', () => {
  it('is a published RFC 5545 calendar: PRODID, METHOD:PUBLISH, refresh hints, one VEVENT per session, no ORGANIZER or RRULE', async () => {
    const feed = await scheduler.calendar.feed(student(0), { student: kid(0), ...range });
    expect(feed.contentType).toBe('text/calendar; charset=utf-8');
    expect(feed.ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(feed.ics).toContain('\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n');
    const parsed = parseFeed(feed.ics);
    expect(parsed.property('version')).toBe('2.0');
    expect(parsed.property('prodid')).toBe('-//academy-scheduling//calendar feed//EN');
    expect(parsed.property('method')).toBe('PUBLISH');
    expect(parsed.property('x-published-ttl')).toBe('PT1H');
    expect(parsed.events).toHaveLength(feed.events);
    for (const name of ['organizer', 'attendee', 'rrule', 'rdate']) expect(parsed.propertyNames).not.toContain(name);
  });

  it('keeps a weekly 17:00 class at 17:00 Berlin time across the spring-forward: TZID and VTIMEZONE present, UTC instants an hour apart', async () => {
    const parsed = parseFeed((await scheduler.calendar.feed(admin(), { student: kid(0), ...range })).ics);
    expect(parsed.timezones).toContain('Europe/Berlin');
    const before = eventOf(parsed, ids.before!)!;
    const after = eventOf(parsed, ids.after!)!;
    expect([before.tzid, after.tzid]).toEqual(['Europe/Berlin', 'Europe/Berlin']);
    expect([before.localStart, after.localStart]).toEqual(['2030-03-28T17:00:00', '2030-04-04T17:00:00']);
    expect([before.start.toISOString(), after.start.toISOString()]).toEqual(['2030-03-28T16:00:00.000Z', '2030-04-04T15:00:00.000Z']);
    expect(after.end.toISOString()).toBe('2030-04-04T16:00:00.000Z');
  });

  it('writes every event in its own location’s zone with a VTIMEZONE for each zone used, each start the session’s start_time', async () => {
    const parsed = parseFeed((await scheduler.calendar.feed(admin(), { student: kid(0), ...range })).ics);
    expect([...parsed.timezones].sort()).toEqual(['America/New_York', 'Europe/Berlin']);
    const harbor = eventOf(parsed, ids.harbor!)!;
    expect(harbor).toMatchObject({ tzid: 'America/New_York', localStart: '2030-03-07T17:00:00', summary: 'Harbor swim', location: 'Harbor, Harbor pool' });
    for (const event of parsed.events) {
      const row = await sessionById(database.db, event.uid.replace('@academy-scheduling', ''));
      expect(event.start.toISOString(), event.summary).toBe(row.startTime.toISOString());
      expect(event.end.toISOString(), event.summary).toBe(row.endTime.toISOString());
      expect(event.sequence).toBe(row.calendarSequence);
    }
  });

  it('shows title, place and status, and nothing about who booked', async () => {
    const feed = await scheduler.calendar.feed(student(0), { student: kid(0), ...range });
    const event = eventOf(parseFeed(feed.ics), ids.before!)!;
    expect(event).toMatchObject({ summary: 'Thursday swim', location: 'Main, Pool', status: 'CONFIRMED', sequence: 0 });
    expect(event.uid).toBe(`${ids.before}@academy-scheduling`);
    for (const name of ['Kid0', 'Family0', 'Kid1', 'Pat', 'Coach0']) expect(feed.ics).not.toContain(name);
  });
});

describe('calendar.feed: whose sessions', () => {
  it('a student: sessions with a confirmed, completed or no-show booking in [from, until); not pending, not cancelled by the family', async () => {
    const feed = await scheduler.calendar.feed(student(0), { student: kid(0), ...range });
    expect(uids(feed.ics)).toEqual(idsOf('before', 'after', 'completed', 'harbor'));
    expect(feed.events).toBe(4);
    await database.db.update(s.sessionBookings).set({ bookingStatus: 'no_show' }).where(eq(s.sessionBookings.sessionId, ids.completed!));
    expect(uids((await scheduler.calendar.feed(student(0), { student: kid(0), ...range })).ics)).toEqual(idsOf('before', 'after', 'completed', 'harbor'));
  });

  it('a parent: every linked child’s sessions, and not another family’s', async () => {
    const feed = await scheduler.calendar.feed(pat(), { parent: academy.parentId, ...range });
    expect(uids(feed.ics)).toEqual(idsOf('before', 'after', 'completed', 'harbor', 'kid2'));
    expect(uids((await scheduler.calendar.feed(olga(), { parent: otherParentId, ...range })).ics)).toEqual(idsOf('kid1'));
    // A parent may also fetch one linked child's feed.
    expect(uids((await scheduler.calendar.feed(pat(), { student: kid(2), ...range })).ics)).toEqual(idsOf('kid2'));
  });

  it('an instructor: the sessions they teach', async () => {
    const feed = await scheduler.calendar.feed(instructorOf(academy, 1), { instructor: academy.instructorIds[1]!, ...range });
    expect(uids(feed.ics)).toEqual(idsOf('kid1', 'harbor'));
  });

  it('a location or a facility: every session held there, for anyone, without names', async () => {
    const main = await scheduler.calendar.feed(olga(), { location: academy.locationId, ...range });
    expect(uids(main.ics)).toEqual(idsOf('before', 'after', 'kid1', 'kid2', 'pending', 'dropped', 'completed'));
    const lanes = await scheduler.calendar.feed(student(1), { facility: academy.lanesId, ...range });
    expect(uids(lanes.ics)).toEqual(idsOf('kid1'));
    expect(uids((await scheduler.calendar.feed(instructorOf(academy, 0), { location: otherLocationId, ...range })).ics)).toEqual(idsOf('harbor'));
    for (const name of ['Kid', 'Family', 'Pat', 'Olga', 'Coach']) expect(main.ics).not.toContain(name);
  });

  it('bounds starts half-open: a session starting exactly at until is left out', async () => {
    const until = (await sessionById(database.db, ids.after!)).startTime;
    expect(uids((await scheduler.calendar.feed(admin(), { student: kid(0), from: range.from, until })).ics)).toEqual(idsOf('before', 'completed', 'harbor'));
  });
});

describe('calendar.feed: changes', () => {
  it('rescheduling raises SEQUENCE and keeps the UID', async () => {
    const read = async () => eventOf(parseFeed((await scheduler.calendar.feed(admin(), { location: academy.locationId, ...range })).ics), ids.kid2!)!;
    const before = await read();
    await scheduler.sessions.reschedule(admin(), { sessionId: ids.kid2!, startTime: local('2030-04-03', '09:00'), endTime: local('2030-04-03', '10:00') });
    const after = await read();
    expect(after.uid).toBe(before.uid);
    expect(after.sequence).toBeGreaterThan(before.sequence);
    expect(after.localStart).toBe('2030-04-03T09:00:00');
    expect(after.start.toISOString()).toBe('2030-04-03T07:00:00.000Z');
  });

  it('SEQUENCE moves only with time, place or status: not with a booking or a title, and a write to calendar_sequence itself is put back', async () => {
    const sequence = async () => (await sessionById(database.db, ids.kid2!)).calendarSequence;
    const start = await sequence();
    await database.db.update(s.sessions).set({ title: 'Renamed' }).where(eq(s.sessions.id, ids.kid2!));
    const [extra] = await database.db.insert(s.students).values({ firstName: 'Extra', lastName: 'Kid' }).returning();
    await book(database.db, ids.kid2!, extra!.id);
    expect(await sequence()).toBe(start);
    await database.db.update(s.sessions).set({ status: 'postponed' }).where(eq(s.sessions.id, ids.kid2!));
    expect(await sequence()).toBe(start + 1);
    await database.db.update(s.sessions).set({ calendarSequence: 0 }).where(eq(s.sessions.id, ids.kid2!));
    expect(await sequence()).toBe(start + 1);
    await database.db.update(s.sessions).set({ status: 'scheduled', calendarSequence: 0 }).where(eq(s.sessions.id, ids.kid2!));
    expect(await sequence()).toBe(start + 2);
  });

  it('a cancelled session stays as STATUS:CANCELLED, same UID, higher SEQUENCE, for cancelledForDays after cancelled_at, then drops out', async () => {
    const feedOf = async (input: { cancelledForDays?: number } = {}) =>
      parseFeed((await scheduler.calendar.feed(pat(), { parent: academy.parentId, ...range, ...input })).ics);
    const live = eventOf(await feedOf(), ids.after!)!;
    expect(live.status).toBe('CONFIRMED');
    now = at('2030-03-10T12:00:00Z');
    await scheduler.sessions.cancel(admin(), { sessionId: ids.after!, reason: 'Pool closed' });
    const cancelled = eventOf(await feedOf(), ids.after!)!;
    expect(cancelled).toMatchObject({ uid: live.uid, status: 'CANCELLED', localStart: '2030-04-04T17:00:00' });
    expect(cancelled.sequence).toBeGreaterThan(live.sequence);
    // The child's booking was cancelled with the session; the family still sees why.
    expect(eventOf(parseFeed((await scheduler.calendar.feed(student(0), { student: kid(0), ...range })).ics), ids.after!)?.status).toBe('CANCELLED');
    expect(eventOf(await feedOf({ cancelledForDays: 0 }), ids.after!)).toBeUndefined();
    now = at('2030-04-09T11:59:59Z'); // a second before 30 days: still there
    expect(eventOf(await feedOf(), ids.after!)?.status).toBe('CANCELLED');
    now = at('2030-04-09T12:00:00Z'); // 30 days after cancelled_at: gone
    expect(eventOf(await feedOf(), ids.after!)).toBeUndefined();
    expect(eventOf(await feedOf({ cancelledForDays: 31 }), ids.after!)?.status).toBe('CANCELLED');
    now = at('2030-03-01T00:00:00Z');
  });
});

describe('calendar.feed: refusals', () => {
  it('FORBIDDEN: another family’s child, another parent, another instructor, a student asking for an instructor', async () => {
    await expect(refused('FORBIDDEN', () => scheduler.calendar.feed(pat(), { student: kid(1), ...range }))).resolves.toMatchObject({
      details: { reason: 'not_linked_to_student' },
    });
    await expect(refused('FORBIDDEN', () => scheduler.calendar.feed(student(0), { student: kid(1), ...range }))).resolves.toMatchObject({
      details: { reason: 'not_this_student' },
    });
    await expect(refused('FORBIDDEN', () => scheduler.calendar.feed(olga(), { parent: academy.parentId, ...range }))).resolves.toMatchObject({
      details: { reason: 'not_this_parent' },
    });
    await expect(
      refused('FORBIDDEN', () => scheduler.calendar.feed(instructorOf(academy, 0), { instructor: academy.instructorIds[1]!, ...range })),
    ).resolves.toMatchObject({ details: { reason: 'not_their_records' } });
    await expect(refused('FORBIDDEN', () => scheduler.calendar.feed(student(0), { instructor: academy.instructorIds[0]!, ...range }))).resolves.toMatchObject({
      details: { reason: 'administrators_or_instructor_only' },
    });
    await expect(refused('FORBIDDEN', () => scheduler.calendar.feed(instructorOf(academy, 0), { student: kid(0), ...range }))).resolves.toMatchObject({
      details: { reason: 'instructors_do_not_book' },
    });
    // The refusal names no child.
    const error = await refused('FORBIDDEN', () => scheduler.calendar.feed(pat(), { student: kid(1), ...range }));
    expect(error.message).not.toContain(kid(1));
  });

  it('NOT_FOUND for a subject that does not exist', async () => {
    const missing = '7d1f3c3e-9d5b-4a55-8f6f-0e8c1d2b3a4f';
    for (const kind of ['student', 'parent', 'instructor', 'location', 'facility'] as const) {
      await expect(refused('NOT_FOUND', () => scheduler.calendar.feed(admin(), { [kind]: missing, ...range }))).resolves.toMatchObject({
        details: { path: [kind] },
      });
    }
  });

  it('INVALID_INPUT: an inverted, empty or over-400-day range, no subject or two, a bad cancelledForDays', async () => {
    const base = { location: academy.locationId };
    const cases: Array<[Record<string, unknown>, Array<string>]> = [
      [{ ...base, from: range.until, until: range.from }, ['until']],
      [{ ...base, from: range.from, until: range.from }, ['until']],
      [{ ...base, from: at('2030-01-01T00:00:00Z'), until: at('2031-02-05T00:00:01Z') }, ['until']],
      [{ ...base, from: '2030-01-01', until: range.until }, ['from']],
      [{ ...range }, []],
      [{ ...base, student: kid(0), ...range }, ['location']],
      [{ ...base, ...range, cancelledForDays: -1 }, ['cancelledForDays']],
      [{ ...base, ...range, cancelledForDays: 1.5 }, ['cancelledForDays']],
      [{ ...base, ...range, extra: true }, []],
    ];
    for (const [input, path] of cases) {
      const error = await refused('INVALID_INPUT', () => scheduler.calendar.feed(admin(), input as never));
      expect(error.details.path, JSON.stringify(input)).toEqual(path);
    }
    // 400 days exactly is allowed.
    await expect(scheduler.calendar.feed(admin(), { ...base, from: at('2030-01-01T00:00:00Z'), until: at('2031-02-05T00:00:00Z') })).resolves.toMatchObject({
      events: expect.any(Number),
    });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, isSchedulingError, type Scheduler } from '../../../src';
import { queryRows } from '../../../src/db/query';
import { useTestDatabase } from '../../support/database';
import { type Academy, insertSession, seedAcademy, sessionById, book } from '../../support/fixtures';
import { errorOf } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;
const system = { kind: 'system' as const };

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 6 });
  scheduler = createScheduler({ db: database.db, now: () => at('2029-06-10T10:30:00Z') });
});

/** A session without instructor in the lanes (3 at once), so the timeline of this file never conflicts. */
const sessionAt = (start: string, overrides: Partial<typeof s.sessions.$inferInsert> = {}) =>
  insertSession(database.db, academy, {
    instructorId: null,
    facilityId: academy.lanesId,
    startTime: at(start),
    endTime: new Date(at(start).getTime() + 3_600_000),
    ...overrides,
  });
const setStatus = (id: string, status: 'completed' | 'cancelled' | 'postponed' | 'in_progress') =>
  database.db.update(s.sessions).set({ status }).where(eq(s.sessions.id, id));
const archivedIds = async () => (await database.db.select({ id: s.sessionBookingsArchive.id }).from(s.sessionBookingsArchive)).map((r) => r.id).sort();
const bookingRows = (ids: string[]) => database.db.select().from(s.sessionBookings).where(inArray(s.sessionBookings.id, ids)).orderBy(s.sessionBookings.id);

describe('maintenance.archiveBookings', () => {
  it('moves old bookings of finished sessions to the archive in batches, column for column, and keeps live ones', async () => {
    const done = await sessionAt('2027-03-01T10:00:00Z');
    const old = [];
    for (let i = 0; i < 5; i++) old.push(await book(database.db, done.id, academy.studentIds[i]!, { status: 'completed', amount: `${10 + i}.00` }));
    const recent = await book(database.db, done.id, academy.studentIds[5]!, { status: 'completed' });
    const live = await sessionAt('2031-03-01T10:00:00Z');
    const liveBooking = await book(database.db, live.id, academy.studentIds[0]!);
    await setStatus(done.id, 'completed');
    await database.db
      .update(s.sessionBookings)
      .set({ createdAt: at('2027-01-01T00:00:00Z') })
      .where(inArray(s.sessionBookings.id, [...old, liveBooking]));
    await database.db
      .update(s.sessionBookings)
      .set({ createdAt: at('2028-02-01T00:00:00Z') })
      .where(eq(s.sessionBookings.id, recent));
    const before = await bookingRows(old);

    expect(
      (await errorOf(() => scheduler.maintenance.archiveBookings({ kind: 'instructor' }, { olderThan: at('2028-01-01T00:00:00Z') }))) as { code: string },
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      (await errorOf(() => scheduler.maintenance.archiveBookings(system, { olderThan: at('2028-01-01T00:00:00Z'), batchSize: 0 }))) as { code: string },
    ).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await scheduler.maintenance.archiveBookings(system, { olderThan: at('2028-01-01T00:00:00Z'), batchSize: 2 })).toEqual({
      archived: 5,
      alreadyArchived: 0,
      batches: 3,
    });

    expect(await bookingRows(old)).toEqual([]);
    const archived = await database.db
      .select()
      .from(s.sessionBookingsArchive)
      .where(inArray(s.sessionBookingsArchive.id, old))
      .orderBy(s.sessionBookingsArchive.id);
    expect(archived).toEqual(before);
    expect((await bookingRows([recent, liveBooking])).map((r) => r.id).sort()).toEqual([recent, liveBooking].sort());
    expect((await sessionById(database.db, live.id)).currentBookings).toBe(1);
    expect(await scheduler.maintenance.archiveBookings(adminOf(academy), { olderThan: at('2028-01-01T00:00:00Z') })).toEqual({
      archived: 0,
      alreadyArchived: 0,
      batches: 0,
    });
  });

  it('a re-run after an interrupted one finishes the job: rows already in the archive are not copied twice', async () => {
    const done = await sessionAt('2027-04-01T10:00:00Z');
    const ids = [
      await book(database.db, done.id, academy.studentIds[0]!, { status: 'no_show' }),
      await book(database.db, done.id, academy.studentIds[1]!, { status: 'cancelled' }),
    ];
    await setStatus(done.id, 'completed');
    await database.db
      .update(s.sessionBookings)
      .set({ createdAt: at('2027-01-01T00:00:00Z') })
      .where(inArray(s.sessionBookings.id, ids));
    // What a crash between the copy and the delete would leave if they were not one transaction.
    await database.query(`INSERT INTO scheduling.session_bookings_archive SELECT * FROM scheduling.session_bookings WHERE id = '${ids[0]}'`);
    const archiveBefore = (await archivedIds()).length;
    expect(await scheduler.maintenance.archiveBookings(system, { olderThan: at('2028-01-01T00:00:00Z'), maxBatches: 1, batchSize: 10 })).toEqual({
      archived: 2,
      alreadyArchived: 1,
      batches: 1,
    });
    expect((await archivedIds()).length).toBe(archiveBefore + 1);
    expect(await bookingRows(ids)).toEqual([]);
  });

  it('maxBatches bounds one run; confirmed bookings leaving keep current_bookings right', async () => {
    const done = await sessionAt('2027-05-01T10:00:00Z');
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await book(database.db, done.id, academy.studentIds[i]!));
    await setStatus(done.id, 'completed');
    await database.db
      .update(s.sessionBookings)
      .set({ createdAt: at('2027-01-01T00:00:00Z') })
      .where(inArray(s.sessionBookings.id, ids));
    expect(await scheduler.maintenance.archiveBookings(system, { olderThan: at('2028-01-01T00:00:00Z'), batchSize: 1, maxBatches: 2 })).toEqual({
      archived: 2,
      alreadyArchived: 0,
      batches: 2,
    });
    expect((await sessionById(database.db, done.id)).currentBookings).toBe(1);
    expect(await scheduler.maintenance.verifyIntegrity(system, {})).toEqual([]);
  });
});

describe('maintenance.purgeCancelledSessions', () => {
  it('deletes old cancelled sessions with their rows, keeping those a makeup or a live child refers to', async () => {
    const plain = await sessionAt('2026-01-05T10:00:00Z');
    await book(database.db, plain.id, academy.studentIds[0]!);
    const referenced = await sessionAt('2026-01-06T10:00:00Z');
    const missedBooking = await book(database.db, referenced.id, academy.studentIds[1]!, { status: 'no_show' });
    const later = await sessionAt('2026-01-10T10:00:00Z');
    await database.query(
      `INSERT INTO scheduling.session_bookings (session_id, student_id, booking_status, is_makeup_session, original_session_id)
       VALUES ('${later.id}', '${academy.studentIds[1]}', 'completed', true, '${referenced.id}')`,
    );
    const parent = await sessionAt('2026-01-07T10:00:00Z');
    const child = await sessionAt('2026-01-14T10:00:00Z', { parentSessionId: parent.id });
    const grandParentOfKept = await sessionAt('2026-01-08T10:00:00Z');
    const keptChild = await sessionAt('2026-01-09T10:00:00Z', { parentSessionId: grandParentOfKept.id });
    const recent = await sessionAt('2029-01-05T10:00:00Z');
    const postponed = await sessionAt('2026-01-11T10:00:00Z');
    for (const id of [plain.id, referenced.id, parent.id, grandParentOfKept.id, keptChild.id, recent.id]) {
      if (id === plain.id) await database.query(`UPDATE scheduling.session_bookings SET booking_status = 'cancelled' WHERE session_id = '${id}'`);
      await setStatus(id, 'cancelled');
    }
    // Postponed: live, but out of the way of advanceStatuses below.
    for (const id of [postponed.id, child.id, later.id]) await setStatus(id, 'postponed');
    // keptChild is referenced by a makeup, so it stays, and so does its parent.
    await database.query(
      `INSERT INTO scheduling.session_bookings (session_id, student_id, booking_status, is_makeup_session, original_session_id)
       VALUES ('${later.id}', '${academy.studentIds[2]}', 'completed', true, '${keptChild.id}')`,
    );

    expect(
      (await errorOf(() => scheduler.maintenance.purgeCancelledSessions({ kind: 'parent' }, { olderThan: at('2027-01-01T00:00:00Z') }))) as { code: string },
    ).toMatchObject({ code: 'FORBIDDEN' });
    const result = await scheduler.maintenance.purgeCancelledSessions(system, { olderThan: at('2027-01-01T00:00:00Z') });
    const byId = <T extends { sessionId: string }>(rows: T[]) => [...rows].sort((a, b) => a.sessionId.localeCompare(b.sessionId));
    expect(result.purged).toEqual([{ sessionId: plain.id, sessionCode: plain.sessionId }]);
    expect(byId(result.kept)).toEqual(
      byId([
        { sessionId: referenced.id, sessionCode: referenced.sessionId, reason: 'referenced_by_makeup' },
        { sessionId: parent.id, sessionCode: parent.sessionId, reason: 'has_child_sessions' },
        { sessionId: keptChild.id, sessionCode: keptChild.sessionId, reason: 'referenced_by_makeup' },
        { sessionId: grandParentOfKept.id, sessionCode: grandParentOfKept.sessionId, reason: 'has_child_sessions' },
      ]),
    );
    const left = await queryRows<{ id: string }>(
      database.db,
      sql`SELECT id FROM scheduling.sessions WHERE id IN (${sql.join(
        [plain, referenced, parent, child, recent, postponed].map((x) => sql`${x.id}::uuid`),
        sql`, `,
      )})`,
    );
    expect(left.map((r) => r.id).sort()).toEqual([referenced.id, parent.id, child.id, recent.id, postponed.id].sort());
    expect(await queryRows(database.db, sql`SELECT id FROM scheduling.session_bookings WHERE session_id = ${plain.id}`)).toEqual([]);
    expect((await bookingRows([missedBooking])).length).toBe(1);
  });
});

describe('maintenance.advanceStatuses', () => {
  it('scheduled → in_progress once started, → completed once ended (clock 10:30); postponed and future sessions stay', async () => {
    const running = await sessionAt('2029-06-10T10:00:00Z');
    const ended = await sessionAt('2029-06-10T08:00:00Z');
    const inProgressEnded = await sessionAt('2029-06-10T09:00:00Z');
    await setStatus(inProgressEnded.id, 'in_progress');
    const future = await sessionAt('2029-06-10T11:00:00Z');
    const postponed = await sessionAt('2029-06-09T08:00:00Z');
    await setStatus(postponed.id, 'postponed');

    expect((await errorOf(() => scheduler.maintenance.advanceStatuses({ kind: 'instructor' }, {}))) as { code: string }).toMatchObject({ code: 'FORBIDDEN' });
    const result = await scheduler.maintenance.advanceStatuses(system, {});
    expect(result).toEqual({ started: [running.id, ended.id].sort(), completed: [ended.id, inProgressEnded.id].sort() });
    const status = async (id: string) => (await sessionById(database.db, id)).status;
    expect([await status(running.id), await status(ended.id), await status(inProgressEnded.id), await status(future.id), await status(postponed.id)]).toEqual([
      'in_progress',
      'completed',
      'completed',
      'scheduled',
      'postponed',
    ]);
    expect(await scheduler.maintenance.advanceStatuses(system, { now: at('2029-06-10T12:00:00Z') })).toEqual({
      started: [future.id],
      completed: [running.id, future.id].sort(),
    });
    expect(isSchedulingError(await errorOf(() => scheduler.maintenance.advanceStatuses(system, { now: 'yesterday' })), 'INVALID_INPUT')).toBe(true);
  });
});

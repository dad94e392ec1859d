/**
 * The change-event promise on every write path: for each recorded table, each statement
 * kind (multi-row INSERT, UPDATE, DELETE, TRUNCATE, and the FK cascade of a session's
 * DELETE) writes exactly one event per row it changes, of the right type, and an UPDATE
 * that changes nothing (or only derived columns) writes none. Raw SQL, no scheduler: the
 * events come from the triggers, whoever writes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/query';
import { onCitus, useTestDatabase } from '../support/database';
import { type Academy, insertSession, seedAcademy } from '../support/fixtures';
import { at } from '../support/time';

const database = useTestDatabase();
let academy: Academy;

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 6 });
});

type Counts = Record<string, number>;
/** Events by type. */
async function counts(): Promise<Counts> {
  const rows = await queryRows<{ type: string; n: number }>(database.db, sql`SELECT type, count(*)::int AS n FROM scheduling.change_events GROUP BY type`);
  return Object.fromEntries(rows.map((r) => [r.type, r.n]));
}
/** Runs `statement` and returns the events it wrote, by type, and the rows it reported. */
async function eventsOf(statement: SQL): Promise<{ written: Counts; rows: number }> {
  const before = await counts();
  const result = await queryRows(database.db, statement);
  const after = await counts();
  const written: Counts = {};
  for (const [type, n] of Object.entries(after)) if (n !== (before[type] ?? 0)) written[type] = n - (before[type] ?? 0);
  return { written, rows: result.length };
}
let day = 1;
const session = (capacity = 5) =>
  insertSession(database.db, academy, {
    instructorId: null,
    facilityId: academy.lanesId,
    capacity,
    startTime: at(`2031-05-${String(day).padStart(2, '0')}T15:00:00Z`),
    endTime: at(`2031-05-${String(day++).padStart(2, '0')}T16:00:00Z`),
  });
const idList = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

describe('change events on every write path, raw SQL', () => {
  it('sessions: INSERT, UPDATE (one per row; none for nothing or the counter), DELETE with its cascade', async () => {
    const [s1, s2] = [await session(), await session()];
    const inserted = await eventsOf(sql`
      INSERT INTO scheduling.sessions (program_id, course_id, location_id, facility_id, session_type, title, start_time, end_time, capacity, created_by)
      SELECT ${academy.programId}, ${academy.courseId}, ${academy.locationId}, ${academy.lanesId}, 'group', 'Bulk ' || g,
             timestamptz '2031-06-01 15:00Z' + g * interval '1 day', timestamptz '2031-06-01 16:00Z' + g * interval '1 day', 5, ${academy.adminId}
      FROM generate_series(1, 3) g RETURNING id`);
    expect(inserted).toEqual({ written: { 'session.scheduled': 3 }, rows: 3 });
    expect(await eventsOf(sql`UPDATE scheduling.sessions SET title = title || '!' WHERE id IN (${idList([s1.id, s2.id])}) RETURNING id`)).toEqual({
      written: { 'session.updated': 2 },
      rows: 2,
    });
    expect(await eventsOf(sql`UPDATE scheduling.sessions SET title = title WHERE id IN (${idList([s1.id, s2.id])}) RETURNING id`)).toEqual({
      written: {},
      rows: 2,
    });
    expect(await eventsOf(sql`UPDATE scheduling.sessions SET updated_at = now() + interval '1 minute' WHERE id = ${s1.id} RETURNING id`)).toEqual({
      written: {},
      rows: 1,
    });
    expect(
      await eventsOf(
        sql`UPDATE scheduling.sessions SET start_time = ${new Date(s1.startTime.getTime() + 1_800_000).toISOString()}::timestamptz, end_time = ${new Date(s1.endTime.getTime() + 1_800_000).toISOString()}::timestamptz WHERE id = ${s1.id} RETURNING id`,
      ),
    ).toEqual({
      written: { 'session.rescheduled': 1 },
      rows: 1,
    });
    // A booking bumps the counter: the booking's event, none for the session.
    expect(
      await eventsOf(sql`INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES (${s2.id}, ${academy.studentIds[0]!}) RETURNING id`),
    ).toEqual({
      written: { 'booking.confirmed': 1 },
      rows: 1,
    });
    // DELETE of a session cascades to its booking: one event each.
    expect(await eventsOf(sql`DELETE FROM scheduling.sessions WHERE id = ${s2.id} RETURNING id`)).toEqual({
      written: { 'session.deleted': 1, 'booking.deleted': 1 },
      rows: 1,
    });
  });

  it('bookings: multi-row INSERT, status and attendance UPDATEs, DELETE, TRUNCATE', async () => {
    const s1 = await session();
    const students = academy.studentIds.slice(0, 3);
    const inserted = await eventsOf(sql`
      INSERT INTO scheduling.session_bookings (session_id, student_id)
      SELECT ${s1.id}, unnest(ARRAY[${idList(students)}]) RETURNING id`);
    expect(inserted).toEqual({ written: { 'booking.confirmed': 3 }, rows: 3 });
    expect(
      await eventsOf(
        sql`UPDATE scheduling.session_bookings SET attendance_status = 'present', checked_in_at = now() WHERE session_id = ${s1.id} AND student_id IN (${idList(students.slice(0, 2))}) RETURNING id`,
      ),
    ).toEqual({ written: { 'attendance.recorded': 2 }, rows: 2 });
    expect(
      await eventsOf(
        sql`UPDATE scheduling.session_bookings SET booking_status = 'cancelled', cancellation_date = now() WHERE session_id = ${s1.id} AND student_id = ${students[2]!} RETURNING id`,
      ),
    ).toEqual({ written: { 'booking.cancelled': 1 }, rows: 1 });
    expect(await eventsOf(sql`DELETE FROM scheduling.session_bookings WHERE session_id = ${s1.id} AND student_id = ${students[0]!} RETURNING id`)).toEqual({
      written: { 'booking.deleted': 1 },
      rows: 1,
    });
    const [{ n }] = (await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM scheduling.session_bookings`)) as [{ n: number }];
    // Citus refuses TRUNCATE of the bookings (docs/guarantees.md, "On a Citus cluster").
    if (!onCitus()) expect(await eventsOf(sql`TRUNCATE scheduling.session_bookings`)).toEqual({ written: { 'booking.deleted': n }, rows: 0 });
  });

  it('availability: INSERT, UPDATE, DELETE, TRUNCATE', async () => {
    const instructor = academy.instructorIds[1]!;
    const inserted = await eventsOf(sql`
      INSERT INTO scheduling.instructor_availability (instructor_id, availability_type, day_of_week, start_time, end_time, effective_from)
      SELECT ${instructor}, 'regular', d, '09:00', '12:00', '2031-01-01' FROM generate_series(1, 3) d RETURNING id`);
    expect(inserted).toEqual({ written: { 'availability.added': 3 }, rows: 3 });
    expect(await eventsOf(sql`UPDATE scheduling.instructor_availability SET notes = 'pool only' WHERE instructor_id = ${instructor} RETURNING id`)).toEqual({
      written: { 'availability.changed': 3 },
      rows: 3,
    });
    expect(await eventsOf(sql`DELETE FROM scheduling.instructor_availability WHERE instructor_id = ${instructor} AND day_of_week = 1 RETURNING id`)).toEqual({
      written: { 'availability.deleted': 1 },
      rows: 1,
    });
    if (!onCitus()) expect(await eventsOf(sql`TRUNCATE scheduling.instructor_availability`)).toEqual({ written: { 'availability.deleted': 2 }, rows: 0 });
  });

  it('conflicts: INSERT, status UPDATE, DELETE, TRUNCATE', async () => {
    const [s1, s2] = [await session(), await session()];
    const inserted = await eventsOf(sql`
      INSERT INTO scheduling.schedule_conflicts (conflict_type, session_id, conflicting_session_id, conflict_description, severity)
      VALUES ('facility_overlap', ${s1.id}, ${s2.id}, 'test', 'low'), ('facility_overlap', ${s2.id}, ${s1.id}, 'test', 'low') RETURNING id`);
    expect(inserted).toEqual({ written: { 'conflict.detected': 2 }, rows: 2 });
    expect(
      await eventsOf(sql`UPDATE scheduling.schedule_conflicts SET status = 'acknowledged', acknowledged_at = now() WHERE session_id = ${s1.id} RETURNING id`),
    ).toEqual({
      written: { 'conflict.acknowledged': 1 },
      rows: 1,
    });
    expect(await eventsOf(sql`DELETE FROM scheduling.schedule_conflicts WHERE session_id = ${s1.id} RETURNING id`)).toEqual({
      written: { 'conflict.deleted': 1 },
      rows: 1,
    });
    const [{ n }] = (await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM scheduling.schedule_conflicts`)) as [{ n: number }];
    expect(await eventsOf(sql`TRUNCATE scheduling.schedule_conflicts`)).toEqual({ written: { 'conflict.deleted': n }, rows: 0 });
  });

  it('waitlist entries: INSERT, UPDATE, DELETE', async () => {
    const full = await session(1);
    await queryRows(database.db, sql`INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES (${full.id}, ${academy.studentIds[0]!})`);
    const inserted = await eventsOf(sql`
      INSERT INTO scheduling.session_waitlist (session_id, student_id, position)
      VALUES (${full.id}, ${academy.studentIds[1]!}, 1), (${full.id}, ${academy.studentIds[2]!}, 2) RETURNING id`);
    expect(inserted).toEqual({ written: { 'waitlist.joined': 2 }, rows: 2 });
    expect(await eventsOf(sql`UPDATE scheduling.session_waitlist SET response_notes = 'any day' WHERE session_id = ${full.id} RETURNING id`)).toEqual({
      written: { 'waitlist.updated': 2 },
      rows: 2,
    });
    expect(await eventsOf(sql`UPDATE scheduling.session_waitlist SET notification_sent = true WHERE session_id = ${full.id} RETURNING id`)).toEqual({
      written: {},
      rows: 2,
    });
    expect(await eventsOf(sql`DELETE FROM scheduling.session_waitlist WHERE session_id = ${full.id} RETURNING id`)).toEqual({
      written: { 'waitlist.deleted': 2 },
      rows: 2,
    });
  });

  it('a malformed scheduling.actor set by hand is not recorded, and does not fail the write', async () => {
    const s1 = await session();
    await database.db.transaction(async (tx) => {
      // On Citus the trigger runs on the worker: a propagated SET LOCAL (docs/scale-out.md).
      if (onCitus()) await tx.execute(sql.raw(`SET LOCAL citus.propagate_set_commands = 'local'; SET LOCAL scheduling.actor = 'parent:not-a-uuid'`));
      else await tx.execute(sql`SELECT set_config('scheduling.actor', 'parent:not-a-uuid', true)`);
      await tx.execute(sql`UPDATE scheduling.sessions SET title = 'Hand-set actor' WHERE id = ${s1.id}`);
    });
    const [event] = await queryRows<{ actor_kind: string; actor_ref: string | null }>(
      database.db,
      sql`SELECT actor_kind, actor_ref FROM scheduling.change_events WHERE entity_id = ${s1.id} ORDER BY entity_version DESC LIMIT 1`,
    );
    expect(event).toEqual({ actor_kind: 'parent', actor_ref: null });
  });
});

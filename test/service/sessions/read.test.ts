import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createScheduler, type Scheduler } from '../../../src';
import { buildSessionListQuery } from '../../../src/service/sessions/read';
import { withSchedulingSchema } from '../../../src/db/scheduling-db';
import { queryRows } from '../../../src/db/query';
import { schemaLessDb, useTestDatabase } from '../../support/database';
import { type Academy, seedAcademy, book, createInput } from '../../support/fixtures';
import { errorOf } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { at } from '../../support/time';
import { listSessionsSchema } from '../../../src/service/sessions/inputs';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;
const ids: Record<string, string> = {};

beforeAll(async () => {
  academy = await seedAcademy(database.db);
  scheduler = createScheduler({ db: database.db });
  const admin = adminOf(academy);
  const make = async (name: string, overrides: Parameters<typeof createInput>[1]) => {
    ids[name] = (await scheduler.sessions.create(admin, createInput(academy, overrides))).session.id;
  };
  await make('jan10', { sessionType: 'private', capacity: 1, startTime: at('2030-01-10T10:00:00Z'), endTime: at('2030-01-10T11:00:00Z') });
  await make('jan20', {
    facilityId: academy.lanesId,
    instructorId: academy.instructorIds[1]!,
    startTime: at('2030-01-20T10:00:00Z'),
    endTime: at('2030-01-20T11:00:00Z'),
  });
  await make('feb01', { startTime: at('2030-02-01T00:00:00Z'), endTime: at('2030-02-01T01:00:00Z') });
  await book(database.db, ids.jan10!, academy.studentIds[0]!);
  await book(database.db, ids.jan20!, academy.studentIds[1]!);
});

const admin = () => adminOf(academy);

describe('sessions.get', () => {
  it('returns the session with bookings and students, instructor, facility and location', async () => {
    const session = await scheduler.sessions.get(admin(), { sessionId: ids.jan20! });
    expect(session.id).toBe(ids.jan20);
    expect(session.bookings.map((b) => [b.studentId, b.student.firstName])).toEqual([[academy.studentIds[1], 'Kid1']]);
    expect(session.instructor?.id).toBe(academy.instructorIds[1]);
    expect(session.facility.id).toBe(academy.lanesId);
    expect(session.location.timezone).toBe('America/New_York');
    // A parent not linked to Kid1 gets the timetable and no booking (visibility.test.ts has every actor).
    const asParent = await scheduler.sessions.get({ kind: 'parent' }, { sessionId: ids.jan20! });
    expect(asParent).toMatchObject({ id: ids.jan20, instructorId: academy.instructorIds[1], facilityId: academy.lanesId });
    expect(asParent.bookings).toEqual([]);
  });

  it('works on a database built without the schema (relational queries need no host setup)', async () => {
    // Same connection, no schema passed to drizzle(): db.query is empty.
    const bare = schemaLessDb(database);
    const session = await createScheduler({ db: bare }).sessions.get(admin(), { sessionId: ids.jan10! });
    expect(session.bookings).toHaveLength(1);
  });

  it('NOT_FOUND for an unknown id, INVALID_INPUT for a malformed one', async () => {
    expect(await errorOf(() => scheduler.sessions.get(admin(), { sessionId: '00000000-0000-4000-8000-000000000001' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await errorOf(() => scheduler.sessions.get(admin(), { sessionId: 'SES-2030-0001' }))).toMatchObject({
      code: 'INVALID_INPUT',
      details: { path: ['sessionId'] },
    });
  });
});

describe('sessions.list', () => {
  const listIds = async (filters: Parameters<Scheduler['sessions']['list']>[1]) => (await scheduler.sessions.list(admin(), filters)).map((r) => r.id);

  it('bounds start_time half-open: a session starting exactly at `until` belongs to the next page', async () => {
    expect(await listIds({ from: at('2030-01-01T00:00:00Z'), until: at('2030-02-01T00:00:00Z') })).toEqual([ids.jan10, ids.jan20]);
    expect(await listIds({ from: at('2030-02-01T00:00:00Z'), until: at('2030-03-01T00:00:00Z') })).toEqual([ids.feb01]);
  });

  it('filters by location, facility, instructor, course, type, status and free spots', async () => {
    expect(await listIds({ locationId: academy.locationId })).toEqual([ids.jan10, ids.jan20, ids.feb01]);
    expect(await listIds({ facilityId: academy.lanesId })).toEqual([ids.jan20]);
    expect(await listIds({ instructorId: academy.instructorIds[0]! })).toEqual([ids.jan10, ids.feb01]);
    expect(await listIds({ courseId: academy.courseId, sessionType: 'private' })).toEqual([ids.jan10]);
    expect(await listIds({ hasFreeSpots: true })).toEqual([ids.jan20, ids.feb01]);
    expect(await listIds({ hasFreeSpots: false })).toEqual([ids.jan10]);
    expect(await listIds({ status: 'cancelled' })).toEqual([]);
    expect(await listIds({ limit: 1, offset: 1 })).toEqual([ids.jan20]);
  });

  it('refuses an empty or inverted range', async () => {
    expect(await errorOf(() => scheduler.sessions.list(admin(), { from: at('2030-02-01T00:00:00Z'), until: at('2030-01-01T00:00:00Z') }))).toMatchObject({
      code: 'INVALID_INPUT',
      details: { path: ['until'] },
    });
  });

  it.runIf(process.env.TEST_DB_TARGET === 'postgres')('uses an index on sessions, not a sequential scan (EXPLAIN on Postgres)', async () => {
    // Enough rows in many locations that the planner prefers an index for one location and month.
    await database.query(`
      INSERT INTO scheduling.locations (code, name, timezone)
      SELECT 'BULK-' || g, 'Bulk ' || g, 'UTC' FROM generate_series(1, 50) g`);
    await database.query(`
      INSERT INTO scheduling.facilities (code, name, location_id, max_concurrent_sessions)
      SELECT 'BULKF-' || l.code, 'Hall', l.id, 1000 FROM scheduling.locations l WHERE l.code LIKE 'BULK-%'`);
    await database.query(`
      INSERT INTO scheduling.sessions (program_id, course_id, location_id, facility_id, session_type, title, start_time, end_time, capacity, created_by)
      SELECT '${academy.programId}', '${academy.courseId}', f.location_id, f.id, 'group', 'Bulk',
             timestamptz '2031-01-01' + (g || ' hours')::interval, timestamptz '2031-01-01' + (g || ' hours')::interval + interval '1 hour', 5, '${academy.adminId}'
      FROM scheduling.facilities f, generate_series(1, 200) g WHERE f.code LIKE 'BULKF-%'`);
    await database.query('ANALYZE scheduling.sessions');
    const tx = withSchedulingSchema(database.db);
    const query = buildSessionListQuery(
      tx,
      listSessionsSchema.parse({
        locationId: academy.locationId,
        status: 'scheduled',
        from: at('2030-01-01T00:00:00Z'),
        until: at('2030-02-01T00:00:00Z'),
        hasFreeSpots: true,
      }),
    );
    // The service's statement names no schema: explain it where the scheduler's search_path points.
    const rows = await database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL search_path = scheduling, pg_temp`);
      return queryRows<{ 'QUERY PLAN': string }>(tx, sql`EXPLAIN ${query}`);
    });
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
    expect(plan).not.toMatch(/Seq Scan on sessions/);
  });
});

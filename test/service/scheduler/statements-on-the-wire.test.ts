/**
 * What the two hottest calls cost on the wire, on postgres.js against the real server:
 * a booking into a session with room sends one statement for the booking itself, a
 * session with nothing in its way one insert (with the read of what its triggers
 * recorded, sent together), and statements are prepared (one round trip each from
 * their second use on) unless the host's client says `prepare: false`. A change that
 * quietly puts the old dozen statements back, or drops preparing, fails here rather
 * than only in `npm run bench`. Also what preparing and raw rows must not break: a
 * client with a key transform, and a column added while connections are open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as s from '../../../src/schema';
import { createScheduler } from '../../../src';
import { currentDriver, currentTarget, onCitus, useTestDatabase } from '../../support/database';
import { type Academy, insertSession, seedAcademy, createInput } from '../../support/fixtures';
import { adminOf } from '../../support/actors';
import { migrate } from '../../../src/migrate';
import { insertSessionIn, seedAcademyIn } from '../../support/academy-in-schema';

// Not on Citus: there a call sends its settings as one script and runs its deferred checks on the worker.
const onServer = currentTarget() === 'postgres' && currentDriver() === 'postgres-js' && !onCitus();
const database = useTestDatabase();
let academy: Academy;
const clients: postgres.Sql[] = [];

/** A scheduler on its own one-connection postgres.js client that records every statement it sends. */
function recordingScheduler(options: Partial<postgres.Options<Record<string, postgres.PostgresType>>> = {}) {
  const sent: string[] = [];
  const client = postgres(database.url!, { max: 1, onnotice: () => {}, debug: (_connection, query) => sent.push(query), ...options });
  clients.push(client);
  return { client, sent, scheduler: createScheduler({ db: drizzle(client, { schema: s }) }) };
}

let day = 0;
async function roomySession() {
  day++;
  const start = new Date(Date.UTC(2031, 2, day, 15));
  return insertSession(database.db, academy, { instructorId: null, capacity: 5, startTime: start, endTime: new Date(start.getTime() + 3_600_000) });
}

describe.skipIf(!onServer)('statements on the wire (postgres.js)', () => {
  beforeAll(async () => {
    academy = await seedAcademy(database.db, { students: 24 });
  });
  afterAll(async () => Promise.all(clients.map((c) => c.end())));

  it('books a session with room and no queue in one statement after the settings (an administrator: nothing to look up first)', async () => {
    const { scheduler, sent, client } = recordingScheduler();
    const admin = adminOf(academy);
    await scheduler.bookings.book(admin, { sessionId: (await roomySession()).id, studentId: academy.studentIds[0]! });
    sent.length = 0;

    const result = await scheduler.bookings.book(admin, { sessionId: (await roomySession()).id, studentId: academy.studentIds[1]! });

    expect(result.outcome).toBe('confirmed');
    expect(sent.map((q) => q.trim().replace(/\s+/g, ' ').toLowerCase())).toEqual([
      'begin',
      expect.stringMatching(/^select set_config\('search_path', \$1, true\), set_config\('scheduling.actor_id'/),
      expect.stringMatching(/^with "written" as \(select \* from write_confirmed_booking\(/),
      'commit',
    ]);
    // Prepared and kept by postgres.js: the same connection lists them.
    const [prepared] = await client<
      Array<{ count: number }>
    >`SELECT count(*)::int AS count FROM pg_prepared_statements WHERE statement LIKE '%write_confirmed_booking(%' AND statement NOT LIKE '%pg_prepared_statements%'`;
    expect(prepared?.count).toBe(1);
  });

  it('creates a session with nothing in its way in one insert, sent together with the read of recorded conflicts', async () => {
    const { scheduler, sent } = recordingScheduler();
    const admin = adminOf(academy);
    const slot = (hour: number) => ({ startTime: new Date(Date.UTC(2031, 5, 2, hour)), endTime: new Date(Date.UTC(2031, 5, 2, hour, 45)) });
    await scheduler.sessions.create(admin, createInput(academy, slot(9)));
    sent.length = 0;

    const { session } = await scheduler.sessions.create(admin, createInput(academy, slot(11)));

    expect(session.status).toBe('scheduled');
    expect(sent.map((q) => q.trim().replace(/\s+/g, ' ').toLowerCase())).toEqual([
      'begin',
      expect.stringMatching(/^select set_config\('search_path', \$1, true\), set_config\('scheduling.actor_id'/),
      expect.stringMatching(/^with "written" as \(insert into sessions \(/),
      expect.stringMatching(/^with "written" as \(select \* from schedule_conflicts where/),
      'commit',
    ]);
  });

  it("keeps to the host's prepare: false (PgBouncer in transaction mode) and still books", async () => {
    const { scheduler, client } = recordingScheduler({ prepare: false });
    const admin = adminOf(academy);
    for (const student of [2, 3]) {
      const result = await scheduler.bookings.book(admin, { sessionId: (await roomySession()).id, studentId: academy.studentIds[student]! });
      expect(result.outcome).toBe('confirmed');
    }
    const [prepared] = await client<Array<{ count: number }>>`SELECT count(*)::int AS count FROM pg_prepared_statements`;
    expect(prepared?.count).toBe(0);
  });

  it('leaves statements with long id lists unprepared, so a connection does not keep one per list length', async () => {
    const { scheduler, client } = recordingScheduler();
    const students = academy.studentIds.slice(0, 21).map((studentId) => ({ studentId }));
    // 21 siblings for 5 places: refused, after the student checks with 21 ids have run.
    await expect(scheduler.bookings.bookMany(adminOf(academy), { sessionId: (await roomySession()).id, students })).rejects.toMatchObject({
      code: 'CAPACITY_EXCEEDED',
    });
    const [kept] = await client<Array<{ statements: number; most: number }>>`
      SELECT count(*)::int AS statements, coalesce(max(cardinality(parameter_types)), 0)::int AS most FROM pg_prepared_statements`;
    expect(kept?.statements).toBeGreaterThan(2);
    expect(kept?.most).toBeLessThanOrEqual(20);
  });

  it('returns the same rows to a client whose keys are transformed (postgres.camel)', async () => {
    const { scheduler } = recordingScheduler({ transform: postgres.camel });
    const admin = adminOf(academy);
    const booked = await scheduler.bookings.book(admin, { sessionId: (await roomySession()).id, studentId: academy.studentIds[0]! });
    expect(booked.outcome === 'confirmed' && booked.booking).toMatchObject({
      bookingId: expect.stringMatching(/^BKG-/),
      bookingStatus: 'confirmed',
      bookingDate: expect.any(Date),
    });
    const { session } = await scheduler.sessions.create(
      admin,
      createInput(academy, { startTime: new Date(Date.UTC(2031, 6, 1, 9)), endTime: new Date(Date.UTC(2031, 6, 1, 10)) }),
    );
    expect(session).toMatchObject({ sessionId: expect.stringMatching(/^SES-/), startTime: new Date(Date.UTC(2031, 6, 1, 9)), status: 'scheduled' });
  });

  it('keeps one prepared statement per academy on a connection that serves several, each planned under its own search_path', async () => {
    // Same statement text for two academies would be one prepared statement, re-analyzed and
    // re-planned by PostgreSQL every time the search_path changed from one academy to the other.
    const schemas = ['wire_north', 'wire_south'];
    const { client, sent } = recordingScheduler();
    const db = drizzle(client, { schema: s });
    const academies = [];
    for (const schema of schemas) {
      await migrate(db, { schema });
      const seeded = await seedAcademyIn(database.db, schema, { students: 3 });
      academies.push({ schema, seeded, scheduler: createScheduler({ db, schema }) });
    }
    sent.length = 0;
    for (const student of [0, 1, 2]) {
      for (const { schema, seeded, scheduler } of academies) {
        const start = new Date(Date.UTC(2032, 0, 1 + student, 10));
        const session = await insertSessionIn(database.db, schema, seeded, {
          instructorId: null,
          capacity: 5,
          startTime: start,
          endTime: new Date(start.getTime() + 3_600_000),
        });
        const result = await scheduler.bookings.book(adminOf(seeded), { sessionId: session.id, studentId: seeded.studentIds[student]! });
        expect(result.outcome).toBe('confirmed');
      }
    }

    const booking = sent.filter((q) => q.includes('write_confirmed_booking('));
    expect(booking).toHaveLength(6);
    expect(booking.filter((q) => q.startsWith('/* wire_north */ '))).toHaveLength(3);
    expect(booking.filter((q) => q.startsWith('/* wire_south */ '))).toHaveLength(3);
    const prepared = await client<Array<{ statement: string }>>`
      SELECT statement FROM pg_prepared_statements WHERE statement LIKE '%write_confirmed_booking(%' AND statement NOT LIKE '%pg_prepared_statements%' ORDER BY statement`;
    expect(prepared.map((p) => p.statement.slice(0, p.statement.indexOf('*/') + 2))).toEqual(['/* wire_north */', '/* wire_south */']);
  });

  // Last: it changes the table for the rest of this file's database.
  it('keeps working on an open connection after a column is added to the tables it returns', async () => {
    const { scheduler } = recordingScheduler();
    const admin = adminOf(academy);
    const slot = (hour: number) => createInput(academy, { startTime: new Date(Date.UTC(2031, 7, 1, hour)), endTime: new Date(Date.UTC(2031, 7, 1, hour, 30)) });
    await scheduler.sessions.create(admin, slot(9));
    await scheduler.bookings.book(admin, { sessionId: (await roomySession()).id, studentId: academy.studentIds[1]! });
    await database.query('ALTER TABLE scheduling.sessions ADD COLUMN added_later integer');
    await database.query('ALTER TABLE scheduling.session_bookings ADD COLUMN added_later integer');

    await expect(scheduler.sessions.create(admin, slot(11))).resolves.toMatchObject({ session: { status: 'scheduled' } });
    await expect(scheduler.bookings.book(admin, { sessionId: (await roomySession()).id, studentId: academy.studentIds[2]! })).resolves.toMatchObject({
      outcome: 'confirmed',
    });
  });
});

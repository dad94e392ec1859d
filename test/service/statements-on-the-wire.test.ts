/**
 * What the two hottest calls cost on the wire, on postgres.js against the real server:
 * a booking into a session with room sends one statement for the booking itself, a
 * session with nothing in its way one insert (with the read of what its triggers
 * recorded, sent together), and statements are prepared (one round trip each from
 * their second use on) unless the host's client says `prepare: false`. A change that
 * quietly puts the old dozen statements back, or drops preparing, fails here rather
 * than only in `npm run bench`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as s from '../../src/schema';
import { createScheduler } from '../../src';
import { currentDriver, currentTarget, useTestDatabase } from '../support/database';
import { type Academy, insertSession, seedAcademy } from '../support/fixtures';
import { adminOf, createInput } from './helpers';

const onServer = currentTarget() === 'postgres' && currentDriver() === 'postgres-js';
const database = useTestDatabase();
let academy: Academy;
const clients: postgres.Sql[] = [];

/** A scheduler on its own one-connection postgres.js client that records every statement it sends. */
function recordingScheduler(options: { prepare?: boolean } = {}) {
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
    academy = await seedAcademy(database.db, { students: 4 });
  });
  afterAll(async () => Promise.all(clients.map((c) => c.end())));

  it('books a session with room and no queue in one statement, between the settings/student look-up and COMMIT', async () => {
    const { scheduler, sent, client } = recordingScheduler();
    const admin = adminOf(academy);
    await scheduler.bookings.book(admin, { sessionId: (await roomySession()).id, studentId: academy.studentIds[0]! });
    sent.length = 0;

    const result = await scheduler.bookings.book(admin, { sessionId: (await roomySession()).id, studentId: academy.studentIds[1]! });

    expect(result.outcome).toBe('confirmed');
    const kinds = sent.map((q) => q.trim().split(/\s+/).slice(0, 4).join(' ').toLowerCase());
    expect(kinds).toEqual([
      'begin',
      "select set_config('scheduling.actor_id', $1, true),",
      'select "id" from "scheduling"."students"',
      'select * from scheduling.write_confirmed_booking(',
      'commit',
    ]);
    // Prepared and kept by postgres.js: the same connection lists them.
    const [prepared] = await client<Array<{ count: number }>>`SELECT count(*)::int AS count FROM pg_prepared_statements WHERE statement LIKE 'SELECT * FROM scheduling.write_confirmed_booking(%'`;
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
      expect.stringMatching(/^select set_config\('scheduling.actor_id'/),
      expect.stringMatching(/^insert into scheduling\.sessions \(/),
      expect.stringMatching(/^select \* from scheduling\.schedule_conflicts where/),
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
});

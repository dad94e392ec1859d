/**
 * Figure 1: booking throughput on the real server. `scheduler.bookings.book` versus the
 * minimal correct raw-SQL booking transaction (BEGIN; lock the session row FOR NO KEY
 * UPDATE; INSERT the confirmed booking, whose trigger refuses a full session and bumps
 * `current_bookings`; COMMIT), both with change events on (every booking writes its
 * event, and a delivery row for the one consumer registered), at 1, 8 and 32 concurrent
 * connections, with the bookings spread over 100 sessions and all on one hot session.
 * The raw transaction is also run with the change-event triggers turned off, as the
 * schema was before events: against it, the cost of the event row. Every round is checked
 * afterwards: no session has more confirmed bookings than places, and
 * `current_bookings` equals the confirmed count. One over-subscribed round per level
 * and kind (more students than places on the hot session) proves nobody is overbooked.
 */
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { createScheduler } from '../../src';
import * as schema from '../../src/schema';
import { type Figure, compared, forScale, median, noteWith } from '../harness';
import type { BenchDatabase } from '../server-database';

const SPREAD_SESSIONS = 100;
/** The seeded rooms hold 40, so school sessions of 40 (the policy is raised to match). */
const CAPACITY = 40;
/** Bookings per spread round: two per session. */
const SPREAD_BOOKINGS = 200;
/** Students queued in the over-subscribed round: more than the places, within the waitlist's default 10. */
const OVERSUBSCRIBED = CAPACITY + 10;
const STUDENTS = SPREAD_BOOKINGS;
const LEVELS = [1, 8, 32] as const;

interface ThroughputData {
  spreadIds: string[];
  hotId: string;
  studentIds: string[];
}

type Booker = (sessionId: string, studentId: string) => Promise<'confirmed' | 'refused'>;

/** Runs `tasks` with `concurrency` workers pulling from one queue; returns wall-clock ms. */
export async function runConcurrently(tasks: ReadonlyArray<() => Promise<unknown>>, concurrency: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tasks.length) await tasks[next++]!();
    }),
  );
  return performance.now() - start;
}

/**
 * 100 school sessions of 40 places, plus one hot one, an hour each on separate days in
 * 2035 (after every session the other figures load, and never overlapping one another,
 * so one student may hold places in all of them), and 200 students.
 */
async function seed(bench: BenchDatabase): Promise<ThroughputData> {
  const { academy, client: sql } = bench;
  // The schedulers of this figure raise the school maximum to 40; the rows inserted here need it already.
  await sql`UPDATE scheduling.capacity_policies SET max_capacity = ${CAPACITY} WHERE session_type = 'school'`;
  const rows = await sql<Array<{ id: string }>>`
    INSERT INTO scheduling.sessions
      (program_id, course_id, location_id, facility_id, instructor_id, session_type, title, start_time, end_time, capacity, created_by)
    SELECT ${academy.programId}, ${academy.courseId}, ${academy.locationId}, ${academy.facilityIds[0]!}, ${academy.instructorIds[0]!},
           'school', 'Throughput ' || n, timestamptz '2035-01-01 15:00Z' + n * interval '1 day',
           timestamptz '2035-01-01 16:00Z' + n * interval '1 day', ${CAPACITY}, ${academy.adminId}
    FROM generate_series(0, ${SPREAD_SESSIONS}) AS n ORDER BY n
    RETURNING id`;
  const students = await sql<Array<{ id: string }>>`
    INSERT INTO scheduling.students (first_name, last_name)
    SELECT 'Pupil', 'No' || lpad(n::text, 4, '0') FROM generate_series(1, ${STUDENTS}) AS n ORDER BY n
    RETURNING id`;
  const ids = rows.map((r) => r.id);
  return { spreadIds: ids.slice(0, SPREAD_SESSIONS), hotId: ids[SPREAD_SESSIONS]!, studentIds: students.map((s) => s.id) };
}

/** The consumer registered for figure 1: every event writes a delivery row for it, as for a host's mailer. */
const CONSUMER = 'bench-mailer';
/** The change-event triggers on the tables a booking writes (drizzle/0009_change_events.sql). */
const EVENT_TABLES = ['sessions', 'session_bookings', 'session_waitlist'] as const;

/** Turns the change-event triggers of the booking tables off or on (between rounds, when nothing runs). */
async function setEvents(sql: postgres.Sql, on: boolean): Promise<void> {
  for (const table of EVENT_TABLES) {
    for (const trigger of ['trigger_change_event', 'trigger_change_event_update']) {
      await sql.unsafe(`ALTER TABLE scheduling.${table} ${on ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`);
    }
  }
}

/**
 * Empties the sessions again (the counter trigger takes each booking back), and the
 * bench consumer's deliveries, as a mailer that keeps up would (the events stay).
 */
async function reset(sql: postgres.Sql, sessionIds: string[]): Promise<void> {
  await sql`DELETE FROM scheduling.session_waitlist WHERE session_id = ANY(${sessionIds}::uuid[])`;
  await sql`DELETE FROM scheduling.session_bookings WHERE session_id = ANY(${sessionIds}::uuid[])`;
  await sql`DELETE FROM scheduling.event_deliveries WHERE consumer = ${CONSUMER}`;
}

/** Throws unless every session has confirmed <= capacity and current_bookings = confirmed (and, when given, exactly `expected` confirmed in all). */
async function assertNoOverbooking(sql: postgres.Sql, sessionIds: string[], expected?: number): Promise<number> {
  const rows = await sql<Array<{ id: string; capacity: number; current: number; confirmed: number }>>`
    SELECT s.id, s.capacity, s.current_bookings AS current,
           (SELECT count(*)::int FROM scheduling.session_bookings b WHERE b.session_id = s.id AND b.booking_status = 'confirmed') AS confirmed
    FROM scheduling.sessions s WHERE s.id = ANY(${sessionIds}::uuid[])`;
  let total = 0;
  for (const r of rows) {
    if (r.confirmed > r.capacity || r.current !== r.confirmed) {
      throw new Error(`figure 1: session ${r.id} has ${r.confirmed} confirmed, current_bookings ${r.current}, capacity ${r.capacity}`);
    }
    total += r.confirmed;
  }
  if (expected !== undefined && total !== expected) throw new Error(`figure 1: ${total} confirmed bookings, expected ${expected}`);
  return total;
}

/** The bookings of one round: `[sessionId, studentId]` pairs. */
function roundPlan(data: ThroughputData, kind: 'spread' | 'hot', count: number): Array<[string, string]> {
  return Array.from({ length: count }, (_, k) => [kind === 'spread' ? data.spreadIds[k % SPREAD_SESSIONS]! : data.hotId, data.studentIds[k]!]);
}

/**
 * Figure 1: six rows (three connection counts, spread and hot), each the service's
 * bookings/s against the raw transaction's in the same run. Creates its sessions and
 * students in `bench` and deletes the sessions again (the other figures expect their
 * own layout). `rounds` timed rounds per row after one warm-up, alternating service and raw.
 *
 * @example
 * ```ts
 * figures.push(...(await bookingThroughputFigures(bench)));
 * ```
 */
export async function bookingThroughputFigures(bench: BenchDatabase, rounds = 5): Promise<Figure[]> {
  const [policy] = await bench.client<Array<{ max: number }>>`SELECT max_capacity AS max FROM scheduling.capacity_policies WHERE session_type = 'school'`;
  const schoolMax = policy!.max;
  const data = await seed(bench);
  const allIds = [...data.spreadIds, data.hotId];
  await bench.client`INSERT INTO scheduling.event_consumers (name) VALUES (${CONSUMER}) ON CONFLICT DO NOTHING`;
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${bench.name}`;
  const figures: Figure[] = [];
  const admin = { kind: 'admin', userId: bench.academy.adminId } as const;
  let checkedRounds = 0;
  try {
    for (const connections of LEVELS) {
      const client = postgres(url.toString(), { max: connections, onnotice: () => {} });
      try {
        const scheduler = createScheduler({ db: drizzle(client, { schema }), policy: { school: { max: CAPACITY } } });
        const service: Booker = async (sessionId, studentId) => {
          const result = await scheduler.bookings.book(admin, { sessionId, studentId });
          return result.outcome === 'confirmed' ? 'confirmed' : 'refused';
        };
        const raw: Booker = async (sessionId, studentId) => {
          try {
            await client.begin(async (tx) => {
              await tx`SELECT 1 FROM scheduling.sessions WHERE id = ${sessionId} FOR NO KEY UPDATE`;
              await tx`INSERT INTO scheduling.session_bookings (session_id, student_id, booking_status, booking_source)
                       VALUES (${sessionId}, ${studentId}, 'confirmed', 'admin')`;
            });
            return 'confirmed';
          } catch (error) {
            if ((error as { code?: string }).code === 'SC001') return 'refused';
            throw error;
          }
        };
        // Warm both paths (and sync the raised school policy) before anything is timed.
        for (const book of [service, raw]) {
          await runConcurrently(
            roundPlan(data, 'spread', connections).map(
              ([s, st]) =>
                () =>
                  book(s, st),
            ),
            connections,
          );
          await reset(bench.client, allIds);
        }

        for (const kind of ['spread', 'hot'] as const) {
          const count = kind === 'spread' ? SPREAD_BOOKINGS : CAPACITY;
          const ids = kind === 'spread' ? data.spreadIds : [data.hotId];
          const times = { service: [] as number[], raw: [] as number[], rawWithEvents: [] as number[] };
          for (let round = 0; round < rounds + 1; round++) {
            for (const [name, book] of [
              ['service', service],
              ['raw', raw],
              ['rawWithEvents', raw],
            ] as const) {
              const plan = roundPlan(data, kind, count);
              // The baseline is the raw transaction without change events, as before they existed.
              if (name === 'raw') await setEvents(bench.client, false);
              let refused = 0;
              const ms = await runConcurrently(
                plan.map(([s, st]) => async () => {
                  if ((await book(s, st)) === 'refused') refused++;
                }),
                connections,
              );
              if (name === 'raw') await setEvents(bench.client, true);
              if (refused > 0) throw new Error(`figure 1: ${refused} bookings of a round within capacity were not confirmed (${name}, ${kind})`);
              await assertNoOverbooking(bench.client, ids, count);
              checkedRounds++;
              await reset(bench.client, ids);
              if (round > 0) times[name].push((count / ms) * 1000);
            }
          }
          const value = median(times.service);
          const baseline = median(times.raw);
          const withEvents = median(times.rawWithEvents);
          const config = `${connections} conn, ${kind === 'spread' ? `spread over ${SPREAD_SESSIONS} sessions` : 'one hot session'}`;
          figures.push(
            compared(
              `booking throughput, ${config}`,
              value,
              'bookings/s',
              { name: 'raw SQL booking transaction', value: withEvents },
              '>= 0.6x',
              (r) => r >= 0.6,
              rounds,
              noteWith(
                `${connections} postgres.js connection(s) (pool max = ${connections}), one worker per connection pulling from one queue. ` +
                  (kind === 'spread'
                    ? `${SPREAD_BOOKINGS} bookings per round, two per session over ${SPREAD_SESSIONS} school sessions of ${CAPACITY} places, each by a different student. `
                    : `${CAPACITY} bookings per round into one school session of ${CAPACITY} places (fills it), each by a different student. `) +
                  `Value: scheduler.bookings.book as an admin, one transaction each: zod validation, the student looked up, then the short path (session row lock; scheduled, not started, a free place and nobody queued or holding an offer; not already booked; insert, whose triggers check capacity and the student's other sessions) in one statement - the full path with waitlist settlement runs only when the short one declines. ` +
                  `Change events on for the value: each booking writes its booking.confirmed event and a delivery row for the one consumer registered (${CONSUMER}; its deliveries are deleted with the bookings after each round, as by a mailer that keeps up). ` +
                  `Baseline: BEGIN; SELECT ... FOR NO KEY UPDATE on the session; INSERT the confirmed booking (the trigger refuses a full session, bumps current_bookings, checks the student's other sessions and writes the change event and its delivery row, as every write to these tables does); COMMIT. ` +
                  `The same raw transaction with the change-event triggers disabled for its rounds, as the schema was before events: ${baseline.toFixed(0)} bookings/s; the scheduler runs at ${(value / baseline).toFixed(2)}x of that. ` +
                  `Bookings/s = bookings of the round / wall time; median of ${rounds} rounds after one warm-up, service, raw without events and raw with events alternating. ` +
                  `After every round: each session's confirmed count <= capacity, current_bookings = confirmed count, and every booking confirmed; then the bookings are deleted.`,
              ),
            ),
            forScale(
              `raw booking transaction with change events, ${config}`,
              withEvents,
              'bookings/s',
              { name: 'the same without events', value: baseline },
              rounds,
              noteWith(
                `The raw booking transaction of the row above, with the change-event triggers on (its booking.confirmed event and a delivery row for one consumer; the session's counter update writes no event but is still diffed) against the same with them off, rounds alternating in the same run. ` +
                  `Cost of the event per booking at this concurrency: ${(1000 / withEvents - 1000 / baseline).toFixed(3)} ms of wall time per booking per connection slot (1/with - 1/without, x ${connections} connection(s) for the time one booking holds a connection: ${((1000 / withEvents - 1000 / baseline) * connections).toFixed(3)} ms).`,
              ),
            ),
          );
        }

        // Over-subscribed: more students than places on the hot session at once.
        for (const [name, book] of [
          ['service', service],
          ['raw', raw],
        ] as const) {
          const plan = Array.from({ length: OVERSUBSCRIBED }, (_, k) => [data.hotId, data.studentIds[k]!] as const);
          let refused = 0;
          await runConcurrently(
            plan.map(([s, st]) => async () => {
              if ((await book(s, st)) === 'refused') refused++;
            }),
            connections,
          );
          await assertNoOverbooking(bench.client, [data.hotId], CAPACITY);
          if (refused !== OVERSUBSCRIBED - CAPACITY)
            throw new Error(`figure 1: ${refused} of ${OVERSUBSCRIBED} refused or queued, expected ${OVERSUBSCRIBED - CAPACITY} (${name})`);
          checkedRounds++;
          await reset(bench.client, [data.hotId]);
        }
      } finally {
        await client.end();
      }
    }
  } finally {
    await setEvents(bench.client, true).catch(() => undefined);
    await reset(bench.client, allIds).catch(() => undefined);
    await bench.client`DELETE FROM scheduling.event_consumers WHERE name = ${CONSUMER}`.catch(() => undefined);
    await bench.client`DELETE FROM scheduling.sessions WHERE id = ANY(${allIds}::uuid[])`.catch(() => undefined);
    // Other schedulers sync their own policy on first use; put the default back anyway.
    await bench.client`UPDATE scheduling.capacity_policies SET max_capacity = ${schoolMax} WHERE session_type = 'school'`.catch(() => undefined);
  }
  for (const f of figures)
    f.note += ` Overbooking check passed in all ${checkedRounds} rounds of figure 1 (including one over-subscribed round per connection count and path: ${OVERSUBSCRIBED} students for ${CAPACITY} places, exactly ${CAPACITY} confirmed).`;
  return figures;
}

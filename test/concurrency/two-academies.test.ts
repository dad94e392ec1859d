/**
 * Two academies in one database, each in its own schema, under a booking rush at the
 * same moment (real server only): academy A is the default `scheduling` schema,
 * academy B a second schema made by `migrate(db, { schema })`. Each rush must end
 * exactly as it would alone — no overbooking, a gapless queue, every refusal typed —
 * and nothing of one academy may land in, refer to, or be counted by the other:
 * neither with a pool per academy nor with one pool whose connections serve both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { sql } from 'drizzle-orm';
import * as s from '../../src/schema';
import { createScheduler, isSchedulingError, type Actor, type BookOutcome, type Scheduler } from '../../src';
import { dropAcademy, listAcademies, migrate } from '../../src/migrate';
import { useTestDatabase } from '../support/database';
import { type Academy, confirmedAndQueue, insertSession, seedAcademy, sessionById } from '../support/fixtures';
import { confirmedAndQueueIn, insertSessionIn, seedAcademyIn, sessionByIdIn } from '../support/academy-in-schema';
import { adminOf } from '../support/actors';
import { at } from '../support/time';
import { type Race, race } from '../support/race';

/** Connections per academy (a shared pool has both academies' together). */
// 12 per academy: the concurrency project runs two files at once, and guarantees.test.ts alone holds 54 of the server's 100 connections.
const CONNECTIONS = 12;
const WINDOW = 60;
/** Calls per academy per rush that name the other academy's session or student: each must be NOT_FOUND. */
const STRAYS = 4;
const B_SCHEMA = 'academy_rush_b';

/** Each academy's rush, with different numbers so a row counted in the wrong academy shows. */
const PLANS = {
  A: { schema: 'scheduling', students: 70, capacity: 10, maxWaitlistSize: 50 },
  B: { schema: B_SCHEMA, students: 64, capacity: 8, maxWaitlistSize: 45 },
} as const;
type Side = keyof typeof PLANS;
const SIDES: Side[] = ['A', 'B'];
const otherSide = (side: Side): Side => (side === 'A' ? 'B' : 'A');
/** Each academy's own capacity policy: the group maximum is its rush's capacity. */
const policyOf = (side: Side) => ({ group: { max: PLANS[side].capacity } });

const database = useTestDatabase();
const system: Actor = { kind: 'system' };
const clock = { now: at('2029-12-01T08:00:00Z') };
const academies = {} as Record<Side, Academy>;

/** Academy A's scheduler on the default schema; B's bound to its schema, on a Drizzle without our tables (as a host may build it). */
function schedulerFor(side: Side, pool: ReturnType<typeof postgres>): Scheduler {
  const options = { now: () => clock.now, offerWindowMinutes: WINDOW, maxRetries: 10, policy: policyOf(side) };
  return side === 'A'
    ? createScheduler({ db: drizzle(pool, { schema: s }), ...options })
    : createScheduler({ db: drizzle(pool), schema: PLANS.B.schema, ...options });
}

beforeAll(async () => {
  await migrate(database.db, { schema: B_SCHEMA });
  expect(await listAcademies(database.db)).toEqual([B_SCHEMA, 'scheduling']);
  academies.A = await seedAcademy(database.db, { students: PLANS.A.students });
  academies.B = await seedAcademyIn(database.db, B_SCHEMA, { students: PLANS.B.students });
}, 120_000);

afterAll(async () => {
  await dropAcademy(database.db, { schema: B_SCHEMA, confirm: B_SCHEMA });
  expect(await listAcademies(database.db)).toEqual(['scheduling']);
});

const insertIn = (side: Side, start: Date) => {
  const values = {
    instructorId: null,
    capacity: PLANS[side].capacity,
    maxWaitlistSize: PLANS[side].maxWaitlistSize,
    startTime: start,
    endTime: new Date(start.getTime() + 3_600_000),
  };
  return side === 'A' ? insertSession(database.db, academies.A, values) : insertSessionIn(database.db, B_SCHEMA, academies.B, values);
};
const readSession = (side: Side, id: string) => (side === 'A' ? sessionById(database.db, id) : sessionByIdIn(database.db, B_SCHEMA, id));
const readPlaces = (side: Side, id: string) => (side === 'A' ? confirmedAndQueue(database.db, id) : confirmedAndQueueIn(database.db, B_SCHEMA, id));

/** The values of `column` in every row of `schema.table`, as a set. */
async function idsOf(schema: string, table: string, column = 'id'): Promise<Set<string>> {
  const rows = await database.query<{ v: string }>(`SELECT DISTINCT "${column}"::text AS v FROM "${schema}"."${table}" WHERE "${column}" IS NOT NULL`);
  return new Set(rows.map((r) => r.v));
}

/** Every uuid stored anywhere in `schema`'s tables. */
async function uuidsIn(schema: string): Promise<Set<string>> {
  const columns = await database.query<{ t: string; c: string }>(
    `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = '${schema}' AND data_type = 'uuid'`,
  );
  const found = new Set<string>();
  for (const { t, c } of columns) for (const v of await idsOf(schema, t, c)) found.add(v);
  return found;
}

/** No booking or queue entry of either academy refers to anything but its own sessions and students; no uuid is in both. */
async function expectAcademiesApart() {
  for (const side of SIDES) {
    const own = PLANS[side].schema;
    const other = PLANS[otherSide(side)].schema;
    const [ownSessions, ownStudents, otherSessions, otherStudents] = await Promise.all([
      idsOf(own, 'sessions'),
      idsOf(own, 'students'),
      idsOf(other, 'sessions'),
      idsOf(other, 'students'),
    ]);
    for (const table of ['session_bookings', 'session_waitlist']) {
      const sessionIds = [...(await idsOf(own, table, 'session_id'))];
      const studentIds = [...(await idsOf(own, table, 'student_id'))];
      expect(sessionIds.length, `${own}.${table} is empty`).toBeGreaterThan(0);
      expect(
        sessionIds.filter((id) => !ownSessions.has(id) || otherSessions.has(id)),
        `${own}.${table}.session_id`,
      ).toEqual([]);
      expect(
        studentIds.filter((id) => !ownStudents.has(id) || otherStudents.has(id)),
        `${own}.${table}.student_id`,
      ).toEqual([]);
    }
  }
  const [a, b] = await Promise.all([uuidsIn(PLANS.A.schema), uuidsIn(PLANS.B.schema)]);
  expect(a.size).toBeGreaterThan(PLANS.A.students);
  expect(b.size).toBeGreaterThan(PLANS.B.students);
  expect([...a].filter((id) => b.has(id))).toEqual([]);
}

type Call = { kind: 'own'; studentId: string } | { kind: 'stray' };

/**
 * One rush in each academy at once: every student of the academy books its session
 * once, and STRAYS calls name the other academy's session (with an own student) or
 * the other academy's student (in the own session). `pools` is a pool per academy or
 * one pool for both.
 */
async function rushBoth(label: string, pools: Record<Side, ReturnType<typeof postgres>>, start: Date) {
  const schedulers = { A: schedulerFor('A', pools.A), B: schedulerFor('B', pools.B) };
  // Each scheduler's first call writes its policy into its own academy (sessions of 10
  // and 8 places need it); done now, so the race measures bookings only.
  await Promise.all(SIDES.map((side) => schedulers[side].waitlist.expireOffers(system, {})));
  // The same hour in both academies.
  const sessions = { A: await insertIn('A', start), B: await insertIn('B', start) };

  const calls = {} as Record<Side, Call[]>;
  const run = {} as Record<Side, (i: number) => Promise<BookOutcome>>;
  for (const side of SIDES) {
    const mine = academies[side];
    const theirs = academies[otherSide(side)];
    calls[side] = [
      ...mine.studentIds.map((studentId): Call => ({ kind: 'own', studentId })),
      ...Array.from({ length: STRAYS }, (): Call => ({ kind: 'stray' })),
    ];
    run[side] = (i) => {
      const admin = adminOf(mine);
      if (i < mine.studentIds.length) return schedulers[side].bookings.book(admin, { sessionId: sessions[side].id, studentId: mine.studentIds[i]! });
      const n = i - mine.studentIds.length;
      return n % 2 === 0
        ? schedulers[side].bookings.book(admin, { sessionId: sessions[otherSide(side)].id, studentId: mine.studentIds[n]! })
        : schedulers[side].bookings.book(admin, { sessionId: sessions[side].id, studentId: theirs.studentIds[n]! });
    };
  }

  // Every connection of every pool open first, so both rushes really start together.
  const distinct = [...new Set(Object.values(pools))];
  await Promise.all(distinct.flatMap((pool) => Array.from({ length: pool.options.max }, () => pool`SELECT 1`)));
  const took = {} as Record<Side, number>;
  const started = performance.now();
  const [raceA, raceB] = await Promise.all(
    SIDES.map(async (side) => {
      const result = await race(calls[side].length, run[side]);
      took[side] = Math.round(performance.now() - started);
      return result;
    }),
  );
  const total = Math.round(performance.now() - started);
  console.info(`[two academies] ${label}: A ${calls.A.length} calls in ${took.A} ms, B ${calls.B.length} calls in ${took.B} ms, both in ${total} ms`);
  const races: Record<Side, Race<BookOutcome>> = { A: raceA!, B: raceB! };

  for (const side of SIDES) {
    const plan = PLANS[side];
    const session = sessions[side];
    const { results, tally } = races[side];
    const queued = plan.maxWaitlistSize;
    const turnedAway = plan.students - plan.capacity - queued;
    // Every call: a place, a place in the queue, WAITLIST_FULL, or NOT_FOUND for a stray.
    expect(tally, `academy ${side}`).toEqual({ ok: plan.capacity + queued, WAITLIST_FULL: turnedAway, NOT_FOUND: STRAYS });
    const codes = results.map((r) => (r.status === 'fulfilled' ? 'ok' : isSchedulingError(r.reason) ? r.reason.code : String(r.reason)));
    expect(codes.slice(plan.students), `academy ${side}: strays`).toEqual(Array(STRAYS).fill('NOT_FOUND'));

    const confirmedBy = new Set<string>();
    const queuedBy = new Map<string, number>();
    const refused = new Set<string>();
    results.slice(0, plan.students).forEach((r, i) => {
      const studentId = academies[side].studentIds[i]!;
      if (r.status === 'rejected') return void refused.add(studentId);
      if (r.value.outcome === 'confirmed') {
        expect([r.value.booking.sessionId, r.value.booking.studentId]).toEqual([session.id, studentId]);
        confirmedBy.add(studentId);
      } else {
        expect([r.value.entry.sessionId, r.value.entry.studentId, r.value.entry.position]).toEqual([session.id, studentId, r.value.position]);
        queuedBy.set(studentId, r.value.position);
      }
    });
    expect(confirmedBy.size).toBe(plan.capacity);
    expect([...queuedBy.values()].sort((x, y) => x - y)).toEqual(Array.from({ length: queued }, (_, i) => i + 1));

    // What the academy's own tables hold: exactly what the calls answered.
    const after = await readSession(side, session.id);
    const { confirmed, queue } = await readPlaces(side, session.id);
    expect(after.capacity).toBe(plan.capacity);
    expect(after.currentBookings).toBe(plan.capacity);
    expect(confirmed).toHaveLength(plan.capacity);
    expect(new Set(confirmed.map((c) => c.studentId))).toEqual(confirmedBy);
    expect(queue.map((e) => e.position)).toEqual(Array.from({ length: queued }, (_, i) => i + 1));
    expect(new Map(queue.map((e) => [e.studentId, e.position]))).toEqual(queuedBy);
    expect(queue.every((e) => e.status === 'waiting')).toBe(true);
    const placed = new Set([...confirmed.map((c) => c.studentId), ...queue.map((e) => e.studentId)]);
    expect([...refused].filter((id) => placed.has(id))).toEqual([]);

    // The other academy holds nothing of this session.
    const other = PLANS[otherSide(side)].schema;
    const [leaked] = await database.query<{ n: number }>(
      sql`SELECT (SELECT count(*) FROM ${sql.identifier(other)}.sessions WHERE id = ${session.id})
               + (SELECT count(*) FROM ${sql.identifier(other)}.session_bookings WHERE session_id = ${session.id})
               + (SELECT count(*) FROM ${sql.identifier(other)}.session_waitlist WHERE session_id = ${session.id}) AS n`,
    );
    expect(Number(leaked!.n), `academy ${side}'s session in ${other}`).toBe(0);
  }

  // Each academy kept its own capacity policy, and each is healthy by its own check.
  for (const side of SIDES) {
    const rows = await database.query<{ session_type: string; max_capacity: number }>(
      sql`SELECT session_type, max_capacity FROM ${sql.identifier(PLANS[side].schema)}.capacity_policies WHERE session_type = 'group'`,
    );
    expect(rows, `academy ${side}'s policy`).toEqual([{ session_type: 'group', max_capacity: PLANS[side].capacity }]);
    expect(await schedulers[side].maintenance.verifyIntegrity(system, {}), `academy ${side}`).toEqual([]);
  }
  await expectAcademiesApart();
}

const open = (max: number) => postgres(database.url!, { max, onnotice: () => {} });

describe(`two academies, each in a booking rush on ${CONNECTIONS} connections, at the same time`, () => {
  it(`a pool per academy: each ends with exactly its capacity confirmed, a gapless queue and typed refusals`, async () => {
    const pools = { A: open(CONNECTIONS), B: open(CONNECTIONS) };
    try {
      await rushBoth('a pool per academy', pools, at('2030-05-02T13:00:00Z'));
    } finally {
      await Promise.all([pools.A.end(), pools.B.end()]);
    }
  });

  it(`one pool whose ${2 * CONNECTIONS} connections serve both academies: the same exact outcomes`, async () => {
    const pool = open(2 * CONNECTIONS);
    try {
      await rushBoth('one shared pool', { A: pool, B: pool }, at('2030-05-03T13:00:00Z'));
    } finally {
      await pool.end();
    }
  });
});

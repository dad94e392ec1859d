/**
 * Academies on different Citus workers (the citus-concurrency project only: skipped
 * everywhere else). On Citus `migrate(db, { schema })` makes each academy a distributed
 * schema, all of its tables on one worker; the application talks to the coordinator.
 *
 * 1. Two academies placed on the two different workers (moved apart if Citus put them
 *    together), a booking rush in each at the same moment on separate pools: each ends
 *    exactly as it would alone.
 * 2. An academy moved to the other worker with `citus_schema_move` while several
 *    connections keep booking and cancelling in it: every call succeeds or is refused
 *    with a SchedulingError, and the academy afterwards holds exactly what the callers
 *    were told, on the other worker. Once for each way Citus 13.2 moves shards
 *    (`citus_schema_move(schema, host, port, shard_transfer_mode)`):
 *    - `auto`: logical replication whenever every table has a replica identity (every
 *      academy table has a primary key; the cluster runs with wal_level = logical). The
 *      shards are copied and the changes streamed while writes go on; writes wait only
 *      in the final phase, while Citus catches up and switches the metadata over.
 *    - `block_writes`: the shards are copied with COPY, and writes to them wait for the
 *      whole move (reads go on); a table without a replica identity needs this mode.
 *    Either way a scheduler transaction first takes the metadata lock of its academy's
 *    first shard in share mode (hold_academy_placement, drizzle/0008): a move waits for the transactions
 *    under way, and a transaction begun during it waits for its end and then reads the
 *    new placement. (Without that, a row locked by `SELECT … FOR UPDATE` on the old
 *    placement, which a move does not block, let a second transaction read a row the
 *    first had changed on the new one, as the test "a move waits for…" shows.) Should Citus's distributed deadlock
 *    detector still cancel a call's transaction (40P01), the scheduler retries it
 *    (maxRetries); the log line counts the retries. (Moving an academy back to a worker
 *    it just left needs the old copies there dropped first: dropOrphansOf.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { sql } from 'drizzle-orm';
import { createScheduler, isSchedulingError, type Actor, type BookOutcome, type Scheduler } from '../../src';
import { listAcademies, migrate } from '../../src/migrate';
import { onCitus, useTestDatabase } from '../support/database';
import type { Academy } from '../support/fixtures';
import { confirmedAndQueueIn, insertSessionIn, seedAcademyIn, sessionByIdIn } from '../support/academy-in-schema';
import { adminOf } from '../support/actors';
import { at } from '../support/time';
import { race } from '../support/race';
import {
  type CitusNode,
  type ShardTransferMode,
  dropOrphansOf,
  moveSchema,
  nodeName,
  orphansOf,
  otherWorker,
  placementOf,
  schemaShardCount,
  shardWorkers,
  tablesWithoutReplicaIdentity,
} from '../support/citus';

const A_SCHEMA = 'scheduling';
const B_SCHEMA = 'academy_worker_b';
/** Each academy's rush, with different numbers so that a row counted in the wrong academy shows. */
const PLANS = {
  A: { schema: A_SCHEMA, students: 30, capacity: 10, maxWaitlistSize: 15 },
  B: { schema: B_SCHEMA, students: 26, capacity: 8, maxWaitlistSize: 12 },
} as const;
type Side = keyof typeof PLANS;
const SIDES: Side[] = ['A', 'B'];
/** Connections per academy in the rush. */
const RUSH_CONNECTIONS = 10;
/** Group sessions of up to 10 places (the default policy allows 5). */
const POLICY = { group: { max: 10 } };
const WINDOW = 60;
/** The load during a move: callers (one connection each), sessions, places and queue per session. */
const LOAD_CONNECTIONS = 8;
const LOAD_SESSIONS = 4;
const LOAD_CAPACITY = 6;
const LOAD_WAITLIST = 8;
/** The share of calls that cancel a confirmed booking (when there is one). */
const CANCEL_SHARE = 0.35;
/** Each caller's pause between calls: a steady stream, not a flat-out rush. */
const PAUSE_MS = 5;
const WARM_UP_CALLS = 40;
const AFTER_MOVE_CALLS = 40;

const system: Actor = { kind: 'system' };
const clock = { now: at('2029-12-01T08:00:00Z') };

/** A pool; `onQuery` sees the text of every statement it sends (postgres.js's `debug` hook). */
const open = (url: string, max: number, onQuery?: (query: string) => void) =>
  postgres(url, { max, onnotice: () => {}, ...(onQuery ? { debug: (_connection: number, query: string) => onQuery(query) } : {}) });

/** A scheduler for the academy in `schema`, on a Drizzle without our tables (as a host may build it). */
function schedulerFor(pool: ReturnType<typeof postgres>, schema: string, extra: { promotionMode?: 'offer' | 'auto' } = {}): Scheduler {
  return createScheduler({ db: drizzle(pool), schema, now: () => clock.now, offerWindowMinutes: WINDOW, maxRetries: 10, policy: POLICY, ...extra });
}

const hours = (start: Date, n: number) => new Date(start.getTime() + n * 3_600_000);
const ms = (since: number) => Math.round(performance.now() - since);

/** Resolves when `done()` holds, polling; fails after `timeoutMs`. */
async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A small deterministic generator (mulberry32), so a failing run can be replayed. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.skipIf(!onCitus())('academies on Citus workers', () => {
  // Inside the describe: in the plain concurrency project nothing is created at all.
  const database = useTestDatabase();
  const academies = {} as Record<Side, Academy>;

  beforeAll(async () => {
    await migrate(database.db, { schema: B_SCHEMA });
    expect(await listAcademies(database.db)).toEqual([B_SCHEMA, A_SCHEMA]);
    academies.A = await seedAcademyIn(database.db, A_SCHEMA, { students: PLANS.A.students });
    // B also serves the move below: more students than its rush needs.
    academies.B = await seedAcademyIn(database.db, B_SCHEMA, { students: 100 });
  }, 120_000);

  /** Each schema is one tenant: every one of its tables has exactly one shard, all on one worker. */
  async function expectWholeOnOneWorker(schema: string): Promise<CitusNode> {
    const { tables, shards } = await schemaShardCount(database, schema);
    expect(tables, `${schema}'s tables`).toBeGreaterThan(20);
    expect(shards, `${schema}'s shards`).toBe(tables);
    const nodes = await placementOf(database, schema);
    expect(nodes, `${schema}'s nodes`).toHaveLength(1);
    return nodes[0]!;
  }

  /** One academy's rush: every one of its first `plan.students` students books `sessionId` at once. Exact outcome checked. */
  async function rush(side: Side, pool: ReturnType<typeof postgres>, sessionId: string, started: number) {
    const plan = PLANS[side];
    const scheduler = schedulerFor(pool, plan.schema);
    const admin = adminOf(academies[side]);
    const studentIds = academies[side].studentIds.slice(0, plan.students);
    const result = await race(plan.students, (i) => scheduler.bookings.book(admin, { sessionId, studentId: studentIds[i]! }));
    const took = ms(started);

    const queued = plan.maxWaitlistSize;
    const turnedAway = plan.students - plan.capacity - queued;
    expect(result.tally, `academy ${side}`).toEqual({ ok: plan.capacity + queued, WAITLIST_FULL: turnedAway });
    const confirmedBy = new Set<string>();
    const queuedBy = new Map<string, number>();
    result.results.forEach((r, i) => {
      if (r.status === 'rejected') return;
      const value: BookOutcome = r.value;
      if (value.outcome === 'confirmed') {
        expect([value.booking.sessionId, value.booking.studentId]).toEqual([sessionId, studentIds[i]]);
        confirmedBy.add(studentIds[i]!);
      } else {
        expect([value.entry.sessionId, value.entry.studentId, value.entry.position]).toEqual([sessionId, studentIds[i], value.position]);
        queuedBy.set(studentIds[i]!, value.position);
      }
    });
    expect(confirmedBy.size, `academy ${side}: confirmed`).toBe(plan.capacity);
    expect([...queuedBy.values()].sort((x, y) => x - y)).toEqual(Array.from({ length: queued }, (_, i) => i + 1));

    // The academy's tables hold exactly what the calls answered.
    const session = await sessionByIdIn(database.db, plan.schema, sessionId);
    const { confirmed, queue } = await confirmedAndQueueIn(database.db, plan.schema, sessionId);
    expect([session.capacity, session.currentBookings], `academy ${side}: capacity, current_bookings`).toEqual([plan.capacity, plan.capacity]);
    expect(confirmed).toHaveLength(plan.capacity);
    expect(new Set(confirmed.map((c) => c.studentId))).toEqual(confirmedBy);
    expect(queue.map((e) => e.position)).toEqual(Array.from({ length: queued }, (_, i) => i + 1));
    expect(new Map(queue.map((e) => [e.studentId, e.position]))).toEqual(queuedBy);
    expect(queue.every((e) => e.status === 'waiting')).toBe(true);
    expect(await scheduler.maintenance.verifyIntegrity(system, {}), `academy ${side}`).toEqual([]);
    return took;
  }

  it('two academies on different workers, a booking rush in each at once: exact outcomes in both', async () => {
    const workers = await shardWorkers(database);
    expect(workers).toHaveLength(2);
    const before = { A: await expectWholeOnOneWorker(A_SCHEMA), B: await expectWholeOnOneWorker(B_SCHEMA) };
    let moved = 'not moved: Citus placed them apart';
    if (nodeName(before.A) === nodeName(before.B)) {
      // No bookings yet: the simplest transfer mode will do (see the move test for what it blocks).
      const to = await otherWorker(database, B_SCHEMA);
      const took = await moveSchema(database, B_SCHEMA, to, 'block_writes');
      moved = `moved ${B_SCHEMA} ${nodeName(before.B)} → ${nodeName(to)} in ${took} ms`;
    }
    const placed = { A: await expectWholeOnOneWorker(A_SCHEMA), B: await expectWholeOnOneWorker(B_SCHEMA) };
    expect(nodeName(placed.A)).not.toBe(nodeName(placed.B));
    expect([nodeName(placed.A), nodeName(placed.B)].sort()).toEqual(workers.map(nodeName).sort());
    console.info(`[citus workers] ${A_SCHEMA} on ${nodeName(placed.A)}, ${B_SCHEMA} on ${nodeName(placed.B)} (${moved})`);

    const pools = { A: open(database.url!, RUSH_CONNECTIONS), B: open(database.url!, RUSH_CONNECTIONS) };
    try {
      // Each scheduler's first call writes its policy into its academy (sessions of 10
      // places need it); done now, and every connection opened, so the rushes start together.
      await Promise.all(SIDES.map((side) => schedulerFor(pools[side], PLANS[side].schema).waitlist.expireOffers(system, {})));
      const start = at('2030-05-02T13:00:00Z');
      const sessions = {} as Record<Side, string>;
      for (const side of SIDES) {
        const plan = PLANS[side];
        const values = { instructorId: null, capacity: plan.capacity, maxWaitlistSize: plan.maxWaitlistSize, startTime: start, endTime: hours(start, 1) };
        sessions[side] = (await insertSessionIn(database.db, plan.schema, academies[side], values)).id;
      }
      await Promise.all(SIDES.flatMap((side) => Array.from({ length: RUSH_CONNECTIONS }, () => pools[side]`SELECT 1`)));
      const started = performance.now();
      const [tookA, tookB] = await Promise.all(SIDES.map((side) => rush(side, pools[side], sessions[side], started)));
      console.info(`[citus workers] rush on both workers: A ${PLANS.A.students} calls in ${tookA} ms, B ${PLANS.B.students} calls in ${tookB} ms`);
    } finally {
      await Promise.all([pools.A.end(), pools.B.end()]);
    }
    // Neither academy holds a booking of the other's sessions (read one schema at a time:
    // a join across two tenants would be a query across two workers).
    const idsIn = async (schema: string, table: string, column: string) =>
      new Set(
        (
          await database.query<{ v: string }>(sql`SELECT DISTINCT ${sql.identifier(column)}::text AS v FROM ${sql.identifier(schema)}.${sql.identifier(table)}`)
        ).map((r) => r.v),
      );
    for (const [own, other] of [
      [A_SCHEMA, B_SCHEMA],
      [B_SCHEMA, A_SCHEMA],
    ]) {
      const [booked, theirs] = await Promise.all([idsIn(own!, 'session_bookings', 'session_id'), idsIn(other!, 'sessions', 'id')]);
      expect(booked.size, `${own}'s booked sessions`).toBe(1);
      expect(
        [...booked].filter((id) => theirs.has(id)),
        `${own}'s bookings of ${other}'s sessions`,
      ).toEqual([]);
    }
  });

  it('a move waits for a transaction the scheduler has run in, and one begun during the move waits for it: no row is locked on the copy a move leaves behind', async () => {
    // Citus blocks writes to the shards it moves, but not row-locking reads (`SELECT …
    // FOR UPDATE`). Without the hold (hold_academy_placement, drizzle/0008), a
    // transaction that locked a session's row on the old placement and wrote after the
    // switch wrote to the new one, and a transaction queued behind its row lock on the
    // old placement then read the old row: a count the first had already changed. Here
    // the first transaction locks the row, the move is asked for, a second transaction
    // begins, and only then does the first book and commit.
    const schema = B_SCHEMA;
    const academy = academies.B;
    const admin = adminOf(academy);
    const to = await otherWorker(database, schema);
    await dropOrphansOf(database, schema);
    const start = at('2030-05-20T13:00:00Z');
    const values = { instructorId: null, capacity: 3, maxWaitlistSize: 3, startTime: start, endTime: hours(start, 1) };
    const session = await insertSessionIn(database.db, schema, academy, values);
    const pools = [open(database.url!, 1), open(database.url!, 1)] as const;
    try {
      const side = (pool: ReturnType<typeof postgres>) => ({ db: drizzle(pool), scheduler: schedulerFor(pool, schema) });
      const [first, second] = [side(pools[0]), side(pools[1])];
      // A scheduler's first call writes its capacity policy into the academy; done now, so
      // that the calls inside the transactions below only read.
      for (const { scheduler } of [first, second]) await scheduler.sessions.get(admin, { sessionId: session.id });
      type Tx = Parameters<Parameters<(typeof first)['db']['transaction']>[0]>[0];
      const lockedCount = async (tx: Tx) => {
        const rows = await tx.execute<{ n: number }>(
          sql`SELECT current_bookings AS n FROM ${sql.identifier(schema)}.sessions WHERE id = ${session.id} FOR UPDATE`,
        );
        return Number(rows[0]!.n);
      };
      const events: string[] = [];
      const when: Record<string, number> = {};
      const mark = (event: string) => {
        events.push(event);
        when[event] = performance.now();
      };
      let letFirstBook!: () => void;
      const firstMayBook = new Promise<void>((resolve) => (letFirstBook = resolve));
      const firstTx = first.db
        .transaction(async (tx) => {
          await first.scheduler.sessions.get(admin, { sessionId: session.id }, { tx });
          mark(`first locked ${await lockedCount(tx)}`);
          await firstMayBook;
          const outcome = await first.scheduler.bookings.book(admin, { sessionId: session.id, studentId: academy.studentIds[90]! }, { tx });
          mark(`first ${outcome.outcome}`);
        })
        .then(() => mark('first committed'));
      await until(() => events.length > 0, 10_000, 'the first transaction to lock the row');
      const move = moveSchema(database, schema, to, 'block_writes').then(() => mark('moved'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const secondTx = second.db.transaction(async (tx) => {
        await second.scheduler.sessions.get(admin, { sessionId: session.id }, { tx });
        mark(`second locked ${await lockedCount(tx)}`);
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      letFirstBook();
      await Promise.all([firstTx, secondTx, move]);
      console.info(`[citus workers] hold: ${events.join(', ')}`);
      // The move ended after the first transaction; the second read the row the first changed, where it now is.
      expect(events.filter((e) => e.startsWith('first'))).toEqual(['first locked 0', 'first confirmed', 'first committed']);
      expect(when.moved!, 'the move ended after the first transaction committed').toBeGreaterThan(when['first committed']!);
      expect(events).toContain('second locked 1');
      expect(when['second locked 1']!).toBeGreaterThan(when['first committed']!);
      expect(await placementOf(database, schema)).toEqual([to]);
      expect((await sessionByIdIn(database.db, schema, session.id)).currentBookings).toBe(1);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  /** What a caller saw of one call: `ok`, a SchedulingError's code, or `raw …` for anything else. */
  interface Call {
    kind: 'book' | 'cancel';
    startedAt: number;
    endedAt: number;
    code: string;
    /** Bookings a cancellation made for the next in line. */
    promoted?: number;
    error?: unknown;
  }
  const codeOf = (error: unknown) => (isSchedulingError(error) ? error.code : `raw ${String(error)}`);

  /**
   * Moves academy B to the other worker with `mode` while LOAD_CONNECTIONS callers book
   * and cancel in it; then checks that nothing was lost, doubled or left inconsistent.
   */
  async function moveUnderLoad(mode: ShardTransferMode, seed: number, firstDay: string) {
    const schema = B_SCHEMA;
    const academy = academies.B;
    const admin = adminOf(academy);
    const from = await expectWholeOnOneWorker(schema);
    const to = await otherWorker(database, schema);
    // What makes `auto` choose logical replication: no table without a replica identity.
    expect(await tablesWithoutReplicaIdentity(database, schema)).toEqual([]);
    // The old copies an earlier move left on `to` go first (see dropOrphansOf).
    const orphans = await orphansOf(database, schema);
    await dropOrphansOf(database, schema);
    // Transactions begun: beyond one per call, the scheduler's retries (of a deadlock or
    // serialization failure), which no caller sees.
    let begun = 0;
    const pool = open(database.url!, LOAD_CONNECTIONS, (query) => void (/^begin\b/i.test(query) && begun++));
    try {
      // Auto promotion: a cancellation books the next in line at once, and the canceller
      // is told (promotion.confirmed), so every confirmed booking is one a caller saw.
      const scheduler = schedulerFor(pool, schema, { promotionMode: 'auto' });
      await scheduler.waitlist.expireOffers(system, {});
      const sessionIds: string[] = [];
      for (let i = 0; i < LOAD_SESSIONS; i++) {
        // A day apart: no student is ever in two overlapping sessions.
        const start = new Date(at(firstDay).getTime() + i * 24 * 3_600_000);
        const values = { instructorId: null, capacity: LOAD_CAPACITY, maxWaitlistSize: LOAD_WAITLIST, startTime: start, endTime: hours(start, 1) };
        sessionIds.push((await insertSessionIn(database.db, schema, academy, values)).id);
      }
      const random = randomFrom(seed);
      // Every (session, student) pair is booked at most once, in a shuffled order.
      const pairs = sessionIds.flatMap((sessionId) => academy.studentIds.map((studentId) => ({ sessionId, studentId })));
      for (let i = pairs.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!];
      }
      let next = 0;

      const confirmedSeen = new Set<string>();
      const cancelledSeen = new Set<string>();
      const queuedSeen = new Set<string>();
      const acceptedSeen = new Set<string>();
      /** Confirmed bookings no caller is cancelling: each is cancelled by one caller at most. */
      const cancellable: string[] = [];
      const calls: Call[] = [];
      const oddities: string[] = [];
      let stop = false;

      const call = async (kind: Call['kind'], work: () => Promise<number | void>, onRefused: () => void = () => {}) => {
        const startedAt = performance.now();
        try {
          const promoted = (await work()) ?? undefined;
          calls.push({ kind, startedAt, endedAt: performance.now(), code: 'ok', promoted });
        } catch (error) {
          // A refused call wrote nothing (its transaction rolled back).
          onRefused();
          calls.push({ kind, startedAt, endedAt: performance.now(), code: codeOf(error), error });
        }
      };
      const caller = async (w: number) => {
        const pick = randomFrom(seed * 1000 + w);
        while (!stop) {
          if (cancellable.length > 0 && pick() < CANCEL_SHARE) {
            const [bookingId] = cancellable.splice(Math.floor(pick() * cancellable.length), 1);
            await call(
              'cancel',
              async () => {
                const { booking, promotion } = await scheduler.bookings.cancel(admin, { bookingId: bookingId!, type: 'academy' });
                if (booking.id !== bookingId || booking.bookingStatus !== 'cancelled')
                  oddities.push(`cancel ${bookingId}: ${booking.id} ${booking.bookingStatus}`);
                cancelledSeen.add(bookingId!);
                if (promotion.offered.length + promotion.expired.length > 0) oddities.push(`cancel ${bookingId}: offers in auto mode`);
                for (const promoted of promotion.confirmed) {
                  confirmedSeen.add(promoted.booking.id);
                  acceptedSeen.add(promoted.entry.id);
                  cancellable.push(promoted.booking.id);
                }
                return promotion.confirmed.length;
              },
              () => cancellable.push(bookingId!),
            );
          } else if (next < pairs.length) {
            const pair = pairs[next++]!;
            await call('book', async () => {
              const outcome = await scheduler.bookings.book(admin, pair);
              if (outcome.outcome === 'confirmed') {
                confirmedSeen.add(outcome.booking.id);
                cancellable.push(outcome.booking.id);
              } else queuedSeen.add(outcome.entry.id);
            });
          } else break;
          await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
        }
      };

      const begunBefore = begun;
      const callers = Array.from({ length: LOAD_CONNECTIONS }, (_, w) => caller(w));
      // And a reader on a connection of its own: when each read of the academy began and ended.
      const reads: Array<{ startedAt: number; endedAt: number }> = [];
      const readerPool = open(database.url!, 1);
      const reader = (async () => {
        while (!stop) {
          const startedAt = performance.now();
          await readerPool`SELECT count(*) FROM ${readerPool(schema)}.session_bookings`;
          reads.push({ startedAt, endedAt: performance.now() });
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      let moveStarted = 0;
      let moveEnded = Infinity;
      let took = 0;
      try {
        // Under way before the move: sessions full, queues formed, places passing to the queue.
        await until(() => calls.length >= WARM_UP_CALLS && acceptedSeen.size > 0, 30_000, `${WARM_UP_CALLS} calls and a promotion before the move`);
        moveStarted = performance.now();
        took = await moveSchema(database, schema, to, mode);
        moveEnded = performance.now();
        const afterMove = () => calls.filter((c) => c.startedAt >= moveEnded && c.code === 'ok');
        await until(
          () => afterMove().length >= AFTER_MOVE_CALLS && afterMove().some((c) => (c.promoted ?? 0) > 0),
          30_000,
          `${AFTER_MOVE_CALLS} calls and a promotion after the move`,
        );
      } finally {
        stop = true;
        await Promise.all([...callers, reader]);
        await readerPool.end();
      }

      // Every call succeeded or was refused with a SchedulingError the rush can cause.
      const tally: Record<string, number> = {};
      for (const c of calls) tally[`${c.kind} ${c.code}`] = (tally[`${c.kind} ${c.code}`] ?? 0) + 1;
      const unexpected = calls.filter((c) => !(c.code === 'ok' || (c.kind === 'book' && c.code === 'WAITLIST_FULL')));
      for (const c of unexpected.slice(0, 5)) console.error(c.error);
      const during = calls.filter((c) => c.startedAt < moveEnded && c.endedAt > moveStarted);
      const waitedOnMove = calls.filter((c) => c.startedAt < moveEnded && c.endedAt > moveEnded);
      const after = calls.filter((c) => c.startedAt >= moveEnded);
      const slowest = Math.round(Math.max(...during.map((c) => c.endedAt - c.startedAt)));
      const readsWithin = reads.filter((r) => r.startedAt > moveStarted && r.endedAt < moveEnded);
      const slowestRead = Math.round(Math.max(...reads.filter((r) => r.startedAt < moveEnded && r.endedAt > moveStarted).map((r) => r.endedAt - r.startedAt)));
      const retries = begun - begunBefore - calls.length;
      console.info(
        `[citus workers] ${mode}: moved ${schema} ${nodeName(from)} → ${nodeName(to)} in ${took} ms under load (${orphans} orphaned shards of an earlier move still there before); ` +
          `${calls.length} calls (${during.length} during the move, the slowest ${slowest} ms; ${waitedOnMove.length} finished only after it; ${after.length} after it; ${retries} retried; ${readsWithin.length} reads begun and ended within it, the slowest ${slowestRead} ms): ${JSON.stringify(tally)}`,
      );
      expect(
        unexpected.map((c) => `${c.kind} ${c.code}`),
        'calls that were neither ok nor a refusal the load causes',
      ).toEqual([]);
      expect(oddities).toEqual([]);
      expect(during.filter((c) => c.code === 'ok').length, 'calls that succeeded during the move').toBeGreaterThan(0);
      expect(readsWithin.length, 'reads begun and ended while the move ran').toBeGreaterThan(0);
      expect(after.filter((c) => c.kind === 'book' && c.code === 'ok').length, 'bookings after the move').toBeGreaterThan(0);
      expect(after.filter((c) => (c.promoted ?? 0) > 0).length, 'cancellations after the move that promoted').toBeGreaterThan(0);

      // The academy is whole on the other worker.
      expect(nodeName(await expectWholeOnOneWorker(schema))).toBe(nodeName(to));
      expect(await placementOf(database, schema)).toEqual([to]);

      // Its tables hold exactly what the callers were told: every booking a caller saw
      // confirmed exists once, cancelled exactly when a caller cancelled it, and no other;
      // every queue place a caller was given exists once, accepted exactly when a
      // cancellation promoted it.
      const inLoad = new Set(sessionIds);
      const bookings = (
        await database.query<{ id: string; session_id: string; student_id: string; booking_status: string }>(
          sql`SELECT id::text, session_id::text, student_id::text, booking_status FROM ${sql.identifier(schema)}.session_bookings`,
        )
      ).filter((b) => inLoad.has(b.session_id));
      expect(new Map(bookings.map((b) => [b.id, b.booking_status]))).toEqual(
        new Map([...confirmedSeen].map((id) => [id, cancelledSeen.has(id) ? 'cancelled' : 'confirmed'])),
      );
      expect(bookings).toHaveLength(confirmedSeen.size);
      const entries = (
        await database.query<{ id: string; session_id: string; status: string }>(
          sql`SELECT id::text, session_id::text, status FROM ${sql.identifier(schema)}.session_waitlist`,
        )
      ).filter((e) => inLoad.has(e.session_id));
      expect(new Map(entries.map((e) => [e.id, e.status]))).toEqual(new Map([...queuedSeen].map((id) => [id, acceptedSeen.has(id) ? 'accepted' : 'waiting'])));
      expect(entries).toHaveLength(queuedSeen.size);

      // Per session: current_bookings is the confirmed count, never over capacity, the
      // queue 1..n, and a session with anyone waiting is full (a freed place went to the queue).
      for (const sessionId of sessionIds) {
        const session = await sessionByIdIn(database.db, schema, sessionId);
        const { confirmed, queue } = await confirmedAndQueueIn(database.db, schema, sessionId);
        const confirmedHere = bookings.filter((b) => b.session_id === sessionId && b.booking_status === 'confirmed');
        expect(confirmed).toHaveLength(confirmedHere.length);
        expect(session.currentBookings, `session ${session.sessionId}: current_bookings`).toBe(confirmedHere.length);
        expect(confirmedHere.length).toBeLessThanOrEqual(LOAD_CAPACITY);
        expect(new Set(confirmedHere.map((b) => b.student_id)).size).toBe(confirmedHere.length);
        expect(
          queue.map((e) => e.position),
          `session ${session.sessionId}: queue`,
        ).toEqual(queue.map((_, i) => i + 1));
        if (queue.length > 0) expect(confirmedHere.length, `session ${session.sessionId}: confirmed with a queue`).toBe(LOAD_CAPACITY);
      }
      expect(await scheduler.maintenance.verifyIntegrity(system, {})).toEqual([]);
    } finally {
      await pool.end();
    }
  }

  it('moving an academy to the other worker (logical replication) while bookings go on loses nothing', async () => {
    await moveUnderLoad('auto', 7, '2030-06-01T13:00:00Z');
  });

  it('moving it back with block_writes while bookings go on loses nothing', async () => {
    await moveUnderLoad('block_writes', 11, '2030-07-01T13:00:00Z');
  });
});

/**
 * Change-event delivery under real concurrency (real server only; on Citus too): many
 * workers, each a scheduler on its own pool as if on its own machine, claim and ack
 * side by side. Every event must be acknowledged exactly once, never be held by two
 * workers under live leases, and an entity's events must go out one at a time in
 * entity_version (commit) order — also when workers die holding leases, when events
 * are written while workers claim, and for two consumers at once.
 *
 * What the workers saw is logged with a counter ticked in this process: a claim's
 * return and an ack's start. Per entity, every claim of version k + 1 must have
 * returned after the ack of version k started (the database cannot hand it out before
 * that ack commits). Leases are checked on the database's clock: a claim's `now()` is
 * its `leasedUntil` minus its lease, and an event claimed twice must have been claimed
 * the second time no earlier than the first lease ran out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { eq, sql } from 'drizzle-orm';
import * as s from '../../src/schema';
import { createScheduler, type Actor, type Scheduler } from '../../src';
import { useTestDatabase } from '../support/database';
import { type Academy, seedAcademy, sessionValues } from '../support/fixtures';
import { adminOf } from '../support/actors';
import { at } from '../support/time';

const database = useTestDatabase();
const system: Actor = { kind: 'system' };
const clock = { now: at('2029-12-01T08:00:00Z') };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let academy: Academy;
let admin: Actor;

/** A worker's "machine": its own pool and its own scheduler. */
interface Machine {
  name: string;
  pool: postgres.Sql;
  db: ReturnType<typeof drizzle<typeof s>>;
  scheduler: Scheduler;
}
const machines: Machine[] = [];
function machine(name: string, connections = 2): Machine {
  const pool = postgres(database.url!, { max: connections, onnotice: () => {} });
  const db = drizzle(pool, { schema: s });
  const made = { name, pool, db, scheduler: createScheduler({ db, now: () => clock.now, maxRetries: 10 }) };
  machines.push(made);
  return made;
}

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 80 });
  admin = adminOf(academy);
});
afterAll(async () => {
  await Promise.all(machines.map((m) => m.pool.end({ timeout: 1 }).catch(() => undefined)));
});

// ---------------------------------------------------------------------------------
// What the workers saw.

interface Got {
  id: string;
  entityId: string;
  version: number;
  attempt: number;
}
interface ClaimRecord {
  worker: string;
  consumer: string;
  leaseId: string;
  /** The claim's transaction time and its lease's end, database clock, ms. */
  dbNow: number;
  leasedUntil: number;
  /** The log's counter when the claim returned. */
  returned: number;
  events: Got[];
}
interface AckRecord {
  worker: string;
  consumer: string;
  leaseId: string;
  eventIds: string[];
  /** The log's counter when the ack was sent. */
  started: number;
  acked: number;
  stale: string[];
}

class DeliveryLog {
  private counter = 0;
  readonly claims: ClaimRecord[] = [];
  readonly acks: AckRecord[] = [];
  /** Late acks of dead workers, under their old lease. */
  readonly zombieAcks: AckRecord[] = [];
  private readonly ackedBy = new Map<string, number>();
  tick() {
    return ++this.counter;
  }
  acked(consumer: string) {
    return this.ackedBy.get(consumer) ?? 0;
  }
  countAck(consumer: string, n: number) {
    this.ackedBy.set(consumer, this.acked(consumer) + n);
  }
}

async function claimOn(log: DeliveryLog, m: Machine, consumer: string, limit: number, leaseSeconds: number): Promise<ClaimRecord> {
  const claim = await m.scheduler.events.claim(system, { consumer, limit, leaseSeconds });
  const record: ClaimRecord = {
    worker: m.name,
    consumer,
    leaseId: claim.leaseId,
    leasedUntil: claim.leasedUntil.getTime(),
    dbNow: claim.leasedUntil.getTime() - leaseSeconds * 1000,
    returned: log.tick(),
    events: claim.events.map((e) => ({ id: e.id, entityId: e.entity.id, version: e.entity.version, attempt: e.attempt })),
  };
  if (record.events.length > 0) log.claims.push(record);
  return record;
}

async function ackOn(log: DeliveryLog, m: Machine, consumer: string, leaseId: string, eventIds: string[], zombie = false) {
  const started = log.tick();
  const result = await m.scheduler.events.ack(system, { consumer, leaseId, eventIds });
  const record: AckRecord = { worker: m.name, consumer, leaseId, eventIds, started, acked: result.acked, stale: result.stale };
  if (zombie) log.zombieAcks.push(record);
  else {
    log.acks.push(record);
    log.countAck(consumer, result.acked);
  }
  return result;
}

interface WorkerPlan {
  machine: Machine;
  consumer: string;
  limit: number;
  leaseSeconds: number;
}

/**
 * Runs the workers side by side: claim, (handle), ack, until `done()` (the log has every
 * expected ack); an empty claim waits a little (an entity's next event comes once its
 * previous one is acked), or ends the worker once no more events are coming
 * (`settled()`) and the database says the consumer owes nothing (so a run whose acks
 * went astray ends at once, for `verify` to say why, rather than at its deadline).
 * `onClaim` runs between claim and ack. Throws the first worker's error, after every
 * worker has stopped.
 */
async function runWorkers(
  log: DeliveryLog,
  plans: WorkerPlan[],
  done: () => boolean,
  timeoutMs: number,
  onClaim?: (plan: WorkerPlan, claim: ClaimRecord) => Promise<void>,
  settled: () => boolean = () => true,
) {
  const deadline = performance.now() + timeoutMs;
  let stop = false;
  const results = await Promise.allSettled(
    plans.map(async (plan) => {
      try {
        while (!stop && !done()) {
          if (performance.now() > deadline)
            throw new Error(`${plan.machine.name}: not drained within ${timeoutMs} ms (${log.acked(plan.consumer)} acked for ${plan.consumer})`);
          const claim = await claimOn(log, plan.machine, plan.consumer, plan.limit, plan.leaseSeconds);
          if (claim.events.length === 0) {
            if (settled() && (await owedBy(plan.consumer)).length === 0) break;
            await sleep(5 + Math.random() * 20);
            continue;
          }
          if (onClaim) await onClaim(plan, claim);
          await sleep(Math.random() * 4); // the handling
          await ackOn(
            log,
            plan.machine,
            plan.consumer,
            claim.leaseId,
            claim.events.map((e) => e.id),
          );
        }
      } catch (error) {
        stop = true;
        throw error;
      }
    }),
  );
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

/** The events the database recorded for these sessions (theirs and their bookings'), with entity_version. */
async function eventsOfSessions(sessionIds: string[]) {
  const rows = await database.query<{ id: string; entity_id: string; entity_version: number }>(
    sql`SELECT id, entity_id, entity_version FROM scheduling.change_events
        WHERE session_id IN (${sql.join(
          sessionIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
  );
  return new Map(rows.map((r) => [r.id, { entityId: r.entity_id, version: Number(r.entity_version) }]));
}
async function allEvents() {
  const rows = await database.query<{ id: string; entity_id: string; entity_version: number }>(
    'SELECT id, entity_id, entity_version FROM scheduling.change_events',
  );
  return new Map(rows.map((r) => [r.id, { entityId: r.entity_id, version: Number(r.entity_version) }]));
}
async function owedBy(consumer: string) {
  const rows = await database.query<{ event_id: string; state: string; lease_id: string | null }>(
    sql`SELECT event_id, state, lease_id FROM scheduling.event_deliveries WHERE consumer = ${consumer}`,
  );
  return rows;
}

type Expected = Map<string, { entityId: string; version: number }>;

/**
 * The checks every scenario makes of `consumer`'s log against what the database
 * recorded. `unknownClaims`: events that may have been claimed under a lease the log
 * never saw (a claim killed in flight), whose next attempt is then one more than the
 * log explains. Returns counts for the scenario's own checks.
 */
function verify(log: DeliveryLog, consumer: string, expected: Expected, unknownClaims = 0) {
  const claims = log.claims.filter((c) => c.consumer === consumer);
  const acks = log.acks.filter((a) => a.consumer === consumer);
  const problems: string[] = [];

  // Every event acknowledged exactly once, nothing else acknowledged, no normal ack stale.
  const ackOf = new Map<string, AckRecord[]>();
  for (const a of acks) {
    if (a.stale.length > 0) problems.push(`${a.worker} ack of its own live lease ${a.leaseId}: stale ${a.stale.join(',')}`);
    if (a.acked !== a.eventIds.length - a.stale.length) problems.push(`${a.worker} ack: acked ${a.acked} of ${a.eventIds.length} with ${a.stale.length} stale`);
    for (const id of a.eventIds) if (!a.stale.includes(id)) ackOf.set(id, [...(ackOf.get(id) ?? []), a]);
  }
  for (const id of expected.keys()) if ((ackOf.get(id)?.length ?? 0) !== 1) problems.push(`${id} acknowledged ${ackOf.get(id)?.length ?? 0} times`);
  for (const id of ackOf.keys()) if (!expected.has(id)) problems.push(`${id} acknowledged but not expected`);

  // Claims of each event: on the database clock, no claim before the previous lease ran out.
  const claimsOf = new Map<string, Array<{ claim: ClaimRecord; got: Got }>>();
  for (const claim of claims) {
    const entities = new Set<string>();
    for (const got of claim.events) {
      if (entities.has(got.entityId)) problems.push(`claim ${claim.leaseId} holds two events of entity ${got.entityId}`);
      entities.add(got.entityId);
      claimsOf.set(got.id, [...(claimsOf.get(got.id) ?? []), { claim, got }]);
      const truth = expected.get(got.id);
      if (!truth) problems.push(`${got.id} claimed but not expected`);
      else if (truth.entityId !== got.entityId || truth.version !== got.version)
        problems.push(`${got.id} claimed as ${got.entityId} v${got.version}, recorded as v${truth.version}`);
    }
  }
  let unexplained = 0;
  const attempts: Record<number, number> = {};
  for (const id of expected.keys()) {
    const list = (claimsOf.get(id) ?? []).sort((a, b) => a.claim.dbNow - b.claim.dbNow);
    if (list.length === 0) {
      problems.push(`${id} never claimed`);
      continue;
    }
    let previousAttempt = 0;
    for (const [i, { claim, got }] of list.entries()) {
      if (i > 0 && claim.dbNow < list[i - 1]!.claim.leasedUntil) {
        problems.push(`${id} claimed by ${claim.worker} at ${claim.dbNow} under ${list[i - 1]!.claim.worker}'s lease until ${list[i - 1]!.claim.leasedUntil}`);
      }
      if (got.attempt === previousAttempt + 1) previousAttempt = got.attempt;
      else if (got.attempt > previousAttempt + 1) {
        unexplained++;
        previousAttempt = got.attempt;
      } else problems.push(`${id} attempt ${got.attempt} after attempt ${previousAttempt}`);
    }
    const last = list[list.length - 1]!;
    attempts[last.got.attempt] = (attempts[last.got.attempt] ?? 0) + 1;
    const ack = ackOf.get(id)?.[0];
    if (ack && ack.leaseId !== last.claim.leaseId) problems.push(`${id} acknowledged under ${ack.leaseId}, not its last lease ${last.claim.leaseId}`);
  }
  if (unexplained > unknownClaims) problems.push(`${unexplained} attempts not explained by the claims seen (at most ${unknownClaims} may be)`);

  // Per entity: acknowledged in version order, and version k + 1 never out before version k's ack.
  const byEntity = new Map<string, Array<{ id: string; version: number }>>();
  for (const [id, e] of expected) byEntity.set(e.entityId, [...(byEntity.get(e.entityId) ?? []), { id, version: e.version }]);
  for (const [entity, events] of byEntity) {
    events.sort((a, b) => a.version - b.version);
    const ackStarted = (id: string) => ackOf.get(id)?.[0]?.started ?? Number.NaN;
    const acked = [...events].sort((a, b) => ackStarted(a.id) - ackStarted(b.id)).map((e) => e.version);
    if (acked.join() !== events.map((e) => e.version).join()) problems.push(`entity ${entity} acknowledged in order ${acked.join()}`);
    for (let k = 1; k < events.length; k++) {
      const before = ackStarted(events[k - 1]!.id);
      for (const { claim } of claimsOf.get(events[k]!.id) ?? []) {
        if (!(claim.returned > before))
          problems.push(`entity ${entity} v${events[k]!.version} out to ${claim.worker} before v${events[k - 1]!.version} was acked`);
      }
    }
  }
  expect(problems.slice(0, 20), `${problems.length} problems`).toEqual([]);
  expect(acks.reduce((n, a) => n + a.acked, 0)).toBe(expected.size);
  return { claims: claims.length, acks: acks.length, attempts, unexplained, entities: byEntity.size, workers: new Set(acks.map((a) => a.worker)).size };
}

// ---------------------------------------------------------------------------------
// What the producers write.

let day = 0;
/** Sessions on days of their own (no facility or instructor clash), school classes of 30. */
async function newSessions(db: Machine['db'], count: number) {
  const values = Array.from({ length: count }, () => {
    day++;
    const start = new Date(Date.UTC(2030, 4, 1 + day, 9));
    return sessionValues(academy, {
      instructorId: null,
      sessionType: 'school',
      capacity: 30,
      startTime: start,
      endTime: new Date(start.getTime() + 3_600_000),
    });
  });
  return db.insert(s.sessions).values(values).returning({ id: s.sessions.id });
}
const rename = (m: Machine, sessionId: string) =>
  m.db
    .update(s.sessions)
    .set({ title: `Swim ${Math.random().toString(36).slice(2, 8)}` })
    .where(eq(s.sessions.id, sessionId));
async function book(m: Machine, sessionId: string, studentId: string) {
  const result = await m.scheduler.bookings.book(admin, { sessionId, studentId });
  if (result.outcome !== 'confirmed') throw new Error(`booking not confirmed: ${result.outcome}`);
  return result.booking.id;
}
const cancel = (m: Machine, bookingId: string) => m.scheduler.bookings.cancel(admin, { bookingId, type: 'student' });

/** Runs `count` jobs, `width` at a time. */
async function inParallel(count: number, width: number, job: (i: number, lane: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async (_, lane) => {
      while (next < count) await job(next++, lane);
    }),
  );
}

/**
 * `count` sessions, each renamed 5 times, booked twice and both bookings cancelled, in
 * a random order, 8 sessions at a time on 8 machines: 10 events per session (6 of the
 * session, 2 of each booking). Returns the sessions.
 */
async function writeChains(count: number) {
  const producers = Array.from({ length: 8 }, () => machine(`producer-${++chainMachines}`, 1));
  const sessions = (await newSessions(producers[0]!.db, count)).map((r) => r.id);
  await inParallel(count, 8, async (i, lane) => {
    const m = producers[lane]!;
    // A cancel that comes before its booking waits for the end.
    const steps = ['r', 'r', 'r', 'r', 'r', 'b0', 'b1', 'c0', 'c1'].sort(() => Math.random() - 0.5);
    const bookings: string[] = [];
    const pending: string[] = [];
    for (const step of steps) {
      if (step === 'r') await rename(m, sessions[i]!);
      else if (step[0] === 'b') bookings[Number(step[1])] = await book(m, sessions[i]!, academy.studentIds[(i * 2 + Number(step[1])) % 80]!);
      else if (bookings[Number(step[1])]) await cancel(m, bookings[Number(step[1])]!);
      else pending.push(step);
    }
    for (const step of pending) await cancel(m, bookings[Number(step[1])]!);
  });
  return sessions;
}
let chainMachines = 0;

/**
 * Producers writing while workers claim: each does `ops` random changes (rename a
 * session — several producers rename the same ones —, book a place, cancel one of its
 * bookings). Resolves with how many calls succeeded.
 */
async function produce(producers: Machine[], sessionIds: string[], ops: number) {
  const pairs = sessionIds.flatMap((sessionId, i) =>
    academy.studentIds.slice(0, 30).map((studentId, j) => ({ sessionId, studentId, key: (i * 7 + j * 13) % 97 })),
  );
  pairs.sort((a, b) => a.key - b.key);
  let ok = 0;
  await Promise.all(
    producers.map(async (m) => {
      const mine: string[] = [];
      for (let n = 0; n < ops; n++) {
        const roll = Math.random();
        if (roll < 0.4) await rename(m, sessionIds[Math.floor(Math.random() * sessionIds.length)]!);
        else if (roll < 0.75 || mine.length === 0) {
          const pair = pairs.pop()!;
          mine.push(await book(m, pair.sessionId, pair.studentId));
        } else await cancel(m, mine.splice(Math.floor(Math.random() * mine.length), 1)[0]!);
        ok++;
        await sleep(Math.random() * 8);
      }
    }),
  );
  return ok;
}

// ---------------------------------------------------------------------------------

describe('change events: claims by many workers on many machines', () => {
  it('exactly once at a time: 300 events over 90 entities, 8 workers claiming side by side; each event acked once, per entity in version order', async () => {
    const started = performance.now();
    const consumer = 'ledger';
    await machine('setup', 1).scheduler.events.registerConsumer(system, { consumer });
    // 30 sessions, each renamed 5 times, booked twice and both bookings cancelled:
    // 30 × 6 session events + 60 × 2 booking events = 300, written 8 at a time.
    const sessions = await writeChains(30);
    const expected = await eventsOfSessions(sessions);
    expect(expected.size).toBe(300);
    expect(new Set([...expected.values()].map((e) => e.entityId)).size).toBe(90);
    // The triggers owe the consumer every one of them, and nothing else.
    expect(new Set((await owedBy(consumer)).map((d) => d.event_id))).toEqual(new Set(expected.keys()));
    const produced = performance.now();

    const log = new DeliveryLog();
    const workers = Array.from({ length: 8 }, (_, i) => ({ machine: machine(`worker-${i}`), consumer, limit: 6, leaseSeconds: 30 }));
    await runWorkers(log, workers, () => log.acked(consumer) >= expected.size, 40_000);
    const stats = verify(log, consumer, expected);
    // Nobody died: every event was claimed once, at its first attempt.
    expect(stats.attempts).toEqual({ 1: 300 });
    expect(log.claims.reduce((n, c) => n + c.events.length, 0)).toBe(300);
    expect(stats.workers).toBeGreaterThan(1);
    expect((await workers[0]!.machine.scheduler.events.claim(system, { consumer, limit: 500 })).events).toEqual([]);
    expect(await owedBy(consumer)).toEqual([]);
    console.info(
      `[event claims] exactly once: 300 events produced in ${Math.round(produced - started)} ms, drained by ${stats.workers} workers in ${Math.round(performance.now() - produced)} ms (${stats.claims} claims)`,
    );
    await workers[0]!.machine.scheduler.events.removeConsumer(system, { consumer });
  });

  it('killed workers: leases of workers that hung, crashed mid-claim or stopped halfway run out; the others get those events as attempt 2, each acked once, and the late acks are stale', async () => {
    const started = performance.now();
    const consumer = 'survivor';
    // 150 events of its own, then a consumer that owes every event kept (these and
    // those of the tests before): a backfill.
    await writeChains(15);
    const setup = machine('setup-2', 1);
    const registered = await setup.scheduler.events.registerConsumer(system, { consumer, from: 'retained' });
    const expected = await allEvents();
    expect(registered.backfilled).toBe(expected.size);
    expect(expected.size).toBeGreaterThanOrEqual(150);

    const log = new DeliveryLog();
    const LEASE = 2;
    const deadLeases = new Map<string, { claim: ClaimRecord; lateAcker: Machine }>();
    const deadLeaseOf = new Map<string, string>();
    const dead = (claim: ClaimRecord, lateAcker: Machine, ids = claim.events.map((e) => e.id)) => {
      deadLeases.set(claim.leaseId, { claim, lateAcker });
      for (const id of ids) deadLeaseOf.set(id, claim.leaseId);
    };
    let killedInFlight = 0;
    const zombieChecks: string[] = [];

    // The survivors: 6 machines, long leases.
    const survivors = Array.from({ length: 6 }, (_, i) => ({ machine: machine(`survivor-${i}`), consumer, limit: 8, leaseSeconds: 30 }));
    const crashedRebooted = machine('crashed-rebooted', 1);
    // One hangs after its claim, made before the others start: its pool stays open, it
    // never acks (until the end).
    const hung = machine('hung', 1);
    const hungClaim = await claimOn(log, hung, consumer, 20, LEASE);
    dead(hungClaim, hung);
    const held: Record<string, number | string> = { hung: hungClaim.events.length };
    // The others die while the survivors work.
    const dying = (async () => {
      // One stops halfway: acks the first half of its claim, never the rest.
      const half = machine('half', 1);
      const halfClaim = await claimOn(log, half, consumer, 20, LEASE);
      const cut = Math.ceil(halfClaim.events.length / 2);
      if (cut > 0)
        await ackOn(
          log,
          half,
          consumer,
          halfClaim.leaseId,
          halfClaim.events.slice(0, cut).map((e) => e.id),
        );
      dead(
        halfClaim,
        half,
        halfClaim.events.slice(cut).map((e) => e.id),
      );
      held.half = halfClaim.events.length - cut;
      // One crashes: a claim, then its pool is ended while its next claim is in flight
      // (that one may or may not have committed: the log never sees its lease).
      const crashed = machine('crashed');
      const crashedClaim = await claimOn(log, crashed, consumer, 20, LEASE);
      dead(crashedClaim, crashedRebooted);
      held.crashed = crashedClaim.events.length;
      const inFlight = claimOn(log, crashed, consumer, 20, LEASE).then(
        (claim) => {
          dead(claim, crashedRebooted);
          held.inFlight = `returned ${claim.events.length} before the end`;
        },
        () => {
          killedInFlight = 20;
          held.inFlight = 'killed';
        },
      );
      await sleep(Math.random() * 3);
      await crashed.pool.end({ timeout: 0 });
      await inFlight;
    })();

    await runWorkers(
      log,
      survivors,
      () => log.acked(consumer) >= expected.size,
      45_000,
      // A survivor got an event a dead worker held: that worker's late ack, under its
      // old lease, is stale and leaves the survivor's lease alone.
      async (plan, claim) => {
        const byLease = new Map<string, string[]>();
        for (const e of claim.events) {
          const old = deadLeaseOf.get(e.id);
          if (old) byLease.set(old, [...(byLease.get(old) ?? []), e.id]);
        }
        for (const [old, ids] of byLease) {
          const late = await ackOn(log, deadLeases.get(old)!.lateAcker, consumer, old, ids, true);
          if (late.acked !== 0 || late.stale.length !== ids.length) zombieChecks.push(`late ack under ${old}: ${JSON.stringify(late)}`);
          const rows = (await owedBy(consumer)).filter((d) => ids.includes(d.event_id));
          if (rows.length !== ids.length || rows.some((d) => d.state !== 'leased' || d.lease_id !== claim.leaseId)) {
            zombieChecks.push(`after the late ack under ${old}: ${JSON.stringify(rows)} (the survivor's lease is ${claim.leaseId})`);
          }
        }
      },
    );
    await dying;
    const stats = verify(log, consumer, expected, killedInFlight);
    expect(zombieChecks).toEqual([]);

    // Every event a dead worker held and never acked went to a survivor as attempt 2,
    // claimed no earlier than the dead lease ran out (verify checks it on the database clock).
    const heldByDead = [...deadLeaseOf.keys()];
    expect(hungClaim.events).toHaveLength(20);
    expect(heldByDead.length).toBeGreaterThanOrEqual(20);
    const lastClaimOf = new Map<string, { claim: ClaimRecord; got: Got }>();
    for (const claim of log.claims) for (const got of claim.events) lastClaimOf.set(got.id, { claim, got });
    for (const id of heldByDead) {
      const last = lastClaimOf.get(id)!;
      expect(last.claim.worker, id).toMatch(/^survivor-/);
      expect(last.got.attempt, id).toBe(2);
      expect(last.claim.dbNow).toBeGreaterThanOrEqual(deadLeases.get(deadLeaseOf.get(id)!)!.claim.leasedUntil);
    }
    expect(stats.attempts[2] ?? 0).toBeGreaterThanOrEqual(heldByDead.length);
    expect(stats.attempts[2] ?? 0).toBeLessThanOrEqual(heldByDead.length + killedInFlight);
    expect(Object.keys(stats.attempts).sort()).toEqual(stats.attempts[2] ? ['1', '2'] : ['1']);

    // Late acks after everything is done: all stale, nothing changes.
    for (const { claim, lateAcker } of deadLeases.values()) {
      const ids = claim.events.map((e) => e.id);
      if (ids.length === 0) continue;
      expect(await ackOn(log, lateAcker, consumer, claim.leaseId, ids, true)).toEqual({ acked: 0, stale: ids });
    }
    expect(await owedBy(consumer)).toEqual([]);
    expect((await setup.scheduler.events.consumers(system, {})).find((c) => c.name === consumer)).toMatchObject({ pending: 0, leased: 0, dead: 0 });
    console.info(
      `[event claims] killed workers: ${expected.size} events, ${heldByDead.length} held by dead workers (${JSON.stringify(held)}), ` +
        `${stats.attempts[2] ?? 0} delivered as attempt 2 (${stats.unexplained} by a lease of the killed claim), ${log.zombieAcks.length} late acks all stale, ` +
        `${stats.workers} workers acked, in ${Math.round(performance.now() - started)} ms`,
    );
    await setup.scheduler.events.removeConsumer(system, { consumer });
  });

  it('events written while workers claim: 4 producers (booking, cancelling, renaming the same sessions) and 6 workers; all delivered once, per entity in order', async () => {
    const started = performance.now();
    const consumer = 'stream';
    const setup = machine('setup-3', 1);
    await setup.scheduler.events.registerConsumer(system, { consumer });
    const producers = Array.from({ length: 4 }, (_, i) => machine(`writer-${i}`));
    const sessions = (await newSessions(setup.db, 8)).map((r) => r.id);
    const log = new DeliveryLog();
    let expectedSize = Number.POSITIVE_INFINITY;
    let ackedWhileProducing = 0;
    const workers = Array.from({ length: 6 }, (_, i) => ({ machine: machine(`streamer-${i}`), consumer, limit: 5, leaseSeconds: 30 }));
    const draining = runWorkers(
      log,
      workers,
      () => log.acked(consumer) >= expectedSize,
      45_000,
      undefined,
      () => expectedSize !== Number.POSITIVE_INFINITY,
    );
    const production = produce(producers, sessions, 40).then(async (ok) => {
      ackedWhileProducing = log.acked(consumer);
      return ok;
    });
    let expected: Expected;
    try {
      expect(await production).toBe(160);
      expected = await eventsOfSessions(sessions);
      expectedSize = expected.size;
    } finally {
      if (expectedSize === Number.POSITIVE_INFINITY) expectedSize = 0;
      await draining;
    }
    const stats = verify(log, consumer, expected);
    expect(stats.attempts).toEqual({ 1: expected.size });
    // 8 session inserts and 160 changes, each an event.
    expect(expected.size).toBe(8 + 160);
    // The workers really ran alongside the producers.
    expect(ackedWhileProducing).toBeGreaterThan(0);
    expect(await owedBy(consumer)).toEqual([]);
    console.info(
      `[event claims] written while claimed: ${expected.size} events over ${stats.entities} entities, ${ackedWhileProducing} acked before the producers finished, all in ${Math.round(performance.now() - started)} ms`,
    );
    await setup.scheduler.events.removeConsumer(system, { consumer });
  });

  it('two consumers at once, while events are written: each gets every event exactly once, per entity in order', async () => {
    const started = performance.now();
    const setup = machine('setup-4', 1);
    const consumers = ['crm', 'mailer'];
    for (const consumer of consumers) await setup.scheduler.events.registerConsumer(system, { consumer });
    const producers = Array.from({ length: 3 }, (_, i) => machine(`author-${i}`));
    const sessions = (await newSessions(setup.db, 6)).map((r) => r.id);
    const log = new DeliveryLog();
    let expectedSize = Number.POSITIVE_INFINITY;
    // Four workers per consumer, each on its own machine.
    const workers = consumers.flatMap((consumer) =>
      Array.from({ length: 4 }, (_, i) => ({ machine: machine(`${consumer}-${i}`), consumer, limit: 5, leaseSeconds: 30 })),
    );
    const draining = runWorkers(
      log,
      workers,
      () => consumers.every((c) => log.acked(c) >= expectedSize),
      45_000,
      undefined,
      () => expectedSize !== Number.POSITIVE_INFINITY,
    );
    let expected: Expected;
    try {
      expect(await produce(producers, sessions, 30)).toBe(90);
      expected = await eventsOfSessions(sessions);
      expectedSize = expected.size;
    } finally {
      if (expectedSize === Number.POSITIVE_INFINITY) expectedSize = 0;
      await draining;
    }
    expect(expected.size).toBe(6 + 90);
    for (const consumer of consumers) {
      const stats = verify(log, consumer, expected);
      expect(stats.attempts).toEqual({ 1: expected.size });
      expect(await owedBy(consumer)).toEqual([]);
    }
    console.info(`[event claims] two consumers: ${expected.size} events each, ${log.claims.length} claims, in ${Math.round(performance.now() - started)} ms`);
    for (const consumer of consumers) await setup.scheduler.events.removeConsumer(system, { consumer });
  });
});

/**
 * Delivering change events to named consumers: claim under a lease, ack, fail with
 * backoff, dead letters, an entity's events one at a time in order, and leases that
 * run out (a worker that died) coming back. Leases run on the database's clock, so the
 * lease tests wait for real (1 s leases).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type Scheduler } from '../../../src';
import { queryRows } from '../../../src/db/query';
import { useTestDatabase } from '../../support/database';
import { type Academy, insertSession, seedAcademy } from '../../support/fixtures';
import { errorOf } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;
const system = { kind: 'system' as const };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let day = 1;

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 4 });
  scheduler = createScheduler({ db: database.db, now: () => at('2029-06-10T10:30:00Z') });
});

/** A consumer of its own, registered now: it owes only what the test writes after. */
async function consumer(name: string, maxAttempts = 10) {
  await scheduler.events.registerConsumer(system, { consumer: name, maxAttempts });
  return name;
}
const newSession = () =>
  insertSession(database.db, academy, {
    instructorId: null,
    facilityId: academy.lanesId,
    startTime: at(`2031-01-${String(day).padStart(2, '0')}T15:00:00Z`),
    endTime: at(`2031-01-${String(day++).padStart(2, '0')}T16:00:00Z`),
  });
const rename = (id: string, title: string) => database.db.update(s.sessions).set({ title }).where(eq(s.sessions.id, id));

describe('events: consumers and claims', () => {
  it('a consumer gets each event once: claim, ack, and nothing more to claim', async () => {
    const name = await consumer('mailer');
    const session = await newSession();
    const claim = await scheduler.events.claim(system, { consumer: name, limit: 10 });
    expect(claim.events.map((e) => [e.type, e.entity.id, e.attempt])).toEqual([['session.scheduled', session.id, 1]]);
    expect(claim.leasedUntil.getTime()).toBeGreaterThan(Date.now() - 5_000);
    expect((await scheduler.events.claim(system, { consumer: name })).events).toEqual([]);
    expect(await scheduler.events.ack(system, { consumer: name, leaseId: claim.leaseId, eventIds: claim.events.map((e) => e.id) })).toEqual({
      acked: 1,
      stale: [],
    });
    expect((await scheduler.events.consumers(system, {})).find((c) => c.name === name)).toMatchObject({ pending: 0, leased: 0, dead: 0 });
    // Acking again: stale, nothing happens.
    expect(await scheduler.events.ack(system, { consumer: name, leaseId: claim.leaseId, eventIds: [claim.events[0]!.id] })).toEqual({
      acked: 0,
      stale: [claim.events[0]!.id],
    });
  });

  it('two consumers each get every event; a consumer registered later gets only later events unless it asks for the retained ones', async () => {
    const a = await consumer('crm');
    const b = await consumer('sms');
    const session = await newSession();
    for (const name of [a, b])
      expect((await scheduler.events.claim(system, { consumer: name, limit: 100 })).events.map((e) => e.entity.id)).toContain(session.id);
    const late = await consumer('late');
    expect((await scheduler.events.claim(system, { consumer: late, limit: 100 })).events).toEqual([]);
    const replay = await scheduler.events.registerConsumer(system, { consumer: 'replay', from: 'retained' });
    expect(replay.created).toBe(true);
    const [count] = await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM scheduling.change_events`);
    expect(replay.backfilled).toBe(count!.n);
    expect(await scheduler.events.registerConsumer(system, { consumer: 'replay', from: 'retained' })).toMatchObject({ created: false, backfilled: 0 });
    for (const name of ['crm', 'sms', 'late', 'replay']) await scheduler.events.removeConsumer(system, { consumer: name });
    expect((await errorOf(() => scheduler.events.removeConsumer(system, { consumer: 'replay' }))) as { code: string }).toMatchObject({ code: 'NOT_FOUND' });
  });

  it("an entity's events go out one at a time, in commit order; other entities' are not held up", async () => {
    const name = await consumer('ordered');
    const one = await newSession();
    await rename(one.id, 'second');
    await rename(one.id, 'third');
    const other = await newSession();
    const first = await scheduler.events.claim(system, { consumer: name, limit: 10 });
    expect(first.events.map((e) => [e.entity.id, e.entity.version])).toEqual([
      [one.id, 1],
      [other.id, 1],
    ]);
    // Version 2 waits until version 1 is acknowledged.
    expect((await scheduler.events.claim(system, { consumer: name, limit: 10 })).events).toEqual([]);
    await scheduler.events.ack(system, { consumer: name, leaseId: first.leaseId, eventIds: first.events.map((e) => e.id) });
    const second = await scheduler.events.claim(system, { consumer: name, limit: 10 });
    expect(second.events.map((e) => [e.entity.id, e.entity.version, e.changes.title?.new])).toEqual([[one.id, 2, 'second']]);
    await scheduler.events.ack(system, { consumer: name, leaseId: second.leaseId, eventIds: [second.events[0]!.id] });
    const third = await scheduler.events.claim(system, { consumer: name, limit: 10 });
    expect(third.events.map((e) => e.entity.version)).toEqual([3]);
    await scheduler.events.removeConsumer(system, { consumer: name });
  });

  it('an unacknowledged claim comes back after its lease, as attempt 2; the old lease can no longer ack it', async () => {
    const name = await consumer('crashy');
    await newSession();
    const first = await scheduler.events.claim(system, { consumer: name, leaseSeconds: 1 });
    expect(first.events).toHaveLength(1);
    expect((await scheduler.events.claim(system, { consumer: name, leaseSeconds: 1 })).events).toEqual([]);
    await sleep(1_200);
    const again = await scheduler.events.claim(system, { consumer: name, leaseSeconds: 30 });
    expect(again.events.map((e) => [e.id, e.attempt])).toEqual([[first.events[0]!.id, 2]]);
    expect(await scheduler.events.ack(system, { consumer: name, leaseId: first.leaseId, eventIds: [first.events[0]!.id] })).toEqual({
      acked: 0,
      stale: [first.events[0]!.id],
    });
    expect(await scheduler.events.ack(system, { consumer: name, leaseId: again.leaseId, eventIds: [first.events[0]!.id] })).toEqual({ acked: 1, stale: [] });
    await scheduler.events.removeConsumer(system, { consumer: name });
  });

  it('failures retry after a backoff, then go to the dead letters after maxAttempts (a lease that runs out counts); retryDead brings them back', async () => {
    const name = await consumer('flaky', 3);
    await newSession();
    const c1 = await scheduler.events.claim(system, { consumer: name });
    const id = c1.events[0]!.id;
    const f1 = await scheduler.events.fail(system, { consumer: name, leaseId: c1.leaseId, eventIds: [id], error: 'SMTP 451' });
    expect(f1.dead).toEqual([]);
    expect(f1.retried).toHaveLength(1);
    // Default backoff after attempt 1: 10 s.
    const [dbNow] = await queryRows<{ now: Date | string }>(database.db, sql`SELECT now() AS now`);
    const wait = f1.retried[0]!.retryAt.getTime() - new Date(dbNow!.now).getTime();
    expect(wait).toBeGreaterThan(8_000);
    expect(wait).toBeLessThan(12_000);
    expect((await scheduler.events.claim(system, { consumer: name })).events).toEqual([]);
    // Retry now (retryInSeconds: 0), attempt 2 fails, attempt 3's lease runs out: dead at the next claim.
    await database.db.execute(sql`UPDATE scheduling.event_deliveries SET available_at = now() WHERE consumer = ${name}`);
    const c2 = await scheduler.events.claim(system, { consumer: name });
    expect(c2.events[0]!.attempt).toBe(2);
    await scheduler.events.fail(system, { consumer: name, leaseId: c2.leaseId, eventIds: [id], retryInSeconds: 0 });
    const c3 = await scheduler.events.claim(system, { consumer: name, leaseSeconds: 1 });
    expect(c3.events[0]!.attempt).toBe(3);
    await sleep(1_200);
    expect((await scheduler.events.claim(system, { consumer: name })).events).toEqual([]);
    expect((await scheduler.events.consumers(system, {})).find((c) => c.name === name)).toMatchObject({ pending: 0, leased: 0, dead: 1 });
    const [row] = await queryRows<{ last_error: string }>(database.db, sql`SELECT last_error FROM scheduling.event_deliveries WHERE consumer = ${name}`);
    expect(row!.last_error).toBe('lease expired');
    expect(await scheduler.events.retryDead(system, { consumer: name })).toEqual({ retried: 1 });
    const c4 = await scheduler.events.claim(system, { consumer: name });
    expect(c4.events.map((e) => [e.id, e.attempt])).toEqual([[id, 1]]);
    await scheduler.events.removeConsumer(system, { consumer: name });
  });

  it('a dead letter does not hold up the later events of its entity', async () => {
    const name = await consumer('poison', 1);
    const session = await newSession();
    await rename(session.id, 'later');
    const c1 = await scheduler.events.claim(system, { consumer: name });
    expect((await scheduler.events.fail(system, { consumer: name, leaseId: c1.leaseId, eventIds: [c1.events[0]!.id] })).dead).toEqual([c1.events[0]!.id]);
    const c2 = await scheduler.events.claim(system, { consumer: name });
    expect(c2.events.map((e) => e.entity.version)).toEqual([2]);
    await scheduler.events.removeConsumer(system, { consumer: name });
  });

  it('refuses what it must: unknown consumers, bad names and limits, non-administrators', async () => {
    expect((await errorOf(() => scheduler.events.claim(system, { consumer: 'nobody' }))) as { code: string }).toMatchObject({ code: 'NOT_FOUND' });
    for (const input of [{ consumer: '' }, { consumer: 'has space' }, { consumer: 'ok', limit: 0 }, { consumer: 'ok', leaseSeconds: 0 }]) {
      expect((await errorOf(() => scheduler.events.claim(system, input))) as { code: string }, JSON.stringify(input)).toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(
      (await errorOf(() => scheduler.events.claim(adminOf(academy) && { kind: 'student', studentId: academy.studentIds[0]! }, { consumer: 'x' }))) as {
        code: string;
      },
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

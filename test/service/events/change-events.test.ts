/**
 * Change events: one per change, in the same transaction, from the scheduler and from
 * the host's own SQL; append-only; listed as an audit trail; purged only when old and
 * owed to nobody.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type Scheduler } from '../../../src';
import { queryRows } from '../../../src/db/query';
import { onCitus, useTestDatabase } from '../../support/database';
import { type Academy, book, insertSession, seedAcademy } from '../../support/fixtures';
import { errorOf, refusedUnchanged } from '../../support/refusals';
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

const sessionAt = (start: string, overrides: Partial<typeof s.sessions.$inferInsert> = {}) =>
  insertSession(database.db, academy, {
    instructorId: null,
    facilityId: academy.lanesId,
    startTime: at(start),
    endTime: new Date(at(start).getTime() + 3_600_000),
    ...overrides,
  });
const eventsOf = async (entityId: string) => (await scheduler.events.list(system, { entityId, limit: 1000 })).events;
const sqlState = (error: unknown) => (error as { cause?: { code?: string }; code?: string }).cause?.code ?? (error as { code?: string }).code;

describe('change events: what is recorded', () => {
  it('a booking through the scheduler writes one booking.confirmed event with the actor, the operation and the fields; the counter writes none', async () => {
    const session = await sessionAt('2030-03-04T15:00:00Z', { capacity: 4 });
    const { booking } = (await scheduler.bookings.book(adminOf(academy), { sessionId: session.id, studentId: academy.studentIds[0]! })) as unknown as {
      booking: { id: string; bookingId: string };
    };
    const [event, ...more] = await eventsOf(booking.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      type: 'booking.confirmed',
      typeVersion: 1,
      entity: { type: 'booking', id: booking.id, code: booking.bookingId, version: 1 },
      sessionId: session.id,
      actor: { kind: 'admin', userId: academy.adminId, id: null },
      operation: 'bookings.book',
    });
    expect(event!.changes.booking_status).toEqual({ old: null, new: 'confirmed' });
    expect(event!.changes.student_id).toEqual({ old: null, new: academy.studentIds[0] });
    expect(event!.occurredAt).toBeInstanceOf(Date);
    // The session: its insert, and nothing for current_bookings going 0 -> 1.
    expect((await eventsOf(session.id)).map((e) => e.type)).toEqual(['session.scheduled']);
  });

  it("the host's own SQL is recorded too: no operation, the system as actor unless scheduling.actor_id is set, the database role", async () => {
    const session = await sessionAt('2030-03-05T15:00:00Z');
    await database.db
      .update(s.sessions)
      .set({ startTime: at('2030-03-05T16:00:00Z'), endTime: at('2030-03-05T17:00:00Z') })
      .where(eq(s.sessions.id, session.id));
    await database.db.transaction(async (tx) => {
      // On Citus the trigger runs on the worker: the setting must be a propagated SET LOCAL (docs/scale-out.md).
      if (onCitus()) await tx.execute(sql.raw(`SET LOCAL citus.propagate_set_commands = 'local'; SET LOCAL scheduling.actor_id = '${academy.adminId}'`));
      else await tx.execute(sql`SELECT set_config('scheduling.actor_id', ${academy.adminId}, true)`);
      await tx.update(s.sessions).set({ title: 'Renamed' }).where(eq(s.sessions.id, session.id));
    });
    const [, moved, renamed] = await eventsOf(session.id);
    expect(moved).toMatchObject({ type: 'session.rescheduled', operation: null, actor: { kind: 'system', userId: null, id: null }, entity: { version: 2 } });
    expect(moved!.changes.start_time!.new).not.toEqual(moved!.changes.start_time!.old);
    expect(Object.keys(moved!.changes).sort()).toEqual(['duration_minutes', 'end_time', 'start_time'].filter((k) => k in moved!.changes).sort());
    expect(moved!.dbRole).toMatch(/\w/);
    expect(renamed).toMatchObject({
      type: 'session.updated',
      actor: { kind: 'user', userId: academy.adminId },
      changes: { title: { new: 'Renamed' } },
      entity: { version: 3 },
    });
  });

  it("a parent's call is recorded as that parent (kind and row), and events.list finds it by actingAs", async () => {
    const session = await sessionAt('2030-03-09T15:00:00Z');
    await database.db.insert(s.parentStudents).values({ parentId: academy.parentId, studentId: academy.studentIds[5]! });
    const parent = { kind: 'parent' as const, parentId: academy.parentId };
    const result = await scheduler.bookings.book(parent, { sessionId: session.id, studentId: academy.studentIds[5]! });
    const bookingId = (result as unknown as { booking: { id: string } }).booking.id;
    const [event] = await eventsOf(bookingId);
    expect(event).toMatchObject({ type: 'booking.confirmed', operation: 'bookings.book', actor: { kind: 'parent', userId: null, id: academy.parentId } });
    const byParent = await scheduler.events.list(system, { actingAs: academy.parentId, limit: 100 });
    expect(byParent.events.map((e) => e.id)).toEqual([event!.id]);
  });

  it('cancelling a session writes session.cancelled and one booking.cancelled per booking, all in one transaction', async () => {
    const session = await sessionAt('2030-03-06T15:00:00Z');
    const ids = [await book(database.db, session.id, academy.studentIds[1]!), await book(database.db, session.id, academy.studentIds[2]!)];
    await scheduler.sessions.cancel(adminOf(academy), { sessionId: session.id, reason: 'Pool closed' });
    const sessionEvents = await eventsOf(session.id);
    expect(sessionEvents.at(-1)).toMatchObject({
      type: 'session.cancelled',
      operation: 'sessions.cancel',
      changes: { status: { old: 'scheduled', new: 'cancelled' } },
    });
    for (const id of ids) expect((await eventsOf(id)).map((e) => e.type)).toEqual(['booking.confirmed', 'booking.cancelled']);
    const all = (await scheduler.events.list(system, { sessionId: session.id, limit: 100 })).events;
    const cancelled = all.filter((e) => e.operation === 'sessions.cancel');
    expect(new Set(cancelled.map((e) => e.occurredAt.getTime())).size).toBe(1);
  });

  it('a refused call writes no event (the refusal rolls the events back with everything else)', async () => {
    const session = await sessionAt('2030-03-07T15:00:00Z', { capacity: 2 });
    await book(database.db, session.id, academy.studentIds[0]!);
    const before = (await scheduler.events.list(system, { sessionId: session.id, limit: 1000 })).events.length;
    await refusedUnchanged(
      database.db,
      () =>
        scheduler.bookings.bookMany(adminOf(academy), {
          sessionId: session.id,
          students: [{ studentId: academy.studentIds[1]! }, { studentId: academy.studentIds[2]! }],
        }),
      'CAPACITY_EXCEEDED',
    );
    // And a statement refused by a trigger after the row (and its event) was written: the event goes with it.
    const error = await errorOf(() => book(database.db, session.id, academy.studentIds[3]!).then(() => book(database.db, session.id, academy.studentIds[4]!)));
    expect(sqlState(error)).toBe('SC001');
    expect((await scheduler.events.list(system, { sessionId: session.id, limit: 1000 })).events.length).toBe(before + 1);
  });

  it('DELETE and TRUNCATE record a deleted event per row removed', async () => {
    const session = await sessionAt('2030-03-08T15:00:00Z');
    const [r1] = await database.db.insert(s.sessionResources).values({ sessionId: session.id, resourceType: 'equipment', resourceName: 'Floats' }).returning();
    const [r2] = await database.db.insert(s.sessionResources).values({ sessionId: session.id, resourceType: 'equipment', resourceName: 'Boards' }).returning();
    await database.db.delete(s.sessionResources).where(eq(s.sessionResources.id, r1!.id));
    await database.db.execute(sql`TRUNCATE scheduling.session_resources`);
    expect((await eventsOf(r1!.id)).map((e) => e.type)).toEqual(['resource.requested', 'resource.deleted']);
    const [, gone] = await eventsOf(r2!.id);
    expect(gone).toMatchObject({ type: 'resource.deleted', changes: { resource_name: { old: 'Boards', new: null } } });
  });

  it('events are append-only: UPDATE, DELETE and TRUNCATE of change_events are refused (SC011)', async () => {
    const [one] = await queryRows<{ id: string }>(database.db, sql`SELECT id FROM scheduling.change_events LIMIT 1`);
    for (const statement of [
      sql`UPDATE scheduling.change_events SET type = 'forged' WHERE id = ${one!.id}`,
      sql`DELETE FROM scheduling.change_events WHERE id = ${one!.id}`,
      sql`TRUNCATE scheduling.change_events CASCADE`,
    ]) {
      expect(sqlState(await errorOf(() => database.db.execute(statement)))).toBe('SC011');
    }
    expect(await queryRows(database.db, sql`SELECT 1 FROM scheduling.change_events WHERE id = ${one!.id} AND type <> 'forged'`)).toHaveLength(1);
  });
});

describe('events.list', () => {
  it('pages by entity in version order, by session, by actor, by type and by time, both ways', async () => {
    const session = await sessionAt('2030-03-11T15:00:00Z');
    for (let i = 0; i < 5; i++) await scheduler.sessions.update(adminOf(academy), { sessionId: session.id, title: `Title ${i}` });
    const first = await scheduler.events.list(system, { entityId: session.id, limit: 2 });
    expect(first.events.map((e) => e.entity.version)).toEqual([1, 2]);
    const second = await scheduler.events.list(system, { entityId: session.id, limit: 2, cursor: first.nextCursor! });
    const third = await scheduler.events.list(system, { entityId: session.id, limit: 2, cursor: second.nextCursor! });
    expect([...second.events, ...third.events].map((e) => e.entity.version)).toEqual([3, 4, 5, 6]);
    expect(third.nextCursor).toBeNull();
    const newest = await scheduler.events.list(system, { entityId: session.id, order: 'newest', limit: 1 });
    expect(newest.events[0]!.entity.version).toBe(6);

    const byActor = await scheduler.events.list(system, { actorId: academy.adminId, types: ['session.updated'], limit: 3 });
    expect(byActor.events.every((e) => e.type === 'session.updated' && e.actor.userId === academy.adminId)).toBe(true);
    const rest = await scheduler.events.list(system, { actorId: academy.adminId, types: ['session.updated'], limit: 1000, cursor: byActor.nextCursor! });
    const ids = [...byActor.events, ...rest.events].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(5);

    const future = await scheduler.events.list(system, { from: new Date(Date.now() + 86_400_000) });
    expect(future.events).toEqual([]);
    expect(((await errorOf(() => scheduler.events.list(system, { cursor: 'nonsense' }))) as { code: string }).code).toBe('INVALID_INPUT');
    // A cursor of one entity's listing is not a cursor of another listing.
    expect(((await errorOf(() => scheduler.events.list(system, { cursor: first.nextCursor! }))) as { code: string }).code).toBe('INVALID_INPUT');
    expect(
      ((await errorOf(() => scheduler.events.list(adminOf(academy) && { kind: 'parent', parentId: academy.parentId }, {}))) as { code: string }).code,
    ).toBe('FORBIDDEN');
  });
});

describe('maintenance.purgeEvents', () => {
  it('deletes old events nobody owes and keeps the ones a consumer still owes', async () => {
    await scheduler.events.registerConsumer(system, { consumer: 'purge-test' });
    const session = await sessionAt('2030-03-12T15:00:00Z');
    const owed = (await eventsOf(session.id))[0]!;
    // Events as they would be after 400 days: written directly, with their time (INSERT is not guarded).
    const old = await queryRows<{ id: string }>(
      database.db,
      sql`INSERT INTO scheduling.change_events (type, entity_type, entity_id, entity_version, changes, occurred_at)
          VALUES ('session.updated', 'session', gen_random_uuid(), 1, '{}', now() - interval '400 days'),
                 ('session.updated', 'session', gen_random_uuid(), 1, '{}', now() - interval '400 days')
          RETURNING id`,
    );
    const [owedOld] = await database.db.select().from(s.changeEvents).where(eq(s.changeEvents.id, old[1]!.id));
    await database.db
      .insert(s.eventDeliveries)
      .values({ consumer: 'purge-test', entityId: owedOld!.entityId, entityVersion: owedOld!.entityVersion, eventId: owedOld!.id });
    const result = await scheduler.maintenance.purgeEvents(system, { olderThanDays: 365 });
    expect(result).toEqual({ purged: 1, keptUnconsumed: 1 });
    expect(await queryRows(database.db, sql`SELECT id FROM scheduling.change_events WHERE id = ${old[0]!.id}`)).toEqual([]);
    expect(await queryRows(database.db, sql`SELECT id FROM scheduling.change_events WHERE id = ${old[1]!.id}`)).toHaveLength(1);
    expect(await queryRows(database.db, sql`SELECT id FROM scheduling.change_events WHERE id = ${owed.id}`)).toHaveLength(1);
    // The switch was only for that statement.
    const [one] = await queryRows<{ id: string }>(database.db, sql`SELECT id FROM scheduling.change_events LIMIT 1`);
    expect(sqlState(await errorOf(() => database.db.execute(sql`DELETE FROM scheduling.change_events WHERE id = ${one!.id}`)))).toBe('SC011');
    expect(
      (
        (await errorOf(() =>
          scheduler.maintenance.purgeEvents(adminOf(academy) && { kind: 'instructor', instructorId: academy.instructorIds[0]! }, { olderThanDays: 1 }),
        )) as { code: string }
      ).code,
    ).toBe('FORBIDDEN');
    await scheduler.events.removeConsumer(system, { consumer: 'purge-test' });
  });
});

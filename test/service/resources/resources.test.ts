import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type Scheduler } from '../../../src';
import { useTestDatabase } from '../../support/database';
import { type Academy, insertSession, seedAcademy } from '../../support/fixtures';
import { refusalsIn } from '../../support/refusals';
import { adminOf, instructorOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;
const clock = at('2030-04-10T08:00:00Z');

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 0 });
  scheduler = createScheduler({ db: database.db, now: () => clock });
});

/** Refused, and the whole database unchanged. */
const refused = refusalsIn(database);

/** A session starting `hoursFromClock` hours after the clock (callers pick distinct hours). */
async function sessionIn(hoursFromClock: number, overrides: Partial<typeof s.sessions.$inferInsert> = {}) {
  const start = new Date(clock.getTime() + hoursFromClock * 3_600_000);
  return insertSession(database.db, academy, { startTime: start, endTime: new Date(start.getTime() + 3_600_000), ...overrides });
}

const admin = () => adminOf(academy);
const coach = (i: number) => instructorOf(academy, i);
const kickboards = (sessionId: string, extra: Record<string, unknown> = {}) => ({
  sessionId,
  resourceType: 'equipment' as const,
  resourceName: 'Kickboards',
  quantityNeeded: 6,
  costPerUnit: 1.5,
  ...extra,
});

describe('resource life cycle', () => {
  it('request → allocate (≤ needed, records who and when) → unavailable → allocated → cancelled, which is final', async () => {
    const session = await sessionIn(2);
    const requested = await scheduler.resources.request(coach(0), kickboards(session.id));
    expect(requested).toMatchObject({ allocationStatus: 'requested', quantityNeeded: 6, quantityAllocated: 0, totalCost: '9.00', isMandatory: true });
    expect(await refused(() => scheduler.resources.allocate(admin(), { resourceId: requested.id, quantity: 7 }))).toMatchObject({
      code: 'INVALID_INPUT',
      details: { path: ['quantity'], reason: 'more_than_needed' },
    });
    expect(await scheduler.resources.allocate(admin(), { resourceId: requested.id, quantity: 4 })).toMatchObject({
      allocationStatus: 'allocated',
      quantityAllocated: 4,
      allocatedBy: academy.adminId,
      allocatedAt: clock,
    });
    expect(await scheduler.resources.markUnavailable(admin(), { resourceId: requested.id })).toMatchObject({
      allocationStatus: 'unavailable',
      quantityAllocated: 0,
      isAvailable: false,
    });
    expect(await scheduler.resources.allocate(admin(), { resourceId: requested.id, quantity: 6 })).toMatchObject({
      allocationStatus: 'allocated',
      isAvailable: true,
    });
    expect((await scheduler.resources.cancel(coach(0), { resourceId: requested.id })).allocationStatus).toBe('cancelled');
    for (const step of [
      () => scheduler.resources.allocate(admin(), { resourceId: requested.id, quantity: 1 }),
      () => scheduler.resources.markUnavailable(admin(), { resourceId: requested.id }),
      () => scheduler.resources.cancel(admin(), { resourceId: requested.id }),
    ]) {
      expect(await refused(step)).toMatchObject({ code: 'INVALID_STATE', details: { from: 'cancelled', allowed: [] } });
    }
    const unavailable = await scheduler.resources.request(admin(), kickboards(session.id));
    await scheduler.resources.markUnavailable(admin(), { resourceId: unavailable.id });
    expect(await refused(() => scheduler.resources.markUnavailable(admin(), { resourceId: unavailable.id }))).toMatchObject({
      code: 'INVALID_STATE',
      details: { from: 'unavailable', to: 'unavailable' },
    });
  });

  it("who may: the session's instructor requests and cancels, only admins allocate; no requests for cancelled sessions", async () => {
    const session = await sessionIn(3);
    expect((await refused(() => scheduler.resources.request(coach(1), kickboards(session.id)))).code).toBe('FORBIDDEN');
    expect((await refused(() => scheduler.resources.request({ kind: 'parent' }, kickboards(session.id)))).code).toBe('FORBIDDEN');
    const row = await scheduler.resources.request(coach(0), kickboards(session.id));
    expect((await refused(() => scheduler.resources.allocate(coach(0), { resourceId: row.id, quantity: 1 }))).code).toBe('FORBIDDEN');
    expect((await refused(() => scheduler.resources.cancel(coach(1), { resourceId: row.id }))).code).toBe('FORBIDDEN');
    await database.db.update(s.sessions).set({ status: 'cancelled' }).where(eq(s.sessions.id, session.id));
    expect(await refused(() => scheduler.resources.request(admin(), kickboards(session.id)))).toMatchObject({
      code: 'INVALID_STATE',
      details: { reason: 'session_not_plannable' },
    });
    expect((await refused(() => scheduler.resources.request(admin(), kickboards(session.id, { quantityNeeded: 0 })))).code).toBe('INVALID_INPUT');
    // The total (quantity × cost per unit) must fit the numeric(10, 2) the database computes.
    expect(
      await refused(() => scheduler.resources.request(admin(), kickboards(session.id, { quantityNeeded: 100_000, costPerUnit: 99_999_999 }))),
    ).toMatchObject({
      code: 'INVALID_INPUT',
      details: { path: ['costPerUnit'] },
    });
  });
});

describe('resource reports', () => {
  it('lists mandatory resources of scheduled sessions within N days that are not fully allocated', async () => {
    const reportClock = at('2031-01-10T08:00:00Z');
    const reports = createScheduler({ db: database.db, now: () => reportClock });
    const at0 = (h: number, instructor = 1) =>
      insertSession(database.db, academy, {
        instructorId: academy.instructorIds[instructor]!,
        startTime: new Date(reportClock.getTime() + h * 3_600_000),
        endTime: new Date(reportClock.getTime() + (h + 1) * 3_600_000),
      });
    const soon = await at0(2);
    const later = await at0(24 * 3 + 2);
    const tooFar = await at0(24 * 8);
    const past = await at0(-3);
    const cancelledSession = await at0(5);
    const want = async (sessionId: string, extra: Record<string, unknown> = {}) => (await reports.resources.request(admin(), kickboards(sessionId, extra))).id;
    const missing = await want(soon.id, { resourceName: 'A-missing' });
    const short = await want(soon.id, { resourceName: 'B-short' });
    await reports.resources.allocate(admin(), { resourceId: short, quantity: 5 });
    const full = await want(soon.id, { resourceName: 'C-full' });
    await reports.resources.allocate(admin(), { resourceId: full, quantity: 6 });
    await want(soon.id, { resourceName: 'D-optional', isMandatory: false });
    const withdrawn = await want(soon.id, { resourceName: 'E-cancelled' });
    await reports.resources.cancel(admin(), { resourceId: withdrawn });
    const unavailable = await want(later.id, { resourceName: 'F-unavailable' });
    await reports.resources.markUnavailable(admin(), { resourceId: unavailable });
    await want(tooFar.id);
    await want(past.id);
    await want(cancelledSession.id);
    await database.db.update(s.sessions).set({ status: 'cancelled' }).where(eq(s.sessions.id, cancelledSession.id));

    const report = await reports.resources.unallocatedMandatory(admin(), { withinDays: 7 });
    expect(report.map((r) => [r.resourceId, r.sessionId, r.allocationStatus, r.quantityAllocated])).toEqual([
      [missing, soon.id, 'requested', 0],
      [short, soon.id, 'allocated', 5],
      [unavailable, later.id, 'unavailable', 0],
    ]);
    expect(report[0]).toMatchObject({ sessionCode: soon.sessionId, startTime: soon.startTime, resourceName: 'A-missing', quantityNeeded: 6 });
    expect((await reports.resources.unallocatedMandatory(admin(), { withinDays: 1 })).map((r) => r.resourceId)).toEqual([missing, short]);
    expect((await refused(() => reports.resources.unallocatedMandatory(coach(0), {}))).code).toBe('FORBIDDEN');

    expect(await reports.resources.costs(admin(), { sessionIds: [soon.id, later.id, past.id, tooFar.id] })).toEqual([
      // 4 kickboards resources at 6 × 1.50 (the cancelled one is not counted)
      { sessionId: soon.id, totalCost: '36.00', resourceCount: 4 },
      { sessionId: later.id, totalCost: '9.00', resourceCount: 1 },
      { sessionId: past.id, totalCost: '9.00', resourceCount: 1 },
      { sessionId: tooFar.id, totalCost: '9.00', resourceCount: 1 },
    ]);
    const empty = await at0(30);
    expect(await reports.resources.costs(admin(), { sessionIds: [empty.id] })).toEqual([{ sessionId: empty.id, totalCost: '0.00', resourceCount: 0 }]);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type Scheduler } from '../../../src';
import { useTestDatabase } from '../../support/database';
import { type Academy, seedAcademy, book, createInput } from '../../support/fixtures';
import { refusalsIn } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;
const clock = at('2029-12-01T08:00:00Z');

beforeAll(async () => {
  academy = await seedAcademy(database.db);
  scheduler = createScheduler({ db: database.db, now: () => clock });
});

let day = 1;
async function newSession() {
  const d = String(day++).padStart(2, '0');
  const { session } = await scheduler.sessions.create(
    adminOf(academy),
    createInput(academy, { startTime: at(`2030-05-${d}T10:00:00Z`), endTime: at(`2030-05-${d}T11:00:00Z`) }),
  );
  return session;
}

const refused = refusalsIn(database);

describe('session life cycle', () => {
  it('scheduled → in_progress → completed, and nothing leaves completed', async () => {
    const admin = adminOf(academy);
    const session = await newSession();
    expect((await scheduler.sessions.start(admin, { sessionId: session.id })).session.status).toBe('in_progress');
    expect((await scheduler.sessions.complete(admin, { sessionId: session.id })).session.status).toBe('completed');
    for (const status of ['scheduled', 'in_progress', 'cancelled', 'postponed'] as const) {
      const error = await refused(() => scheduler.sessions.setStatus(admin, { sessionId: session.id, status, reason: 'why' }));
      expect(error.code).toBe('INVALID_STATE');
      expect(error.details).toMatchObject({ from: 'completed', to: status });
    }
    expect((await refused(() => scheduler.sessions.update(admin, { sessionId: session.id, title: 'Late edit' }))).code).toBe('INVALID_STATE');
  });

  it('scheduled → postponed → scheduled; postponed cannot start; scheduled cannot complete', async () => {
    const admin = adminOf(academy);
    const session = await newSession();
    expect((await refused(() => scheduler.sessions.complete(admin, { sessionId: session.id }))).code).toBe('INVALID_STATE');
    expect((await scheduler.sessions.postpone(admin, { sessionId: session.id })).session.status).toBe('postponed');
    expect((await refused(() => scheduler.sessions.start(admin, { sessionId: session.id }))).code).toBe('INVALID_STATE');
    expect((await scheduler.sessions.resume(admin, { sessionId: session.id })).session.status).toBe('scheduled');
  });

  it('bringing a postponed session back is refused when its slot was taken meanwhile', async () => {
    const admin = adminOf(academy);
    const session = await newSession();
    await scheduler.sessions.postpone(admin, { sessionId: session.id });
    const { session: taker } = await scheduler.sessions.create(admin, createInput(academy, { startTime: session.startTime, endTime: session.endTime }));
    const error = await refused(() => scheduler.sessions.resume(admin, { sessionId: session.id }));
    expect(error.code).toBe('INSTRUCTOR_DOUBLE_BOOKED');
    expect(error.details.conflictingSessionIds).toEqual([taker.id]);
  });

  it("the session's instructor may start it; a parent may not; only admins cancel", async () => {
    const session = await newSession();
    const parent = { kind: 'parent' as const, userId: academy.adminId };
    expect((await refused(() => scheduler.sessions.start(parent, { sessionId: session.id }))).code).toBe('FORBIDDEN');
    const instructor = { kind: 'instructor' as const, userId: academy.adminId, instructorId: academy.instructorIds[0]! };
    expect((await refused(() => scheduler.sessions.cancel(instructor, { sessionId: session.id, reason: 'ill' }))).code).toBe('FORBIDDEN');
    expect((await scheduler.sessions.start(instructor, { sessionId: session.id })).session.status).toBe('in_progress');
  });

  it('cancelling records reason, who and when, and cancels confirmed and pending bookings as the academy', async () => {
    const admin = adminOf(academy);
    const session = await newSession();
    const [k0, k1, k2, k3] = academy.studentIds as [string, string, string, string];
    const confirmed = await book(database.db, session.id, k0, { amount: '20.00' });
    const pending = await book(database.db, session.id, k1, { status: 'pending' });
    const noShow = await book(database.db, session.id, k2, { status: 'no_show' });
    const alsoConfirmed = await book(database.db, session.id, k3);

    expect((await refused(() => scheduler.sessions.cancel(admin, { sessionId: session.id, reason: '  ' }))).code).toBe('INVALID_INPUT');
    const result = await scheduler.sessions.cancel(admin, { sessionId: session.id, reason: 'Pool closed' });
    expect(result.session).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'Pool closed',
      cancelledBy: academy.adminId,
      cancelledAt: clock,
      currentBookings: 0,
    });
    expect(result.cancelledBookings.map((b) => b.id).sort()).toEqual([confirmed, pending, alsoConfirmed].sort());
    expect(result.cancelledBookings.find((b) => b.id === pending)).toMatchObject({ studentId: k1, previousStatus: 'pending' });

    const rows = await database.db.select().from(s.sessionBookings).where(eq(s.sessionBookings.sessionId, session.id));
    for (const row of rows) {
      if (row.id === noShow) expect(row.bookingStatus).toBe('no_show');
      else expect(row).toMatchObject({ bookingStatus: 'cancelled', cancellationType: 'academy', cancellationReason: 'Pool closed' });
    }
    // The injected clock is earlier than the bookings: the cancellation date never precedes the booking.
    for (const row of rows.filter((r) => r.id !== noShow)) expect(row.cancellationDate!.getTime()).toBeGreaterThanOrEqual(row.bookingDate!.getTime());
    expect((await refused(() => scheduler.sessions.cancel(admin, { sessionId: session.id, reason: 'again' }))).code).toBe('INVALID_STATE');
  });
});

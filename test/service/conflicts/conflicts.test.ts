import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type Scheduler } from '../../../src';
import { useTestDatabase } from '../../support/database';
import { type Academy, insertSession, seedAcademy, book, createInput } from '../../support/fixtures';
import { errorOf, refusalsIn } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;
const clock = at('2000-01-01T00:00:00Z'); // far in the past: timestamps must still not precede detected_at

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 8 });
  scheduler = createScheduler({ db: database.db, now: () => clock });
});

const refused = refusalsIn(database);

/** Two overlapping sessions of one instructor, created by an admin override: two resolved conflicts, no open ones. */
async function overriddenPair(day: string) {
  const admin = adminOf(academy);
  const { session: a } = await scheduler.sessions.create(
    admin,
    createInput(academy, { facilityId: academy.lanesId, startTime: at(`${day}T10:00:00Z`), endTime: at(`${day}T11:00:00Z`) }),
  );
  const { session: b, conflicts } = await scheduler.sessions.create(
    admin,
    createInput(academy, { facilityId: academy.lanesId, startTime: at(`${day}T10:30:00Z`), endTime: at(`${day}T11:30:00Z`), override: true }),
  );
  return { a, b, conflicts };
}

describe('conflict life cycle', () => {
  it('detected → acknowledged → resolved, with timestamps and who; final states refuse further moves', async () => {
    const admin = adminOf(academy);
    const { a, b } = await overriddenPair('2030-09-01');
    const { recorded } = await scheduler.conflicts.scan(admin, { from: at('2030-09-01T00:00:00Z'), until: at('2030-09-02T00:00:00Z') });
    expect(recorded.map((c) => [c.conflictType, c.status])).toEqual([['instructor_double_booking', 'detected']]);
    const conflict = recorded[0]!;
    expect([conflict.sessionId, conflict.conflictingSessionId].sort()).toEqual([a.id, b.id].sort());

    const acknowledged = await scheduler.conflicts.acknowledge(admin, { conflictId: conflict.id });
    expect(acknowledged.status).toBe('acknowledged');
    expect(acknowledged.acknowledgedAt!.getTime()).toBeGreaterThanOrEqual(conflict.detectedAt!.getTime());
    const resolved = await scheduler.conflicts.resolve(admin, { conflictId: conflict.id, method: 'instructor_changed', notes: 'Coach1 takes it' });
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolutionMethod: 'instructor_changed',
      resolutionNotes: 'Coach1 takes it',
      resolvedBy: academy.adminId,
    });
    expect(resolved.resolvedAt!.getTime()).toBeGreaterThanOrEqual(conflict.detectedAt!.getTime());

    for (const call of [
      () => scheduler.conflicts.acknowledge(admin, { conflictId: conflict.id }),
      () => scheduler.conflicts.ignore(admin, { conflictId: conflict.id }),
      () => scheduler.conflicts.resolve(admin, { conflictId: conflict.id, method: 'session_moved' }),
    ]) {
      const error = await refused(call);
      expect(error.code).toBe('INVALID_STATE');
      expect(error.details).toMatchObject({ from: 'resolved' });
    }
  });

  it('detected → ignored directly; unknown ids are NOT_FOUND; bad methods INVALID_INPUT; only admins manage', async () => {
    const admin = adminOf(academy);
    await overriddenPair('2030-09-02');
    const { recorded } = await scheduler.conflicts.scan(admin, { from: at('2030-09-02T00:00:00Z'), until: at('2030-09-03T00:00:00Z') });
    const conflict = recorded[0]!;
    const instructor = { kind: 'instructor' as const, userId: academy.adminId, instructorId: academy.instructorIds[0]! };
    expect((await refused(() => scheduler.conflicts.ignore(instructor, { conflictId: conflict.id }))).code).toBe('FORBIDDEN');
    const ignored = await scheduler.conflicts.ignore(admin, { conflictId: conflict.id, notes: 'Assistant covers' });
    expect(ignored).toMatchObject({ status: 'ignored', resolvedBy: academy.adminId, resolutionNotes: 'Assistant covers' });
    expect((await refused(() => scheduler.conflicts.acknowledge(admin, { conflictId: '00000000-0000-4000-8000-000000000000' }))).code).toBe('NOT_FOUND');
    const method = await refused(() => scheduler.conflicts.resolve(admin, { conflictId: conflict.id, method: 'magic' as never }));
    expect(method.code).toBe('INVALID_INPUT');
    expect(method.details.path).toEqual(['method']);
  });
});

describe('conflicts.scan', () => {
  it('records conflicts written outside the service, once, with affected bookings and financial impact', async () => {
    const admin = adminOf(academy);
    const { db } = database;
    const [k0, k1] = academy.studentIds as [string, string];
    // Written by raw SQL under an override: a student in two overlapping sessions, and an overbooked session.
    const room = (
      await db
        .insert(s.facilities)
        .values({ code: `BIG-${Math.random()}`, name: 'Big', locationId: academy.locationId, maxConcurrentSessions: 10 })
        .returning()
    )[0]!.id;
    const [x, y] = await db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL scheduling.allow_conflicts = on`);
      const one = await insertSession(tx as never, academy, {
        instructorId: null,
        facilityId: room,
        startTime: at('2030-10-01T10:00:00Z'),
        endTime: at('2030-10-01T11:00:00Z'),
        capacity: 2,
      });
      const two = await insertSession(tx as never, academy, {
        instructorId: null,
        facilityId: room,
        startTime: at('2030-10-01T10:30:00Z'),
        endTime: at('2030-10-01T11:30:00Z'),
        capacity: 2,
      });
      return [one, two];
    });
    await book(db, x.id, k0, { amount: '30.00' });
    await book(db, x.id, k1, { amount: '12.50' });
    await db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL scheduling.allow_conflicts = on`);
      await book(tx as never, y.id, k0, { amount: '20.00' });
    });
    const scan = () => scheduler.conflicts.scan(admin, { from: at('2030-10-01T00:00:00Z'), until: at('2030-10-02T00:00:00Z') });
    const { recorded } = await scan();
    expect(recorded.map((c) => [c.conflictType, c.studentId, c.affectedBookings, c.financialImpact, c.status, c.detectedBy])).toEqual([
      ['student_conflict', k0, 2, '50.00', 'detected', academy.adminId],
    ]);
    // Nothing new the second time: the conflict is already open.
    expect((await scan()).recorded).toEqual([]);
    const countRows = await db.select().from(s.scheduleConflicts).where(eq(s.scheduleConflicts.conflictType, 'student_conflict'));
    expect(countRows.filter((c) => c.status === 'detected')).toHaveLength(1);
  });

  it('records availability mismatches for sessions outside availability (and not for those inside)', async () => {
    const admin = adminOf(academy);
    const coach = academy.instructorIds[2]!;
    const { session: early } = await scheduler.sessions.create(
      admin,
      createInput(academy, { instructorId: coach, facilityId: academy.lanesId, startTime: at('2030-11-04T13:00:00Z'), endTime: at('2030-11-04T14:00:00Z') }),
    );
    const { session: later } = await scheduler.sessions.create(
      admin,
      createInput(academy, { instructorId: coach, facilityId: academy.lanesId, startTime: at('2030-11-04T16:00:00Z'), endTime: at('2030-11-04T17:00:00Z') }),
    );
    // Availability added by raw SQL afterwards: Mondays 10:00–13:00 New York (15:00–18:00Z in November).
    await database.db
      .insert(s.instructorAvailability)
      .values({ instructorId: coach, availabilityType: 'regular', dayOfWeek: 1, startTime: '10:00:00', endTime: '13:00:00', effectiveFrom: '2030-01-01' });
    const { recorded } = await scheduler.conflicts.scan(admin, { from: at('2030-11-04T00:00:00Z'), until: at('2030-11-05T00:00:00Z') });
    expect(recorded.map((c) => [c.conflictType, c.sessionId])).toEqual([['availability_mismatch', early.id]]);
    expect(recorded.some((c) => c.sessionId === later.id)).toBe(false);
  });

  it('lists with filters', async () => {
    const admin = adminOf(academy);
    const detected = await scheduler.conflicts.list(admin, { status: 'detected' });
    expect(detected.length).toBeGreaterThanOrEqual(2);
    expect(detected.every((c) => c.status === 'detected')).toBe(true);
    const mismatches = await scheduler.conflicts.list(admin, {
      type: 'availability_mismatch',
      severity: 'medium',
      instructorId: academy.instructorIds[2]!,
      from: at('2030-11-01T00:00:00Z'),
      until: at('2030-12-01T00:00:00Z'),
    });
    expect(mismatches.map((c) => c.conflictType)).toEqual(['availability_mismatch']);
    const overrides = await scheduler.conflicts.list(admin, { status: 'resolved', type: 'instructor_double_booking' });
    expect(overrides.filter((c) => c.resolutionMethod === 'manual_override').length).toBeGreaterThanOrEqual(2);
    expect(await errorOf(() => scheduler.conflicts.list({ kind: 'parent' }, {}))).toMatchObject({ code: 'FORBIDDEN' });
  });
});

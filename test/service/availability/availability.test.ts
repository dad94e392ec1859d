import { beforeAll, describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler } from '../../../src';
import { useTestDatabase } from '../../support/database';
import { type Academy, seedAcademy, createInput } from '../../support/fixtures';
import { refusalsIn } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;
const clock = at('2030-01-01T00:00:00Z');

beforeAll(async () => {
  academy = await seedAcademy(database.db); // America/New_York
  scheduler = createScheduler({ db: database.db, now: () => clock });
});

const refused = refusalsIn(database);

const monday = (instructorId: string, start: string, end: string, extra: Record<string, unknown> = {}) => ({
  instructorId,
  availabilityType: 'regular' as const,
  dayOfWeek: 1,
  startTime: start,
  endTime: end,
  effectiveFrom: '2030-01-01',
  ...extra,
});

describe('availability slots', () => {
  it('adds a slot; refuses an overlapping one of the same type (AVAILABILITY_OVERLAP naming it), allows an exception over it', async () => {
    const admin = adminOf(academy);
    const coach = academy.instructorIds[0]!;
    const { availability } = await scheduler.availability.add(admin, monday(coach, '09:00', '12:00'));
    expect(availability).toMatchObject({ startTime: '09:00:00', endTime: '12:00:00', isActive: true, createdBy: academy.adminId });
    const clash = await refused(() => scheduler.availability.add(admin, monday(coach, '11:00', '13:00', { effectiveFrom: '2030-06-01' })));
    expect(clash.code).toBe('AVAILABILITY_OVERLAP');
    expect(clash.details.conflictingAvailabilityIds).toEqual([availability.id]);
    // Back to back is fine (half-open), and so is an exception on one Monday.
    await scheduler.availability.add(admin, monday(coach, '12:00', '13:00'));
    await scheduler.availability.add(admin, {
      instructorId: coach,
      availabilityType: 'exception',
      specificDate: '2030-01-14',
      startTime: '10:00',
      endTime: '11:00',
      effectiveFrom: '2030-01-14',
    });
  });

  it("refuses bad slots with typed errors: both day and date, inverted times, unknown instructor, another instructor's slot", async () => {
    const admin = adminOf(academy);
    const coach = academy.instructorIds[1]!;
    const both = await refused(() => scheduler.availability.add(admin, monday(coach, '09:00', '10:00', { specificDate: '2030-01-07' })));
    expect(both.code).toBe('INVALID_INPUT');
    expect((await refused(() => scheduler.availability.add(admin, monday(coach, '10:00', '09:00')))).details.path).toEqual(['endTime']);
    expect((await refused(() => scheduler.availability.add(admin, monday(coach, '25:00', '26:00')))).code).toBe('INVALID_INPUT');
    expect((await refused(() => scheduler.availability.add(admin, monday('00000000-0000-4000-8000-000000000000', '09:00', '10:00')))).code).toBe('NOT_FOUND');
    const other = { kind: 'instructor' as const, userId: academy.adminId, instructorId: academy.instructorIds[2]! };
    expect((await refused(() => scheduler.availability.add(other, monday(coach, '09:00', '10:00')))).code).toBe('FORBIDDEN');
  });

  it('narrowing availability records an availability_mismatch for each future session now outside it', async () => {
    const admin = adminOf(academy);
    const coach = academy.instructorIds[1]!;
    const { availability } = await scheduler.availability.add(admin, monday(coach, '09:00', '17:00'));
    // Mondays 2030-01-07 and 2030-01-14, 10:00 and 15:00 New York (UTC-5).
    const { session: morning } = await scheduler.sessions.create(
      admin,
      createInput(academy, { instructorId: coach, facilityId: academy.lanesId, startTime: at('2030-01-07T15:00:00Z'), endTime: at('2030-01-07T16:00:00Z') }),
    );
    const { session: afternoon } = await scheduler.sessions.create(
      admin,
      createInput(academy, { instructorId: coach, facilityId: academy.lanesId, startTime: at('2030-01-07T20:00:00Z'), endTime: at('2030-01-07T21:00:00Z') }),
    );
    const { mismatches } = await scheduler.availability.update(admin, { availabilityId: availability.id, endTime: '12:00' });
    expect(mismatches.map((m) => [m.conflictType, m.sessionId, m.status])).toEqual([['availability_mismatch', afternoon.id, 'detected']]);
    expect(mismatches.some((m) => m.sessionId === morning.id)).toBe(false);
    // Deactivating the only slot leaves no availability rows: as in the trigger, no availability means no mismatch.
    const { mismatches: none } = await scheduler.availability.deactivate(admin, { availabilityId: availability.id });
    expect(none).toEqual([]);
  });
});

describe('lowering availability under sessions that use it', () => {
  it('update, deactivate and a day off are refused naming the sessions; under an override they go through and record the overloads', async () => {
    const admin = adminOf(academy);
    const coach = academy.instructorIds[2]!;
    // Two classes at once on Monday 2030-01-14, 10:00 New York, allowed by a slot for two.
    const { availability } = await scheduler.availability.add(admin, monday(coach, '09:00', '12:00', { maxConcurrentSessions: 2 }));
    const rooms = [academy.poolId, academy.lanesId];
    const sessions = [];
    for (const [i, room] of rooms.entries()) {
      sessions.push(
        (
          await scheduler.sessions.create(
            admin,
            createInput(academy, { instructorId: coach, facilityId: room, startTime: at(`2030-01-14T15:${i}0:00Z`), endTime: at('2030-01-14T16:00:00Z') }),
          )
        ).session,
      );
    }
    const ids = sessions.map((x) => x.id).sort();
    const dayOff = {
      instructorId: coach,
      availabilityType: 'exception' as const,
      specificDate: '2030-01-14',
      startTime: '00:00',
      endTime: '23:59',
      effectiveFrom: '2030-01-14',
      maxConcurrentSessions: 0,
    };
    for (const attempt of [
      () => scheduler.availability.update(admin, { availabilityId: availability.id, maxConcurrentSessions: 1 }),
      () => scheduler.availability.deactivate(admin, { availabilityId: availability.id }),
      () => scheduler.availability.add(admin, dayOff),
    ]) {
      const error = await refused(attempt);
      expect({ code: error.code, reason: error.details.reason, ids: [...(error.details.conflictingSessionIds as string[])].sort() }).toEqual({
        code: 'INSTRUCTOR_DOUBLE_BOOKED',
        reason: 'limit_lowered',
        ids,
      });
    }
    // An instructor may not override.
    expect(
      (await refused(() => scheduler.availability.deactivate({ kind: 'instructor', instructorId: coach }, { availabilityId: availability.id, override: true })))
        .code,
    ).toBe('FORBIDDEN');
    const { availability: off, overloads } = await scheduler.availability.deactivate(admin, { availabilityId: availability.id, override: true });
    expect(off.isActive).toBe(false);
    expect(overloads.map((c) => [c.conflictType, c.status, c.resolutionMethod])).toEqual([
      ['instructor_double_booking', 'resolved', 'manual_override'],
      ['instructor_double_booking', 'resolved', 'manual_override'],
    ]);
    expect(new Set(overloads.map((c) => c.sessionId))).toEqual(new Set(ids));
  });
});

describe('who is free', () => {
  it('findAvailableInstructors compares dates, exceptions and existing sessions, not just weekday and times', async () => {
    const admin = adminOf(academy);
    const coach = academy.instructorIds[2]!;
    await scheduler.availability.add(admin, monday(coach, '08:00', '12:00', { effectiveUntil: '2030-03-31' }));
    await scheduler.availability.add(admin, {
      instructorId: coach,
      availabilityType: 'exception',
      specificDate: '2030-02-04',
      startTime: '08:00',
      endTime: '12:00',
      effectiveFrom: '2030-02-04',
      maxConcurrentSessions: 0,
    });
    const find = (start: string, end: string) =>
      scheduler.availability
        .findAvailableInstructors(admin, { locationId: academy.locationId, start: at(start), end: at(end) })
        .then((r) => r.map((i) => i.instructorId));
    // Monday 2030-01-21, 09:00–10:00 New York.
    expect(await find('2030-01-21T14:00:00Z', '2030-01-21T15:00:00Z')).toContain(coach);
    // A Tuesday: the weekday does not match.
    expect(await find('2030-01-22T14:00:00Z', '2030-01-22T15:00:00Z')).not.toContain(coach);
    // After effective_until.
    expect(await find('2030-04-01T13:00:00Z', '2030-04-01T14:00:00Z')).not.toContain(coach);
    // A day off by exception.
    expect(await find('2030-02-04T14:00:00Z', '2030-02-04T15:00:00Z')).not.toContain(coach);
    // Already teaching then (anywhere).
    await scheduler.sessions.create(
      admin,
      createInput(academy, { instructorId: coach, facilityId: academy.lanesId, startTime: at('2030-01-21T14:30:00Z'), endTime: at('2030-01-21T15:30:00Z') }),
    );
    expect(await find('2030-01-21T14:00:00Z', '2030-01-21T15:00:00Z')).not.toContain(coach);
    expect(await find('2030-01-21T15:30:00Z', '2030-01-21T16:30:00Z')).toContain(coach);
  });

  it('freeSlots: windows in the location zone minus sessions', async () => {
    const admin = adminOf(academy);
    const coach = academy.instructorIds[2]!;
    const slots = await scheduler.availability.freeSlots(admin, {
      instructorId: coach,
      locationId: academy.locationId,
      from: at('2030-01-21T00:00:00Z'),
      until: at('2030-01-22T00:00:00Z'),
      durationMinutes: 60,
      stepMinutes: 30,
    });
    // 08:00–12:00 New York = 13:00–17:00Z, busy 14:30–15:30Z.
    expect(slots.map((s) => s.start.toISOString())).toEqual([
      '2030-01-21T13:00:00.000Z',
      '2030-01-21T13:30:00.000Z',
      '2030-01-21T15:30:00.000Z',
      '2030-01-21T16:00:00.000Z',
    ]);
    const bad = await refused(() =>
      scheduler.availability.freeSlots(admin, {
        instructorId: coach,
        locationId: academy.locationId,
        from: at('2030-01-22T00:00:00Z'),
        until: at('2030-01-21T00:00:00Z'),
        durationMinutes: 60,
      }),
    );
    expect(bad.details.path).toEqual(['until']);
  });
});

/**
 * `availability.freeSlots` in the academy's local time: `from`/`until` as local days
 * `{ date }` (the location's zone, or an explicit `timeZone`), and every slot with
 * `local`, its times on the location's wall clocks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler } from '../../../src';
import { useTestDatabase } from '../../support/database';
import { type Academy, seedAcademy } from '../../support/fixtures';
import { refusalsIn } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { iso } from '../../support/time';

const database = useTestDatabase();
const refused = refusalsIn(database);
let london: Academy;
let scheduler: Scheduler;
let coach: string;

beforeAll(async () => {
  london = await seedAcademy(database.db, { timeZone: 'Europe/London' });
  scheduler = createScheduler({ db: database.db, now: () => new Date('2026-12-01T00:00:00Z') });
  coach = london.instructorIds[0]!;
  // Mondays 09:00–12:00, London wall clock, all of 2027.
  await scheduler.availability.add(adminOf(london), {
    instructorId: coach,
    availabilityType: 'regular',
    dayOfWeek: 1,
    startTime: '09:00',
    endTime: '12:00',
    effectiveFrom: '2027-01-01',
  });
});

const hourly = (from: unknown, until: unknown, extra: Record<string, unknown> = {}) =>
  ({ instructorId: coach, locationId: london.locationId, from, until, durationMinutes: 60, stepMinutes: 60, ...extra }) as never;

describe('availability.freeSlots with local days', () => {
  it('takes a local day in the location zone: Monday 11 January 2027 (GMT) and Monday 12 July 2027 (BST), each slot with local', async () => {
    const winter = await scheduler.availability.freeSlots(adminOf(london), hourly({ date: '2027-01-11' }, { date: '2027-01-12' }));
    expect(winter.map((s) => iso(s.start))).toEqual(['2027-01-11T09:00:00.000Z', '2027-01-11T10:00:00.000Z', '2027-01-11T11:00:00.000Z']);
    expect(winter[0]!.local).toEqual({
      timeZone: 'Europe/London',
      start: { date: '2027-01-11', time: '09:00', offset: '+00:00' },
      end: { date: '2027-01-11', time: '10:00', offset: '+00:00' },
    });

    const summer = await scheduler.availability.freeSlots(adminOf(london), hourly({ date: '2027-07-12' }, { date: '2027-07-13' }));
    expect(summer.map((s) => iso(s.start))).toEqual(['2027-07-12T08:00:00.000Z', '2027-07-12T09:00:00.000Z', '2027-07-12T10:00:00.000Z']);
    expect(summer.map((s) => s.local.start.time)).toEqual(['09:00', '10:00', '11:00']);
    expect(summer[2]!.local.end).toEqual({ date: '2027-07-12', time: '12:00', offset: '+01:00' });
  });

  it('reads the days in an explicit timeZone when given (the slots still read in the location zone), and mixes with instants', async () => {
    // 11 January in Auckland (NZDT, +13) is 10 January 11:00Z to 11 January 11:00Z: the 11:00Z slot ends after it.
    const auckland = await scheduler.availability.freeSlots(
      adminOf(london),
      hourly({ date: '2027-01-11' }, { date: '2027-01-12' }, { timeZone: 'Pacific/Auckland' }),
    );
    expect(auckland.map((s) => iso(s.start))).toEqual(['2027-01-11T09:00:00.000Z', '2027-01-11T10:00:00.000Z']);
    expect(auckland[0]!.local.timeZone).toBe('Europe/London');
    const mixed = await scheduler.availability.freeSlots(adminOf(london), hourly('2027-01-11T10:00:00Z', { date: '2027-01-12' }));
    expect(mixed.map((s) => iso(s.start))).toEqual(['2027-01-11T10:00:00.000Z', '2027-01-11T11:00:00.000Z']);
  });

  it('gives local to slots asked for by instants too', async () => {
    const slots = await scheduler.availability.freeSlots(adminOf(london), hourly('2027-01-18T00:00:00Z', '2027-01-19T00:00:00Z'));
    expect(slots.map((s) => s.local.start.time)).toEqual(['09:00', '10:00', '11:00']);
  });

  it('refuses malformed local days, an unknown timeZone, and a range that is empty or over 92 days once converted', async () => {
    const admin = adminOf(london);
    expect(
      (await refused('INVALID_INPUT', () => scheduler.availability.freeSlots(admin, hourly({ date: '2027-02-30' }, { date: '2027-03-01' })))).details.path,
    ).toEqual(['from', 'date']);
    expect(
      (await refused('INVALID_INPUT', () => scheduler.availability.freeSlots(admin, hourly({ day: '2027-02-01' }, { date: '2027-03-01' })))).details.path,
    ).toEqual(expect.arrayContaining(['from']));
    expect(
      (
        await refused('INVALID_INPUT', () =>
          scheduler.availability.freeSlots(admin, hourly({ date: '2027-01-11' }, { date: '2027-01-12' }, { timeZone: 'Mars/Olympus' })),
        )
      ).details.path,
    ).toEqual(['timeZone']);
    const empty = await refused('INVALID_INPUT', () => scheduler.availability.freeSlots(admin, hourly({ date: '2027-01-12' }, { date: '2027-01-11' })));
    expect(empty.message).toBe('Invalid input at until: until must be after from');
    const long = await refused('INVALID_INPUT', () => scheduler.availability.freeSlots(admin, hourly({ date: '2027-01-01' }, { date: '2027-04-04' })));
    expect(long.message).toBe('Invalid input at until: at most 92 days per call');
    // 92 days exactly is fine.
    await expect(scheduler.availability.freeSlots(admin, hourly({ date: '2027-01-01' }, { date: '2027-04-03' }))).resolves.toHaveLength(13 * 3);
  });
});

/**
 * Sessions in the academy's local time: `sessions.create`, `update` and `reschedule`
 * take `{ date, time }` wall-clock times in the zone of the session's location,
 * `sessions.list` takes local days `{ date }` as its range, every session returned
 * carries `local` (its times on its location's wall clocks), and a start before the
 * scheduler's clock needs `allowPast` (administrators only).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createScheduler, type Actor, type Scheduler } from '../../../src';
import { useTestDatabase } from '../../support/database';
import { type Academy, addFacility, createInput, seedAcademy } from '../../support/fixtures';
import { refusalsIn } from '../../support/refusals';
import { expectDocumentedDetails } from '../../support/error-details';
import { adminOf } from '../../support/actors';
import { at, iso } from '../../support/time';

const database = useTestDatabase();
const refused = refusalsIn(database);
let london: Academy;
let newYork: Academy;
/** The scheduler's clock: before every 2027 date below. */
const NOW = at('2026-12-01T00:00:00Z');
let scheduler: Scheduler;

beforeAll(async () => {
  london = await seedAcademy(database.db, { timeZone: 'Europe/London' });
  newYork = await seedAcademy(database.db, { timeZone: 'America/New_York' });
  scheduler = createScheduler({ db: database.db, now: () => NOW });
});

/** `createInput` with local start and end times on one date. */
const local = (academy: Academy, date: string, start: string, end: string, overrides: Parameters<typeof createInput>[1] = {}) =>
  createInput(academy, { startTime: { date, time: start }, endTime: { date, time: end }, ...overrides });

/** A facility of its own, so sessions of one test never meet another test's. */
const room = (academy: Academy) => addFacility(database.db, academy, { maxConcurrentSessions: 10 });

describe('sessions.create with local { date, time }', () => {
  it('reads a London wall time as GMT in January and BST in July, and returns it as local', async () => {
    const facilityId = await room(london);
    const winter = await scheduler.sessions.create(adminOf(london), local(london, '2027-01-12', '16:30', '17:30', { facilityId }));
    expect(iso(winter.session.startTime)).toBe('2027-01-12T16:30:00.000Z');
    expect(iso(winter.session.endTime)).toBe('2027-01-12T17:30:00.000Z');
    expect(winter.session.local).toEqual({
      timeZone: 'Europe/London',
      start: { date: '2027-01-12', time: '16:30', offset: '+00:00' },
      end: { date: '2027-01-12', time: '17:30', offset: '+00:00' },
    });

    const summer = await scheduler.sessions.create(adminOf(london), local(london, '2027-07-13', '16:30', '17:30', { facilityId }));
    expect(iso(summer.session.startTime)).toBe('2027-07-13T15:30:00.000Z');
    expect(summer.session.local).toEqual({
      timeZone: 'Europe/London',
      start: { date: '2027-07-13', time: '16:30', offset: '+01:00' },
      end: { date: '2027-07-13', time: '17:30', offset: '+01:00' },
    });
  });

  it('reads a New York wall time in New York: 16:30 is 21:30Z in January and 20:30Z in July', async () => {
    const facilityId = await room(newYork);
    const winter = await scheduler.sessions.create(adminOf(newYork), local(newYork, '2027-01-12', '16:30', '17:30', { facilityId }));
    const summer = await scheduler.sessions.create(adminOf(newYork), local(newYork, '2027-07-13', '16:30', '17:30', { facilityId }));
    expect([iso(winter.session.startTime), iso(summer.session.startTime)]).toEqual(['2027-01-12T21:30:00.000Z', '2027-07-13T20:30:00.000Z']);
    expect(winter.session.local.start).toEqual({ date: '2027-01-12', time: '16:30', offset: '-05:00' });
    expect(summer.session.local.start).toEqual({ date: '2027-07-13', time: '16:30', offset: '-04:00' });
  });

  it('moves a start in the spring-forward gap past it (2027-03-28 01:30 London is 02:30 BST); start and end are converted one by one', async () => {
    const facilityId = await room(london);
    const { session } = await scheduler.sessions.create(adminOf(london), local(london, '2027-03-28', '01:30', '03:00', { facilityId }));
    expect([iso(session.startTime), iso(session.endTime)]).toEqual(['2027-03-28T01:30:00.000Z', '2027-03-28T02:00:00.000Z']);
    expect(session.local).toEqual({
      timeZone: 'Europe/London',
      start: { date: '2027-03-28', time: '02:30', offset: '+01:00' },
      end: { date: '2027-03-28', time: '03:00', offset: '+01:00' },
    });
    // 01:30 (in the gap) and 02:30 BST are the same instant: an empty session, refused as the schema refuses one.
    const empty = await refused('INVALID_INPUT', () =>
      scheduler.sessions.create(adminOf(london), local(london, '2027-03-28', '01:30', '02:30', { facilityId })),
    );
    expect(empty.details.path).toEqual(['endTime']);
    expect(empty.message).toBe('Invalid input at endTime: endTime must be after startTime');
  });

  it('takes the earlier instant of a repeated fall-back time (2027-10-31 01:30 London is 01:30 BST)', async () => {
    const facilityId = await room(london);
    const { session } = await scheduler.sessions.create(adminOf(london), local(london, '2027-10-31', '01:30', '02:30', { facilityId }));
    // 01:30 BST = 00:30Z; 02:30 is after the change, GMT: the class lasts two real hours.
    expect([iso(session.startTime), iso(session.endTime)]).toEqual(['2027-10-31T00:30:00.000Z', '2027-10-31T02:30:00.000Z']);
    expect(session.local).toEqual({
      timeZone: 'Europe/London',
      start: { date: '2027-10-31', time: '01:30', offset: '+01:00' },
      end: { date: '2027-10-31', time: '02:30', offset: '+00:00' },
    });
  });

  it('mixes an instant and a local time, and renders local for a session given as instants', async () => {
    const facilityId = await room(london);
    const mixed = await scheduler.sessions.create(
      adminOf(london),
      createInput(london, { facilityId, startTime: '2027-07-14T09:00:00Z', endTime: { date: '2027-07-14', time: '11:00' } }),
    );
    expect([iso(mixed.session.startTime), iso(mixed.session.endTime)]).toEqual(['2027-07-14T09:00:00.000Z', '2027-07-14T10:00:00.000Z']);
    expect(mixed.session.local.start).toEqual({ date: '2027-07-14', time: '10:00', offset: '+01:00' });
  });

  it('refuses malformed local objects in the schema, at startTime.date / startTime.time, writing nothing', async () => {
    const admin = adminOf(london);
    const at_ = async (startTime: unknown) =>
      refused('INVALID_INPUT', () => scheduler.sessions.create(admin, { ...local(london, '2027-01-12', '10:00', '11:00'), startTime } as never));
    expect((await at_({ date: '2027-13-01', time: '10:00' })).details.path).toEqual(['startTime', 'date']);
    expect((await at_({ date: '2027-02-30', time: '10:00' })).details.path).toEqual(['startTime', 'date']);
    expect((await at_({ date: '2027-01-12', time: '4pm' })).details.path).toEqual(['startTime', 'time']);
    const missing = await at_({ date: '2027-01-12' });
    expect(missing.details.path).toEqual(['startTime', 'time']);
    const typo = await at_({ date: '2027-01-12', time: '10:00', timeZone: 'Europe/Paris' });
    expect(typo.details.path).toEqual(['startTime']);
    expect(typo.message).toContain('timeZone');
    const number = await at_(5);
    expect(number.details.path).toEqual(['startTime']);
    expect(number.message).toContain("{ date: 'YYYY-MM-DD', time: 'HH:MM' }");
    expectDocumentedDetails(number);
  });

  it('checks the time order after converting: an end before the start, or over 24 hours, is INVALID_INPUT at endTime', async () => {
    const admin = adminOf(london);
    const inverted = await refused('INVALID_INPUT', () => scheduler.sessions.create(admin, local(london, '2027-01-19', '17:30', '16:30')));
    expect(inverted.details).toMatchObject({ path: ['endTime'], issues: [{ path: ['endTime'], message: 'endTime must be after startTime' }] });
    const long = await refused('INVALID_INPUT', () =>
      scheduler.sessions.create(
        admin,
        createInput(london, { startTime: { date: '2027-01-19', time: '10:00' }, endTime: { date: '2027-01-20', time: '11:00' } }),
      ),
    );
    expect(long.message).toBe('Invalid input at endTime: a session lasts at most 24 hours');
  });

  it('needs the location to read local times: an unknown one is NOT_FOUND at locationId', async () => {
    const unknown = '7d1f3c3e-9d5b-4a55-8f6f-0e8c1d2b3a4f';
    const error = await refused('NOT_FOUND', () =>
      scheduler.sessions.create(adminOf(london), local(london, '2027-01-19', '10:00', '11:00', { locationId: unknown })),
    );
    expect(error.details.path).toEqual(['locationId']);
  });
});

describe('local on sessions.get, sessions.list, update and reschedule', () => {
  it('sessions.get gives the times in the location zone', async () => {
    const facilityId = await room(london);
    const { session } = await scheduler.sessions.create(adminOf(london), local(london, '2027-07-15', '18:00', '19:15', { facilityId }));
    const details = await scheduler.sessions.get(adminOf(london), { sessionId: session.id });
    expect(details.local).toEqual({
      timeZone: 'Europe/London',
      start: { date: '2027-07-15', time: '18:00', offset: '+01:00' },
      end: { date: '2027-07-15', time: '19:15', offset: '+01:00' },
    });
    expect(details.startTime).toEqual(session.startTime);
  });

  it('sessions.list takes the week of 11 January as local days, in the location zone or an explicit timeZone; each row has local', async () => {
    const admin = adminOf(london);
    const facilityId = await room(london);
    const make = (startTime: string) =>
      scheduler.sessions.create(
        admin,
        createInput(london, { facilityId, instructorId: null, startTime, endTime: iso(new Date(at(startTime).getTime() + 1_800_000)) }),
      );
    // London is on GMT in January: local midnight is 00:00Z.
    for (const start of ['2027-01-10T23:30:00Z', '2027-01-11T00:00:00Z', '2027-01-17T23:30:00Z', '2027-01-18T00:00:00Z']) await make(start);
    const week = { locationId: london.locationId, facilityId, from: { date: '2027-01-11' }, until: { date: '2027-01-18' } };

    const rows = await scheduler.sessions.list(admin, week);
    expect(rows.map((r) => iso(r.startTime))).toEqual(['2027-01-11T00:00:00.000Z', '2027-01-17T23:30:00.000Z']);
    expect(rows.map((r) => r.local)).toEqual([
      {
        timeZone: 'Europe/London',
        start: { date: '2027-01-11', time: '00:00', offset: '+00:00' },
        end: { date: '2027-01-11', time: '00:30', offset: '+00:00' },
      },
      {
        timeZone: 'Europe/London',
        start: { date: '2027-01-17', time: '23:30', offset: '+00:00' },
        end: { date: '2027-01-18', time: '00:00', offset: '+00:00' },
      },
    ]);
    // The same days in New York start five hours later; the rows still read in London time.
    const inNewYork = await scheduler.sessions.list(admin, { ...week, timeZone: 'America/New_York' });
    expect(inNewYork.map((r) => iso(r.startTime))).toEqual(['2027-01-17T23:30:00.000Z', '2027-01-18T00:00:00.000Z']);
    expect(inNewYork[1]!.local.start).toEqual({ date: '2027-01-18', time: '00:00', offset: '+00:00' });
    // An explicit zone needs no location; a local bound mixes with an instant.
    const anywhere = await scheduler.sessions.list(admin, {
      facilityId,
      from: '2027-01-11T00:00:00Z',
      until: { date: '2027-01-18' },
      timeZone: 'Europe/London',
    });
    expect(anywhere.map((r) => iso(r.startTime))).toEqual(['2027-01-11T00:00:00.000Z', '2027-01-17T23:30:00.000Z']);
  });

  it('sessions.list refuses a local day without a zone, a malformed one, and a range that is empty once converted', async () => {
    const admin = adminOf(london);
    const noZone = await refused('INVALID_INPUT', () => scheduler.sessions.list(admin, { from: { date: '2027-01-11' } }));
    expect(noZone.details.path).toEqual(['from']);
    expect(noZone.message).toBe("Invalid input at from: a local date needs a time zone: give timeZone, or locationId to read it in the location's zone");
    expect((await refused('INVALID_INPUT', () => scheduler.sessions.list(admin, { until: { date: '2027-01-18' } }))).details.path).toEqual(['until']);
    const malformed = await refused('INVALID_INPUT', () => scheduler.sessions.list(admin, { timeZone: 'Europe/London', from: { date: '2027-1-11' } }));
    expect(malformed.details.path).toEqual(['from', 'date']);
    const withTime = await refused('INVALID_INPUT', () =>
      scheduler.sessions.list(admin, { timeZone: 'Europe/London', from: { date: '2027-01-11', time: '10:00' } } as never),
    );
    expect(withTime.details.path).toEqual(['from']);
    const badZone = await refused('INVALID_INPUT', () => scheduler.sessions.list(admin, { timeZone: 'Mars/Olympus', from: { date: '2027-01-11' } }));
    expect(badZone.details.path).toEqual(['timeZone']);
    const empty = await refused('INVALID_INPUT', () =>
      scheduler.sessions.list(admin, { locationId: london.locationId, from: { date: '2027-01-18' }, until: { date: '2027-01-18' } }),
    );
    expect(empty.message).toBe('Invalid input at until: until must be after from');
  });

  it('sessions.update reads local times in the session location, or the new one when it moves; dry runs and reschedule too', async () => {
    const admin = adminOf(london);
    const facilityId = await room(london);
    const { session } = await scheduler.sessions.create(admin, local(london, '2027-01-20', '10:00', '11:00', { facilityId }));

    const summer = await scheduler.sessions.update(admin, {
      sessionId: session.id,
      startTime: { date: '2027-07-20', time: '10:00' },
      endTime: { date: '2027-07-20', time: '11:00' },
    });
    expect(iso(summer.session.startTime)).toBe('2027-07-20T09:00:00.000Z');
    expect(summer.session.local.start).toEqual({ date: '2027-07-20', time: '10:00', offset: '+01:00' });

    const dry = await scheduler.sessions.update(admin, {
      sessionId: session.id,
      startTime: { date: '2027-07-21', time: '10:00' },
      endTime: { date: '2027-07-21', time: '11:00' },
      dryRun: true,
    });
    expect(dry).toMatchObject({ applied: false, problems: [] });
    expect(dry.session.local.start).toEqual({ date: '2027-07-20', time: '10:00', offset: '+01:00' });

    const moved = await scheduler.sessions.update(admin, {
      sessionId: session.id,
      locationId: newYork.locationId,
      facilityId: await room(newYork),
      startTime: { date: '2027-07-20', time: '10:00' },
      endTime: { date: '2027-07-20', time: '11:00' },
    });
    expect(iso(moved.session.startTime)).toBe('2027-07-20T14:00:00.000Z');
    expect(moved.session.local).toEqual({
      timeZone: 'America/New_York',
      start: { date: '2027-07-20', time: '10:00', offset: '-04:00' },
      end: { date: '2027-07-20', time: '11:00', offset: '-04:00' },
    });

    const rescheduled = await scheduler.sessions.reschedule(admin, {
      sessionId: session.id,
      startTime: { date: '2027-11-02', time: '09:00' },
      endTime: { date: '2027-11-02', time: '10:00' },
    });
    // New York is still on EDT on 2 November 2027 (it falls back on the 7th).
    expect(iso(rescheduled.session.startTime)).toBe('2027-11-02T13:00:00.000Z');
    expect(rescheduled.session.local.start).toEqual({ date: '2027-11-02', time: '09:00', offset: '-04:00' });
  });

  it('sessions.update refuses local times that put the end before the start, given together or against the current end', async () => {
    const admin = adminOf(london);
    const { session } = await scheduler.sessions.create(admin, local(london, '2027-01-21', '10:00', '11:00', { facilityId: await room(london) }));
    const both = await refused('INVALID_INPUT', () =>
      scheduler.sessions.reschedule(admin, {
        sessionId: session.id,
        startTime: { date: '2027-01-21', time: '12:00' },
        endTime: { date: '2027-01-21', time: '11:30' },
      }),
    );
    expect(both.details.path).toEqual(['endTime']);
    const startOnly = await refused('INVALID_INPUT', () =>
      scheduler.sessions.update(admin, { sessionId: session.id, startTime: { date: '2027-01-21', time: '11:30' } }),
    );
    expect(startOnly.details.path).toEqual(['endTime']);
  });
});

describe('sessions in the past', () => {
  /** A scheduler whose clock reads 1 February 2027, 12:00Z. */
  const LATER = at('2027-02-01T12:00:00Z');
  let later: Scheduler;
  const teacher = (academy: Academy): Actor => ({ kind: 'instructor', userId: academy.adminId, instructorId: academy.instructorIds[1]! });
  beforeAll(() => {
    later = createScheduler({ db: database.db, now: () => LATER });
  });

  it('sessions.create refuses a start before the clock (INVALID_INPUT at startTime, reason in_the_past), saying when it starts and what now is', async () => {
    const error = await refused('INVALID_INPUT', () => later.sessions.create(adminOf(london), local(london, '2027-01-12', '16:30', '17:30')));
    expect(error.details).toMatchObject({ path: ['startTime'], reason: 'in_the_past' });
    expect(error.message).toBe(
      'Invalid input at startTime: the session would start at 2027-01-12T16:30:00.000Z (2027-01-12 16:30 in Europe/London), before now (2027-02-01T12:00:00.000Z); ' +
        'only administrators schedule a session in the past, with allowPast: true',
    );
    expectDocumentedDetails(error);
    const instants = await refused('INVALID_INPUT', () =>
      later.sessions.create(adminOf(london), createInput(london, { startTime: '2027-02-01T11:59:00Z', endTime: '2027-02-01T13:00:00Z' })),
    );
    expect(instants.details.reason).toBe('in_the_past');
    expect(instants.message).toContain('the session would start at 2027-02-01T11:59:00.000Z, before now (2027-02-01T12:00:00.000Z)');
  });

  it('accepts a start exactly at the clock, and a past start from an administrator who sets allowPast', async () => {
    const facilityId = await room(london);
    const atNow = await later.sessions.create(adminOf(london), createInput(london, { facilityId, startTime: LATER, endTime: '2027-02-01T13:00:00Z' }));
    expect(atNow.session.startTime).toEqual(LATER);
    const past = await later.sessions.create(adminOf(london), local(london, '2027-01-12', '09:00', '10:00', { facilityId, allowPast: true }));
    expect(iso(past.session.startTime)).toBe('2027-01-12T09:00:00.000Z');
    const system = await later.sessions.create(
      { kind: 'system', userId: london.adminId },
      local(london, '2027-01-13', '09:00', '10:00', { facilityId, allowPast: true }),
    );
    expect(system.session.status).toBe('scheduled');
  });

  it('refuses allowPast from an instructor (FORBIDDEN, even for a future start); without it their past start is in_the_past', async () => {
    const instructor = teacher(london);
    const forbidden = await refused('FORBIDDEN', () =>
      later.sessions.create(instructor, local(london, '2027-01-12', '09:00', '10:00', { instructorId: london.instructorIds[1]!, allowPast: true })),
    );
    expect(forbidden.details).toMatchObject({ actorKind: 'instructor', reason: 'administrators_only', path: ['allowPast'] });
    expect(forbidden.message).toBe('An instructor may not set allowPast (schedule a session in the past): only administrators (admin and system actors) may');
    expectDocumentedDetails(forbidden);
    await refused('FORBIDDEN', () =>
      later.sessions.create(instructor, local(london, '2027-03-12', '09:00', '10:00', { instructorId: london.instructorIds[1]!, allowPast: true })),
    );
    const past = await refused('INVALID_INPUT', () =>
      later.sessions.create(instructor, local(london, '2027-01-12', '09:00', '10:00', { instructorId: london.instructorIds[1]! })),
    );
    expect(past.details.reason).toBe('in_the_past');
    const future = await later.sessions.create(
      instructor,
      local(london, '2027-03-12', '09:00', '10:00', { instructorId: london.instructorIds[1]!, allowPast: false }),
    );
    expect(future.session.instructorId).toBe(london.instructorIds[1]);
  });

  it('sessions.update and reschedule refuse moving a start into the past; other changes of a past session, and moving it out of the past, go through', async () => {
    const admin = adminOf(london);
    const facilityId = await room(london);
    const { session } = await later.sessions.create(admin, local(london, '2027-02-10', '09:00', '10:00', { facilityId }));
    const intoThePast = await refused('INVALID_INPUT', () =>
      later.sessions.update(admin, { sessionId: session.id, startTime: { date: '2027-01-25', time: '09:00' }, endTime: { date: '2027-01-25', time: '10:00' } }),
    );
    expect(intoThePast.details).toMatchObject({ path: ['startTime'], reason: 'in_the_past', sessionId: session.id });
    expect(intoThePast.message).toContain('2027-01-25 09:00 in Europe/London');
    expect(
      (
        await refused('INVALID_INPUT', () =>
          later.sessions.reschedule(admin, { sessionId: session.id, startTime: '2027-01-31T09:00:00Z', endTime: '2027-01-31T10:00:00Z' }),
        )
      ).details.reason,
    ).toBe('in_the_past');
    await refused('FORBIDDEN', () =>
      later.sessions.reschedule(teacher(london), {
        sessionId: session.id,
        startTime: '2027-02-11T09:00:00Z',
        endTime: '2027-02-11T10:00:00Z',
        allowPast: true,
      }),
    );

    const moved = await later.sessions.reschedule(admin, {
      sessionId: session.id,
      startTime: { date: '2027-01-25', time: '09:00' },
      endTime: { date: '2027-01-25', time: '10:00' },
      allowPast: true,
    });
    expect(iso(moved.session.startTime)).toBe('2027-01-25T09:00:00.000Z');
    // Now in the past: its title and its end change without allowPast (the start stays), and it moves back to the future.
    const renamed = await later.sessions.update(admin, { sessionId: session.id, title: 'Swim club (was on)', endTime: { date: '2027-01-25', time: '10:30' } });
    expect(renamed.session).toMatchObject({ title: 'Swim club (was on)', startTime: at('2027-01-25T09:00:00Z'), endTime: at('2027-01-25T10:30:00Z') });
    const sameStart = await later.sessions.update(admin, { sessionId: session.id, startTime: { date: '2027-01-25', time: '09:00' } });
    expect(sameStart.applied).toBe(true);
    const back = await later.sessions.update(admin, {
      sessionId: session.id,
      startTime: { date: '2027-02-12', time: '09:00' },
      endTime: { date: '2027-02-12', time: '10:00' },
    });
    expect(back.session.local.start).toEqual({ date: '2027-02-12', time: '09:00', offset: '+00:00' });
  });
});

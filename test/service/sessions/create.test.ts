import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type Scheduler } from '../../../src';
import { useTestDatabase } from '../../support/database';
import { type Academy, seedAcademy, addFacility, createInput } from '../../support/fixtures';
import { refusalsIn } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;

beforeAll(async () => {
  academy = await seedAcademy(database.db);
  scheduler = createScheduler({ db: database.db });
});

const refused = refusalsIn(database);

describe('sessions.create', () => {
  it('creates a session with the policy default capacity and the actor as created_by', async () => {
    const { session, conflicts } = await scheduler.sessions.create(adminOf(academy), createInput(academy, { sessionPrice: 25, discountPercentage: 10 }));
    expect(session).toMatchObject({ capacity: 5, status: 'scheduled', createdBy: academy.adminId, sessionPrice: '25.00', discountPercentage: '10.00' });
    expect(session.sessionId).toMatch(/^SES-\d{4}-(?:\d+-)?\d{4,}$/);
    expect(conflicts).toEqual([]);
  });

  it('lets a back-to-back session of the same instructor through (half-open)', async () => {
    const { session } = await scheduler.sessions.create(
      adminOf(academy),
      createInput(academy, { facilityId: academy.lanesId, startTime: at('2030-01-15T16:00:00Z'), endTime: at('2030-01-15T17:00:00Z') }),
    );
    expect(session.status).toBe('scheduled');
  });

  it('refuses an overlapping session of the instructor, naming the session in the way, and writes nothing', async () => {
    const [first] = await database.db
      .select()
      .from(s.sessions)
      .where(eq(s.sessions.startTime, at('2030-01-15T15:00:00Z')));
    const error = await refused(() =>
      scheduler.sessions.create(
        adminOf(academy),
        createInput(academy, { facilityId: academy.lanesId, startTime: at('2030-01-15T15:30:00Z'), endTime: at('2030-01-15T15:45:00Z') }),
      ),
    );
    expect(error.code).toBe('INSTRUCTOR_DOUBLE_BOOKED');
    expect(error.details.conflictingSessionIds).toEqual([first!.id]);
    expect(error.details.conflictingSessionCodes).toEqual([first!.sessionId]);
  });

  it('refuses a facility overlap with another instructor (FACILITY_OVERLAP)', async () => {
    const [first] = await database.db
      .select()
      .from(s.sessions)
      .where(eq(s.sessions.startTime, at('2030-01-15T15:00:00Z')));
    const error = await refused(() =>
      scheduler.sessions.create(
        adminOf(academy),
        createInput(academy, { instructorId: academy.instructorIds[1]!, startTime: at('2030-01-15T15:30:00Z'), endTime: at('2030-01-15T16:30:00Z') }),
      ),
    );
    expect(error.code).toBe('FACILITY_OVERLAP');
    expect(error.details.conflictingSessionIds).toEqual([first!.id]);
  });

  it('refuses a capacity outside the policy (CAPACITY_POLICY_VIOLATION) and one larger than the room (CAPACITY_EXCEEDED)', async () => {
    const policy = await refused(() =>
      scheduler.sessions.create(
        adminOf(academy),
        createInput(academy, { capacity: 6, startTime: at('2030-02-01T10:00:00Z'), endTime: at('2030-02-01T11:00:00Z') }),
      ),
    );
    expect(policy.code).toBe('CAPACITY_POLICY_VIOLATION');
    expect(policy.details).toMatchObject({ reason: 'above_maximum', limit: 5, actual: 6 });

    const small = await addFacility(database.db, academy, { capacity: 3 });
    const room = await refused(() =>
      scheduler.sessions.create(
        adminOf(academy),
        createInput(academy, { facilityId: small, capacity: 5, startTime: at('2030-02-01T10:00:00Z'), endTime: at('2030-02-01T11:00:00Z') }),
      ),
    );
    expect(room.code).toBe('CAPACITY_EXCEEDED');
    expect(room.details).toMatchObject({ reason: 'facility_capacity', facilityCapacity: 3 });

    // Without an explicit capacity the room's size is the default.
    const { session } = await scheduler.sessions.create(
      adminOf(academy),
      createInput(academy, { facilityId: small, startTime: at('2030-02-01T10:00:00Z'), endTime: at('2030-02-01T11:00:00Z') }),
    );
    expect(session.capacity).toBe(3);
  });

  it('with an admin override, creates the overlapping session and records each conflict as resolved by manual_override', async () => {
    const [first] = await database.db
      .select()
      .from(s.sessions)
      .where(eq(s.sessions.startTime, at('2030-01-15T15:00:00Z')));
    const { session, conflicts } = await scheduler.sessions.create(
      adminOf(academy),
      createInput(academy, { startTime: at('2030-01-15T15:15:00Z'), endTime: at('2030-01-15T15:45:00Z'), override: true }),
    );
    expect(conflicts.map((c) => [c.conflictType, c.conflictingSessionId, c.status, c.resolutionMethod, c.resolvedBy, c.detectedBy]).sort()).toEqual(
      [
        ['facility_overlap', first!.id, 'resolved', 'manual_override', academy.adminId, academy.adminId],
        ['instructor_double_booking', first!.id, 'resolved', 'manual_override', academy.adminId, academy.adminId],
      ].sort(),
    );
    expect(conflicts.every((c) => c.sessionId === session.id)).toBe(true);
  });

  it('refuses an override from anyone but an administrator (FORBIDDEN), writing nothing', async () => {
    const instructor = { kind: 'instructor' as const, userId: academy.adminId, instructorId: academy.instructorIds[0]! };
    const error = await refused(() =>
      scheduler.sessions.create(
        instructor,
        createInput(academy, { startTime: at('2030-01-15T15:30:00Z'), endTime: at('2030-01-15T16:30:00Z'), override: true }),
      ),
    );
    expect(error.code).toBe('FORBIDDEN');
    const parent = await refused(() =>
      scheduler.sessions.create(
        { kind: 'parent', userId: academy.adminId },
        createInput(academy, { startTime: at('2030-03-01T10:00:00Z'), endTime: at('2030-03-01T11:00:00Z') }),
      ),
    );
    expect(parent.code).toBe('FORBIDDEN');
  });

  it('allows a session outside the instructor availability but records an availability_mismatch', async () => {
    const coach = academy.instructorIds[2]!;
    await database.db.insert(s.instructorAvailability).values({
      instructorId: coach,
      availabilityType: 'regular',
      dayOfWeek: 1,
      startTime: '09:00:00',
      endTime: '12:00:00',
      effectiveFrom: '2030-01-01',
    });
    // 2030-03-04 is a Monday; 14:00 New York is outside 09:00–12:00.
    const { conflicts } = await scheduler.sessions.create(
      adminOf(academy),
      createInput(academy, { instructorId: coach, facilityId: academy.lanesId, startTime: at('2030-03-04T19:00:00Z'), endTime: at('2030-03-04T20:00:00Z') }),
    );
    expect(conflicts.map((c) => [c.conflictType, c.status, c.detectedBy])).toEqual([['availability_mismatch', 'detected', academy.adminId]]);
    const inside = await scheduler.sessions.create(
      adminOf(academy),
      createInput(academy, { instructorId: coach, facilityId: academy.lanesId, startTime: at('2030-03-04T15:00:00Z'), endTime: at('2030-03-04T16:00:00Z') }),
    );
    expect(inside.conflicts).toEqual([]);
  });
});

describe('hostile input to sessions.create', () => {
  it('refuses malformed ids, unknown ids, inverted times and bad actors with typed errors, writing nothing', async () => {
    const admin = adminOf(academy);
    const bad = await refused(() => scheduler.sessions.create(admin, createInput(academy, { facilityId: 'not-a-uuid' })));
    expect(bad.code).toBe('INVALID_INPUT');
    expect(bad.details.path).toEqual(['facilityId']);

    const unknown = await refused(() => scheduler.sessions.create(admin, createInput(academy, { locationId: '00000000-0000-4000-8000-000000000000' })));
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.details.path).toEqual(['locationId']);

    const unknownCourse = await refused(() =>
      scheduler.sessions.create(
        admin,
        createInput(academy, { courseId: '00000000-0000-4000-8000-000000000000', startTime: at('2030-06-01T10:00:00Z'), endTime: at('2030-06-01T11:00:00Z') }),
      ),
    );
    expect(unknownCourse.code).toBe('NOT_FOUND');
    // Refused by the foreign key (no look-up of its own): the column in the key names the field.
    expect(unknownCourse.details.path).toEqual(['courseId']);

    const inverted = await refused(() =>
      scheduler.sessions.create(admin, createInput(academy, { startTime: at('2030-06-01T11:00:00Z'), endTime: at('2030-06-01T10:00:00Z') })),
    );
    expect(inverted.code).toBe('INVALID_INPUT');
    expect(inverted.details.path).toEqual(['endTime']);

    // Text Postgres cannot hold as given (a NUL, an unpaired surrogate) is refused before anything is sent, on every path.
    for (const title of ['Swim \u0000 club', 'Swim \uD800 club', 'Swim \uDC00']) {
      const unstorable = await refused(() =>
        scheduler.sessions.create(admin, createInput(academy, { title, startTime: at('2030-06-02T10:00:00Z'), endTime: at('2030-06-02T11:00:00Z') })),
      );
      expect(unstorable.code).toBe('INVALID_INPUT');
      expect(unstorable.details.path).toEqual(['title']);
    }
    expect(
      (
        await scheduler.sessions.create(
          admin,
          createInput(academy, { title: 'Swim 🏊 club', startTime: at('2030-06-02T10:00:00Z'), endTime: at('2030-06-02T11:00:00Z') }),
        )
      ).session.title,
    ).toBe('Swim 🏊 club');

    const invalidDate = await refused(() => scheduler.sessions.create(admin, createInput(academy, { startTime: new Date('nonsense') })));
    expect(invalidDate.code).toBe('INVALID_INPUT');
    expect(invalidDate.details.path).toEqual(['startTime']);

    const otherLocationFacility = await refused(async () => {
      const [elsewhere] = await database.db
        .insert(s.locations)
        .values({ code: `L-${Math.random()}`, name: 'Other', timezone: 'Europe/London' })
        .returning();
      const [room] = await database.db
        .insert(s.facilities)
        .values({ code: `F-${Math.random()}`, name: 'Far', locationId: elsewhere!.id })
        .returning();
      await database.db.delete(s.facilities).where(eq(s.facilities.id, room!.id));
      await database.db.delete(s.locations).where(eq(s.locations.id, elsewhere!.id));
      return scheduler.sessions.create(admin, createInput(academy, { facilityId: room!.id }));
    });
    expect(otherLocationFacility.code).toBe('NOT_FOUND');

    const actor = await refused(() => scheduler.sessions.create({ kind: 'admin', userId: 'bob' }, createInput(academy)));
    expect(actor.code).toBe('INVALID_INPUT');
    expect(actor.details.path).toEqual(['actor', 'userId']);

    const noUser = await refused(() =>
      scheduler.sessions.create({ kind: 'admin' }, createInput(academy, { startTime: at('2030-06-02T10:00:00Z'), endTime: at('2030-06-02T11:00:00Z') })),
    );
    expect(noUser.code).toBe('INVALID_INPUT');
    expect(noUser.details.path).toEqual(['actor', 'userId']);

    const extra = await refused(() => scheduler.sessions.create(admin, { ...createInput(academy), colour: 'red' } as never));
    expect(extra.code).toBe('INVALID_INPUT');
  });

  it('refuses a bad policy at construction with INVALID_INPUT', () => {
    expect(() => createScheduler({ db: database.db, policy: { group: { max: 60 } } })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

/**
 * `scheduler.academy`: the academy's people, places and programs, created and changed
 * through the scheduler. Administrators and `system` only; bad input is INVALID_INPUT
 * at its field (a time-zone typo at `timeZone`, a code or e-mail already taken at
 * `code` / `email`); unknown ids are NOT_FOUND at their field; a refusal writes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type Actor, type Scheduler } from '../../../src';
import { useTestDatabase } from '../../support/database';
import { type Academy, insertSession, seedAcademy } from '../../support/fixtures';
import { refusalsIn } from '../../support/refusals';
import { adminOf, instructorOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
const refused = refusalsIn(database);
let academy: Academy;
let scheduler: Scheduler;
let admin: Actor;
const system: Actor = { kind: 'system' };
/** A level and a holiday for the update cases, and a second student linked to the parent. */
let levelId: string;
let holidayId: string;

const UNKNOWN = '7d1f3c3e-9d5b-4a55-8f6f-0e8c1d2b3a4f';
let counter = 0;
/** A code or e-mail no other test uses. */
const fresh = (prefix: string) => `${prefix}-${++counter}`;
const email = (name: string) => `${fresh(name)}@academy.test`;

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 2 });
  admin = adminOf(academy);
  scheduler = createScheduler({ db: database.db, now: () => at('2030-01-01T08:00:00Z') });
  await scheduler.sessions.list(admin, {}); // the one-time capacity-policy sync is not a change
  levelId = (await scheduler.academy.createLevel(admin, { code: fresh('ANY'), name: 'Any' })).id;
  holidayId = (await scheduler.academy.createHoliday(admin, { holidayDate: '2032-12-25', name: 'Christmas' })).id;
  await scheduler.academy.linkParentStudent(admin, { parentId: academy.parentId, studentId: academy.studentIds[1]! });
});

/** A date no other call of this file uses. */
const freshDate = () => new Date(Date.UTC(2040, 0, 1) + ++counter * 86_400_000).toISOString().slice(0, 10);

type Group = Scheduler['academy'];
type Call = (actor: Actor) => Promise<unknown>;

/**
 * One case per method: a valid call, a call with a bad field (refused at `badPath`),
 * and a call naming an unknown id (refused at `unknownPath`). Built lazily: the ids
 * exist once `beforeAll` has run.
 */
function cases(a: Group): Record<keyof Group, { valid: Call; bad: [Call, string]; unknown: [Call, string] }> {
  const { locationId, poolId, instructorIds, studentIds, parentId, programId, courseId, adminId } = academy;
  return {
    createUser: {
      valid: (actor) => a.createUser(actor, { email: email('user'), fullName: 'Front desk', role: 'staff' }),
      bad: [(actor) => a.createUser(actor, { email: 'not an e-mail', role: 'admin' }), 'email'],
      unknown: [(actor) => a.updateUser(actor, { userId: UNKNOWN, fullName: 'X' }), 'userId'],
    },
    updateUser: {
      valid: (actor) => a.updateUser(actor, { userId: adminId, fullName: 'Office' }),
      bad: [(actor) => a.updateUser(actor, { userId: adminId, role: 'owner' as never }), 'role'],
      unknown: [(actor) => a.updateUser(actor, { userId: UNKNOWN }), 'userId'],
    },
    createLocation: {
      valid: (actor) => a.createLocation(actor, { code: fresh('LOC'), name: 'Annex', timeZone: 'Europe/London' }),
      bad: [(actor) => a.createLocation(actor, { code: fresh('LOC'), name: 'Annex', timeZone: 'Europe/Londn' }), 'timeZone'],
      unknown: [(actor) => a.updateLocation(actor, { locationId: UNKNOWN, name: 'X' }), 'locationId'],
    },
    updateLocation: {
      valid: (actor) => a.updateLocation(actor, { locationId, address: '1 Pool Lane' }),
      bad: [(actor) => a.updateLocation(actor, { locationId, code: '' }), 'code'],
      unknown: [(actor) => a.updateLocation(actor, { locationId: UNKNOWN }), 'locationId'],
    },
    createFacility: {
      valid: (actor) => a.createFacility(actor, { locationId, code: fresh('ROOM'), name: 'Studio', capacity: 10 }),
      bad: [(actor) => a.createFacility(actor, { locationId, code: fresh('ROOM'), name: 'Studio', capacity: 0 }), 'capacity'],
      unknown: [(actor) => a.createFacility(actor, { locationId: UNKNOWN, code: fresh('ROOM'), name: 'Studio' }), 'locationId'],
    },
    updateFacility: {
      valid: (actor) => a.updateFacility(actor, { facilityId: poolId, facilityType: 'pool' }),
      bad: [(actor) => a.updateFacility(actor, { facilityId: poolId, maxConcurrentSessions: 0 }), 'maxConcurrentSessions'],
      unknown: [(actor) => a.updateFacility(actor, { facilityId: UNKNOWN }), 'facilityId'],
    },
    createInstructor: {
      valid: (actor) => a.createInstructor(actor, { email: email('coach'), firstName: 'Maya', lastName: 'Ortiz' }),
      bad: [(actor) => a.createInstructor(actor, { email: email('coach'), firstName: '', lastName: 'Ortiz' }), 'firstName'],
      unknown: [(actor) => a.createInstructor(actor, { email: email('coach'), firstName: 'Maya', lastName: 'Ortiz', userId: UNKNOWN }), 'userId'],
    },
    updateInstructor: {
      valid: (actor) => a.updateInstructor(actor, { instructorId: instructorIds[2]!, lastName: 'Brooks' }),
      bad: [(actor) => a.updateInstructor(actor, { instructorId: instructorIds[2]!, email: 'nope' }), 'email'],
      unknown: [(actor) => a.updateInstructor(actor, { instructorId: UNKNOWN }), 'instructorId'],
    },
    createStudent: {
      valid: (actor) => a.createStudent(actor, { firstName: 'Ada', lastName: 'Okafor', dateOfBirth: '2022-05-01' }),
      bad: [(actor) => a.createStudent(actor, { firstName: 'Ada', lastName: 'Okafor', dateOfBirth: '2022-02-30' }), 'dateOfBirth'],
      unknown: [(actor) => a.createStudent(actor, { firstName: 'Ada', lastName: 'Okafor', levelId: UNKNOWN }), 'levelId'],
    },
    updateStudent: {
      valid: (actor) => a.updateStudent(actor, { studentId: studentIds[1]!, dateOfBirth: '2021-01-01' }),
      bad: [(actor) => a.updateStudent(actor, { studentId: studentIds[1]!, lastName: 'x'.repeat(101) }), 'lastName'],
      unknown: [(actor) => a.updateStudent(actor, { studentId: UNKNOWN }), 'studentId'],
    },
    createParent: {
      valid: (actor) => a.createParent(actor, { firstName: 'Grace', lastName: 'Okafor', email: email('grace') }),
      bad: [(actor) => a.createParent(actor, { firstName: 'Grace', lastName: 'Okafor', phone: 'x'.repeat(51) }), 'phone'],
      unknown: [(actor) => a.createParent(actor, { firstName: 'Grace', lastName: 'Okafor', userId: UNKNOWN }), 'userId'],
    },
    updateParent: {
      valid: (actor) => a.updateParent(actor, { parentId, phone: '+44 20 7946 0000' }),
      bad: [(actor) => a.updateParent(actor, { parentId, email: '@' }), 'email'],
      unknown: [(actor) => a.updateParent(actor, { parentId: UNKNOWN }), 'parentId'],
    },
    linkParentStudent: {
      valid: (actor) => a.linkParentStudent(actor, { parentId, studentId: studentIds[0]! }),
      bad: [(actor) => a.linkParentStudent(actor, { parentId, studentId: 'STU-2030-0001' }), 'studentId'],
      unknown: [(actor) => a.linkParentStudent(actor, { parentId: UNKNOWN, studentId: studentIds[0]! }), 'parentId'],
    },
    unlinkParentStudent: {
      // Linked again first (a no-op while the link exists), so that each call has a link to remove.
      valid: async (actor) => {
        await a.linkParentStudent(system, { parentId, studentId: studentIds[1]! });
        return a.unlinkParentStudent(actor, { parentId, studentId: studentIds[1]! });
      },
      bad: [(actor) => a.unlinkParentStudent(actor, { parentId: 'PAR-2030-0001', studentId: studentIds[0]! }), 'parentId'],
      unknown: [(actor) => a.unlinkParentStudent(actor, { parentId, studentId: UNKNOWN }), 'studentId'],
    },
    createProgram: {
      valid: (actor) => a.createProgram(actor, { code: fresh('MUSIC'), name: 'Music' }),
      bad: [(actor) => a.createProgram(actor, { code: 'x'.repeat(51), name: 'Music' }), 'code'],
      unknown: [(actor) => a.updateProgram(actor, { programId: UNKNOWN, name: 'Music' }), 'programId'],
    },
    updateProgram: {
      valid: (actor) => a.updateProgram(actor, { programId, description: 'Learn to swim' }),
      bad: [(actor) => a.updateProgram(actor, { programId, isActive: 'yes' as never }), 'isActive'],
      unknown: [(actor) => a.updateProgram(actor, { programId: UNKNOWN }), 'programId'],
    },
    createLevel: {
      valid: (actor) => a.createLevel(actor, { programId, code: fresh('L'), name: 'Level', sortOrder: 1 }),
      bad: [(actor) => a.createLevel(actor, { programId, code: fresh('L'), name: 'Level', sortOrder: 1.5 }), 'sortOrder'],
      unknown: [(actor) => a.createLevel(actor, { programId: UNKNOWN, code: fresh('L'), name: 'Level' }), 'programId'],
    },
    updateLevel: {
      valid: (actor) => a.updateLevel(actor, { levelId, name: 'Any level' }),
      bad: [(actor) => a.updateLevel(actor, { levelId: 'L1', name: 'Level' }), 'levelId'],
      unknown: [(actor) => a.updateLevel(actor, { levelId: UNKNOWN }), 'levelId'],
    },
    createCourse: {
      valid: (actor) => a.createCourse(actor, { programId, code: fresh('C'), name: 'Course' }),
      bad: [(actor) => a.createCourse(actor, { programId, code: fresh('C'), name: ' ' }), 'name'],
      unknown: [(actor) => a.createCourse(actor, { programId: UNKNOWN, code: fresh('C'), name: 'Course' }), 'programId'],
    },
    updateCourse: {
      valid: (actor) => a.updateCourse(actor, { courseId, description: 'Weekly club' }),
      bad: [(actor) => a.updateCourse(actor, { courseId, extra: true } as never), ''],
      unknown: [(actor) => a.updateCourse(actor, { courseId, levelId: UNKNOWN }), 'levelId'],
    },
    createHoliday: {
      valid: (actor) => a.createHoliday(actor, { locationId, holidayDate: freshDate(), name: 'Closed' }),
      bad: [(actor) => a.createHoliday(actor, { holidayDate: '2031-12-25T00:00:00Z', name: 'Christmas' }), 'holidayDate'],
      unknown: [(actor) => a.createHoliday(actor, { locationId: UNKNOWN, holidayDate: '2031-12-25', name: 'Christmas' }), 'locationId'],
    },
    updateHoliday: {
      valid: (actor) => a.updateHoliday(actor, { holidayId, name: 'Christmas Day' }),
      bad: [(actor) => a.updateHoliday(actor, { holidayId: UNKNOWN, holidayDate: '25/12/2032' }), 'holidayDate'],
      unknown: [(actor) => a.updateHoliday(actor, { holidayId: UNKNOWN }), 'holidayId'],
    },
  };
}

const METHODS = [
  'createUser',
  'updateUser',
  'createLocation',
  'updateLocation',
  'createFacility',
  'updateFacility',
  'createInstructor',
  'updateInstructor',
  'createStudent',
  'updateStudent',
  'createParent',
  'updateParent',
  'linkParentStudent',
  'unlinkParentStudent',
  'createProgram',
  'updateProgram',
  'createLevel',
  'updateLevel',
  'createCourse',
  'updateCourse',
  'createHoliday',
  'updateHoliday',
] as const satisfies ReadonlyArray<keyof Group>;

describe('every method of scheduler.academy', () => {
  it('is listed here', () => {
    expect(Object.keys(scheduler.academy).sort()).toEqual([...METHODS].sort());
  });

  it.each(METHODS)('%s: instructors, parents and students are FORBIDDEN, and nothing is written', async (method) => {
    const { valid } = cases(scheduler.academy)[method];
    const others: Actor[] = [instructorOf(academy, 0), { kind: 'parent', parentId: academy.parentId }, { kind: 'student', studentId: academy.studentIds[0]! }];
    for (const actor of others) {
      expect(await refused('FORBIDDEN', () => valid(actor))).toMatchObject({ details: { actorKind: actor.kind } });
    }
  });

  it.each(METHODS)('%s: bad input is INVALID_INPUT at the field, unknown ids NOT_FOUND at theirs, and nothing is written', async (method) => {
    const { bad, unknown } = cases(scheduler.academy)[method];
    const [badCall, badPath] = bad;
    expect((await refused('INVALID_INPUT', () => badCall(admin))).details.path).toEqual(badPath ? [badPath] : []);
    const [unknownCall, unknownPath] = unknown;
    expect(await refused('NOT_FOUND', () => unknownCall(admin))).toMatchObject({ details: { path: [unknownPath] } });
  });

  it.each(METHODS)('%s: an administrator and the system may', async (method) => {
    const { valid } = cases(scheduler.academy)[method];
    await expect(valid(admin)).resolves.toBeTruthy();
    await expect(valid(system)).resolves.toBeTruthy();
  });
});

describe('users', () => {
  it('the system creates the first administrator, whose id then acts (actor.userId)', async () => {
    const office = await scheduler.academy.createUser(system, { email: email('office'), fullName: 'Front desk', role: 'admin' });
    expect(office).toMatchObject({ fullName: 'Front desk', role: 'admin', id: expect.any(String) });
    const frontDesk: Actor = { kind: 'admin', userId: office.id };
    const location = await scheduler.academy.createLocation(frontDesk, { code: fresh('SITE'), name: 'Site', timeZone: 'UTC' });
    const { session } = await scheduler.sessions.create(frontDesk, {
      programId: academy.programId,
      courseId: academy.courseId,
      locationId: location.id,
      facilityId: (await scheduler.academy.createFacility(frontDesk, { locationId: location.id, code: fresh('F'), name: 'Room' })).id,
      sessionType: 'group',
      title: 'Made by the new admin',
      startTime: at('2030-06-01T10:00:00Z'),
      endTime: at('2030-06-01T11:00:00Z'),
    });
    expect(session.createdBy).toBe(office.id);
  });

  it('an e-mail already taken is INVALID_INPUT at email; updating changes only what is given', async () => {
    const taken = email('taken');
    const user = await scheduler.academy.createUser(admin, { email: taken, role: 'parent' });
    expect(await refused('INVALID_INPUT', () => scheduler.academy.createUser(admin, { email: taken, role: 'staff' }))).toMatchObject({
      details: { path: ['email'], sqlstate: '23505', constraint: 'users_email_unique' },
    });
    const renamed = await scheduler.academy.updateUser(admin, { userId: user.id, fullName: 'Grace Okafor' });
    expect(renamed).toMatchObject({ id: user.id, email: taken, role: 'parent', fullName: 'Grace Okafor' });
    // Nothing to change: the row as it is.
    expect(await scheduler.academy.updateUser(admin, { userId: user.id })).toEqual(renamed);
    expect((await scheduler.academy.updateUser(admin, { userId: user.id, fullName: null })).fullName).toBeNull();
  });
});

describe('locations', () => {
  it('a time-zone typo is INVALID_INPUT at timeZone before the database is asked', async () => {
    const error = await refused('INVALID_INPUT', () =>
      scheduler.academy.createLocation(admin, { code: fresh('LOC'), name: 'Annex', timeZone: 'Europe/Lodnon' }),
    );
    expect(error.details).toMatchObject({ path: ['timeZone'] });
    expect(error.details.sqlstate).toBeUndefined();
    expect(error.message).toMatch(/unknown IANA time zone/);
  });

  it("a zone the runtime knows but the database's list does not (wrong case) is INVALID_INPUT at timeZone too", async () => {
    const error = await refused('INVALID_INPUT', () =>
      scheduler.academy.createLocation(admin, { code: fresh('LOC'), name: 'Annex', timeZone: 'europe/london' }),
    );
    expect(error.details).toMatchObject({ path: ['timeZone'], sqlstate: 'SC010' });
  });

  it('creates and changes a location; a code already taken is INVALID_INPUT at code', async () => {
    const code = fresh('LDN');
    const location = await scheduler.academy.createLocation(admin, { code, name: 'Dolphins London', timeZone: 'Europe/London', address: '1 Pool Lane' });
    expect(location).toMatchObject({ code, name: 'Dolphins London', timezone: 'Europe/London', address: '1 Pool Lane', isActive: true });
    expect(await refused('INVALID_INPUT', () => scheduler.academy.createLocation(admin, { code, name: 'Again', timeZone: 'UTC' }))).toMatchObject({
      details: { path: ['code'], constraint: 'locations_code_unique' },
    });
    const moved = await scheduler.academy.updateLocation(admin, { locationId: location.id, timeZone: 'Europe/Dublin', address: null, isActive: false });
    expect(moved).toMatchObject({ id: location.id, code, timezone: 'Europe/Dublin', address: null, isActive: false });
    expect(moved.updatedAt!.getTime()).toBeGreaterThanOrEqual(location.updatedAt!.getTime());
    expect(
      await refused('INVALID_INPUT', () => scheduler.academy.updateLocation(admin, { locationId: location.id, timeZone: 'Mars/Olympus_Mons' })),
    ).toMatchObject({
      details: { path: ['timeZone'] },
    });
  });
});

describe('facilities and instructors', () => {
  it('a lower limit under overlapping sessions is refused, and an administrator override lets it through', async () => {
    const room = await scheduler.academy.createFacility(admin, {
      locationId: academy.locationId,
      code: fresh('POOL'),
      name: 'Two lanes',
      maxConcurrentSessions: 2,
      capacity: 12,
    });
    expect(room).toMatchObject({ locationId: academy.locationId, maxConcurrentSessions: 2, capacity: 12, isActive: true });
    const slot = { facilityId: room.id, startTime: at('2030-07-01T10:00:00Z'), endTime: at('2030-07-01T11:00:00Z') };
    await insertSession(database.db, academy, { ...slot, instructorId: academy.instructorIds[0]! });
    await insertSession(database.db, academy, { ...slot, instructorId: academy.instructorIds[1]! });
    expect(await refused('FACILITY_OVERLAP', () => scheduler.academy.updateFacility(admin, { facilityId: room.id, maxConcurrentSessions: 1 }))).toMatchObject({
      details: { reason: 'limit_lowered' },
    });
    expect(await refused('CAPACITY_EXCEEDED', () => scheduler.academy.updateFacility(admin, { facilityId: room.id, capacity: 2 }))).toMatchObject({
      details: { reason: 'facility_capacity' },
    });
    const lowered = await scheduler.academy.updateFacility(admin, { facilityId: room.id, maxConcurrentSessions: 1, override: true });
    expect(lowered.maxConcurrentSessions).toBe(1);
    const [conflict] = await database.db.select().from(s.scheduleConflicts).where(eq(s.scheduleConflicts.facilityId, room.id));
    expect(conflict).toMatchObject({ status: 'resolved', resolutionMethod: 'manual_override' });
  });

  it('a facility holding sessions cannot move to another location (INVALID_INPUT at locationId)', async () => {
    await insertSession(database.db, academy, { startTime: at('2030-07-02T10:00:00Z'), endTime: at('2030-07-02T11:00:00Z') });
    const elsewhere = await scheduler.academy.createLocation(admin, { code: fresh('ELSE'), name: 'Elsewhere', timeZone: 'America/New_York' });
    expect(
      await refused('INVALID_INPUT', () => scheduler.academy.updateFacility(admin, { facilityId: academy.poolId, locationId: elsewhere.id })),
    ).toMatchObject({
      details: { path: ['locationId'], constraint: 'chk_session_facility_location' },
    });
  });

  it('an override is FORBIDDEN to everyone but administrators', async () => {
    expect(
      await refused('FORBIDDEN', () => scheduler.academy.updateFacility(instructorOf(academy, 0), { facilityId: academy.poolId, override: true })),
    ).toBeTruthy();
  });

  it('instructors: created with their login, e-mails unique, changed', async () => {
    const login = await scheduler.academy.createUser(admin, { email: email('maya-login'), role: 'instructor' });
    const address = email('maya');
    const maya = await scheduler.academy.createInstructor(admin, {
      email: address,
      firstName: 'Maya',
      lastName: 'Ortiz',
      userId: login.id,
      maxConcurrentSessions: 2,
    });
    expect(maya).toMatchObject({ email: address, userId: login.id, maxConcurrentSessions: 2, isActive: true });
    expect(
      await refused('INVALID_INPUT', () => scheduler.academy.createInstructor(admin, { email: address, firstName: 'Another', lastName: 'Maya' })),
    ).toMatchObject({ details: { path: ['email'], constraint: 'instructors_email_unique' } });
    expect(await scheduler.academy.updateInstructor(admin, { instructorId: maya.id, isActive: false, userId: null })).toMatchObject({
      isActive: false,
      userId: null,
      firstName: 'Maya',
    });
  });
});

describe('students, parents and their links', () => {
  it('a parent books only once linked to the student, and no longer after the link is removed', async () => {
    const parent = await scheduler.academy.createParent(admin, { firstName: 'Jin', lastName: 'Park', email: email('jin') });
    expect(parent.parentId).toMatch(/^PAR-\d{4}-\d{4,}$/);
    const child = await scheduler.academy.createStudent(admin, { firstName: 'Cleo', lastName: 'Park', dateOfBirth: '2022-03-04' });
    expect(child).toMatchObject({ firstName: 'Cleo', dateOfBirth: '2022-03-04', isActive: true, studentId: expect.stringMatching(/^STU-/) });
    const session = await insertSession(database.db, academy, { startTime: at('2030-08-01T10:00:00Z'), endTime: at('2030-08-01T11:00:00Z') });
    const jin: Actor = { kind: 'parent', parentId: parent.id };
    expect(await refused('FORBIDDEN', () => scheduler.bookings.book(jin, { sessionId: session.id, studentId: child.id }))).toBeTruthy();

    expect(await scheduler.academy.linkParentStudent(admin, { parentId: parent.id, studentId: child.id })).toEqual({
      parentId: parent.id,
      studentId: child.id,
      relationship: 'parent',
    });
    // Linking again changes the relationship, never duplicates the link.
    expect(await scheduler.academy.linkParentStudent(admin, { parentId: parent.id, studentId: child.id, relationship: 'guardian' })).toMatchObject({
      relationship: 'guardian',
    });
    const booked = await scheduler.bookings.book(jin, { sessionId: session.id, studentId: child.id });
    expect(booked.outcome).toBe('confirmed');

    expect(await scheduler.academy.unlinkParentStudent(admin, { parentId: parent.id, studentId: child.id })).toMatchObject({ relationship: 'guardian' });
    expect(await refused('NOT_FOUND', () => scheduler.academy.unlinkParentStudent(admin, { parentId: parent.id, studentId: child.id }))).toMatchObject({
      details: { path: ['studentId'], id: child.id },
    });
    expect(await refused('FORBIDDEN', () => scheduler.bookings.upcomingForStudent(jin, { studentId: child.id }))).toBeTruthy();
  });

  it('a student at a level; a parent changed', async () => {
    const level = await scheduler.academy.createLevel(admin, { programId: academy.programId, code: fresh('L2'), name: 'Level 2', sortOrder: 2 });
    const student = await scheduler.academy.createStudent(admin, { firstName: 'Dev', lastName: 'Sharma', levelId: level.id });
    expect(student.levelId).toBe(level.id);
    expect(await scheduler.academy.updateStudent(admin, { studentId: student.id, levelId: null, isActive: false })).toMatchObject({
      levelId: null,
      isActive: false,
    });
    expect(await scheduler.academy.updateParent(admin, { parentId: academy.parentId, email: null, phone: '555-0100' })).toMatchObject({
      email: null,
      phone: '555-0100',
    });
  });
});

describe('programs, levels and courses', () => {
  it("a course's level is its program's or every program's; another program's is INVALID_INPUT at levelId", async () => {
    const swim = academy.programId;
    const music = await scheduler.academy.createProgram(admin, { code: fresh('MUSIC'), name: 'Music', description: 'Strings' });
    expect(music).toMatchObject({ name: 'Music', description: 'Strings', isActive: true });
    const grade1 = await scheduler.academy.createLevel(admin, { programId: music.id, code: fresh('G1'), name: 'Grade 1' });
    const shared = await scheduler.academy.createLevel(admin, { code: fresh('ANY'), name: 'Beginners' });
    expect(grade1).toMatchObject({ programId: music.id, sortOrder: 0 });
    expect(shared.programId).toBeNull();
    const violin = await scheduler.academy.createCourse(admin, { programId: music.id, levelId: grade1.id, code: fresh('VIOLIN'), name: 'Violin' });
    expect(violin).toMatchObject({ programId: music.id, levelId: grade1.id, isActive: true });
    expect(await scheduler.academy.createCourse(admin, { programId: swim, levelId: shared.id, code: fresh('SPLASH'), name: 'Splash' })).toMatchObject({
      levelId: shared.id,
    });
    expect(
      await refused('INVALID_INPUT', () => scheduler.academy.createCourse(admin, { programId: swim, levelId: grade1.id, code: fresh('X'), name: 'X' })),
    ).toMatchObject({ details: { path: ['levelId'] } });
    // Moving the violin course to swimming would leave it at a music level.
    expect(await refused('INVALID_INPUT', () => scheduler.academy.updateCourse(admin, { courseId: violin.id, programId: swim }))).toMatchObject({
      details: { path: ['levelId'] },
    });
    expect(await scheduler.academy.updateCourse(admin, { courseId: violin.id, programId: swim, levelId: null })).toMatchObject({
      programId: swim,
      levelId: null,
    });
  });

  it('codes already taken are INVALID_INPUT at code for programs, levels and courses', async () => {
    const program = await scheduler.academy.createProgram(admin, { code: fresh('P'), name: 'P' });
    const level = await scheduler.academy.createLevel(admin, { code: fresh('L'), name: 'L' });
    const course = await scheduler.academy.createCourse(admin, { programId: program.id, code: fresh('C'), name: 'C' });
    const other = await scheduler.academy.createLevel(admin, { code: fresh('L'), name: 'Other' });
    for (const [call, constraint] of [
      [() => scheduler.academy.createProgram(admin, { code: program.code, name: 'Again' }), 'programs_code_unique'],
      [() => scheduler.academy.updateProgram(admin, { programId: academy.programId, code: program.code }), 'programs_code_unique'],
      [() => scheduler.academy.createLevel(admin, { code: level.code, name: 'Again' }), 'levels_code_unique'],
      [() => scheduler.academy.updateLevel(admin, { levelId: other.id, code: level.code }), 'levels_code_unique'],
      [() => scheduler.academy.createCourse(admin, { programId: program.id, code: course.code, name: 'Again' }), 'courses_code_unique'],
      [() => scheduler.academy.updateCourse(admin, { courseId: academy.courseId, code: course.code }), 'courses_code_unique'],
    ] as const) {
      expect(await refused('INVALID_INPUT', call)).toMatchObject({ details: { path: ['code'], constraint } });
    }
    // Codes are unique per table: a level may share a course's code.
    expect((await scheduler.academy.updateLevel(admin, { levelId: other.id, code: course.code })).code).toBe(course.code);
  });
});

describe('holidays', () => {
  it('one per date and location, and one academy-wide per date; series skip them', async () => {
    const local = await scheduler.academy.createHoliday(admin, { locationId: academy.locationId, holidayDate: '2033-05-01', name: 'May Day' });
    expect(local).toMatchObject({ locationId: academy.locationId, holidayDate: '2033-05-01', name: 'May Day' });
    expect(
      await refused('INVALID_INPUT', () =>
        scheduler.academy.createHoliday(admin, { locationId: academy.locationId, holidayDate: '2033-05-01', name: 'Again' }),
      ),
    ).toMatchObject({ details: { path: ['holidayDate'], constraint: 'uk_holiday_location_date' } });
    const everywhere = await scheduler.academy.createHoliday(admin, { holidayDate: '2033-05-01', name: 'Closed everywhere' });
    expect(everywhere.locationId).toBeNull();
    expect(await refused('INVALID_INPUT', () => scheduler.academy.createHoliday(admin, { holidayDate: '2033-05-01', name: 'Again' }))).toMatchObject({
      details: { path: ['holidayDate'] },
    });
    const other = await scheduler.academy.createHoliday(admin, { holidayDate: '2033-05-02', name: 'Bank holiday' });
    expect(await refused('INVALID_INPUT', () => scheduler.academy.updateHoliday(admin, { holidayId: other.id, holidayDate: '2033-05-01' }))).toMatchObject({
      details: { path: ['holidayDate'] },
    });
    expect(await scheduler.academy.updateHoliday(admin, { holidayId: other.id, holidayDate: '2033-05-03', name: 'Moved' })).toMatchObject({
      holidayDate: '2033-05-03',
      name: 'Moved',
    });

    // A weekly series from Sunday 1 May 2033 over three Sundays skips the holiday: two occurrences.
    const series = await scheduler.series.create(admin, {
      pattern: {
        name: 'Sundays',
        patternType: 'weekly',
        daysOfWeek: [0],
        startDate: '2033-05-01',
        endDate: '2033-05-15',
        startTime: '10:00',
        endTime: '11:00',
      },
      session: {
        programId: academy.programId,
        courseId: academy.courseId,
        locationId: academy.locationId,
        facilityId: academy.lanesId,
        instructorId: academy.instructorIds[2]!,
        sessionType: 'group',
        title: 'Sundays',
      },
    });
    expect(series.sessions).toHaveLength(2);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler } from '../../../src';
import { useTestDatabase } from '../../support/database';
import { type Academy, seedAcademy, sessionById, addFacility, book, createInput } from '../../support/fixtures';
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

describe('sessions.update and reschedule', () => {
  it('refuses lowering capacity below the confirmed bookings, and raises it', async () => {
    const admin = adminOf(academy);
    const { session } = await scheduler.sessions.create(
      admin,
      createInput(academy, { startTime: at('2030-04-01T10:00:00Z'), endTime: at('2030-04-01T11:00:00Z') }),
    );
    for (const student of academy.studentIds.slice(0, 3)) await book(database.db, session.id, student);
    const before = await sessionById(database.db, session.id);
    const error = await refused(() => scheduler.sessions.update(admin, { sessionId: session.id, capacity: 2 }));
    expect(error.code).toBe('CAPACITY_EXCEEDED');
    expect(error.details).toMatchObject({ reason: 'below_confirmed', currentBookings: 3 });
    expect(await sessionById(database.db, session.id)).toEqual(before);

    await scheduler.sessions.update(admin, { sessionId: session.id, capacity: 3 });
    const raised = await scheduler.sessions.update(admin, { sessionId: session.id, capacity: 4, title: 'Bigger' });
    expect(raised.session).toMatchObject({ capacity: 4, title: 'Bigger', availableSpots: 1, updatedBy: academy.adminId });
  });

  it('only administrators change capacity (FORBIDDEN for the instructor, who may edit other fields)', async () => {
    const { session } = await scheduler.sessions.create(
      adminOf(academy),
      createInput(academy, { startTime: at('2030-04-02T10:00:00Z'), endTime: at('2030-04-02T11:00:00Z') }),
    );
    const instructor = { kind: 'instructor' as const, userId: academy.adminId, instructorId: academy.instructorIds[0]! };
    const error = await refused(() => scheduler.sessions.update(instructor, { sessionId: session.id, capacity: 3 }));
    expect(error.code).toBe('FORBIDDEN');
    const edited = await scheduler.sessions.update(instructor, { sessionId: session.id, preparationNotes: 'Bring floats' });
    expect(edited.session.preparationNotes).toBe('Bring floats');
    const other = { kind: 'instructor' as const, userId: academy.adminId, instructorId: academy.instructorIds[1]! };
    expect((await refused(() => scheduler.sessions.update(other, { sessionId: session.id, title: 'Mine now' }))).code).toBe('FORBIDDEN');
  });

  it("refuses moving a session onto the instructor's other session, naming it", async () => {
    const admin = adminOf(academy);
    const { session: a } = await scheduler.sessions.create(
      admin,
      createInput(academy, { startTime: at('2030-04-03T10:00:00Z'), endTime: at('2030-04-03T11:00:00Z') }),
    );
    const { session: b } = await scheduler.sessions.create(
      admin,
      createInput(academy, { facilityId: academy.lanesId, startTime: at('2030-04-03T12:00:00Z'), endTime: at('2030-04-03T13:00:00Z') }),
    );
    const error = await refused(() =>
      scheduler.sessions.reschedule(admin, { sessionId: b.id, startTime: at('2030-04-03T10:30:00Z'), endTime: at('2030-04-03T11:30:00Z') }),
    );
    expect(error.code).toBe('INSTRUCTOR_DOUBLE_BOOKED');
    expect(error.details.conflictingSessionIds).toEqual([a.id]);
    // Moving it to another instructor at that time is fine.
    const moved = await scheduler.sessions.reschedule(admin, {
      sessionId: b.id,
      startTime: at('2030-04-03T10:30:00Z'),
      endTime: at('2030-04-03T11:30:00Z'),
      instructorId: academy.instructorIds[1]!,
    });
    expect(moved.session).toMatchObject({ instructorId: academy.instructorIds[1], startTime: at('2030-04-03T10:30:00Z') });
  });

  it('moving a session re-checks every confirmed student: refuses with the clashing students, dry run reports them', async () => {
    const admin = adminOf(academy);
    const [kid0, kid1, kid2] = academy.studentIds as [string, string, string];
    const hall = await addFacility(database.db, academy, { maxConcurrentSessions: 10 });
    const { session: art } = await scheduler.sessions.create(
      admin,
      createInput(academy, {
        instructorId: academy.instructorIds[1]!,
        facilityId: hall,
        startTime: at('2030-04-04T14:00:00Z'),
        endTime: at('2030-04-04T15:00:00Z'),
      }),
    );
    const { session: swim } = await scheduler.sessions.create(
      admin,
      createInput(academy, {
        instructorId: academy.instructorIds[2]!,
        facilityId: hall,
        startTime: at('2030-04-04T10:00:00Z'),
        endTime: at('2030-04-04T11:00:00Z'),
      }),
    );
    await book(database.db, art.id, kid0);
    await book(database.db, art.id, kid1);
    await book(database.db, swim.id, kid0);
    await book(database.db, swim.id, kid1);
    await book(database.db, swim.id, kid2);
    const move = { sessionId: swim.id, startTime: at('2030-04-04T14:30:00Z'), endTime: at('2030-04-04T15:30:00Z') };

    const report = await scheduler.sessions.reschedule(admin, { ...move, dryRun: true });
    expect(report.applied).toBe(false);
    expect(report.problems.map((p) => p.code)).toEqual(['STUDENT_CONFLICT']);
    expect(report.problems[0]!.studentClashes!.sort((x, y) => x.studentId.localeCompare(y.studentId))).toEqual(
      [
        { studentId: kid0, conflictingSessionIds: [art.id] },
        { studentId: kid1, conflictingSessionIds: [art.id] },
      ].sort((x, y) => x.studentId.localeCompare(y.studentId)),
    );
    expect((await sessionById(database.db, swim.id)).startTime).toEqual(at('2030-04-04T10:00:00Z'));

    const error = await refused(() => scheduler.sessions.reschedule(admin, move));
    expect(error.code).toBe('STUDENT_CONFLICT');
    expect(error.details.conflictingSessionIds).toEqual([art.id]);
    expect((error.details.studentIds as string[]).sort()).toEqual([kid0, kid1].sort());

    const forced = await scheduler.sessions.reschedule(admin, { ...move, override: true });
    expect(forced.applied).toBe(true);
    expect(
      forced.conflicts
        .filter((c) => c.conflictType === 'student_conflict')
        .map((c) => [c.studentId, c.status, c.resolutionMethod])
        .sort(),
    ).toEqual(
      [
        [kid0, 'resolved', 'manual_override'],
        [kid1, 'resolved', 'manual_override'],
      ].sort(),
    );
  });

  it('refuses unknown and malformed session ids, and changes that invert the times', async () => {
    const admin = adminOf(academy);
    expect((await refused(() => scheduler.sessions.update(admin, { sessionId: '00000000-0000-4000-8000-000000000000', title: 'x' }))).code).toBe('NOT_FOUND');
    const malformed = await refused(() => scheduler.sessions.update(admin, { sessionId: "1' OR '1'='1", title: 'x' }));
    expect(malformed.code).toBe('INVALID_INPUT');
    expect(malformed.details.path).toEqual(['sessionId']);
    const { session } = await scheduler.sessions.create(
      admin,
      createInput(academy, { startTime: at('2030-04-05T10:00:00Z'), endTime: at('2030-04-05T11:00:00Z') }),
    );
    const inverted = await refused(() => scheduler.sessions.update(admin, { sessionId: session.id, startTime: at('2030-04-05T12:00:00Z') }));
    expect(inverted.code).toBe('INVALID_INPUT');
    expect(inverted.details.path).toEqual(['endTime']);
  });
});

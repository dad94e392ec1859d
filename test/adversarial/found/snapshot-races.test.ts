/**
 * FOUND BY REVIEW, CLOSED — at REPEATABLE READ (and SERIALIZABLE where it says so),
 * "touch every guard row" only reached the rows the toucher's snapshot can see. Each case is one hand-ordered
 * interleaving of two connections:
 *   T1 BEGIN (level under test); SELECT ... (snapshot taken)
 *   T2 (read committed, autocommit or one transaction) commits its writes
 *   T1 does the limit-changing write; COMMIT
 * A test fails when T1 commits and the checker then finds a broken guarantee; it passes
 * when T1 is refused (40001 etc.) or the state is whole.
 *
 * 1. G1 (counter): TRUNCATE session_bookings is not MVCC-safe (it also removes rows T1
 *    cannot see), but its reset trigger "UPDATE sessions SET current_bookings = 0 WHERE
 *    current_bookings <> 0" runs on T1's snapshot: a session whose counter went 0 -> 1
 *    after the snapshot is not matched, so it is neither reset nor a 40001.
 * 2. G2: TRUNCATE instructor_availability re-checks only the instructors T1's snapshot
 *    holds; a new instructor (with a 2-at-once slot and two overlapping classes) whose
 *    availability the TRUNCATE removes is never re-checked.
 * 3. G2: a location's time-zone change touches every instructor and facility T1 can
 *    see; a new instructor teaching at that location in a NEW facility that belongs to
 *    another location (facility_added touches the facility's own location, not the
 *    session's) is neither touched nor re-checked.
 *
 * Closed: TRUNCATE of the bookings or of availability is refused above READ COMMITTED
 * (`truncate_isolation`; under READ COMMITTED the repair runs after its exclusive lock,
 * with a fresh snapshot); a session must be in a facility of its own location
 * (`chk_session_facility_location`), so a new room at the site touches the site's row,
 * which the time-zone change updates.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlStateOf, toSchedulingError } from '../../../src/db/database-errors';
import { onCitus, useTestDatabase } from '../../support/database';
import { sessionInsert } from '../scene';
import { closeNodeClients, waitUntilBlocked } from '../../faults/fault-harness';
import { type ReviewScene, openReviewScene } from './review-scene';

const database = useTestDatabase();
let scene: ReviewScene;
beforeAll(async () => {
  scene = await openReviewScene(database);
});
afterAll(async () => scene?.end());

/** Runs T1 with its snapshot taken before T2 commits; returns how T1 ended. */
async function interleave(level: string, t2: () => Promise<unknown>, t1Write: string): Promise<string> {
  const c1 = scene.connection();
  try {
    await c1.begin(`isolation level ${level}`, async (tx) => {
      await tx.unsafe(`SELECT count(*) FROM scheduling.sessions`);
      await t2();
      await tx.unsafe(t1Write);
    });
    return 'committed';
  } catch (error) {
    return sqlStateOf(error) ?? String(error);
  }
}

let week = 0;
/** A Tuesday of its own for each case (2031-01-07 + 7 days each). */
function tuesday(): string {
  return new Date(Date.UTC(2031, 0, 7) + 7 * 86_400_000 * week++).toISOString().slice(0, 10);
}

describe.each(['repeatable read', 'serializable'])('T1 at %s', (level) => {
  it('1. G1: TRUNCATE session_bookings racing a first booking is refused above READ COMMITTED; no counter drifts', async () => {
    const room = await scene.newFacility();
    const day = tuesday();
    const x = await scene.newSession({ start: `${day}T10:00:00Z`, end: `${day}T11:00:00Z`, facilityId: room, capacity: 2 });
    const student = scene.academy.studentIds[week]!;
    const outcome = await interleave(
      level,
      () => scene.run(`INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES ('${x}', '${student}')`),
      `TRUNCATE scheduling.session_bookings`,
    );
    const drift = (await scene.violations()).filter((f) => f.kind === 'booking_count_drift' && f.sessionId === x);
    expect({ outcome, drift }).toEqual({ outcome: 'SC001', drift: [] });
  });

  it('2. G2: TRUNCATE instructor_availability racing a new instructor whose slot allows 2 at once is refused above READ COMMITTED', async () => {
    const day = tuesday();
    const roomA = await scene.newFacility();
    const roomB = await scene.newFacility();
    const instructorId = '00000000-0000-4000-8000-' + String(100000000000 + week).padStart(12, '0');
    const outcome = await interleave(
      level,
      () =>
        scene.connection().begin(async (tx) => {
          await tx.unsafe(`INSERT INTO scheduling.instructors (id, email, first_name, last_name, max_concurrent_sessions)
                           VALUES ('${instructorId}', 'rev-new-${week}@academy.test', 'New', 'Coach', 1)`);
          // the academy's location is America/New_York: Tuesdays 08:00-18:00 local, 2 at once
          await tx.unsafe(`INSERT INTO scheduling.instructor_availability (instructor_id, availability_type, day_of_week, start_time, end_time, effective_from, max_concurrent_sessions)
                           VALUES ('${instructorId}', 'regular', 2, '08:00', '18:00', '2030-01-01', 2)`);
          for (const room of [roomA, roomB]) {
            await tx.unsafe(sessionInsert(scene.academy, { start: `${day}T15:00:00Z`, end: `${day}T16:00:00Z`, facilityId: room, instructorId }));
          }
        }),
      `TRUNCATE scheduling.instructor_availability`,
    );
    const overlaps = (await scene.violations()).filter((f) => f.kind === 'instructor_overlap' && f.ownerId === instructorId);
    // Leave no overload behind for the next case (a later TRUNCATE would trip over it).
    await scene.run(`UPDATE scheduling.sessions SET status = 'cancelled' WHERE instructor_id = '${instructorId}'`);
    expect({ outcome, overlaps }).toEqual({ outcome: 'SC003', overlaps: [] });
  });

  it("3. G2: a location's time zone changed racing a new instructor teaching there in a new room", async () => {
    const day = tuesday();
    const site = await scene.newLocation('UTC');
    const instructorId = '00000000-0000-4000-8000-' + String(200000000000 + week).padStart(12, '0');
    const outcome = await interleave(
      level,
      () =>
        scene.connection().begin(async (tx) => {
          await tx.unsafe(`INSERT INTO scheduling.instructors (id, email, first_name, last_name, max_concurrent_sessions)
                           VALUES ('${instructorId}', 'rev-tz-${week}@academy.test', 'New', 'Coach', 1)`);
          await tx.unsafe(`INSERT INTO scheduling.instructor_availability (instructor_id, availability_type, day_of_week, start_time, end_time, effective_from, max_concurrent_sessions)
                           VALUES ('${instructorId}', 'regular', 2, '08:00', '12:00', '2030-01-01', 2)`);
          const [room] = await tx.unsafe<{ id: string }[]>(`INSERT INTO scheduling.facilities (location_id, code, name, max_concurrent_sessions)
                           VALUES ('${site}', 'REV-TZ-${week}', 'Room', 2) RETURNING id`);
          // 10:00-11:00 at the site (UTC): inside the 2-at-once slot
          for (let i = 0; i < 2; i++) {
            await tx.unsafe(
              sessionInsert(scene.academy, { start: `${day}T10:00:00Z`, end: `${day}T11:00:00Z`, facilityId: room!.id, instructorId, locationId: site }),
            );
          }
        }),
      // in Tokyo the classes are at 19:00, outside the slot: the instructor's own limit (1) applies
      `UPDATE scheduling.locations SET timezone = 'Asia/Tokyo' WHERE id = '${site}'`,
    );
    const overlaps = (await scene.violations()).filter((f) => f.kind === 'instructor_overlap' && f.ownerId === instructorId);
    // Leave no overload behind for the next case (a later TRUNCATE would trip over it).
    await scene.run(`UPDATE scheduling.sessions SET status = 'cancelled' WHERE instructor_id = '${instructorId}'`);
    expect({ outcome, overlaps }).toEqual({ outcome: '40001', overlaps: [] });
  });
});

/**
 * 4. The same time-zone race at every level with T2 in flight: T2 writes a new
 *    instructor, a slot, a new room at the site and two overlapping classes there
 *    (checked against the old zone) and stays open; T1 changes the site's zone (it
 *    waits: the new room touched the site's row); T2 commits; T1 then finds the classes
 *    (READ COMMITTED re-reads: SC003) or fails (40001). A room of another location
 *    cannot hold the site's classes at all.
 */
describe.each(['read committed', 'repeatable read', 'serializable'] as const)('T1 at %s, T2 in flight', (level) => {
  let watcher: ReturnType<ReviewScene['connection']>;
  beforeAll(() => {
    watcher = scene.connection();
  });
  afterAll(async () => closeNodeClients());
  it("4. G2: a location's time zone changed while a new instructor's classes there are being written", async () => {
    const day = tuesday();
    const site = await scene.newLocation('UTC');
    const instructorId = '00000000-0000-4000-8000-' + String(300000000000 + week).padStart(12, '0');
    const c2 = scene.connection();
    const c1 = scene.connection({ isolation: level });
    // T1's backend (on Citus its backend on the coordinator), to see it wait on T2's lock.
    const [{ pid }] = await c1<[{ pid: number }]>`SELECT pg_backend_pid() AS pid`;
    let t1: Promise<string> = Promise.resolve('not run');
    await c2.begin(async (tx) => {
      await tx.unsafe(`INSERT INTO scheduling.instructors (id, email, first_name, last_name, max_concurrent_sessions)
                       VALUES ('${instructorId}', 'rev-fl-${week}@academy.test', 'New', 'Coach', 1)`);
      await tx.unsafe(`INSERT INTO scheduling.instructor_availability (instructor_id, availability_type, day_of_week, start_time, end_time, effective_from, max_concurrent_sessions)
                       VALUES ('${instructorId}', 'regular', 2, '08:00', '12:00', '2030-01-01', 2)`);
      const [room] = await tx.unsafe<{ id: string }[]>(`INSERT INTO scheduling.facilities (location_id, code, name, max_concurrent_sessions)
                       VALUES ('${site}', 'REV-FL-${week}', 'Room', 2) RETURNING id`);
      for (let i = 0; i < 2; i++) {
        await tx.unsafe(
          sessionInsert(scene.academy, { start: `${day}T10:00:00Z`, end: `${day}T11:00:00Z`, facilityId: room!.id, instructorId, locationId: site }),
        );
      }
      // Started now, finished after T2 commits (it waits for T2's lock on the site's row).
      const change = `UPDATE scheduling.locations SET timezone = 'Asia/Tokyo' WHERE id = '${site}'`;
      // On Citus a statement outside a transaction block goes to the academy's worker without a
      // BEGIN, and runs there at the worker's default level (read committed: SC003 at every
      // level); in a transaction block the coordinator sends BEGIN … ISOLATION LEVEL with it.
      t1 = (onCitus() ? c1.begin((t) => t.unsafe(change)) : c1.unsafe(change)).then(
        () => 'committed',
        (e: unknown) => sqlStateOf(e) ?? String(e),
      );
      // Until T1 waits for T2's lock on the site's row (on Citus, on the academy's worker): a
      // fixed pause was not enough there, where T1's statement may reach the worker only after T2 has
      // committed (its snapshot then holds T2's classes: SC003 at every level).
      await waitUntilBlocked(watcher, pid);
    });
    const outcome = await t1;
    const overlaps = (await scene.violations()).filter((f) => f.kind === 'instructor_overlap' && f.ownerId === instructorId);
    await scene.run(`UPDATE scheduling.sessions SET status = 'cancelled' WHERE instructor_id = '${instructorId}'`);
    expect({ outcome, overlaps }).toEqual({ outcome: level === 'read committed' ? 'SC003' : '40001', overlaps: [] });
  });
});

describe('a session in a room of another location', () => {
  it('is refused (chk_session_facility_location), and a room holding sessions cannot move to another site', async () => {
    const site = await scene.newLocation('UTC');
    const elsewhere = await scene.newLocation('UTC');
    const room = await scene.newFacility({ locationId: elsewhere });
    const refused = await scene
      .newSession({ start: '2031-09-02T10:00:00Z', end: '2031-09-02T11:00:00Z', facilityId: room, locationId: site })
      .catch((e: unknown) => e);
    expect(toSchedulingError(refused)).toMatchObject({ code: 'INVALID_INPUT', details: { sqlstate: '23514', constraint: 'chk_session_facility_location' } });
    await scene.newSession({ start: '2031-09-02T10:00:00Z', end: '2031-09-02T11:00:00Z', facilityId: room, locationId: elsewhere });
    const moved = await scene.run(`UPDATE scheduling.facilities SET location_id = '${site}' WHERE id = '${room}'`).catch((e: unknown) => e);
    expect(sqlStateOf(moved)).toBe('23514');
  });
});

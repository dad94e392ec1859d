/**
 * FOUND BY REVIEW, CLOSED (G2): covering_availability reads a session's local time with
 * "p_start AT TIME ZONE <location.timezone>". For a text zone, Postgres looks the name
 * up in the session's timezone_abbreviations table BEFORE the tz database, and that
 * setting is USERSET (the functions pin search_path, not this). 'EST' is a valid
 * location time zone (it is in pg_timezone_names, so trigger_validate_location_timezone
 * accepts it): -05:00 under the server's 'Default' abbreviations, +10:00 under
 * 'Australia'. A writer that sets timezone_abbreviations = 'Australia' has its
 * classes checked against the slot 15 hours away from where everybody else (and
 * verifyIntegrity) sees them. Closed: covering_availability pins
 * timezone_abbreviations = 'Default'.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlStateOf } from '../../../src/db/database-errors';
import { useTestDatabase } from '../../support/database';
import { sessionInsert } from '../scene';
import { type ReviewScene, openReviewScene } from './review-scene';

const database = useTestDatabase();
let scene: ReviewScene;
beforeAll(async () => {
  scene = await openReviewScene(database);
});
afterAll(async () => scene?.end());

describe('G2: the session setting timezone_abbreviations changes what the limit triggers compute', () => {
  it("two overlapping classes for a 1-at-once instructor are refused under timezone_abbreviations = 'Australia' too", async () => {
    const site = await scene.newLocation('EST');
    const instructorId = await scene.newInstructor(1);
    // Tuesdays 08:00-12:00 local: 2 at once
    await scene.run(`INSERT INTO scheduling.instructor_availability (instructor_id, availability_type, day_of_week, start_time, end_time, effective_from, max_concurrent_sessions)
                     VALUES ('${instructorId}', 'regular', 2, '08:00', '12:00', '2030-01-01', 2)`);
    const roomA = await scene.newFacility({ locationId: site });
    const roomB = await scene.newFacility({ locationId: site });
    // 2031-01-06 23:00Z is Monday 18:00 in EST (outside the slot: limit 1), Tuesday 09:00 at +10:00.
    const slot = { start: '2031-01-06T23:00:00Z', end: '2031-01-07T00:00:00Z', instructorId, locationId: site };
    await scene.newSession({ ...slot, facilityId: roomA });

    // With the server's abbreviations the second class is refused (SC003)...
    const refused = await scene.newSession({ ...slot, facilityId: roomB }).catch((e: unknown) => e);
    expect(sqlStateOf(refused)).toBe('SC003');

    // ...and so it is with the writer's own setting.
    const c = scene.connection();
    await expect(
      c.begin(async (tx) => {
        await tx.unsafe(`SET LOCAL timezone_abbreviations = 'Australia'`);
        await tx.unsafe(sessionInsert(scene.academy, { ...slot, facilityId: roomB }));
      }),
    ).rejects.toMatchObject({ code: 'SC003' });

    const overlaps = (await scene.violations()).filter((f) => f.kind === 'instructor_overlap' && f.ownerId === instructorId);
    expect(overlaps).toEqual([]);
  });
});

/**
 * FOUND BY REVIEW, CLOSED (G1): guard_booking_counter lets a write of
 * sessions.current_bookings through when pg_trigger_depth() > 1, taking that to mean
 * "one of our booking triggers". A
 * writer that is neither owner nor superuser (only DML grants on the scheduling
 * tables, plus the TEMP privilege every role has by default) creates a temporary
 * table with a trigger of its own whose function zeroes the counter: inside it the
 * depth is 2, so the guard steps aside. With the counter at 0, the booking trigger
 * admits a full class's worth of new confirmations: confirmed > capacity. Closed by
 * trigger_check_booking_counter, which compares the counter with the confirmed
 * bookings at commit, whoever wrote it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../support/database';
import { type ReviewScene, openReviewScene } from './review-scene';

const ROLE = 'acsched_review_writer';
const database = useTestDatabase();
let scene: ReviewScene;
beforeAll(async () => {
  scene = await openReviewScene(database);
  // A plain application role: DML on the tables, nothing else (roles are cluster-wide).
  await scene.run(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}') THEN CREATE ROLE ${ROLE} LOGIN NOSUPERUSER; END IF; END $$`);
  await scene.run(`GRANT USAGE ON SCHEMA scheduling TO ${ROLE}`);
  await scene.run(`GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA scheduling TO ${ROLE}`);
  await scene.run(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA scheduling TO ${ROLE}`);
});
afterAll(async () => {
  await scene?.end();
  // DROP OWNED also revokes the grants; then the cluster-wide role can go (best effort).
  await database.query(`DROP OWNED BY ${ROLE}`).catch(() => undefined);
  await database.query(`DROP ROLE IF EXISTS ${ROLE}`).catch(() => undefined);
});

describe('G1: a counter written from inside a trigger', () => {
  it('a non-owner zeroing current_bookings from a trigger on its own temp table is refused at commit', async () => {
    const room = await scene.newFacility();
    const x = await scene.newSession({ start: '2031-01-07T10:00:00Z', end: '2031-01-07T11:00:00Z', facilityId: room, capacity: 2 });
    const [s1, s2, s3, s4] = scene.academy.studentIds;
    await scene.run(`INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES ('${x}', '${s1}'), ('${x}', '${s2}')`);

    const writer = scene.connection({ user: ROLE });
    const [who] = await writer.unsafe(`SELECT current_user AS name, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
                                              (SELECT relowner::regrole::text FROM pg_class WHERE oid = 'scheduling.sessions'::regclass) AS owner`);
    expect(who!.name).toBe(ROLE);
    expect(who!.superuser).toBe(false);
    expect(who!.owner).not.toBe(ROLE);
    // The direct write is refused (derived_counter)...
    await expect(writer.unsafe(`UPDATE scheduling.sessions SET current_bookings = 0 WHERE id = '${x}'`)).rejects.toThrow(/kept by the booking triggers/);
    // ...the same write one trigger deeper is not.
    await writer.unsafe(`CREATE TEMP TABLE poke (id uuid)`);
    await writer.unsafe(`CREATE FUNCTION pg_temp.poke_fn() RETURNS trigger LANGUAGE plpgsql AS $f$
                           BEGIN UPDATE scheduling.sessions SET current_bookings = 0 WHERE id = NEW.id; RETURN NULL; END $f$`);
    await writer.unsafe(`CREATE TRIGGER poke_t AFTER INSERT ON pg_temp.poke FOR EACH ROW EXECUTE FUNCTION pg_temp.poke_fn()`);
    await expect(writer.unsafe(`INSERT INTO pg_temp.poke VALUES ('${x}')`)).rejects.toMatchObject({ code: 'SC001' });
    await expect(
      writer.unsafe(`INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES ('${x}', '${s3}'), ('${x}', '${s4}')`),
    ).rejects.toMatchObject({
      code: 'SC001',
    });

    const [row] = await scene.run<{ capacity: number; confirmed: number; recorded: number }>(
      `SELECT capacity, current_bookings AS recorded,
              (SELECT count(*)::int FROM scheduling.session_bookings b WHERE b.session_id = s.id AND b.booking_status = 'confirmed') AS confirmed
       FROM scheduling.sessions s WHERE id = '${x}'`,
    );
    expect(row!.confirmed, JSON.stringify(row)).toBeLessThanOrEqual(row!.capacity);
    expect(await scene.violations()).toEqual([]);
  });
});

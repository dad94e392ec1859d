/**
 * FOUND BY REVIEW, CLOSED (G8): the booking trigger lets a student confirm into the place held by their
 * own offer (held offers are counted "AND student_id <> NEW.student_id"), relying on
 * the offer being closed in the same transaction. Nothing forces that: the offer (or
 * the booking) can be handed to another student in the same transaction with an
 * UPDATE OF student_id, which neither trigger_offer_holds_place (UPDATE OF status,
 * session_id) nor the booking trigger's held-offer count re-checks, and which satisfies
 * G7 at commit (the pair (session, student) that is both booked and offered no longer
 * exists). Result: confirmed + open offers > capacity. Single connection; any level.
 * Closed: trigger_offer_holds_place also fires on UPDATE OF student_id, and a confirmed
 * booking handed to another student counts the offers of everyone else again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlStateOf } from '../../../src/db/database-errors';
import { useTestDatabase } from '../../support/database';
import { type ReviewScene, openReviewScene } from './review-scene';

const database = useTestDatabase();
let scene: ReviewScene;
beforeAll(async () => {
  scene = await openReviewScene(database);
});
afterAll(async () => scene?.end());

async function heldOver(sessionId: string) {
  const [row] = await scene.run<{ capacity: number; confirmed: number; offers: number }>(
    `SELECT s.capacity,
            (SELECT count(*)::int FROM scheduling.session_bookings b WHERE b.session_id = s.id AND b.booking_status = 'confirmed') AS confirmed,
            (SELECT count(*)::int FROM scheduling.session_waitlist w WHERE w.session_id = s.id AND w.status = 'offered') AS offers
     FROM scheduling.sessions s WHERE s.id = '${sessionId}'`,
  );
  return row!;
}

describe('G8: an offer handed to another student after its holder booked', () => {
  it.each([
    ['the offer is handed over (UPDATE session_waitlist SET student_id)', 'waitlist', 0],
    ['the booking is handed over (UPDATE session_bookings SET student_id)', 'booking', 1],
  ] as const)('%s', async (_name, how, n) => {
    const room = await scene.newFacility();
    const day = `2031-0${n + 2}-04`;
    const x = await scene.newSession({ start: `${day}T10:00:00Z`, end: `${day}T11:00:00Z`, facilityId: room, capacity: 2 });
    const [booked, offered, other, heir] = scene.academy.studentIds.slice(4 * n, 4 * n + 4);
    await scene.run(`INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES ('${x}', '${booked}')`);
    await scene.run(`INSERT INTO scheduling.session_waitlist (session_id, student_id, position, status) VALUES ('${x}', '${offered}', 1, 'offered')`);
    // The held place is really held: a third child is refused (SC001 held_offers).
    const refused = await scene.run(`INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES ('${x}', '${other}')`).catch((e: unknown) => e);
    expect(sqlStateOf(refused)).toBe('SC001');

    const c = scene.connection();
    await expect(
      c.begin(async (tx) => {
        await tx.unsafe(`INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES ('${x}', '${offered}')`);
        if (how === 'waitlist') {
          await tx.unsafe(`UPDATE scheduling.session_waitlist SET student_id = '${heir}' WHERE session_id = '${x}' AND student_id = '${offered}'`);
        } else {
          await tx.unsafe(`UPDATE scheduling.session_bookings SET student_id = '${heir}' WHERE session_id = '${x}' AND student_id = '${offered}'`);
        }
      }),
    ).rejects.toMatchObject({ code: 'SC001' });

    const state = await heldOver(x);
    expect(state.confirmed + state.offers, JSON.stringify(state)).toBeLessThanOrEqual(state.capacity);
    expect((await scene.violations()).filter((f) => 'sessionId' in f && f.sessionId === x)).toEqual([]);
  });

  it('the same in ONE statement: the booking trigger fires after the CTE handed the offer over, and counts it', async () => {
    const room = await scene.newFacility();
    const x = await scene.newSession({ start: '2031-05-06T10:00:00Z', end: '2031-05-06T11:00:00Z', facilityId: room, capacity: 2 });
    const [booked, offered, heir] = scene.academy.studentIds.slice(12, 15);
    await scene.run(`INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES ('${x}', '${booked}')`);
    await scene.run(`INSERT INTO scheduling.session_waitlist (session_id, student_id, position, status) VALUES ('${x}', '${offered}', 1, 'offered')`);
    const refused = await scene
      .run(
        `WITH b AS (INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES ('${x}', '${offered}') RETURNING session_id)
         UPDATE scheduling.session_waitlist w SET student_id = '${heir}' FROM b WHERE w.session_id = b.session_id AND w.student_id = '${offered}'`,
      )
      .catch((e: unknown) => e);
    expect(sqlStateOf(refused)).toBe('SC001');
  });
});

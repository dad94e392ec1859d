/**
 * The checker the races rely on must see what they look for: with every trigger off
 * (`session_replication_role = replica`, in a transaction rolled back afterwards, in
 * this file's throwaway database) one violation of each guarantee is planted, and the
 * test fails unless the checker reports exactly that guarantee's finding kinds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransactionRollbackError, sql } from 'drizzle-orm';
import { createScheduler } from '../../src';
import { type TestDb, useTestDatabase } from '../support/database';
import { GUARANTEES, type GuaranteeId } from './inventory';
import { type Scene, openScene, sessionInsert } from './scene';

const database = useTestDatabase();
let scene: Scene;
beforeAll(async () => {
  scene = await openScene(database);
});
afterAll(async () => scene?.end());

/** Statements that break one guarantee when no trigger stops them. */
async function plant(id: GuaranteeId): Promise<string[]> {
  const day = scene.day();
  const at = (time: string) => `${day}T${time}:00Z`;
  const kids = scene.students(4);
  const book = (session: string, kid: string) => `INSERT INTO scheduling.session_bookings (session_id, student_id) VALUES ('${session}', '${kid}')`;
  const session = await scene.newSession({ start: at('10:00'), end: at('11:00'), facilityId: await scene.newFacility(), capacity: 1 });
  switch (id) {
    case 'G1':
      return [book(session, kids[0]!), book(session, kids[1]!), `UPDATE scheduling.sessions SET current_bookings = 1 WHERE id = '${session}'`];
    case 'G2': {
      const coach = await scene.newInstructor(1);
      return [0, 1].map((i) =>
        sessionInsert(scene.academy, { start: at(`10:3${i}`), end: at('11:30'), facilityId: scene.academy.lanesId, instructorId: coach }),
      );
    }
    case 'G3': {
      const room = await scene.newFacility({ max: 1 });
      return [0, 1].map((i) => sessionInsert(scene.academy, { start: at(`12:0${i}`), end: at('13:00'), facilityId: room }));
    }
    case 'G4': {
      const other = await scene.newSession({ start: at('10:30'), end: at('11:30'), facilityId: await scene.newFacility(), capacity: 1 });
      return [book(session, kids[0]!), book(other, kids[0]!), `UPDATE scheduling.sessions SET current_bookings = 1 WHERE id IN ('${session}', '${other}')`];
    }
    case 'G5':
      return [`UPDATE scheduling.sessions SET capacity = 7 WHERE id = '${session}'`];
    case 'G6':
      return [`INSERT INTO scheduling.session_waitlist (session_id, student_id, position) VALUES ('${session}', '${kids[0]}', 2)`];
    case 'G7':
      return [
        book(session, kids[0]!),
        `UPDATE scheduling.sessions SET current_bookings = 1 WHERE id = '${session}'`,
        `INSERT INTO scheduling.session_waitlist (session_id, student_id, position) VALUES ('${session}', '${kids[0]}', 1)`,
      ];
    case 'G8':
      return [
        book(session, kids[0]!),
        `UPDATE scheduling.sessions SET current_bookings = 1 WHERE id = '${session}'`,
        `INSERT INTO scheduling.session_waitlist (session_id, student_id, position, status, response_deadline) VALUES ('${session}', '${kids[1]}', 1, 'offered', '2031-12-31')`,
      ];
  }
}

describe('the checker sees every kind of broken guarantee', () => {
  it('a clean database gives nothing', async () => {
    const scheduler = createScheduler({ db: database.db });
    expect((await scheduler.maintenance.verifyIntegrity({ kind: 'system' }, {})).filter((f) => f.kind !== 'expired_offer')).toEqual([]);
  });

  it.each(GUARANTEES.map((g) => [g.id, g] as const))('%s', async (id, guarantee) => {
    const statements = await plant(id);
    const scheduler = createScheduler({ db: database.db });
    let kinds: string[] = [];
    await database.db
      .transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL session_replication_role = replica`);
        for (const statement of statements) await tx.execute(sql.raw(statement));
        await tx.execute(sql`SET LOCAL session_replication_role = origin`);
        const findings = await scheduler.maintenance.verifyIntegrity({ kind: 'system' }, {}, { tx: tx as unknown as TestDb });
        kinds = [...new Set(findings.map((f) => f.kind))].sort();
        tx.rollback();
      })
      .catch((error) => {
        if (!(error instanceof TransactionRollbackError)) throw error;
      });
    expect(kinds).toEqual([...guarantee.findings].sort());
  });
});

/**
 * The academy's search_path is the scheduler's own business: inside a host's
 * transaction (`{ tx }`) the host's search_path and role are back after every call
 * (done or refused), a host's session-level search_path pointing at another academy
 * changes nothing, and a temporary table named like one of ours cannot stand in for it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createScheduler, isSchedulingError, type Scheduler } from '../../../src';
import { migrate } from '../../../src/migrate';
import { queryRows } from '../../../src/db/query';
import { useTestDatabase } from '../../support/database';
import { type Academy, insertSession, seedAcademy } from '../../support/fixtures';
import { adminOf } from '../../support/actors';
import { errorOf } from '../../support/refusals';

const database = useTestDatabase();
let academy: Academy;
let sessionId: string;
let scheduler: Scheduler;
let other: Scheduler;

beforeAll(async () => {
  academy = await seedAcademy(database.db);
  sessionId = (await insertSession(database.db, academy)).id;
  await migrate(database.db, { schema: 'academy_elsewhere' });
  scheduler = createScheduler({ db: database.db });
  other = createScheduler({ db: database.db, schema: 'academy_elsewhere' });
}, 120_000);

describe("the scheduler's search_path", () => {
  it("inside a host's transaction: the host's search_path is back after a call that succeeds and after one that is refused", async () => {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL search_path = public`);
      const session = await scheduler.sessions.get(adminOf(academy), { sessionId }, { tx });
      expect(session.id).toBe(sessionId);
      expect(await queryRows(tx, sql`SELECT current_setting('search_path') AS path`)).toEqual([{ path: 'public' }]);
      const refused = await errorOf(() => other.sessions.get(adminOf(academy), { sessionId }, { tx }));
      expect(isSchedulingError(refused, 'NOT_FOUND')).toBe(true);
      expect(await queryRows(tx, sql`SELECT current_setting('search_path') AS path`)).toEqual([{ path: 'public' }]);
    });
  });

  it("a host's search_path naming another academy changes nothing: each scheduler reads its own", async () => {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL search_path = academy_elsewhere, scheduling`);
      expect((await scheduler.sessions.get(adminOf(academy), { sessionId }, { tx })).id).toBe(sessionId);
      expect(isSchedulingError(await errorOf(() => other.sessions.get(adminOf(academy), { sessionId }, { tx })), 'NOT_FOUND')).toBe(true);
    });
  });

  it('a temporary table named like ours (pg_temp) cannot stand in for it', async () => {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`CREATE TEMP TABLE sessions (id uuid, title text) ON COMMIT DROP`);
      await tx.execute(sql.raw(`INSERT INTO pg_temp.sessions VALUES ('${sessionId}', 'forged')`));
      const session = await scheduler.sessions.get(adminOf(academy), { sessionId }, { tx });
      expect(session.title).not.toBe('forged');
      expect(isSchedulingError(await errorOf(() => other.sessions.get(adminOf(academy), { sessionId }, { tx })), 'NOT_FOUND')).toBe(true);
    });
  });
});

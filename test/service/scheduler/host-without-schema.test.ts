/**
 * Hosts may build their Drizzle database without our schema. The scheduler must still
 * run relational queries on it, and work that fails inside a savepoint must leave the
 * outer transaction usable — on postgres.js too, which fails a whole transaction when a
 * statement fails outside its own savepoint().
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createScheduler } from '../../../src';
import { inSavepoint, withSchedulingSchema } from '../../../src/db/scheduling-db';
import type { AnyPgDatabase } from '../../../src/db/query';
import { queryRows } from '../../../src/db/query';
import { schemaLessDb, useTestDatabase } from '../../support/database';
import { insertSession, seedAcademy } from '../../support/fixtures';
import { adminOf } from '../../support/actors';

const database = useTestDatabase();

const schemaLess = (): AnyPgDatabase => schemaLessDb(database) as unknown as AnyPgDatabase;

describe('a host database built without our schema', () => {
  it('serves relational reads through the scheduler', async () => {
    const academy = await seedAcademy(database.db);
    const session = await insertSession(database.db, academy);
    const scheduler = createScheduler({ db: schemaLess() });
    const found = await scheduler.sessions.get(adminOf(academy), { sessionId: session.id });
    expect(found.id).toBe(session.id);
    expect(found.facility.id).toBe(academy.poolId);
  });

  it('a failure inside a savepoint rolls back only the savepoint; the transaction commits the rest', async () => {
    const db = schemaLess();
    const outcome = await db.transaction(async (raw) => {
      const tx = withSchedulingSchema(raw);
      await tx.execute(sql`CREATE TEMP TABLE IF NOT EXISTS savepoint_probe (n int) ON COMMIT DROP`);
      await tx.execute(sql`INSERT INTO savepoint_probe VALUES (1)`);
      const refused = await inSavepoint(tx, async (sp) => {
        await sp.execute(sql`INSERT INTO savepoint_probe VALUES (2)`);
        await sp.execute(sql`SELECT 1 / 0`);
      }).then(
        () => 'ran',
        () => 'refused',
      );
      await tx.execute(sql`INSERT INTO savepoint_probe VALUES (3)`);
      const rows = await queryRows<{ n: number }>(tx, sql`SELECT n FROM savepoint_probe ORDER BY n`);
      return { refused, rows: rows.map((r) => r.n), relational: typeof tx.query.sessions.findFirst };
    });
    expect(outcome).toEqual({ refused: 'refused', rows: [1, 3], relational: 'function' });
  });
});

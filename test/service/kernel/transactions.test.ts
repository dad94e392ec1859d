import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import * as s from '../../../src/schema';
import { createScheduler, type SchedulingError } from '../../../src';
import { createTransactionRunner } from '../../../src/db/transaction';
import { queryRows, type AnyPgDatabase } from '../../../src/db/query';
import { useTestDatabase } from '../../support/database';
import { databaseDigest } from '../../support/digest';
import { type Academy, seedAcademy, createInput } from '../../support/fixtures';
import { errorOf } from '../../support/refusals';
import { adminOf } from '../../support/actors';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;

beforeAll(async () => {
  academy = await seedAcademy(database.db);
});

class Rollback extends Error {}

describe('joining the host transaction ({ tx })', () => {
  it("the scheduler's write rolls back when the host's transaction rolls back", async () => {
    const scheduler = createScheduler({ db: database.db });
    const before = await databaseDigest(database.db);
    let createdId = '';
    await expect(
      database.db.transaction(async (tx) => {
        const { session } = await scheduler.sessions.create(adminOf(academy), createInput(academy), { tx });
        createdId = session.id;
        // Visible inside the host's transaction…
        expect(await tx.select().from(s.sessions).where(eq(s.sessions.id, session.id))).toHaveLength(1);
        throw new Rollback();
      }),
    ).rejects.toBeInstanceOf(Rollback);
    // …and gone with it.
    expect(createdId).not.toBe('');
    expect(await database.db.select().from(s.sessions).where(eq(s.sessions.id, createdId))).toEqual([]);
    expect(await databaseDigest(database.db)).toEqual(before);
  });

  it('commits with the host; a refused call rolls back only its savepoint and leaks no override', async () => {
    const scheduler = createScheduler({ db: database.db });
    const ids = await database.db.transaction(async (tx) => {
      const { session: first } = await scheduler.sessions.create(
        adminOf(academy),
        createInput(academy, { startTime: at('2030-07-01T10:00:00Z'), endTime: at('2030-07-01T11:00:00Z'), override: true }),
        { tx },
      );
      const refusal = (await errorOf(() =>
        scheduler.sessions.create(adminOf(academy), createInput(academy, { startTime: at('2030-07-01T10:30:00Z'), endTime: at('2030-07-01T11:30:00Z') }), {
          tx,
        }),
      )) as SchedulingError;
      expect(refusal.code).toBe('INSTRUCTOR_DOUBLE_BOOKED');
      // The host's transaction is still usable, and the override of the first call did not stay on.
      const [settings] = await queryRows<{ allow: string | null; actor: string | null }>(
        tx,
        sql`SELECT current_setting('scheduling.allow_conflicts', true) AS allow, current_setting('scheduling.actor_id', true) AS actor`,
      );
      expect(settings!.allow ?? '').not.toBe('on');
      expect(settings!.actor ?? '').toBe('');
      expect(await tx.select().from(s.sessions).where(eq(s.sessions.id, first.id))).toHaveLength(1);
      return [first.id];
    });
    expect(await database.db.select().from(s.sessions).where(eq(s.sessions.id, ids[0]!))).toHaveLength(1);
  });
});

describe('retries', () => {
  /** A fake database whose transaction throws a driver error with `code` the first `failures` times. */
  function flakyDb(failures: number, code: string) {
    let calls = 0;
    const db = {
      calls: () => calls,
      transaction: async (fn: (tx: unknown) => Promise<unknown>) => {
        calls++;
        if (calls <= failures) throw Object.assign(new Error('could not serialize access'), { code });
        return database.db.transaction((tx) => fn(tx));
      },
    };
    return db;
  }

  it('re-runs the transaction after 40001 / 40P01 and succeeds', async () => {
    const flaky = flakyDb(2, '40001');
    const run = createTransactionRunner({ db: flaky as unknown as AnyPgDatabase, schema: 'scheduling', maxRetries: 3 });
    expect(await run({ actor: {} }, async () => 'done')).toBe('done');
    expect(flaky.calls()).toBe(3);
    const deadlock = flakyDb(1, '40P01');
    const again = createTransactionRunner({ db: deadlock as unknown as AnyPgDatabase, schema: 'scheduling', maxRetries: 3 });
    expect(await again({ actor: {} }, async () => 'ok')).toBe('ok');
  });

  it('gives up with RETRY_EXHAUSTED after maxRetries, and never retries other errors', async () => {
    const flaky = flakyDb(10, '40001');
    const run = createTransactionRunner({ db: flaky as unknown as AnyPgDatabase, schema: 'scheduling', maxRetries: 2 });
    const error = (await errorOf(() => run({ actor: {} }, async () => 'never'))) as SchedulingError;
    expect(error.code).toBe('RETRY_EXHAUSTED');
    expect(error.details).toMatchObject({ sqlstate: '40001', attempts: 3 });
    expect(flaky.calls()).toBe(3);

    const unique = flakyDb(10, '23505');
    const once = createTransactionRunner({ db: unique as unknown as AnyPgDatabase, schema: 'scheduling', maxRetries: 2 });
    expect(await errorOf(() => once({ actor: {} }, async () => 'never'))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(unique.calls()).toBe(1);
  });

  it.runIf(process.env.TEST_DB_TARGET === 'postgres')('retries a real serialization failure on the server', async () => {
    const postgres = (await import('postgres')).default;
    const { drizzle } = await import('drizzle-orm/postgres-js');
    // Every transaction of this client is REPEATABLE READ, so a row changed after its snapshot fails with 40001.
    const client = postgres(database.url!, { max: 2, onnotice: () => {}, connection: { default_transaction_isolation: 'repeatable read' } });
    try {
      const db = drizzle(client);
      const [loc] = await db
        .insert(s.locations)
        .values({ code: `SER-${Math.random()}`, name: 'Serial', timezone: 'UTC' })
        .returning();
      let attempts = 0;
      const run = createTransactionRunner({ db, schema: 'scheduling', maxRetries: 3 });
      const result = await run({ actor: {} }, async (tx) => {
        attempts++;
        await tx.select().from(s.locations).where(eq(s.locations.id, loc!.id));
        if (attempts === 1) {
          // Another connection changes the row after our snapshot was taken…
          await client.begin((other) => other`UPDATE scheduling.locations SET name = 'changed' WHERE id = ${loc!.id}`);
        }
        // …so our update fails with 40001 the first time.
        await tx
          .update(s.locations)
          .set({ name: `attempt ${attempts}` })
          .where(eq(s.locations.id, loc!.id));
        return attempts;
      });
      expect(result).toBe(2);
      const [row] = await db.select().from(s.locations).where(eq(s.locations.id, loc!.id));
      expect(row!.name).toBe('attempt 2');
    } finally {
      await client.end();
    }
  });
});

describe('capacity policy', () => {
  it('refuses (in the first call) a policy that would strand existing sessions, naming them', async () => {
    const committed = await database.db.select().from(s.sessions).where(eq(s.sessions.sessionType, 'group'));
    const strict = createScheduler({ db: database.db, policy: { group: { max: 4 } } });
    const error = (await errorOf(() => strict.sessions.list(adminOf(academy), {}))) as SchedulingError;
    expect(error.code).toBe('CAPACITY_POLICY_VIOLATION');
    expect((error.details.conflictingSessionIds as string[]).sort()).toEqual(
      committed
        .filter((r) => r.capacity > 4 && r.status !== 'cancelled')
        .map((r) => r.id)
        .sort(),
    );
  });

  it("writes the scheduler's policy into the database in its first transaction, so the trigger enforces the same", async () => {
    const scheduler = createScheduler({ db: database.db, policy: { private: { max: 1 }, school: { max: 40 } } });
    expect(scheduler.policy).toEqual({ group: { min: 1, max: 5 }, private: { min: 1, max: 1 }, school: { min: 10, max: 40 } });
    await scheduler.sessions.list(adminOf(academy), {});
    const rows = await database.db.select().from(s.capacityPolicies).orderBy(s.capacityPolicies.sessionType);
    expect(rows.map((r) => [r.sessionType, r.minCapacity, r.maxCapacity])).toEqual([
      ['group', 1, 5],
      ['private', 1, 1],
      ['school', 10, 40],
    ]);
    const { session } = await scheduler.sessions.create(
      adminOf(academy),
      createInput(academy, { sessionType: 'school', startTime: at('2030-08-01T10:00:00Z'), endTime: at('2030-08-01T11:00:00Z') }),
    );
    expect(session.capacity).toBe(40);
    // The database itself now refuses what the policy refuses, even for raw SQL.
    const raw = await errorOf(() =>
      database.query(
        `INSERT INTO scheduling.sessions (program_id, course_id, location_id, facility_id, session_type, title, start_time, end_time, capacity, created_by)
         VALUES ('${academy.programId}', '${academy.courseId}', '${academy.locationId}', '${academy.lanesId}', 'private', 'x', '2030-08-03T10:00Z', '2030-08-03T11:00Z', 2, '${academy.adminId}')`,
      ),
    );
    expect(String((raw as { code?: string }).code ?? (raw as { cause?: { code?: string } }).cause?.code)).toBe('SC002');
    // Back to the defaults for the other tests; the school session must go first (the database refuses to strand it).
    await scheduler.sessions.cancel(adminOf(academy), { sessionId: session.id, reason: 'cleanup' });
    await createScheduler({ db: database.db }).sessions.list(adminOf(academy), {});
    expect((await database.db.select().from(s.capacityPolicies).where(eq(s.capacityPolicies.sessionType, 'school')))[0]!.maxCapacity).toBe(30);
  });
});

/**
 * Two academies' schedulers sharing one connection or one Drizzle instance (real
 * server, plus one embedded PGlite): every call must read and write its own academy
 * only, whatever runs beside it on the same connection. Academy A is the default
 * `scheduling` schema, academy B a schema of its own; each has one session, and
 * `sessions.list` must return exactly that academy's.
 *
 * FOUND BY REVIEW, CLOSED (these tests failed before the fix in the same change):
 * - `{ tx }` calls of two academies started together in one host transaction
 *   (postgres.js and PGlite): the search_path (and role) is a setting of the one
 *   connection, so the second call's `set_config` is in force when the first call's
 *   statements run: A lists B's sessions and writes its rows into B's schema, even
 *   with each academy's own role (src/db/transaction.ts `joined`).
 * - A host Drizzle built with a query cache (strategy 'all'): the scheduler's
 *   statements go through the host's session and its cache, whose key is the SQL text
 *   and parameters; the text names no schema, so B is answered with A's cached rows
 *   (src/db/scheduling-db.ts `withSchedulingSchema` keeps the host session's cache).
 * - One node-postgres `pg.Client` (not a Pool) shared by both: Drizzle runs every
 *   `transaction()` on that one client (BEGIN … COMMIT interleaved), so the two
 *   academies' transactions are one server transaction and A reads with B's
 *   search_path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/postgres-js';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { Cache } from 'drizzle-orm/cache/core';
import { sql } from 'drizzle-orm';
import { createScheduler, type Actor, type Scheduler } from '../../src';
import { grantAcademyRole, migrate } from '../../src/migrate';
import { queryRows } from '../../src/db/query';
import { createTestDatabase } from '../../src/testing';
import { rolledBack, useTestDatabase, type TestDb } from '../support/database';
import { insertSession, seedAcademy } from '../support/fixtures';
import { insertSessionIn, seedAcademyIn } from '../support/academy-in-schema';
import { adminOf } from '../support/actors';
import { at } from '../support/time';

const database = useTestDatabase();
const B = 'academy_adv_shared_b';
const clock = () => at('2029-06-01T00:00:00Z');
const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const own = {} as Record<'A' | 'B', { actor: Actor; sessionId: string }>;

/** Seeds an academy in `schema` (A: `scheduling`) with one session; returns its admin and session. */
async function seedBoth(db: TestDb) {
  const a = await seedAcademy(db);
  const b = await seedAcademyIn(db, B);
  return {
    A: { actor: adminOf(a), sessionId: (await insertSession(db, a)).id },
    B: { actor: adminOf(b), sessionId: (await insertSessionIn(db, B, b)).id },
  };
}

/** The ids `sessions.list` returns to `scheduler`. */
async function listed(scheduler: Scheduler, actor: Actor, options?: { tx: TestDb }) {
  const sessions = await scheduler.sessions.list(actor, {}, options);
  return sessions.map((s) => s.id);
}

beforeAll(async () => {
  await migrate(database.db, { schema: B });
  Object.assign(own, await seedBoth(database.db));
}, 120_000);

describe("two academies' calls inside one host transaction ({ tx }), started together", () => {
  it('each call lists only its own academy (Promise.all on one transaction)', async () => {
    const A = createScheduler({ db: database.db, now: clock });
    const Bs = createScheduler({ db: database.db, schema: B, now: clock });
    const seen: Array<{ A: string[]; B: string[] }> = [];
    await database.db.transaction(async (tx) => {
      for (let round = 0; round < 5; round++) {
        const [a, b] = await Promise.all([listed(A, own.A.actor, { tx }), listed(Bs, own.B.actor, { tx })]);
        seen.push({ A: a, B: b });
      }
    });
    expect(seen).toEqual(Array.from({ length: 5 }, () => ({ A: [own.A.sessionId], B: [own.B.sessionId] })));
  });

  it('writes of both academies started together each land in their own academy (Promise.all on one transaction)', async () => {
    const A = createScheduler({ db: database.db, now: clock });
    const Bs = createScheduler({ db: database.db, schema: B, now: clock });
    const code = { A: `LEAKA${Math.random().toString(36).slice(2, 8)}`, B: `LEAKB${Math.random().toString(36).slice(2, 8)}` };
    const landed = await rolledBack(database.db, async (tx) => {
      const system = { kind: 'system' } as const;
      const settled = await Promise.allSettled([
        A.academy.createProgram(system, { code: code.A, name: 'Written by A' }, { tx }),
        Bs.academy.createProgram(system, { code: code.B, name: 'Written by B' }, { tx }),
      ]);
      const where = async (c: string) => {
        const found: string[] = [];
        for (const schema of ['scheduling', B])
          if ((await queryRows(tx, sql.raw(`SELECT 1 FROM "${schema}".programs WHERE code = '${c}'`))).length) found.push(schema);
        return found;
      };
      return { settled: settled.map((r) => r.status), A: await where(code.A), B: await where(code.B) };
    });
    expect(landed).toEqual({ settled: ['fulfilled', 'fulfilled'], A: ['scheduling'], B: [B] });
  });

  it("with each academy's own role (grantAcademyRole): each call lists only its own academy (Promise.all on one transaction)", async () => {
    const roles = { A: `adv_shared_a_${suffix}`, B: `adv_shared_b_${suffix}` };
    await grantAcademyRole(database.db, { schema: 'scheduling', role: roles.A });
    await grantAcademyRole(database.db, { schema: B, role: roles.B });
    try {
      const A = createScheduler({ db: database.db, role: roles.A, now: clock });
      const Bs = createScheduler({ db: database.db, schema: B, role: roles.B, now: clock });
      const seen: Array<{ A: unknown; B: unknown }> = [];
      await database.db.transaction(async (tx) => {
        for (let round = 0; round < 3; round++) {
          const [a, b] = await Promise.allSettled([listed(A, own.A.actor, { tx }), listed(Bs, own.B.actor, { tx })]);
          seen.push({ A: a.status === 'fulfilled' ? a.value : String(a.reason), B: b.status === 'fulfilled' ? b.value : String(b.reason) });
        }
      });
      expect(seen).toEqual(Array.from({ length: 3 }, () => ({ A: [own.A.sessionId], B: [own.B.sessionId] })));
    } finally {
      for (const role of Object.values(roles)) {
        await database.query(`DROP OWNED BY ${role}`);
        await database.query(`DROP ROLE ${role}`);
      }
    }
  });
});

/** A Drizzle cache that caches every select (strategy 'all'), in memory. */
class MemoryCache extends Cache {
  readonly entries = new Map<string, unknown[]>();
  strategy() {
    return 'all' as const;
  }
  async get(key: string) {
    return this.entries.get(key);
  }
  async put(key: string, response: unknown) {
    this.entries.set(key, response as unknown[]);
  }
  async onMutate() {
    this.entries.clear();
  }
}

describe("two academies' schedulers on one host Drizzle instance", () => {
  it('with a Drizzle query cache (strategy "all"): each lists only its own academy', async () => {
    const client = postgres(database.url!, { max: 2, onnotice: () => {} });
    try {
      const db = drizzle(client, { cache: new MemoryCache() });
      const A = createScheduler({ db, now: clock });
      const Bs = createScheduler({ db, schema: B, now: clock });
      const outcome = { A: await listed(A, own.A.actor), B: await listed(Bs, own.B.actor) };
      expect(outcome).toEqual({ A: [own.A.sessionId], B: [own.B.sessionId] });
    } finally {
      await client.end();
    }
  });

  it('postgres.js, one connection, prepared statements reused by both academies (sequential and pipelined): each reads its own', async () => {
    const client = postgres(database.url!, { max: 1, onnotice: () => {} });
    try {
      const db = drizzle(client);
      const A = createScheduler({ db, now: clock });
      const Bs = createScheduler({ db, schema: B, now: clock });
      const seen: string[][] = [];
      for (let round = 0; round < 4; round++) {
        seen.push(await listed(A, own.A.actor), await listed(Bs, own.B.actor));
        const [a, b] = await Promise.all([listed(A, own.A.actor), listed(Bs, own.B.actor)]);
        seen.push(a, b);
        seen.push((await A.sessions.get(own.A.actor, { sessionId: own.A.sessionId })).id ? [own.A.sessionId] : []);
        seen.push((await Bs.sessions.get(own.B.actor, { sessionId: own.B.sessionId })).id ? [own.B.sessionId] : []);
      }
      expect(seen).toEqual(
        Array.from({ length: 4 }, () => [
          [own.A.sessionId],
          [own.B.sessionId],
          [own.A.sessionId],
          [own.B.sessionId],
          [own.A.sessionId],
          [own.B.sessionId],
        ]).flat(),
      );
    } finally {
      await client.end();
    }
  });

  it('node-postgres with one pg.Client (not a Pool), calls started together: each lists only its own academy', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const db = drizzleNodePostgres(client);
      const A = createScheduler({ db, now: clock });
      const Bs = createScheduler({ db, schema: B, now: clock });
      const seen: Array<{ A: unknown; B: unknown }> = [];
      for (let round = 0; round < 5; round++) {
        const [a, b] = await Promise.allSettled([listed(A, own.A.actor), listed(Bs, own.B.actor)]);
        seen.push({ A: a.status === 'fulfilled' ? a.value : String(a.reason), B: b.status === 'fulfilled' ? b.value : String(b.reason) });
      }
      expect(seen).toEqual(Array.from({ length: 5 }, () => ({ A: [own.A.sessionId], B: [own.B.sessionId] })));
    } finally {
      await client.end();
    }
  });
});

describe('two academies on one embedded PGlite', () => {
  let close: (() => Promise<void>) | undefined;
  let db: TestDb;
  let ids: Awaited<ReturnType<typeof seedBoth>>;
  beforeAll(async () => {
    const opened = await createTestDatabase({ academies: [B] });
    db = opened.db as unknown as TestDb;
    close = opened.close;
    ids = await seedBoth(db);
  }, 120_000);
  afterAll(async () => close?.());

  it('calls started together, each in its own transaction: each lists only its own academy', async () => {
    const A = createScheduler({ db, now: clock });
    const Bs = createScheduler({ db, schema: B, now: clock });
    const seen: Array<{ A: string[]; B: string[] }> = [];
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([listed(A, ids.A.actor), listed(Bs, ids.B.actor)]);
      seen.push({ A: a, B: b });
    }
    expect(seen).toEqual(Array.from({ length: 5 }, () => ({ A: [ids.A.sessionId], B: [ids.B.sessionId] })));
  });

  it('calls started together inside one host transaction ({ tx }): each lists only its own academy', async () => {
    const A = createScheduler({ db, now: clock });
    const Bs = createScheduler({ db, schema: B, now: clock });
    const seen: Array<{ A: unknown; B: unknown }> = [];
    await db.transaction(async (tx) => {
      for (let round = 0; round < 5; round++) {
        const [a, b] = await Promise.allSettled([listed(A, ids.A.actor, { tx }), listed(Bs, ids.B.actor, { tx })]);
        seen.push({ A: a.status === 'fulfilled' ? a.value : String(a.reason), B: b.status === 'fulfilled' ? b.value : String(b.reason) });
      }
    });
    expect(seen).toEqual(Array.from({ length: 5 }, () => ({ A: [ids.A.sessionId], B: [ids.B.sessionId] })));
  });
});

/**
 * What a host hands the academy API (real server): hostile `schema` values (String
 * objects, objects with toString, Proxies, arrays, getters that change their answer)
 * to every entry that takes one; a name at the 63-byte limit, end to end; a `role`
 * the scheduler was not given by `grantAcademyRole`; and the transaction settings a
 * `{ tx }` call leaves behind in the host's transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { withReplicas } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createScheduler, isSchedulingError, type Actor } from '../../src';
import { dropAcademy, grantAcademyRole, listAcademies, migrate, migrateAcademies, migrationStatus } from '../../src/migrate';
import { queryRows } from '../../src/db/query';
import { academyTables } from '../../src/schema';
import { onCitus, useTestDatabase } from '../support/database';
import { databaseDigest } from '../support/digest';
import { type Academy, createInput, insertSession, seedAcademy } from '../support/fixtures';
import { insertSessionIn, seedAcademyIn } from '../support/academy-in-schema';
import { adminOf } from '../support/actors';
import { errorOf } from '../support/refusals';
import { at } from '../support/time';

const database = useTestDatabase();
const B = 'academy_adv_inputs_b';
const clock = () => at('2029-06-01T00:00:00Z');
const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
// Roles belong to the server, not to this file's database: names of their own, dropped afterwards.
const ROLE_B = `adv_inputs_b_${suffix}`;
const ROLE_NONE = `adv_inputs_none_${suffix}`;
let a: Academy;
let b: Academy;
let sessionOfA: string;
let sessionOfB: string;

beforeAll(async () => {
  a = await seedAcademy(database.db);
  sessionOfA = (await insertSession(database.db, a)).id;
  await migrate(database.db, { schema: B });
  b = await seedAcademyIn(database.db, B);
  sessionOfB = (await insertSessionIn(database.db, B, b)).id;
  await grantAcademyRole(database.db, { schema: B, role: ROLE_B });
  await database.query(`CREATE ROLE ${ROLE_NONE} NOLOGIN`);
  await database.query(`GRANT ${ROLE_NONE} TO CURRENT_USER`);
}, 120_000);

afterAll(async () => {
  for (const role of [ROLE_B, ROLE_NONE]) {
    await database.query(`DROP OWNED BY ${role}`).catch(() => undefined);
    await database.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
  }
});

const namespaces = async () => (await database.query<{ n: string }>(`SELECT string_agg(nspname, ',' ORDER BY nspname) AS n FROM pg_namespace`))[0]!.n;

describe('hostile schema values', () => {
  const hostile: Array<[string, () => unknown]> = [
    ['a String object', () => new String('academy_hostile')],
    ['an object with toString', () => ({ toString: () => 'academy_hostile' })],
    ['a Proxy of a String object', () => new Proxy(new String('academy_hostile'), {})],
    ['an array of one name', () => ['academy_hostile']],
    ['a tagged template result of another schema', () => Object.assign(Object.create(String.prototype), { valueOf: () => 'scheduling' })],
  ];

  it.each(hostile)('%s is INVALID_INPUT everywhere, before any statement', async (_name, make) => {
    const before = await namespaces();
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['createScheduler', async () => createScheduler({ db: database.db, schema: make() as string })],
      ['migrate', () => migrate(database.db, { schema: make() as string })],
      ['migrationStatus', () => migrationStatus(database.db, { schema: make() as string })],
      ['migrateAcademies', () => migrateAcademies(database.db, { schemas: [make() as string] })],
      ['dropAcademy', () => dropAcademy(database.db, { schema: make() as string, confirm: make() as string })],
      ['grantAcademyRole', () => grantAcademyRole(database.db, { schema: make() as string, role: ROLE_NONE })],
    ];
    const outcomes: Record<string, string> = {};
    for (const [name, call] of calls) {
      const error = await errorOf(call);
      outcomes[name] = isSchedulingError(error) ? error.code : String(error);
    }
    expect(outcomes).toEqual(Object.fromEntries(calls.map(([name]) => [name, 'INVALID_INPUT'])));
    expect(await namespaces()).toBe(before);
  });

  it('a schema getter that changes its answer: createScheduler refuses getters; migrate uses one validated name', async () => {
    let reads = 0;
    const flipping = {
      get schema() {
        reads += 1;
        return reads % 2 === 1 ? 'academy_flip' : 'public';
      },
    };
    const options = Object.defineProperty({ db: database.db }, 'schema', { get: () => flipping.schema, enumerable: true });
    const error = await errorOf(async () => createScheduler(options as never));
    expect(isSchedulingError(error, 'INVALID_INPUT')).toBe(true);
    const before = await namespaces();
    reads = 0;
    const outcome = await migrate(database.db, flipping).then(
      () => 'migrated',
      (e: unknown) => (isSchedulingError(e) ? e.code : String(e)),
    );
    // Either refused, or exactly one valid schema was migrated: never public.
    const after = await namespaces();
    expect(outcome === 'INVALID_INPUT' ? after : after.split(',').filter((n) => !before.split(',').includes(n))).toEqual(
      outcome === 'INVALID_INPUT' ? before : ['academy_flip'],
    );
    expect(await database.query(`SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'sessions'`)).toEqual([]);
  });
});

describe('academyTables with odd names', () => {
  it.each([`a"b`, `x"."users" --`, `scheduling"; DROP SCHEMA scheduling CASCADE; --`])('%j stays one quoted identifier in every statement', (name) => {
    const t = academyTables(name);
    const quoted = `"${name.replaceAll('"', '""')}"`;
    const select = database.db.select({ id: t.sessions.id }).from(t.sessions).toSQL().sql;
    const insert = database.db.insert(t.programs).values({ code: 'X', name: 'X' }).toSQL().sql;
    expect(select).toBe(`select "id" from ${quoted}."sessions"`);
    expect(insert.startsWith(`insert into ${quoted}."programs"`)).toBe(true);
  });
});

describe('a schema name at the 63-byte limit, end to end', () => {
  const LONG = `academy_${'x'.repeat(54)}z`;

  it('migrates, serves a scheduler (session, booking, integrity), is listed, and drops', async () => {
    expect(LONG.length).toBe(63);
    await migrate(database.db, { schema: LONG });
    expect((await migrationStatus(database.db, { schema: LONG })).upToDate).toBe(true);
    const academy = await seedAcademyIn(database.db, LONG);
    const scheduler = createScheduler({ db: database.db, schema: LONG, now: clock });
    const admin = adminOf(academy);
    const { session } = await scheduler.sessions.create(
      admin,
      createInput(academy, { startTime: at('2030-02-05T15:00:00Z'), endTime: at('2030-02-05T16:00:00Z') }),
    );
    // On Citus a code built on the academy's worker names the worker's group (docs/scale-out.md): SES-2026-2-0001.
    expect(session.sessionId).toMatch(onCitus() ? /^SES-\d{4}-(\d+-)?0001$/ : /^SES-\d{4}-0001$/);
    expect((await scheduler.bookings.book(admin, { sessionId: session.id, studentId: academy.studentIds[0]! })).outcome).toBe('confirmed');
    expect(await scheduler.maintenance.verifyIntegrity(admin, {})).toEqual([]);
    expect(isSchedulingError(await errorOf(() => scheduler.sessions.get(admin, { sessionId: sessionOfA })), 'NOT_FOUND')).toBe(true);
    expect(await listAcademies(database.db)).toContain(LONG);
    expect(await dropAcademy(database.db, { schema: LONG, confirm: LONG })).toEqual({ dropped: LONG });
    expect(await listAcademies(database.db)).not.toContain(LONG);
  });
});

describe('a role the scheduler was not set up with', () => {
  const system: Actor = { kind: 'system' };

  it("B's role on academy A's scheduler: refused, and nothing of B is read or written", async () => {
    const digestOfB = await databaseDigest(database.db, B);
    const digestOfA = await databaseDigest(database.db);
    const scheduler = createScheduler({ db: database.db, role: ROLE_B, now: clock });
    const read = await errorOf(() => scheduler.sessions.get(adminOf(a), { sessionId: sessionOfB }));
    const write = await errorOf(() => scheduler.academy.createProgram(system, { code: 'ROGUE', name: 'Rogue' }));
    // 42501 insufficient_privilege, or 42P01 when a relation cannot even be looked up (no USAGE on the schema).
    const codes = [read, write].map((e) => (isSchedulingError(e) ? `${e.code} ${String(e.details.sqlstate ?? '')}`.trim() : String(e)));
    expect(codes.filter((code) => !/^DATABASE_ERROR (42501|42P01)$/.test(code))).toEqual([]);
    expect([await databaseDigest(database.db, B), await databaseDigest(database.db)]).toEqual([digestOfB, digestOfA]);
  });

  it('a role with no grants at all: refused, nothing written', async () => {
    const digestOfA = await databaseDigest(database.db);
    const scheduler = createScheduler({ db: database.db, role: ROLE_NONE, now: clock });
    const error = await errorOf(() => scheduler.academy.createProgram(system, { code: 'ROGUE2', name: 'Rogue' }));
    expect(isSchedulingError(error) && `${error.code} ${String(error.details.sqlstate)}`).toMatch(/^DATABASE_ERROR (42501|42P01)$/);
    expect(await databaseDigest(database.db)).toBe(digestOfA);
  });

  it('a role that does not exist: refused, nothing written', async () => {
    const digestOfA = await databaseDigest(database.db);
    const scheduler = createScheduler({ db: database.db, role: `adv_missing_${suffix}`, now: clock });
    const error = await errorOf(() => scheduler.academy.createProgram(system, { code: 'ROGUE3', name: 'Rogue' }));
    expect(isSchedulingError(error)).toBe(true);
    expect(await databaseDigest(database.db)).toBe(digestOfA);
  });
});

describe("what a { tx } call leaves in the host's transaction", () => {
  const settings = sql`SELECT current_setting('search_path') AS path, current_user::text AS who,
                              coalesce(current_setting('scheduling.actor_id', true), '') AS actor,
                              coalesce(current_setting('scheduling.allow_conflicts', true), '') AS allow`;

  it("an override (allowConflicts) and a role used by B's scheduler do not outlive the call, done or refused; A's next call does not inherit them", async () => {
    const schedulerB = createScheduler({ db: database.db, schema: B, role: ROLE_B, now: clock });
    const schedulerA = createScheduler({ db: database.db, now: clock });
    await database.db
      .transaction(async (tx) => {
        const before = await queryRows(tx, settings);
        // Two sessions in one facility at once: only with the override.
        const twin = createInput(b, { facilityId: b.poolId, startTime: at('2030-03-05T15:00:00Z'), endTime: at('2030-03-05T16:00:00Z') });
        const first = await schedulerB.sessions.create(adminOf(b), { ...twin, instructorId: b.instructorIds[0]! }, { tx });
        const second = await schedulerB.sessions.create(adminOf(b), { ...twin, instructorId: b.instructorIds[1]!, override: true }, { tx });
        expect(second.conflicts.length).toBeGreaterThan(0);
        expect(await queryRows(tx, settings)).toEqual(before);
        const refused = await errorOf(() =>
          schedulerB.sessions.create(adminOf(b), { ...twin, instructorId: b.instructorIds[2]!, override: true, capacity: 100_000 }, { tx }),
        );
        expect(isSchedulingError(refused)).toBe(true);
        expect(await queryRows(tx, settings)).toEqual(before);
        // A's scheduler, next in the same transaction: without an override its double booking is refused.
        const twinA = createInput(a, { facilityId: a.poolId, startTime: at('2030-03-05T15:00:00Z'), endTime: at('2030-03-05T16:00:00Z') });
        await schedulerA.sessions.create(adminOf(a), { ...twinA, instructorId: a.instructorIds[0]! }, { tx });
        const clash = await errorOf(() => schedulerA.sessions.create(adminOf(a), { ...twinA, instructorId: a.instructorIds[1]! }, { tx }));
        expect(isSchedulingError(clash) && clash.code).not.toBe(false);
        expect((clash as { code: string }).code).not.toBe('DATABASE_ERROR');
        // And the host's own raw write after them runs without the override and as the host.
        const raw = await errorOf(() =>
          tx.execute(
            sql.raw(
              `INSERT INTO "${B}".sessions (program_id, course_id, location_id, facility_id, session_type, title, start_time, end_time, capacity, created_by)
               SELECT program_id, course_id, location_id, facility_id, session_type, 'raw', start_time, end_time, capacity, created_by FROM "${B}".sessions WHERE id = '${first.session.id}'`,
            ),
          ),
        );
        const rawCode = String((raw as { cause?: { code?: string } }).cause?.code ?? raw);
        // On Citus a placement that one role (B's, through the scheduler) modified in a
        // transaction cannot be touched by another user in it: "cannot perform query on
        // placements that were modified in this transaction by a different user" (25001).
        // The settings checks above show the host is itself again either way.
        expect(rawCode).toMatch(onCitus() ? /^25001$/ : /^SC/);
        throw new Error('rollback');
      })
      .catch((error: unknown) => {
        if ((error as Error).message !== 'rollback') throw error;
      });
  });
});

describe('a withReplicas() database', () => {
  it('runs every call on the primary: a replica without the academy is never read', async () => {
    // The replica: the server's maintenance database, which has no academy schema.
    const replicaClient = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      const replicated = withReplicas(database.db as never, [drizzle(replicaClient) as never]);
      const scheduler = createScheduler({ db: replicated as never, schema: B, now: clock });
      expect((await scheduler.sessions.get(adminOf(b), { sessionId: sessionOfB })).id).toBe(sessionOfB);
      expect((await scheduler.sessions.list(adminOf(b), {})).map((s) => s.id)).toEqual([sessionOfB]);
    } finally {
      await replicaClient.end();
    }
  });
});

/**
 * One PostgreSQL schema per academy: `migrate(db, { schema })` creates an academy in a
 * schema of its own, and nothing it creates refers to any other schema (read back from
 * the catalog: dependencies, function bodies and settings, defaults, constraints,
 * triggers, indexes), while the `scheduling` academy beside it is untouched.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { MIGRATIONS, dropAcademy, listAcademies, migrate, migrateAcademies, migrationStatements, migrationStatus } from '../../src/migrate';
import { sqlForSchema } from '../../src/migrate/academy-schema';
import { academyTables } from '../../src/schema';
import { eq } from 'drizzle-orm';
import { useTestDatabase } from '../support/database';
import { errorOf } from '../support/refusals';
import { isSchedulingError } from '../../src/errors';

const database = useTestDatabase();
const ACADEMY = 'academy_b';

/** Every object of `schema` as text, with a count per kind: the academy's footprint. */
async function footprint(schema: string) {
  const [row] = await database.query<{ relations: number; functions: number; triggers: number }>(`
    SELECT (SELECT count(*)::int FROM pg_class c WHERE c.relnamespace = '${schema}'::regnamespace) AS relations,
           (SELECT count(*)::int FROM pg_proc p WHERE p.pronamespace = '${schema}'::regnamespace) AS functions,
           (SELECT count(*)::int FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = '${schema}'::regnamespace AND NOT t.tgisinternal) AS triggers`);
  return row!;
}

/** Every piece of SQL text the catalog holds for `schema`'s objects, with where it is. */
async function catalogText(schema: string) {
  return database.query<{ what: string; text: string }>(`
    SELECT 'function ' || p.proname AS what, pg_get_functiondef(p.oid) || coalesce(array_to_string(p.proconfig, ' '), '') AS text
      FROM pg_proc p WHERE p.pronamespace = '${schema}'::regnamespace
    UNION ALL
    SELECT 'default ' || c.relname || '.' || a.attname, pg_get_expr(d.adbin, d.adrelid)
      FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
     WHERE c.relnamespace = '${schema}'::regnamespace
    UNION ALL
    SELECT 'constraint ' || con.conname, pg_get_constraintdef(con.oid)
      FROM pg_constraint con WHERE con.connamespace = '${schema}'::regnamespace
    UNION ALL
    SELECT 'trigger ' || t.tgname, pg_get_triggerdef(t.oid)
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = '${schema}'::regnamespace AND NOT t.tgisinternal
    UNION ALL
    SELECT 'index ' || i.relname, pg_get_indexdef(i.oid)
      FROM pg_class i WHERE i.relnamespace = '${schema}'::regnamespace AND i.relkind = 'i'`);
}

describe('an academy in a schema of its own', () => {
  let before: Awaited<ReturnType<typeof footprint>>;
  beforeAll(async () => {
    before = await footprint('scheduling');
    expect(await migrate(database.db, { schema: ACADEMY })).toEqual({ applied: MIGRATIONS.map((m) => m.name) });
  }, 120_000);

  it('is created whole, is up to date, and a second migrate is a no-op', async () => {
    expect(await footprint(ACADEMY)).toEqual(before);
    expect(await migrate(database.db, { schema: ACADEMY })).toEqual({ applied: [] });
    const status = await migrationStatus(database.db, { schema: ACADEMY });
    expect([status.upToDate, status.applied.map((m) => m.checksum)]).toEqual([true, MIGRATIONS.map((m) => m.checksum)]);
    expect(await footprint('scheduling')).toEqual(before);
  });

  it('depends on no object of another schema but pg_catalog', async () => {
    const foreign = await database.query<{ object: string; depends_on: string }>(`
      SELECT pg_describe_object(d.classid, d.objid, d.objsubid) AS object, pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid) AS depends_on
        FROM pg_depend d
        JOIN LATERAL pg_identify_object(d.classid, d.objid, d.objsubid) o ON true
        JOIN LATERAL pg_identify_object(d.refclassid, d.refobjid, d.refobjsubid) r ON true
       WHERE o.schema = '${ACADEMY}' AND r.schema IS NOT NULL AND r.schema NOT IN ('${ACADEMY}', 'pg_catalog')`);
    expect(foreign).toEqual([]);
  });

  it('names no other schema in any function, setting, default, constraint, trigger or index', async () => {
    const texts = await catalogText(ACADEMY);
    expect(texts.length).toBeGreaterThan(100);
    // What may still say `scheduling.`: the transaction settings every academy shares.
    const strays = texts.filter((t) => /\bscheduling\b/.test(t.text.replace(/scheduling\.(actor_id|actor|allow_conflicts|operation|event_retention)\b/g, '')));
    expect(strays.map((t) => t.what)).toEqual([]);
    // The same objects of the `scheduling` academy do name it: the check can fail.
    const own = await catalogText('scheduling');
    expect(
      own.filter((t) => /"?scheduling"?\./.test(t.text.replace(/scheduling\.(actor_id|actor|allow_conflicts|operation|event_retention)\b/g, ''))).length,
    ).toBeGreaterThan(50);
  });

  it('runs its triggers and sequences in its own schema: rows written through academyTables(schema)', async () => {
    const t = academyTables(ACADEMY);
    const db = database.db;
    const sequence = async (schema: string) => (await database.query<{ n: string }>(`SELECT last_value::text AS n FROM "${schema}".session_code_seq`))[0]!.n;
    const before = await sequence('scheduling');
    const [user] = await db.insert(t.users).values({ email: 'office@academy-b.test', role: 'admin' }).returning();
    const [program] = await db.insert(t.programs).values({ code: 'SWIM', name: 'Swimming' }).returning();
    const [course] = await db.insert(t.courses).values({ code: 'CLUB', name: 'Club', programId: program!.id }).returning();
    const [location] = await db.insert(t.locations).values({ code: 'MAIN', name: 'Main', timezone: 'Europe/London' }).returning();
    const [facility] = await db.insert(t.facilities).values({ code: 'POOL', name: 'Pool', locationId: location!.id, capacity: 10 }).returning();
    const [student] = await db.insert(t.students).values({ firstName: 'Ada', lastName: 'B' }).returning();
    const [session] = await db
      .insert(t.sessions)
      .values({
        programId: program!.id,
        courseId: course!.id,
        locationId: location!.id,
        facilityId: facility!.id,
        sessionType: 'group',
        title: 'Swim',
        startTime: new Date('2031-01-06T10:00:00Z'),
        endTime: new Date('2031-01-06T11:00:00Z'),
        capacity: 4,
        createdBy: user!.id,
      })
      .returning();
    await db.insert(t.sessionBookings).values({ sessionId: session!.id, studentId: student!.id, bookingStatus: 'confirmed' });
    const [after] = await db.select().from(t.sessions).where(eq(t.sessions.id, session!.id));
    expect([after!.sessionId, after!.currentBookings]).toEqual([expect.stringMatching(/^SES-\d{4}-0001$/), 1]);
    // The academy's own sequence gave the code; the scheduling academy's did not move.
    expect([await sequence(ACADEMY), await sequence('scheduling')]).toEqual(['1', before]);
    // Its capacity trigger refuses a second group session's over-capacity write there too.
    await expect(db.update(t.sessions).set({ capacity: 500 }).where(eq(t.sessions.id, session!.id))).rejects.toThrow();
  });
});

describe('academy schema names', () => {
  it.each([
    ['Academy', 'upper case'],
    ['1academy', 'a leading digit'],
    ['academy-b', 'a dash'],
    ['a"b', 'a quote'],
    ['', 'empty'],
    ['a'.repeat(64), '64 characters'],
    ['pg_academy', 'reserved pg_ prefix'],
    ['information_schema', 'reserved'],
    ['public', 'the host schema'],
  ])('refuses %j (%s) as INVALID_INPUT at schema, reason invalid_schema_name, before touching the database', async (name) => {
    const before = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_namespace`);
    for (const call of [() => migrate(database.db, { schema: name }), () => migrationStatus(database.db, { schema: name })]) {
      const error = await errorOf(call);
      expect(isSchedulingError(error, 'INVALID_INPUT')).toBe(true);
      expect((error as { details: unknown }).details).toMatchObject({ path: ['schema'], reason: 'invalid_schema_name' });
    }
    expect(() => migrationStatements(MIGRATIONS[0]!, { schema: name })).toThrow(/schema/);
    expect(await database.query(`SELECT count(*)::int AS n FROM pg_namespace`)).toEqual(before);
  });

  it('accepts 63 characters, and quotes the name wherever it writes it', () => {
    const name = `a${'_'.repeat(61)}z`;
    const statements = migrationStatements(MIGRATIONS[0]!, { schema: name }).join('\n');
    expect(statements).toContain(`CREATE SCHEMA IF NOT EXISTS "${name}"`);
    expect(statements).not.toMatch(/"scheduling"/);
  });

  it('rewrites the schema only where it is one: settings and names that contain the word stay', () => {
    const text = [
      `CREATE TABLE "scheduling"."sessions" (id uuid);`,
      `SELECT nextval('scheduling.session_code_seq'), scheduling.record_conflict(x), 'scheduling.sessions'::regclass;`,
      `CREATE FUNCTION f() RETURNS void LANGUAGE sql SET search_path = scheduling, pg_temp AS $$ SELECT 1 $$;`,
      `SELECT current_setting('scheduling.actor_id', true), current_setting('scheduling.allow_conflicts', true);`,
      `CREATE TRIGGER t AFTER INSERT ON "scheduling"."sessions" FOR EACH ROW EXECUTE FUNCTION scheduling.detect_scheduling_conflicts();`,
      `-- a comment about scheduling. Nothing here.`,
    ].join('\n');
    expect(sqlForSchema(text, 'academy_b')).toBe(
      [
        `CREATE TABLE "academy_b"."sessions" (id uuid);`,
        `SELECT nextval('"academy_b".session_code_seq'), "academy_b".record_conflict(x), '"academy_b".sessions'::regclass;`,
        `CREATE FUNCTION f() RETURNS void LANGUAGE sql SET search_path = "academy_b", pg_temp AS $$ SELECT 1 $$;`,
        `SELECT current_setting('scheduling.actor_id', true), current_setting('scheduling.allow_conflicts', true);`,
        `CREATE TRIGGER t AFTER INSERT ON "academy_b"."sessions" FOR EACH ROW EXECUTE FUNCTION "academy_b".detect_scheduling_conflicts();`,
        `-- a comment about scheduling. Nothing here.`,
      ].join('\n'),
    );
    expect(sqlForSchema(text, 'scheduling')).toBe(text);
  });
});

describe('the academies of a database', () => {
  it("are listed by name: every schema with this package's tracking table, not a host's table of the same name", async () => {
    await migrate(database.db, { schema: 'academy_list' });
    await database.query(`CREATE SCHEMA IF NOT EXISTS rails_app`);
    await database.query(`CREATE TABLE IF NOT EXISTS rails_app.schema_migrations (version varchar PRIMARY KEY)`);
    const academies = await listAcademies(database.db);
    expect(academies).toContain('academy_list');
    expect(academies).toContain('scheduling');
    expect(academies).not.toContain('rails_app');
    expect(academies).toEqual([...academies].sort());
  }, 120_000);

  it('are upgraded in one call, each reported; one that fails stops nothing else', async () => {
    await migrate(database.db, { schema: 'academy_broken' });
    await database.query(`INSERT INTO academy_broken.schema_migrations (id, name, checksum) VALUES (999, '0998_from_the_future', 'x')`);
    const outcomes = await migrateAcademies(database.db);
    const broken = outcomes.find((o) => o.schema === 'academy_broken')!;
    expect(broken.ok).toBe(false);
    expect(!broken.ok && [broken.error.code, broken.error.details]).toEqual([
      'SCHEMA_TOO_NEW',
      { unknownMigrations: ['0998_from_the_future'], schema: 'academy_broken' },
    ]);
    const rest = outcomes.filter((o) => o.schema !== 'academy_broken');
    expect(rest.length).toBeGreaterThanOrEqual(2);
    expect(rest.every((o) => o.ok && o.applied.length === 0)).toBe(true);
    // Named schemas: a new one is created, and a bad name is refused before anything runs.
    expect(await migrateAcademies(database.db, { schemas: ['academy_named'] })).toEqual([
      { ok: true, schema: 'academy_named', applied: MIGRATIONS.map((m) => m.name) },
    ]);
    const error = await errorOf(() => migrateAcademies(database.db, { schemas: ['academy_ok', 'Bad'] }));
    expect((error as { details: unknown }).details).toMatchObject({ path: ['schemas', 1], reason: 'invalid_schema_name' });
    expect(await listAcademies(database.db)).not.toContain('academy_ok');
    await database.query(`DROP SCHEMA academy_broken CASCADE`);
  }, 240_000);

  it('is dropped only when named twice, only if it is an academy, and never with a host table in it', async () => {
    await migrate(database.db, { schema: 'academy_gone' });
    const wrong = await errorOf(() => dropAcademy(database.db, { schema: 'academy_gone', confirm: 'academy_gon' }));
    expect([isSchedulingError(wrong, 'INVALID_INPUT'), (wrong as { details: unknown }).details]).toEqual([true, { path: ['confirm'] }]);
    const missing = await errorOf(() => dropAcademy(database.db, { schema: 'rails_app', confirm: 'rails_app' }));
    expect(isSchedulingError(missing, 'NOT_FOUND')).toBe(true);
    await database.query(`CREATE TABLE academy_gone.host_notes (id int)`);
    const foreign = await errorOf(() => dropAcademy(database.db, { schema: 'academy_gone', confirm: 'academy_gone' }));
    expect([isSchedulingError(foreign, 'INVALID_STATE'), (foreign as { details: unknown }).details]).toEqual([
      true,
      { reason: 'foreign_objects', objects: ['table host_notes'] },
    ]);
    expect(await listAcademies(database.db)).toContain('academy_gone');
    await database.query(`DROP TABLE academy_gone.host_notes`);
    expect(await dropAcademy(database.db, { schema: 'academy_gone', confirm: 'academy_gone' })).toEqual({ dropped: 'academy_gone' });
    expect(await database.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'academy_gone'`)).toEqual([]);
    expect(await listAcademies(database.db)).toContain('scheduling');
    expect((await migrationStatus(database.db)).upToDate).toBe(true);
  }, 120_000);
});

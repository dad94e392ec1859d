import { sql } from 'drizzle-orm';
import { SchedulingError } from '../errors';
import { type AnyPgDatabase, queryRows } from '../db/query';
import { toSchedulingError } from '../db/database-errors';
import { parseAcademySchemaName, parseRoleName, quoteIdentifier } from '../db/academy-schema-name';
import { invalidInput } from '../domain/validate';
import { MIGRATIONS } from './migrations.generated';
import { type MigrateResult, migrate, migrationLock } from './migrate-schema';
import { isCitusDatabase } from '../db/citus-detect';

/*
 * Many academies in one database: each is a schema made by `migrate(db, { schema })`.
 * Here: finding them, upgrading them all, and removing one.
 */

/**
 * The academy schemas of the database, by name: every schema holding this package's
 * tracking table (`schema_migrations` with exactly the columns `migrate` gives it)
 * whose first row is this package's first migration, checksum included. Temporary
 * schemas, `public` and names an academy may not have are never listed.
 *
 * @example
 * ```ts
 * import { listAcademies } from 'academy-scheduling/migrate';
 * const schemas = await listAcademies(db); // ['academy_a', 'academy_b', 'scheduling']
 * ```
 */
export async function listAcademies(db: AnyPgDatabase): Promise<string[]> {
  try {
    const candidates = await queryRows<{ schema: string }>(
      db,
      sql`SELECT n.nspname AS schema
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relname = 'schema_migrations' AND c.relkind = 'r'
             AND n.nspname NOT LIKE 'pg\_%' AND n.nspname NOT IN ('information_schema', 'public')
             AND (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_attribute a
                   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) = ARRAY['applied_at', 'checksum', 'id', 'name']
           ORDER BY n.nspname`,
    );
    const names = candidates.map((row) => row.schema).filter(isAcademySchemaName);
    if (names.length === 0) return [];
    // The shape is not enough (a host may have a table like it): the first migration must be ours, checksum and all.
    const first = MIGRATIONS[0]!;
    const probes = names.map(
      (schema) =>
        sql`SELECT ${schema}::text AS schema FROM ${sql.raw(`${quoteIdentifier(schema)}.schema_migrations`)} WHERE id = ${first.id} AND name = ${first.name} AND checksum = ${first.checksum}`,
    );
    const rows = await queryRows<{ schema: string }>(db, sql`SELECT schema FROM (${sql.join(probes, sql` UNION ALL `)}) academies ORDER BY schema`);
    return rows.map((row) => row.schema);
  } catch (error) {
    throw toSchedulingError(error);
  }
}

/** True for a name {@link parseAcademySchemaName} accepts. */
function isAcademySchemaName(name: string): boolean {
  try {
    parseAcademySchemaName(name);
    return true;
  } catch {
    return false;
  }
}

/** One schema's outcome in {@link migrateAcademies}: what was applied, or why it failed. */
export type AcademyMigrationOutcome = ({ ok: true } & MigrateResult & { schema: string }) | { ok: false; schema: string; error: SchedulingError };

/**
 * Brings every academy schema of the database up to date (or those named in
 * `options.schemas`), each in its own transaction under its own lock, one after the
 * other: safe while other processes run it too (each schema is migrated once), and a
 * schema that fails is reported without stopping the others.
 *
 * @example
 * ```ts
 * import { migrateAcademies } from 'academy-scheduling/migrate';
 * for (const outcome of await migrateAcademies(db)) {
 *   if (!outcome.ok) console.error(outcome.schema, outcome.error.code, outcome.error.message);
 * }
 * ```
 */
export async function migrateAcademies(db: AnyPgDatabase, options: { schemas?: readonly string[] } = {}): Promise<AcademyMigrationOutcome[]> {
  const schemas = options.schemas ? options.schemas.map((schema, i) => parseAcademySchemaName(schema, ['schemas', i])) : await listAcademies(db);
  const outcomes: AcademyMigrationOutcome[] = [];
  for (const schema of schemas) {
    try {
      outcomes.push({ ok: true, schema, ...(await migrate(db, { schema })) });
    } catch (error) {
      outcomes.push({ ok: false, schema, error: toSchedulingError(error) });
    }
  }
  return outcomes;
}

/** The names a pattern captures in every migration. */
const createdBy = (pattern: RegExp) => MIGRATIONS.flatMap((m) => [...m.sql.matchAll(pattern)].map((match) => match[1]!));
/** Every table, sequence and function a migration creates, read from the migrations themselves (plus the tracking table). */
const OWN_TABLES = new Set(['schema_migrations', ...createdBy(/CREATE TABLE (?:IF NOT EXISTS )?"scheduling"\."(\w+)"/g)]);
const OWN_SEQUENCES = new Set(createdBy(/CREATE SEQUENCE (?:IF NOT EXISTS )?"scheduling"\."(\w+)"/g));
const OWN_FUNCTIONS = new Set(createdBy(/CREATE (?:OR REPLACE )?FUNCTION scheduling\.(\w+)/g));

/**
 * What `DROP SCHEMA … CASCADE` would take with it that this package did not create:
 * tables, views, sequences, composite types, functions and standalone types in the
 * schema that are not ours, and anything outside the schema that depends on it (a
 * host's view, foreign key or function).
 */
async function foreignObjects(tx: AnyPgDatabase, schema: string): Promise<string[]> {
  const inside = await queryRows<{ kind: string; name: string }>(
    tx,
    sql`SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'c' THEN 'type' ELSE 'table' END AS kind, c.relname AS name
          FROM pg_class c WHERE c.relnamespace = ${schema}::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'c')
        UNION ALL
        SELECT 'function', p.proname FROM pg_proc p WHERE p.pronamespace = ${schema}::regnamespace
        UNION ALL
        SELECT 'type', t.typname FROM pg_type t
         WHERE t.typnamespace = ${schema}::regnamespace AND t.typrelid = 0 AND t.typcategory <> 'A'`,
  );
  const own = { table: OWN_TABLES, sequence: OWN_SEQUENCES, function: OWN_FUNCTIONS } as Record<string, Set<string>>;
  const strangers = inside.filter((o) => !own[o.kind]?.has(o.name)).map((o) => `${o.kind} ${o.name}`);
  const dependents = await queryRows<{ name: string }>(
    tx,
    sql`WITH dependent AS (
          SELECT d.classid, d.objid, d.objsubid,
                 CASE d.classid
                   WHEN 'pg_class'::regclass THEN (SELECT relnamespace FROM pg_class WHERE oid = d.objid)
                   WHEN 'pg_proc'::regclass THEN (SELECT pronamespace FROM pg_proc WHERE oid = d.objid)
                   WHEN 'pg_type'::regclass THEN (SELECT typnamespace FROM pg_type WHERE oid = d.objid)
                   WHEN 'pg_constraint'::regclass THEN (SELECT connamespace FROM pg_constraint WHERE oid = d.objid)
                   WHEN 'pg_rewrite'::regclass THEN (SELECT c.relnamespace FROM pg_rewrite w JOIN pg_class c ON c.oid = w.ev_class WHERE w.oid = d.objid)
                   WHEN 'pg_trigger'::regclass THEN (SELECT c.relnamespace FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.oid = d.objid)
                   WHEN 'pg_attrdef'::regclass THEN (SELECT c.relnamespace FROM pg_attrdef a JOIN pg_class c ON c.oid = a.adrelid WHERE a.oid = d.objid)
                 END AS namespace
            FROM pg_depend d
            JOIN LATERAL pg_identify_object(d.refclassid, d.refobjid, d.refobjsubid) r ON true
           WHERE r.schema = ${schema} AND d.deptype IN ('n', 'a'))
        SELECT DISTINCT pg_describe_object(classid, objid, objsubid) AS name
          FROM dependent WHERE namespace IS NOT NULL AND namespace <> ${schema}::regnamespace
         ORDER BY 1`,
  );
  return [...new Set([...strangers, ...dependents.map((d) => d.name)])].sort();
}

/**
 * Removes an academy: drops its schema and everything in it, in one transaction under
 * the schema's migration lock. Guarded against accidents: `confirm` must repeat the
 * schema's name (`INVALID_INPUT` at `confirm`), the schema must be an academy
 * (`NOT_FOUND`), and it must hold nothing but what this package created, with nothing
 * outside it depending on it (`INVALID_STATE`, `reason: 'foreign_objects'`, naming
 * them: a host's table, sequence, function or type in it, or a host's view or foreign
 * key elsewhere that points into it, is never dropped with it).
 *
 * @example
 * ```ts
 * import { dropAcademy } from 'academy-scheduling/migrate';
 * await dropAcademy(db, { schema: 'academy_b', confirm: 'academy_b' });
 * ```
 */
export async function dropAcademy(db: AnyPgDatabase, options: { schema: string; confirm: string }): Promise<{ dropped: string }> {
  const schema = parseAcademySchemaName(options.schema);
  if (options.confirm !== schema) {
    throw invalidInput(`Invalid input at confirm: repeat the schema name ("${schema}") to drop the academy and all its data`, ['confirm']);
  }
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(migrationLock(schema));
      if (!(await listAcademies(tx)).includes(schema)) {
        throw new SchedulingError('NOT_FOUND', `No academy schema named ${schema}`, { path: ['schema'], entity: 'academy', id: schema });
      }
      const others = await foreignObjects(tx, schema);
      if (others.length > 0) {
        throw new SchedulingError('INVALID_STATE', `The schema ${schema} also holds ${others.join(', ')}, which this package did not create: move them first`, {
          reason: 'foreign_objects',
          objects: others,
        });
      }
      await tx.execute(sql.raw(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`));
      return { dropped: schema };
    });
  } catch (error) {
    throw toSchedulingError(error);
  }
}

/**
 * Gives an academy a database role of its own, with rights on its schema and nothing
 * else: usage of the schema, reading and writing its tables (no TRUNCATE), its
 * sequences and functions, also those a later migration adds (default privileges;
 * calling this again after `migrate` is harmless). The role is created `NOLOGIN` when
 * missing (on Citus `LOGIN`, without a password, and an existing one is given `LOGIN`:
 * Citus opens its connections to the workers as the current role), and granted to the
 * current user so that `createScheduler({ db, schema, role })` can act as it (`SET LOCAL ROLE`). Under it a query naming another academy's schema
 * is refused by PostgreSQL (permission denied), whatever the code above it does.
 *
 * Needs a user that may create roles (or an existing role) and owns the schema.
 *
 * @example
 * ```ts
 * import { migrate, grantAcademyRole } from 'academy-scheduling/migrate';
 * import { createScheduler } from 'academy-scheduling';
 *
 * await migrate(db, { schema: 'academy_b' });
 * await grantAcademyRole(db, { schema: 'academy_b', role: 'academy_b_app' });
 * const scheduler = createScheduler({ db, schema: 'academy_b', role: 'academy_b_app' });
 * ```
 */
export async function grantAcademyRole(db: AnyPgDatabase, options: { schema: string; role: string }): Promise<{ role: string; created: boolean }> {
  const schema = quoteIdentifier(parseAcademySchemaName(options.schema));
  const roleName = parseRoleName(options.role);
  const role = quoteIdentifier(roleName);
  try {
    return await db.transaction(async (tx) => {
      const [exists] = await queryRows<{ found: boolean }>(tx, sql`SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${roleName}) AS found`);
      // On Citus the workers run the academy's statements in sessions opened as the
      // current role: the role must be able to log in there (without a password it can
      // authenticate only the way the cluster's nodes do, e.g. pg_dist_authinfo).
      const citus = await isCitusDatabase(tx);
      if (!exists?.found) await tx.execute(sql.raw(`CREATE ROLE ${role} ${citus ? 'LOGIN' : 'NOLOGIN'}`));
      else if (citus) await tx.execute(sql.raw(`ALTER ROLE ${role} LOGIN`));
      for (const statement of [
        `GRANT USAGE ON SCHEMA ${schema} TO ${role}`,
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`,
        `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`,
        `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${schema} TO ${role}`,
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`,
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${role}`,
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT EXECUTE ON FUNCTIONS TO ${role}`,
        `GRANT ${role} TO CURRENT_USER`,
      ]) {
        await tx.execute(sql.raw(statement));
      }
      return { role: roleName, created: !exists?.found };
    });
  } catch (error) {
    throw toSchedulingError(error);
  }
}

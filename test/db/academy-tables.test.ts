/**
 * `academyTables(schema)` builds every table in the PostgreSQL schema of one academy:
 * queries name that schema, foreign keys stay inside the same table set, the human-id
 * defaults draw from that schema's sequences (its name quoted), and without a schema
 * the names are unqualified and resolve through `search_path`. The tables
 * `academy-scheduling/schema` exports are `academyTables('scheduling')`, unchanged:
 * equal to the factory's, and to drizzle-kit's snapshot of the latest migration.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Relations, SQL, createTableRelationsHelpers, getTableName, is, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pg-proxy';
import { PgDialect, PgSequence, PgTable, getTableConfig } from 'drizzle-orm/pg-core';
import { generateDrizzleJson } from 'drizzle-kit/api';
import * as schema from '../../src/schema';
import { academyRelations, academySchema, academyTables } from '../../src/schema';
import * as unqualified from '../../src/schema/unqualified';
import { queryRows } from '../../src/db/query';
import { MIGRATIONS, migrationStatements } from '../../src/migrate';
import { rolledBack, useTestDatabase } from '../support/database';

const database = useTestDatabase();

const dialect = new PgDialect();
const render = (value: SQL) => dialect.sqlToQuery(value).sql;
/** A Drizzle database that only renders SQL (`toSQL()`), never connects. */
const renderOnly = <T extends Record<string, unknown>>(tables: T) => drizzle(async () => ({ rows: [] }), { schema: tables });

type Tables = Record<string, unknown>;
const tablesOf = (set: Tables) => Object.entries(set).filter((entry): entry is [string, PgTable] => is(entry[1], PgTable));
const sequencesOf = (set: Tables) => Object.entries(set).filter((entry): entry is [string, PgSequence] => is(entry[1], PgSequence));

const relationsOf = (set: Tables) => Object.entries(set).filter((entry): entry is [string, Relations] => is(entry[1], Relations));

/** A table's relations: each name with the table it leads to. */
function relationsShape(relations: Relations) {
  const config = relations.config(createTableRelationsHelpers(relations.table));
  return {
    table: getTableName(relations.table),
    to: Object.fromEntries(Object.entries(config).map(([name, relation]) => [name, getTableName(relation.referencedTable)])),
  };
}

/** What drizzle-kit reads from a table, as plain data: SQL rendered, a foreign key's target by schema and name. */
function tableShape(table: PgTable) {
  const config = getTableConfig(table);
  return {
    name: config.name,
    schema: config.schema,
    columns: config.columns.map((column) => ({
      name: column.name,
      type: column.getSQLType(),
      notNull: column.notNull,
      primary: column.primary,
      unique: column.isUnique ? column.uniqueName : undefined,
      default: is(column.default, SQL) ? render(column.default) : column.default,
      generated: column.generated && is(column.generated.as, SQL) ? render(column.generated.as) : undefined,
      enumValues: column.enumValues,
    })),
    indexes: config.indexes.map(({ config: index }) => ({
      name: index.name,
      unique: index.unique,
      method: index.method,
      columns: index.columns.map((column) => (is(column, SQL) ? render(column) : (column as { name: string }).name)),
      where: index.where && render(index.where),
    })),
    checks: config.checks.map((check) => ({ name: check.name, value: render(check.value) })),
    foreignKeys: config.foreignKeys.map((foreignKey) => {
      const reference = foreignKey.reference();
      return {
        name: foreignKey.getName(),
        columns: reference.columns.map((column) => column.name),
        to: `${getTableConfig(reference.foreignTable).schema}.${getTableName(reference.foreignTable)}`,
        foreignColumns: reference.foreignColumns.map((column) => column.name),
        onDelete: foreignKey.onDelete,
        onUpdate: foreignKey.onUpdate,
      };
    }),
    primaryKeys: config.primaryKeys.map((key) => ({ name: key.getName(), columns: key.columns.map((column) => column.name) })),
    uniqueConstraints: config.uniqueConstraints.map((unique) => ({ name: unique.getName(), columns: unique.columns.map((column) => column.name) })),
  };
}

/** The `session_id` default (`SES-YYYY-NNNN`) of a table set. */
const sessionCodeDefault = (tables: { sessions: PgTable }) =>
  getTableConfig(tables.sessions).columns.find((column) => column.name === 'session_id')!.default as SQL;

describe('academyTables: the tables of one academy, in its own schema', () => {
  const academyB = academyTables('academy_b');

  it('queries read "academy_b"."sessions", relational queries included', () => {
    const db = renderOnly(academySchema('academy_b'));
    expect(db.select().from(academyB.sessions).toSQL().sql).toMatch(/ from "academy_b"\."sessions"$/);
    const nested = db.query.sessions.findFirst({ with: { bookings: { with: { student: true } } } }).toSQL().sql;
    expect(nested.match(/from "[^ ]+"/g)).toEqual(['from "academy_b"."sessions"', 'from "academy_b"."session_bookings"', 'from "academy_b"."students"']);
  });

  it('every table is in the schema, and every foreign key points at a table of the same call', () => {
    const tables = tablesOf(academyB).map(([, table]) => table);
    expect(tables).toHaveLength(tablesOf(schema).length);
    const foreignKeys = tables.flatMap((table) => getTableConfig(table).foreignKeys.map((key) => ({ from: table, to: key.reference().foreignTable })));
    expect(foreignKeys.length).toBeGreaterThan(50);
    for (const { from, to } of foreignKeys) {
      expect(getTableConfig(from).schema).toBe('academy_b');
      expect(tables, `${getTableName(from)} → ${getTableName(to)}`).toContain(to);
    }
    const sessionKeys = Object.fromEntries(
      getTableConfig(academyB.sessions).foreignKeys.map((key) => [key.reference().columns[0]!.name, key.reference().foreignTable]),
    );
    expect(sessionKeys.program_id).toBe(academyB.programs);
    expect(sessionKeys.facility_id).toBe(academyB.facilities);
    expect(sessionKeys.parent_session_id).toBe(academyB.sessions);
    // A second call is a second set: its keys point into itself, not into the first.
    const again = academyTables('academy_b');
    expect(
      getTableConfig(again.sessions)
        .foreignKeys.find((key) => key.reference().columns[0]!.name === 'program_id')!
        .reference().foreignTable,
    ).toBe(again.programs);
  });

  it('the sequences are in the schema, and the human-id defaults draw from them', () => {
    expect(sequencesOf(academyB).map(([, sequence]) => sequence.schema)).toEqual(Array(6).fill('academy_b'));
    expect(render(sessionCodeDefault(academyB))).toBe(`"academy_b".next_code('SES', 'session_code_seq')`);
  });

  it('a schema name with quotes is quoted in the human-id default, and PostgreSQL draws from its sequence', async () => {
    const weird = academyTables(`we"ird's`);
    expect(render(sessionCodeDefault(weird))).toBe(`"we""ird's".next_code('SES', 'session_code_seq')`);
    const rows = await rolledBack(database.db, async (tx) => {
      await tx.execute(sql`CREATE SCHEMA "we""ird's"`);
      await tx.execute(sql`CREATE SEQUENCE "we""ird's".session_code_seq`);
      // The functions of drizzle/0007, in that schema (as migrate writes them there).
      const [migration] = MIGRATIONS.filter((m) => m.name === '0007_citus');
      for (const statement of migrationStatements(migration!, { schema: 'we_ird' }).filter(
        (s) => s.includes('FUNCTION "we_ird".c') || s.includes('FUNCTION "we_ird".n'),
      )) {
        await tx.execute(sql.raw(statement.replaceAll('"we_ird"', `"we""ird's"`)));
      }
      return queryRows<{ code: string }>(tx, sql`SELECT ${sessionCodeDefault(weird)} AS code`);
    });
    expect(rows[0]!.code).toMatch(/^SES-\d{4}-0001$/);
  });

  it('without a schema the names are unqualified, and resolve through search_path', async () => {
    const bare = academyTables(undefined);
    expect(tablesOf(bare).map(([, table]) => getTableConfig(table).schema)).toEqual(Array(tablesOf(schema).length).fill(undefined));
    expect(renderOnly({}).select().from(bare.sessions).toSQL().sql).toMatch(/ from "sessions"$/);
    expect(render(sessionCodeDefault(bare))).toBe(`next_code('SES', 'session_code_seq')`);
    const student = await rolledBack(database.db, async (tx) => {
      await tx.execute(sql`SET LOCAL search_path = scheduling`);
      const [row] = await tx.insert(bare.students).values({ firstName: 'Ada', lastName: 'Lovelace' }).returning();
      return row!;
    });
    expect(student.studentId).toMatch(/^STU-\d{4}-\d{4}$/);
  });

  it('src/schema/unqualified exports the unqualified tables, sequences and relations, and the rest of the entry', () => {
    for (const [name] of tablesOf(schema)) expect(getTableConfig(unqualified[name as keyof typeof unqualified] as PgTable).schema, name).toBeUndefined();
    for (const [name] of sequencesOf(schema)) expect((unqualified[name as keyof typeof unqualified] as PgSequence).schema, name).toBeUndefined();
    expect(unqualified.sessionsRelations.table).toBe(unqualified.sessions);
    expect(unqualified.SESSION_STATUSES).toBe(schema.SESSION_STATUSES);
    expect(unqualified.scheduling).toBe(schema.scheduling);
  });
});

describe('the tables academy-scheduling/schema exports', () => {
  const built = academyTables('scheduling');

  it('are academyTables("scheduling"): the same names, columns, indexes, checks and keys', () => {
    expect(
      tablesOf(built)
        .map(([name]) => name)
        .sort(),
    ).toEqual(
      tablesOf(schema)
        .map(([name]) => name)
        .sort(),
    );
    for (const [name, table] of tablesOf(schema)) expect(tableShape(table), name).toEqual(tableShape(built[name as keyof typeof built] as PgTable));
    expect(sequencesOf(built).map(([name, s]) => [name, s.schema, s.seqName])).toEqual(sequencesOf(schema).map(([name, s]) => [name, s.schema, s.seqName]));
    expect(tableShape(schema.sessions).foreignKeys.map((key) => key.to)).toContain('scheduling.programs');
  });

  it('have the relations academyRelations builds, under the same names, between the same tables', () => {
    const shapes = (set: Tables) => Object.fromEntries(relationsOf(set).map(([name, relations]) => [name, relationsShape(relations)]));
    const exported = shapes(schema);
    expect(Object.keys(exported)).toHaveLength(20);
    expect(exported).toEqual(shapes(academyRelations(built)));
    expect(schema.sessionsRelations.table).toBe(schema.sessions);
  });

  it("are exactly drizzle-kit's snapshot of the latest migration, so generating finds nothing to migrate", () => {
    const journal = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as { entries: Array<{ idx: number }> };
    const latest = String(journal.entries.at(-1)!.idx).padStart(4, '0');
    const { id: _id, prevId: _prevId, ...snapshot } = JSON.parse(readFileSync(`drizzle/meta/${latest}_snapshot.json`, 'utf8'));
    const { id: _id2, prevId: _prevId2, ...generated } = generateDrizzleJson({ ...schema }, undefined, ['scheduling']);
    expect(generated).toEqual(snapshot);
  });
});

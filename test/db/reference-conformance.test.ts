/**
 * Every table, column, type, default, generated column, CHECK constraint and index of
 * the reference schema (docs/reference-schema.md, a copy of the spec) exists in the
 * migrated database. The expectations are parsed from the spec itself, so nothing
 * it lists can be forgotten.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database';

const spec = readFileSync(new URL('../../docs/reference-schema.md', import.meta.url), 'utf8');

interface SpecColumn {
  table: string;
  name: string;
  type: string;
  notNull: boolean;
  hasDefault: boolean;
  generated: boolean;
  unique: boolean;
  references?: string;
}

const TYPE = String.raw`(UUID|VARCHAR\(\d+\)|TEXT\[\]|TEXT|INTEGER\[\]|INTEGER|TIMESTAMP|BOOLEAN|DECIMAL\(\d+,\d+\)|DATE\[\]|DATE|TIME|JSONB)`;

function parseColumn(table: string, line: string): SpecColumn | undefined {
  const match = new RegExp(String.raw`^(\w+)\s+${TYPE}(?=[\s,]|$)(.*)$`).exec(line);
  if (!match) return undefined;
  const rest = match[3] ?? '';
  return {
    table,
    name: match[1]!,
    type: match[2]!,
    notNull: /NOT NULL|PRIMARY KEY/.test(rest),
    hasDefault: /DEFAULT/.test(rest),
    generated: /GENERATED ALWAYS/.test(rest),
    unique: /\bUNIQUE\b/.test(rest),
    references: /REFERENCES (\w+)/.exec(rest)?.[1],
  };
}

const tables = [...spec.matchAll(/CREATE TABLE (\w+) \(([\s\S]*?)\n\);/g)].map((m) => ({ name: m[1]!, body: m[2]! }));
const columns: SpecColumn[] = [];
const constraints: Array<{ table: string; name: string }> = [];
for (const table of tables) {
  for (const raw of table.body.split('\n')) {
    const line = raw.replace(/--.*$/, '').trim();
    const constraint = /^CONSTRAINT (\w+)/.exec(line);
    if (constraint) constraints.push({ table: table.name, name: constraint[1]! });
    const column = parseColumn(table.name, line);
    if (column) columns.push(column);
  }
}
for (const m of spec.matchAll(new RegExp(String.raw`ALTER TABLE (\w+) ADD COLUMN (\w+ ${TYPE}.*?);`, 'g'))) {
  const column = parseColumn(m[1]!, m[2]!);
  if (column) columns.push(column);
}
const indexes = [...spec.matchAll(/CREATE INDEX (\w+) ON (\w+)/g)].map((m) => ({ name: m[1]!, table: m[2]! }));
const triggerFunctions = [...spec.matchAll(/CREATE OR REPLACE FUNCTION (\w+)\(\)/g)].map((m) => m[1]!);

/** information_schema's name for a reference type (TIMESTAMP becomes timestamptz on purpose). */
function expectedType(type: string): { data_type: string; udt_name: string; length?: number; precision?: number; scale?: number } {
  const varchar = /^VARCHAR\((\d+)\)$/.exec(type);
  if (varchar) return { data_type: 'character varying', udt_name: 'varchar', length: Number(varchar[1]) };
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(type);
  if (decimal) return { data_type: 'numeric', udt_name: 'numeric', precision: Number(decimal[1]), scale: Number(decimal[2]) };
  const map: Record<string, [string, string]> = {
    UUID: ['uuid', 'uuid'],
    TEXT: ['text', 'text'],
    INTEGER: ['integer', 'int4'],
    TIMESTAMP: ['timestamp with time zone', 'timestamptz'],
    BOOLEAN: ['boolean', 'bool'],
    DATE: ['date', 'date'],
    TIME: ['time without time zone', 'time'],
    JSONB: ['jsonb', 'jsonb'],
    'TEXT[]': ['ARRAY', '_text'],
    'INTEGER[]': ['ARRAY', '_int4'],
    'DATE[]': ['ARRAY', '_date'],
  };
  const [data_type, udt_name] = map[type]!;
  return { data_type, udt_name };
}

const database = useTestDatabase();

interface DbColumn {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  character_maximum_length: number | null;
  numeric_precision: number | null;
  numeric_scale: number | null;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  is_generated: 'ALWAYS' | 'NEVER';
}

describe('the migrated database contains the whole reference schema', () => {
  it('parsed a plausible amount of the spec (guards the parser itself)', () => {
    expect(tables.map((t) => t.name)).toEqual([
      'sessions',
      'recurring_patterns',
      'session_bookings',
      'instructor_availability',
      'schedule_conflicts',
      'session_waitlist',
      'session_feedback',
      'session_resources',
    ]);
    expect(columns.length).toBe(176 + 5); // eight tables, plus the five "Schema Evolution" columns
    expect(
      columns
        .filter((c) => c.generated)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['available_spots', 'duration_minutes', 'total_cost']);
    expect(indexes.length).toBeGreaterThan(35);
    expect(constraints.length).toBeGreaterThan(15);
  });

  it('every column, with its type, nullability, default and generation', async () => {
    const rows = await database.query<DbColumn>(
      `SELECT table_name, column_name, data_type, udt_name, character_maximum_length, numeric_precision, numeric_scale,
              is_nullable, column_default, is_generated
       FROM information_schema.columns WHERE table_schema = 'scheduling'`,
    );
    const byKey = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r]));
    const problems: string[] = [];
    for (const column of columns) {
      const key = `${column.table}.${column.name}`;
      const actual = byKey.get(key);
      if (!actual) {
        problems.push(`${key} is missing`);
        continue;
      }
      const expected = expectedType(column.type);
      if (actual.data_type !== expected.data_type || actual.udt_name !== expected.udt_name)
        problems.push(`${key}: type ${actual.udt_name}, expected ${expected.udt_name}`);
      if (expected.length && Number(actual.character_maximum_length) !== expected.length) problems.push(`${key}: length ${actual.character_maximum_length}`);
      if (expected.precision && (Number(actual.numeric_precision) !== expected.precision || Number(actual.numeric_scale) !== expected.scale))
        problems.push(`${key}: precision`);
      if (column.notNull && actual.is_nullable !== 'NO') problems.push(`${key} should be NOT NULL`);
      if (column.generated !== (actual.is_generated === 'ALWAYS')) problems.push(`${key}: generated ${actual.is_generated}`);
      if (column.hasDefault && !column.generated && actual.column_default === null) problems.push(`${key} has no default`);
    }
    expect(problems).toEqual([]);
  });

  it('every named CHECK/UNIQUE constraint, unique column and foreign key', async () => {
    const named = await database.query<{ conname: string; table_name: string }>(
      `SELECT c.conname, t.relname AS table_name FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'scheduling'`,
    );
    const have = new Set(named.map((r) => `${r.table_name}.${r.conname}`));
    expect(constraints.filter((c) => !have.has(`${c.table}.${c.name}`))).toEqual([]);

    const fks = await database.query<{ table_name: string; column_name: string; foreign_table: string }>(
      `SELECT tc.table_name, kcu.column_name, ccu.table_name AS foreign_table
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
       JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
       WHERE tc.table_schema = 'scheduling' AND tc.constraint_type = 'FOREIGN KEY'`,
    );
    const fkSet = new Set(fks.map((f) => `${f.table_name}.${f.column_name}->${f.foreign_table}`));
    const missingFks = columns.filter((c) => c.references && !fkSet.has(`${c.table}.${c.name}->${c.references}`));
    expect(missingFks.map((c) => `${c.table}.${c.name}`)).toEqual([]);

    const uniques = await database.query<{ table_name: string; column_name: string }>(
      `SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
       WHERE tc.table_schema = 'scheduling' AND tc.constraint_type = 'UNIQUE'`,
    );
    const uniqueSet = new Set(uniques.map((u) => `${u.table_name}.${u.column_name}`));
    expect(columns.filter((c) => c.unique && !uniqueSet.has(`${c.table}.${c.name}`)).map((c) => c.name)).toEqual([]);
  });

  it('every inline CHECK of a column is enforced by a constraint that mentions it', async () => {
    const checks = await database.query<{ table_name: string; def: string }>(
      `SELECT t.relname AS table_name, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE n.nspname = 'scheduling' AND c.contype = 'c'`,
    );
    const missing: string[] = [];
    for (const table of tables) {
      for (const raw of table.body.split('\n')) {
        const line = raw.trim();
        const column = parseColumn(table.name, line);
        if (!column || !/CHECK/.test(line)) continue;
        if (!checks.some((c) => c.table_name === table.name && c.def.includes(column.name))) missing.push(`${table.name}.${column.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every index of "Performance Indexes", on the table it names', async () => {
    const rows = await database.query<{ indexname: string; tablename: string }>(`SELECT indexname, tablename FROM pg_indexes WHERE schemaname = 'scheduling'`);
    const have = new Set(rows.map((r) => `${r.tablename}.${r.indexname}`));
    expect(indexes.filter((i) => !have.has(`${i.table}.${i.name}`))).toEqual([]);
  });

  it('the four reference trigger functions, and session_bookings_archive with the same columns in the same order', async () => {
    const fns = await database.query<{ proname: string }>(
      `SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'scheduling'`,
    );
    const names = new Set(fns.map((f) => f.proname));
    expect(triggerFunctions.filter((f) => !names.has(f))).toEqual([]);
    const ordered = async (table: string) =>
      (
        await database.query<{ column_name: string; udt_name: string }>(
          `SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = 'scheduling' AND table_name = '${table}' ORDER BY ordinal_position`,
        )
      ).map((c) => `${c.column_name}:${c.udt_name}`);
    expect(await ordered('session_bookings_archive')).toEqual(await ordered('session_bookings'));
  });
});

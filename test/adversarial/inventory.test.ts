/**
 * The inventory is complete and true: docs/guarantees.md lists exactly the rows of
 * `inventory.ts`, every trigger it names guards its table in a migrated database, and
 * every write that could break a guarantee is raced by at least one attack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database';
import { ATTACKS } from './attacks';
import { GUARANTEES, INVENTORY, entryKey, mustBeAttacked, triggerOf } from './inventory';

const database = useTestDatabase();
const page = readFileSync(join(__dirname, '../../docs/guarantees.md'), 'utf8');

describe('docs/guarantees.md and the inventory', () => {
  it('the page lists every guarantee with its SQLSTATE, code and findings', () => {
    for (const g of GUARANTEES) {
      const line = page.split('\n').find((l) => l.startsWith(`| ${g.id} |`));
      expect(line, g.id).toBeDefined();
      expect(line).toContain(`| ${g.sqlstate} | \`${g.code}\` |`);
      for (const kind of g.findings) expect(line).toContain(`\`${kind}\``);
    }
  });

  it('the page lists exactly the inventory rows, under their guarantee', () => {
    const sections = page.split(/^### /m).slice(1);
    const rows = sections.flatMap((section) => {
      const id = section.slice(0, 2);
      return section
        .split('\n')
        .filter((l) => l.startsWith('| ') && !l.startsWith('| table') && !l.startsWith('|---'))
        .map((l) => `${id} ${l}`);
    });
    const expected = INVENTORY.map((e) => `${e.guarantee} | ${e.table} | ${e.writes} | ${e.guard} |`);
    expect(rows).toEqual(expected);
  });

  it('every trigger the inventory names exists on its table', async () => {
    const triggers = await database.query<{ table: string; name: string }>(
      `SELECT c.relname AS table, t.tgname AS name FROM pg_trigger t
       JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'scheduling' AND NOT t.tgisinternal`,
    );
    const present = new Set(triggers.map((t) => `${t.table}.${t.name}`));
    for (const entry of INVENTORY) {
      const trigger = triggerOf(entry);
      if (trigger) expect(present, entryKey(entry)).toContain(`${entry.table}.${trigger}`);
      else expect(mustBeAttacked(entry), `${entryKey(entry)} names no trigger`).toBe(false);
    }
  });

  it('every write that could break a guarantee is raced by an attack', () => {
    const attacked = new Set(ATTACKS.flatMap((a) => a.targets));
    const missing = INVENTORY.filter(mustBeAttacked)
      .map(entryKey)
      .filter((key) => !attacked.has(key));
    expect(missing).toEqual([]);
  });
});

/**
 * The status sets of src/domain/statuses.ts are the ones the database states: the
 * CHECK constraints list exactly every status, `scheduling.is_active_status` is true
 * for exactly ACTIVE_SESSION_STATUSES, and every literal list in the functions and
 * triggers as a migrated database runs them (drizzle/current/, which
 * test/db/current-sql.test.ts keeps equal to the migrations) is one of the named sets.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import * as sets from '../../src/domain/statuses';
import { ACTIVE_SESSION_STATUSES, SESSION_STATUSES, WAITLIST_STATUSES } from '../../src/domain/statuses';
import { useTestDatabase } from '../support/database';

const database = useTestDatabase();

/** The string literals in a CHECK constraint's definition, in order. */
async function checkedValues(constraint: string): Promise<string[]> {
  const [row] = await database.query<{ def: string }>(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = '${constraint}'`);
  return [...row!.def.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!);
}

describe('status sets: one statement, the same in TypeScript and SQL', () => {
  it('chk_session_status and chk_waitlist_status list exactly SESSION_STATUSES and WAITLIST_STATUSES', async () => {
    expect(await checkedValues('chk_session_status')).toEqual([...SESSION_STATUSES]);
    expect(await checkedValues('chk_waitlist_status')).toEqual([...WAITLIST_STATUSES]);
  });

  it('scheduling.is_active_status is true for exactly ACTIVE_SESSION_STATUSES', async () => {
    for (const status of SESSION_STATUSES) {
      const [row] = await database.query<{ active: boolean }>(`SELECT scheduling.is_active_status('${status}') AS active`);
      expect(row!.active, status).toBe((ACTIVE_SESSION_STATUSES as readonly string[]).includes(status));
    }
  });

  it('every literal value list in the current functions and triggers is one of the named sets', () => {
    const named = Object.entries(sets).flatMap(([name, value]) => (Array.isArray(value) ? [[name, (value as readonly string[]).join(',')] as const] : []));
    const current = new URL('../../drizzle/current/', import.meta.url);
    const files = [...readdirSync(new URL('functions/', current)).map((f) => new URL(`functions/${f}`, current)), new URL('triggers.sql', current)];
    const lists: Array<{ file: string; values: string }> = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // `IN ('a', 'b')` in functions; `= ANY ((ARRAY['a'::character varying, …])` in trigger WHEN clauses.
      for (const m of text.matchAll(/IN \(('[a-z_]+'(?:, '[a-z_]+')+)\)|ARRAY\[('[a-z_]+'[^\]]*)\]/g)) {
        const values = [...(m[1] ?? m[2]!).matchAll(/'([a-z_]+)'/g)].map((v) => v[1]).join(',');
        lists.push({ file: file.pathname.split('/').slice(-2).join('/'), values });
      }
    }
    expect(lists.length).toBeGreaterThan(15);
    const unnamed = lists.filter((list) => !named.some(([, values]) => values === list.values));
    expect(unnamed, 'lists that are not a set of src/domain/statuses.ts').toEqual([]);
  });
});

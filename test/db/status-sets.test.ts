/**
 * The status sets of src/domain/statuses.ts are the ones the database states: the
 * CHECK constraints list exactly every status, and `scheduling.is_active_status`
 * (which the triggers use) is true for exactly ACTIVE_SESSION_STATUSES.
 */
import { describe, expect, it } from 'vitest';
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
});

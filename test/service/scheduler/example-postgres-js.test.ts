import { describe, expect, it } from 'vitest';
import { runPostgresJsExample } from '../../../examples/postgres-js/index';
import { useTestDatabase } from '../../support/database';

// The example opens its own postgres.js connections from a URL, so it needs the real server.
describe.runIf(process.env.TEST_DB_TARGET === 'postgres')('examples/postgres-js', () => {
  const database = useTestDatabase();

  it('books a class for two full, queues the third child, and hands them the place a cancellation frees', async () => {
    const lines: string[] = [];
    const result = await runPostgresJsExample(database.url!, (line) => lines.push(line));
    expect(result).toEqual({
      // The test database is a copy of a migrated template: nothing left to apply.
      migrationsApplied: [],
      confirmed: ['Ada', 'Ben'],
      waitlisted: [{ child: 'Cleo', position: 1 }],
      offeredTo: 'Cleo',
      acceptedBookingStatus: 'confirmed',
    });
    expect(lines[0]).toBe('Schema already up to date');
    expect(lines.at(-1)).toBe('Cleo accepted: booking confirmed');
  });

  it('runs again on the same database (its academy codes are unique per run)', async () => {
    const again = await runPostgresJsExample(database.url!, () => {});
    expect(again.acceptedBookingStatus).toBe('confirmed');
  });
});

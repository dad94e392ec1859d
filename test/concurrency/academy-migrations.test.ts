/**
 * Creating and upgrading academies from several processes at once (real server only):
 * each process has its own connection and runs `migrate` / `migrateAcademies` on the
 * same schemas at the same moment. Every schema is migrated exactly once (one caller
 * applies each migration, the others find it done), nobody fails, and every academy
 * ends up whole.
 */
import { describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { MIGRATIONS, listAcademies, migrate, migrateAcademies, migrationStatus } from '../../src/migrate';
import { useTestDatabase } from '../support/database';

const database = useTestDatabase();
const PROCESSES = 6;
const ALL = MIGRATIONS.map((m) => m.name);

/** `PROCESSES` clients of one connection each, as separate processes would have. */
async function withClients<T>(work: (dbs: Array<ReturnType<typeof drizzle>>) => Promise<T>): Promise<T> {
  const clients = Array.from({ length: PROCESSES }, () => postgres(database.url!, { max: 1, onnotice: () => {} }));
  try {
    return await work(clients.map((client) => drizzle(client)));
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

describe('academies migrated by several processes at once', () => {
  it('a new academy: one process creates it, the others find it done', async () => {
    const results = await withClients((dbs) => Promise.all(dbs.map((db) => migrate(db, { schema: 'academy_race_one' }))));
    expect(results.filter((r) => r.applied.length > 0)).toEqual([{ applied: ALL }]);
    expect(results.filter((r) => r.applied.length === 0)).toHaveLength(PROCESSES - 1);
    expect((await migrationStatus(database.db, { schema: 'academy_race_one' })).upToDate).toBe(true);
  });

  it('migrateAcademies over the same schemas from every process: each schema migrated once, every outcome ok', async () => {
    const schemas = ['academy_race_a', 'academy_race_b', 'academy_race_c', 'academy_race_d'];
    // Each process walks the list in its own order, so they meet on every schema.
    const outcomes = await withClients((dbs) => Promise.all(dbs.map((db, i) => migrateAcademies(db, { schemas: i % 2 ? [...schemas].reverse() : schemas }))));
    const flat = outcomes.flat();
    expect(flat.filter((o) => !o.ok)).toEqual([]);
    for (const schema of schemas) {
      const applied = flat.filter((o) => o.schema === schema && o.ok && o.applied.length > 0);
      expect([schema, applied.map((o) => o.ok && o.applied)]).toEqual([schema, [ALL]]);
    }
    expect(await listAcademies(database.db)).toEqual(expect.arrayContaining(schemas));
    // And then everything at once, listed: all ok, nothing left to apply.
    const again = await withClients((dbs) => Promise.all(dbs.map((db) => migrateAcademies(db))));
    expect(again.flat().every((o) => o.ok && o.applied.length === 0)).toBe(true);
  }, 120_000);
});

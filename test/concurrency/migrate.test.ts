import { afterAll, expect, it } from 'vitest';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate, migrationStatus, MIGRATIONS } from '../../src/migrate';
import { databaseUrlFor, dropDatabase } from '../support/server';

const name = `acsched_migrate_${process.pid}_${Date.now()}`;
afterAll(() => dropDatabase(name));

it('10 concurrent migrate() calls on an empty database all succeed, and exactly one applies', async () => {
  const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const clients = Array.from({ length: 10 }, () => postgres(databaseUrlFor(name), { max: 1, onnotice: () => {} }));
  try {
    const results = await Promise.all(clients.map((client) => migrate(drizzle(client))));
    const appliers = results.filter((r) => r.applied.length > 0);
    expect(appliers).toEqual([{ applied: MIGRATIONS.map((m) => m.name) }]);
    expect(results.filter((r) => r.applied.length === 0)).toHaveLength(9);
    expect((await migrationStatus(drizzle(clients[0]!))).upToDate).toBe(true);
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
});

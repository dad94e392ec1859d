/**
 * Figure 6: a fresh migrated PGlite database from the snapshot versus creating and
 * migrating one cold. Target: <= 0.25x.
 */
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from '../../src/migrate';
import { createMigratedSnapshot } from '../../src/testing';
import { compared, type Figure, medianMs } from '../harness';

export async function testHarnessFigures(runs = 5): Promise<Figure[]> {
  const snapshot = await createMigratedSnapshot();
  const cold = await medianMs(async () => {
    const client = await PGlite.create();
    await migrate(drizzle(client));
    await client.close();
  }, runs);
  const warm = await medianMs(async () => {
    const client = await PGlite.create({ loadDataDir: snapshot });
    await client.query('SELECT 1');
    await client.close();
  }, runs);
  return [
    compared('test db from snapshot', warm, 'ms', { name: 'create + migrate cold', value: cold }, '<= 0.25x', (r) => r <= 0.25, runs),
  ];
}

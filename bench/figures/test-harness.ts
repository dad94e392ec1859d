/**
 * Figure 6: a fresh migrated PGlite database from the snapshot versus creating and
 * migrating one cold. Target: <= 0.25x. The headline is what ships: `createTestDatabase()`
 * from its per-process snapshot. Measured beside it, against the same baseline: the
 * same from the bytes of a snapshot file (how our test harness opens one per test
 * file), and the previous way (a gzipped snapshot given to `PGlite.create({ loadDataDir })`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from '../../src/migrate';
import { createMigratedSnapshot, createTestDatabase } from '../../src/testing';
import { compared, type Figure, forScale, interleavedMedians, measured, noteWith } from '../harness';

/** Runs one query (so the database is really usable) and closes it. */
async function queryAndClose(client: PGlite): Promise<void> {
  await client.query('SELECT count(*) FROM scheduling.sessions');
  await client.close();
}

/** The gzipped data directory the previous version shipped (no checkpoint, default settings). */
async function previousGzipSnapshot(): Promise<Blob> {
  const client = await PGlite.create();
  try {
    await migrate(drizzle(client));
    return await client.dumpDataDir('gzip');
  } finally {
    await client.close();
  }
}

/**
 * Figure 6 and its variants, all measured interleaved against create + migrate cold in
 * the same run, plus the snapshot sizes.
 *
 * @example
 * ```ts
 * figures.push(...(await testHarnessFigures()));
 * ```
 */
export async function testHarnessFigures(runs = 7): Promise<Figure[]> {
  // Creates the per-process snapshot, outside the measured runs.
  await (await createTestDatabase()).close();
  const snapshot = await createMigratedSnapshot();
  const previous = await previousGzipSnapshot();
  const dir = mkdtempSync(join(tmpdir(), 'acsched-bench-'));
  const file = join(dir, 'snapshot.tar');
  writeFileSync(file, new Uint8Array(await snapshot.arrayBuffer()));

  const options: Array<{ name: string; open: () => Promise<void>; how: string }> = [
    {
      name: 'test database from snapshot (as shipped)',
      open: async () => queryAndClose((await createTestDatabase()).client),
      how: 'createTestDatabase() from its per-process snapshot',
    },
    {
      name: 'test database from a snapshot file (as our test harness)',
      open: async () => queryAndClose((await createTestDatabase({ snapshot: readFileSync(file) })).client),
      how: 'readFileSync of the createMigratedSnapshot() file + createTestDatabase({ snapshot: bytes })',
    },
  ];
  const cold = async () => {
    const client = await PGlite.create();
    await migrate(drizzle(client));
    await client.close();
  };
  try {
    // Kept only to compare with: the way snapshots were stored before (no target).
    const openPrevious = async () => queryAndClose(await PGlite.create({ loadDataDir: previous }));
    const [coldMs, previousMs, ...optionMs] = await interleavedMedians([cold, openPrevious, ...options.map((o) => o.open)], runs, 1);
    const baseline = { name: 'create + migrate cold', value: coldMs! };
    return [
      ...options.map((option, i) =>
        compared(
          option.name,
          optionMs[i]!,
          'ms',
          baseline,
          '<= 0.25x',
          (r) => r <= 0.25,
          runs,
          noteWith(
            `${option.how}; open + one query + close. Baseline: PGlite.create() + migrate(db) + close. Medians of ${runs} interleaved runs after 1 warm-up.`,
          ),
        ),
      ),
      forScale(
        'test database from snapshot (previous: gzip + loadDataDir), for comparison',
        previousMs!,
        'ms',
        baseline,
        runs,
        noteWith(
          `dumpDataDir('gzip') without checkpoint or settings, plain PGlite.create({ loadDataDir }); open + one query + close. How snapshots were stored before; kept for comparison only, no target. Medians of ${runs} interleaved runs after 1 warm-up.`,
        ),
      ),
      measured(
        'snapshot size (createMigratedSnapshot, uncompressed tar)',
        snapshot.size,
        'bytes',
        1,
        noteWith("dumpDataDir('none') after migrate and CHECKPOINT."),
      ),
      measured('snapshot size, previous (gzip)', previous.size, 'bytes', 1, noteWith("dumpDataDir('gzip') of a freshly migrated database.")),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

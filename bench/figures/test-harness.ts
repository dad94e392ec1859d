/**
 * Figure 6: a fresh migrated PGlite database from the snapshot versus creating and
 * migrating one cold. Target: <= 0.25x. Besides today's option (gzip snapshot), it
 * measures the two candidate speed-ups side by side, each against the same baseline:
 * (a) an uncompressed snapshot (`dumpDataDir('none')`), (b) handing `PGlite.create`
 * precompiled WebAssembly modules and the file-system bundle, so a new instance
 * neither reads nor compiles them again — and both together.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';

// tsconfig's lib is ES2022 only (no DOM), so the global WebAssembly namespace has no value side here.
declare const WebAssembly: { compile(bytes: Uint8Array): Promise<NonNullable<PGliteOptions['pgliteWasmModule']>> };
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from '../../src/migrate';
import { compared, type Figure, interleavedMedians, measured, noteWith } from '../harness';

/** What a process can prepare once and pass to every `PGlite.create`. */
type PreparedArtifacts = Pick<PGliteOptions, 'pgliteWasmModule' | 'initdbWasmModule' | 'fsBundle'>;

/**
 * Compiles `pglite.wasm` and `initdb.wasm` and reads `pglite.data` from next to the
 * resolved `@electric-sql/pglite` entry: the work every `PGlite.create` otherwise
 * repeats.
 *
 * @example
 * ```ts
 * const artifacts = await prepareArtifacts();
 * const client = await PGlite.create({ ...artifacts, loadDataDir: snapshot });
 * ```
 */
export async function prepareArtifacts(): Promise<PreparedArtifacts> {
  const file = (name: string) => fileURLToPath(new URL(name, import.meta.resolve('@electric-sql/pglite')));
  const [pgliteWasm, initdbWasm, data] = await Promise.all([readFile(file('pglite.wasm')), readFile(file('initdb.wasm')), readFile(file('pglite.data'))]);
  const [pgliteWasmModule, initdbWasmModule] = await Promise.all([WebAssembly.compile(pgliteWasm), WebAssembly.compile(initdbWasm)]);
  return { pgliteWasmModule, initdbWasmModule, fsBundle: new Blob([data]) };
}

/** A data-directory dump of a freshly migrated database. */
async function migratedSnapshot(compression: 'gzip' | 'none'): Promise<Blob> {
  const client = await PGlite.create();
  try {
    await migrate(drizzle(client));
    return await client.dumpDataDir(compression);
  } finally {
    await client.close();
  }
}

/** Opens a database from `snapshot`, runs one query (so it is really usable) and closes it. */
async function openFromSnapshot(snapshot: Blob, artifacts: PreparedArtifacts = {}): Promise<void> {
  const client = await PGlite.create({ ...artifacts, loadDataDir: snapshot });
  await client.query('SELECT count(*) FROM scheduling.sessions');
  await client.close();
}

/**
 * Figure 6 and its variants: each snapshot option against create + migrate cold, all
 * measured interleaved in the same run, plus the one-time cost of preparing the
 * artifacts and the snapshot sizes.
 *
 * @example
 * ```ts
 * figures.push(...(await testHarnessFigures()));
 * ```
 */
export async function testHarnessFigures(runs = 7): Promise<Figure[]> {
  const prepareStart = performance.now();
  const artifacts = await prepareArtifacts();
  const prepareMs = performance.now() - prepareStart;
  const gzip = await migratedSnapshot('gzip');
  const none = await migratedSnapshot('none');

  const options: Array<{ name: string; open: () => Promise<void>; how: string }> = [
    { name: 'test db from snapshot (gzip, as shipped)', open: () => openFromSnapshot(gzip), how: "dumpDataDir('gzip'), plain PGlite.create({ loadDataDir })" },
    { name: 'test db from snapshot (a: uncompressed)', open: () => openFromSnapshot(none), how: "dumpDataDir('none'), plain PGlite.create({ loadDataDir })" },
    {
      name: 'test db from snapshot (b: gzip + precompiled)',
      open: () => openFromSnapshot(gzip, artifacts),
      how: "dumpDataDir('gzip'), PGlite.create({ loadDataDir, pgliteWasmModule, initdbWasmModule, fsBundle }) with modules compiled and pglite.data read once per process",
    },
    {
      name: 'test db from snapshot (a+b)',
      open: () => openFromSnapshot(none, artifacts),
      how: "dumpDataDir('none') and the precompiled modules + fsBundle",
    },
  ];
  const cold = async () => {
    const client = await PGlite.create();
    await migrate(drizzle(client));
    await client.close();
  };
  const [coldMs, ...optionMs] = await interleavedMedians([cold, ...options.map((o) => o.open)], runs, 1);
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
          `${option.how}; open + one query + close. Baseline: PGlite.create() (no precompiled artifacts) + migrate(db) + close. Medians of ${runs} interleaved runs after 1 warm-up.`,
        ),
      ),
    ),
    measured(
      'prepare PGlite artifacts (once per process)',
      prepareMs,
      'ms',
      1,
      noteWith('Read pglite.wasm, initdb.wasm, pglite.data and WebAssembly.compile both modules, once, before the runs of option (b). A single measurement.'),
    ),
    measured('snapshot size, gzip', gzip.size, 'bytes', 1, noteWith("dumpDataDir('gzip') of a freshly migrated database.")),
    measured('snapshot size, uncompressed', none.size, 'bytes', 1, noteWith("dumpDataDir('none') of a freshly migrated database.")),
  ];
}

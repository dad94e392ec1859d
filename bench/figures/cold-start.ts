/**
 * Figure 7: serverless cold start. Each public entry is bundled with esbuild and
 * imported by a fresh `node` process; the baseline is a fresh process importing an
 * empty module. Also the minified size of each entry with its dependencies bundled.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { type Figure, forScale, interleavedMedians, measured, noteWith } from '../harness';

const DRIVERS = ['@electric-sql/pglite', 'postgres', 'pg'];
const RUNTIME_DEPENDENCIES = ['drizzle-orm', 'zod', 'rrule', 'luxon', ...DRIVERS];
const ENTRIES = [
  { name: 'academy-scheduling', source: '../../src/index.ts', file: 'index' },
  { name: 'academy-scheduling/domain', source: '../../src/domain/index.ts', file: 'domain' },
] as const;

/**
 * Bundles `source` (minified ESM for Node) into `outfile` and returns its bytes.
 *
 * @example
 * ```ts
 * const bytes = await bundle('src/domain/index.ts', '/tmp/domain.mjs', ['zod']);
 * ```
 */
export async function bundle(source: string, outfile: string, external: string[]): Promise<Buffer> {
  await build({
    entryPoints: [source],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    minify: true,
    external,
    logLevel: 'error',
  });
  return readFileSync(outfile);
}

/** Runs `node file` to completion; throws when it fails, so a broken bundle is not timed as fast. */
function runNode(file: string): void {
  const result = spawnSync(process.execPath, [file], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`node ${file} failed: ${result.stderr.toString()}`);
}

/**
 * Figure 7: cold import time of each entry in a fresh process versus an empty one, and
 * each entry's minified size with its dependencies bundled (raw and gzip).
 *
 * @example
 * ```ts
 * figures.push(...(await coldStartFigures()));
 * ```
 */
export async function coldStartFigures(runs = 15): Promise<Figure[]> {
  // Inside the repository, so the externals resolve from its node_modules like in a deployed function.
  const dir = fileURLToPath(new URL('../../node_modules/.cache/academy-scheduling-bench/', import.meta.url));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const empty = `${dir}empty.mjs`;
    writeFileSync(empty, '');
    const sizes: Figure[] = [];
    const files: string[] = [];
    for (const entry of ENTRIES) {
      const source = fileURLToPath(new URL(entry.source, import.meta.url));
      const file = `${dir}${entry.file}.mjs`;
      await bundle(source, file, RUNTIME_DEPENDENCIES);
      files.push(file);
      const full = await bundle(source, `${dir}${entry.file}.full.mjs`, DRIVERS);
      const how = `esbuild bundle, minify, format esm, platform node; everything bundled except the drivers (${DRIVERS.join(', ')}).`;
      sizes.push(
        measured(`${entry.name} bundled size`, full.length, 'bytes', 1, noteWith(how)),
        measured(`${entry.name} bundled size, gzip`, gzipSync(full).length, 'bytes', 1, noteWith(`${how} gzip level 6 (node:zlib default).`)),
      );
    }
    const [emptyMs, ...entryMs] = await interleavedMedians([() => runNode(empty), ...files.map((file) => () => runNode(file))], runs, 2);
    const timings = ENTRIES.map((entry, i) =>
      forScale(
        `cold start: node + import ${entry.name}`,
        entryMs[i]!,
        'ms',
        { name: 'node + empty module', value: emptyMs! },
        runs,
        noteWith(
          `Wall time of spawning \`node bundle.mjs\` to exit. The bundle (esbuild, minify, esm) leaves ${RUNTIME_DEPENDENCIES.join(', ')} external, resolved from node_modules as in a deployed function. No target in the issue. Medians of ${runs} interleaved runs after 2 warm-ups.`,
        ),
      ),
    );
    return [...timings, ...sizes];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

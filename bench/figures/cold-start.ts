/**
 * Figure 7: serverless cold start and weight. A fresh `node` process imports each
 * public entry of the built package (dist/, with its dependencies resolved from
 * node_modules as in a deployed function that is not bundled); the baseline is a fresh
 * process importing an empty module. Then the bundled sizes: the domain as a browser
 * or edge function bundles it, and the example booking handler as a serverless
 * function bundles it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Platform } from 'esbuild';
import { compared, type Figure, forScale, interleavedMedians, measured, noteWith, round } from '../harness';

const DRIVERS = ['@electric-sql/pglite', 'postgres', 'pg'];
const ROOT = new URL('../../', import.meta.url);
const IMPORTS = [
  { name: 'academy-scheduling', file: 'dist/index.js', target: 2.0 },
  { name: 'academy-scheduling/domain', file: 'dist/domain.js', target: 1.4 },
] as const;

/**
 * Bundles `source` (minified ESM) into `outfile` and returns its bytes; fails on any
 * esbuild warning, so a size is never measured from a bundle that dropped something.
 *
 * @example
 * ```ts
 * const bytes = await bundle('src/domain/index.ts', '/tmp/domain.mjs', [], 'browser');
 * ```
 */
export async function bundle(source: string, outfile: string, external: string[], platform: Platform = 'node'): Promise<Buffer> {
  const result = await build({ entryPoints: [source], outfile, bundle: true, platform, format: 'esm', minify: true, external, logLevel: 'silent' });
  if (result.warnings.length > 0) throw new Error(`esbuild warned bundling ${source}: ${result.warnings.map((w) => w.text).join('; ')}`);
  return readFileSync(outfile);
}

/** Runs `node file` to completion; throws when it fails, so a broken import is not timed as fast. */
function runNode(file: string): void {
  const result = spawnSync(process.execPath, [file], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`node ${file} failed: ${result.stderr.toString()}`);
}

/** A size with an absolute target in bytes. */
function sizeFigure(name: string, bytes: number, maxBytes: number, note: string): Figure {
  return { name, value: round(bytes), unit: 'bytes', baseline: null, ratio: null, target: `<= ${maxBytes / 1000} KB`, met: bytes <= maxBytes, n: 1, note };
}

/**
 * Figure 7: cold import time of each built entry in a fresh process versus an empty
 * one, and the bundled sizes of the domain and of the example booking handler.
 *
 * @example
 * ```ts
 * figures.push(...(await coldStartFigures()));
 * ```
 */
export async function coldStartFigures(runs = 21): Promise<Figure[]> {
  const root = fileURLToPath(ROOT);
  // The figure is about the package as published: build it from the current sources first.
  const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  if (built.status !== 0) throw new Error(`npm run build failed: ${built.stderr.toString()}`);
  const dir = fileURLToPath(new URL('node_modules/.cache/academy-scheduling-bench/', ROOT));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const empty = `${dir}empty.mjs`;
    writeFileSync(empty, '');
    const files = IMPORTS.map((entry, i) => {
      const file = `${dir}import-${i}.mjs`;
      writeFileSync(file, `import ${JSON.stringify(fileURLToPath(new URL(entry.file, ROOT)))};\n`);
      return file;
    });
    // A booking function's real cold path: what the host loads anyway (postgres.js and
    // Drizzle), then the package, a scheduler and a first booking call (refused as
    // INVALID_INPUT before any query, after the booking code has been loaded).
    const host = `${dir}host.mjs`;
    const hostSetup = `import postgres from 'postgres';\nimport { drizzle } from 'drizzle-orm/postgres-js';\nconst client = postgres('postgres://nobody@127.0.0.1:1/none');\nconst db = drizzle(client);\n`;
    writeFileSync(host, `${hostSetup}await client.end();\n`);
    const firstBooking = `${dir}first-booking.mjs`;
    writeFileSync(
      firstBooking,
      `${hostSetup}const { createScheduler } = await import(${JSON.stringify(fileURLToPath(new URL('dist/index.js', ROOT)))});\n` +
        `const error = await createScheduler({ db }).bookings.book({ kind: 'admin', userId: '00000000-0000-4000-8000-000000000000' }, {}).catch((e) => e);\n` +
        `if (error?.code !== 'INVALID_INPUT') throw new Error('unexpected: ' + error);\nawait client.end();\n`,
    );
    const [emptyMs, hostMs, firstBookingMs, ...entryMs] = await interleavedMedians(
      [() => runNode(empty), () => runNode(host), () => runNode(firstBooking), ...files.map((file) => () => runNode(file))],
      runs,
      2,
    );
    const baseline = { name: 'node + empty module', value: emptyMs! };
    const timings = IMPORTS.map((entry, i) =>
      compared(
        `cold start: node + import ${entry.name}`,
        entryMs[i]!,
        'ms',
        baseline,
        `<= ${entry.target.toFixed(1)}x`,
        (r) => r <= entry.target,
        runs,
        noteWith(
          `Wall time of spawning \`node file.mjs\` to exit, where file.mjs imports ${entry.file} of the package built by \`npm run build\` in this run; its dependencies (drizzle-orm) resolve from node_modules as in a deployed function that is not bundled. Baseline: the same with an empty module. Medians of ${runs} interleaved runs after 2 warm-ups.`,
        ),
      ),
    );

    const firstCall = forScale(
      'cold start: postgres.js + Drizzle + academy-scheduling, first booking call',
      firstBookingMs!,
      'ms',
      { name: 'postgres.js + Drizzle alone', value: hostMs! },
      runs,
      noteWith(
        `What the package adds to a booking function's cold start: a fresh process imports postgres.js and drizzle-orm/postgres-js and builds the db (the baseline, which then exits), then also imports dist/index.js, creates a scheduler and makes a first bookings.book call, refused as INVALID_INPUT after the booking code is loaded and before any query. Each feature's code loads on its first call, so this, not the bare import, is the package's cost to such a function. Medians of ${runs} interleaved runs after 2 warm-ups.`,
      ),
    );

    const domain = await bundle(fileURLToPath(new URL('src/domain/index.ts', ROOT)), `${dir}domain.browser.mjs`, [], 'browser');
    const handler = await bundle(fileURLToPath(new URL('examples/serverless/handler.ts', ROOT)), `${dir}handler.mjs`, DRIVERS);
    const main = await bundle(fileURLToPath(new URL('src/index.ts', ROOT)), `${dir}index.mjs`, DRIVERS);
    const nodeHow = `esbuild bundle, minify, format esm, platform node; everything bundled (drizzle-orm included) except the drivers (${DRIVERS.join(', ')}).`;
    const sizes = [
      measured(
        'academy-scheduling/domain bundled size',
        domain.length,
        'bytes',
        1,
        noteWith('esbuild bundle, minify, format esm, platform browser; no externals.'),
      ),
      sizeFigure(
        'academy-scheduling/domain bundled size, gzip',
        gzipSync(domain).length,
        40_000,
        noteWith('esbuild bundle of src/domain/index.ts, minify, format esm, platform browser, no externals; gzip level 6 (node:zlib default).'),
      ),
      measured('example booking handler bundled size', handler.length, 'bytes', 1, noteWith(`examples/serverless/handler.ts: ${nodeHow}`)),
      sizeFigure(
        'example booking handler bundled size, gzip',
        gzipSync(handler).length,
        120_000,
        noteWith(`examples/serverless/handler.ts: ${nodeHow} gzip level 6 (node:zlib default).`),
      ),
      measured('academy-scheduling bundled size', main.length, 'bytes', 1, noteWith(`src/index.ts, every export: ${nodeHow}`)),
      measured('academy-scheduling bundled size, gzip', gzipSync(main).length, 'bytes', 1, noteWith(`src/index.ts, every export: ${nodeHow} gzip level 6.`)),
    ];
    return [...timings, firstCall, ...sizes];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

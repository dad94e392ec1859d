/**
 * Bundles the BUILT package (`npm run build` first; `npm test` does) the way a host's
 * bundler would, resolving `academy-scheduling` by name through package.json's exports:
 * esbuild must take it without a single warning, for Node (ESM and CJS) and, for the
 * pure `academy-scheduling/domain`, for browsers. And `academy-scheduling/testing`,
 * bundled with PGlite inside, runs from a folder with no node_modules once PGlite's
 * three asset files sit next to the bundle (what the README says).
 */
import { build, type BuildOptions } from 'esbuild';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const SUBPATHS = [
  'academy-scheduling',
  'academy-scheduling/schema',
  'academy-scheduling/domain',
  'academy-scheduling/migrate',
  'academy-scheduling/testing',
  'academy-scheduling/webhooks',
];

/** PGlite loads these from next to its own module (`new URL('./pglite.wasm', import.meta.url)`). */
const PGLITE_ASSETS = ['pglite.wasm', 'pglite.data', 'initdb.wasm'];

/** Bundles `contents` as a host's entry file sitting in this repository. */
async function bundle(contents: string, options: BuildOptions) {
  const result = await build({
    stdin: { contents, resolveDir: root, sourcefile: 'host-entry.js', loader: 'js' },
    bundle: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: root,
    ...options,
  });
  const inputs = Object.keys(result.metafile?.inputs ?? {});
  /** What the package's own files (dist/) import from outside the bundle: Node's built-ins, for platform `node`. */
  const externals = Object.entries(result.metafile?.inputs ?? {})
    .filter(([path]) => path.startsWith('dist/'))
    .flatMap(([, input]) => input.imports.filter((i) => i.external).map((i) => i.path));
  return { warnings: result.warnings.map((w) => `${w.id}: ${w.text}`), inputs, externals };
}

describe('the built package under a bundler', () => {
  it('esbuild bundles every subpath for Node through import without a warning', async () => {
    const contents = SUBPATHS.map((s, i) => `import * as m${i} from '${s}'; console.log(Object.keys(m${i}).length);`).join('\n');
    const { warnings, inputs } = await bundle(contents, { platform: 'node', format: 'esm' });
    expect(warnings).toEqual([]);
    expect(inputs).toContain('dist/index.js');
    expect(inputs).toContain('dist/testing.js');
    expect(inputs.filter((p) => p.startsWith('src/'))).toEqual([]);
  });

  it('esbuild bundles every subpath for Node through require without a warning', async () => {
    const contents = SUBPATHS.map((s) => `console.log(Object.keys(require('${s}')).length);`).join('\n');
    const { warnings, inputs } = await bundle(contents, { platform: 'node', format: 'cjs' });
    expect(warnings).toEqual([]);
    expect(inputs).toContain('dist/index.cjs');
    expect(inputs).toContain('dist/domain.cjs');
  });

  it('only academy-scheduling/webhooks imports node:crypto: the main entry and the domain do not', async () => {
    // tsup writes `node:crypto` as `crypto`.
    const importsCrypto = async (subpath: string) =>
      (await bundle(`import * as m from '${subpath}'; console.log(Object.keys(m).length);`, { platform: 'node', format: 'esm' })).externals.some((path) =>
        ['crypto', 'node:crypto'].includes(path),
      );
    expect(await importsCrypto('academy-scheduling/webhooks')).toBe(true);
    expect(await importsCrypto('academy-scheduling')).toBe(false);
    expect(await importsCrypto('academy-scheduling/domain')).toBe(false);
  });

  it('esbuild bundles academy-scheduling/domain for browsers without a warning', async () => {
    const contents = `import { overlaps, expandRecurrence } from 'academy-scheduling/domain'; console.log(overlaps, expandRecurrence);`;
    const { warnings, inputs } = await bundle(contents, { platform: 'browser', format: 'esm' });
    expect(warnings).toEqual([]);
    expect(inputs).toContain('dist/domain.js');
    expect(inputs.filter((p) => /drizzle-orm|@electric-sql/.test(p))).toEqual([]);
  });

  describe('academy-scheduling/testing bundled with PGlite', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acsched-bundle-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('runs from a folder without node_modules, with PGlite’s assets next to the bundle', async () => {
      const contents = `
        import { createTestDatabase } from 'academy-scheduling/testing';
        const t = await createTestDatabase();
        const r = await t.client.query('SELECT count(*)::int AS n FROM scheduling.capacity_policies');
        console.log('testing ' + r.rows[0].n);
        await t.close();
      `;
      const outfile = join(dir, 'tests.mjs');
      const { warnings } = await bundle(contents, { platform: 'node', format: 'esm', write: true, outfile });
      expect(warnings).toEqual([]);
      const pgliteDist = dirname(createRequire(join(root, 'package.json')).resolve('@electric-sql/pglite'));
      for (const asset of PGLITE_ASSETS) copyFileSync(join(pgliteDist, asset), join(dir, asset));
      const { stdout } = await run(process.execPath, [outfile], { cwd: dir, timeout: 120_000 });
      expect(stdout.trim()).toBe('testing 3');
    }, 150_000); // migrates a PGlite database in a fresh process, like built-package.test.ts
  });
});

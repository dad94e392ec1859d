import { build } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = fileURLToPath(new URL('../../src/domain/index.ts', import.meta.url));
const FORBIDDEN = /drizzle-orm|[\\/]pg[\\/]|[\\/]postgres[\\/]|@electric-sql/;

describe('academy-scheduling/domain stays pure', () => {
  // Bundlers pick `module` (browsers, edge) or `main` (Node): check both resolutions.
  for (const platform of ['node', 'browser'] as const) {
    it(`bundles for ${platform} without drizzle or any database driver`, async () => {
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        write: false,
        metafile: true,
        format: 'esm',
        platform,
        absWorkingDir: root,
        logLevel: 'silent',
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.some((p) => p.includes('src/domain/recurrence.ts'))).toBe(true);
      expect(inputs.filter((p) => FORBIDDEN.test(p))).toEqual([]);
      expect(result.warnings).toEqual([]);
    });
  }

  it('reads no clock and does no I/O in its source', () => {
    const dir = fileURLToPath(new URL('../../src/domain/', import.meta.url));
    for (const file of readdirSync(dir)) {
      const source = readFileSync(`${dir}${file}`, 'utf8');
      expect(source, file).not.toMatch(/Date\.now\(|new Date\(\)|performance\.now|Math\.random|from 'node:|require\(/);
    }
  });
});

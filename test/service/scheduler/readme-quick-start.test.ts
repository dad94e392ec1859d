/**
 * The README's Quick start runs top to bottom as written. The code block is read from
 * README.md itself (not a copy), its imports of `academy-scheduling` pointed at the
 * source, written to a file and run with tsx in a process of its own against a fresh,
 * empty database on the server: it must exit 0 promptly (the client ended, nothing
 * left open) and print exactly what the README says it prints — no NOTICE either.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { currentDriver, currentTarget } from '../../support/database';
import { RUN_PREFIX, databaseUrlFor, dropDatabase } from '../../support/server';

const run = promisify(execFile);
const ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The package's entries, as the block imports them, and the source each maps to. */
const ENTRIES: Record<string, string> = {
  'academy-scheduling': 'src/index.ts',
  'academy-scheduling/schema': 'src/schema/index.ts',
  'academy-scheduling/migrate': 'src/migrate/index.ts',
  'academy-scheduling/domain': 'src/domain/index.ts',
  'academy-scheduling/testing': 'src/testing/index.ts',
};

/** The first ```ts block under the `## Quick start` heading. */
function quickStartBlock(readme: string): string {
  const section = readme.split(/^## Quick start$/m)[1]?.split(/^## /m)[0];
  const block = section && /^```ts\n([\s\S]*?)^```$/m.exec(section)?.[1];
  if (!block) throw new Error('README.md has no ```ts block under "## Quick start"');
  return block;
}

/** The block with every `from 'academy-scheduling…'` pointed at the source file. */
function pointedAtSource(code: string): string {
  const rewritten = code.replace(/from '(academy-scheduling(?:\/[a-z]+)?)'/g, (whole, specifier: string) => {
    const entry = ENTRIES[specifier];
    if (!entry) throw new Error(`the Quick start imports ${specifier}, which the package does not export`);
    return `from '${path.join(ROOT, entry)}'`;
  });
  expect(rewritten).not.toMatch(/['"]academy-scheduling/);
  return rewritten;
}

// The block connects with postgres.js to DATABASE_URL, so it needs the real server: once, in the postgres.js project.
const onServer = currentTarget() === 'postgres' && currentDriver() === 'postgres-js';

describe('the README Quick start', () => {
  it('is one program importing only what the package exports, and ends its client', () => {
    const code = quickStartBlock(README);
    expect(code.match(/from 'academy-scheduling[^']*'/g)).toEqual([
      "from 'academy-scheduling/schema'",
      "from 'academy-scheduling/migrate'",
      "from 'academy-scheduling'",
    ]);
    expect(code).toMatch(/await client\.end\(\)/);
    expect(pointedAtSource(code)).toContain(path.join(ROOT, 'src/index.ts'));
  });

  it('runs as written against a fresh database: exit 0, promptly, printing what the README says', async (context) => {
    if (!onServer) context.skip('runs only on the real server (DATABASE_URL), in the postgres.js project');
    const name = `${RUN_PREFIX}_readme_${Math.random().toString(36).slice(2, 10)}`;
    // Inside the repository, so that its bare imports (postgres, drizzle-orm) resolve from node_modules.
    const dir = path.join(ROOT, '.tmp');
    const file = path.join(dir, `${name}.mts`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, pointedAtSource(quickStartBlock(README)));
    const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    await admin.end();
    try {
      const started = Date.now();
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', file], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: databaseUrlFor(name) },
        timeout: 90_000,
      });
      const seconds = (Date.now() - started) / 1000;
      const lines = stdout.trim().split('\n');
      expect(lines).toEqual([
        'Booked Ada into "Level 1 swim": confirmed',
        'Level 1 swim: Saturday, 9 March 2030 at 10:00 (Europe/London), 1 of 5 places taken',
      ]);
      expect(stderr).toBe('');
      // Migrating an empty database and a dozen calls; a client left open would hang until the timeout.
      expect(seconds).toBeLessThan(45);
      // What the README says the program prints is what it printed.
      for (const line of lines) expect(README).toContain(line);
    } finally {
      rmSync(file, { force: true });
      await dropDatabase(name);
    }
  });
});

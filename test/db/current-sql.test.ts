/**
 * drizzle/current/ (the functions and triggers as a fully migrated database holds them)
 * is regenerated from the migrations and compared byte for byte with what is
 * committed, as graphile-worker checks its committed schema dump: the readable current
 * state can never drift from the migrations that make it.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs build script without types
import { CURRENT_DIR, generateCurrentSql, readCatalog, renderCatalogFiles, writeCurrent } from '../../scripts/generate-current-sql.mjs';
import { currentTarget, useTestDatabase } from '../support/database';

type Tree = Map<string, string>;

const database = useTestDatabase();

/** Every file under `dir`, by path relative to it, sorted. */
function readTree(dir: string): Tree {
  const paths = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
  return new Map(paths.map((path) => [path, readFileSync(join(dir, path), 'utf8')]));
}

/**
 * The lines between the common beginning and the common end of two texts, with three
 * lines of context, as `diff -u` would show a single hunk.
 */
function unifiedDiff(path: string, committed: string, generated: string): string {
  const before = committed.split('\n');
  const after = generated.split('\n');
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  const from = Math.max(0, start - 3);
  const removed = before.slice(start, before.length - end);
  const added = after.slice(start, after.length - end);
  const trailing = before.slice(before.length - end, before.length - end + 3);
  const shown = (lines: string[], sign: string) => [
    ...lines.slice(0, 40).map((l) => sign + l),
    ...(lines.length > 40 ? [`${sign}… ${lines.length - 40} more lines`] : []),
  ];
  return [
    `--- drizzle/current/${path} (committed)`,
    `+++ drizzle/current/${path} (generated)`,
    `@@ -${from + 1},${start - from + removed.length + trailing.length} +${from + 1},${start - from + added.length + trailing.length} @@`,
    ...before.slice(from, start).map((l) => ` ${l}`),
    ...shown(removed, '-'),
    ...shown(added, '+'),
    ...trailing.map((l) => ` ${l}`),
  ].join('\n');
}

/** Throws with the first differing file and its diff, and says how to fix it. */
function assertSameTree(committed: Tree, generated: Tree): void {
  const paths = [...new Set([...committed.keys(), ...generated.keys()])].sort();
  const path = paths.find((p) => committed.get(p) !== generated.get(p));
  if (path === undefined) return;
  const what = !committed.has(path)
    ? `${path} is produced by the migrations but not committed`
    : !generated.has(path)
      ? `${path} is committed but the migrations no longer produce it`
      : unifiedDiff(path, committed.get(path)!, generated.get(path)!);
  throw new Error(`drizzle/current/ is stale: run \`npm run db:current\` and commit drizzle/current/.\n${what}`);
}

const withoutReadme = (tree: Tree): Tree => new Map([...tree].filter(([path]) => path !== 'README.md'));

describe('drizzle/current/', () => {
  // Generation always runs on its own fresh PGlite, whatever the project's target: once is enough.
  it.skipIf(currentTarget() !== 'pglite')('is exactly what `npm run db:current` generates from drizzle/*.sql', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'current-sql-'));
    try {
      writeCurrent(dir, await generateCurrentSql());
      assertSameTree(readTree(CURRENT_DIR), readTree(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // On the postgres projects this is PostgreSQL 15 migrated by migrate(): the files are the same there.
  it('holds the functions and triggers of a database migrated by migrate() on this target', async () => {
    const catalog = await readCatalog((text: string) => database.query(text));
    expect(catalog.functions.length).toBeGreaterThan(0);
    expect(catalog.triggers.length).toBeGreaterThan(0);
    assertSameTree(withoutReadme(readTree(CURRENT_DIR)), renderCatalogFiles(catalog));
  });

  it('fails on a function changed by hand, showing the diff and the command to run', () => {
    const committed = readTree(CURRENT_DIR);
    const edited = new Map(committed);
    const path = 'functions/enforce_concurrency_limit.sql';
    edited.set(path, committed.get(path)!.replace('v_limit integer;', 'v_limit bigint;'));
    expect(() => assertSameTree(committed, edited)).toThrow(
      /run `npm run db:current`[\s\S]*--- drizzle\/current\/functions\/enforce_concurrency_limit\.sql \(committed\)[\s\S]*\n-  v_limit integer;\n\+  v_limit bigint;\n/,
    );
    edited.delete(path);
    expect(() => assertSameTree(committed, edited)).toThrow(`${path} is committed but the migrations no longer produce it`);
  });
});

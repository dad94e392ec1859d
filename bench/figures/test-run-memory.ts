/**
 * Figure 6b: peak memory of a test run — the summed resident memory of the whole
 * process tree of `vitest run --project unit --project pglite` (vitest forks workers,
 * so the main process's own peak would miss most of it), sampled from /proc.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { type Figure, measured, noteWith } from '../harness';

/** Resident set size (bytes) of a process, 0 when it is gone. */
function rssOf(pid: number): number {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return pages * 4096;
  } catch {
    return 0;
  }
}

/** `pid` and all its descendants, from each process's parent pid in /proc. */
function treeOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), pid]);
    } catch {
      // the process ended while we looked
    }
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/**
 * Runs the PGlite test tiers once and reports the peak summed RSS and the duration.
 *
 * @example
 * ```ts
 * figures.push(...(await testRunMemoryFigures()));
 * ```
 */
export async function testRunMemoryFigures(): Promise<Figure[]> {
  const started = performance.now();
  const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--project', 'unit', '--project', 'pglite'], {
    env: { ...process.env, DATABASE_URL: '' },
    stdio: 'ignore',
  });
  let peak = 0;
  const timer = setInterval(() => {
    const total = treeOf(child.pid!).reduce((sum, pid) => sum + rssOf(pid), 0);
    peak = Math.max(peak, total);
  }, 250);
  const code: number | null = await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  const note = noteWith(`vitest unit + pglite projects, exit code ${code}, ${seconds.toFixed(0)} s; sampled every 250 ms`);
  return [measured('peak memory of the PGlite test run (process tree RSS)', peak / 2 ** 20, 'MiB', 1, note)];
}

/**
 * The benchmark harness: every figure is a median of several timed runs after a
 * warm-up, compared with a baseline measured in the same run (absolute times on a
 * shared 2-core machine are noise; ratios are not).
 */
import { cpus, totalmem } from 'node:os';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline: { name: string; value: number } | null;
  ratio: number | null;
  /** The target as stated in the issue, e.g. "<= 0.25x". */
  target: string;
  met: boolean | null;
  n: number;
  note: string;
}

export const machineNote = `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;

/** Median milliseconds of `runs` calls of `fn` after `warmup` unmeasured calls. */
export async function medianMs(fn: () => Promise<unknown> | unknown, runs: number, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/**
 * Medians of several functions measured in alternation (run 1 of each, then run 2 of
 * each, …) after `warmup` unmeasured rounds, so a burst of load from other processes
 * on the shared machine hits every function alike instead of skewing one ratio.
 *
 * @example
 * ```ts
 * const [sweep, sort] = await interleavedMedians([() => findOverlappingPairs(items), () => sortStarts()], 9);
 * ```
 */
export async function interleavedMedians(fns: ReadonlyArray<() => Promise<unknown> | unknown>, runs: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) for (const fn of fns) await fn();
  const times = fns.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (let f = 0; f < fns.length; f++) {
      const start = performance.now();
      await fns[f]!();
      times[f]!.push(performance.now() - start);
    }
  }
  return times.map(median);
}

/** The median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A figure compared with a baseline: `ratio = value / baseline`, met when `check(ratio)`. */
export function compared(
  name: string,
  value: number,
  unit: string,
  baseline: { name: string; value: number },
  target: string,
  check: (ratio: number) => boolean,
  n: number,
  note = machineNote,
): Figure {
  const ratio = value / baseline.value;
  return { name, value: round(value), unit, baseline: { ...baseline, value: round(baseline.value) }, ratio: round(ratio), target, met: check(ratio), n, note };
}

/**
 * A figure compared with a baseline for scale only: the issue sets no target, so
 * `met` is null and the table shows "-".
 *
 * @example
 * ```ts
 * forScale('sweep vs brute force (5,000)', sweepMs, 'ms', { name: 'double loop', value: bruteMs }, 9);
 * ```
 */
export function forScale(name: string, value: number, unit: string, baseline: { name: string; value: number }, n: number, note = machineNote): Figure {
  return { ...compared(name, value, unit, baseline, '-', () => true, n, note), met: null };
}

/** A plain measurement with no baseline (e.g. a size or a latency for reference). */
export function measured(name: string, value: number, unit: string, n: number, note = machineNote): Figure {
  return { name, value: round(value), unit, baseline: null, ratio: null, target: '-', met: null, n, note };
}

/** A figure's note: what was measured and how, then the machine. */
export function noteWith(text: string): string {
  return `${text} Machine: ${machineNote}.`;
}

/** `x` rounded to three decimals, as the table shows it. */
export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The figures as a Markdown table (name, value, baseline, ratio, target, met, n). */
export function formatTable(figures: Figure[]): string {
  const header = ['figure', 'value', 'baseline', 'ratio', 'target', 'met', 'n'];
  const rows = figures.map((f) => [
    f.name,
    `${f.value} ${f.unit}`,
    f.baseline ? `${f.baseline.name}: ${f.baseline.value} ${f.unit}` : '-',
    f.ratio === null ? '-' : `${f.ratio}x`,
    f.target,
    f.met === null ? '-' : f.met ? 'yes' : 'NO',
    String(f.n),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

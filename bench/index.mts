/**
 * `npm run bench`: prints a table of figures and writes bench/results.json.
 * Figures that need the real server run only when DATABASE_URL is set; each figure
 * is a ratio against a baseline measured in the same run (see bench/harness.ts).
 *
 * BENCH_ONLY=overlap,recurrence,test-harness,cold-start,test-memory,citus,server,academies runs a
 * subset (and then does not overwrite results.json). `bookings` (figure 1) and
 * `availability` (figure 5) run one part of `server` alone; they run only when named.
 * `academies` (many academies in one database: creating one, catalog size, booking
 * throughput among 1,000, upgrading 1,000) needs the server and runs only when named:
 * laying out and upgrading 1,000 academies takes 4-10 minutes on a 2-core machine.
 * BENCH_ACADEMIES overrides its 1,000 for a quick look.
 * `citus` (booking throughput through a Citus coordinator against the plain server, many
 * academies on one worker against two, and a CPU model of separate machines) needs
 * DATABASE_URL and CITUS_URL (a Citus coordinator) and then runs by default (2-3
 * minutes on a 2-core machine); without CITUS_URL it is skipped and says so.
 */
import { writeFileSync } from 'node:fs';
import { formatTable, machineNote, type Figure } from './harness';
import { overlapFigures } from './figures/intervals';
import { recurrenceFigures } from './figures/recurrence';
import { testHarnessFigures } from './figures/test-harness';
import { coldStartFigures } from './figures/cold-start';
import { testRunMemoryFigures } from './figures/test-run-memory';
import { realServerFigures, serverSubsetFigures } from './figures/real-server';
import { academiesFigures } from './figures/academies';
import { citusFigures } from './figures/citus';

const serverFigures = 'figures 2 and 5 (conflict-checked creation, availability) and 1 (booking throughput) need DATABASE_URL (the real server)';
const groups: Array<{ key: string; run: () => Promise<Figure[]>; needsServer?: string; needsCitus?: boolean; onlyWhenNamed?: boolean }> = [
  { key: 'server', run: () => realServerFigures(), needsServer: serverFigures },
  { key: 'overlap', run: () => overlapFigures() },
  { key: 'recurrence', run: () => recurrenceFigures() },
  { key: 'test-harness', run: () => testHarnessFigures() },
  { key: 'cold-start', run: () => coldStartFigures() },
  { key: 'test-memory', run: () => testRunMemoryFigures() },
  {
    key: 'citus',
    run: () => citusFigures(),
    needsServer:
      'the citus figures (booking throughput through a Citus coordinator, 1 worker vs 2, CPU model) need DATABASE_URL (the plain server, their baseline) and CITUS_URL (a Citus coordinator)',
    needsCitus: true,
  },
  {
    key: 'academies',
    run: () => academiesFigures(),
    needsServer: 'the academies figures (creating one, catalog size, booking throughput among 1,000, upgrading 1,000) need DATABASE_URL (the real server)',
    onlyWhenNamed: true,
  },
  { key: 'bookings', run: () => serverSubsetFigures('bookings'), needsServer: serverFigures, onlyWhenNamed: true },
  { key: 'availability', run: () => serverSubsetFigures('availability'), needsServer: serverFigures, onlyWhenNamed: true },
];

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const figures: Figure[] = [];
const skipped: string[] = [];
const started = performance.now();
for (const group of groups) {
  if ((only || group.onlyWhenNamed) && !only?.includes(group.key)) continue;
  if (group.needsServer && (!process.env.DATABASE_URL || (group.needsCitus && !process.env.CITUS_URL))) {
    if (!skipped.includes(group.needsServer)) skipped.push(group.needsServer);
    continue;
  }
  const groupStart = performance.now();
  figures.push(...(await group.run()));
  console.error(`[bench] ${group.key}: ${((performance.now() - groupStart) / 1000).toFixed(1)} s`);
}

console.log(formatTable(figures));
for (const reason of skipped) console.log(`skipped: ${reason}`);
console.log(`machine: ${machineNote}; total ${((performance.now() - started) / 1000).toFixed(0)} s`);
if (!only) writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(figures, null, 2)}\n`);

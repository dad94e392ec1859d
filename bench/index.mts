/**
 * `npm run bench`: prints a table of figures and writes bench/results.json.
 * Figures that need the real server run only when DATABASE_URL is set.
 */
import { writeFileSync } from 'node:fs';
import { formatTable, type Figure } from './harness';
import { testHarnessFigures } from './figures/test-harness';

const figures: Figure[] = [];
const skipped: string[] = [];

figures.push(...(await testHarnessFigures()));
if (!process.env.DATABASE_URL) skipped.push('booking throughput and conflict-checked creation need DATABASE_URL (real server)');

console.log(formatTable(figures));
for (const reason of skipped) console.log(`skipped: ${reason}`);
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(figures, null, 2)}\n`);

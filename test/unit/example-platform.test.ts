/**
 * examples/platform: two academies in one database, one scheduler each. Run in-process
 * (every line, deterministic: the schedulers run on an injected clock) and as the
 * program a user runs with tsx (exit 0 promptly, so the database was closed).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/migrate';
import { runPlatform } from '../../examples/platform/index';

const run = promisify(execFile);
const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

const EXPECTED = [
  '== Two academies, one database ==',
  // Every migration this version ships, in each schema (the list grows with the library).
  `Created riverside_swim: ${MIGRATIONS.length} migrations applied`,
  `Created hilltop_music: ${MIGRATIONS.length} migrations applied`,
  'Academies in the database: hilltop_music, riverside_swim',
  '',
  '== One scheduler per academy ==',
  'Riverside Swim (America/New_York): "Level 1 – Saturday" with Maya Ortiz, 3 classes, Sat 12 Jan to Sat 26 Jan, 10:00–10:45',
  '  Bookings on Sat 12 Jan 10:00: Ada confirmed, Ben confirmed, Cleo waitlisted #1',
  'Hilltop Music (Europe/London): "Piano for beginners" with Clara Wieck, 4 classes, Tue 8 Jan to Tue 29 Jan, 18:00–19:00',
  '  Bookings on Tue 8 Jan 18:00: Felix confirmed, Fanny confirmed',
  '',
  '== Isolation ==',
  'hilltop_music reads its session "Piano for beginners": 2/4 booked',
  'riverside_swim asks for that session: NOT_FOUND',
  '',
  '== Upgrading every academy ==',
  'hilltop_music: ok, already up to date',
  'riverside_swim: ok, already up to date',
  '',
  '== Removing an academy ==',
  'dropAcademy with confirm "hilltop": INVALID_INPUT, nothing dropped',
  'Dropped hilltop_music; academies left: riverside_swim',
];

it('the platform example prints the whole story: two academies, isolated, upgraded together, one removed', async () => {
  const lines: string[] = [];
  await runPlatform((line) => lines.push(line));
  expect(lines).toEqual(EXPECTED);
}, 120_000); // a cold PGlite start and two schemas' migrations take seconds on a busy machine

it('runs as a program (npx tsx examples/platform/index.ts): the same output, nothing on stderr, exit 0', async () => {
  // execFile rejects on a non-zero exit status, and on the timeout should a client be left open.
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'examples/platform/index.ts'], { cwd: ROOT, timeout: 110_000 });
  expect(stdout.split('\n')).toEqual([...EXPECTED, '']);
  expect(stderr).toBe('');
}, 120_000);

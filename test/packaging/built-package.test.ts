/**
 * Tests the BUILT package (`npm run build` first; `npm test` does): every subpath
 * imported by name from fresh Node processes, with both `import` and `require`, calling
 * one function from each; the tarball's contents; publint and arethetypeswrong.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/migrate';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

/** One line per entry: what calling one of its functions printed. */
const probe = `
  const pkg = 'academy-scheduling';
  const root = await load(pkg);
  const schema = await load(pkg + '/schema');
  const domain = await load(pkg + '/domain');
  const migrate = await load(pkg + '/migrate');
  const testing = await load(pkg + '/testing');
  const webhooks = await load(pkg + '/webhooks');
  const { getTableName } = await load('drizzle-orm');
  const out = [];
  try { root.createScheduler({ db: {} }); } catch (e) { out.push('root ' + root.isSchedulingError(e, 'INVALID_INPUT')); }
  out.push('schema ' + getTableName(schema.sessions));
  const a = { start: new Date('2030-01-01T10:00:00Z'), end: new Date('2030-01-01T11:00:00Z') };
  const b = { start: new Date('2030-01-01T11:00:00Z'), end: new Date('2030-01-01T12:00:00Z') };
  out.push('domain ' + domain.overlaps(a, b) + ' ' + domain.expandRecurrence({ patternType: 'weekly', intervalValue: 1, daysOfWeek: [1, 3, 5], startDate: '2025-01-15', endDate: '2025-12-31', startTime: '10:00:00', endTime: '11:00:00' }, { timeZone: 'America/New_York' }).length);
  out.push('migrate ' + migrate.MIGRATIONS.length + ' ' + (migrate.migrationStatements(migrate.MIGRATIONS[0]).length > 10));
  // The Standard Webhooks test vector; a tampered body is refused with an error the main entry recognises.
  const vector = { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, payload: '{"test": 2432232314}' };
  const headers = webhooks.signWebhook(vector);
  const verified = webhooks.verifyWebhook({ secret: vector.secret, headers, payload: vector.payload, now: new Date(vector.timestamp * 1000) });
  try { webhooks.verifyWebhook({ secret: vector.secret, headers, payload: '{"test": 1}', now: new Date(vector.timestamp * 1000) }); } catch (e) { out.push('webhooks ' + headers['webhook-signature'] + ' ' + verified.test + ' ' + (root.isSchedulingError(e, 'INVALID_INPUT') && e.details.reason)); }
  const t = await testing.createTestDatabase();
  const r = await t.client.query('SELECT count(*)::int AS n FROM scheduling.capacity_policies');
  out.push('testing ' + r.rows[0].n);
  // An operation through the package's scheduler: its feature's code is loaded on this first call.
  const findings = await root.createScheduler({ db: t.db }).maintenance.verifyIntegrity({ kind: 'system' }, {});
  out.push('scheduler ' + JSON.stringify(findings));
  await t.close();
  console.log(out.join('\\n'));
`;

// The built package must carry exactly the migrations the source has.
const expected = [
  'root true',
  'schema sessions',
  'domain false 151',
  `migrate ${MIGRATIONS.length} true`,
  'webhooks v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= 2432232314 no_matching_signature',
  'testing 3',
  'scheduler []',
].join('\n');

/**
 * The probe migrates a PGlite database in a fresh process: 7–12 s on an idle machine, but
 * past vitest's 60 s under heavy load (seen on Node 24 with two other suites running), so
 * the test waits as long as the child process may run.
 */
const PROBE_TIMEOUT = 150_000;

async function node(args: string[]) {
  const { stdout } = await run(process.execPath, args, { cwd: root, timeout: 120_000 });
  return stdout.trim();
}

describe('the built package', () => {
  it('has been built', () => {
    expect(existsSync(`${root}dist/index.js`)).toBe(true);
  });

  it(
    'every subpath works through import (ESM)',
    async () => {
      const script = `const load = (s) => import(s); ${probe}`;
      expect(await node(['--input-type=module', '-e', script])).toBe(expected);
    },
    PROBE_TIMEOUT,
  );

  it(
    'every subpath works through require (CJS)',
    async () => {
      const script = `(async () => { const load = async (s) => require(s); ${probe} })().catch((e) => { console.error(e); process.exit(1); });`;
      expect(await node(['-e', script])).toBe(expected);
    },
    PROBE_TIMEOUT,
  );

  it('the entry loads no Drizzle module and no feature code; an operation loads its feature on first call', async () => {
    // CJS, where require.cache says exactly which files a process has loaded.
    const script = `
      const loaded = () => Object.keys(require.cache);
      const drizzle = () => loaded().filter((f) => f.includes('/node_modules/drizzle-orm/')).length;
      const { createScheduler } = require('academy-scheduling');
      const atImport = { drizzle: drizzle(), files: loaded().filter((f) => f.includes('/dist/')).length };
      const { drizzle: pglite } = require('drizzle-orm/pglite');
      const before = drizzle();
      const db = pglite({});
      const beforeCreate = loaded().length;
      const scheduler = createScheduler({ db });
      const createLoadsNothing = loaded().length === beforeCreate;
      scheduler.bookings.book({ kind: 'admin', userId: '00000000-0000-4000-8000-000000000000' }, {}).catch((e) => {
        console.log(JSON.stringify({ atImport, createLoadsNothing, drizzleAddedByCall: drizzle() > before, code: e.code }));
      });
    `;
    const report = JSON.parse(await node(['-e', script])) as Record<string, unknown>;
    expect(report).toEqual({ atImport: { drizzle: 0, files: expect.any(Number) }, createLoadsNothing: true, drizzleAddedByCall: true, code: 'INVALID_INPUT' });
    expect((report.atImport as { files: number }).files).toBeLessThan(12);
  });

  it('an error from the CJS copy is recognised by the ESM copy, and vice versa', async () => {
    const script = `
      import { createRequire } from 'node:module';
      const esm = await import('academy-scheduling');
      const cjs = createRequire(process.cwd() + '/package.json')('academy-scheduling');
      const fromCjs = new cjs.SchedulingError('NOT_FOUND', 'x');
      const fromEsm = new esm.SchedulingError('NOT_FOUND', 'x');
      console.log(esm.isSchedulingError(fromCjs, 'NOT_FOUND'), cjs.isSchedulingError(fromEsm, 'NOT_FOUND'), esm.SchedulingError !== cjs.SchedulingError);
    `;
    expect(await node(['--input-type=module', '-e', script])).toBe('true true true');
  });

  it('npm pack contains dist, drizzle and the README, and no tests, sources or source maps', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root });
    const [tarball] = JSON.parse(stdout) as [{ size: number; unpackedSize: number; files: { path: string }[] }];
    const files = tarball.files.map((f) => f.path);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.cjs');
    expect(files).toContain('dist/domain.d.cts');
    expect(files).toContain('drizzle/0001_triggers.sql');
    // drizzle-kit's snapshots (0.9 MB) are for generating the next migration here; a host's migrator reads the journal.
    expect(files).toContain('drizzle/meta/_journal.json');
    expect(files.filter((f) => f.endsWith('_snapshot.json'))).toEqual([]);
    expect(files).toContain('README.md');
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('src/') || f.includes('.test.'))).toEqual([]);
    // No source maps at all (tsup.config.ts): none of test-only code (`testing`), none of the rest.
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    // 0.44 MB packed and 3.1 MB unpacked without maps; with them it was 0.93 MB and 5.3 MB.
    // Without drizzle-kit's snapshots, about 3.1 MB unpacked (the schema factory's types grew it to 4.0 MB with them).
    expect(tarball.size).toBeLessThan(600_000);
    expect(tarball.unpackedSize).toBeLessThan(4_000_000);
  });

  it('publint and arethetypeswrong (node16 and bundler resolution) pass', async () => {
    await run('npx', ['publint', '--strict'], { cwd: root });
    await run('npx', ['attw', '--pack', '.', '--profile', 'node16'], { cwd: root, timeout: 120_000 });
  });
});

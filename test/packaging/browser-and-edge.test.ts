/**
 * `academy-scheduling/domain` claims to run in browsers and edge runtimes: this proves
 * it, with the same results as Node. The scenarios of `fixtures/domain-scenarios.ts`
 * (DST-crossing series, custom RRULEs, overlaps, capacity, conflicts, free slots, the
 * waitlist, refusals) are bundled from `src/domain` by esbuild for the browser platform
 * (an IIFE, no Node built-ins, not one warning), then run in headless Chromium (the
 * bundle inlined in a page, the JSON read back with `--dump-dom`) and in the
 * `edge-runtime` VM (Web APIs only, no code generation), and compared with the same
 * scenarios run in Node. Without `/usr/bin/chromium` the browser case skips (CI
 * installs it: `apt-get install chromium`); the edge case always runs.
 */
import { build } from 'esbuild';
import { EdgeRuntime } from 'edge-runtime';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios, type ScenarioResults } from './fixtures/domain-scenarios';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SCENARIOS = fileURLToPath(new URL('./fixtures/domain-scenarios.ts', import.meta.url));
const GLOBAL_NAME = 'academyDomainScenarios';
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_TIMEOUT_MS = 30_000;
/** The browser's own zone (UTC+05:45, no DST): results must not depend on the host's zone. */
const BROWSER_TZ = 'Asia/Kathmandu';

/** The scenarios bundled for browsers: an IIFE that sets `academyDomainScenarios`. */
async function bundleForBrowser() {
  const result = await build({
    entryPoints: [SCENARIOS],
    bundle: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: root,
    platform: 'browser',
    format: 'iife',
    globalName: GLOBAL_NAME,
  });
  const code = result.outputFiles[0]?.text ?? '';
  return {
    code,
    warnings: result.warnings.map((w) => `${w.id}: ${w.text}${w.location ? ` (${w.location.file}:${w.location.line})` : ''}`),
    inputs: Object.keys(result.metafile.inputs),
  };
}

/** A page that runs the bundle in a classic script and leaves only `<pre id="out">` with the URI-encoded JSON. */
function scenarioPage(bundle: string): string {
  // The error listener reports a bundle that throws while it loads (a `process` or `require` reference, say).
  const report = `
    (function () {
      var out = document.getElementById('out');
      var report;
      try {
        report = {
          errors: window.__loadErrors,
          userAgent: navigator.userAgent,
          timezoneOffset: new Date(Date.UTC(2027, 0, 1)).getTimezoneOffset(),
          result: ${GLOBAL_NAME}.runScenarios(),
        };
      } catch (error) {
        report = { errors: window.__loadErrors.concat([String((error && error.stack) || error)]) };
      }
      out.textContent = encodeURIComponent(JSON.stringify(report));
      document.querySelectorAll('script').forEach(function (script) { script.remove(); });
    })();`;
  return [
    '<!doctype html><html><head><meta charset="utf-8"><title>academy-scheduling/domain</title></head><body><pre id="out"></pre>',
    `<script>window.__loadErrors = []; window.addEventListener('error', function (e) { window.__loadErrors.push(String(e.message)); });</script>`,
    `<script>\n${bundle}\n</script>`,
    `<script>${report}</script>`,
    '</body></html>',
  ].join('\n');
}

/** Loads `url` in headless Chromium (its local zone set to BROWSER_TZ) and returns the serialized DOM once its scripts have run; killed (all its processes) after the timeout. */
function dumpDom(url: string, profileDir: string): Promise<string> {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--no-first-run',
    '--no-default-browser-check',
    `--user-data-dir=${profileDir}`,
    '--dump-dom',
    url,
  ];
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout ends the renderer and GPU processes too.
    const child = spawn(CHROMIUM, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: BROWSER_TZ } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`chromium did not finish within ${CHROMIUM_TIMEOUT_MS} ms; stderr:\n${stderr.slice(-2000)}`));
    }, CHROMIUM_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`chromium exited with ${code}; stderr:\n${stderr.slice(-2000)}`));
    });
  });
}

interface BrowserReport {
  errors: string[];
  userAgent?: string;
  timezoneOffset?: number;
  result?: ScenarioResults;
}

describe('academy-scheduling/domain in a browser and an edge runtime', () => {
  const node = runScenarios();
  let bundle: Awaited<ReturnType<typeof bundleForBrowser>>;
  const dir = mkdtempSync(join(tmpdir(), 'acsched-browser-edge-'));

  beforeAll(async () => {
    bundle = await bundleForBrowser();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the scenarios give the known answers in Node', () => {
    const { recurrence, overlappingPairs, capacity, conflicts, freeSlots, waitlist, refusals } = node;
    const starts = (series: Array<{ start: string }>) => series.map((o) => o.start);
    // London: 16:30 GMT is 16:30Z until the clocks go forward on 2027-03-28, then 16:30 BST is 15:30Z; Easter Tuesday is a holiday.
    expect(starts(recurrence.londonTerm)).toEqual([
      '2027-03-02T16:30:00.000Z',
      '2027-03-09T16:30:00.000Z',
      '2027-03-16T16:30:00.000Z',
      '2027-03-23T16:30:00.000Z',
      '2027-03-30T15:30:00.000Z',
      '2027-04-13T15:30:00.000Z',
    ]);
    expect(recurrence.londonTerm[0]?.end).toBe('2027-03-02T17:15:00.000Z');
    // New York: 09:00 EDT is 13:00Z until 2027-11-07, then 09:00 EST is 14:00Z.
    expect(starts(recurrence.newYorkNovember)).toEqual([
      '2027-10-25T13:00:00.000Z',
      '2027-10-27T13:00:00.000Z',
      '2027-11-01T13:00:00.000Z',
      '2027-11-03T13:00:00.000Z',
      '2027-11-08T14:00:00.000Z',
      '2027-11-10T14:00:00.000Z',
      '2027-11-15T14:00:00.000Z',
      '2027-11-17T14:00:00.000Z',
    ]);
    expect(starts(recurrence.newYorkRepeatedHour)).toEqual(['2027-11-06T05:30:00.000Z', '2027-11-07T05:30:00.000Z', '2027-11-08T06:30:00.000Z']);
    expect(starts(recurrence.newYorkSkippedHour)).toEqual(['2027-03-13T07:30:00.000Z', '2027-03-14T07:30:00.000Z', '2027-03-15T06:30:00.000Z']);
    expect(recurrence.secondSaturdays.map((o) => o.localDate)).toEqual(['2027-01-09', '2027-02-13', '2027-03-13', '2027-04-10', '2027-05-08', '2027-06-12']);
    expect(recurrence.secondSaturdays[3]?.start).toBe('2027-04-10T09:00:00.000Z');
    expect(recurrence.lastWeekdays.map((o) => o.localDate)).toEqual(['2027-01-29', '2027-02-26', '2027-03-31', '2027-04-30']);

    expect(overlappingPairs).toEqual([
      ['staff-meeting', 'fire-drill'],
      ['parents-evening', 'term-2027-03-30'],
    ]);
    expect(capacity.policy.school).toEqual({ min: 10, max: 40 });
    expect(capacity.checks.map((c) => (c.ok ? 'ok' : c.reason))).toEqual([
      'above_maximum',
      'above_maximum',
      'ok',
      'above_hard_limit',
      'below_minimum',
      'min_participants_out_of_range',
    ]);
    expect(conflicts.map((c) => [c.conflictType, c.sessionId, c.conflictingSessionId])).toEqual([
      ['capacity_exceeded', 's1', null],
      ['instructor_double_booking', 's1', 's2'],
      ['facility_overlap', 's1', 's3'],
      ['student_conflict', 's1', 's2'],
      ['availability_mismatch', 's3', null],
    ]);
    expect(starts(freeSlots.slots)).toEqual([
      '2027-11-01T13:00:00.000Z',
      '2027-11-01T15:00:00.000Z',
      '2027-11-08T14:00:00.000Z',
      '2027-11-08T15:00:00.000Z',
      '2027-11-08T16:00:00.000Z',
    ]);
    expect(waitlist.ranked).toEqual(['w4', 'w1', 'w2', 'w3', 'w5']);
    expect(waitlist.offers.offers.map((o) => [o.entryId, o.responseDeadline])).toEqual([
      ['w4', '2027-03-01T13:00:00.000Z'],
      ['w3', '2027-03-01T13:00:00.000Z'],
    ]);
    expect(waitlist.offers.expirations.map((e) => e.entryId)).toEqual(['w1']);
    expect(waitlist.confirmations.confirmations.map((c) => c.entryId)).toEqual(['w3']);
    expect(refusals.policyAboveHardLimit).toMatchObject({ name: 'SchedulingError', code: 'INVALID_INPUT', isError: true, details: { path: ['group', 'max'] } });
    expect(refusals.unknownTimeZone).toMatchObject({ code: 'INVALID_INPUT', details: { path: ['timeZone'] } });
    expect(refusals.hourlyRule).toMatchObject({ code: 'INVALID_INPUT', details: { path: ['customPattern', 'rrule'] } });
    expect(refusals.invertedInterval).toMatchObject({ code: 'INVALID_INPUT', details: { path: [1, 'end'] } });
    expect(refusals.privateForThree).toMatchObject({ code: 'CAPACITY_POLICY_VIOLATION', details: { reason: 'above_maximum', limit: 2, actual: 3 } });
  });

  it('esbuild bundles the scenarios for browsers as an IIFE without a warning or a Node built-in', () => {
    expect(bundle.warnings).toEqual([]);
    expect(bundle.inputs).toContain('src/domain/index.ts');
    expect(bundle.inputs.filter((p) => /^node:|drizzle-orm|@electric-sql|postgres|^src\/(db|service|schema|migrate|testing)\//.test(p))).toEqual([]);
    // Inlined in a classic <script>, the bundle must not close it early.
    expect(bundle.code).not.toMatch(/<\/script/i);
  });

  it('runs in headless Chromium with the same results as Node', async (context) => {
    context.skip(!existsSync(CHROMIUM), `${CHROMIUM} is missing: install Chromium (apt-get install chromium) to run the domain in a browser`);
    const page = join(dir, 'domain-scenarios.html');
    writeFileSync(page, scenarioPage(bundle.code));
    const dom = await dumpDom(pathToFileURL(page).href, join(dir, 'chromium-profile'));
    const encoded = /<pre id="out">([^<]*)<\/pre>/.exec(dom)?.[1];
    expect(encoded, `no <pre id="out"> in chromium's DOM:\n${dom.slice(0, 2000)}`).toBeTruthy();
    const report = JSON.parse(decodeURIComponent(encoded as string)) as BrowserReport;
    expect(report.errors).toEqual([]);
    expect(report.userAgent).toMatch(/HeadlessChrome\//);
    expect(report.timezoneOffset).toBe(-345); // the page ran in BROWSER_TZ, not in UTC
    expect(report.result).toEqual(node);
  });

  it('runs in the edge runtime (Web APIs only, no eval) with the same results as Node', () => {
    const runtime = new EdgeRuntime();
    const json = runtime.evaluate<string>(`${bundle.code}
      JSON.stringify({
        globals: { EdgeRuntime: typeof EdgeRuntime, process: typeof process, require: typeof require, Buffer: typeof Buffer },
        result: ${GLOBAL_NAME}.runScenarios(),
      });`);
    const report = JSON.parse(json) as { globals: Record<string, string>; result: ScenarioResults };
    // Really the edge VM: its marker global is there, Node's are not.
    expect(report.globals).toEqual({ EdgeRuntime: 'string', process: 'undefined', require: 'undefined', Buffer: 'undefined' });
    expect(report.result).toEqual(node);
  });
});

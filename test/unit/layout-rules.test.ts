/**
 * The layout's rules (docs/architecture.md) are enforced by ESLint in `npm test`; this
 * proves the configuration really refuses each kind of import it forbids, and allows
 * the ones the layout intends, by linting small sources as if they sat in each folder.
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { readdirSync } from 'node:fs';

const eslint = new ESLint({ cwd: process.cwd() });

/** The rule ids ESLint reports for `code` placed at `filePath`. */
async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

const RESTRICTED = 'import-x/no-restricted-paths';

describe('the layout rules, as the linter enforces them', () => {
  it.each([
    [
      'a feature imports another feature',
      'src/service/bookings/probe.ts',
      "import { joinWaitlist } from '../waitlist/offers';\nexport const x = joinWaitlist;",
    ],
    ['places import a feature', 'src/service/places/probe.ts', "import { bookStudent } from '../bookings/book';\nexport const x = bookStudent;"],
    [
      'the kernel imports places',
      'src/service/kernel/probe.ts',
      "import { openSessionForBooking } from '../places/open-session';\nexport const x = openSessionForBooking;",
    ],
    ['the domain imports the database layer', 'src/domain/probe.ts', "import { sqlList } from '../db/sql-list';\nexport const x = sqlList;"],
    ['db imports the service', 'src/db/probe.ts', "import { defineOperation } from '../service/kernel/operation';\nexport const x = defineOperation;"],
  ])('refuses: %s', async (_name, filePath, code) => {
    expect(await violations(filePath, code)).toContain(RESTRICTED);
  });

  it('refuses a database library in the domain', async () => {
    expect(await violations('src/domain/probe.ts', "import { sql } from 'drizzle-orm';\nexport const x = sql;")).toContain('no-restricted-imports');
  });

  it.each([
    ['a feature uses places, the kernel, the domain, the schema and db', 'src/service/bookings/probe.ts'],
    ['places use the kernel', 'src/service/places/probe.ts'],
  ])('allows: %s', async (_name, filePath) => {
    const code = [
      "import { openSessionForBooking } from '../places/open-session';",
      "import { lockSession } from '../kernel/lookups';",
      "import { freePlaces } from '../../domain/bookability';",
      "import { sessions } from '../../schema';",
      "import { sqlList } from '../../db/sql-list';",
      'export const x = [openSessionForBooking, lockSession, freePlaces, sessions, sqlList];',
    ].join('\n');
    expect(await violations(filePath, code)).toEqual([]);
  });

  const entries = readdirSync('src/service', { withFileTypes: true });
  const features = entries.filter((e) => e.isDirectory() && !['kernel', 'places'].includes(e.name)).map((e) => e.name);

  it('src/service holds only create-scheduler.ts, the kernel, places and feature folders', () => {
    expect(entries.filter((e) => !e.isDirectory()).map((e) => e.name)).toEqual(['create-scheduler.ts']);
    expect(entries.filter((e) => e.isDirectory()).map((e) => e.name)).toEqual(expect.arrayContaining(['kernel', 'places']));
    expect(features.length).toBeGreaterThanOrEqual(12);
  });

  it('every feature folder may not import another feature, nor be imported by places or the kernel', async () => {
    for (const feature of features) {
      const other = features.find((f) => f !== feature)!;
      const probe = `import * as other from '../${other}/service';\nexport const x = other;`;
      expect(await violations(`src/service/${feature}/probe.ts`, probe), `${feature} → ${other}`).toContain(RESTRICTED);
      const into = `import * as feature from '../${feature}/service';\nexport const x = feature;`;
      expect(await violations('src/service/places/probe.ts', into), `places → ${feature}`).toContain(RESTRICTED);
      expect(await violations('src/service/kernel/probe.ts', into), `kernel → ${feature}`).toContain(RESTRICTED);
    }
  });

  it.each([
    [
      'the schema imports the service',
      'src/schema/probe.ts',
      "import { createScheduler } from '../service/create-scheduler';\nexport const x = createScheduler;",
    ],
    [
      'migrate imports the service',
      'src/migrate/probe.ts',
      "import { createScheduler } from '../service/create-scheduler';\nexport const x = createScheduler;",
    ],
  ])('refuses: %s', async (_name, filePath, code) => {
    expect(await violations(filePath, code)).toContain(RESTRICTED);
  });

  it('refuses an import cycle', async () => {
    // session-load is imported by open-session; importing open-session back closes a cycle.
    const found = await violations(
      'src/service/places/session-load.ts',
      "import { openSessionForBooking } from './open-session';\nexport const x = openSessionForBooking;",
    );
    expect(found).toContain('import-x/no-cycle');
  });
});

/**
 * Runs once per test project, before any test file. Prepares a migrated database that
 * every test file clones, so no file pays for migrating:
 * - pglite: a createMigratedSnapshot() data directory written to .tmp/, opened by each
 *   file through createTestDatabase({ snapshot });
 * - postgres: a template database on DATABASE_URL, copied with CREATE DATABASE … TEMPLATE.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { createMigratedSnapshot } from '../../src/testing';
import { migrate } from '../../src/migrate';
import { databaseUrlFor, dropDatabase, RUN_PREFIX } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshotPath: string;
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  const target = project.config.env?.TEST_DB_TARGET;
  if (target === 'postgres') {
    const template = `${RUN_PREFIX}_tpl_${project.name}`;
    const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    await dropLeftoversOfDeadRuns(admin);
    await admin.unsafe(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE "${template}"`);
    const client = postgres(databaseUrlFor(template), { max: 1, onnotice: () => {} });
    await migrate(drizzle(client));
    await client.end();
    await admin.end();
    project.provide('templateDatabase', template);
    project.provide('pgliteSnapshotPath', '');
    return async () => {
      await dropDatabase(template);
    };
  }
  const dir = join(process.cwd(), '.tmp');
  mkdirSync(dir, { recursive: true });
  // Uncompressed (about 40 MB): each test file's process then reads it without gunzipping.
  const path = join(dir, `pglite-snapshot-${process.pid}-${project.name}.tar`);
  const snapshot = await createMigratedSnapshot();
  writeFileSync(path, new Uint8Array(await snapshot.arrayBuffer()));
  project.provide('pgliteSnapshotPath', path);
  project.provide('templateDatabase', '');
  return () => rmSync(path, { force: true });
}

/**
 * A run that was killed cannot drop its databases. Their names carry the pid of the
 * run's main process (`acsched_<pid>_…`): drop those whose process is gone.
 */
async function dropLeftoversOfDeadRuns(admin: ReturnType<typeof postgres>): Promise<void> {
  const rows = await admin<{ datname: string }[]>`SELECT datname FROM pg_database WHERE datname LIKE 'acsched\_%'`;
  for (const { datname } of rows) {
    const pid = Number(/^acsched_(\d+)_/.exec(datname)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    await admin.unsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs once per test project, before any test file. Prepares a migrated database that
 * every test file clones, so no file pays for migrating:
 * - pglite: a createMigratedSnapshot() data directory written to .tmp/, opened by each
 *   file through createTestDatabase({ snapshot });
 * - postgres: a template database on DATABASE_URL, copied with CREATE DATABASE … TEMPLATE;
 *   on the Citus tier (TEST_DB_CLUSTER=citus) a template on every node of the cluster,
 *   migrated through the coordinator.
 * This runs in vitest's main process, whose env is not the project's: the server is read
 * from project.config.env (falling back to the process's DATABASE_URL).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { createMigratedSnapshot } from '../../src/testing';
import { migrate } from '../../src/migrate';
import { createClusterDatabase, databaseUrlFor, dropDatabase, onEveryNode, RUN_PREFIX, type Server } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshotPath: string;
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  const env = project.config.env ?? {};
  const target = env.TEST_DB_TARGET;
  if (target === 'postgres') {
    const server: Server = { url: env.DATABASE_URL ?? process.env.DATABASE_URL, cluster: env.TEST_DB_CLUSTER === 'citus' ? 'citus' : 'postgres' };
    const template = `${RUN_PREFIX}_tpl_${project.name}`;
    await onEveryNode((admin) => dropLeftoversOfDeadRuns(admin), server);
    await dropDatabase(template, server);
    await createClusterDatabase(template, server);
    try {
      const client = postgres(databaseUrlFor(template, server), { max: 1, onnotice: () => {} });
      try {
        await migrate(drizzle(client));
      } finally {
        await client.end();
      }
      if (server.cluster === 'citus') {
        // Citus's maintenance daemon keeps a connection to every Citus database, and
        // CREATE DATABASE … TEMPLATE refuses a source that anyone is connected to: shut
        // the template to new connections, then end the ones it has.
        await onEveryNode(async (admin) => {
          await admin.unsafe(`ALTER DATABASE "${template}" ALLOW_CONNECTIONS false`);
          await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${template} AND pid <> pg_backend_pid()`;
        }, server);
      }
    } catch (error) {
      await dropDatabase(template, server).catch(() => undefined);
      throw error;
    }
    project.provide('templateDatabase', template);
    project.provide('pgliteSnapshotPath', '');
    return async () => {
      await dropDatabase(template, server);
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

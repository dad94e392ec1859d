import { defineConfig } from 'vitest/config';

/**
 * Two tiers. `unit` runs everywhere. The database suite runs on embedded PGlite
 * always, and a second time on the real server named by DATABASE_URL when it is
 * set (CI sets it); the concurrency suite needs many real connections, so it only
 * runs there. With CITUS_URL (a Citus coordinator) set too, the database, service,
 * concurrency, fault and adversarial suites run a third time, on that cluster.
 */
const realServer = Boolean(process.env.DATABASE_URL);
const citusUrl = process.env.CITUS_URL;

const dbProject = (name: string, target: 'pglite' | 'postgres', include: string[], driver = 'postgres-js', env: Record<string, string> = {}) => ({
  extends: true as const,
  test: {
    name,
    include,
    env: { TEST_DB_TARGET: target, TEST_DB_DRIVER: driver, ...env },
    globalSetup: ['test/support/global-setup.ts'],
  },
});

// The project's env overrides the process's in its test workers, and the global setup reads
// it from the project: DATABASE_URL is the coordinator there, and nowhere else.
const citusEnv = (url: string) => ({ TEST_DB_CLUSTER: 'citus', DATABASE_URL: url });

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/domain/**/*.test.ts', 'test/unit/**/*.test.ts'] } },
      // Needs `npm run build` first; `npm test` builds.
      { extends: true, test: { name: 'packaging', include: ['test/packaging/**/*.test.ts'] } },
      dbProject('pglite', 'pglite', ['test/db/**/*.test.ts', 'test/service/**/*.test.ts']),
      ...(realServer
        ? [
            dbProject('postgres', 'postgres', ['test/db/**/*.test.ts', 'test/service/**/*.test.ts']),
            // The same suite again through node-postgres: every driver the README names is proven.
            dbProject('node-postgres', 'postgres', ['test/db/**/*.test.ts', 'test/service/**/*.test.ts'], 'node-postgres'),
            dbProject('concurrency', 'postgres', ['test/concurrency/**/*.test.ts', 'test/faults/**/*.test.ts']),
            // Raw SQL and scheduler calls racing every entry of docs/guarantees.md at every isolation level.
            dbProject('adversarial', 'postgres', ['test/adversarial/**/*.test.ts']),
            dbProject('soak', 'postgres', ['test/soak/**/*.test.ts']),
          ]
        : []),
      ...(citusUrl
        ? [
            // The same suites on a Citus cluster: each academy's schema lives on one worker.
            dbProject('citus', 'postgres', ['test/db/**/*.test.ts', 'test/service/**/*.test.ts'], 'postgres-js', citusEnv(citusUrl)),
            // With the fault suite: on Citus its harness finds the victim's lock wait on the academy's
            // worker, by the victim's global pid, and gives its timeouts to the workers' sessions too.
            dbProject('citus-concurrency', 'postgres', ['test/concurrency/**/*.test.ts', 'test/faults/**/*.test.ts'], 'postgres-js', citusEnv(citusUrl)),
            // The adversarial suite too: every guarantee raced on the academy's worker, through the coordinator.
            dbProject('citus-adversarial', 'postgres', ['test/adversarial/**/*.test.ts'], 'postgres-js', citusEnv(citusUrl)),
          ]
        : []),
    ],
  },
});

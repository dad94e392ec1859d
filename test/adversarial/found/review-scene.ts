/**
 * A small scene for the holes an adversarial review found (each now closed, each a
 * regression test here): the file's fresh migrated database,
 * a seeded academy with a few students, a handful of connections (the machine is
 * shared: keep them few), helpers for rows, and the checker of scene.ts.
 */
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as s from '../../../src/schema';
import { createScheduler, type Scheduler } from '../../../src';
import type { IntegrityFinding } from '../../../src/service/maintenance/integrity';
import type { TestDatabase } from '../../support/database';
import { type Academy, seedAcademy } from '../../support/fixtures';
import { type RowMakers, rowMakers } from '../scene';

export const ADMIN_CLOCK = new Date('2029-12-01T08:00:00Z');

export interface ReviewScene extends RowMakers {
  database: TestDatabase;
  academy: Academy;
  /** One dedicated connection (its own pool of 1) per call: for hand-ordered interleavings. */
  connection(options?: { user?: string; isolation?: 'read committed' | 'repeatable read' | 'serializable' }): postgres.Sql;
  scheduler: Scheduler;
  run<T = Record<string, unknown>>(statement: string): Promise<T[]>;
  violations(): Promise<IntegrityFinding[]>;
  end(): Promise<void>;
}

export async function openReviewScene(database: TestDatabase): Promise<ReviewScene> {
  const academy = await seedAcademy(database.db, { students: 20 });
  const opened: postgres.Sql[] = [];
  const main = postgres(database.url!, { max: 2, onnotice: () => {} });
  opened.push(main);
  const scheduler = createScheduler({ db: drizzle(main, { schema: s }), now: () => ADMIN_CLOCK });
  const run = <T>(statement: string) => database.query<T>(statement);
  const scene: ReviewScene = {
    database,
    academy,
    scheduler,
    run,
    connection(options = {}) {
      const url = new URL(database.url!);
      if (options.user) {
        url.username = options.user;
        url.password = '';
      }
      const sqlc = postgres(url.toString(), {
        max: 1,
        onnotice: () => {},
        ...(options.isolation ? { connection: { default_transaction_isolation: options.isolation } } : {}),
      });
      opened.push(sqlc);
      return sqlc;
    },
    ...rowMakers(run, academy, 'REV'),
    async violations() {
      const findings = await scheduler.maintenance.verifyIntegrity({ kind: 'system' }, {});
      return findings.filter((f) => f.kind !== 'expired_offer');
    },
    async end() {
      await Promise.all(opened.map((c) => c.end({ timeout: 5 })));
    },
  };
  return scene;
}

/** Resolves after ms milliseconds. */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Figure 2: conflict-checked session creation on the real server. `sessions.create`
 * (service checks + triggers) versus a plain INSERT with every trigger off, at
 * 1,000,000 existing sessions, and `sessions.create` at 1,000,000 versus at 10,000.
 */
import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { eq, sql } from 'drizzle-orm';
import { createScheduler, type Scheduler } from '../../src';
import * as schema from '../../src/schema';
import { sessions } from '../../src/schema';
import { type BenchDatabase, explain, FACILITIES, localInstant } from '../server-database';
import { median } from '../harness';

/** Medians of one size, and what the plans show. */
export interface CreationMeasurement {
  createMs: number;
  plainInsertMs: number;
  runs: number;
  /** The service's overlap query (active sessions near the new one): EXPLAIN summary. */
  overlapPlan: { usesIndex: boolean; seqScanOnSessions: boolean; plan: string };
  /** The triggers' own queries during one create, via auto_explain (null when it cannot be loaded). */
  triggerPlans: { plans: number; seqScanOnSessions: number } | null;
}

/**
 * The `i`-th measured session: 06:30-07:00 local on days 1-6, in facility `i % 50`
 * with that facility's 07:00 instructor, so it touches (back to back) sessions of the
 * same room and instructor but never overlaps one. The same slots at every table
 * size, so only the table's size changes between the 10,000 and 1,000,000 runs.
 */
function candidate(bench: BenchDatabase, i: number) {
  const { academy } = bench;
  const day = 1 + (Math.floor(i / FACILITIES) % 6);
  const f = i % FACILITIES;
  return {
    programId: academy.programId,
    courseId: academy.courseId,
    locationId: academy.locationId,
    facilityId: academy.facilityIds[f]!,
    instructorId: academy.instructorIds[f]!,
    sessionType: 'group' as const,
    title: 'Bench session',
    startTime: localInstant(day, '06:30'),
    endTime: localInstant(day, '07:00'),
    capacity: 5,
  };
}

/**
 * The baseline's own connection to the bench database. `SET session_replication_role`
 * makes PostgreSQL drop every cached plan of the backend it runs in (its assign hook
 * calls ResetPlanCache), and once more when SET LOCAL reverts at commit. On the pool
 * that `sessions.create` uses, postgres.js ran both on one backend in this sequential
 * loop, so every measured create came right after such a flush and planned all its
 * statements and trigger queries again: a cost of the baseline, not of the create.
 */
function baselineConnection(bench: BenchDatabase): { db: PostgresJsDatabase<typeof schema>; close: () => Promise<void> } {
  const client = postgres(databaseUrl(bench), { max: 1, onnotice: () => {} });
  return { db: drizzle(client, { schema }), close: () => client.end() };
}

function databaseUrl(bench: BenchDatabase): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${bench.name}`;
  return url.toString();
}

/** The baseline: the same row inserted with every trigger (user and FK) off, committed. */
async function plainInsert(db: PostgresJsDatabase<typeof schema>, bench: BenchDatabase, values: ReturnType<typeof candidate>): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL session_replication_role = replica`);
    const [row] = await tx
      .insert(sessions)
      .values({ ...values, createdBy: bench.academy.adminId })
      .returning({ id: sessions.id });
    return row!.id;
  });
}

async function deleteSession(bench: BenchDatabase, id: string): Promise<void> {
  await bench.db.delete(sessions).where(eq(sessions.id, id));
}

/** A database to measure and the scheduler over it. */
export interface CreationTarget {
  bench: BenchDatabase;
  scheduler: Scheduler;
}

/**
 * Median latency of `sessions.create` and of the plain insert in each target, measured
 * in alternation (run i of every target and both kinds before run i + 1), so load from
 * other processes hits every figure alike; the plain insert runs on a connection of its
 * own (see `baselineConnection`). Each created row is deleted outside the timing, so the
 * tables keep their size. Also the plans that show the checks use indexes.
 *
 * @example
 * ```ts
 * const [small, large] = await measureSessionCreation([smallTarget, largeTarget], 25);
 * ```
 */
export async function measureSessionCreation(targets: CreationTarget[], runs: number, warmup = 3): Promise<CreationMeasurement[]> {
  const times = targets.map(() => ({ create: [] as number[], plain: [] as number[] }));
  const baselines = targets.map(({ bench }) => baselineConnection(bench));
  try {
    await measureAlternately(targets, baselines, times, runs, warmup);
  } finally {
    for (const baseline of baselines) await baseline.close();
  }
  const results: CreationMeasurement[] = [];
  for (const [t, { bench, scheduler }] of targets.entries()) {
    const admin = { kind: 'admin', userId: bench.academy.adminId } as const;
    let createdId = '';
    const captured = await bench.capture(async () => {
      createdId = (await scheduler.sessions.create(admin, candidate(bench, runs + warmup))).session.id;
    });
    await deleteSession(bench, createdId);
    // The service's overlap check: the WHERE of its insert when nothing is in the way
    // (newSessionIsClear), else the select of the sessions around the new one.
    // (The insert is read back through a CTE: `with "written" as (insert into …)`.)
    const overlapQuery = captured.find(
      (q) =>
        /^(with "written" as \()?(select|insert into) .*from (?:"?scheduling"?\.)?"?sessions"?/is.test(q.query.trim()) && q.query.includes('"start_time" >'),
    );
    if (!overlapQuery) throw new Error('the overlap query of sessions.create was not captured');
    results.push({
      createMs: median(times[t]!.create),
      plainInsertMs: median(times[t]!.plain),
      runs,
      overlapPlan: await explain(bench, overlapQuery),
      triggerPlans: await triggerPlans(bench, candidate(bench, runs + warmup + 1)),
    });
  }
  return results;
}

/** Run i of every target and both kinds before run i + 1; each row is deleted outside the timing. */
async function measureAlternately(
  targets: CreationTarget[],
  baselines: Array<{ db: PostgresJsDatabase<typeof schema> }>,
  times: Array<{ create: number[]; plain: number[] }>,
  runs: number,
  warmup: number,
): Promise<void> {
  for (let i = 0; i < warmup + runs; i++) {
    for (const [t, { bench, scheduler }] of targets.entries()) {
      const admin = { kind: 'admin', userId: bench.academy.adminId } as const;
      const values = candidate(bench, i);
      let start = performance.now();
      const { session } = await scheduler.sessions.create(admin, values);
      const createMs = performance.now() - start;
      await deleteSession(bench, session.id);
      start = performance.now();
      const id = await plainInsert(baselines[t]!.db, bench, values);
      const plainMs = performance.now() - start;
      await deleteSession(bench, id);
      if (i >= warmup) {
        times[t]!.create.push(createMs);
        times[t]!.plain.push(plainMs);
      }
    }
  }
}

/**
 * Runs one `sessions.create` on a single connection with `auto_explain` logging every
 * nested statement to the client, and counts the plans that scan `sessions`
 * sequentially. Null when auto_explain is not installed on the server.
 */
async function triggerPlans(bench: BenchDatabase, values: ReturnType<typeof candidate>): Promise<CreationMeasurement['triggerPlans']> {
  const plans: string[] = [];
  const client = postgres(databaseUrl(bench), {
    max: 1,
    onnotice: (notice) => {
      if (String(notice.message).includes('plan:')) plans.push(String(notice.message));
    },
  });
  try {
    await client.unsafe("LOAD 'auto_explain'");
    await client.unsafe('SET auto_explain.log_min_duration = 0');
    await client.unsafe('SET auto_explain.log_nested_statements = on');
    await client.unsafe('SET client_min_messages = log');
    const scheduler = createScheduler({ db: drizzle(client, { schema }) });
    const { session } = await scheduler.sessions.create({ kind: 'admin', userId: bench.academy.adminId }, values);
    await client.unsafe('SET client_min_messages = notice');
    await deleteSession(bench, session.id);
    return { plans: plans.length, seqScanOnSessions: plans.filter((p) => /Seq Scan on sessions/.test(p)).length };
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

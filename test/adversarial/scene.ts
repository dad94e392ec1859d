/**
 * What every adversarial test works on: a migrated database of its own on the real
 * server, an academy with plenty of students, a pool of connections per isolation
 * level (the level is each connection's default, as a server default would be), a
 * scheduler per level on that pool, and the checker.
 */
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as s from '../../src/schema';
import { createScheduler, type Scheduler } from '../../src';
import type { IntegrityFinding } from '../../src/service/maintenance/integrity';
import type { TestDatabase } from '../support/database';
import { type Academy, seedAcademy } from '../support/fixtures';

export const LEVELS = ['read committed', 'repeatable read', 'serializable'] as const;
export type Level = (typeof LEVELS)[number];

/** Connections per level: every attempt of a race gets one of its own. */
export const CONNECTIONS = 12;

export interface Scene {
  database: TestDatabase;
  academy: Academy;
  raw: Record<Level, postgres.Sql>;
  schedulers: Record<Level, Scheduler>;
  /** Runs one SQL statement outside any race (setup); returns its rows. */
  run<T = Record<string, unknown>>(statement: string): Promise<T[]>;
  /** n students nobody else in this file has used. */
  students(n: number): string[];
  /** A day nobody else in this file has used, as `YYYY-MM-DD` (a Tuesday, for availability). */
  day(): string;
  newFacility(values?: { max?: number; capacity?: number; locationId?: string }): Promise<string>;
  newInstructor(max?: number): Promise<string>;
  newLocation(timezone: string): Promise<string>;
  /** Inserts a session (triggers on); returns its id. */
  newSession(values: {
    start: string;
    end: string;
    facilityId: string;
    instructorId?: string | null;
    capacity?: number;
    type?: string;
    status?: string;
    locationId?: string;
  }): Promise<string>;
  /** Closes the connections of one level (the races go level by level). */
  release(level: Level): Promise<void>;
  end(): Promise<void>;
}

export const ADMIN_CLOCK = new Date('2029-12-01T08:00:00Z');

export async function openScene(database: TestDatabase): Promise<Scene> {
  const academy = await seedAcademy(database.db, { students: 600 });
  // Pools open on first use and close with `release`: other files race on the same server.
  const pools = new Map<Level, postgres.Sql>();
  const poolSchedulers = new Map<Level, Scheduler>();
  const poolAt = (level: Level) => {
    let pool = pools.get(level);
    if (!pool) {
      pool = postgres(database.url!, { max: CONNECTIONS, onnotice: () => {}, connection: { default_transaction_isolation: level } });
      pools.set(level, pool);
    }
    return pool;
  };
  const raw = {} as Record<Level, postgres.Sql>;
  const schedulers = {} as Record<Level, Scheduler>;
  for (const level of LEVELS) {
    Object.defineProperty(raw, level, { get: () => poolAt(level) });
    Object.defineProperty(schedulers, level, {
      get: () => {
        let scheduler = poolSchedulers.get(level);
        if (!scheduler) poolSchedulers.set(level, (scheduler = createScheduler({ db: drizzle(poolAt(level), { schema: s }), now: () => ADMIN_CLOCK })));
        return scheduler;
      },
    });
  }
  const run = <T>(statement: string) => database.query<T>(statement);
  let nextStudent = 0;
  let nextDay = 0;
  const scene: Scene = {
    database,
    academy,
    raw,
    schedulers,
    run,
    students(n) {
      const taken = academy.studentIds.slice(nextStudent, nextStudent + n);
      nextStudent += n;
      if (taken.length < n) throw new Error('the scene ran out of students');
      return taken;
    },
    day() {
      // Tuesdays from 2031-01-07 on.
      const date = new Date(Date.UTC(2031, 0, 7) + 7 * 86_400_000 * nextDay++);
      return date.toISOString().slice(0, 10);
    },
    ...rowMakers(run, academy, 'ADV'),
    async release(level) {
      const pool = pools.get(level);
      pools.delete(level);
      poolSchedulers.delete(level);
      await pool?.end();
    },
    async end() {
      await Promise.all([...pools.values()].map((pool) => pool.end()));
    },
  };
  return scene;
}

/** What a scene makes rows with: each a fresh facility, instructor, location or session, codes unique by `prefix`. */
export type RowMakers = Pick<Scene, 'newFacility' | 'newInstructor' | 'newLocation' | 'newSession'>;

let counter = 0;

/** Row makers that write through `run` (one raw statement each). */
export function rowMakers(run: <T>(statement: string) => Promise<T[]>, academy: Academy, prefix: string): RowMakers {
  const code = () => `${prefix}-${process.pid}-${++counter}`;
  return {
    async newFacility(values = {}) {
      const [row] = await run<{ id: string }>(
        `INSERT INTO scheduling.facilities (location_id, code, name, max_concurrent_sessions, capacity)
         VALUES ('${values.locationId ?? academy.locationId}', '${code()}', 'Room', ${values.max ?? 1}, ${values.capacity ?? 'NULL'}) RETURNING id`,
      );
      return row!.id;
    },
    async newInstructor(max = 1) {
      const [row] = await run<{ id: string }>(
        `INSERT INTO scheduling.instructors (email, first_name, last_name, max_concurrent_sessions)
         VALUES ('${code().toLowerCase()}@academy.test', 'Coach', 'Adversary', ${max}) RETURNING id`,
      );
      return row!.id;
    },
    async newLocation(timezone) {
      const [row] = await run<{ id: string }>(
        `INSERT INTO scheduling.locations (code, name, timezone) VALUES ('${code()}', 'Site', '${timezone}') RETURNING id`,
      );
      return row!.id;
    },
    async newSession(values) {
      const [row] = await run<{ id: string }>(sessionInsert(academy, values));
      return row!.id;
    },
  };
}

/** The INSERT of a session, as raw SQL. */
export function sessionInsert(
  academy: Academy,
  values: {
    start: string;
    end: string;
    facilityId: string;
    instructorId?: string | null;
    capacity?: number;
    type?: string;
    status?: string;
    locationId?: string;
    currentBookings?: number;
  },
): string {
  const instructor = values.instructorId ? `'${values.instructorId}'` : 'NULL';
  return `INSERT INTO scheduling.sessions (program_id, course_id, location_id, facility_id, instructor_id, session_type, title, start_time, end_time, capacity, current_bookings, status, created_by)
    VALUES ('${academy.programId}', '${academy.courseId}', '${values.locationId ?? academy.locationId}', '${values.facilityId}', ${instructor},
            '${values.type ?? 'group'}', 'Adversarial', '${values.start}', '${values.end}', ${values.capacity ?? 5}, ${values.currentBookings ?? 0},
            '${values.status ?? 'scheduled'}', '${academy.adminId}') RETURNING id`;
}

/** The checker: every broken guarantee `verifyIntegrity` finds (an offer past its deadline is not one). */
export async function violations(scene: Scene): Promise<IntegrityFinding[]> {
  const findings = await scene.schedulers['read committed'].maintenance.verifyIntegrity({ kind: 'system' }, {});
  return findings.filter((f) => f.kind !== 'expired_offer');
}

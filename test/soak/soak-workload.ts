/**
 * The soak's workload: a seeded academy, a seeded PRNG per operation (so operation
 * `i` of seed `S` always picks the same kind and the same dice, whichever worker
 * runs it), the operations themselves and how each outcome is classified.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isSchedulingError, type Scheduler, type SchedulingErrorCode } from '../../src';
import type { Actor } from '../../src/service/kernel/types';
import type { AnyPgDatabase } from '../../src/db/query';
import type { TestDb } from '../support/database';
import { type Academy, insertSession, seedAcademy, addFacility } from '../support/fixtures';
import type { Sql } from '../faults/fault-harness';
import { causeMessages } from '../faults/fault-harness';

/** mulberry32: small, fast, good enough to drive a workload, and reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The dice of operation `index` under `seed`. */
export const diceFor = (seed: number, index: number) => prng(Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b));

export const pick = <T>(rng: () => number, items: readonly T[]): T | undefined => (items.length ? items[Math.floor(rng() * items.length)] : undefined);

export interface SoakAcademy {
  academy: Academy;
  admin: Actor;
  sessionIds: string[];
  /** The hour-long slots sessions are in (two sessions per slot, so students can clash). */
  slots: Array<{ start: Date; end: Date }>;
}

export const SOAK_SESSIONS = 20;
export const SOAK_STUDENTS = 60;

/** 20 small sessions (capacity 2–4, waitlists of at most 6) in 10 slots, 60 students, one roomy facility. */
export async function seedSoakAcademy(db: TestDb, rng: () => number): Promise<SoakAcademy> {
  const academy = await seedAcademy(db, { students: SOAK_STUDENTS });
  const hall = await addFacility(db, academy, { capacity: 40, maxConcurrentSessions: 50 });
  const slots = Array.from({ length: SOAK_SESSIONS / 2 }, (_, i) => {
    const start = new Date(Date.UTC(2030, 0, 7 + i, 15));
    return { start, end: new Date(start.getTime() + 3_600_000) };
  });
  const sessionIds: string[] = [];
  for (let i = 0; i < SOAK_SESSIONS; i++) {
    const slot = slots[i % slots.length]!;
    const row = await insertSession(db, academy, {
      instructorId: null,
      facilityId: hall,
      capacity: 2 + Math.floor(rng() * 3),
      maxWaitlistSize: 6,
      title: `Soak ${i}`,
      startTime: slot.start,
      endTime: slot.end,
    });
    sessionIds.push(row.id);
  }
  return { academy, admin: { kind: 'admin', userId: academy.adminId }, sessionIds, slots };
}

/**
 * The time a check-in happens at, for the soak scheduler's clock: the soak's virtual
 * clock runs weeks before the sessions, where every check-in would be refused as
 * too early, so a check-in runs with the clock at its session's start plus five minutes.
 */
export const checkInClock = new AsyncLocalStorage<Date>();

export const OPERATION_KINDS = ['book', 'cancel', 'join', 'leave', 'accept', 'decline', 'expire', 'move', 'reschedule', 'checkIn'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];
const WEIGHTS: Record<OperationKind, number> = {
  book: 26,
  cancel: 12,
  join: 8,
  leave: 6,
  accept: 10,
  decline: 5,
  expire: 4,
  move: 8,
  reschedule: 5,
  checkIn: 6,
};
const TOTAL_WEIGHT = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);

export function pickKind(rng: () => number): OperationKind {
  let roll = rng() * TOTAL_WEIGHT;
  for (const kind of OPERATION_KINDS) {
    roll -= WEIGHTS[kind];
    if (roll < 0) return kind;
  }
  return 'book';
}

/** What an operation needs besides its dice. */
export interface OperationContext {
  scheduler: Scheduler;
  seed: SoakAcademy;
  /** A connection outside the soak pool, to look up rows to act on. */
  reader: Sql;
  /** The host's transaction, when the operation joins one. */
  tx?: AnyPgDatabase;
}

const ids = async (reader: Sql, query: string) => (await reader.unsafe(query)).map((r) => r.id as string);

/**
 * Runs one operation of `kind`. Rows to act on are read just before, outside the
 * transaction, so they may be stale by the time the call runs: the refusals that
 * follows from that (INVALID_STATE, NOT_FOUND, …) are part of the test.
 * Returns false when there was nothing to act on.
 */
export async function runOperation(kind: OperationKind, rng: () => number, ctx: OperationContext): Promise<boolean> {
  const { scheduler, seed, reader } = ctx;
  const options = ctx.tx ? { tx: ctx.tx } : undefined;
  const admin = seed.admin;
  const session = pick(rng, seed.sessionIds)!;
  const student = pick(rng, seed.academy.studentIds)!;
  const confirmed = () => ids(reader, `SELECT id FROM scheduling.session_bookings WHERE booking_status = 'confirmed' ORDER BY id`);
  const offered = () => ids(reader, `SELECT id FROM scheduling.session_waitlist WHERE status = 'offered' ORDER BY id`);
  switch (kind) {
    case 'book':
      await scheduler.bookings.book(admin, { sessionId: session, studentId: student }, options);
      return true;
    case 'join':
      await scheduler.waitlist.join(admin, { sessionId: session, studentId: student }, options);
      return true;
    case 'expire':
      await scheduler.waitlist.expireOffers({ kind: 'system' }, {}, options);
      return true;
    case 'reschedule': {
      const slot = pick(rng, seed.slots)!;
      const shift = (Math.floor(rng() * 3) - 1) * 30 * 60_000;
      await scheduler.sessions.reschedule(
        admin,
        { sessionId: session, startTime: new Date(slot.start.getTime() + shift), endTime: new Date(slot.end.getTime() + shift) },
        options,
      );
      return true;
    }
    case 'cancel':
    case 'move':
    case 'checkIn': {
      const bookingId = pick(rng, await confirmed());
      if (!bookingId) return false;
      if (kind === 'cancel') await scheduler.bookings.cancel(admin, { bookingId, type: 'student' }, options);
      else if (kind === 'checkIn') {
        const [row] =
          await reader`SELECT s.start_time FROM scheduling.session_bookings b JOIN scheduling.sessions s ON s.id = b.session_id WHERE b.id = ${bookingId}`;
        if (!row) return false;
        const at = new Date((row.start_time as Date).getTime() + 5 * 60_000);
        await checkInClock.run(at, () => scheduler.attendance.checkIn(admin, { bookingId }, options));
      } else {
        const [row] = await reader`SELECT session_id FROM scheduling.session_bookings WHERE id = ${bookingId}`;
        const target = pick(
          rng,
          seed.sessionIds.filter((id) => id !== row?.session_id),
        )!;
        await scheduler.bookings.move(admin, { bookingId, toSessionId: target }, options);
      }
      return true;
    }
    case 'leave': {
      const waitlistId = pick(
        rng,
        await ids(reader, `SELECT id FROM scheduling.session_waitlist WHERE status IN ('waiting', 'notified', 'offered') ORDER BY id`),
      );
      if (!waitlistId) return false;
      await scheduler.waitlist.leave(admin, { waitlistId }, options);
      return true;
    }
    case 'accept':
    case 'decline': {
      const waitlistId = pick(rng, await offered());
      if (!waitlistId) return false;
      if (kind === 'accept') await scheduler.waitlist.accept(admin, { waitlistId }, options);
      else await scheduler.waitlist.decline(admin, { waitlistId }, options);
      return true;
    }
  }
}

/** Refusals a correct scheduler gives in this workload (stale picks, full sessions, clashes). */
export const EXPECTED_REFUSALS: ReadonlySet<SchedulingErrorCode> = new Set([
  'CAPACITY_EXCEEDED',
  'ALREADY_BOOKED',
  'INVALID_STATE',
  'WAITLIST_FULL',
  'STUDENT_CONFLICT',
  'NOT_BOOKABLE',
  'NOT_FOUND',
]);

/** How an operation ended, as a tally key; `unexpected` ones fail the soak. */
export interface Outcome {
  key: string;
  unexpected: boolean;
}

const CONNECTION_LOSS = /Connection terminated|not queryable|terminating connection|CONNECTION_CLOSED|ECONNRESET|EPIPE/;

/**
 * Sorts an outcome: `ok`, an expected refusal (by code), a fault we injected
 * (lock timeout 55P03 in an operation given a lock timeout; a lost connection), or
 * unexpected — anything untyped, or a DATABASE_ERROR we cannot attribute to a fault.
 * RETRY_EXHAUSTED is typed and allowed, but counted.
 */
export function classify(error: unknown, withLockTimeout: boolean): Outcome {
  if (error === undefined) return { key: 'ok', unexpected: false };
  if (!isSchedulingError(error)) return { key: `UNTYPED ${String(error)}`, unexpected: true };
  if (EXPECTED_REFUSALS.has(error.code)) return { key: error.code, unexpected: false };
  if (error.code === 'RETRY_EXHAUSTED') return { key: `RETRY_EXHAUSTED(${String(error.details.sqlstate)})`, unexpected: false };
  if (error.code === 'DATABASE_ERROR') {
    const sqlstate = error.details.sqlstate;
    if (sqlstate === '55P03' && withLockTimeout) return { key: 'fault: lock timeout (55P03)', unexpected: false };
    if (sqlstate === '57P01' || (sqlstate === undefined && CONNECTION_LOSS.test(causeMessages(error).join(' | ')))) {
      return { key: 'fault: connection lost', unexpected: false };
    }
  }
  return { key: `${error.code} ${String(error.details.sqlstate ?? '')} ${causeMessages(error).join(' <- ')}`, unexpected: true };
}

/**
 * The host's own transaction statements failed — a raw driver error is what the
 * host's driver gives it, and these are fine: the connection was killed under it, or
 * its COMMIT hit the 2 ms lock_timeout / a deadlock. (COMMIT takes locks: the
 * booked-or-waiting constraint triggers are DEFERRABLE INITIALLY DEFERRED and lock
 * the student row at commit — for a joined call, at the host's commit.)
 */
export function classifyHostFailure(error: unknown): Outcome {
  const text = causeMessages(error).join(' <- ');
  if (CONNECTION_LOSS.test(text)) return { key: "fault: host's BEGIN/COMMIT lost its connection", unexpected: false };
  if (/\[(55P03|40P01)\]/.test(text) && /commit/.test(text)) return { key: "fault: host's COMMIT hit the lock timeout or a deadlock", unexpected: false };
  return { key: `HOST ${text}`, unexpected: true };
}

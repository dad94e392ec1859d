import type { AnyPgDatabase } from '../../db/query';
import type { PartialCapacityPolicy } from '../../domain';

/** Who is acting. `userId` becomes `created_by` / `resolved_by` / `cancelled_by` of what they write. */
export interface Actor {
  kind: 'admin' | 'instructor' | 'parent' | 'student' | 'system';
  userId?: string;
  instructorId?: string;
  parentId?: string;
  studentId?: string;
}

/** Per-call options every scheduler method accepts. */
export interface CallOptions {
  /**
   * The host's open transaction (or any Drizzle database) to run in. The scheduler's
   * writes then commit or roll back with the host's; they run inside a savepoint so a
   * refused call leaves the host's transaction usable. No retries happen in this mode:
   * the host owns the transaction and must retry it as a whole.
   */
  tx?: AnyPgDatabase;
}

/** Options of `createScheduler`. */
export interface SchedulerOptions {
  /** Any Drizzle PostgreSQL database (postgres.js, node-postgres, PGlite) or transaction. */
  db: AnyPgDatabase;
  /**
   * The academy this scheduler works for: its PostgreSQL schema, created by
   * `migrate(db, { schema })` (default `scheduling`). Every statement of every call runs
   * with this schema as its `search_path`, and reads and writes nothing outside it.
   * Lower-case letters, digits and `_` (`INVALID_INPUT`, reason `invalid_schema_name`).
   */
  schema?: string;
  /**
   * A database role to act as in every transaction (`SET LOCAL ROLE`), typically one
   * with rights on this academy's schema only (`grantAcademyRole` in
   * `academy-scheduling/migrate`), so that even a wrong query cannot reach another
   * academy. The connection's user must be a member of it. Default: none (the
   * connection's own user).
   */
  role?: string;
  /** Capacity limits per session type; missing bounds keep the defaults. The database is made to enforce the same. */
  policy?: PartialCapacityPolicy;
  /** The clock, injectable for tests. Defaults to `() => new Date()`. */
  now?: () => Date;
  /** How many times a transaction is re-run after a serialization failure or deadlock (default 3; one retry at a time per scheduler, after a jittered backoff). */
  maxRetries?: number;
  /**
   * The isolation level of the scheduler's own transactions (not of a host's `{ tx }`).
   * Default: the server's (`default_transaction_isolation`). Every guarantee holds at
   * each level (docs/guarantees.md); above READ COMMITTED, contention shows as retries.
   */
  isolationLevel?: 'read committed' | 'repeatable read' | 'serializable';
  /** How long a waitlist offer stays open, in minutes (default 1440; used by the waitlist part). */
  offerWindowMinutes?: number;
  /**
   * What happens when a place frees up: `'offer'` (default) holds it for the next
   * eligible waitlisted student until they accept or the offer expires; `'auto'`
   * books them straight in.
   */
  promotionMode?: 'offer' | 'auto';
  /** A check-in this many minutes or more after the start is `late` (default 10; used by attendance). */
  lateAfterMinutes?: number;
  /** A check-out more than this many minutes before the end is `partial` (default 10; used by attendance). */
  earlyLeaveMinutes?: number;
  /** Check-in opens this many minutes before the start (default 60; used by attendance): an earlier check-in is refused (`too_early`). */
  checkInOpensMinutes?: number;
  /** Check-out closes this many minutes after the end (default 60; used by attendance): a later check-out is refused (`too_late`). */
  checkOutClosesMinutes?: number;
  /** How many days after a missed session a makeup may take place (default 30; used by makeups). */
  makeupWindowDays?: number;
}

import * as z from 'zod/mini';
import { SchedulingError } from '../../errors';
import { type CapacityPolicy, resolveCapacityPolicy } from '../../domain/capacity';
import { copyOwnProperties, copyPlainData, parseInput } from '../../domain/validate';
import { isDrizzlePgDatabase } from '../../db/drizzle-kind';
import { DEFAULT_ACADEMY_SCHEMA, parseAcademySchemaName, parseRoleName } from '../../db/academy-schema-name';
import type { AnyPgDatabase } from '../../db/query';
import type { SchedulerOptions } from './types';

/*
 * `createScheduler`'s own validation. It runs when the scheduler is created, so it is
 * loaded with the package's entry; it needs nothing from Drizzle or the tables, which
 * are loaded with the first operation (create-scheduler.ts).
 */

/**
 * A Drizzle PostgreSQL database or transaction (see {@link isDrizzlePgDatabase}).
 *
 * @internal
 */
export const drizzleDatabaseInput = z.custom<AnyPgDatabase>(isDrizzlePgDatabase, {
  message: 'expected a Drizzle PostgreSQL database or transaction (drizzle() of postgres.js, node-postgres or PGlite)',
  abort: true,
});

/** How long an offer holds a place, in minutes: 1 minute to 30 days (the scheduler option and the per-call override). */
export const offerWindowMinutesInput = z.number().check(z.int(), z.gte(1), z.lte(60 * 24 * 30));

/**
 * A `withReplicas()` wrapper's primary: the scheduler only reads and writes in
 * transactions, which the wrapper sends to the primary anyway.
 */
function primaryOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || isDrizzlePgDatabase(value)) return value;
  try {
    const primary = Object.getOwnPropertyDescriptor(value, '$primary')?.value as unknown;
    return isDrizzlePgDatabase(primary) ? primary : value;
  } catch {
    return value;
  }
}

const optionsSchema = z.object({
  // zod/mini has no `preprocess`: it is this pipe (what classic zod's `preprocess` builds).
  db: z.pipe(z.transform(primaryOf), drizzleDatabaseInput),
  schema: z.optional(z.unknown()),
  role: z.optional(z.unknown()),
  policy: z.optional(z.unknown()),
  now: z.optional(z.custom<() => Date>((value) => value === undefined || typeof value === 'function', { message: 'expected a function returning a Date' })),
  maxRetries: z.optional(z.number().check(z.int(), z.gte(0), z.lte(20))),
  isolationLevel: z.optional(z.enum(['read committed', 'repeatable read', 'serializable'])),
  offerWindowMinutes: z.optional(offerWindowMinutesInput),
  promotionMode: z.optional(z.enum(['offer', 'auto'])),
  lateAfterMinutes: z.optional(z.number().check(z.int(), z.gte(0), z.lte(24 * 60))),
  earlyLeaveMinutes: z.optional(z.number().check(z.int(), z.gte(0), z.lte(24 * 60))),
  checkInOpensMinutes: z.optional(z.number().check(z.int(), z.gte(0), z.lte(24 * 60))),
  checkOutClosesMinutes: z.optional(z.number().check(z.int(), z.gte(0), z.lte(24 * 60))),
  makeupWindowDays: z.optional(z.number().check(z.int(), z.gte(1), z.lte(366))),
});

/** The scheduler options, validated, with every default applied. */
export interface SchedulerSettings {
  db: AnyPgDatabase;
  /** The academy's schema (validated). */
  schema: string;
  /** The role every transaction acts as, if any (validated). */
  role: string | undefined;
  policy: CapacityPolicy;
  /** The clock; throws `INVALID_INPUT` when the injected one returns something that is not a valid Date. */
  now: () => Date;
  maxRetries: number;
  isolationLevel: SchedulerOptions['isolationLevel'];
  offerWindowMinutes: number;
  /** Waitlist promotion: hold the place with an offer, or book directly. */
  promotionMode: 'offer' | 'auto';
  lateAfterMinutes: number;
  earlyLeaveMinutes: number;
  checkInOpensMinutes: number;
  checkOutClosesMinutes: number;
  makeupWindowDays: number;
}

/**
 * Validates the scheduler options (`INVALID_INPUT` with a path, thrown at
 * construction) and applies the defaults.
 *
 * Options are read from their own properties only (inherited ones, getters and class
 * instances are refused; the policy is read as plain data), and `db` must be a real
 * Drizzle PostgreSQL database or transaction — or `withReplicas()` of one, whose
 * primary is used.
 *
 * @internal
 */
export function parseSchedulerOptions(options: SchedulerOptions): SchedulerSettings {
  const own = copyOwnProperties(options);
  if (own.policy !== undefined) own.policy = copyPlainData(own.policy, ['policy']);
  const parsed = parseInput(optionsSchema, own, { argument: 'options' });
  const policy = resolveCapacityPolicy(parsed.policy as SchedulerOptions['policy']);
  const clock = parsed.now ?? (() => new Date());
  const now = () => {
    const value = clock();
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
      throw new SchedulingError('INVALID_INPUT', 'The injected clock returned something that is not a valid Date', { path: ['now'] });
    }
    return value;
  };
  return {
    db: parsed.db,
    schema: parsed.schema === undefined ? DEFAULT_ACADEMY_SCHEMA : parseAcademySchemaName(parsed.schema),
    role: parsed.role === undefined ? undefined : parseRoleName(parsed.role),
    policy,
    now,
    maxRetries: parsed.maxRetries ?? 3,
    isolationLevel: parsed.isolationLevel,
    offerWindowMinutes: parsed.offerWindowMinutes ?? 1440,
    promotionMode: parsed.promotionMode ?? 'offer',
    lateAfterMinutes: parsed.lateAfterMinutes ?? 10,
    earlyLeaveMinutes: parsed.earlyLeaveMinutes ?? 10,
    checkInOpensMinutes: parsed.checkInOpensMinutes ?? 60,
    checkOutClosesMinutes: parsed.checkOutClosesMinutes ?? 60,
    makeupWindowDays: parsed.makeupWindowDays ?? 30,
  };
}

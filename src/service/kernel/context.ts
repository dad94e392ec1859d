import { SchedulingError } from '../../errors';
import { type CapacityPolicy, resolveCapacityPolicy } from '../../domain';
import { copyOwnProperties, copyPlainData, parseInput } from '../../domain/validate';
import { drizzleDatabaseInput, offerWindowMinutesInput } from './inputs';
import { isDrizzlePgDatabase } from '../../db/drizzle-internals';
import * as z from 'zod/mini';
import type { SchedulerOptions } from './types';
import { type RunInTransaction, createTransactionRunner } from '../../db/transaction';
import { syncCapacityPolicy } from './capacity-policy-sync';

/** What every service module shares: the resolved policy, the clock and the transaction helper. */
export interface ServiceContext {
  policy: CapacityPolicy;
  now: () => Date;
  offerWindowMinutes: number;
  /** Waitlist promotion: hold the place with an offer, or book directly. */
  promotionMode: 'offer' | 'auto';
  lateAfterMinutes: number;
  earlyLeaveMinutes: number;
  checkInOpensMinutes: number;
  checkOutClosesMinutes: number;
  makeupWindowDays: number;
  run: RunInTransaction;
}

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

/**
 * Validates the scheduler options (`INVALID_INPUT` with a path, thrown at
 * construction) and builds the shared context. The capacity policy is synced into
 * the database once per scheduler, inside its first transaction.
 *
 * Options are read from their own properties only (inherited ones, getters and class
 * instances are refused; the policy is read as plain data), and `db` must be a real
 * Drizzle PostgreSQL database or transaction — or `withReplicas()` of one, whose
 * primary is used.
 *
 * @internal
 */
export function createServiceContext(options: SchedulerOptions): ServiceContext {
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
  let policySynced = false;
  const runner = createTransactionRunner({
    db: parsed.db,
    maxRetries: parsed.maxRetries ?? 3,
    isolationLevel: parsed.isolationLevel,
    needsPrepare: () => !policySynced,
    prepare: (tx) => syncCapacityPolicy(tx, policy),
    prepared: () => {
      policySynced = true;
    },
  });
  const offerWindowMinutes = parsed.offerWindowMinutes ?? 1440;
  const promotionMode = parsed.promotionMode ?? 'offer';
  return {
    policy,
    now,
    offerWindowMinutes,
    promotionMode,
    lateAfterMinutes: parsed.lateAfterMinutes ?? 10,
    earlyLeaveMinutes: parsed.earlyLeaveMinutes ?? 10,
    checkInOpensMinutes: parsed.checkInOpensMinutes ?? 60,
    checkOutClosesMinutes: parsed.checkOutClosesMinutes ?? 60,
    makeupWindowDays: parsed.makeupWindowDays ?? 30,
    run: runner,
  };
}

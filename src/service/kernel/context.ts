import { SchedulingError } from '../../errors';
import { type CapacityPolicy, resolveCapacityPolicy } from '../../domain';
import { copyOwnProperties, copyPlainData, parseInput } from '../../domain/validate';
import { drizzleDatabaseInput, offerWindowMinutesInput } from './inputs';
import { isDrizzlePgDatabase } from '../../db/drizzle-internals';
import { z } from 'zod';
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
  db: z.preprocess(primaryOf, drizzleDatabaseInput),
  policy: z.unknown().optional(),
  now: z.custom<() => Date>((value) => value === undefined || typeof value === 'function', { message: 'expected a function returning a Date' }).optional(),
  maxRetries: z.number().int().min(0).max(20).optional(),
  isolationLevel: z.enum(['read committed', 'repeatable read', 'serializable']).optional(),
  offerWindowMinutes: offerWindowMinutesInput.optional(),
  promotionMode: z.enum(['offer', 'auto']).optional(),
  lateAfterMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .optional(),
  earlyLeaveMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .optional(),
  makeupWindowDays: z.number().int().min(1).max(366).optional(),
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
    makeupWindowDays: parsed.makeupWindowDays ?? 30,
    run: runner,
  };
}

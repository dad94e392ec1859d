import type { CapacityPolicy } from '../../domain';
import { type RunInTransaction, createTransactionRunner } from '../../db/transaction';
import { syncCapacityPolicy } from './capacity-policy-sync';
import type { SchedulerSettings } from './scheduler-options';

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
 * The shared context of a scheduler's operations, from its validated settings
 * (scheduler-options.ts). The capacity policy is synced into the database once per
 * scheduler, inside its first transaction.
 *
 * @internal
 */
export function createServiceContext(settings: SchedulerSettings): ServiceContext {
  const { db, schema, role, maxRetries, isolationLevel, ...shared } = settings;
  let policySynced = false;
  const run = createTransactionRunner({
    db,
    schema,
    role,
    maxRetries,
    isolationLevel,
    needsPrepare: () => !policySynced,
    prepare: (tx) => syncCapacityPolicy(tx, settings.policy),
    prepared: () => {
      policySynced = true;
    },
  });
  return { ...shared, run };
}

import * as z from 'zod/mini';
import { type CapacityViolationReason, SchedulingError } from '../errors';
import { sessionTypeSchema, type SessionType } from './schemas';
import { parseInput } from './validate';

/**
 * No session of any type may hold more than this many participants, whatever a
 * host's policy says (the reference schema's `chk_session_capacity`).
 */
export const CAPACITY_HARD_LIMIT = 50;

const limitSchema = z
  .object({
    min: z.number().check(z.int(), z.gte(1, 'min must be at least 1'), z.lte(CAPACITY_HARD_LIMIT)),
    max: z.number().check(z.int(), z.gte(1), z.lte(CAPACITY_HARD_LIMIT, `max must not exceed the hard limit of ${CAPACITY_HARD_LIMIT}`)),
  })
  .check(z.refine((limit) => limit.min <= limit.max, { message: 'min must not exceed max', path: ['max'] }));

/**
 * A capacity policy: inclusive `min`/`max` capacity per session type. The database
 * stores exactly these rows in its policy table, which the capacity trigger reads.
 *
 * @example
 * ```ts
 * import { capacityPolicySchema } from 'academy-scheduling/domain';
 * capacityPolicySchema.parse({ group: { min: 1, max: 6 }, private: { min: 1, max: 2 }, school: { min: 10, max: 40 } });
 * ```
 */
export const capacityPolicySchema = z.object({ group: limitSchema, private: limitSchema, school: limitSchema });

/** Inclusive capacity bounds per session type. */
export type CapacityPolicy = z.infer<typeof capacityPolicySchema>;

// Strict objects: a misspelt key in a host's configuration is an error, not a silent default.
const partialLimitSchema = z.optional(z.strictObject({ min: z.optional(z.unknown()), max: z.optional(z.unknown()) }));
/**
 * A host's partial policy: any type, any bound may be left out and keeps the default.
 *
 * @example
 * ```ts
 * import { partialCapacityPolicySchema } from 'academy-scheduling/domain';
 * partialCapacityPolicySchema.parse({ school: { max: 40 } });
 * ```
 */
export const partialCapacityPolicySchema = z.optional(z.strictObject({ group: partialLimitSchema, private: partialLimitSchema, school: partialLimitSchema }));

/** A host's partial capacity policy. */
export type PartialCapacityPolicy = { [K in SessionType]?: { min?: number; max?: number } };

/**
 * The reference schema's limits: group ≤ 5, private ≤ 2, school 10–30.
 *
 * @example
 * ```ts
 * import { DEFAULT_CAPACITY_POLICY } from 'academy-scheduling/domain';
 * DEFAULT_CAPACITY_POLICY.school; // { min: 10, max: 30 }
 * ```
 */
export const DEFAULT_CAPACITY_POLICY: Readonly<CapacityPolicy> = Object.freeze({
  group: Object.freeze({ min: 1, max: 5 }),
  private: Object.freeze({ min: 1, max: 2 }),
  school: Object.freeze({ min: 10, max: 30 }),
});

/**
 * Merges a host's partial policy over {@link DEFAULT_CAPACITY_POLICY} and validates
 * the result (min ≥ 1, min ≤ max, max ≤ 50).
 *
 * @example
 * ```ts
 * import { resolveCapacityPolicy } from 'academy-scheduling/domain';
 * resolveCapacityPolicy({ school: { max: 40 } }).school; // { min: 10, max: 40 }
 * resolveCapacityPolicy({ group: { max: 60 } });          // throws INVALID_INPUT at group.max
 * ```
 */
export function resolveCapacityPolicy(partial?: PartialCapacityPolicy): CapacityPolicy {
  const host = parseInput(partialCapacityPolicySchema, partial) ?? {};
  const merged = {
    group: { ...DEFAULT_CAPACITY_POLICY.group, ...stripUndefined(host.group) },
    private: { ...DEFAULT_CAPACITY_POLICY.private, ...stripUndefined(host.private) },
    school: { ...DEFAULT_CAPACITY_POLICY.school, ...stripUndefined(host.school) },
  };
  return parseInput(capacityPolicySchema, merged);
}

function stripUndefined(limit: { min?: unknown; max?: unknown } | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (limit?.min !== undefined) out.min = limit.min;
  if (limit?.max !== undefined) out.max = limit.max;
  return out;
}

/**
 * What {@link checkCapacity} checks: a session type, a capacity and optionally the
 * minimum number of participants.
 *
 * @example
 * ```ts
 * import { capacityCheckInputSchema } from 'academy-scheduling/domain';
 * capacityCheckInputSchema.parse({ sessionType: 'group', capacity: 4, minParticipants: 2 });
 * ```
 */
export const capacityCheckInputSchema = z.object({
  sessionType: sessionTypeSchema,
  capacity: z.number().check(z.int()),
  minParticipants: z.nullish(z.number().check(z.int())),
});

/** Input of {@link checkCapacity}. */
export type CapacityCheckInput = z.input<typeof capacityCheckInputSchema>;

export type { CapacityViolationReason } from '../errors';

/** Result of {@link checkCapacity}. */
export type CapacityCheckResult =
  | { ok: true }
  | {
      ok: false;
      reason: CapacityViolationReason;
      sessionType: SessionType;
      /** The bound that was crossed (for `min_participants_out_of_range`: the allowed range). */
      limit: number | { min: number; max: number };
      actual: number;
      message: string;
    };

/**
 * Whether `capacity` (and `minParticipants`, when given) is allowed for the session
 * type under `policy`. Checks, in order: the hard limit of 50, the type's minimum and
 * maximum, then `1 ≤ minParticipants ≤ capacity`.
 *
 * @example
 * ```ts
 * import { checkCapacity } from 'academy-scheduling/domain';
 * checkCapacity({ sessionType: 'group', capacity: 6 });
 * // { ok: false, reason: 'above_maximum', limit: 5, actual: 6, ... }
 * checkCapacity({ sessionType: 'school', capacity: 20, minParticipants: 12 }); // { ok: true }
 * ```
 */
export function checkCapacity(input: CapacityCheckInput, policy: CapacityPolicy = DEFAULT_CAPACITY_POLICY): CapacityCheckResult {
  const { sessionType, capacity, minParticipants } = parseInput(capacityCheckInputSchema, input);
  const { min, max } = parseInput(capacityPolicySchema, policy, { prefix: ['policy'], argument: 'policy' })[sessionType];
  const fail = (reason: CapacityViolationReason, limit: number | { min: number; max: number }, actual: number, message: string): CapacityCheckResult => ({
    ok: false,
    reason,
    sessionType,
    limit,
    actual,
    message,
  });
  if (capacity > CAPACITY_HARD_LIMIT) {
    return fail('above_hard_limit', CAPACITY_HARD_LIMIT, capacity, `no session may hold more than ${CAPACITY_HARD_LIMIT} participants`);
  }
  if (capacity < min) return fail('below_minimum', min, capacity, `${sessionType} sessions need a capacity of at least ${min}`);
  if (capacity > max) return fail('above_maximum', max, capacity, `${sessionType} sessions hold at most ${max} participants`);
  if (minParticipants !== undefined && minParticipants !== null && (minParticipants < 1 || minParticipants > capacity)) {
    return fail(
      'min_participants_out_of_range',
      { min: 1, max: capacity },
      minParticipants,
      `minimum participants must be between 1 and the capacity (${capacity})`,
    );
  }
  return { ok: true };
}

/**
 * Like {@link checkCapacity} but throws `SchedulingError` `CAPACITY_POLICY_VIOLATION`
 * (with the check result in `details`) when the capacity is not allowed.
 *
 * @example
 * ```ts
 * import { assertCapacityAllowed } from 'academy-scheduling/domain';
 * assertCapacityAllowed({ sessionType: 'private', capacity: 3 }); // throws CAPACITY_POLICY_VIOLATION
 * ```
 */
export function assertCapacityAllowed(input: CapacityCheckInput, policy: CapacityPolicy = DEFAULT_CAPACITY_POLICY): void {
  const result = checkCapacity(input, policy);
  if (!result.ok) {
    const { ok: _ok, message, ...details } = result;
    throw new SchedulingError('CAPACITY_POLICY_VIOLATION', message, details);
  }
}

/**
 * The capacity a session gets when created without one: the type's maximum.
 *
 * @example
 * ```ts
 * import { defaultCapacity, resolveCapacityPolicy } from 'academy-scheduling/domain';
 * defaultCapacity('group'); // 5
 * defaultCapacity('school', resolveCapacityPolicy({ school: { max: 40 } })); // 40
 * ```
 */
export function defaultCapacity(sessionType: SessionType, policy: CapacityPolicy = DEFAULT_CAPACITY_POLICY): number {
  const type = parseInput(sessionTypeSchema, sessionType, { prefix: ['sessionType'], argument: 'sessionType' });
  return parseInput(capacityPolicySchema, policy, { prefix: ['policy'], argument: 'policy' })[type].max;
}

/**
 * The capacity of a session created without one: the policy's maximum for its type
 * (the domain's `defaultCapacity`), or the room's size when that is smaller.
 *
 * @example
 * ```ts
 * import { DEFAULT_CAPACITY_POLICY, capacityForRoom } from 'academy-scheduling/domain';
 * capacityForRoom('school', DEFAULT_CAPACITY_POLICY, 24); // 24: the school maximum is 30
 * ```
 */
export function capacityForRoom(sessionType: SessionType, policy: CapacityPolicy, roomSize: number | null): number {
  return Math.min(defaultCapacity(sessionType, policy), roomSize ?? Infinity);
}

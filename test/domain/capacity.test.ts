import { describe, expect, it } from 'vitest';
import {
  assertCapacityAllowed,
  CAPACITY_HARD_LIMIT,
  checkCapacity,
  DEFAULT_CAPACITY_POLICY,
  defaultCapacity,
  isSchedulingError,
  resolveCapacityPolicy,
} from '../../src/domain';
import { invalidPath } from './fixtures';

describe('capacity policy', () => {
  it('defaults to the reference limits, stored as min/max per session type', () => {
    expect(DEFAULT_CAPACITY_POLICY).toEqual({ group: { min: 1, max: 5 }, private: { min: 1, max: 2 }, school: { min: 10, max: 30 } });
    expect(CAPACITY_HARD_LIMIT).toBe(50);
  });

  it('merges a host partial policy over the default', () => {
    expect(resolveCapacityPolicy({ school: { max: 40 } })).toEqual({ group: { min: 1, max: 5 }, private: { min: 1, max: 2 }, school: { min: 10, max: 40 } });
    expect(resolveCapacityPolicy()).toEqual(DEFAULT_CAPACITY_POLICY);
  });

  it('refuses policies beyond the hard limit, min below 1, min above max, and unknown keys', () => {
    expect(invalidPath(() => resolveCapacityPolicy({ group: { max: 51 } }))).toEqual(['group', 'max']);
    expect(invalidPath(() => resolveCapacityPolicy({ private: { min: 0 } }))).toEqual(['private', 'min']);
    expect(invalidPath(() => resolveCapacityPolicy({ school: { min: 31 } }))).toEqual(['school', 'max']);
    expect(invalidPath(() => resolveCapacityPolicy({ gruop: { max: 4 } } as never))).toEqual([]);
    expect(invalidPath(() => resolveCapacityPolicy({ group: { max: 4.5 } }))).toEqual(['group', 'max']);
  });
});

describe('checkCapacity', () => {
  it('allows capacities inside the type range', () => {
    expect(checkCapacity({ sessionType: 'group', capacity: 5 })).toEqual({ ok: true });
    expect(checkCapacity({ sessionType: 'private', capacity: 1, minParticipants: 1 })).toEqual({ ok: true });
    expect(checkCapacity({ sessionType: 'school', capacity: 10, minParticipants: 10 })).toEqual({ ok: true });
  });

  it('names the reason and the crossed limit when not allowed', () => {
    expect(checkCapacity({ sessionType: 'group', capacity: 6 })).toMatchObject({ ok: false, reason: 'above_maximum', limit: 5, actual: 6 });
    expect(checkCapacity({ sessionType: 'school', capacity: 9 })).toMatchObject({ ok: false, reason: 'below_minimum', limit: 10, actual: 9 });
    expect(checkCapacity({ sessionType: 'private', capacity: 0 })).toMatchObject({ ok: false, reason: 'below_minimum', limit: 1 });
    expect(checkCapacity({ sessionType: 'school', capacity: 51 })).toMatchObject({ ok: false, reason: 'above_hard_limit', limit: 50 });
  });

  it('enforces 1 ≤ minParticipants ≤ capacity', () => {
    expect(checkCapacity({ sessionType: 'group', capacity: 4, minParticipants: 5 })).toMatchObject({
      ok: false,
      reason: 'min_participants_out_of_range',
      limit: { min: 1, max: 4 },
      actual: 5,
    });
    expect(checkCapacity({ sessionType: 'group', capacity: 4, minParticipants: 0 })).toMatchObject({ ok: false, reason: 'min_participants_out_of_range' });
  });

  it('checks against a host policy', () => {
    const policy = resolveCapacityPolicy({ group: { max: 8 } });
    expect(checkCapacity({ sessionType: 'group', capacity: 8 }, policy)).toEqual({ ok: true });
    expect(checkCapacity({ sessionType: 'group', capacity: 9 }, policy)).toMatchObject({ reason: 'above_maximum', limit: 8 });
  });

  it('throws CAPACITY_POLICY_VIOLATION from assertCapacityAllowed', () => {
    try {
      assertCapacityAllowed({ sessionType: 'private', capacity: 3 });
      expect.unreachable();
    } catch (e) {
      expect(isSchedulingError(e, 'CAPACITY_POLICY_VIOLATION')).toBe(true);
      expect((e as { details: unknown }).details).toMatchObject({ reason: 'above_maximum', limit: 2, actual: 3 });
    }
  });

  it('rejects bad input and bad policies with a path', () => {
    expect(invalidPath(() => checkCapacity({ sessionType: 'yoga' as never, capacity: 3 }))).toEqual(['sessionType']);
    expect(invalidPath(() => checkCapacity({ sessionType: 'group', capacity: Number.NaN }))).toEqual(['capacity']);
    expect(invalidPath(() => checkCapacity({ sessionType: 'group', capacity: '3' as never }))).toEqual(['capacity']);
    expect(invalidPath(() => checkCapacity({ sessionType: 'group', capacity: 3 }, { ...DEFAULT_CAPACITY_POLICY, group: { min: 3, max: 2 } }))).toEqual([
      'policy',
      'group',
      'max',
    ]);
  });
});

describe('defaultCapacity', () => {
  it('is the maximum of the type', () => {
    expect(defaultCapacity('group')).toBe(5);
    expect(defaultCapacity('private')).toBe(2);
    expect(defaultCapacity('school')).toBe(30);
    expect(defaultCapacity('school', resolveCapacityPolicy({ school: { max: 45 } }))).toBe(45);
    expect(invalidPath(() => defaultCapacity('class' as never))).toEqual(['sessionType']);
  });
});

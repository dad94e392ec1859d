/**
 * Every attack of `attacks.ts` at READ COMMITTED, REPEATABLE READ and SERIALIZABLE
 * (each connection's default, as a server's would be): the attempts start at once,
 * each on a connection of its own; every one ends committed or refused with a
 * scheduling SQLSTATE (class SC), a serialization failure or deadlock (40001, 40P01),
 * a unique or check violation, or a typed SchedulingError — nothing else; the race really
 * raced (something got through and something was refused, unless the attack says
 * otherwise); and afterwards the checker finds no broken guarantee.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSchedulingError } from '../../src';
import { sqlStateOf } from '../../src/db/database-errors';
import { useTestDatabase } from '../support/database';
import { ATTACKS, type AttemptTools } from './attacks';
import { LEVELS, type Scene, openScene, violations } from './scene';

const database = useTestDatabase();
let scene: Scene;
beforeAll(async () => {
  scene = await openScene(database);
});
afterAll(async () => scene?.end());

/** How an attempt ended: 'ok', or what refused it. */
function outcomeOf(result: PromiseSettledResult<unknown>): string {
  if (result.status === 'fulfilled') return 'ok';
  const error = result.reason;
  if (isSchedulingError(error)) {
    const state = error.details.sqlstate as string | undefined;
    return error.code === 'DATABASE_ERROR' ? `DATABASE_ERROR ${state ?? error.message}` : error.code;
  }
  return sqlStateOf(error) ?? `untyped: ${String(error)}`;
}

const REFUSALS = /^(SC\d{3}|40001|40P01|23505|23514|[A-Z_]+)$/;

describe.each(LEVELS)('at %s', (level) => {
  afterAll(async () => scene.release(level));
  const tools: AttemptTools = {
    level,
    inTransaction: (work) => scene.raw[level].begin((tx) => work(tx)),
    get scheduler() {
      return scene.schedulers[level];
    },
  };

  it.each(ATTACKS.map((attack) => [attack.name, attack] as const))('%s', async (_name, attack) => {
    const ctx = await attack.prepare(scene);
    const results = await Promise.allSettled(Array.from({ length: attack.attempts }, (_, i) => attack.attempt(tools, ctx, i)));
    const outcomes = results.map(outcomeOf);
    const unexpected = outcomes.filter((o) => o !== 'ok' && (!REFUSALS.test(o) || o.startsWith('DATABASE_ERROR')));
    expect(unexpected, `outcomes: ${outcomes.join(', ')}`).toEqual([]);
    if (attack.someSucceed !== false) expect(outcomes, 'something should get through').toContain('ok');
    else
      expect(
        outcomes.filter((o) => o === 'ok'),
        'nothing should get through',
      ).toEqual([]);
    if (attack.someRefused !== false)
      expect(
        outcomes.some((o) => o !== 'ok'),
        `outcomes: ${outcomes.join(', ')}`,
      ).toBe(true);
    expect(await violations(scene)).toEqual([]);
  });
});

/**
 * Academies in one database do not see each other. A scheduler bound to academy A
 * (schema `academy_a`) is given, in every public method, the ids of academy B's rows
 * (the `scheduling` schema, seeded with one row of every kind): each call that names
 * one of B's rows is refused as NOT_FOUND, no call returns anything of B, and neither
 * academy's rows change because of it — B not at all, A only by the rows a call
 * creates from scratch (a new user, level, location, …), which refer to nothing of B.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createScheduler, isSchedulingError, type Actor, type Scheduler } from '../../../src';
import { migrate } from '../../../src/migrate';
import { loadedFeature } from '../../../src/service/kernel/lazy-feature';
import { useTestDatabase } from '../../support/database';
import { databaseDigest } from '../../support/digest';
import { type Ids, sampleInputs, seedSampleAcademy } from '../../support/sample-calls';
import { at } from '../../support/time';

const database = useTestDatabase();
const A = 'academy_a';
let other: Ids;
let otherIds: Set<string>;
let scheduler: Scheduler;
let adminOfA: Actor;

/** Every uuid stored in `schema`'s tables. */
async function uuidsIn(schema: string): Promise<Set<string>> {
  const columns = await database.query<{ t: string; c: string }>(
    `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = '${schema}' AND data_type = 'uuid'`,
  );
  const found = new Set<string>();
  for (const { t, c } of columns) {
    for (const row of await database.query<{ v: string | null }>(`SELECT DISTINCT "${c}"::text AS v FROM "${schema}"."${t}"`)) if (row.v) found.add(row.v);
  }
  return found;
}

/** Every string anywhere in `value`. */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, out);
  else if (value && typeof value === 'object' && !(value instanceof Date)) for (const item of Object.values(value)) stringsIn(item, out);
  return out;
}

beforeAll(async () => {
  other = await seedSampleAcademy(database);
  otherIds = await uuidsIn('scheduling');
  await migrate(database.db, { schema: A });
  scheduler = createScheduler({ db: database.db, schema: A, now: () => at('2029-06-01T00:00:00Z') });
  const admin = await scheduler.academy.createUser({ kind: 'system' }, { email: 'office@academy-a.test', role: 'admin' });
  adminOfA = { kind: 'admin', userId: admin.id };
}, 120_000);

describe("a scheduler bound to one academy, given another academy's ids", () => {
  it('refuses every call that names a row of the other academy as NOT_FOUND, returns nothing of it, and changes nothing of it', async () => {
    const samples = sampleInputs(other);
    const digestOfOther = await databaseDigest(database.db, 'scheduling');
    const wrong: string[] = [];
    let refused = 0;
    for (const [group, feature] of Object.entries(scheduler)) {
      if (!feature || typeof feature !== 'object' || !Object.values(feature).some((v) => typeof v === 'function')) continue;
      for (const name of Object.keys(await loadedFeature(feature))) {
        const method = `${group}.${name}`;
        const input = samples[method];
        const namesOther = stringsIn(input).some((s) => otherIds.has(s));
        const call = (feature as Record<string, (actor: Actor, input: unknown) => Promise<unknown>>)[name]!;
        const outcome = await call(adminOfA, input).then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        );
        if ('error' in outcome) {
          const code = isSchedulingError(outcome.error) ? outcome.error.code : String(outcome.error);
          if (namesOther && code !== 'NOT_FOUND') wrong.push(`${method}: ${code} (${(outcome.error as Error).message})`);
          if (!namesOther && code === 'NOT_FOUND') wrong.push(`${method}: NOT_FOUND without naming the other academy's rows`);
          refused += 1;
        } else {
          if (namesOther) wrong.push(`${method}: accepted ids of the other academy`);
          const echoed = new Set(stringsIn(input));
          const leaked = stringsIn(outcome.result).filter((s) => otherIds.has(s) && !echoed.has(s));
          if (leaked.length) wrong.push(`${method}: returned the other academy's ${leaked.join(', ')}`);
        }
        expect(await databaseDigest(database.db, 'scheduling'), `${method} changed the other academy`).toBe(digestOfOther);
      }
    }
    expect(wrong).toEqual([]);
    expect(refused).toBeGreaterThan(50);
    const ownIds = await uuidsIn(A);
    expect([...ownIds].filter((id) => otherIds.has(id))).toEqual([]);
  }, 300_000);
});

/**
 * Actors, per-call options and scheduler options are judged on their own data
 * properties only: a `kind` inherited from a prototype, getters (throwing or not),
 * class instances, Proxies whose traps throw and prototype keys are `INVALID_INPUT`
 * with a path, and `{ tx }` / `{ db }` must be real Drizzle PostgreSQL databases or
 * transactions (drizzle's own `is()`), not anything with a `transaction` function.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PgTransaction, withReplicas } from 'drizzle-orm/pg-core';
import { createScheduler, type Scheduler } from '../../../src';
import { type SchedulingError, isSchedulingError } from '../../../src/errors';
import { isDrizzlePgDatabase } from '../../../src/db/drizzle-kind';
import { useTestDatabase } from '../../support/database';
import { databaseDigest } from '../../support/digest';
import { type Academy, insertSession, seedAcademy } from '../../support/fixtures';
import { errorOf } from '../../support/refusals';
import { at } from '../../support/time';

const database = useTestDatabase();
let academy: Academy;
let scheduler: Scheduler;
let sessionId: string;

beforeAll(async () => {
  academy = await seedAcademy(database.db);
  scheduler = createScheduler({ db: database.db, now: () => at('2029-06-01T00:00:00Z') });
  sessionId = (await insertSession(database.db, academy)).id;
  await scheduler.sessions.list({ kind: 'system' }, {}); // the one-time capacity-policy sync
});

const throwing = (message: string) => ({
  enumerable: true,
  get() {
    throw new TypeError(message);
  },
});

/** The refusal of `call`: INVALID_INPUT at exactly `path`, and not one row changed. */
async function refusedAt(path: Array<string | number>, call: () => Promise<unknown>): Promise<SchedulingError> {
  const before = await databaseDigest(database.db);
  const error = await errorOf(call);
  if (!isSchedulingError(error)) throw new Error(`expected a SchedulingError, got a raw ${String(error)}`);
  expect({ code: error.code, path: error.details.path }, error.message).toEqual({ code: 'INVALID_INPUT', path });
  expect(await databaseDigest(database.db)).toBe(before);
  return error;
}

/** INVALID_INPUT at exactly `path` (for calls inside a host transaction, where the digest cannot be read). */
async function invalidAt(path: Array<string | number>, call: () => Promise<unknown>): Promise<void> {
  const error = await errorOf(call);
  if (!isSchedulingError(error)) throw new Error(`expected a SchedulingError, got a raw ${String(error)}`);
  expect({ code: error.code, path: error.details.path }, error.message).toEqual({ code: 'INVALID_INPUT', path });
}

/** The same for `createScheduler`, which validates its options synchronously. */
function constructionRefusedAt(path: Array<string | number>, options: unknown): SchedulingError {
  let error: unknown;
  try {
    createScheduler(options as never);
  } catch (caught) {
    error = caught;
  }
  if (!isSchedulingError(error)) throw new Error(`expected a SchedulingError, got ${String(error)}`);
  expect({ code: error.code, path: error.details.path }, error.message).toEqual({ code: 'INVALID_INPUT', path });
  return error;
}

describe('actors are judged on their own data properties', () => {
  const cancel = (actor: unknown) => () => scheduler.sessions.cancel(actor as never, { sessionId, reason: 'Pool closed' });

  it('a kind inherited from a prototype is refused, whatever the prototype says', async () => {
    await refusedAt(['actor'], cancel(Object.create({ kind: 'admin', userId: academy.adminId })));
    await refusedAt(['actor'], cancel(Object.create(Object.create(null, { kind: { value: 'admin', enumerable: true } }))));
    await refusedAt(
      ['actor'],
      cancel(
        new (class Admin {
          kind = 'admin';
          userId = academy.adminId;
        })(),
      ),
    );
  });

  it('a kind polluted onto Object.prototype does not make an empty actor an admin', async () => {
    Object.defineProperty(Object.prototype, 'kind', { value: 'admin', configurable: true, writable: true });
    try {
      await refusedAt(['actor', 'kind'], cancel({}));
    } finally {
      delete (Object.prototype as Record<string, unknown>).kind;
    }
  });

  it('getters are never called: a throwing one and an honest one are both refused at their key', async () => {
    await refusedAt(['actor', 'kind'], cancel(Object.defineProperty({ userId: academy.adminId }, 'kind', throwing('kind getter'))));
    await refusedAt(['actor', 'kind'], cancel(Object.defineProperty({ userId: academy.adminId }, 'kind', { enumerable: true, get: () => 'admin' })));
    await refusedAt(['actor', 'userId'], cancel(Object.defineProperty({ kind: 'admin' }, 'userId', throwing('userId getter'))));
  });

  it('Proxies whose traps throw, prototype keys, functions and boxed strings are refused', async () => {
    const traps = new Proxy(
      { kind: 'admin' },
      {
        ownKeys() {
          throw new TypeError('trap');
        },
      },
    );
    await refusedAt(['actor'], cancel(traps));
    await refusedAt(['actor', '__proto__'], cancel(JSON.parse(`{"kind":"parent","__proto__":{"kind":"admin"}}`)));
    await refusedAt(['actor', 'constructor'], cancel({ kind: 'admin', constructor: { prototype: { kind: 'admin' } } }));
    await refusedAt(['actor'], cancel(Object.assign(() => undefined, { kind: 'admin' })));
    await refusedAt(['actor', 'kind'], cancel({ kind: new String('admin') }));
  });

  it('a Proxy is read once, by its own data: a lying get trap does not make it an admin', async () => {
    const lying = new Proxy({ kind: 'parent', parentId: academy.parentId }, { get: (target, key) => (key === 'kind' ? 'admin' : Reflect.get(target, key)) });
    const error = await errorOf(() => scheduler.conflicts.scan(lying as never, { from: at('2030-01-01T00:00:00Z'), until: at('2030-02-01T00:00:00Z') }));
    expect(isSchedulingError(error, 'FORBIDDEN')).toBe(true);
  });
});

describe('per-call options', () => {
  const get = (options: unknown) => () => scheduler.sessions.get({ kind: 'system' }, { sessionId }, options as never);

  it('anything with a transaction function is not a transaction', async () => {
    await refusedAt(['options', 'tx'], get({ tx: { transaction() {} } }));
    await refusedAt(['options', 'tx'], get({ tx: { transaction: async (fn: (tx: unknown) => unknown) => fn(database.db), execute: () => [] } }));
    // The parts of a real database, copied onto a plain object, do not make one either.
    const internals = database.db as unknown as { session: unknown; dialect: unknown };
    await refusedAt(['options', 'tx'], get({ tx: { session: internals.session, dialect: internals.dialect, transaction: database.db.transaction } }));
  });

  it('options are judged on their own properties', async () => {
    await database.db.transaction(async (tx) => {
      await invalidAt(['options'], get(Object.create({ tx })));
      await invalidAt(['options', 'tx'], get(Object.defineProperty({}, 'tx', { enumerable: true, get: () => tx })));
      await invalidAt(['options', 'tx'], get(Object.defineProperty({}, 'tx', throwing('tx getter'))));
      await invalidAt(['options'], get({ tx, retries: 3 })); // an unknown key, reported at the object holding it
    });
    await refusedAt(['options'], get(null));
    await refusedAt(['options'], get('tx'));
  });

  it('a real transaction of this driver is accepted, nested ones too (PgTransaction extends PgDatabase)', async () => {
    expect(isDrizzlePgDatabase(database.db)).toBe(true);
    await database.db.transaction(async (tx) => {
      expect(tx).toBeInstanceOf(PgTransaction);
      expect(isDrizzlePgDatabase(tx)).toBe(true);
      expect((await scheduler.sessions.get({ kind: 'system' }, { sessionId }, { tx })).id).toBe(sessionId);
      await tx.transaction(async (nested) => {
        expect((await scheduler.sessions.get({ kind: 'system' }, { sessionId }, { tx: nested })).id).toBe(sessionId);
      });
    });
    expect((await scheduler.sessions.get({ kind: 'system' }, { sessionId }, { tx: undefined })).id).toBe(sessionId);
  });
});

describe('scheduler options', () => {
  it('db must be a real Drizzle PostgreSQL database', () => {
    constructionRefusedAt(['db'], { db: { transaction() {} } });
    constructionRefusedAt(['db'], { db: Object.assign(Object.create(null), { transaction: database.db.transaction }) });
    constructionRefusedAt(['db'], {});
    constructionRefusedAt(['db'], { db: Object.defineProperty({}, 'transaction', throwing('transaction getter')) });
  });

  it('options, the clock and the policy are judged on their own data properties', () => {
    constructionRefusedAt([], Object.create({ db: database.db }));
    constructionRefusedAt(['db'], Object.defineProperty({}, 'db', throwing('db getter')));
    constructionRefusedAt(['now'], Object.defineProperty({ db: database.db }, 'now', { enumerable: true, get: () => () => new Date() }));
    constructionRefusedAt(['policy'], { db: database.db, policy: Object.create({ school: { max: 40 } }) });
    constructionRefusedAt(['policy', 'school'], { db: database.db, policy: Object.defineProperty({}, 'school', throwing('policy getter')) });
    constructionRefusedAt(['__proto__'], JSON.parse('{"__proto__":{"maxRetries":20}}'));
  });

  it('withReplicas() of a database is accepted: the scheduler works on its primary', async () => {
    const replicated = withReplicas(database.db, [database.db]);
    const viaReplicas = createScheduler({ db: replicated });
    expect((await viaReplicas.sessions.get({ kind: 'system' }, { sessionId })).id).toBe(sessionId);
  });
});

/**
 * For every public scheduler method and every field of its input schema (the fields
 * come from the schema each method validates with, `inputSchemaOf`, not from a list
 * here), fast-check puts one hostile value into that field of an otherwise valid
 * input: wrong types, zone-less and date-only instants, NaN and out-of-range dates,
 * huge strings and arrays, prototype keys, getters (throwing or not), inherited
 * properties, class instances, Proxies.
 *
 * - A value the field's schema refuses, and anything that is not plain data, must end
 *   as `INVALID_INPUT` whose `details.path` points at that field (or inside it) —
 *   never a raw error, never a hang — and the database is unchanged (a digest of
 *   every table, per method).
 * - A value the field's schema accepts (an unknown uuid, `null` for a nullable field,
 *   a valid instant string) runs for real, inside a host transaction that is rolled
 *   back: it may succeed or be refused with any documented code except
 *   `DATABASE_ERROR`; an unknown uuid that is refused as `NOT_FOUND` names its field.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as z from 'zod/mini';
import { createScheduler, type Scheduler } from '../../../src';
import { SCHEDULING_ERROR_CODES, type SchedulingError, isSchedulingError } from '../../../src/errors';
import { instantInput } from '../../../src/service/kernel/inputs';
import { inputSchemaOf } from '../../../src/service/kernel/operation';
import { loadedFeature } from '../../../src/service/kernel/lazy-feature';
import type { Actor } from '../../../src/service/kernel/types';
import { useTestDatabase } from '../../support/database';
import { databaseDigest } from '../../support/digest';
import { type Ids, sampleInputs, seedSampleAcademy } from '../../support/sample-calls';
import { errorOf } from '../../support/refusals';
import { at } from '../../support/time';

const database = useTestDatabase();
const digest = () => databaseDigest(database.db);

const UNKNOWN_UUID = '7d1f3c3e-9d5b-4a55-8f6f-0e8c1d2b3a4f';
/** Fixed so CI is repeatable; `HOSTILE_SEED=… HOSTILE_RUNS=…` explore further. */
const SEED = Number(process.env.HOSTILE_SEED ?? 20270212);
const RUNS = Number(process.env.HOSTILE_RUNS ?? 20);

/**
 * Methods that do not go through `defineOperation` and carry no schema yet, with the
 * schema they parse. `maintenance.archiveBookings` parses its input itself
 * (src/service/maintenance/archive.ts) without the plain-data copy: a value zod
 * refuses is still `INVALID_INPUT` (a throwing getter at the root of the input, not
 * at the field), but an inherited field or a getter that returns a valid value is
 * read. It should use `parseOperationInput` and `withInputSchema` (operation.ts);
 * then this list is empty.
 */
/** Methods that validate without an attached schema (none now; listed here should one appear). */
const WITHOUT_ATTACHED_SCHEMA: Record<string, z.core.$ZodType> = {};

type Method = (actor: unknown, input: unknown, options?: unknown) => Promise<unknown>;
type Path = Array<string | number>;

// ---------------------------------------------------------------------------------
// Reading the shape of a zod schema (zod 4 keeps it on `_zod.def`).

interface SchemaDef {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  out?: z.core.$ZodType;
}
const defOf = (schema: z.core.$ZodType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** The schema under optional/nullable/default wrappers and transforms. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.innerType && ['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch'].includes(def.type)) current = def.innerType;
    else if (def.type === 'pipe' && def.in && def.out) current = defOf(def.in).type === 'transform' ? def.out : def.in;
    else if (def.type === 'lazy') current = (current as unknown as { _zod: { innerType: z.core.$ZodType } })._zod.innerType;
    else return current;
  }
}
const shapeOf = (schema: z.core.$ZodType) => {
  const def = defOf(unwrap(schema));
  return def.type === 'object' ? def.shape : undefined;
};
const elementOf = (schema: z.core.$ZodType) => {
  const def = defOf(unwrap(schema));
  return def.type === 'array' ? def.element : undefined;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** Every field of `schema`, nested objects (and the first item of arrays of objects) included, with its own schema. */
function fieldsOf(schema: z.core.$ZodType, sample: unknown, prefix: Path = []): Array<{ path: Path; schema: z.core.$ZodType }> {
  const shape = shapeOf(schema);
  if (!shape) return [];
  const fields: Array<{ path: Path; schema: z.core.$ZodType }> = [];
  for (const [key, field] of Object.entries(shape)) {
    const path = [...prefix, key];
    fields.push({ path, schema: field });
    const value = isPlainObject(sample) ? sample[key] : undefined;
    if (isPlainObject(value)) fields.push(...fieldsOf(field, value, path));
    const element = elementOf(field);
    if (element && Array.isArray(value) && isPlainObject(value[0])) fields.push(...fieldsOf(element, value[0], [...path, 0]));
  }
  return fields;
}

// ---------------------------------------------------------------------------------
// Hostile values.

/**
 * How a hostile value is put into its field. `plain` values are data: whether the
 * field accepts them is the field schema's answer. Every other kind must be refused.
 * `refusedAt` says where the error must point: the field, or the object holding it
 * (when the trick is on the holder, e.g. the field inherited from its prototype).
 */
interface Hostile {
  label: string;
  plain: boolean;
  refusedAt: 'field' | 'holder';
  /** Installed as a property descriptor or a prototype: needs an object to sit on, so not at the root. */
  onHolder?: boolean;
  install(holder: Record<string | number, unknown>, key: string | number): void;
}

const plain = (label: string, value: unknown): Hostile => ({
  label,
  plain: true,
  refusedAt: 'field',
  install: (holder, key) => {
    holder[key] = value;
  },
});
const exotic = (label: string, make: (current: unknown) => unknown): Hostile => ({
  label,
  plain: false,
  refusedAt: 'field',
  install: (holder, key) => {
    holder[key] = make(holder[key]);
  },
});

class Slot {
  start = at('2030-01-15T15:00:00Z');
  get end() {
    throw new TypeError('getter on a class');
  }
}
class LyingDate extends Date {
  override getTime() {
    return Date.UTC(2030, 0, 15);
  }
}
const cyclic: unknown[] = [];
cyclic.push(cyclic);
let deep: unknown = 'bottom';
for (let i = 0; i < 40; i++) deep = [deep];
const throwingTraps = new Proxy(
  {},
  {
    getPrototypeOf() {
      throw new TypeError('trap');
    },
    ownKeys() {
      throw new TypeError('trap');
    },
  },
);

const PLAIN_VALUES: Hostile[] = [
  plain('null', null),
  plain('undefined', undefined),
  plain('true', true),
  plain('0', 0),
  plain('-1', -1),
  plain('0.5', 0.5),
  plain('NaN', Number.NaN),
  plain('Infinity', Number.POSITIVE_INFINITY),
  plain('1e308', 1e308),
  plain('2^53', 2 ** 53),
  plain('bigint', 10n),
  plain('symbol', Symbol('hostile')),
  plain('function', () => 'admin'),
  plain('empty string', ''),
  plain('blank string', ' '),
  plain('x', 'x'),
  plain('SQL', "'; DROP TABLE scheduling.sessions; --"),
  plain('emoji', '🏊‍♀️🎻⚽'),
  plain('NUL', 'a\u0000b'),
  plain('unpaired surrogate', 'a\uD800b'),
  plain('string of 10,001', 'x'.repeat(10_001)),
  plain('string of 200,000', 'x'.repeat(200_000)),
  plain('not a uuid', 'not-a-uuid'),
  plain('unknown uuid', UNKNOWN_UUID),
  plain('unknown booking code', 'BKG-2030-9999'),
  plain('zone-less time', '2027-02-12T16:00'),
  plain('zone-less time with seconds', '2027-02-12T16:00:00'),
  plain('zone-less time with a space', '2027-02-12 16:00'),
  plain('date only', '2027-02-12'),
  plain('impossible date', '2027-02-30T10:00:00Z'),
  plain('instant with offset', '2030-01-15T15:30:00+01:00'),
  plain('six-digit year', '+275760-09-13T00:00:00.000Z'),
  plain('time of day', '25:61'),
  plain('Invalid Date', new Date(Number.NaN)),
  plain('largest Date', new Date(8.64e15)),
  plain('smallest Date', new Date(-8.64e15)),
  plain('year 999', new Date('0999-06-01T00:00:00Z')),
  plain('valid Date', at('2030-01-15T15:30:00Z')),
  plain('empty array', []),
  plain('array of an unknown uuid', [UNKNOWN_UUID]),
  plain(
    'array of 600',
    Array.from({ length: 600 }, () => UNKNOWN_UUID),
  ),
  plain(
    'array of 20,000',
    Array.from({ length: 20_000 }, () => 'x'),
  ),
  plain('sparse array', new Array(3)),
  plain('cyclic array', cyclic),
  plain('40 levels deep', deep),
  plain('empty object', {}),
  plain('object', { a: 1 }),
  plain('object of 200 keys', Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, i]))),
];

const EXOTIC_VALUES: Hostile[] = [
  {
    label: 'getter that throws',
    plain: false,
    refusedAt: 'field',
    onHolder: true,
    install: (holder, key) =>
      Object.defineProperty(holder, key, {
        enumerable: true,
        configurable: true,
        get() {
          throw new TypeError('hostile getter');
        },
      }),
  },
  {
    label: 'getter returning the valid value',
    plain: false,
    refusedAt: 'field',
    onHolder: true,
    install: (holder, key) => {
      const value = holder[key];
      Object.defineProperty(holder, key, { enumerable: true, configurable: true, get: () => value });
    },
  },
  {
    label: 'field inherited from the holder prototype',
    plain: false,
    refusedAt: 'holder',
    onHolder: true,
    install: (holder, key) => {
      const value = holder[key];
      delete holder[key];
      Object.setPrototypeOf(holder, { [key]: value });
    },
  },
  exotic('object inheriting the valid value', (current) => Object.create(isPlainObject(current) ? current : { value: current })),
  exotic('own __proto__ key', (current) => {
    const value: Record<string, unknown> = isPlainObject(current) ? { ...current } : {};
    Object.defineProperty(value, '__proto__', { value: { kind: 'admin' }, enumerable: true, configurable: true, writable: true });
    return value;
  }),
  exotic('constructor key', (current) => ({ ...(isPlainObject(current) ? current : {}), constructor: { prototype: { polluted: true } } })),
  exotic('prototype key', (current) => ({ ...(isPlainObject(current) ? current : {}), prototype: { polluted: true } })),
  exotic('class instance with a throwing getter', () => new Slot()),
  exotic('Map', () => new Map([['a', 1]])),
  exotic('String object', (current) => new String(typeof current === 'string' ? current : 'x')),
  exotic('RegExp', () => /x/),
  exotic('typed array', () => new Uint8Array(4)),
  exotic('Proxy whose traps throw', () => throwingTraps),
  exotic(
    'Proxy of the valid value',
    (current) =>
      new Proxy(isPlainObject(current) || Array.isArray(current) ? current : { value: current }, {
        ownKeys() {
          throw new TypeError('trap');
        },
      }),
  ),
  exotic('Proxy of a Date', () => new Proxy(at('2030-01-15T15:30:00Z'), {})),
  exotic('Date subclass lying about Invalid Date', () => new LyingDate(Number.NaN)),
  exotic('array with a throwing getter', () => {
    const array = ['x'];
    Object.defineProperty(array, 0, {
      enumerable: true,
      get: () => {
        throw new TypeError('hostile index');
      },
    });
    return array;
  }),
];

/** Random plain data too (null-prototype objects, sparse arrays, dates, bigints, lone surrogates): the field's schema decides. */
const randomPlainValue = fc
  .anything({ maxDepth: 2, maxKeys: 4, withNullPrototype: true, withSparseArray: true, withDate: true, withBigInt: true, stringUnit: 'binary' })
  .map((value) => plain(`random ${fc.stringify(value).slice(0, 60)}`, value));

const hostileValue = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PLAIN_VALUES, ...EXOTIC_VALUES) }, { weight: 1, arbitrary: randomPlainValue });

// ---------------------------------------------------------------------------------

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`hung for ${ms} ms`)), ms))]);

/** The sample with the hostile value installed at `path` (the root itself when the path is empty). */
function inputWith(sample: unknown, path: Path, hostile: Hostile): unknown {
  const box: Record<string, unknown> = { input: structuredClone(sample) };
  let holder = box as Record<string | number, unknown>;
  let key: string | number = 'input';
  for (const step of path) {
    holder = holder[key] as Record<string | number, unknown>;
    key = step;
  }
  hostile.install(holder, key);
  return box.input;
}

/** Whether the field's own schema accepts a plain value (a schema that throws does not). */
function fieldAccepts(schema: z.core.$ZodType, value: unknown): boolean {
  try {
    return z.safeParse(schema, value).success;
  } catch {
    return false;
  }
}

const startsWith = (path: unknown, prefix: Path) => Array.isArray(path) && path.length >= prefix.length && prefix.every((step, i) => path[i] === step);

let ids: Ids;
let scheduler: Scheduler;
let admin: Actor;

beforeAll(async () => {
  ids = await seedSampleAcademy(database);
  admin = { kind: 'admin', userId: ids.academy.adminId };
  scheduler = createScheduler({ db: database.db, now: () => at('2029-06-01T00:00:00Z') });
});

/**
 * Every method of the scheduler, called as a host calls it, with the input schema of
 * the operation behind it (each feature is loaded on first use, so the schema is read
 * from the loaded feature).
 */
async function methodsOf(target: Scheduler): Promise<Array<{ name: string; method: Method; schema: z.core.$ZodType | undefined }>> {
  const found: Array<{ name: string; method: Method; schema: z.core.$ZodType | undefined }> = [];
  for (const [group, value] of Object.entries(target)) {
    if (!value || typeof value !== 'object' || !Object.values(value).some((v) => typeof v === 'function')) continue;
    const loaded = (await loadedFeature(value)) as Record<string, unknown>;
    for (const [name, method] of Object.entries(value)) {
      // Its first argument is a feed token, not an actor (the host's public route); test/service/calendar/tokens.test.ts feeds it hostile tokens.
      if (`${group}.${name}` === 'calendar.feedForToken') continue;
      if (typeof method === 'function') found.push({ name: `${group}.${name}`, method: method as Method, schema: inputSchemaOf(loaded[name]) });
    }
  }
  return found;
}

describe('a hostile value in any field of any scheduler method', () => {
  it('every method exposes its input schema (but the listed exceptions) and has a valid sample input', async () => {
    const methods = await methodsOf(scheduler);
    expect(methods.length).toBeGreaterThan(60);
    expect(methods.filter((m) => !m.schema).map((m) => m.name)).toEqual(Object.keys(WITHOUT_ATTACHED_SCHEMA));
    const samples = sampleInputs(ids);
    expect(Object.keys(samples).sort()).toEqual(methods.map((m) => m.name).sort());
    for (const { name, schema } of methods) {
      const result = z.safeParse(schema ?? WITHOUT_ATTACHED_SCHEMA[name]!, samples[name]);
      expect(result.success, `${name}: ${result.error?.message}`).toBe(true);
    }
  });

  it('is refused as INVALID_INPUT at that field when the field cannot take it, and changes nothing', async () => {
    const samples = sampleInputs(ids);
    const stats = { fields: 0, refused: 0, ran: 0 };
    await scheduler.sessions.list(admin, {}); // the one-time capacity-policy sync is not a change
    for (const { name, method, schema: attached } of await methodsOf(scheduler)) {
      const schema = attached ?? WITHOUT_ATTACHED_SCHEMA[name]!;
      const sample = samples[name];
      const fields = [{ path: [] as Path, schema }, ...fieldsOf(schema, sample)];
      const before = await digest();
      for (const field of fields) {
        stats.fields++;
        await fc.assert(
          fc.asyncProperty(hostileValue, async (hostile) => {
            if (field.path.length === 0 && hostile.onHolder) return;
            const input = inputWith(sample, field.path, hostile);
            const where = `${name} ${field.path.join('.') || '(input)'} = ${hostile.label}`;
            // A method without the plain-data copy reads exotic values as zod does: refused or run, never a raw error.
            const unchecked = Boolean(WITHOUT_ATTACHED_SCHEMA[name]);
            const expectRefusal = hostile.plain ? !fieldAccepts(field.schema, valueAt(input, field.path)) : !unchecked;
            let error: unknown;
            let settled = false;
            try {
              if (expectRefusal) {
                await withTimeout(method(admin, input), 10_000);
              } else {
                stats.ran++;
                await withTimeout(
                  inRolledBackTransaction((tx) => method(admin, input, { tx })),
                  10_000,
                );
              }
              settled = true;
            } catch (caught) {
              error = caught;
            }
            if (!isSchedulingError(error) && !settled) throw new Error(`${where}: threw a raw ${String(error)}`);
            if (expectRefusal) {
              stats.refused++;
              expect(settled, `${where}: was accepted`).toBe(false);
              const refusal = error as SchedulingError;
              expect(refusal.code, `${where}: ${refusal.message}`).toBe('INVALID_INPUT');
              const at = hostile.refusedAt === 'holder' ? field.path.slice(0, -1) : field.path;
              if (unchecked) expect(Array.isArray(refusal.details.path), where).toBe(true);
              else expect(startsWith(refusal.details.path, at), `${where}: refused at ${JSON.stringify(refusal.details.path)}: ${refusal.message}`).toBe(true);
            } else if (!settled) {
              const refusal = error as SchedulingError;
              expect(SCHEDULING_ERROR_CODES).toContain(refusal.code);
              expect(refusal.code, `${where}: ${refusal.message}`).not.toBe('DATABASE_ERROR');
              if (refusal.code === 'INVALID_INPUT') expect(Array.isArray(refusal.details.path), `${where}: no path: ${refusal.message}`).toBe(true);
              if (refusal.code === 'NOT_FOUND' && hostile.label === 'unknown uuid') {
                expect(namesField(refusal, field.path), `${where}: ${refusal.message} ${JSON.stringify(refusal.details)}`).toBe(true);
              }
            }
          }),
          { numRuns: field.path.length === 0 ? RUNS * 1.5 : RUNS, seed: SEED },
        );
      }
      expect(await digest(), `${name} changed the database`).toBe(before);
    }
    // Most hostile values are refused before the database; some are valid for their field and really run.
    expect(stats.refused).toBeGreaterThan(stats.fields * 10);
    expect(stats.ran).toBeGreaterThan(stats.fields / 2);
  }, 300_000);
});

describe('instant strings', () => {
  it.each([
    ['2030-01-15T10:00-05:00', '2030-01-15T15:00:00.000Z'],
    ['2030-01-15T15:00Z', '2030-01-15T15:00:00.000Z'],
    ['2030-01-15T15:00:00.123456789+05:30', '2030-01-15T09:30:00.123Z'],
    ['2028-02-29T10:00:00Z', '2028-02-29T10:00:00.000Z'],
  ])('%s is the instant %s', (value, iso) => {
    expect(instantInput.parse(value).toISOString()).toBe(iso);
  });

  it.each([
    ['2027-02-12T16:00', /without an offset/],
    ['2027-02-12 16:00:00', /without an offset/],
    ['2027-02-12', /a date alone/],
    ['2027-02-29T10:00:00Z', /not a real calendar date/],
    ['2030-01-15T24:00:00Z', /not a real time of day/],
    ['2030-01-15T10:00:00+24:00', /not a valid offset/],
    ['2030-01-15T10:00:00+0100', /expected a Date or an ISO-8601 instant/],
    ['0999-12-31T23:59:59Z', /before the year 1000/],
    ['+275760-09-13T00:00:00.000Z', /expected a Date or an ISO-8601 instant/],
    [new Date(Number.NaN), /Invalid Date/],
    [new Date(8.64e15), /after 9999/],
  ])('%s is refused: %s', (value, reason) => {
    const result = instantInput.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message).join()).toMatch(reason);
  });

  it('a zone-less or date-only string in any instant field is INVALID_INPUT at that field, saying to add an offset', async () => {
    const samples = sampleInputs(ids);
    const before = await digest();
    const seen: string[] = [];
    for (const { name, method, schema: attached } of await methodsOf(scheduler)) {
      const schema = attached ?? WITHOUT_ATTACHED_SCHEMA[name]!;
      for (const field of fieldsOf(schema, samples[name])) {
        // An instant field is one whose schema reads an ISO string with an offset as a Date.
        const probe = z.safeParse(field.schema, '2030-01-15T10:00-05:00');
        if (!probe.success || !(probe.data instanceof Date)) continue;
        seen.push(`${name} ${field.path.join('.')}`);
        expect(probe.data.toISOString()).toBe('2030-01-15T15:00:00.000Z');
        for (const [value, advice] of [
          ['2027-02-12T16:00', /add Z or ±HH:MM/],
          ['2027-02-12T16:00:00.000', /add Z or ±HH:MM/],
          ['2027-02-12', /give a time and an offset/],
        ] as const) {
          const error = await errorOf(() => method(admin, inputWith(samples[name], field.path, plain(value, value))));
          const where = `${name} ${field.path.join('.')} = ${value}`;
          expect(isSchedulingError(error, 'INVALID_INPUT'), `${where}: ${String(error)}`).toBe(true);
          expect((error as SchedulingError).details.path, where).toEqual(field.path);
          expect((error as SchedulingError).message, where).toMatch(advice);
          expect((error as SchedulingError).message, where).toMatch(/no time zone is guessed/);
        }
      }
    }
    // sessions.create/update/reschedule/list, series.editOccurrence, bookings.familySchedule, availability.freeSlots,
    // findAvailableInstructors, conflicts.list/scan and the rest: every one of them.
    for (const expected of [
      'sessions.create startTime',
      'sessions.update endTime',
      'sessions.reschedule startTime',
      'sessions.list from',
      'series.editOccurrence endTime',
      'bookings.familySchedule until',
      'availability.freeSlots from',
      'availability.findAvailableInstructors end',
      'conflicts.list until',
      'conflicts.scan from',
    ]) {
      expect(seen).toContain(expected);
    }
    expect(await digest()).toBe(before);
  });
});

/**
 * Whether a `NOT_FOUND` names the field whose id was unknown: by `details.path`, or —
 * when the database's foreign key refused the id (sqlstate 23503) and the service
 * did not look it up first — by the constraint on that field's column.
 */
function namesField(error: SchedulingError, path: Path): boolean {
  if (Array.isArray(error.details.path)) return startsWith(error.details.path, path) && error.details.path.length === path.length;
  const column = String(path.at(-1)).replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  return error.details.sqlstate === '23503' && typeof error.details.constraint === 'string' && error.details.constraint.includes(column);
}

/** The value at `path` of an input (only read for plain values). */
function valueAt(input: unknown, path: Path): unknown {
  let value = input;
  for (const step of path) value = (value as Record<string | number, unknown>)[step];
  return value;
}

/** Runs `work` in a host transaction that is always rolled back, and returns what it returned (or throws what it threw). */
async function inRolledBackTransaction<T>(work: (tx: unknown) => Promise<T>): Promise<T> {
  const rollback = new Error('roll back');
  let outcome: { value: T } | { error: unknown } | undefined;
  try {
    await database.db.transaction(async (tx) => {
      try {
        outcome = { value: await work(tx) };
      } catch (error) {
        outcome = { error };
      }
      throw rollback;
    });
  } catch (error) {
    if (error !== rollback) throw error;
  }
  if (!outcome) throw new Error('the transaction did not run');
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

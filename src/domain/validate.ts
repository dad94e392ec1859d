import * as z from 'zod/mini';
import { SchedulingError, type ErrorPath, type SchedulingErrorDetailsByCode, type ValidationIssue } from '../errors';
import { inputErrorMap, withoutInvalidInput } from './input-messages';

/** Zod paths may contain symbols; ours never do, but keep the error path plain data. */
function toErrorPath(path: ReadonlyArray<PropertyKey>): Array<string | number> {
  return path.map((key) => (typeof key === 'symbol' ? String(key) : key));
}

/**
 * Builds the `INVALID_INPUT` error every domain function throws for bad input.
 *
 * @internal
 */
export function invalidInput(
  message: string,
  path: ErrorPath,
  extra: Omit<SchedulingErrorDetailsByCode['INVALID_INPUT'], 'path'> = {},
): SchedulingError<'INVALID_INPUT'> {
  return new SchedulingError('INVALID_INPUT', message, { ...extra, path: [...path] });
}

/** Every parse gets zod's English messages this way, never through `z.config()` (the host's zod is its own). */
const ENGLISH: z.core.ParseContext<z.core.$ZodIssue> = Object.freeze({ error: inputErrorMap });

/**
 * `z.safeParse`, with the English messages {@link parseInput} gives. For a parse that
 * must not throw (a refinement reading another schema's verdict); anything else calls
 * `parseInput`.
 *
 * @internal
 */
export function safeParseInput<S extends z.core.$ZodType>(schema: S, input: unknown): z.util.SafeParseResult<z.output<S>> {
  return z.safeParse(schema, input, ENGLISH);
}

/** Issues this many and more are counted, not quoted, in the message (`details.issues` has them all). */
const ISSUES_QUOTED = 3;
/** A further issue is quoted up to this many characters. */
const QUOTE_LENGTH = 200;

/** The issues once each (the same path and message twice, e.g. from a schema and one it refines with, is one issue). */
function distinctIssues(issues: readonly z.core.$ZodIssue[], prefix: ErrorPath): ValidationIssue[] {
  const seen = new Set<string>();
  const distinct: ValidationIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...toErrorPath(issue.path)];
    const key = JSON.stringify([path, issue.message]);
    if (seen.has(key)) continue;
    seen.add(key);
    distinct.push({ path, message: issue.message });
  }
  return distinct;
}

/** `…; also at endTime: …`: the issues after the first, so that a misspelt key is named next to the field it left empty. */
function furtherIssues(issues: readonly ValidationIssue[]): string {
  const quoted = issues.slice(0, ISSUES_QUOTED - 1).map((issue) => {
    const message = issue.message.length > QUOTE_LENGTH ? `${issue.message.slice(0, QUOTE_LENGTH)}…` : issue.message;
    return `; also${where(issue.path)}: ${withoutInvalidInput(message)}`;
  });
  const counted = issues.length - quoted.length;
  return quoted.join('') + (counted > 0 ? `; and ${counted} more issue${counted > 1 ? 's' : ''} in details.issues` : '');
}

/**
 * Parses `input` with `schema` and returns the parsed value, or throws a
 * `SchedulingError` with code `INVALID_INPUT`, the first failing path in
 * `details.path` and every zod issue in `details.issues` (once each). The message
 * says what the first issue is and quotes the next ones. The ZodError is kept as
 * `cause` so nothing is lost, but callers never have to catch zod's own error.
 *
 * Messages are zod's English ones (made more specific where zod says only "Invalid
 * input"), whatever locale the host configured; a schema's own messages come first.
 * Any zod 4 schema is accepted, `zod/mini` or classic.
 *
 * Anything that throws while the input is read or refined (a getter, a Proxy trap, a
 * refinement handed a value it did not expect) is `INVALID_INPUT` too, at `prefix`,
 * with the exception as `cause`: a caller never sees a raw `TypeError` from here.
 *
 * @example
 * ```ts
 * import { capacityPolicySchema, parseInput } from 'academy-scheduling/domain';
 * declare const settings: { policy: unknown }; // e.g. the host's JSON configuration
 * const policy = parseInput(capacityPolicySchema, settings.policy, { prefix: ['policy'] });
 * // a CapacityPolicy, or a SchedulingError INVALID_INPUT with details.path ['policy', 'group', 'max']
 * ```
 */
export function parseInput<S extends z.core.$ZodType>(schema: S, input: unknown, options: { prefix?: ErrorPath; argument?: string } = {}): z.output<S> {
  const prefix = options.prefix ?? [];
  const argument = options.argument ? { argument: options.argument } : {};
  let refusal: { issues: ValidationIssue[]; cause: unknown };
  try {
    const result = safeParseInput(schema, input);
    if (result.success) return result.data;
    // zod builds its messages when `error` is first read, and a message may inspect the value: still inside the try.
    refusal = { issues: distinctIssues(result.error.issues, prefix), cause: result.error };
  } catch (error) {
    if (error instanceof SchedulingError) throw error;
    throw new SchedulingError(
      'INVALID_INPUT',
      `Invalid input${where(prefix)}: reading it threw an exception`,
      { path: [...prefix], ...argument },
      { cause: error },
    );
  }
  const [first = { path: [...prefix], message: 'invalid input' }, ...rest] = refusal.issues;
  throw new SchedulingError(
    'INVALID_INPUT',
    `Invalid input${where(first.path)}: ${withoutInvalidInput(first.message)}${furtherIssues(rest)}`,
    { path: first.path, issues: refusal.issues, ...argument },
    { cause: refusal.cause },
  );
}

/** Bounds of {@link copyPlainData}: beyond them the input is refused before anything parses it. */
export interface PlainDataLimits {
  /** Longest string, in UTF-16 code units. */
  maxStringLength: number;
  /** Most items in one array. */
  maxArrayLength: number;
  /** Most own keys on one object. */
  maxKeys: number;
  /** Deepest nesting (a cycle ends here too). */
  maxDepth: number;
  /** Most values in the whole input. */
  maxValues: number;
}

/** Generous for any real request, small enough that nothing downstream can hang on it. */
export const DEFAULT_PLAIN_DATA_LIMITS: Readonly<PlainDataLimits> = Object.freeze({
  maxStringLength: 100_000,
  maxArrayLength: 10_000,
  maxKeys: 100,
  maxDepth: 16,
  maxValues: 100_000,
});

/** Keys that mean something to JavaScript's object model; no input of ours has them. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A canonical array index: `0`, `1`, … (not `01`, not `-1`). */
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/** How long a key may be before the error path shortens it. */
const KEY_SHOWN = 100;

/**
 * True for `Object.prototype`, `null`, or another realm's `Object.prototype` (an
 * object from a `vm` context or an iframe): the prototypes a plain object has.
 */
function isPlainPrototype(prototype: object | null): boolean {
  if (prototype === null || prototype === Object.prototype) return true;
  if (Object.getPrototypeOf(prototype) !== null) return false;
  const constructor = Object.getOwnPropertyDescriptor(prototype, 'constructor')?.value as unknown;
  return typeof constructor === 'function' && constructor.name === 'Object';
}

/**
 * The own, enumerable, string-keyed data properties of a plain object, copied onto an
 * object without a prototype (so nothing read from the copy can come from
 * `Object.prototype`). The values themselves are not copied. Refused with
 * `INVALID_INPUT` at `path`: anything but a plain object (a class instance, a `Map`,
 * an object whose keys come from its prototype), a getter or setter (never called),
 * a `__proto__`, `constructor` or `prototype` key, more than `maxKeys` keys, and any
 * exception a Proxy throws while it is inspected.
 *
 * @internal
 */
export function copyOwnProperties(
  value: unknown,
  path: ErrorPath = [],
  limits: Pick<PlainDataLimits, 'maxKeys'> = DEFAULT_PLAIN_DATA_LIMITS,
): Record<string, unknown> {
  return guarded(path, () => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw invalidInput(`Invalid input${where(path)}: expected an object`, path, { expected: 'object' });
    }
    if (!isPlainPrototype(Object.getPrototypeOf(value))) {
      throw invalidInput(
        `Invalid input${where(path)}: expected a plain object with its own properties, not an instance of a class or an object with a prototype`,
        path,
        { expected: 'plain object' },
      );
    }
    const keys = Reflect.ownKeys(value);
    if (keys.length > limits.maxKeys) {
      throw invalidInput(`Invalid input${where(path)}: more than ${limits.maxKeys} keys`, path, { maximum: limits.maxKeys });
    }
    const copy: Record<string, unknown> = Object.create(null);
    for (const key of keys) {
      if (typeof key === 'symbol') continue;
      const at = [...path, key.length > KEY_SHOWN ? `${key.slice(0, KEY_SHOWN)}…` : key];
      if (PROTOTYPE_KEYS.has(key)) throw invalidInput(`Invalid input${where(at)}: the key ${key} is not accepted`, at);
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
      if (!descriptor || !descriptor.enumerable) continue;
      if (!('value' in descriptor)) {
        throw invalidInput(`Invalid input${where(at)}: expected a plain value, not a getter or setter`, at, { expected: 'data property' });
      }
      copy[key] = descriptor.value;
    }
    return copy;
  });
}

/**
 * A copy of `value` that is plain data and nothing else: primitives, arrays, plain
 * objects (as {@link copyOwnProperties}: own data properties only) and `Date`s (a new
 * `Date` with the same time, so an overridden `getTime` or a Date-like Proxy is not
 * trusted). Anything else — a class instance, a `Map`, a function,
 * a getter anywhere, a string, array or nesting past `limits`, an exception from a
 * Proxy — is refused with `INVALID_INPUT` and the path where it was found. Parsing the
 * copy instead of the caller's object means zod sees each value exactly once, as data:
 * no getter runs, no inherited property is read, and nothing can change between two
 * reads.
 *
 * @internal
 */
export function copyPlainData(value: unknown, path: ErrorPath = [], limits: PlainDataLimits = DEFAULT_PLAIN_DATA_LIMITS): unknown {
  let values = 0;
  const copy = (item: unknown, at: ErrorPath, depth: number): unknown => {
    values += 1;
    if (values > limits.maxValues) {
      throw invalidInput(`Invalid input${where(at)}: more than ${limits.maxValues} values in one input`, at, { maximum: limits.maxValues });
    }
    if (typeof item === 'string') {
      if (item.length > limits.maxStringLength) {
        throw invalidInput(`Invalid input${where(at)}: a string of at most ${limits.maxStringLength} characters is accepted`, at, {
          maximum: limits.maxStringLength,
        });
      }
      return item;
    }
    if (typeof item === 'function') throw invalidInput(`Invalid input${where(at)}: expected data, not a function`, at, { expected: 'data' });
    if (typeof item !== 'object' || item === null) return item;
    if (depth >= limits.maxDepth) {
      throw invalidInput(`Invalid input${where(at)}: nested more than ${limits.maxDepth} levels deep (or circular)`, at, { maximum: limits.maxDepth });
    }
    return guarded(at, () => {
      if (item instanceof Date) return new Date(dateTime(item, at));
      if (Array.isArray(item)) {
        const length: unknown = Reflect.getOwnPropertyDescriptor(item, 'length')?.value;
        if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
          throw invalidInput(`Invalid input${where(at)}: expected an array`, at, { expected: 'array' });
        }
        if (length > limits.maxArrayLength) {
          throw invalidInput(`Invalid input${where(at)}: at most ${limits.maxArrayLength} items are accepted`, at, { maximum: limits.maxArrayLength });
        }
        // Own index keys only (a hole stays undefined); other own keys of an array are ignored.
        const items: unknown[] = Array.from({ length }, () => undefined);
        for (const key of Reflect.ownKeys(item)) {
          if (typeof key !== 'string' || !ARRAY_INDEX.test(key) || Number(key) >= length) continue;
          const index = Number(key);
          const descriptor = Reflect.getOwnPropertyDescriptor(item, key);
          if (descriptor && !('value' in descriptor)) {
            throw invalidInput(`Invalid input${where([...at, index])}: expected a plain value, not a getter or setter`, [...at, index]);
          }
          items[index] = copy(descriptor?.value, [...at, index], depth + 1);
        }
        return items;
      }
      const own = copyOwnProperties(item, at, limits);
      for (const key of Object.keys(own)) own[key] = copy(own[key], [...at, key], depth + 1);
      return own;
    });
  };
  return copy(value, path, 0);
}

/** The time of a real `Date` (its internal slot, not an overridable method), or `INVALID_INPUT`. */
function dateTime(value: Date, path: ErrorPath): number {
  try {
    return Date.prototype.getTime.call(value);
  } catch (error) {
    throw new SchedulingError('INVALID_INPUT', `Invalid input${where(path)}: expected a valid Date`, { path: [...path] }, { cause: error });
  }
}

function where(path: ErrorPath): string {
  return path.length > 0 ? ` at ${path.join('.')}` : '';
}

/** Runs `read`; an exception other than our own (a Proxy trap, a prototype getter) becomes `INVALID_INPUT` at `path`. */
function guarded<T>(path: ErrorPath, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SchedulingError) throw error;
    throw new SchedulingError('INVALID_INPUT', `Invalid input${where(path)}: reading it threw an exception`, { path: [...path] }, { cause: error });
  }
}

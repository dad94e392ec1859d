/*
 * A scheduler feature (sessions, bookings, series, …) whose code is loaded on its first
 * call. The package's entry then loads only `createScheduler` and its option checks; a
 * serverless function that only books loads the booking code (and Drizzle, the tables
 * and the parts of the domain it uses) when it first books, never the series,
 * conflict or maintenance code.
 */

/** A feature's operations, as its module builds them. */
type Operations = Record<string, (...args: never[]) => Promise<unknown>>;

/** The operations of T that `names` leaves out. */
type Missing<T, N extends readonly PropertyKey[]> = Exclude<keyof T, N[number]>;

const LOAD = Symbol('academy-scheduling.loadFeature');
/** The public name of a loaded operation (`bookings.book`): what the change events record as the operation. */
const OPERATION_NAME = Symbol('academy-scheduling.operationName');

/**
 * The public name `lazyFeature` gave a loaded operation (`bookings.book`), if any.
 *
 * @internal
 */
export function operationNameOf(operation: unknown): string | undefined {
  if (typeof operation !== 'function') return undefined;
  return (operation as unknown as Record<symbol, string | undefined>)[OPERATION_NAME];
}

/**
 * An object with one method per name in `names`, each loading the feature with `load`
 * on first use (once, shared by concurrent first calls) and then calling the loaded
 * operation of that name with the same arguments. Each loaded operation is named
 * `<feature>.<name>` (`operationNameOf`). `names` must list every operation
 * of T (a compile error names the missing ones). A failed load is not remembered: the
 * next call tries again.
 *
 * @internal
 */
export function lazyFeature<T extends Operations, const N extends readonly (keyof T & string)[]>(
  featureName: string,
  load: () => Promise<T>,
  names: N & ([Missing<T, N>] extends [never] ? unknown : { missingOperations: Missing<T, N> }),
): T {
  let loaded: Promise<T> | undefined;
  const loadOnce = (): Promise<T> =>
    (loaded ??= load().then(
      (operations) => {
        for (const name of names) {
          const operation = operations[name];
          if (typeof operation === 'function' && !Object.prototype.hasOwnProperty.call(operation, OPERATION_NAME)) {
            Object.defineProperty(operation, OPERATION_NAME, { value: `${featureName}.${name}` });
          }
        }
        return operations;
      },
      (error: unknown) => {
        loaded = undefined;
        throw error;
      },
    ));
  const feature: Record<string, unknown> = {};
  for (const name of names) {
    const operation = async (...args: unknown[]): Promise<unknown> => {
      const operations = (await loadOnce()) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      return operations[name]!(...args);
    };
    Object.defineProperty(operation, 'name', { value: name });
    feature[name] = operation;
  }
  Object.defineProperty(feature, LOAD, { value: loadOnce, enumerable: false });
  return feature as T;
}

/**
 * The loaded operations behind a feature made by {@link lazyFeature} (loading it now).
 * For tests and tools that inspect the operations themselves (their input schemas).
 *
 * @internal
 */
export async function loadedFeature<T>(feature: T): Promise<T> {
  const load = (feature as Record<symbol, (() => Promise<T>) | undefined>)[LOAD];
  if (!load) throw new TypeError('not a feature made by lazyFeature');
  return load();
}

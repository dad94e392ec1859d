import * as z from 'zod/mini';
import { copyOwnProperties, copyPlainData, invalidInput, parseInput } from '../../domain/validate';
import { actorRefOf, forbidden, isAdministrator, parseActor } from './actor';
import { drizzleDatabaseInput } from './scheduler-options';
import { operationNameOf } from './lazy-feature';
import type { ServiceContext } from './context';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { Actor, CallOptions } from './types';

/** How an operation is called: who acts, the input, and optionally the host's transaction. */
export type Operation<Input, Result> = (actor: Actor, input: Input, options?: CallOptions) => Promise<Result>;

const callOptionsSchema = z.strictObject({ tx: z.optional(drizzleDatabaseInput) });

/** Where a scheduler method keeps its input schema: a non-enumerable property, invisible to callers' iteration. */
const INPUT_SCHEMA = Symbol('academy-scheduling.inputSchema');

/**
 * Marks `operation` as validating its input with `schema` (a non-enumerable property),
 * so tests and tools can derive each method's fields from the schema itself.
 *
 * @internal
 */
export function withInputSchema<F extends (...args: never[]) => unknown>(operation: F, schema: z.core.$ZodType): F {
  Object.defineProperty(operation, INPUT_SCHEMA, { value: schema, enumerable: false });
  return operation;
}

/**
 * The input schema of a scheduler method, or undefined when it was not built by
 * {@link defineOperation} or marked with {@link withInputSchema}.
 *
 * @internal
 */
export function inputSchemaOf(operation: unknown): z.core.$ZodType | undefined {
  if (typeof operation !== 'function') return undefined;
  return (operation as unknown as Record<symbol, z.core.$ZodType | undefined>)[INPUT_SCHEMA];
}

/**
 * Validates a public method's input: first as plain data (`copyPlainData`: own
 * properties only, no getters, no class instances, bounded sizes), then with `schema`.
 * Every refusal is `INVALID_INPUT` with a path.
 *
 * @internal
 */
export function parseOperationInput<S extends z.core.$ZodType>(schema: S, rawInput: unknown): z.output<S> {
  const input = copyPlainData(rawInput);
  // zod takes a Date for an object whose keys are all optional; every method's input is a plain object.
  if (input instanceof Date) throw invalidInput('Invalid input: expected an object, not a Date', [], { argument: 'input' });
  return parseInput(schema, input, { argument: 'input' });
}

/**
 * Validates the per-call options: a plain object with its own `tx` only, and `tx` a
 * real Drizzle PostgreSQL database or transaction (`INVALID_INPUT` at `options.tx`).
 *
 * @internal
 */
export function parseCallOptions(options: unknown): CallOptions {
  if (options === undefined) return {};
  return parseInput(callOptionsSchema, copyOwnProperties(options, ['options']), { prefix: ['options'], argument: 'options' });
}

/** Behaviour of one operation. */
export interface OperationConfig<I> {
  /** True when the call asks for an administrator override (only admins and the system may). */
  override?: (input: I) => boolean;
  /** Throws `FORBIDDEN` when the actor may not make this call (checks that need no database). */
  authorize?: (actor: Actor, input: I) => void;
}

/**
 * Wraps a handler into a public scheduler method: validates the actor, the input
 * (zod → `INVALID_INPUT` with a path) and the options, refuses overrides by
 * non-administrators (`FORBIDDEN`), then runs the handler in one transaction (or the
 * host's) with the actor's settings. Nothing reaches the database before the input
 * is valid. The actor, the input and the options are read as plain data, once:
 * inherited properties, getters, class instances and Proxies that throw are
 * `INVALID_INPUT`, never a raw error.
 *
 * @internal
 */
export function defineOperation<S extends z.core.$ZodType, R>(
  ctx: ServiceContext,
  schema: S,
  handler: (tx: SchedulingDb, input: z.output<S>, actor: Actor) => Promise<R>,
  config: OperationConfig<z.output<S>> = {},
): Operation<z.input<S>, R> {
  const operation: Operation<z.input<S>, R> = async (actorInput, rawInput, options) => {
    const actor = parseActor(actorInput);
    const input = parseOperationInput(schema, rawInput);
    const { tx } = parseCallOptions(options);
    const override = config.override?.(input) ?? false;
    if (override && !isAdministrator(actor)) throw forbidden(actor, 'override scheduling conflicts', 'administrators_only', ['override']);
    config.authorize?.(actor, input);
    return ctx.run({ actor, tx, allowConflicts: override, operation: operationNameOf(operation), actorRef: actorRefOf(actor) }, (db) =>
      handler(db, input, actor),
    );
  };
  return withInputSchema(operation, schema);
}

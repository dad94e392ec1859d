import { z } from 'zod';
import { parseInput } from '../domain';
import { forbidden, isAdministrator, parseActor } from './actor';
import type { ServiceContext } from './service-context';
import type { SchedulingDb } from './scheduling-db';
import type { Actor, CallOptions } from './types';

/** How an operation is called: who acts, the input, and optionally the host's transaction. */
export type Operation<Input, Result> = (actor: Actor, input: Input, options?: CallOptions) => Promise<Result>;

const callOptionsSchema = z
  .strictObject({
    tx: z
      .custom<object>((value) => typeof value === 'object' && value !== null && typeof (value as { transaction?: unknown }).transaction === 'function', {
        message: 'expected a Drizzle transaction',
      })
      .optional(),
  })
  .optional();

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
 * is valid.
 *
 * @example
 * ```ts
 * const cancel = defineOperation(ctx, cancelSchema, (tx, input, actor) => cancelSession(tx, input, actor));
 * await cancel({ kind: 'admin', userId }, { sessionId, reason: 'Pool closed' });
 * ```
 */
export function defineOperation<S extends z.ZodType, R>(
  ctx: ServiceContext,
  schema: S,
  handler: (tx: SchedulingDb, input: z.output<S>, actor: Actor) => Promise<R>,
  config: OperationConfig<z.output<S>> = {},
): Operation<z.input<S>, R> {
  return async (actorInput, rawInput, options) => {
    const actor = parseActor(actorInput);
    const input = parseInput(schema, rawInput, { argument: 'input' });
    const { tx } = (parseInput(callOptionsSchema, options, { prefix: ['options'], argument: 'options' }) ?? {}) as CallOptions;
    const override = config.override?.(input) ?? false;
    if (override && !isAdministrator(actor)) throw forbidden(actor, 'override scheduling conflicts');
    config.authorize?.(actor, input);
    return ctx.run({ actor, tx, allowConflicts: override }, (db) => handler(db, input, actor));
  };
}

import type { z } from 'zod';
import { SchedulingError, type ErrorPath } from '../errors';

/** Zod paths may contain symbols; ours never do, but keep the error path plain data. */
function toErrorPath(path: ReadonlyArray<PropertyKey>): Array<string | number> {
  return path.map((key) => (typeof key === 'symbol' ? String(key) : key));
}

/**
 * Builds the `INVALID_INPUT` error every domain function throws for bad input.
 *
 * @example
 * ```ts
 * throw invalidInput('end must be after start', ['sessions', 3, 'end']);
 * ```
 */
export function invalidInput(
  message: string,
  path: ErrorPath,
  extra: Record<string, unknown> = {},
): SchedulingError {
  return new SchedulingError('INVALID_INPUT', message, { ...extra, path: [...path] });
}

/**
 * Parses `input` with `schema` and returns the parsed value, or throws a
 * `SchedulingError` with code `INVALID_INPUT`, the first failing path in
 * `details.path` and every zod issue in `details.issues`. The ZodError is kept as
 * `cause` so nothing is lost, but callers never have to catch zod's own error.
 *
 * @example
 * ```ts
 * const policy = parseInput(capacityPolicySchema, hostPolicy, { prefix: ['policy'] });
 * ```
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  options: { prefix?: ErrorPath; argument?: string } = {},
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const prefix = options.prefix ?? [];
  const issues = result.error.issues.map((issue) => ({
    path: [...prefix, ...toErrorPath(issue.path)],
    message: issue.message,
  }));
  const first = issues[0] ?? { path: [...prefix], message: 'invalid input' };
  const where = first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
  throw new SchedulingError(
    'INVALID_INPUT',
    `Invalid input${where}: ${first.message}`,
    { path: first.path, issues, ...(options.argument ? { argument: options.argument } : {}) },
    { cause: result.error },
  );
}

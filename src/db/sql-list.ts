import { type SQL, sql } from 'drizzle-orm';

/**
 * A constant list of string literals as SQL, `('a', 'b')`, for `IN` in raw SQL: the
 * status sets of src/domain/statuses.ts are written once and spelled from there. Only
 * for constants in our own code (the values are quoted, never parameters from input).
 *
 * @internal
 */
export function sqlList(values: readonly string[]): SQL {
  for (const value of values) if (!/^[a-z_]+$/.test(value)) throw new Error(`sqlList: not a plain constant: ${value}`);
  return sql.raw(`(${values.map((value) => `'${value}'`).join(', ')})`);
}

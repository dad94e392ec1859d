import { type AnyPgColumn, type PgSequence, type PgTableFn, pgSchema, pgSequence, pgTable } from 'drizzle-orm/pg-core';
import { type SQL, sql } from 'drizzle-orm';

/**
 * Where the tables of one academy are built: the PostgreSQL schema `schema`, or, when
 * it is undefined, no schema at all (names resolve through the connection's
 * `search_path`). Every table file builds its tables through one of these; what each
 * table is for is documented on its export in `scheduling-tables.ts`.
 *
 * @internal
 */
export interface AcademyNamespace<S extends string | undefined> {
  readonly schema: S;
  /** `pgSchema(schema).table`, or `pgTable` when the schema is undefined. */
  readonly table: PgTableFn<S>;
  sequence(name: string): PgSequence;
  /** {@link humanIdDefaultIn} for this namespace's schema. */
  humanIdDefault(prefix: string, sequence: string): SQL;
}

/**
 * The namespace of `schema`; `pgSchema` refuses `'public'`.
 *
 * @internal
 */
export function academyNamespace<S extends string | undefined>(schema: S): AcademyNamespace<S> {
  const named = schema === undefined ? undefined : pgSchema(schema);
  return {
    schema,
    // `pgTable` is a `PgTableFn<undefined>`, `named.table` a `PgTableFn<S>`: TypeScript does not narrow `S` by the test above.
    table: (named?.table ?? pgTable) as PgTableFn<S>,
    sequence: (name) => (named ? named.sequence(name) : pgSequence(name)),
    humanIdDefault: (prefix, sequence) => humanIdDefaultIn(schema, prefix, sequence),
  };
}

/**
 * The tables a foreign key may point at, read through a thunk: `.references()` calls
 * it only when the constraint is first used, so the tables of one set can be built
 * in any order and still point at each other.
 *
 * @internal
 */
export type ReferencedTables = () => Readonly<
  Record<
    | 'programs'
    | 'levels'
    | 'courses'
    | 'curricula'
    | 'users'
    | 'instructors'
    | 'students'
    | 'parents'
    | 'locations'
    | 'facilities'
    | 'recurringPatterns'
    | 'sessions',
    { id: AnyPgColumn }
  >
>;

/**
 * The schema the migrations are written for, and the tables of `academy-scheduling/schema` live in.
 *
 * @internal
 */
export const SCHEDULING_SCHEMA = 'scheduling';

/**
 * `name` as a quoted SQL identifier: in double quotes, an embedded `"` doubled.
 *
 * @internal
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * `PREFIX-YYYY-NNNN` from the sequence `sequence` of `schema` (its function
 * `next_code`, unqualified when the schema is undefined; drizzle/0007): unique under
 * concurrency without a counter row that would serialize unrelated inserts; padded to
 * four digits, never truncated; on a Citus worker, whose sequences hand out numbers
 * from their own range, `PREFIX-YYYY-G-NNNN` (G: the worker's group).
 *
 * @internal
 */
export function humanIdDefaultIn(schema: string | undefined, prefix: string, sequence: string): SQL {
  // `scheduling` stays bare, as its migrations write it, so that drizzle-kit sees the same default and no change.
  const nextCode = schema === undefined ? 'next_code' : `${schema === SCHEDULING_SCHEMA ? schema : quoteIdentifier(schema)}.next_code`;
  return sql.raw(`${nextCode}('${prefix}', '${sequence}')`);
}

/**
 * The sequences behind the human-readable ids (`SES-2025-0001`, …), in the
 * namespace's schema.
 *
 * @internal
 */
export function codeSequences<S extends string | undefined>(namespace: AcademyNamespace<S>) {
  return {
    sessionCodeSeq: namespace.sequence('session_code_seq'),
    bookingCodeSeq: namespace.sequence('booking_code_seq'),
    waitlistCodeSeq: namespace.sequence('waitlist_code_seq'),
    conflictCodeSeq: namespace.sequence('conflict_code_seq'),
    studentCodeSeq: namespace.sequence('student_code_seq'),
    parentCodeSeq: namespace.sequence('parent_code_seq'),
  };
}

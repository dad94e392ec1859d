import { DEFAULT_ACADEMY_SCHEMA, quoteIdentifier } from '../db/academy-schema-name';

/*
 * The migrations are written for the schema `scheduling` (drizzle-kit generates them
 * so, and they are immutable once released). An academy in another schema gets the
 * same SQL with every reference to the schema replaced by its quoted name. A
 * reference is one of three forms, and there is no other use of the word as a name
 * (a test checks every occurrence in every migration):
 *
 * - `"scheduling"` — drizzle-kit's quoted schema (`"scheduling"."sessions"`);
 * - `scheduling.<name>` — hand-written SQL, also inside string literals
 *   (`nextval('scheduling.session_code_seq')`, `'scheduling.sessions'::regclass`);
 * - `search_path = scheduling` — the path each function pins.
 *
 * Not references, and left as they are: the transaction settings
 * `scheduling.actor_id`, `scheduling.actor`, `scheduling.allow_conflicts`, `scheduling.operation` and
 * `scheduling.event_retention` (a settings prefix shared by every academy; the
 * scheduler sets them per transaction), and names that merely
 * contain the word (`detect_scheduling_conflicts`).
 */
const QUOTED = /"scheduling"/g;
/** `"scheduling"."table"."column"`: a column named with its table, as drizzle-kit writes CHECK constraints. */
const TABLE_QUALIFIED_COLUMN = /"scheduling"\."[a-z_0-9]+"\.("[a-z_0-9]+")/g;
const QUALIFIED = /\bscheduling\.(?!actor_id\b|actor\b|allow_conflicts\b|operation\b|event_retention\b)(?=[a-z_"])/g;
const SEARCH_PATH = /(search_path = )scheduling\b/g;

/**
 * `sql` (written for the schema `scheduling`) for the academy schema `schema`.
 *
 * @internal
 */
export function sqlForSchema(sql: string, schema: string): string {
  sql = withUnqualifiedColumns(sql);
  if (schema === DEFAULT_ACADEMY_SCHEMA) return sql;
  const quoted = quoteIdentifier(schema);
  return sql
    .replace(QUOTED, () => quoted)
    .replace(QUALIFIED, () => `${quoted}.`)
    .replace(SEARCH_PATH, (_, prefix: string) => `${prefix}${quoted}`);
}

/**
 * `sql` with every table-qualified column (`"scheduling"."sessions"."capacity"`) written
 * as the bare column (`"capacity"`). drizzle-kit qualifies the columns of CHECK
 * constraints; PostgreSQL stores the same constraint either way, but Citus forwards an
 * `ALTER TABLE … ADD CONSTRAINT` to the shard as written, where the table has the
 * shard's name and the qualified form fails (`missing FROM-clause entry`).
 *
 * @internal
 */
export function withUnqualifiedColumns(sql: string): string {
  return sql.replace(TABLE_QUALIFIED_COLUMN, (_, column: string) => column);
}

import { invalidInput } from '../domain/validate';
import type { ErrorPath } from '../errors';

/** The PostgreSQL schema an academy lives in when none is named. */
export const DEFAULT_ACADEMY_SCHEMA = 'scheduling';

/** PostgreSQL truncates identifiers to 63 bytes: a longer name would silently become another. */
const MAX_LENGTH = 63;
const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Checks an academy's schema name and returns it: a plain lower-case identifier
 * (`a-z`, digits, `_`, not starting with a digit, at most 63 characters), so it reads
 * the same quoted or not in the host's own SQL; not reserved by PostgreSQL (`pg_…`,
 * `information_schema`) and not `public`, where the host's own tables live. Anything
 * else is `INVALID_INPUT` at `path`, `reason: 'invalid_schema_name'`. The name is still
 * quoted wherever it is written into SQL ({@link quoteIdentifier}).
 *
 * @internal
 */
export function parseAcademySchemaName(value: unknown, path: ErrorPath = ['schema']): string {
  const refuse = (why: string) => invalidInput(`Invalid input at ${path.join('.')}: ${why}`, path, { reason: 'invalid_schema_name' });
  if (typeof value !== 'string') throw refuse(`expected a schema name (a string), received ${value === null ? 'null' : typeof value}`);
  if (!PLAIN_IDENTIFIER.test(value) || value.length > MAX_LENGTH) {
    throw refuse(
      `${JSON.stringify(value.slice(0, 80))} is not a valid academy schema name: use 1 to ${MAX_LENGTH} lower-case letters, digits and underscores, not starting with a digit`,
    );
  }
  if (value.startsWith('pg_') || value === 'information_schema') throw refuse(`${JSON.stringify(value)} is reserved by PostgreSQL`);
  if (value === 'public') throw refuse('"public" holds the host\'s own tables; give the academy a schema of its own');
  return value;
}

/**
 * Checks the name of the database role a scheduler acts as: the same plain
 * lower-case identifier rules as a schema name, not `pg_…` (reserved). `INVALID_INPUT`
 * at `path`, `reason: 'invalid_role_name'`.
 *
 * @internal
 */
export function parseRoleName(value: unknown, path: ErrorPath = ['role']): string {
  const refuse = (why: string) => invalidInput(`Invalid input at ${path.join('.')}: ${why}`, path, { reason: 'invalid_role_name' });
  if (typeof value !== 'string') throw refuse(`expected a role name (a string), received ${value === null ? 'null' : typeof value}`);
  if (!PLAIN_IDENTIFIER.test(value) || value.length > MAX_LENGTH || value.startsWith('pg_')) {
    throw refuse(
      `${JSON.stringify(value.slice(0, 80))} is not a valid role name: use 1 to ${MAX_LENGTH} lower-case letters, digits and underscores, not starting with a digit or pg_`,
    );
  }
  return value;
}

/**
 * `name` as a quoted SQL identifier: in double quotes, an embedded `"` doubled.
 *
 * @internal
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * `academy-scheduling/migrate`: installs and upgrades an academy's schema (`scheduling`
 * unless named) in the host's database.
 *
 * - Each academy schema has its own tracking table, `<schema>.schema_migrations`
 *   (never the host's `drizzle.__drizzle_migrations`), with a checksum per migration.
 * - One transaction per schema, holding a transaction-level advisory lock for that
 *   schema: N processes migrating at once is safe, and a failure leaves nothing
 *   half-applied.
 * - A no-op when up to date; refuses a schema migrated by a newer version.
 */
export type { Migration } from './types';
export { MIGRATIONS } from './migrations.generated';
export {
  type AcademySchemaOption,
  type AppliedMigration,
  type MigrateResult,
  type MigrationStatusReport,
  migrate,
  migrationStatements,
  migrationStatus,
} from './migrate-schema';
export { type AcademyMigrationOutcome, dropAcademy, grantAcademyRole, listAcademies, migrateAcademies } from './academies';

/** One migration of the scheduling schema, with its SQL inlined at build time. */
export interface Migration {
  /** 1-based, in the order migrations must run. */
  readonly id: number;
  /** The drizzle/ file name without `.sql`, e.g. `0001_triggers`. */
  readonly name: string;
  /** sha256 of the SQL, recorded when the migration is applied. */
  readonly checksum: string;
  /** Statements separated by `--> statement-breakpoint`. */
  readonly sql: string;
}

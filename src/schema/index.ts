/**
 * `academy-scheduling/schema`: Drizzle table definitions and relations for the whole
 * scheduling schema (Postgres schema `scheduling`). Exported tables and columns are
 * public API.
 *
 * @example
 * ```ts
 * import postgres from 'postgres';
 * import { drizzle } from 'drizzle-orm/postgres-js';
 * import * as schema from 'academy-scheduling/schema';
 *
 * const db = drizzle(postgres(process.env.DATABASE_URL!), { schema });
 * const session = await db.query.sessions.findFirst({ with: { bookings: { with: { student: true } } } });
 * ```
 */
export * from './namespace';
export * from './academics';
export * from './people';
export * from './locations';
export * from './recurring-patterns';
export * from './sessions';
export * from './bookings';
export * from './availability';
export * from './conflicts';
export * from './waitlist';
export * from './feedback';
export * from './resources';
export * from './capacity-policies';
export * from './relations';

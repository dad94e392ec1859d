import { academyNamespace, codeSequences } from './academy-namespace';
import { academicTables } from './academics';
import { peopleTables } from './people';
import { locationTables } from './locations';
import { recurringPatternTables } from './recurring-patterns';
import { sessionTables } from './sessions';
import { bookingTables } from './bookings';
import { availabilityTables } from './availability';
import { conflictTables } from './conflicts';
import { waitlistTables } from './waitlist';
import { feedbackTables } from './feedback';
import { resourceTables } from './resources';
import { capacityPolicyTables } from './capacity-policies';
import { changeEventTables } from './change-events';
import { calendarFeedTables } from './calendar-feeds';

/**
 * Every table of the package and the sequences behind the human-readable ids, built in
 * the PostgreSQL schema `S` (`undefined`: no schema). The same columns and row types
 * whatever the schema: `AcademyTables<'academy_b'>['sessions']['$inferSelect']` is the
 * row type of `sessions`.
 */
export type AcademyTables<S extends string | undefined = string | undefined> = ReturnType<typeof academicTables<S>> &
  ReturnType<typeof peopleTables<S>> &
  ReturnType<typeof locationTables<S>> &
  ReturnType<typeof recurringPatternTables<S>> &
  ReturnType<typeof sessionTables<S>> &
  ReturnType<typeof bookingTables<S>> &
  ReturnType<typeof availabilityTables<S>> &
  ReturnType<typeof conflictTables<S>> &
  ReturnType<typeof waitlistTables<S>> &
  ReturnType<typeof feedbackTables<S>> &
  ReturnType<typeof resourceTables<S>> &
  ReturnType<typeof capacityPolicyTables<S>> &
  ReturnType<typeof changeEventTables<S>> &
  ReturnType<typeof calendarFeedTables<S>> &
  ReturnType<typeof codeSequences<S>>;

/**
 * Every table of the package, and the sequences behind its human-readable ids, built in
 * the PostgreSQL schema `schema`: one schema per academy. Foreign keys point at the
 * tables of the same call, and the human-id defaults draw from that schema's
 * sequences. Without a schema the tables are unqualified, so names resolve through
 * the connection's `search_path`. The tables this entry exports are
 * `academyTables('scheduling')`. `'public'` is refused (Drizzle's `pgSchema` refuses
 * it): leave the schema out instead.
 *
 * @example
 * ```ts
 * import { eq } from 'drizzle-orm';
 * import { academyTables } from 'academy-scheduling/schema';
 *
 * const academyB = academyTables('academy_b');
 * // select … from "academy_b"."sessions" where "academy_b"."sessions"."status" = $1
 * const scheduled = await db.select().from(academyB.sessions).where(eq(academyB.sessions.status, 'scheduled'));
 * ```
 */
export function academyTables<S extends string | undefined = undefined>(schema?: S): AcademyTables<S> {
  const ns = academyNamespace(schema as S);
  // Foreign keys read `tables` through a thunk, only once every table below is built.
  const referenced = () => tables;
  const tables: AcademyTables<S> = {
    ...academicTables(ns),
    ...peopleTables(ns, referenced),
    ...locationTables(ns),
    ...recurringPatternTables(ns, referenced),
    ...sessionTables(ns, referenced),
    ...bookingTables(ns, referenced),
    ...availabilityTables(ns, referenced),
    ...conflictTables(ns, referenced),
    ...waitlistTables(ns, referenced),
    ...feedbackTables(ns, referenced),
    ...resourceTables(ns, referenced),
    ...capacityPolicyTables(ns),
    ...changeEventTables(ns),
    ...calendarFeedTables(ns),
    ...codeSequences(ns),
  };
  return tables;
}

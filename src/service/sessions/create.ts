import { type Column, type SQL, getTableColumns, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { type CapacityPolicy, capacityForRoom, checkCapacity, defaultCapacity } from '../../domain';
import { locations, sessions } from '../../schema/unqualified';
import { queryRows } from '../../db/query';
import { executeWithFields, internalsOf } from '../../db/drizzle-internals';
import { requireAdministratorOrInstructor, requireUserId } from '../kernel/actor';
import { requireAdministratorForSessionDefaults } from '../kernel/administrator-decisions';
import { loadFacility, loadInstructor, loadLocation, lookUpTogether } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import { findScheduleProblems, loadScheduleNeighbours, newSessionIsClear, throwIfBlocked } from '../kernel/schedule-problems';
import { type WithLocalTimes, hasLocalTime, refuseStartInThePast, sessionInstantsIn, withLocalTimes } from '../kernel/session-fields';
import type { createSessionSchema } from './inputs';
import type { Actor } from '../kernel/types';
import type { ConflictRow, SessionRow } from '../kernel/rows';
import { conflictsRecordedNow } from '../kernel/conflict-recording';

/** Result of `sessions.create`. */
export interface CreateSessionResult {
  /** The new session, with `local`: its times on the wall clocks of its location. */
  session: WithLocalTimes<SessionRow>;
  /** Conflicts recorded for the new session in this call (availability mismatches, overridden conflicts). */
  conflicts: ConflictRow[];
}

/** What `createSession` inserts: the input without `override` and `allowPast`, its times as instants, plus who wrote it. */
type NewSessionValues = Omit<z.output<typeof createSessionSchema>, 'override' | 'allowPast' | 'startTime' | 'endTime'> & {
  startTime: Date;
  endTime: Date;
  createdBy: string;
  updatedBy: string;
};

/** A session written, with the zone of its location (for `local`). */
interface Inserted {
  session: SessionRow;
  conflicts: ConflictRow[];
  timeZone: string;
}

/**
 * Creates a session after checking it (capacity policy, facility size, instructor and
 * facility overlaps) so a refusal is a typed error naming the sessions in the way.
 *
 * Local `{ date, time }` times are read in the zone of the input's location, which is
 * then read first; a start before `now` is refused unless `allowPast` (administrators
 * only, checked by the operation's `authorize`).
 *
 * Usually nothing is in the way, and then the checks need not run one by one: the
 * insert carries them in its WHERE (`newSessionIsClear`), one round trip on
 * postgres.js with the read of what its triggers recorded. When it inserts nothing,
 * something may be in the way, and the session goes down the checked path, which
 * names it (`checkThenInsert`). The triggers check again either way.
 *
 * @internal
 */
export async function createSession(
  tx: SchedulingDb,
  input: z.output<typeof createSessionSchema>,
  actor: Actor,
  settings: { policy: CapacityPolicy; now: Date },
): Promise<CreateSessionResult> {
  const createdBy = requireUserId(actor);
  requireAdministratorOrInstructor(actor, input.instructorId, 'create a session (instructors may create only sessions they teach)');
  requireAdministratorForSessionDefaults(actor, input);
  const { override, allowPast, startTime, endTime, ...fields } = input;
  const timeZone = hasLocalTime(input) ? (await loadLocation(tx, fields.locationId)).timezone : undefined;
  // Both times are given (the schema requires them), so both come back as instants.
  const times = timeZone
    ? (sessionInstantsIn({ startTime, endTime }, timeZone) as { startTime: Date; endTime: Date })
    : { startTime: startTime as Date, endTime: endTime as Date };
  refuseStartInThePast(times.startTime, { now: settings.now, allowPast }, timeZone ? { timeZone } : {});
  const values: NewSessionValues = { ...fields, ...times, createdBy, updatedBy: createdBy };
  const written = (await insertIfClear(tx, values, settings.policy)) ?? (await checkThenInsert(tx, values, override, settings.policy));
  return { session: withLocalTimes(written.session, written.timeZone), conflicts: written.conflicts };
}

/**
 * Inserts the session if nothing stands in its way (see `newSessionIsClear`), with
 * the capacity the checked path would give it, and reads the conflicts its triggers
 * recorded (an availability mismatch, say); null when it inserted nothing, or when the
 * policy refuses that capacity (then nothing is sent). The insert's own statement
 * also reads the zone of the session's location, so `local` costs no round trip.
 */
async function insertIfClear(tx: SchedulingDb, values: NewSessionValues, policy: CapacityPolicy): Promise<Inserted | null> {
  // Without a capacity the checked path takes the policy maximum, or the room's size
  // when smaller: requiring room for the maximum makes the two the same.
  const capacity = values.capacity ?? defaultCapacity(values.sessionType, policy);
  if (!checkCapacity({ sessionType: values.sessionType, capacity, minParticipants: values.minParticipants ?? null }, policy).ok) return null;
  // The id is chosen here so that the read can be sent with the insert: one connection
  // runs statements in the order they were sent, so it sees what the triggers wrote.
  const id = globalThis.crypto.randomUUID();
  const clear = newSessionIsClear({ ...values, instructorId: values.instructorId ?? null, capacity });
  const [inserted, recorded] = await Promise.allSettled([
    insertedWithTimeZone(tx, insertSessionWhere({ ...values, id, capacity }, clear)),
    conflictsRecordedNow(tx, id),
  ]);
  // A failed insert aborts the transaction, which fails the read after it: report the insert's error.
  if (inserted.status === 'rejected') throw inserted.reason;
  if (recorded.status === 'rejected') throw recorded.reason;
  const [row] = inserted.value;
  return row ? { session: row.session, conflicts: recorded.value, timeZone: row.timeZone } : null;
}

/** The read-back of {@link insertedWithTimeZone}, built once. */
let insertedReadBack: { select: SQL; fields: Array<{ path: string[]; field: Column }> } | undefined;

/**
 * The rows an `INSERT … RETURNING *` into sessions wrote, each with the zone of its
 * location, in the same statement: read as `queryTableRows` reads a table (the insert
 * becomes a CTE, its columns named one by one and decoded by column, positionally), plus
 * the location's `timezone`.
 */
async function insertedWithTimeZone(tx: SchedulingDb, insert: SQL): Promise<Array<{ session: SessionRow; timeZone: string }>> {
  if (!insertedReadBack) {
    const columns = Object.entries(SESSION_COLUMNS);
    const names = columns.map(([, column]) => `"written"."${column.name}"`).join(', ');
    insertedReadBack = {
      select: sql.raw(`SELECT ${names}, (SELECT l.timezone FROM locations l WHERE l.id = "written"."location_id") FROM "written"`),
      fields: [...columns.map(([key, column]) => ({ path: ['session', key], field: column })), { path: ['timeZone'], field: locations.timezone }],
    };
  }
  const { select, fields } = insertedReadBack;
  return (await executeWithFields(internalsOf(tx), sql`WITH "written" AS (${insert}) ${select}`, fields)) as Array<{ session: SessionRow; timeZone: string }>;
}

const SESSION_COLUMNS: Record<string, Column> = getTableColumns(sessions);

/**
 * `INSERT INTO sessions (the given columns) SELECT … WHERE condition RETURNING *`. The
 * values travel as one JSON parameter that `json_populate_record` reads into the
 * table's own row type, so each value gets its column's type (length and precision
 * included: too long is refused, never cut) without a cast per column.
 */
function insertSessionWhere(values: typeof sessions.$inferInsert, condition: SQL): SQL {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) row[SESSION_COLUMNS[key]!.name] = value;
  }
  const columns = sql.raw(
    Object.keys(row)
      .map((name) => `"${name}"`)
      .join(', '),
  );
  return sql`INSERT INTO sessions (${columns})
    SELECT ${columns} FROM json_populate_record(NULL::sessions, ${JSON.stringify(row)}::json)
    WHERE ${condition} RETURNING *`;
}

/**
 * The checked path: loads the references and the sessions around the new one, refuses
 * with the first problem that blocks (naming the sessions in the way), then inserts.
 */
async function checkThenInsert(tx: SchedulingDb, values: NewSessionValues, override: boolean, policy: CapacityPolicy): Promise<Inserted> {
  // One round trip on postgres.js: the references, the sessions around the new one,
  // and whether the instructor's availability covers it.
  const [location, facility, , neighbours, fits] = await lookUpTogether([
    loadLocation(tx, values.locationId),
    loadFacility(tx, values.facilityId, values.locationId),
    values.instructorId ? loadInstructor(tx, values.instructorId) : Promise.resolve(null),
    loadScheduleNeighbours(tx, {
      id: null,
      facilityId: values.facilityId,
      instructorId: values.instructorId ?? null,
      startTime: values.startTime,
      endTime: values.endTime,
    }),
    values.instructorId ? fitsAvailability(tx, values.instructorId, values.locationId, values.startTime, values.endTime) : Promise.resolve(true),
  ]);
  const capacity = values.capacity ?? capacityForRoom(values.sessionType, policy, facility.capacity);
  const problems = await findScheduleProblems(
    tx,
    {
      id: null,
      sessionType: values.sessionType,
      capacity,
      minParticipants: values.minParticipants ?? null,
      locationId: values.locationId,
      facility,
      instructorId: values.instructorId ?? null,
      startTime: values.startTime,
      endTime: values.endTime,
      check: { overlaps: true, instructor: true, facility: true, facilitySize: true, students: false },
    },
    policy,
    { neighbours },
  );
  throwIfBlocked(problems, { override });
  const [session] = await tx
    .insert(sessions)
    .values({ ...values, capacity })
    .returning();
  // Without an override the insert trigger can record only an availability mismatch,
  // so when the availability covers the session there is nothing to read back. (An
  // availability change committed between the check and the insert can still make
  // the trigger record one: it is in `conflicts.list`, as the trigger stored it.)
  const mayHaveRecorded = override || !fits;
  return { session: session!, conflicts: mayHaveRecorded ? await conflictsRecordedNow(tx, session!.id) : [], timeZone: location.timezone };
}

/**
 * Whether the insert trigger would find the session inside the instructor's
 * availability: the same test (`covering_availability`, and an instructor without
 * any active availability rows never mismatches).
 */
async function fitsAvailability(tx: SchedulingDb, instructorId: string, locationId: string, start: Date, end: Date): Promise<boolean> {
  const [row] = await queryRows<{ fits: boolean }>(
    tx,
    sql`SELECT NOT EXISTS (SELECT 1 FROM instructor_availability WHERE instructor_id = ${instructorId}::uuid AND coalesce(is_active, true))
            OR EXISTS (SELECT 1 FROM covering_availability(${instructorId}::uuid, ${locationId}::uuid,
                         ${start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz)) AS fits`,
  );
  return row?.fits === true;
}

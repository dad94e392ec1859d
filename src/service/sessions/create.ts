import { type Column, type SQL, getTableColumns, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { type CapacityPolicy, capacityForRoom, checkCapacity, defaultCapacity } from '../../domain';
import { sessions } from '../../schema';
import { queryRows, queryTableRows } from '../../db/query';
import { forbidden, isAdministrator, requireUserId } from '../kernel/actor';
import { requireAdministratorForSessionDefaults } from '../kernel/administrator-decisions';
import { loadFacility, loadInstructor, loadLocation, lookUpTogether } from '../kernel/lookups';
import type { SchedulingDb } from '../../db/scheduling-db';
import { findScheduleProblems, loadScheduleNeighbours, newSessionIsClear, throwIfBlocked } from '../kernel/schedule-problems';
import type { createSessionSchema } from './inputs';
import type { Actor } from '../kernel/types';
import type { ConflictRow, SessionRow } from '../kernel/rows';
import { conflictsRecordedNow } from '../kernel/conflict-recording';

/** Result of `sessions.create`. */
export interface CreateSessionResult {
  session: SessionRow;
  /** Conflicts recorded for the new session in this call (availability mismatches, overridden conflicts). */
  conflicts: ConflictRow[];
}

/** What `createSession` inserts: the input without `override`, plus who wrote it. */
type NewSessionValues = Omit<z.output<typeof createSessionSchema>, 'override'> & { createdBy: string; updatedBy: string };

/**
 * Creates a session after checking it (capacity policy, facility size, instructor and
 * facility overlaps) so a refusal is a typed error naming the sessions in the way.
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
  policy: CapacityPolicy,
): Promise<CreateSessionResult> {
  const createdBy = requireUserId(actor);
  if (!isAdministrator(actor) && !(actor.kind === 'instructor' && actor.instructorId && actor.instructorId === input.instructorId)) {
    throw forbidden(actor, 'create a session (instructors may create only sessions they teach)');
  }
  requireAdministratorForSessionDefaults(actor, input);
  const { override, ...fields } = input;
  const values: NewSessionValues = { ...fields, createdBy, updatedBy: createdBy };
  return (await insertIfClear(tx, values, policy)) ?? (await checkThenInsert(tx, values, override, policy));
}

/**
 * Inserts the session if nothing stands in its way (see `newSessionIsClear`), with
 * the capacity the checked path would give it, and reads the conflicts its triggers
 * recorded (an availability mismatch, say); null when it inserted nothing, or when the
 * policy refuses that capacity (then nothing is sent).
 */
async function insertIfClear(tx: SchedulingDb, values: NewSessionValues, policy: CapacityPolicy): Promise<CreateSessionResult | null> {
  // Without a capacity the checked path takes the policy maximum, or the room's size
  // when smaller: requiring room for the maximum makes the two the same.
  const capacity = values.capacity ?? defaultCapacity(values.sessionType, policy);
  if (!checkCapacity({ sessionType: values.sessionType, capacity, minParticipants: values.minParticipants ?? null }, policy).ok) return null;
  // The id is chosen here so that the read can be sent with the insert: one connection
  // runs statements in the order they were sent, so it sees what the triggers wrote.
  const id = globalThis.crypto.randomUUID();
  const clear = newSessionIsClear({ ...values, instructorId: values.instructorId ?? null, capacity });
  const [inserted, recorded] = await Promise.allSettled([
    queryTableRows(tx, sessions, insertSessionWhere({ ...values, id, capacity }, clear)),
    conflictsRecordedNow(tx, id),
  ]);
  // A failed insert aborts the transaction, which fails the read after it: report the insert's error.
  if (inserted.status === 'rejected') throw inserted.reason;
  if (recorded.status === 'rejected') throw recorded.reason;
  const [session] = inserted.value;
  return session ? { session, conflicts: recorded.value } : null;
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
  return sql`INSERT INTO scheduling.sessions (${columns})
    SELECT ${columns} FROM json_populate_record(NULL::scheduling.sessions, ${JSON.stringify(row)}::json)
    WHERE ${condition} RETURNING *`;
}

/**
 * The checked path: loads the references and the sessions around the new one, refuses
 * with the first problem that blocks (naming the sessions in the way), then inserts.
 */
async function checkThenInsert(tx: SchedulingDb, values: NewSessionValues, override: boolean, policy: CapacityPolicy): Promise<CreateSessionResult> {
  // One round trip on postgres.js: the references, the sessions around the new one,
  // and whether the instructor's availability covers it.
  const [, facility, , neighbours, fits] = await lookUpTogether([
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
  return { session: session!, conflicts: mayHaveRecorded ? await conflictsRecordedNow(tx, session!.id) : [] };
}

/**
 * Whether the insert trigger would find the session inside the instructor's
 * availability: the same test (`covering_availability`, and an instructor without
 * any active availability rows never mismatches).
 */
async function fitsAvailability(tx: SchedulingDb, instructorId: string, locationId: string, start: Date, end: Date): Promise<boolean> {
  const [row] = await queryRows<{ fits: boolean }>(
    tx,
    sql`SELECT NOT EXISTS (SELECT 1 FROM scheduling.instructor_availability WHERE instructor_id = ${instructorId}::uuid AND coalesce(is_active, true))
            OR EXISTS (SELECT 1 FROM scheduling.covering_availability(${instructorId}::uuid, ${locationId}::uuid,
                         ${start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz)) AS fits`,
  );
  return row?.fits === true;
}

import { PLANNED_SESSION_STATUSES } from '../../domain/statuses';
import { sqlList } from '../../db/sql-list';
import { getTableColumns, sql } from 'drizzle-orm';
import * as z from 'zod/mini';
import { queryRows } from '../../db/query';
import { sessionBookingsArchive } from '../../schema/unqualified';
import { requireAdministrator } from '../kernel/actor';
import { instantInput } from '../kernel/inputs';
import { type Operation, defineOperation, parseOperationInput, withInputSchema } from '../kernel/operation';
import type { SchedulingDb } from '../../db/scheduling-db';
import type { ServiceContext } from '../kernel/context';
import { type ArchiveBookingsInput, archiveBookingsSchema } from './inputs';

/** Result of `maintenance.archiveBookings`. */
export interface ArchiveResult {
  /** Bookings removed from `session_bookings` (each is now in the archive). */
  archived: number;
  /** Of those, how many were already in the archive (a re-run after an interrupted one). */
  alreadyArchived: number;
  /** Batches that moved at least one booking. */
  batches: number;
}

const batchSchema = z.lazy(() => z.strictObject({ olderThan: instantInput, batchSize: z.int() }));

// Column list from the table definition: the reference's `SELECT *` relies on column order.
const ARCHIVE_COLUMNS = sql.raw(
  Object.values(getTableColumns(sessionBookingsArchive))
    .map((c) => `"${c.name}"`)
    .join(', '),
);

/**
 * Moves one batch in one statement: picks up to `batchSize` old bookings (skipping
 * rows another archiver holds, so concurrent runs take disjoint batches), copies them
 * into the archive (`ON CONFLICT (id) DO NOTHING`: rows that an earlier attempt
 * already copied stay as they are) and deletes exactly the picked ids that are now in
 * the archive. Bookings of sessions that can still run (scheduled, in progress,
 * postponed) are never archived, whatever their age.
 *
 * @internal
 */
export async function archiveBookingsBatch(tx: SchedulingDb, input: z.output<typeof batchSchema>): Promise<{ moved: number; alreadyArchived: number }> {
  const [row] = await queryRows<{ moved: number; already: number }>(
    tx,
    sql`WITH picked AS (
          SELECT b.id FROM session_bookings b
          JOIN sessions s ON s.id = b.session_id
          WHERE b.created_at < ${input.olderThan.toISOString()}::timestamptz
            AND s.status NOT IN ${sqlList(PLANNED_SESSION_STATUSES)}
          ORDER BY b.id
          LIMIT ${input.batchSize}
          FOR UPDATE OF b SKIP LOCKED
        ), copied AS (
          INSERT INTO session_bookings_archive (${ARCHIVE_COLUMNS})
          SELECT ${ARCHIVE_COLUMNS} FROM session_bookings WHERE id IN (SELECT id FROM picked)
          ON CONFLICT (id) DO NOTHING
          RETURNING id
        ), already AS (
          -- Rows archived before this statement. On one server \`copied\` is not visible
          -- here (one snapshot for the statement); Citus runs each part of a data-modifying
          -- WITH as a statement of its own, in order, and this one would see it.
          SELECT a.id FROM session_bookings_archive a WHERE a.id IN (SELECT id FROM picked) AND a.id NOT IN (SELECT id FROM copied)
        ), removed AS (
          DELETE FROM session_bookings
          WHERE id IN (SELECT id FROM copied UNION SELECT id FROM already)
          RETURNING id
        )
        SELECT (SELECT count(*)::int FROM removed) AS moved, (SELECT count(*)::int FROM already) AS already`,
  );
  return { moved: Number(row!.moved), alreadyArchived: Number(row!.already) };
}

/**
 * `maintenance.archiveBookings`: repeats `archiveBookingsBatch`, each batch in its own
 * transaction (a savepoint of the host's when `{ tx }` is given), until a batch finds
 * nothing. An interrupted run loses nothing: committed batches are done, the batch
 * in flight rolls back whole, and a re-run continues.
 *
 * @internal
 */
export function createArchiveBookings(ctx: ServiceContext): Operation<ArchiveBookingsInput, ArchiveResult> {
  const batch = defineOperation(ctx, batchSchema, (tx, input) => archiveBookingsBatch(tx, input), {
    authorize: (actor) => requireAdministrator(actor, 'archive bookings'),
  });
  const archive: Operation<ArchiveBookingsInput, ArchiveResult> = async (actor, rawInput, options) => {
    const input = parseOperationInput(archiveBookingsSchema, rawInput);
    const result: ArchiveResult = { archived: 0, alreadyArchived: 0, batches: 0 };
    while (input.maxBatches === undefined || result.batches < input.maxBatches) {
      const { moved, alreadyArchived } = await batch(actor, { olderThan: input.olderThan, batchSize: input.batchSize }, options);
      if (moved === 0) break;
      result.archived += moved;
      result.alreadyArchived += alreadyArchived;
      result.batches += 1;
    }
    return result;
  };
  return withInputSchema(archive, archiveBookingsSchema);
}

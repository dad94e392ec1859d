import { sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { queryRows } from '../../db/query';
import type { SchedulingDb } from '../../db/scheduling-db';
import { requireExisting } from '../kernel/lookups';
import { resourceCostsSchema, unallocatedMandatorySchema } from './inputs';

/** A mandatory resource of an upcoming session that is not (fully) allocated. */
export interface UnallocatedResource {
  resourceId: string;
  sessionId: string;
  sessionCode: string;
  startTime: Date;
  resourceType: string;
  resourceName: string;
  allocationStatus: string;
  quantityNeeded: number;
  quantityAllocated: number;
}

/**
 * Mandatory resources of scheduled sessions starting in `[now, now + withinDays days)`
 * that are requested, unavailable, or allocated short of the quantity needed; by
 * start time, then resource name.
 *
 * @internal
 */
export async function unallocatedMandatory(tx: SchedulingDb, input: z.output<typeof unallocatedMandatorySchema>, now: Date): Promise<UnallocatedResource[]> {
  const from = now.toISOString();
  const rows = await queryRows<Omit<UnallocatedResource, 'startTime'> & { startTime: Date | string }>(
    tx,
    sql`SELECT r.id AS "resourceId", s.id AS "sessionId", s.session_id AS "sessionCode", s.start_time AS "startTime",
               r.resource_type AS "resourceType", r.resource_name AS "resourceName", r.allocation_status AS "allocationStatus",
               r.quantity_needed AS "quantityNeeded", r.quantity_allocated AS "quantityAllocated"
        FROM session_resources r JOIN sessions s ON s.id = r.session_id
        WHERE s.status = 'scheduled'
          AND s.start_time >= ${from}::timestamptz
          AND s.start_time < ${from}::timestamptz + make_interval(days => ${input.withinDays})
          AND coalesce(r.is_mandatory, true)
          AND (r.allocation_status IN ('requested', 'unavailable')
               OR (r.allocation_status = 'allocated' AND r.quantity_allocated < r.quantity_needed))
        ORDER BY s.start_time, r.resource_name, r.id`,
  );
  return rows.map((r) => ({ ...r, startTime: new Date(r.startTime) }));
}

/** The resource cost of one session. */
export interface SessionResourceCost {
  sessionId: string;
  /** Sum of `total_cost` (cost per unit × quantity needed) over resources not cancelled, e.g. `'12.50'`. */
  totalCost: string;
  resourceCount: number;
}

/**
 * Sums `total_cost` per session over its resources that are not cancelled; every
 * requested session is in the result (with `'0.00'` when it has none), in input order.
 *
 * @internal
 */
export async function resourceCosts(tx: SchedulingDb, input: z.output<typeof resourceCostsSchema>): Promise<SessionResourceCost[]> {
  await requireExisting(tx, 'session', input.sessionIds, (i) => ['sessionIds', i]);
  const rows = await queryRows<{ sessionId: string; totalCost: string; resourceCount: number }>(
    tx,
    sql`SELECT r.session_id AS "sessionId", sum(r.total_cost)::numeric(12, 2)::text AS "totalCost", count(*)::int AS "resourceCount"
        FROM session_resources r
        WHERE r.session_id IN (${sql.join(
          input.sessionIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})
          AND r.allocation_status <> 'cancelled'
        GROUP BY r.session_id`,
  );
  const bySession = new Map(rows.map((r) => [r.sessionId, r]));
  return [...new Set(input.sessionIds)].map((sessionId) => {
    const row = bySession.get(sessionId);
    return { sessionId, totalCost: row?.totalCost ?? '0.00', resourceCount: Number(row?.resourceCount ?? 0) };
  });
}

import type { SchedulingDb } from '../../db/scheduling-db';

import type { Actor } from '../kernel/types';
import { loadViewer, redactConflict, visibleRows } from '../kernel/visibility';
import { type AvailabilityChangeResult } from './write';

/**
 * An availability change as the actor sees it: an instructor gets the mismatches it recorded without their financial impact.
 *
 * @internal
 */
export async function availabilityChangeSeenBy(tx: SchedulingDb, actor: Actor, result: AvailabilityChangeResult): Promise<AvailabilityChangeResult> {
  const viewer = await loadViewer(tx, actor);
  const seen = (rows: AvailabilityChangeResult['mismatches']) => visibleRows(rows, (row) => redactConflict(viewer, row));
  return { availability: result.availability, mismatches: seen(result.mismatches), overloads: seen(result.overloads) };
}

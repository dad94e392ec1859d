import type * as z from 'zod/mini';
import { type SchedulingDb } from '../../db/scheduling-db';
import { scheduleConflicts } from '../../schema/unqualified';
import { isAdministrator } from '../kernel/actor';
import { type Actor } from '../kernel/types';
import { loadViewer, redactConflict, visibleRows } from '../kernel/visibility';
import { listConflictsSchema } from './inputs';
import { type SQL, and, desc, eq, gte, isNull, lt, or } from 'drizzle-orm';

/**
 * Conflicts matching the filters, newest first. Instructors see only their own (they
 * must pass their `instructorId`), without the financial impact and without rows
 * naming a child.
 */
export async function listConflicts(tx: SchedulingDb, input: z.output<typeof listConflictsSchema>, actor: Actor) {
  const filters: Array<SQL | undefined> = [
    input.status ? eq(scheduleConflicts.status, input.status) : undefined,
    input.type ? eq(scheduleConflicts.conflictType, input.type) : undefined,
    input.severity ? eq(scheduleConflicts.severity, input.severity) : undefined,
    input.sessionId ? or(eq(scheduleConflicts.sessionId, input.sessionId), eq(scheduleConflicts.conflictingSessionId, input.sessionId)) : undefined,
    input.instructorId ? eq(scheduleConflicts.instructorId, input.instructorId) : undefined,
    input.from ? gte(scheduleConflicts.conflictTimeStart, input.from) : undefined,
    input.until ? lt(scheduleConflicts.conflictTimeStart, input.until) : undefined,
    // Rows naming a child are administrators' (see `conflictRelation`): left out in SQL too, so pages stay full.
    isAdministrator(actor) ? undefined : isNull(scheduleConflicts.studentId),
  ];
  const rows = await tx
    .select()
    .from(scheduleConflicts)
    .where(and(...filters))
    .orderBy(desc(scheduleConflicts.detectedAt), desc(scheduleConflicts.conflictId))
    .limit(input.limit)
    .offset(input.offset);
  const viewer = await loadViewer(tx, actor);
  return visibleRows(rows, (row) => redactConflict(viewer, row));
}

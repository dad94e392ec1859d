import { ACTIVE_SESSION_STATUSES } from '../../domain/statuses';
import { sqlList } from '../../db/sql-list';
import { and, eq, gt, inArray, lt, notInArray, or, sql } from 'drizzle-orm';
import { type ScheduleConflict, detectConflicts, findOverlappingPairs } from '../../domain';
import { sessions } from '../../schema/unqualified';
import { queryRows } from '../../db/query';
import type { SchedulingDb } from '../../db/scheduling-db';

/** One planned occurrence of a series: a local date and its instants. */
export interface PlannedOccurrence {
  localDate: string;
  start: Date;
  end: Date;
}

/** Why one occurrence cannot be written as planned. */
export interface OccurrenceConflict extends PlannedOccurrence {
  code: 'INSTRUCTOR_DOUBLE_BOOKED' | 'FACILITY_OVERLAP' | 'STUDENT_CONFLICT';
  /** Existing sessions in the way. */
  conflictingSessionIds: string[];
  /** Other occurrences of the same series in the way (local dates). */
  conflictingDates: string[];
  /** For `STUDENT_CONFLICT`: the students booked elsewhere at that time. */
  studentIds?: string[];
}

/** What the occurrences of a series share. */
export interface SeriesResources {
  instructorId: string | null;
  locationId: string;
  facility: { id: string; maxConcurrentSessions: number };
  /** Sessions that are about to move (an edit): their current times do not count. */
  excludeSessionIds?: readonly string[];
}

const DAY_MS = 86_400_000;

interface Item {
  key: string;
  occurrence: number | null;
  sessionId: string | null;
  instructorId: string | null;
  facilityId: string;
  status: string;
  start: Date;
  end: Date;
}

/**
 * Instructor and facility conflicts of every planned occurrence, against the active
 * sessions already there and against the other occurrences, in two queries whatever
 * the length of the series: the active sessions of the instructor and the facility
 * within `[first start, last end)` (plus the instructor's concurrency limit at the
 * occurrences that need it), then the domain's `findOverlappingPairs` sweep and
 * `detectConflicts` in memory — the same rules the conflict trigger applies per row.
 *
 * @internal
 */
export async function findSeriesConflicts(
  tx: SchedulingDb,
  occurrences: readonly PlannedOccurrence[],
  resources: SeriesResources,
): Promise<OccurrenceConflict[]> {
  if (occurrences.length === 0) return [];
  const { instructorId, facility } = resources;
  const first = Math.min(...occurrences.map((o) => o.start.getTime()));
  const last = Math.max(...occurrences.map((o) => o.end.getTime()));
  const exclude = [...(resources.excludeSessionIds ?? [])];
  const neighbours = await tx
    .select({
      id: sessions.id,
      instructorId: sessions.instructorId,
      facilityId: sessions.facilityId,
      status: sessions.status,
      start: sessions.startTime,
      end: sessions.endTime,
    })
    .from(sessions)
    .where(
      and(
        inArray(sessions.status, [...ACTIVE_SESSION_STATUSES]),
        // Sessions last at most 24 hours (chk_session_max_duration): bounds the index range.
        gt(sessions.startTime, new Date(first - DAY_MS)),
        lt(sessions.startTime, new Date(last)),
        gt(sessions.endTime, new Date(first)),
        instructorId ? or(eq(sessions.facilityId, facility.id), eq(sessions.instructorId, instructorId)) : eq(sessions.facilityId, facility.id),
        exclude.length > 0 ? notInArray(sessions.id, exclude) : undefined,
      ),
    );

  const items: Item[] = [
    ...occurrences.map((o, i) => ({
      key: `occurrence-${i}`,
      occurrence: i,
      sessionId: null,
      instructorId,
      facilityId: facility.id,
      status: 'scheduled',
      start: o.start,
      end: o.end,
    })),
    ...neighbours.map((n) => ({
      key: n.id,
      occurrence: null,
      sessionId: n.id,
      instructorId: n.instructorId,
      facilityId: n.facilityId,
      status: n.status,
      start: n.start,
      end: n.end,
    })),
  ];
  const shares = (a: Item, b: Item) => a.facilityId === b.facilityId || (a.instructorId !== null && a.instructorId === b.instructorId);
  const around = new Map<number, Item[]>();
  for (const [a, b] of findOverlappingPairs(items)) {
    if (!shares(a, b)) continue;
    if (a.occurrence !== null) around.set(a.occurrence, [...(around.get(a.occurrence) ?? []), b]);
    if (b.occurrence !== null) around.set(b.occurrence, [...(around.get(b.occurrence) ?? []), a]);
  }
  if (around.size === 0) return [];

  const needLimit = [...around].filter(([, list]) => instructorId && list.some((n) => n.instructorId === instructorId)).map(([i]) => i);
  const limits = await instructorLimits(
    tx,
    resources,
    needLimit.map((i) => ({ i, start: occurrences[i]!.start, end: occurrences[i]!.end })),
  );

  const result: OccurrenceConflict[] = [];
  for (const [index, list] of [...around].sort(([a], [b]) => a - b)) {
    const self = items[index]!;
    const found = detectConflicts({
      sessions: [self, ...list].map((s) => ({
        id: s.key,
        instructorId: s.instructorId,
        facilityId: s.facilityId,
        start: s.start,
        end: s.end,
        capacity: 50,
        status: s.status as 'scheduled',
      })),
      ...(instructorId ? { instructorMaxConcurrent: { [instructorId]: Math.max(1, limits.get(index) ?? 1) } } : {}),
      facilityMaxConcurrent: { [facility.id]: facility.maxConcurrentSessions },
    }).filter((c) => c.sessionId === self.key || c.conflictingSessionId === self.key);
    const byType = (type: ScheduleConflict['conflictType'], resource: 'instructorId' | 'facilityId', id: string | null) =>
      found.filter((c) => c.conflictType === type && c[resource] === id);
    const occurrence = occurrences[index]!;
    for (const [code, clashes] of [
      ['INSTRUCTOR_DOUBLE_BOOKED', byType('instructor_double_booking', 'instructorId', instructorId)],
      ['FACILITY_OVERLAP', byType('facility_overlap', 'facilityId', facility.id)],
    ] as const) {
      if (clashes.length === 0) continue;
      const others = unique(clashes.map((c) => (c.sessionId === self.key ? c.conflictingSessionId! : c.sessionId))).map((key) =>
        items.find((it) => it.key === key)!,
      );
      result.push({
        localDate: occurrence.localDate,
        start: occurrence.start,
        end: occurrence.end,
        code,
        conflictingSessionIds: others.filter((o) => o.sessionId).map((o) => o.sessionId!),
        conflictingDates: others.filter((o) => o.occurrence !== null).map((o) => occurrences[o.occurrence!]!.localDate),
      });
    }
  }
  return result;
}

/** A session of a series moving to new instants. */
export interface OccurrenceMove extends PlannedOccurrence {
  sessionId: string;
}

/**
 * The confirmed students of moving occurrences who are booked into another active
 * session at the new time, in one query: one entry per occurrence, naming every
 * such student. Other occurrences that move in the same call are left out (their
 * old times no longer count).
 *
 * @internal
 */
export async function findStudentConflictsOfMoves(tx: SchedulingDb, moves: readonly OccurrenceMove[]): Promise<OccurrenceConflict[]> {
  if (moves.length === 0) return [];
  const payload = JSON.stringify(moves.map((m) => ({ id: m.sessionId, s: m.start.toISOString(), e: m.end.toISOString() })));
  const rows = await queryRows<{ sessionId: string; studentId: string; others: string[] | string }>(
    tx,
    sql`WITH c AS (SELECT * FROM json_to_recordset(${payload}::json) AS c(id uuid, s timestamptz, e timestamptz))
        SELECT c.id AS "sessionId", b.student_id AS "studentId", json_agg(DISTINCT os.id) AS others
        FROM c
        JOIN session_bookings b ON b.session_id = c.id AND b.booking_status = 'confirmed'
        JOIN session_bookings ob ON ob.student_id = b.student_id AND ob.booking_status = 'confirmed' AND ob.session_id <> c.id
        JOIN sessions os ON os.id = ob.session_id AND os.status IN ${sqlList(ACTIVE_SESSION_STATUSES)}
             AND os.start_time < c.e AND os.end_time > c.s
        WHERE os.id NOT IN (SELECT id FROM c)
        GROUP BY c.id, b.student_id
        ORDER BY c.id, b.student_id`,
  );
  const bySession = new Map<string, { studentIds: string[]; others: string[] }>();
  for (const row of rows) {
    const others = typeof row.others === 'string' ? (JSON.parse(row.others) as string[]) : row.others;
    const entry = bySession.get(row.sessionId) ?? { studentIds: [], others: [] };
    entry.studentIds.push(row.studentId);
    entry.others = unique([...entry.others, ...others]);
    bySession.set(row.sessionId, entry);
  }
  return moves
    .filter((m) => bySession.has(m.sessionId))
    .map((m) => ({
      localDate: m.localDate,
      start: m.start,
      end: m.end,
      code: 'STUDENT_CONFLICT' as const,
      conflictingSessionIds: bySession.get(m.sessionId)!.others,
      conflictingDates: [],
      studentIds: bySession.get(m.sessionId)!.studentIds,
    }));
}

/** The instructor's concurrency limit at each listed occurrence, by the database's own rule, in one query. */
async function instructorLimits(
  tx: SchedulingDb,
  resources: SeriesResources,
  slots: Array<{ i: number; start: Date; end: Date }>,
): Promise<Map<number, number>> {
  if (slots.length === 0 || !resources.instructorId) return new Map();
  const payload = JSON.stringify(slots.map((s) => ({ i: s.i, s: s.start.toISOString(), e: s.end.toISOString() })));
  const rows = await queryRows<{ i: number; limit: number }>(
    tx,
    sql`SELECT c.i, instructor_session_limit(${resources.instructorId}::uuid, ${resources.locationId}::uuid, c.s, c.e) AS "limit"
        FROM json_to_recordset(${payload}::json) AS c(i int, s timestamptz, e timestamptz)`,
  );
  return new Map(rows.map((r) => [Number(r.i), Number(r.limit)]));
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

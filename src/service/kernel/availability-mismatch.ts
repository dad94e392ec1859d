import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import { computeAvailabilityWindows, sessionFitsAvailability, type AvailabilityRow } from '../../domain';
import { instructorAvailability, locations } from '../../schema/unqualified';
import type { SchedulingDb } from '../../db/scheduling-db';

/** The session fields an availability check needs. */
export interface SessionForAvailability {
  id: string;
  instructorId: string | null;
  locationId: string;
  startTime: Date;
  endTime: Date;
}

const DAY_MS = 86_400_000;

/**
 * The sessions that lie outside their instructor's availability, by the domain's
 * rules (`computeAvailabilityWindows` in each location's zone, rows for that
 * location or for every location, then `sessionFitsAvailability`). As in the
 * database trigger, an instructor with no active availability rows at all is never
 * a mismatch.
 *
 * @internal
 */
export async function findAvailabilityMismatches<S extends SessionForAvailability>(tx: SchedulingDb, sessions: readonly S[]): Promise<S[]> {
  const withInstructor = sessions.filter((s) => s.instructorId);
  if (withInstructor.length === 0) return [];
  const instructorIds = [...new Set(withInstructor.map((s) => s.instructorId!))];
  const rows = await tx
    .select()
    .from(instructorAvailability)
    .where(
      and(inArray(instructorAvailability.instructorId, instructorIds), or(eq(instructorAvailability.isActive, true), isNull(instructorAvailability.isActive))),
    );
  const zones = new Map(
    (
      await tx
        .select({ id: locations.id, timezone: locations.timezone })
        .from(locations)
        .where(inArray(locations.id, [...new Set(withInstructor.map((s) => s.locationId))]))
    ).map((l) => [l.id, l.timezone]),
  );
  const outside: S[] = [];
  for (const [locationId, group] of groupBy(withInstructor, (s) => s.locationId)) {
    const timeZone = zones.get(locationId) ?? 'UTC';
    const applicable = rows.filter((r) => r.locationId === null || r.locationId === locationId);
    // Local dates of the group, padded a day each side so every zone offset is covered.
    const first = Math.min(...group.map((s) => s.startTime.getTime())) - DAY_MS;
    const last = Math.max(...group.map((s) => s.endTime.getTime())) + DAY_MS;
    const windows = applicable.length
      ? computeAvailabilityWindows({ rows: applicable as AvailabilityRow[], fromDate: isoDate(first), toDate: isoDate(last), timeZone })
      : [];
    for (const session of group) {
      if (!rows.some((r) => r.instructorId === session.instructorId)) continue;
      const fits = sessionFitsAvailability(
        { instructorId: session.instructorId!, start: session.startTime, end: session.endTime },
        windows.filter((w) => w.instructorId === session.instructorId),
      );
      if (!fits) outside.push(session);
    }
  }
  return outside;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

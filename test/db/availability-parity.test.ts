/**
 * The database trigger (scheduling.covering_availability, used to record
 * availability mismatches) and the domain (computeAvailabilityWindows +
 * sessionFitsAvailability, used by the service) must agree on whether an instructor
 * is available for a session: random availability rows, random sessions, same answer.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eq, sql } from 'drizzle-orm';
import * as s from '../../src/schema';
import { computeAvailabilityWindows, sessionFitsAvailability } from '../../src/domain';
import { isSchedulingError } from '../../src/errors';
import { toSchedulingError } from '../../src/db/database-errors';
import { queryRows } from '../../src/db/query';
import { useTestDatabase } from '../support/database';
import { seedAcademy } from '../support/fixtures';
import { dateOfWeekday, hhmm, march } from '../support/march-2030';

const database = useTestDatabase();

const rowArb = fc.record({
  type: fc.constantFrom('regular', 'regular', 'temporary', 'exception'),
  weekly: fc.boolean(),
  day: fc.integer({ min: 0, max: 6 }),
  date: fc.integer({ min: 4, max: 17 }), // 2030-03-04 .. 2030-03-17 (spans the 2030-03-10 DST change)
  start: fc.integer({ min: 24, max: 80 }), // quarters of an hour: 06:00 .. 20:00
  length: fc.integer({ min: 2, max: 24 }),
  breakAt: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
  max: fc.constantFrom(1, 1, 2, 0),
  untilOffset: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
});

/** A session placed near one of the rows (so both answers are common), or anywhere. */
const sessionArb = fc.record({
  nearRow: fc.nat(),
  anywhere: fc.boolean(),
  week: fc.integer({ min: 0, max: 1 }),
  offset: fc.integer({ min: -2, max: 20 }),
  date: fc.integer({ min: 4, max: 17 }),
  start: fc.integer({ min: 20, max: 84 }),
  length: fc.integer({ min: 1, max: 8 }),
});

describe('availability: database and domain agree', () => {
  it('on random rows and sessions around a DST change', async () => {
    const academy = await seedAcademy(database.db, { students: 0 });
    const instructor = academy.instructorIds[0]!;
    let compared = 0;
    const outcomes = { covered: 0, uncovered: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { minLength: 1, maxLength: 6 }),
        fc.array(sessionArb, { minLength: 10, maxLength: 10 }),
        async (rowSpecs, sessionSpecs) => {
          await database.db.delete(s.instructorAvailability).where(eq(s.instructorAvailability.instructorId, instructor));
          for (const r of rowSpecs) {
            const date = march(r.date);
            try {
              await database.db.insert(s.instructorAvailability).values({
                instructorId: instructor,
                availabilityType: r.type as 'regular',
                dayOfWeek: r.weekly ? r.day : null,
                specificDate: r.weekly ? null : date,
                startTime: hhmm(r.start),
                endTime: hhmm(Math.min(r.start + r.length, 95)),
                effectiveFrom: '2030-03-01',
                effectiveUntil: r.untilOffset === null ? null : march(7 + r.untilOffset),
                breakStartTime: r.breakAt === null ? null : hhmm(r.start + r.breakAt),
                breakDurationMinutes: r.breakAt === null ? 0 : 30,
                maxConcurrentSessions: r.max,
                locationId: academy.locationId,
              });
            } catch (error) {
              if (!isSchedulingError(toSchedulingError(error), 'AVAILABILITY_OVERLAP')) throw error;
            }
          }
          const rows = await database.db.select().from(s.instructorAvailability).where(eq(s.instructorAvailability.instructorId, instructor));
          const windows = computeAvailabilityWindows({ rows, fromDate: '2030-03-01', toDate: '2030-03-20', timeZone: academy.timeZone });
          for (const raw of sessionSpecs) {
            const row = rowSpecs[raw.nearRow % rowSpecs.length]!;
            const spec = raw.anywhere
              ? raw
              : { ...raw, date: row.weekly ? dateOfWeekday(row.day, raw.week) : row.date, start: Math.max(0, Math.min(90, row.start + raw.offset)) };
            const date = march(spec.date);
            // The session's local start, converted by the database (the same zone rules apply).
            const [instant] = await queryRows<{ start: Date | string }>(
              database.db,
              sql`SELECT (${`${date} ${hhmm(spec.start)}`}::timestamp AT TIME ZONE ${academy.timeZone}) AS start`,
            );
            const start = new Date(instant!.start);
            const end = new Date(start.getTime() + spec.length * 15 * 60_000);
            const [fromDb] = await queryRows<{ covered: boolean }>(
              database.db,
              sql`SELECT EXISTS (SELECT 1 FROM scheduling.covering_availability(${instructor}, ${academy.locationId}, ${start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz)) AS covered`,
            );
            const fromDomain = sessionFitsAvailability({ instructorId: instructor, start, end }, windows);
            expect({ date, start: hhmm(spec.start), quarters: spec.length, covered: fromDb!.covered }).toEqual({
              date,
              start: hhmm(spec.start),
              quarters: spec.length,
              covered: fromDomain,
            });
            compared++;
            outcomes[fromDomain ? 'covered' : 'uncovered']++;
          }
        },
      ),
      { numRuns: 25, seed: 20301, endOnFailure: true },
    );
    expect(compared).toBe(250);
    // Both answers occur often enough for the agreement to mean something.
    expect(outcomes.covered).toBeGreaterThan(20);
    expect(outcomes.uncovered).toBeGreaterThan(20);
  });
});

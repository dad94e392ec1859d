/**
 * Whether a set of sessions is allowed never depends on the order they were written,
 * and the triggers agree with `maintenance.verifyIntegrity` on every state: on random
 * availability slots (regular, temporary, exceptions, days off, partial cover), random
 * instructor limits and random overlapping sessions, inserting the set in one order,
 * in the reverse order, and all at once under an override then asking
 * verifyIntegrity, give the same verdict; and inserting one by one while skipping
 * what is refused always leaves a state verifyIntegrity finds clean.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { createScheduler } from '../../src';
import { isSchedulingError } from '../../src/errors';
import { type TestDb, rolledBack, useTestDatabase } from '../support/database';
import { type Academy, seedAcademy } from '../support/fixtures';

const database = useTestDatabase();
let academy: Academy;
let facilityId: string;

beforeAll(async () => {
  academy = await seedAcademy(database.db, { students: 0 });
  const [room] = await database.query<{ id: string }>(
    `INSERT INTO scheduling.facilities (location_id, code, name, max_concurrent_sessions) VALUES ('${academy.locationId}', 'HALL-${process.pid}', 'Hall', 20) RETURNING id`,
  );
  facilityId = room!.id;
});

const system = { kind: 'system' as const };
/** Tuesday 2030-02-12 in New York (UTC-5): local hour h is (h + 5):00Z. */
const instant = (quarter: number) => new Date(Date.UTC(2030, 1, 12, 5) + quarter * 15 * 60_000);
const localTime = (quarter: number) => `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;

const slotArb = fc.record({
  type: fc.constantFrom('regular', 'regular', 'temporary', 'exception'),
  from: fc.integer({ min: 32, max: 60 }), // 08:00-15:00 local, in quarters of an hour
  length: fc.integer({ min: 2, max: 16 }),
  max: fc.integer({ min: 0, max: 3 }),
});
const sessionArb = fc.record({ from: fc.integer({ min: 36, max: 60 }), length: fc.integer({ min: 2, max: 8 }) });
const scenarioArb = fc.record({
  instructorLimit: fc.integer({ min: 1, max: 2 }),
  slots: fc.array(slotArb, { maxLength: 3 }),
  sessions: fc.array(sessionArb, { minLength: 2, maxLength: 5 }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

async function inSavepoint(tx: TestDb, work: (sp: TestDb) => Promise<void>): Promise<boolean> {
  try {
    await tx.transaction((sp) => work(sp as unknown as TestDb));
    return true;
  } catch (error) {
    if (isSchedulingError(error)) throw error;
    const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    if (code === 'SC003') return false;
    // Slots of one type may not overlap (SC006): such a scenario is simply not written.
    throw error;
  }
}

/** Writes the instructor and the slots (skipping slots that overlap one already written); returns the instructor. */
async function setUp(tx: TestDb, scenario: Scenario): Promise<string> {
  const [coach] = await tx
    .execute<{ id: string }>(
      sql`INSERT INTO scheduling.instructors (email, first_name, last_name, max_concurrent_sessions)
        VALUES (${`coach-${Math.random()}@x.test`}, 'Coach', 'Order', ${scenario.instructorLimit}) RETURNING id`,
    )
    .then((r) => (Array.isArray(r) ? r : (r as unknown as { rows: Array<{ id: string }> }).rows));
  for (const slot of scenario.slots) {
    const end = Math.min(slot.from + slot.length, 95);
    const when =
      slot.type === 'exception'
        ? sql`NULL, '2030-02-12'::date, '2030-02-12'::date, NULL`
        : slot.type === 'temporary'
          ? sql`2, NULL, '2030-02-01'::date, '2030-02-28'::date`
          : sql`2, NULL, '2030-01-01'::date, NULL`;
    try {
      await tx.transaction((sp) =>
        sp.execute(sql`INSERT INTO scheduling.instructor_availability
            (instructor_id, availability_type, day_of_week, specific_date, effective_from, effective_until, start_time, end_time, max_concurrent_sessions)
          VALUES (${coach!.id}, ${slot.type}, ${when}, ${localTime(slot.from)}::time, ${localTime(end)}::time, ${slot.max})`),
      );
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (code !== 'SC006') throw error;
    }
  }
  return coach!.id;
}

const insertSessionSql = (coach: string, s: { from: number; length: number }, i: number) =>
  sql`INSERT INTO scheduling.sessions (program_id, course_id, location_id, facility_id, instructor_id, session_type, title, start_time, end_time, capacity, created_by)
      VALUES (${academy.programId}, ${academy.courseId}, ${academy.locationId}, ${facilityId}, ${coach}, 'group', ${`S${i}`},
              ${instant(s.from).toISOString()}::timestamptz, ${instant(s.from + s.length).toISOString()}::timestamptz, 5, ${academy.adminId})`;

/** Inserts the sessions in this order; true when every insert was accepted. */
async function allAccepted(scenario: Scenario, order: number[]): Promise<boolean> {
  return rolledBack(database.db, async (tx) => {
    const coach = await setUp(tx, scenario);
    return inSavepoint(tx, async (sp) => {
      for (const i of order) await sp.execute(insertSessionSql(coach, scenario.sessions[i]!, i));
    });
  });
}

/** The instructor-limit findings of verifyIntegrity for this instructor after `write`. */
async function findingsAfter(scenario: Scenario, write: (tx: TestDb, coach: string) => Promise<void>) {
  const scheduler = createScheduler({ db: database.db });
  return rolledBack(database.db, async (tx) => {
    const coach = await setUp(tx, scenario);
    await write(tx, coach);
    const findings = await scheduler.maintenance.verifyIntegrity(system, {}, { tx });
    return findings.filter((f) => f.kind === 'instructor_overlap' && f.ownerId === coach);
  });
}

describe('the instructor limit is order-independent and agrees with verifyIntegrity', () => {
  it('on random slots, limits and sessions', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const forward = scenario.sessions.map((_, i) => i);
        const accepted = await allAccepted(scenario, forward);
        expect(await allAccepted(scenario, [...forward].reverse())).toBe(accepted);
        const overridden = await findingsAfter(scenario, async (tx, coach) => {
          await tx.execute(sql`SET LOCAL scheduling.allow_conflicts = on`);
          for (const i of forward) await tx.execute(insertSessionSql(coach, scenario.sessions[i]!, i));
          await tx.execute(sql`SET LOCAL scheduling.allow_conflicts = off`);
        });
        expect(overridden.length === 0).toBe(accepted);
        // Writing one by one and keeping what is accepted never leaves a violation.
        const greedy = await findingsAfter(scenario, async (tx, coach) => {
          for (const i of forward) await inSavepoint(tx, async (sp) => void (await sp.execute(insertSessionSql(coach, scenario.sessions[i]!, i))));
        });
        expect(greedy).toEqual([]);
      }),
      { numRuns: 60, seed: Number(process.env.PROPERTY_SEED ?? 20261203) },
    );
    // 360 rolled-back transactions: 6–15 s on one server or PGlite, 37–47 s on the Citus tier (measured in CI and here).
  }, 180_000);
});

/**
 * Every public method of a scheduler bound to academy X, called with X's OWN rows
 * (so each does real work in X: bookings, waitlist promotions, series expansion,
 * conflict recording by triggers, maintenance jobs, notification claims), while the
 * `scheduling` academy beside it holds a full sample set (real server):
 *
 * - the `scheduling` academy is byte-for-byte unchanged after every call, and no
 *   result carries one of its ids (search_path alone);
 * - under a role from `grantAcademyRole` (X only), no method fails for lack of a
 *   privilege: the role mode covers the whole API, not only the calls its test makes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createScheduler, isSchedulingError, type Actor, type Scheduler } from '../../src';
import { academyTables } from '../../src/schema';
import { grantAcademyRole, migrate } from '../../src/migrate';
import { loadedFeature } from '../../src/service/kernel/lazy-feature';
import { useTestDatabase, type TestDatabase } from '../support/database';
import { databaseDigest } from '../support/digest';
import { type Ids, sampleInputs, seedSampleAcademy } from '../support/sample-calls';
import { insertSessionIn, seedAcademyIn } from '../support/academy-in-schema';
import { createInput } from '../support/fixtures';
import { at } from '../support/time';

const database = useTestDatabase();
const X = 'academy_adv_every';
const XR = 'academy_adv_every_role';
const ROLE = `adv_every_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const clock = () => at('2029-06-01T00:00:00Z');

/** `seedSampleAcademy`, in the academy schema `schema`: the same kinds of rows, through that schema's tables and scheduler. */
async function seedSampleAcademyIn(db: TestDatabase, schema: string): Promise<Ids> {
  const t = academyTables(schema);
  const academy = await seedAcademyIn(db.db, schema);
  const admin: Actor = { kind: 'admin', userId: academy.adminId };
  const scheduler = createScheduler({ db: db.db, schema, now: clock });
  const bookIn = async (sessionId: string, studentId: string) =>
    (await db.db.insert(t.sessionBookings).values({ sessionId, studentId, bookingStatus: 'confirmed' }).returning())[0]!.id;
  const session = await insertSessionIn(db.db, schema, academy);
  const bookingId = await bookIn(session.id, academy.studentIds[0]!);
  const full = await insertSessionIn(db.db, schema, academy, { instructorId: academy.instructorIds[1]!, facilityId: academy.lanesId, capacity: 1 });
  await bookIn(full.id, academy.studentIds[1]!);
  await scheduler.waitlist.join(admin, { sessionId: full.id, studentId: academy.studentIds[2]! });
  await scheduler.sessions.create(
    admin,
    createInput(academy, { facilityId: academy.lanesId, startTime: at('2030-01-15T15:30:00Z'), endTime: at('2030-01-15T16:30:00Z'), override: true }),
  );
  await scheduler.availability.add(admin, {
    instructorId: academy.instructorIds[0]!,
    availabilityType: 'regular',
    dayOfWeek: 2,
    startTime: '08:00',
    endTime: '20:00',
    effectiveFrom: '2029-01-01',
  });
  await scheduler.series.create(admin, {
    pattern: { name: 'Mondays', patternType: 'weekly', daysOfWeek: [1], startDate: '2030-04-01', endDate: '2030-04-30', startTime: '10:00', endTime: '11:00' },
    session: {
      programId: academy.programId,
      courseId: academy.courseId,
      locationId: academy.locationId,
      facilityId: academy.poolId,
      instructorId: academy.instructorIds[2]!,
      sessionType: 'group',
      title: 'Mondays',
    },
  });
  const completed = await insertSessionIn(db.db, schema, academy, {
    instructorId: academy.instructorIds[2]!,
    startTime: at('2029-05-01T15:00:00Z'),
    endTime: at('2029-05-01T16:00:00Z'),
  });
  await bookIn(completed.id, academy.studentIds[0]!);
  await db.query(`UPDATE "${schema}".sessions SET status = 'completed' WHERE id = '${completed.id}'`);
  await scheduler.feedback.submit(
    { kind: 'student', studentId: academy.studentIds[0]! },
    { sessionId: completed.id, overallRating: 4, requiresFollowUp: true },
  );
  await scheduler.resources.request(admin, { sessionId: session.id, resourceType: 'equipment', resourceName: 'Kickboards' });
  await scheduler.academy.linkParentStudent(admin, { parentId: academy.parentId, studentId: academy.studentIds[0]! });
  const one = async (text: string) => String((await db.query<{ id: string }>(text))[0]!.id);
  const patternId = await one(`SELECT id FROM "${schema}".recurring_patterns LIMIT 1`);
  return {
    academy,
    sessionId: session.id,
    fullSessionId: full.id,
    bookingId,
    waitlistId: await one(`SELECT id FROM "${schema}".session_waitlist LIMIT 1`),
    conflictId: await one(`SELECT id FROM "${schema}".schedule_conflicts LIMIT 1`),
    availabilityId: await one(`SELECT id FROM "${schema}".instructor_availability LIMIT 1`),
    patternId,
    occurrenceId: await one(`SELECT id FROM "${schema}".sessions WHERE recurring_pattern_id = '${patternId}' ORDER BY start_time LIMIT 1`),
    completedSessionId: completed.id,
    feedbackId: await one(`SELECT id FROM "${schema}".session_feedback LIMIT 1`),
    resourceId: await one(`SELECT id FROM "${schema}".session_resources LIMIT 1`),
    levelId: (await scheduler.academy.createLevel(admin, { code: 'ANY', name: 'Any' })).id,
    holidayId: (await scheduler.academy.createHoliday(admin, { holidayDate: '2030-01-01', name: 'New Year' })).id,
    calendarTokenId: (await scheduler.calendar.createToken(admin, { feed: { location: academy.locationId }, label: 'Front desk' })).id,
  };
}

/** Every uuid stored in `schema`'s tables. */
async function uuidsIn(schema: string): Promise<Set<string>> {
  const columns = await database.query<{ t: string; c: string }>(
    `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = '${schema}' AND data_type = 'uuid'`,
  );
  const found = new Set<string>();
  for (const { t, c } of columns) {
    for (const row of await database.query<{ v: string | null }>(`SELECT DISTINCT "${c}"::text AS v FROM "${schema}"."${t}"`)) if (row.v) found.add(row.v);
  }
  return found;
}

/** Every string anywhere in `value`. */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, out);
  else if (value && typeof value === 'object' && !(value instanceof Date)) for (const item of Object.values(value)) stringsIn(item, out);
  return out;
}

/** Calls every public method of `scheduler` with the sample input for `ids`; `check` sees each outcome. */
async function everyMethod(scheduler: Scheduler, ids: Ids, check: (method: string, outcome: { result?: unknown; error?: unknown }) => Promise<void>) {
  const samples = sampleInputs(ids);
  const admin: Actor = { kind: 'admin', userId: ids.academy.adminId };
  let calls = 0;
  for (const [group, feature] of Object.entries(scheduler)) {
    if (!feature || typeof feature !== 'object' || !Object.values(feature).some((v) => typeof v === 'function')) continue;
    for (const name of Object.keys(await loadedFeature(feature))) {
      const method = `${group}.${name}`;
      const call = (feature as Record<string, (actor: Actor, input: unknown) => Promise<unknown>>)[name]!;
      const outcome = await call(admin, samples[method]).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      await check(method, outcome);
      calls += 1;
    }
  }
  return calls;
}

let victimIds: Set<string>;
beforeAll(async () => {
  await seedSampleAcademy(database); // the `scheduling` academy: the one that must not change
  victimIds = await uuidsIn('scheduling');
  await migrate(database.db, { schema: X });
  await migrate(database.db, { schema: XR });
}, 240_000);

describe("every method of one academy's scheduler, on its own rows, beside a full academy", () => {
  it('changes nothing of the other academy and returns nothing of it (search_path alone)', async () => {
    const ids = await seedSampleAcademyIn(database, X);
    const scheduler = createScheduler({ db: database.db, schema: X, now: clock });
    const victim = await databaseDigest(database.db, 'scheduling');
    const wrong: string[] = [];
    let succeeded = 0;
    const calls = await everyMethod(scheduler, ids, async (method, outcome) => {
      if ('result' in outcome) {
        succeeded += 1;
        const leaked = stringsIn(outcome.result).filter((s) => victimIds.has(s));
        if (leaked.length) wrong.push(`${method}: returned the other academy's ${leaked.join(', ')}`);
      } else if (!isSchedulingError(outcome.error)) wrong.push(`${method}: untyped ${String(outcome.error)}`);
      else if (outcome.error.code === 'DATABASE_ERROR') wrong.push(`${method}: ${outcome.error.message}`);
      if ((await databaseDigest(database.db, 'scheduling')) !== victim) wrong.push(`${method}: changed the other academy`);
    });
    expect(wrong).toEqual([]);
    expect(calls).toBeGreaterThan(80);
    expect(succeeded).toBeGreaterThan(50);
  }, 300_000);

  it("under the academy's own role (grantAcademyRole), no method is refused for lack of a privilege", async () => {
    const ids = await seedSampleAcademyIn(database, XR);
    await grantAcademyRole(database.db, { schema: XR, role: ROLE });
    try {
      const scheduler = createScheduler({ db: database.db, schema: XR, role: ROLE, now: clock });
      const denied: string[] = [];
      let succeeded = 0;
      await everyMethod(scheduler, ids, async (method, outcome) => {
        if ('result' in outcome) succeeded += 1;
        else if (isSchedulingError(outcome.error) && outcome.error.code === 'DATABASE_ERROR')
          denied.push(`${method}: ${String(outcome.error.details.sqlstate)} ${outcome.error.message}`);
      });
      expect(denied).toEqual([]);
      expect(succeeded).toBeGreaterThan(50);
    } finally {
      await database.query(`DROP OWNED BY ${ROLE}`);
      await database.query(`DROP ROLE ${ROLE}`);
    }
  }, 300_000);

  it("a drift in one academy is seen and repaired only by that academy's scheduler (verifyIntegrity, recountBookings)", async () => {
    const drifted = (
      await insertSessionIn(database.db, X, await seedAcademyIn(database.db, X), { startTime: at('2031-02-04T10:00:00Z'), endTime: at('2031-02-04T11:00:00Z') })
    ).id;
    // A drift written past the triggers (as a restore or a bug would leave it).
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(sql.raw(`UPDATE "${X}".sessions SET current_bookings = 2 WHERE id = '${drifted}'`));
    });
    const system: Actor = { kind: 'system' };
    const own = createScheduler({ db: database.db, schema: X, now: clock });
    const other = createScheduler({ db: database.db, now: clock });
    const victim = await databaseDigest(database.db, 'scheduling');
    const kindsSeenBy = async (scheduler: Scheduler) => (await scheduler.maintenance.verifyIntegrity(system, {})).map((f) => f.kind);
    expect(await kindsSeenBy(other)).not.toContain('booking_count_drift');
    expect((await other.maintenance.recountBookings(system, {})).fixed.map((d) => d.sessionId)).not.toContain(drifted);
    expect(await kindsSeenBy(own)).toContain('booking_count_drift');
    expect((await own.maintenance.recountBookings(system, {})).fixed.map((d) => d.sessionId)).toEqual([drifted]);
    expect(await kindsSeenBy(own)).not.toContain('booking_count_drift');
    expect(await databaseDigest(database.db, 'scheduling')).toBe(victim);
  });
});

/**
 * An academy's own database role: a scheduler acting as it works in full in its
 * academy, and under it hostile SQL cannot reach another academy's schema at all
 * (PostgreSQL refuses: permission denied), whatever the statement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createScheduler, isSchedulingError, type Scheduler } from '../../src';
import { grantAcademyRole, migrate } from '../../src/migrate';
import { onCitus, useTestDatabase } from '../support/database';
import { seedAcademy, insertSession } from '../support/fixtures';
import { errorOf } from '../support/refusals';

const database = useTestDatabase();
const SCHEMA = 'academy_roled';
// Roles belong to the whole server, not to this file's database: a name of its own, dropped afterwards.
const ROLE = `academy_roled_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
let scheduler: Scheduler;
let otherSessionId: string;

beforeAll(async () => {
  const other = await seedAcademy(database.db); // the `scheduling` academy
  otherSessionId = (await insertSession(database.db, other)).id;
  await migrate(database.db, { schema: SCHEMA });
  expect(await grantAcademyRole(database.db, { schema: SCHEMA, role: ROLE })).toEqual({ role: ROLE, created: true });
  expect(await grantAcademyRole(database.db, { schema: SCHEMA, role: ROLE })).toEqual({ role: ROLE, created: false });
  scheduler = createScheduler({ db: database.db, schema: SCHEMA, role: ROLE });
}, 120_000);

afterAll(async () => {
  await database.query(`DROP OWNED BY ${ROLE}`);
  await database.query(`DROP ROLE ${ROLE}`);
});

/** Runs `statement` (statements separated by `; `) as the academy's role, in a transaction that is rolled back; returns the SQLSTATE or 'ok'. */
async function asRole(statement: string): Promise<string> {
  try {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql.raw(`SET LOCAL ROLE ${ROLE}`));
      for (const part of statement.split('; ')) await tx.execute(sql.raw(part));
      throw new Error('rollback');
    });
  } catch (error) {
    if ((error as Error).message === 'rollback') return 'ok';
    const code = (error as { cause?: { code?: string }; code?: string }).cause?.code ?? (error as { code?: string }).code;
    return code ?? String(error);
  }
  return 'unreachable';
}

describe("an academy's own role", () => {
  it('runs the scheduler: set-up, a session and a booking, every statement as the role', async () => {
    const system = { kind: 'system' } as const;
    const admin = await scheduler.academy.createUser(system, { email: 'office@roled.test', role: 'admin' });
    const actor = { kind: 'admin', userId: admin.id } as const;
    const location = await scheduler.academy.createLocation(actor, { code: 'MAIN', name: 'Main', timeZone: 'Europe/London' });
    const facility = await scheduler.academy.createFacility(actor, { locationId: location.id, code: 'POOL', name: 'Pool', capacity: 10 });
    const program = await scheduler.academy.createProgram(actor, { code: 'SWIM', name: 'Swimming' });
    const course = await scheduler.academy.createCourse(actor, { programId: program.id, code: 'CLUB', name: 'Club' });
    const student = await scheduler.academy.createStudent(actor, { firstName: 'Ada', lastName: 'L' });
    const { session } = await scheduler.sessions.create(actor, {
      programId: program.id,
      courseId: course.id,
      locationId: location.id,
      facilityId: facility.id,
      sessionType: 'group',
      title: 'Swim',
      startTime: { date: '2031-03-03', time: '10:00' },
      endTime: { date: '2031-03-03', time: '11:00' },
    });
    const booked = await scheduler.bookings.book(actor, { sessionId: session.id, studentId: student.id });
    expect(booked.outcome).toBe('confirmed');
    expect(await scheduler.maintenance.verifyIntegrity(actor, {})).toEqual([]);
    // Still blind to the other academy.
    const error = await errorOf(() => scheduler.sessions.get(actor, { sessionId: otherSessionId }));
    expect(isSchedulingError(error, 'NOT_FOUND')).toBe(true);
  });

  it('the role can log in on Citus only (Citus opens its worker connections as it); an existing NOLOGIN role is given LOGIN there', async () => {
    const canLogIn = async (role: string) =>
      (await database.query<{ login: boolean }>(sql`SELECT rolcanlogin AS login FROM pg_roles WHERE rolname = ${role}`))[0]?.login;
    expect(await canLogIn(ROLE)).toBe(onCitus());
    const existing = `${ROLE}_x`;
    await database.query(`CREATE ROLE ${existing} NOLOGIN`);
    try {
      expect(await grantAcademyRole(database.db, { schema: SCHEMA, role: existing })).toEqual({ role: existing, created: false });
      expect(await canLogIn(existing)).toBe(onCitus());
    } finally {
      await database.query(`DROP OWNED BY ${existing}`);
      await database.query(`DROP ROLE ${existing}`);
    }
  });

  it('cannot read, write, call or even name anything of another academy', async () => {
    expect(await asRole(`SELECT count(*) FROM ${SCHEMA}.sessions`)).toBe('ok');
    const hostile = [
      `SELECT * FROM scheduling.sessions`,
      `SELECT * FROM scheduling.users WHERE true`,
      `INSERT INTO scheduling.programs (code, name) VALUES ('X', 'X')`,
      `UPDATE scheduling.sessions SET capacity = 1`,
      `DELETE FROM scheduling.session_bookings`,
      `TRUNCATE scheduling.session_waitlist`,
      `SELECT nextval('scheduling.session_code_seq')`,
      `SELECT scheduling.is_active_status('scheduled')`,
      `SET LOCAL search_path = scheduling; SELECT * FROM sessions`,
      `CREATE TABLE scheduling.stolen AS SELECT 1`,
      `DROP SCHEMA scheduling CASCADE`,
    ];
    const outcomes: Record<string, string> = {};
    for (const statement of hostile) outcomes[statement] = await asRole(statement); // one at a time: PGlite is one connection
    // 42501 insufficient_privilege, or 42P01 when the relation cannot even be looked up (search_path without USAGE).
    expect(Object.entries(outcomes).filter(([, code]) => !['42501', '42P01'].includes(code))).toEqual([]);
    // Its own schema's DDL is not its to change either.
    expect(await asRole(`DROP TABLE ${SCHEMA}.sessions CASCADE`)).toBe('42501');
  });

  it('refuses a role name that is not a plain identifier, before any statement', async () => {
    for (const role of ['Admin', 'pg_read_all_data', 'a;drop', '']) {
      const error = await errorOf(async () => createScheduler({ db: database.db, schema: SCHEMA, role }));
      expect([isSchedulingError(error, 'INVALID_INPUT'), (error as { details: { reason?: string } }).details.reason]).toEqual([true, 'invalid_role_name']);
      const grant = await errorOf(() => grantAcademyRole(database.db, { schema: SCHEMA, role }));
      expect(isSchedulingError(grant, 'INVALID_INPUT')).toBe(true);
    }
  });
});

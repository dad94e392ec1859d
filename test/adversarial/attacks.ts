/**
 * The attacks: for each entry of the inventory that must be guarded, writes that race
 * to break it — raw SQL from many connections, scheduler calls, or both mixed. Each
 * attack prepares fresh rows (its own sessions, rooms, instructors, students, day),
 * then `attempts` attempts start at once, each in a transaction of its own on its
 * own connection at the level under test. The race is judged by `races.test.ts`.
 */
import type postgres from 'postgres';
import type { Scheduler } from '../../src';
import { INVENTORY, entryKey, type GuaranteeId } from './inventory';
import { type Level, type Scene, sessionInsert } from './scene';

export interface AttemptTools {
  level: Level;
  /** A transaction of its own on a connection whose default isolation is `level`. */
  inTransaction(work: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<unknown>;
  scheduler: Scheduler;
}

export interface Attack<Ctx = unknown> {
  name: string;
  /** The inventory entries it races (`entryKey`). */
  targets: string[];
  attempts: number;
  /** False when every attempt must be refused (nothing legitimate to let through). */
  someSucceed?: boolean;
  /** False when the race may end without a refusal (a booking can be queued instead). */
  someRefused?: boolean;
  prepare(scene: Scene): Promise<Ctx>;
  attempt(tools: AttemptTools, ctx: Ctx, i: number): Promise<unknown>;
}

/** The key of the inventory entry of this guarantee and table whose writes start with `writes`. */
function target(guarantee: GuaranteeId, table: string, writes: string): string {
  const found = INVENTORY.find((e) => e.guarantee === guarantee && e.table === table && e.writes.startsWith(writes));
  if (!found) throw new Error(`no inventory entry ${guarantee} ${table}: ${writes}`);
  return entryKey(found);
}

/** School classes of earlier attacks cancelled and the school policy back at 10-30, so a policy race starts clean. */
async function resetSchoolPolicy(scene: Scene) {
  await scene.run(`UPDATE scheduling.sessions SET status = 'cancelled' WHERE session_type = 'school' AND status <> 'cancelled'`);
  await scene.run(`UPDATE scheduling.capacity_policies SET max_capacity = 30 WHERE session_type = 'school'`);
}

/**
 * An instructor (own limit 1) with a Tuesday slot 09:00-13:00 UTC that allows two
 * classes at once, one class 10:00-11:00 already there, and `rooms` free rooms at a
 * UTC location for the classes an attack adds 10:30-11:30. `boundTo: 'location'` ties
 * the slot to that location (otherwise it applies everywhere); `max` is the slot's limit.
 */
async function instructorWithSlot(scene: Scene, rooms: number, options: { boundTo?: 'location'; max?: number } = {}) {
  const day = scene.day();
  const location = await scene.newLocation('UTC');
  const instructor = await scene.newInstructor(1);
  const [slot] = await scene.run<{ id: string }>(
    `INSERT INTO scheduling.instructor_availability (instructor_id, availability_type, day_of_week, start_time, end_time, effective_from, max_concurrent_sessions, location_id)
     VALUES ('${instructor}', 'regular', 2, '09:00', '13:00', '2031-01-01', ${options.max ?? 2}, ${options.boundTo ? `'${location}'` : 'NULL'}) RETURNING id`,
  );
  await scene.newSession({
    start: at(day, '10:00'),
    end: at(day, '11:00'),
    facilityId: await scene.newFacility({ locationId: location }),
    instructorId: instructor,
    locationId: location,
  });
  const facilities: string[] = [];
  for (let i = 0; i < rooms; i++) facilities.push(await scene.newFacility({ locationId: location }));
  const addClass = (i: number) =>
    sessionInsert(scene.academy, {
      start: at(day, '10:30'),
      end: at(day, '11:30'),
      facilityId: facilities[i]!,
      instructorId: instructor,
      locationId: location,
    });
  return { day, location, instructor, slot: slot!.id, facilities, addClass, academy: scene.academy };
}

const defineAttack = <Ctx>(attack: Attack<Ctx>) => attack as unknown as Attack;
const at = (day: string, time: string) => `${day}T${time}:00Z`;
const sql = (tx: postgres.TransactionSql, text: string) => tx.unsafe(text);
const book = (session: string, student: string, status = 'confirmed') =>
  `INSERT INTO scheduling.session_bookings (session_id, student_id, booking_status) VALUES ('${session}', '${student}', '${status}')`;

export const ATTACKS: readonly Attack[] = [
  // ── G1: capacity ──────────────────────────────────────────────────────────
  defineAttack({
    name: '12 confirmations into a 3-place class',
    targets: [target('G1', 'session_bookings', 'INSERT (confirmed)'), target('G8', 'session_bookings', 'INSERT')],
    attempts: 12,
    async prepare(scene) {
      const day = scene.day();
      const session = await scene.newSession({ start: at(day, '10:00'), end: at(day, '11:00'), facilityId: await scene.newFacility(), capacity: 3 });
      return { session, kids: scene.students(12) };
    },
    attempt: (t, c, i) => t.inTransaction((tx) => sql(tx, book(c.session, c.kids[i]!))),
  }),
  defineAttack({
    name: 'pending bookings all confirmed at once',
    targets: [target('G1', 'session_bookings', 'UPDATE OF booking_status (to confirmed)')],
    attempts: 10,
    async prepare(scene) {
      const day = scene.day();
      const session = await scene.newSession({ start: at(day, '10:00'), end: at(day, '11:00'), facilityId: await scene.newFacility(), capacity: 2 });
      const kids = scene.students(10);
      for (const kid of kids) await scene.run(book(session, kid, 'pending'));
      return { session, kids };
    },
    attempt: (t, c, i) =>
      t.inTransaction((tx) =>
        sql(tx, `UPDATE scheduling.session_bookings SET booking_status = 'confirmed' WHERE session_id = '${c.session}' AND student_id = '${c.kids[i]}'`),
      ),
  }),
  defineAttack({
    name: 'confirmed bookings moved into a 2-place class at once',
    targets: [target('G1', 'session_bookings', 'UPDATE OF session_id')],
    attempts: 10,
    async prepare(scene) {
      const day = scene.day();
      const facility = await scene.newFacility({ max: 20 });
      const into = await scene.newSession({ start: at(day, '16:00'), end: at(day, '17:00'), facilityId: facility, capacity: 2 });
      const kids = scene.students(10);
      const from = await scene.newSession({ start: at(day, '10:00'), end: at(day, '11:00'), facilityId: facility, type: 'school', capacity: 10 });
      for (const kid of kids) await scene.run(book(from, kid));
      return { into, from, kids };
    },
    attempt: (t, c, i) =>
      t.inTransaction((tx) =>
        sql(tx, `UPDATE scheduling.session_bookings SET session_id = '${c.into}' WHERE session_id = '${c.from}' AND student_id = '${c.kids[i]}'`),
      ),
  }),
  defineAttack({
    name: 'capacity cut racing confirmations',
    targets: [target('G1', 'sessions', 'UPDATE OF capacity (lowered)'), target('G8', 'sessions', 'UPDATE OF capacity')],
    attempts: 12,
    async prepare(scene) {
      const day = scene.day();
      const session = await scene.newSession({ start: at(day, '10:00'), end: at(day, '11:00'), facilityId: await scene.newFacility(), capacity: 5 });
      const kids = scene.students(12);
      await scene.run(book(session, kids[0]!));
      await scene.run(book(session, kids[1]!));
      return { session, kids };
    },
    attempt: (t, c, i) =>
      t.inTransaction((tx) => sql(tx, i % 3 === 0 ? `UPDATE scheduling.sessions SET capacity = 2 WHERE id = '${c.session}'` : book(c.session, c.kids[i]!))),
  }),
  defineAttack({
    name: 'hand-written counters racing confirmations',
    targets: [target('G1', 'sessions', 'UPDATE OF current_bookings'), target('G1', 'sessions', 'INSERT')],
    attempts: 12,
    async prepare(scene) {
      const day = scene.day();
      const facility = await scene.newFacility({ max: 20 });
      const session = await scene.newSession({ start: at(day, '10:00'), end: at(day, '11:00'), facilityId: facility, capacity: 3 });
      const kids = scene.students(12);
      await scene.run(book(session, kids[0]!));
      return { session, kids, facility, day, scene };
    },
    attempt: (t, c, i) =>
      t.inTransaction((tx) => {
        if (i % 4 === 0) return sql(tx, `UPDATE scheduling.sessions SET current_bookings = 0 WHERE id = '${c.session}'`);
        if (i % 4 === 1) {
          return sql(tx, sessionInsert(c.scene.academy, { start: at(c.day, '12:00'), end: at(c.day, '13:00'), facilityId: c.facility, currentBookings: 4 }));
        }
        return sql(tx, book(c.session, c.kids[i]!));
      }),
  }),
  defineAttack({
    name: 'TRUNCATE of the bookings racing confirmations',
    targets: [target('G1', 'session_bookings', 'TRUNCATE'), target('G1', 'session_bookings', 'TRUNCATE (above')],
    attempts: 8,
    // At READ COMMITTED the race may end with no refusal, legitimately: when the TRUNCATE
    // lands after two bookings and before the other five (the first child's among them),
    // it empties the session and every later booking fits. Seen once in CI.
    someRefused: false,
    async prepare(scene) {
      const day = scene.day();
      const session = await scene.newSession({ start: at(day, '10:00'), end: at(day, '11:00'), facilityId: await scene.newFacility(), capacity: 5 });
      const kids = scene.students(8);
      await scene.run(book(session, kids[0]!));
      return { session, kids };
    },
    attempt: (t, c, i) => t.inTransaction((tx) => sql(tx, i === 3 ? 'TRUNCATE scheduling.session_bookings' : book(c.session, c.kids[i]!))),
  }),
  defineAttack({
    name: 'bookings.book (the scheduler) racing raw capacity cuts',
    targets: [target('G1', 'sessions', 'UPDATE OF capacity (lowered)'), target('G1', 'session_bookings', 'INSERT (confirmed)')],
    attempts: 10,
    someRefused: false,
    async prepare(scene) {
      const day = scene.day();
      const session = await scene.newSession({ start: at(day, '10:00'), end: at(day, '11:00'), facilityId: await scene.newFacility(), capacity: 5 });
      return { session, kids: scene.students(10), admin: { kind: 'admin' as const, userId: scene.academy.adminId } };
    },
    attempt: (t, c, i) =>
      i % 4 === 0
        ? t.inTransaction((tx) => sql(tx, `UPDATE scheduling.sessions SET capacity = 1 WHERE id = '${c.session}'`))
        : t.scheduler.bookings.book(c.admin, { sessionId: c.session, studentId: c.kids[i]! }),
  }),

  // ── G2: instructor concurrency ────────────────────────────────────────────
  defineAttack({
    name: '12 overlapping classes for one instructor',
    targets: [target('G2', 'sessions', 'INSERT')],
    attempts: 12,
    async prepare(scene) {
      const day = scene.day();
      const instructor = await scene.newInstructor(1);
      const facilities = [];
      for (let i = 0; i < 12; i++) facilities.push(await scene.newFacility());
      return { day, instructor, facilities, scene };
    },
    attempt: (t, c, i) =>
      t.inTransaction((tx) =>
        sql(
          tx,
          sessionInsert(c.scene.academy, {
            start: at(c.day, `10:0${i % 10}`),
            end: at(c.day, '11:00'),
            facilityId: c.facilities[i]!,
            instructorId: c.instructor,
          }),
        ),
      ),
  }),
  defineAttack({
    name: "an instructor's classes moved onto each other",
    targets: [target('G2', 'sessions', 'UPDATE OF start_time')],
    attempts: 8,
    async prepare(scene) {
      const day = scene.day();
      const instructor = await scene.newInstructor(1);
      const sessions = [];
      for (let i = 0; i < 8; i++) {
        sessions.push(
          await scene.newSession({
            start: at(day, `${String(8 + i).padStart(2, '0')}:00`),
            end: at(day, `${String(8 + i).padStart(2, '0')}:30`),
            facilityId: await scene.newFacility(),
            instructorId: instructor,
          }),
        );
      }
      return { day, sessions };
    },
    attempt: (t, c, i) =>
      t.inTransaction((tx) =>
        sql(tx, `UPDATE scheduling.sessions SET start_time = '${at(c.day, '17:00')}', end_time = '${at(c.day, '17:45')}' WHERE id = '${c.sessions[i]}'`),
      ),
  }),
  defineAttack({
    name: "an instructor's own limit lowered racing new classes",
    targets: [target('G2', 'instructors', 'UPDATE OF max_concurrent_sessions')],
    attempts: 10,
    async prepare(scene) {
      const day = scene.day();
      const instructor = await scene.newInstructor(2);
      await scene.newSession({ start: at(day, '10:00'), end: at(day, '11:00'), facilityId: await scene.newFacility(), instructorId: instructor });
      const facilities = [];
      for (let i = 0; i < 10; i++) facilities.push(await scene.newFacility());
      return { day, instructor, facilities, scene };
    },
    attempt: (t, c, i) =>
      t.inTransaction((tx) =>
        sql(
          tx,
          i % 3 === 0
            ? `UPDATE scheduling.instructors SET max_concurrent_sessions = 1 WHERE id = '${c.instructor}'`
            : sessionInsert(c.scene.academy, { start: at(c.day, '10:30'), end: at(c.day, '11:30'), facilityId: c.facilities[i]!, instructorId: c.instructor }),
        ),
      ),
  }),
  ...(['deactivate', 'delete', 'lower', 'day off'] as const).map((how) =>
    defineAttack({
      name: `an availability slot (${how}) racing classes it allows`,
      targets: [target('G2', 'instructor_availability', 'INSERT, UPDATE')],
      attempts: 9,
      prepare: (scene) => instructorWithSlot(scene, 9),
      attempt: (t, c, i) =>
        t.inTransaction((tx) => {
          if (i % 3 === 0) {
            const change = {
              deactivate: `UPDATE scheduling.instructor_availability SET is_active = false WHERE id = '${c.slot}'`,
              delete: `DELETE FROM scheduling.instructor_availability WHERE id = '${c.slot}'`,
              lower: `UPDATE scheduling.instructor_availability SET max_concurrent_sessions = 1 WHERE id = '${c.slot}'`,
              'day off': `INSERT INTO scheduling.instructor_availability (instructor_id, availability_type, specific_date, start_time, end_time, effective_from, max_concurrent_sessions)
                          VALUES ('${c.instructor}', 'exception', '${c.day}', '00:00', '23:00', '${c.day}', 0)`,
            }[how];
            return sql(tx, change);
          }
          return sql(tx, c.addClass(i));
        }),
    }),
  ),
  defineAttack({
    name: 'TRUNCATE of all availability racing classes it allows',
    targets: [target('G2', 'instructor_availability', 'TRUNCATE'), target('G2', 'instructor_availability', 'TRUNCATE (above')],
    attempts: 6,
    prepare: (scene) => instructorWithSlot(scene, 6),
    attempt: (t, c, i) => t.inTransaction((tx) => sql(tx, i === 0 ? 'TRUNCATE scheduling.instructor_availability' : c.addClass(i))),
  }),
  defineAttack({
    name: "a location's time zone changed racing classes its slot allows",
    targets: [target('G2', 'locations', 'UPDATE OF timezone')],
    attempts: 9,
    prepare: (scene) => instructorWithSlot(scene, 9, { boundTo: 'location' }),
    attempt: (t, c, i) =>
      t.inTransaction((tx) => sql(tx, i % 3 === 0 ? `UPDATE scheduling.locations SET timezone = 'Asia/Tokyo' WHERE id = '${c.location}'` : c.addClass(i))),
  }),
  defineAttack({
    name: 'classes moved to a location their slot does not cover',
    targets: [target('G2', 'sessions', 'UPDATE OF start_time, end_time, instructor_id, location_id')],
    attempts: 6,
    someSucceed: false,
    async prepare(scene) {
      const day = scene.day();
      const covered = await scene.newLocation('UTC');
      const other = await scene.newLocation('UTC');
      const instructor = await scene.newInstructor(1);
      await scene.run(
        `INSERT INTO scheduling.instructor_availability (instructor_id, availability_type, day_of_week, start_time, end_time, effective_from, max_concurrent_sessions, location_id)
         VALUES ('${instructor}', 'regular', 2, '09:00', '13:00', '2031-01-01', 3, '${covered}')`,
      );
      const sessions = [];
      for (let i = 0; i < 3; i++) {
        sessions.push(
          await scene.newSession({
            start: at(day, `10:0${i}`),
            end: at(day, '11:00'),
            facilityId: await scene.newFacility({ locationId: covered }),
            instructorId: instructor,
            locationId: covered,
          }),
        );
      }
      const rooms = [];
      for (let i = 0; i < 6; i++) rooms.push(await scene.newFacility({ locationId: other }));
      return { sessions, other, rooms };
    },
    // Half move the class with a room there; half move only the location (a room of another site: refused too).
    attempt: (t, c, i) =>
      t.inTransaction((tx) =>
        sql(
          tx,
          `UPDATE scheduling.sessions SET location_id = '${c.other}'${i % 2 === 0 ? `, facility_id = '${c.rooms[i]}'` : ''} WHERE id = '${c.sessions[i % 3]}'`,
        ),
      ),
  }),
  defineAttack({
    name: "a room moved to another site under a location's time-zone change",
    targets: [target('G2', 'facilities', 'UPDATE OF location_id'), target('G2', 'sessions', 'INSERT, UPDATE OF facility_id, location_id')],
    attempts: 8,
    async prepare(scene) {
      const slot = await instructorWithSlot(scene, 8, { boundTo: 'location' });
      const elsewhere = await scene.newLocation('UTC');
      const emptyRooms = [];
      for (let i = 0; i < 8; i++) emptyRooms.push(await scene.newFacility({ locationId: elsewhere }));
      return { ...slot, elsewhere, emptyRooms };
    },
    // Empty rooms of another site move here and take a class; the site's zone changes; a room with a class tries to leave.
    attempt: (t, c, i) =>
      t.inTransaction(async (tx) => {
        if (i % 4 === 0) return sql(tx, `UPDATE scheduling.locations SET timezone = 'Asia/Tokyo' WHERE id = '${c.location}'`);
        if (i % 4 === 1)
          return sql(
            tx,
            `UPDATE scheduling.facilities SET location_id = '${c.elsewhere}' WHERE id = (SELECT facility_id FROM scheduling.sessions WHERE instructor_id = '${c.instructor}' LIMIT 1)`,
          );
        await sql(tx, `UPDATE scheduling.facilities SET location_id = '${c.location}' WHERE id = '${c.emptyRooms[i]}'`);
        return sql(
          tx,
          sessionInsert(c.academy, {
            start: at(c.day, '10:30'),
            end: at(c.day, '11:30'),
            facilityId: c.emptyRooms[i]!,
            instructorId: c.instructor,
            locationId: c.location,
          }),
        );
      }),
  }),
  defineAttack({
    name: 'sessions.create (the scheduler) racing availability.deactivate',
    targets: [target('G2', 'instructor_availability', 'INSERT, UPDATE'), target('G2', 'sessions', 'INSERT')],
    attempts: 8,
    prepare: (scene) => instructorWithSlot(scene, 8),
    attempt: (t, c, i) => {
      const admin = { kind: 'admin' as const, userId: c.academy.adminId };
      if (i % 4 === 0) return t.scheduler.availability.deactivate(admin, { availabilityId: c.slot });
      return t.scheduler.sessions.create(admin, {
        programId: c.academy.programId,
        courseId: c.academy.courseId,
        locationId: c.location,
        facilityId: c.facilities[i]!,
        instructorId: c.instructor,
        sessionType: 'group',
        title: 'Race',
        startTime: new Date(at(c.day, '10:30')),
        endTime: new Date(at(c.day, '11:30')),
      });
    },
  }),

  // ── G3: facility concurrency and size ─────────────────────────────────────
  defineAttack({
    name: '12 overlapping classes in a room for 2',
    targets: [target('G3', 'sessions', 'INSERT'), target('G3', 'sessions', 'UPDATE OF start_time')],
    attempts: 12,
    async prepare(scene) {
      return { day: scene.day(), facility: await scene.newFacility({ max: 2 }), scene };
    },
    attempt: (t, c, i) =>
      t.inTransaction((tx) => sql(tx, sessionInsert(c.scene.academy, { start: at(c.day, `10:0${i % 10}`), end: at(c.day, '11:00'), facilityId: c.facility }))),
  }),
  defineAttack({
    name: "a room's limit lowered racing new classes",
    targets: [target('G3', 'facilities', 'UPDATE OF max_concurrent_sessions')],
    attempts: 10,
    async prepare(scene) {
      const day = scene.day();
      const facility = await scene.newFacility({ max: 3 });
      await scene.newSession({ start: at(day, '10:00'), end: at(day, '11:00'), facilityId: facility });
      return { day, facility, scene };
    },
    attempt: (t, c, i) =>
      t.inTransaction((tx) =>
        sql(
          tx,
          i % 3 === 0
            ? `UPDATE scheduling.facilities SET max_concurrent_sessions = 1 WHERE id = '${c.facility}'`
            : sessionInsert(c.scene.academy, { start: at(c.day, '10:30'), end: at(c.day, '11:30'), facilityId: c.facility }),
        ),
      ),
  }),
  defineAttack({
    name: "a room's size cut racing a class growing",
    targets: [target('G3', 'facilities', 'UPDATE OF capacity'), target('G3', 'sessions', 'UPDATE OF capacity'), target('G3', 'facilities', 'INSERT')],
    attempts: 8,
    async prepare(scene) {
      const day = scene.day();
      const facility = await scene.newFacility({ capacity: 20 });
      const session = await scene.newSession({ start: at(day, '10:00'), end: at(day, '11:00'), facilityId: facility, type: 'school', capacity: 10 });
      return { facility, session };
    },
    attempt: (t, c, i) =>
      t.inTransaction((tx) =>
        sql(
          tx,
          i % 2 === 0
            ? `UPDATE scheduling.facilities SET capacity = ${12 + i} WHERE id = '${c.facility}'`
            : `UPDATE scheduling.sessions SET capacity = ${13 + i} WHERE id = '${c.session}'`,
        ),
      ),
  }),

  // ── G4: a student in one place at a time ──────────────────────────────────
  defineAttack({
    name: 'one child booked into 10 overlapping classes at once',
    targets: [target('G4', 'session_bookings', 'INSERT (confirmed)')],
    attempts: 10,
    async prepare(scene) {
      const day = scene.day();
      const sessions = [];
      for (let i = 0; i < 10; i++)
        sessions.push(await scene.newSession({ start: at(day, `10:0${i}`), end: at(day, '11:00'), facilityId: await scene.newFacility() }));
      return { sessions, kid: scene.students(1)[0]! };
    },
    attempt: (t, c, i) => t.inTransaction((tx) => sql(tx, book(c.sessions[i]!, c.kid))),
  }),
  defineAttack({
    name: "a child's two classes moved onto each other",
    targets: [target('G4', 'sessions', 'UPDATE OF start_time')],
    attempts: 8,
    async prepare(scene) {
      const day = scene.day();
      const kid = scene.students(1)[0]!;
      const sessions = [];
      for (let i = 0; i < 8; i++) {
        const id = await scene.newSession({
          start: at(day, `${String(8 + i).padStart(2, '0')}:00`),
          end: at(day, `${String(8 + i).padStart(2, '0')}:30`),
          facilityId: await scene.newFacility(),
        });
        await scene.run(book(id, kid));
        sessions.push(id);
      }
      return { day, sessions };
    },
    attempt: (t, c, i) =>
      t.inTransaction((tx) =>
        sql(tx, `UPDATE scheduling.sessions SET start_time = '${at(c.day, '18:00')}', end_time = '${at(c.day, '18:50')}' WHERE id = '${c.sessions[i]}'`),
      ),
  }),

  // ── G5: capacity within the policy ────────────────────────────────────────
  defineAttack({
    name: 'the school policy lowered racing school classes at the old maximum',
    targets: [target('G5', 'capacity_policies', 'UPDATE'), target('G5', 'sessions', 'INSERT'), target('G5', 'sessions', 'the same writes')],
    attempts: 10,
    async prepare(scene) {
      await resetSchoolPolicy(scene);
      const facilities = [];
      for (let i = 0; i < 10; i++) facilities.push(await scene.newFacility());
      return { day: scene.day(), facilities, scene };
    },
    attempt: (t, c, i) =>
      t.inTransaction((tx) =>
        sql(
          tx,
          i % 3 === 0
            ? `UPDATE scheduling.capacity_policies SET max_capacity = 20 WHERE session_type = 'school'`
            : sessionInsert(c.scene.academy, {
                start: at(c.day, '10:00'),
                end: at(c.day, '11:00'),
                facilityId: c.facilities[i]!,
                type: 'school',
                capacity: 25,
              }),
        ),
      ),
  }),
  defineAttack({
    name: 'cancelled school classes resumed racing a lower school policy',
    targets: [target('G5', 'sessions', 'UPDATE OF status')],
    attempts: 10,
    async prepare(scene) {
      await resetSchoolPolicy(scene);
      const day = scene.day();
      const sessions = [];
      for (let i = 0; i < 10; i++) {
        sessions.push(
          await scene.newSession({
            start: at(day, '10:00'),
            end: at(day, '11:00'),
            facilityId: await scene.newFacility(),
            type: 'school',
            capacity: 25,
            status: 'cancelled',
          }),
        );
      }
      return { sessions };
    },
    attempt: (t, c, i) =>
      t.inTransaction((tx) =>
        sql(
          tx,
          i % 3 === 0
            ? `UPDATE scheduling.capacity_policies SET max_capacity = 20 WHERE session_type = 'school'`
            : `UPDATE scheduling.sessions SET status = 'scheduled' WHERE id = '${c.sessions[i]}'`,
        ),
      ),
  }),
  defineAttack({
    name: 'policy rows deleted, truncated or re-inserted lower',
    targets: [target('G5', 'capacity_policies', 'DELETE'), target('G5', 'capacity_policies', 'TRUNCATE'), target('G5', 'capacity_policies', 'INSERT')],
    attempts: 6,
    someSucceed: false,
    async prepare(scene) {
      await resetSchoolPolicy(scene);
      const day = scene.day();
      await scene.newSession({ start: at(day, '10:00'), end: at(day, '11:00'), facilityId: await scene.newFacility(), type: 'school', capacity: 25 });
      return {};
    },
    attempt: (t, _c, i) =>
      t.inTransaction((tx) =>
        sql(
          tx,
          [
            `DELETE FROM scheduling.capacity_policies WHERE session_type = 'school'`,
            'TRUNCATE scheduling.capacity_policies',
            `INSERT INTO scheduling.capacity_policies (session_type, min_capacity, max_capacity) VALUES ('school', 10, 20)
           ON CONFLICT (session_type) DO UPDATE SET max_capacity = excluded.max_capacity`,
          ][i % 3]!,
        ),
      ),
  }),

  // ── G6: waitlist positions ────────────────────────────────────────────────
  defineAttack({
    name: 'naive raw joins (max(position) + 1) racing scheduler joins',
    targets: [target('G6', 'session_waitlist', 'INSERT')],
    attempts: 12,
    async prepare(scene) {
      const day = scene.day();
      const session = await scene.newSession({ start: at(day, '10:00'), end: at(day, '11:00'), facilityId: await scene.newFacility(), capacity: 1 });
      const kids = scene.students(13);
      await scene.run(book(session, kids[12]!));
      return { session, kids, admin: { kind: 'admin' as const, userId: scene.academy.adminId } };
    },
    attempt: (t, c, i) =>
      i % 2 === 0
        ? t.scheduler.waitlist.join(c.admin, { sessionId: c.session, studentId: c.kids[i]! })
        : t.inTransaction((tx) =>
            sql(
              tx,
              `INSERT INTO scheduling.session_waitlist (session_id, student_id, position)
                     SELECT '${c.session}', '${c.kids[i]}', coalesce(max(position), 0) + 1 FROM scheduling.session_waitlist
                     WHERE session_id = '${c.session}' AND status IN ('waiting', 'notified', 'offered')`,
            ),
          ),
  }),

  // ── G7: booked or waiting ─────────────────────────────────────────────────
  defineAttack({
    name: 'the same children booked and queued at once',
    targets: [target('G7', 'session_bookings', 'INSERT'), target('G7', 'session_waitlist', 'INSERT')],
    attempts: 12,
    async prepare(scene) {
      const day = scene.day();
      const session = await scene.newSession({
        start: at(day, '10:00'),
        end: at(day, '11:00'),
        facilityId: await scene.newFacility({ max: 1 }),
        type: 'school',
        capacity: 12,
      });
      return { session, kids: scene.students(6) };
    },
    attempt: (t, c, i) =>
      t.inTransaction((tx) =>
        sql(
          tx,
          i % 2 === 0
            ? book(c.session, c.kids[i >> 1]!)
            : `INSERT INTO scheduling.session_waitlist (session_id, student_id, position)
             SELECT '${c.session}', '${c.kids[i >> 1]}', coalesce(max(position), 0) + 1 FROM scheduling.session_waitlist
             WHERE session_id = '${c.session}' AND status IN ('waiting', 'notified', 'offered')`,
        ),
      ),
  }),

  // ── G8: an offer holds its place ──────────────────────────────────────────
  defineAttack({
    name: 'offers made racing confirmations for the same places',
    targets: [target('G8', 'session_waitlist', 'INSERT, UPDATE OF status'), target('G8', 'session_bookings', 'INSERT')],
    attempts: 12,
    async prepare(scene) {
      const day = scene.day();
      const session = await scene.newSession({ start: at(day, '10:00'), end: at(day, '11:00'), facilityId: await scene.newFacility(), capacity: 3 });
      const kids = scene.students(18);
      await scene.run(book(session, kids[0]!));
      for (let p = 1; p <= 6; p++) {
        await scene.run(`INSERT INTO scheduling.session_waitlist (session_id, student_id, position) VALUES ('${session}', '${kids[p]}', ${p})`);
      }
      return { session, kids };
    },
    attempt: (t, c, i) =>
      t.inTransaction((tx) =>
        sql(
          tx,
          i % 2 === 0
            ? `UPDATE scheduling.session_waitlist SET status = 'offered', response_deadline = '2031-12-31T00:00:00Z'
             WHERE session_id = '${c.session}' AND student_id = '${c.kids[1 + (i >> 1)]}'`
            : book(c.session, c.kids[7 + (i >> 1)]!),
        ),
      ),
  }),

  // ── found by the adversarial review (test/adversarial/found/) ─────────────
  defineAttack({
    name: "counters zeroed from a trigger of the writer's own, racing confirmations",
    targets: [target('G1', 'sessions', 'UPDATE OF current_bookings (from inside')],
    attempts: 9,
    async prepare(scene) {
      const day = scene.day();
      const session = await scene.newSession({ start: at(day, '10:00'), end: at(day, '11:00'), facilityId: await scene.newFacility(), capacity: 3 });
      const kids = scene.students(9);
      await scene.run(book(session, kids[0]!));
      return { session, kids };
    },
    attempt: (t, c, i) =>
      t.inTransaction(async (tx) => {
        if (i % 3 !== 0) return sql(tx, book(c.session, c.kids[i]!));
        await sql(tx, 'CREATE TEMP TABLE IF NOT EXISTS poke (id uuid) ON COMMIT DELETE ROWS');
        await sql(
          tx,
          `CREATE OR REPLACE FUNCTION pg_temp.poke_counter() RETURNS trigger LANGUAGE plpgsql AS $f$
                       BEGIN UPDATE scheduling.sessions SET current_bookings = 0 WHERE id = NEW.id; RETURN NULL; END $f$`,
        );
        await sql(tx, 'DROP TRIGGER IF EXISTS poke_counter ON pg_temp.poke');
        await sql(tx, 'CREATE TRIGGER poke_counter AFTER INSERT ON pg_temp.poke FOR EACH ROW EXECUTE FUNCTION pg_temp.poke_counter()');
        return sql(tx, `INSERT INTO pg_temp.poke VALUES ('${c.session}')`);
      }),
  }),
  defineAttack({
    name: 'offers and offered places handed to other children',
    targets: [target('G8', 'session_waitlist', 'INSERT, UPDATE OF status, session_id, student_id'), target('G8', 'session_bookings', 'UPDATE OF student_id')],
    attempts: 8,
    someSucceed: false,
    async prepare(scene) {
      const day = scene.day();
      const session = await scene.newSession({ start: at(day, '10:00'), end: at(day, '11:00'), facilityId: await scene.newFacility(), capacity: 2 });
      const kids = scene.students(17);
      await scene.run(book(session, kids[0]!));
      await scene.run(
        `INSERT INTO scheduling.session_waitlist (session_id, student_id, position, status, response_deadline) VALUES ('${session}', '${kids[1]}', 1, 'offered', '2031-12-31')`,
      );
      return { session, holder: kids[1]!, heirs: kids.slice(2) };
    },
    // The holder books (its own offer does not count) and, in the same transaction, the offer or the booking changes hands.
    attempt: (t, c, i) =>
      t.inTransaction(async (tx) => {
        await sql(tx, book(c.session, c.holder));
        const table = i % 2 === 0 ? 'session_waitlist' : 'session_bookings';
        return sql(tx, `UPDATE scheduling.${table} SET student_id = '${c.heirs[i]}' WHERE session_id = '${c.session}' AND student_id = '${c.holder}'`);
      }),
  }),
];

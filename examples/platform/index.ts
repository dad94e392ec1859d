/**
 * A platform hosting many academies in one database: each academy is a PostgreSQL
 * schema of its own (`migrate(db, { schema })`) and is served by a scheduler bound to
 * it (`createScheduler({ db, schema })`). Runs on an in-process PGlite database:
 *
 *   npx tsx examples/platform/index.ts
 *
 * The scheduler runs on an injected clock, so the output is the same every time.
 * In your own service, import from `academy-scheduling` and `academy-scheduling/migrate`.
 */
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { createScheduler, isSchedulingError, type Actor, type Scheduler } from '../../src';
import { dropAcademy, listAcademies, migrate, migrateAcademies } from '../../src/migrate';
import { localTimeFormat } from '../shared/local-time';
import { isMainModule } from '../shared/main-module';

/** What each academy is made of; the schema name is the platform's key for the tenant. */
const ACADEMIES = [
  {
    schema: 'riverside_swim',
    name: 'Riverside Swim',
    timeZone: 'America/New_York',
    facility: 'Teaching pool',
    instructor: { firstName: 'Maya', lastName: 'Ortiz' },
    students: ['Ada', 'Ben', 'Cleo'],
    program: 'Swimming',
    course: 'Level 1',
    // A weekly class on Saturdays (day 6) at 10:00 in New York, for two children.
    class: { title: 'Level 1 – Saturday', daysOfWeek: [6], startTime: '10:00', endTime: '10:45', capacity: 2 },
  },
  {
    schema: 'hilltop_music',
    name: 'Hilltop Music',
    timeZone: 'Europe/London',
    facility: 'Piano room',
    instructor: { firstName: 'Clara', lastName: 'Wieck' },
    students: ['Felix', 'Fanny'],
    program: 'Piano',
    course: 'Beginners',
    // A weekly class on Tuesdays (day 2) at 18:00 in London.
    class: { title: 'Piano for beginners', daysOfWeek: [2], startTime: '18:00', endTime: '19:00', capacity: 4 },
  },
] as const;

type AcademyPlan = (typeof ACADEMIES)[number];

/** Sets an academy up through its own scheduler, as its admin screens would; returns its first class. */
async function setUpAcademy(scheduler: Scheduler, plan: AcademyPlan, log: (line: string) => void) {
  const { academy } = scheduler;
  // The same codes and e-mail in both academies: each schema has its own unique constraints.
  const office = await academy.createUser({ kind: 'system' }, { email: 'office@academy.example', role: 'admin' });
  const admin: Actor = { kind: 'admin', userId: office.id };
  const location = await academy.createLocation(admin, { code: 'MAIN', name: plan.name, timeZone: plan.timeZone });
  const facility = await academy.createFacility(admin, { locationId: location.id, code: 'ROOM-1', name: plan.facility, capacity: 10 });
  const instructor = await academy.createInstructor(admin, { ...plan.instructor, email: 'teacher@academy.example' });
  const program = await academy.createProgram(admin, { code: 'P1', name: plan.program });
  const course = await academy.createCourse(admin, { programId: program.id, code: 'C1', name: plan.course });
  const students = [];
  for (const firstName of plan.students) students.push(await academy.createStudent(admin, { firstName, lastName: 'Student' }));

  // A short weekly series, in the location's wall-clock time.
  const { title, daysOfWeek, startTime, endTime, capacity } = plan.class;
  const { pattern, sessions } = await scheduler.series.create(admin, {
    pattern: { name: title, patternType: 'weekly', daysOfWeek: [...daysOfWeek], startTime, endTime, startDate: '2030-01-07', endDate: '2030-01-31' },
    session: {
      programId: program.id,
      courseId: course.id,
      locationId: location.id,
      facilityId: facility.id,
      instructorId: instructor.id,
      sessionType: 'group',
      title,
      capacity,
    },
  });
  const local = localTimeFormat(location.timezone);
  const [first, last] = [sessions[0]!, sessions.at(-1)!];
  log(
    `${plan.name} (${location.timezone}): "${pattern.name}" with ${instructor.firstName} ${instructor.lastName}, ${sessions.length} classes, ` +
      `${local.day(first.startTime)} to ${local.day(last.startTime)}, ${local.range(first.startTime, first.endTime)}`,
  );

  // The front desk books every student into the first class; a full class queues the rest.
  const outcomes: string[] = [];
  for (const student of students) {
    const result = await scheduler.bookings.book(admin, { sessionId: first.id, studentId: student.id });
    outcomes.push(result.outcome === 'confirmed' ? `${student.firstName} confirmed` : `${student.firstName} waitlisted #${result.position}`);
  }
  log(`  Bookings on ${local.dayTime(first.startTime)}: ${outcomes.join(', ')}`);
  return { admin, firstSessionId: first.id };
}

/** Runs the platform's story on a fresh in-process database, logging each line, and closes the database. */
export async function runPlatform(log: (line: string) => void = console.log): Promise<void> {
  const client = await PGlite.create();
  const db = drizzle(client);
  try {
    log('== Two academies, one database ==');
    // 1. Each academy is a schema of its own. Idempotent: run it for every academy at every start.
    for (const { schema } of ACADEMIES) {
      const { applied } = await migrate(db, { schema });
      log(`Created ${schema}: ${applied.length} migrations applied`);
    }
    log(`Academies in the database: ${(await listAcademies(db)).join(', ')}`);

    log('');
    log('== One scheduler per academy ==');
    // 2. A scheduler bound to each schema; everything it reads and writes stays in that schema.
    const now = () => new Date('2030-01-07T12:00:00Z');
    const [swimPlan, musicPlan] = ACADEMIES;
    const riverside = createScheduler({ db, schema: swimPlan.schema, now });
    const hilltop = createScheduler({ db, schema: musicPlan.schema, now });
    const swim = await setUpAcademy(riverside, swimPlan, log);
    const music = await setUpAcademy(hilltop, musicPlan, log);

    log('');
    log('== Isolation ==');
    // 3. Each scheduler sees its own academy only: Hilltop's session id means nothing to Riverside's scheduler.
    const theirs = await hilltop.sessions.get(music.admin, { sessionId: music.firstSessionId });
    log(`${musicPlan.schema} reads its session "${theirs.title}": ${theirs.currentBookings}/${theirs.capacity} booked`);
    try {
      await riverside.sessions.get(swim.admin, { sessionId: music.firstSessionId });
      log(`${swimPlan.schema} could read a session of ${musicPlan.schema}!`);
    } catch (error) {
      if (!isSchedulingError(error, 'NOT_FOUND')) throw error;
      log(`${swimPlan.schema} asks for that session: ${error.code}`);
    }

    log('');
    log('== Upgrading every academy ==');
    // 4. At deploy time: every academy schema up to date, each in its own transaction. A schema
    //    that fails is reported with its error and does not stop the others.
    for (const outcome of await migrateAcademies(db)) {
      if (outcome.ok) log(`${outcome.schema}: ok, ${outcome.applied.length ? `applied ${outcome.applied.join(', ')}` : 'already up to date'}`);
      else log(`${outcome.schema}: failed, ${outcome.error.code}: ${outcome.error.message}`);
    }

    log('');
    log('== Removing an academy ==');
    // 5. Dropping a schema and all its data is guarded: `confirm` must repeat its name.
    try {
      await dropAcademy(db, { schema: musicPlan.schema, confirm: 'hilltop' });
    } catch (error) {
      if (!isSchedulingError(error, 'INVALID_INPUT')) throw error;
      log(`dropAcademy with confirm "hilltop": ${error.code}, nothing dropped`);
    }
    const { dropped } = await dropAcademy(db, { schema: musicPlan.schema, confirm: musicPlan.schema });
    log(`Dropped ${dropped}; academies left: ${(await listAcademies(db)).join(', ')}`);
  } finally {
    await client.close();
  }
}

if (isMainModule(import.meta.url)) {
  runPlatform().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

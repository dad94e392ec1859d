/**
 * `npm run demo`: a swim academy on an in-process PGlite database, no setup needed.
 *
 * Migrates a fresh database, creates a location (with its time zone), a pool, an
 * instructor and students, schedules a class, fills it, and shows the database
 * refusing an overbooking and a double-booked instructor. Output is deterministic.
 */
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { eq } from 'drizzle-orm';
import * as s from '../../src/schema';
import { migrate } from '../../src/migrate';
import { toSchedulingError } from '../../src/internal/database-errors';

export async function runQuickstart(log: (line: string) => void = console.log): Promise<void> {
  const client = await PGlite.create();
  const db = drizzle(client, { schema: s });
  try {
    const { applied } = await migrate(db);
    log(`Migrated a fresh PGlite database: ${applied.join(', ')}`);

    const [admin] = await db.insert(s.users).values({ email: 'office@dolphins.example', fullName: 'Front desk' }).returning();
    const [program] = await db.insert(s.programs).values({ code: 'SWIM', name: 'Swimming' }).returning();
    const [course] = await db.insert(s.courses).values({ programId: program!.id, code: 'SWIM-L1', name: 'Learn to swim, level 1' }).returning();
    const [site] = await db.insert(s.locations).values({ code: 'MAIN', name: 'Dolphins Swim School', timezone: 'America/New_York' }).returning();
    const [pool] = await db.insert(s.facilities).values({ locationId: site!.id, code: 'POOL1', name: 'Teaching pool', capacity: 12 }).returning();
    const [coach] = await db.insert(s.instructors).values({ email: 'john.coach@dolphins.example', firstName: 'John', lastName: 'Coach' }).returning();
    const kids = await db
      .insert(s.students)
      .values(['Ada', 'Ben', 'Cleo', 'Dev', 'Eli', 'Fay'].map((firstName) => ({ firstName, lastName: 'Swimmer' })))
      .returning();
    log(`Created ${site!.name} (${site!.timezone}), ${pool!.name}, coach ${coach!.firstName} and ${kids.length} students`);

    const base = {
      programId: program!.id, courseId: course!.id, locationId: site!.id, facilityId: pool!.id,
      instructorId: coach!.id, sessionType: 'group' as const, createdBy: admin!.id,
    };
    const [lesson] = await db
      .insert(s.sessions)
      .values({ ...base, title: 'Level 1 - Saturday', capacity: 5, startTime: new Date('2030-03-09T15:00:00Z'), endTime: new Date('2030-03-09T15:45:00Z') })
      .returning();
    log(`Scheduled "${lesson!.title}" 10:00-10:45 local, ${lesson!.capacity} places (id ${lesson!.sessionId.replace(/-\d{4}-/, '-YYYY-')})`);

    for (const kid of kids.slice(0, 5)) {
      await db.insert(s.sessionBookings).values({ sessionId: lesson!.id, studentId: kid.id });
    }
    const [full] = await db.select().from(s.sessions).where(eq(s.sessions.id, lesson!.id));
    log(`Booked 5 students: current_bookings=${full!.currentBookings}, available_spots=${full!.availableSpots}`);

    try {
      await db.insert(s.sessionBookings).values({ sessionId: lesson!.id, studentId: kids[5]!.id });
    } catch (error) {
      log(`6th booking refused: ${toSchedulingError(error).code}`);
    }
    try {
      await db.insert(s.sessions).values({ ...base, title: 'Level 2', capacity: 5, startTime: new Date('2030-03-09T15:30:00Z'), endTime: new Date('2030-03-09T16:15:00Z') });
    } catch (error) {
      const refusal = toSchedulingError(error);
      const clashes = (refusal.details.conflicting_session_ids as string[]).map((id) => (id === lesson!.id ? lesson!.title : id));
      log(`Overlapping class for the same coach refused: ${refusal.code} (clashes with "${clashes.join('", "')}")`);
    }
    const [next] = await db
      .insert(s.sessions)
      .values({ ...base, title: 'Level 2', capacity: 5, startTime: new Date('2030-03-09T15:45:00Z'), endTime: new Date('2030-03-09T16:30:00Z') })
      .returning();
    log(`Back-to-back class accepted: "${next!.title}" 10:45-11:30 local`);
  } finally {
    await client.close();
  }
}

const invokedDirectly = process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!);
if (invokedDirectly) {
  runQuickstart().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

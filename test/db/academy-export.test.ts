/**
 * Exporting one academy: `pg_dump --schema` of its schema, restored into another
 * database, is the whole academy (tables, rows, sequences, functions, triggers) and a
 * scheduler there carries on where it stopped. Real server only (pg_dump needs one).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../src';
import { migrate, migrationStatus } from '../../src/migrate';
import { currentTarget, useTestDatabase } from '../support/database';
import { RUN_PREFIX, databaseUrlFor, dropDatabase } from '../support/server';

const database = useTestDatabase();
const SCHEMA = 'academy_exported';

describe('an academy exported with pg_dump --schema', () => {
  it.runIf(currentTarget() === 'postgres')(
    'restores whole into another database, where its scheduler carries on',
    async () => {
      await migrate(database.db, { schema: SCHEMA });
      const scheduler = createScheduler({ db: database.db, schema: SCHEMA });
      const system = { kind: 'system' } as const;
      const admin = await scheduler.academy.createUser(system, { email: 'office@exported.test', role: 'admin' });
      const actor = { kind: 'admin', userId: admin.id } as const;
      const location = await scheduler.academy.createLocation(actor, { code: 'MAIN', name: 'Main', timeZone: 'Europe/London' });
      const facility = await scheduler.academy.createFacility(actor, { locationId: location.id, code: 'POOL', name: 'Pool', capacity: 10 });
      const program = await scheduler.academy.createProgram(actor, { code: 'SWIM', name: 'Swimming' });
      const course = await scheduler.academy.createCourse(actor, { programId: program.id, code: 'CLUB', name: 'Club' });
      const [ada, ben] = await Promise.all(['Ada', 'Ben'].map((firstName) => scheduler.academy.createStudent(actor, { firstName, lastName: 'L' })));
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
      await scheduler.bookings.book(actor, { sessionId: session.id, studentId: ada!.id });

      const dir = mkdtempSync(join(tmpdir(), 'academy-export-'));
      const target = `${RUN_PREFIX}_restored_${Math.random().toString(36).slice(2, 10)}`;
      const admin2 = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      await admin2.unsafe(`CREATE DATABASE "${target}"`);
      await admin2.end();
      const client = postgres(databaseUrlFor(target), { max: 2, onnotice: () => {} });
      try {
        const file = join(dir, 'academy.dump');
        execFileSync('pg_dump', ['--schema', SCHEMA, '--format', 'custom', '--file', file, database.url!]);
        execFileSync('pg_restore', ['--dbname', databaseUrlFor(target), file]);
        const db = drizzle(client);
        expect((await migrationStatus(db, { schema: SCHEMA })).upToDate).toBe(true);
        const restored = createScheduler({ db, schema: SCHEMA });
        const again = await restored.sessions.get(actor, { sessionId: session.id });
        expect([again.sessionId, again.currentBookings]).toEqual([session.sessionId, 1]);
        // Triggers and sequences came along: a new booking counts, a new session gets the next code.
        await restored.bookings.book(actor, { sessionId: session.id, studentId: ben!.id });
        const { session: next } = await restored.sessions.create(actor, {
          programId: program.id,
          courseId: course.id,
          locationId: location.id,
          facilityId: facility.id,
          sessionType: 'group',
          title: 'Swim 2',
          startTime: { date: '2031-03-04', time: '10:00' },
          endTime: { date: '2031-03-04', time: '11:00' },
        });
        expect(next.sessionId).not.toBe(session.sessionId);
        expect((await restored.sessions.get(actor, { sessionId: session.id })).currentBookings).toBe(2);
        expect(await restored.maintenance.verifyIntegrity(actor, {})).toEqual([]);
        // Only that academy came along.
        expect(await client`SELECT nspname FROM pg_namespace WHERE nspname IN ('scheduling', ${SCHEMA}) ORDER BY 1`).toEqual([{ nspname: SCHEMA }]);
      } finally {
        await client.end();
        await dropDatabase(target);
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

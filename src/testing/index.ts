/**
 * `academy-scheduling/testing`: a migrated in-process PGlite database for hosts' own
 * tests, in one line. The first call in a process creates and migrates a database
 * and keeps a snapshot of its data directory; every later call starts a new database
 * from that snapshot, several times faster than migrating again.
 *
 * Needs the optional peer dependency `@electric-sql/pglite`.
 */
import { PGlite } from '@electric-sql/pglite';
import { drizzle, type PgliteDatabase } from 'drizzle-orm/pglite';
import * as schema from '../schema';
import { readDataDirectorySnapshot, type DataDirectorySnapshot } from './data-directory';
import { openDataDirectory } from './snapshot-filesystem';

export type TestSchema = typeof schema;

export interface TestDatabase {
  /** A Drizzle database with the scheduling schema and relations. */
  db: PgliteDatabase<TestSchema>;
  /** The PGlite instance behind it. */
  client: PGlite;
  /** Closes the PGlite instance. */
  close(): Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /**
   * A data-directory snapshot to start from instead of the per-process one: what
   * `createMigratedSnapshot` returned, or the bytes of a file it was written to. An
   * uncompressed tar or a gzipped one (as earlier versions wrote) is accepted. A Blob is
   * read once per process; later calls with the same Blob reuse what was read.
   */
  snapshot?: Blob | Uint8Array;
  /**
   * More academies to create in the database, each in its own schema
   * (`migrate(db, { schema })`), besides `scheduling`: for a platform's tests with
   * several academies. Each costs a migration (a few seconds on PGlite); put them in
   * the snapshot instead (`createMigratedSnapshot({ academies })`) to pay once.
   * Schemas that exist already are left as they are.
   */
  academies?: readonly string[];
}

/** Options of {@link createMigratedSnapshot}. */
export interface CreateMigratedSnapshotOptions {
  /** Academy schemas to create besides `scheduling` (`migrate(db, { schema })` each). */
  academies?: readonly string[];
}

/**
 * Settings of every test database. PGlite's default 128 MB of shared buffers makes each
 * instance grow its WebAssembly memory to about 190 MB while starting, which costs more
 * than anything else in opening a database from a snapshot; its data directory is in
 * memory already, so a small buffer cache loses nothing.
 */
const TEST_DATABASE_SETTINGS = `ALTER SYSTEM SET shared_buffers = '16MB'`;

let processSnapshot: Promise<DataDirectorySnapshot> | undefined;

/**
 * The data directory of a freshly migrated database, as an uncompressed tar archive
 * (`dumpDataDir('none')`, about 40 MB; earlier versions returned it gzipped, and
 * `createTestDatabase` accepts both), to share between processes: write it to a file
 * and pass the file's bytes back as `snapshot`. It is taken right after a checkpoint, so
 * opening it replays next to no WAL, and it sets `shared_buffers` to 16 MB.
 *
 * @example
 * ```ts
 * import { readFile, writeFile } from 'node:fs/promises';
 * import { createMigratedSnapshot, createTestDatabase } from 'academy-scheduling/testing';
 *
 * const blob = await createMigratedSnapshot();
 * await writeFile('snapshot.tar', new Uint8Array(await blob.arrayBuffer()));
 * // later, in each test process:
 * const { db, close } = await createTestDatabase({ snapshot: await readFile('snapshot.tar') });
 * ```
 */
export async function createMigratedSnapshot(options: CreateMigratedSnapshotOptions = {}): Promise<Blob> {
  // Loaded here, not with the module: the migrations' SQL (about 160 KB) is needed only to
  // make a snapshot, never by a host that passes its own `snapshot` to createTestDatabase.
  const { migrate } = await import('../migrate');
  const client = await PGlite.create();
  try {
    await migrate(drizzle(client));
    for (const schema of options.academies ?? []) await migrate(drizzle(client), { schema });
    await client.exec(TEST_DATABASE_SETTINGS);
    await client.exec('CHECKPOINT');
    return await client.dumpDataDir('none');
  } finally {
    await client.close();
  }
}

/**
 * A fresh, migrated, isolated database. Without `snapshot`, the first call in a process
 * creates the process's snapshot (`createMigratedSnapshot`, a few seconds) and every
 * call opens a new database from it. Its academy is the `scheduling` schema; with
 * `academies`, more academies are created beside it (`createScheduler({ db, schema })`
 * for each, `academySchema(schema)` from `academy-scheduling/schema` for its tables).
 *
 * @example
 * ```ts
 * import { createTestDatabase } from 'academy-scheduling/testing';
 * import { createScheduler } from 'academy-scheduling';
 *
 * const { db, close } = await createTestDatabase();
 * const scheduler = createScheduler({ db });
 * // ... your test ...
 * await close();
 * ```
 */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const snapshot = options.snapshot ? await readDataDirectorySnapshot(options.snapshot) : await migratedProcessSnapshot();
  const client = await openDataDirectory(snapshot);
  const db = drizzle(client, { schema });
  if (options.academies?.length) {
    const { migrate } = await import('../migrate');
    try {
      for (const academy of options.academies) await migrate(db, { schema: academy });
    } catch (error) {
      await client.close();
      throw error;
    }
  }
  return { db, client, close: () => client.close() };
}

function migratedProcessSnapshot(): Promise<DataDirectorySnapshot> {
  processSnapshot ??= createMigratedSnapshot()
    .then(readDataDirectorySnapshot)
    .catch((error: unknown) => {
      processSnapshot = undefined; // let the next call try again
      throw error;
    });
  return processSnapshot;
}

/**
 * `academy-scheduling/testing` opened from a snapshot: every accepted form of snapshot
 * gives a migrated database, and databases opened from the same snapshot never see
 * each other's writes (the snapshot's bytes are copied, never handed to PGlite).
 */
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMigratedSnapshot, createTestDatabase, type TestDatabase } from '../../src/testing';
import { parseTar } from '../../src/testing/data-directory';
import { createScheduler } from '../../src';
import { listAcademies } from '../../src/migrate';

let snapshot: Blob;
let bytes: Buffer;

beforeAll(async () => {
  snapshot = await createMigratedSnapshot();
  bytes = Buffer.from(await snapshot.arrayBuffer());
});

async function countPolicies(database: TestDatabase): Promise<number> {
  const { rows } = await database.client.query<{ n: number }>('SELECT count(*)::int AS n FROM scheduling.capacity_policies');
  return rows[0]!.n;
}

describe('createTestDatabase from a snapshot', () => {
  it('createMigratedSnapshot returns an uncompressed tar of a checkpointed data directory', () => {
    expect(bytes.subarray(0, 2)).not.toEqual(Buffer.from([0x1f, 0x8b]));
    expect(parseTar(bytes).map((entry) => entry.path)).toEqual(expect.arrayContaining(['PG_VERSION', 'global/pg_control', 'postgresql.auto.conf']));
  });

  it('opens a migrated database from the Blob, with 16 MB of shared buffers', async () => {
    const database = await createTestDatabase({ snapshot });
    try {
      expect(await countPolicies(database)).toBe(3);
      const { rows } = await database.client.query<{ shared_buffers: string }>('SHOW shared_buffers');
      expect(rows[0]!.shared_buffers).toBe('16MB');
    } finally {
      await database.close();
    }
  });

  it('opens a migrated database from a gzipped snapshot, as earlier versions wrote', async () => {
    const database = await createTestDatabase({ snapshot: new Blob([gzipSync(bytes)]) });
    try {
      expect(await countPolicies(database)).toBe(3);
    } finally {
      await database.close();
    }
  });

  it('a database opened from a Buffer does not write into it: the next one starts clean', async () => {
    const before = Buffer.from(bytes);
    const first = await createTestDatabase({ snapshot: bytes });
    await first.client.exec(`INSERT INTO scheduling.users (email) VALUES ('first@example.com'); CHECKPOINT;`);
    await first.close();

    expect(bytes.equals(before)).toBe(true);
    const second = await createTestDatabase({ snapshot: bytes });
    try {
      const { rows } = await second.client.query<{ n: number }>('SELECT count(*)::int AS n FROM scheduling.users');
      expect(rows[0]!.n).toBe(0);
    } finally {
      await second.close();
    }
  });

  it('refuses bytes that are not a data-directory snapshot instead of opening an empty database', async () => {
    await expect(createTestDatabase({ snapshot: new Uint8Array(4096) })).rejects.toThrow('Not a data-directory snapshot');
  });

  it('creates more academies beside `scheduling` when asked, each usable by its own scheduler; a bad name closes nothing open', async () => {
    const database = await createTestDatabase({ snapshot: bytes, academies: ['academy_x'] });
    try {
      const scheduler = createScheduler({ db: database.db, schema: 'academy_x' });
      const user = await scheduler.academy.createUser({ kind: 'system' }, { email: 'x@academy-x.test', role: 'admin' });
      const { rows } = await database.client.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM academy_x.users WHERE id = '${user.id}')::int + (SELECT count(*) FROM scheduling.users)::int AS n`,
      );
      expect(rows[0]!.n).toBe(1);
      expect(await listAcademies(database.db)).toEqual(['academy_x', 'scheduling']);
    } finally {
      await database.close();
    }
    await expect(createTestDatabase({ snapshot: bytes, academies: ['Bad Name'] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    // In the snapshot instead, paid once.
    const withAcademies = await createTestDatabase({ snapshot: await createMigratedSnapshot({ academies: ['academy_y', 'academy_z'] }) });
    try {
      expect(await listAcademies(withAcademies.db)).toEqual(['academy_y', 'academy_z', 'scheduling']);
    } finally {
      await withAcademies.close();
    }
  }, 90_000);
});

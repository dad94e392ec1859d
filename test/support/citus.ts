/**
 * Where an academy lives on a Citus cluster, read from the coordinator's metadata, and
 * moving it (the Citus tier only: every query here needs the citus extension). An
 * academy made by `migrate(db, { schema })` on Citus is a distributed schema: all of its
 * tables are one tenant, colocated, their shards on one worker.
 */
import { sql } from 'drizzle-orm';
import type { TestDatabase } from './database';

/** A node of the cluster as `pg_dist_node` names it. */
export interface CitusNode {
  host: string;
  port: number;
}

/** How `citus_schema_move` copies the shards (`citus.shard_transfer_mode`). */
export type ShardTransferMode = 'auto' | 'force_logical' | 'block_writes';

export const nodeName = (node: CitusNode) => `${node.host}:${node.port}`;

/** The workers that may hold shards (active primaries outside the coordinator's group 0), by port. */
export async function shardWorkers(database: TestDatabase): Promise<CitusNode[]> {
  const rows = await database.query<{ host: string; port: number }>(
    `SELECT nodename AS host, nodeport AS port FROM pg_dist_node
     WHERE isactive AND noderole = 'primary' AND shouldhaveshards AND groupid <> 0 ORDER BY nodeport`,
  );
  return rows.map((r) => ({ host: r.host, port: Number(r.port) }));
}

/**
 * The nodes holding the shards of `schema`'s tables, from `citus_shards` (one row per
 * shard placement): the tables of the schema are picked by their namespace, not by the
 * text of their name (which drops the schema when it is on the search_path).
 */
export async function placementOf(database: TestDatabase, schema: string): Promise<CitusNode[]> {
  const rows = await database.query<{ host: string; port: number }>(
    sql`SELECT DISTINCT s.nodename AS host, s.nodeport AS port
        FROM citus_shards s JOIN pg_class c ON c.oid = s.table_name
        WHERE s.citus_table_type = 'schema' AND c.relnamespace = ${schema}::regnamespace
        ORDER BY port`,
  );
  return rows.map((r) => ({ host: r.host, port: Number(r.port) }));
}

/** How many of `schema`'s tables are shards of its tenant (every one of them, once distributed). */
export async function schemaShardCount(database: TestDatabase, schema: string): Promise<{ tables: number; shards: number }> {
  const [row] = await database.query<{ tables: number; shards: number }>(
    sql`SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = ${schema}::regnamespace AND relkind IN ('r', 'p'))::int AS tables,
               (SELECT count(*) FROM citus_shards s JOIN pg_class c ON c.oid = s.table_name
                 WHERE s.citus_table_type = 'schema' AND c.relnamespace = ${schema}::regnamespace)::int AS shards`,
  );
  return { tables: Number(row!.tables), shards: Number(row!.shards) };
}

/** The one worker `schema` lives on; fails when its shards are not all on one node. */
export async function workerOf(database: TestDatabase, schema: string): Promise<CitusNode> {
  const nodes = await placementOf(database, schema);
  if (nodes.length !== 1) throw new Error(`${schema} is on ${nodes.length} nodes: ${nodes.map(nodeName).join(', ')}`);
  return nodes[0]!;
}

/**
 * The placements of `schema`'s shards an earlier move left behind, still waiting in
 * `pg_dist_cleanup` to be dropped (Citus drops a moved shard's old copy later: its
 * maintenance daemon every `citus.defer_shard_delete_interval`, or the next move).
 */
export async function orphansOf(database: TestDatabase, schema: string): Promise<number> {
  const [row] = await database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM pg_dist_cleanup WHERE object_name LIKE ${`${schema}.%`}`);
  return Number(row!.n);
}

/**
 * Drops what earlier moves of `schema` left behind, waiting for it if need be. A move
 * first drops the orphans itself, but skips those whose drop someone else is running —
 * the maintenance daemon — and then refuses to move a shard with an orphan left
 * (XX000 `shard move failed as the orphaned shard … leftover from the previous move
 * could not be cleaned up`): moving an academy back to a worker it just left fails when
 * the daemon is dropping its old shards at that moment.
 */
export async function dropOrphansOf(database: TestDatabase, schema: string, timeoutMs = 20_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if ((await orphansOf(database, schema)) === 0) return;
    if (performance.now() > deadline) throw new Error(`orphaned shards of ${schema} not dropped within ${timeoutMs} ms`);
    // Drops every orphan whose operation no one else is cleaning up; cannot run in a transaction block.
    await database.query('CALL citus_cleanup_orphaned_resources()');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Moves `schema` (every shard of its tenant) to `to` with `citus_schema_move(schema,
 * host, port, shard_transfer_mode)`, once the orphans of earlier moves are dropped;
 * returns how long the move itself took, in ms.
 */
export async function moveSchema(database: TestDatabase, schema: string, to: CitusNode, mode: ShardTransferMode): Promise<number> {
  await dropOrphansOf(database, schema);
  const started = performance.now();
  await database.query(
    sql`SELECT citus_schema_move(${schema}::regnamespace, ${to.host}, ${to.port}, shard_transfer_mode => ${mode}::citus.shard_transfer_mode)`,
  );
  return Math.round(performance.now() - started);
}

/** The shard worker that `schema` is not on (the cluster has two). */
export async function otherWorker(database: TestDatabase, schema: string): Promise<CitusNode> {
  const here = await workerOf(database, schema);
  const others = (await shardWorkers(database)).filter((node) => node.port !== here.port || node.host !== here.host);
  if (others.length === 0) throw new Error(`no shard worker but ${nodeName(here)}`);
  return others[0]!;
}

/**
 * The tables of `schema` without a replica identity (no primary key, no REPLICA IDENTITY
 * index or FULL): with one, `citus_schema_move(…, shard_transfer_mode => 'auto')` refuses
 * to move by logical replication and 'block_writes' is needed.
 */
export async function tablesWithoutReplicaIdentity(database: TestDatabase, schema: string): Promise<string[]> {
  const rows = await database.query<{ name: string }>(
    sql`SELECT c.relname AS name FROM pg_class c
        WHERE c.relnamespace = ${schema}::regnamespace AND c.relkind IN ('r', 'p')
          AND NOT (c.relreplident = 'f'
                   OR (c.relreplident = 'd' AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary))
                   OR (c.relreplident = 'i' AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident)))
        ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

/**
 * Helpers for the real PostgreSQL server named by DATABASE_URL. On the Citus tier
 * (TEST_DB_CLUSTER=citus) DATABASE_URL names the coordinator of a Citus cluster, and a
 * database is a database on every node: CREATE and DROP DATABASE are not propagated by
 * Citus, so these helpers run them on each node themselves.
 */
import postgres from 'postgres';

/** Every database a test run creates starts with this, so leftovers are recognisable. */
export const RUN_PREFIX = `acsched_${process.pid}`;

export type Cluster = 'postgres' | 'citus';

/**
 * Which server the helpers work on. Test workers get their project's env, so the default
 * (DATABASE_URL, TEST_DB_CLUSTER) is right there; the global setup runs in vitest's main
 * process, whose env is not the project's, so it passes both explicitly.
 */
export interface Server {
  /** The server, or the Citus coordinator; its database part is only an admin database. */
  url?: string;
  cluster?: Cluster;
}

interface ResolvedServer {
  url: string;
  cluster: Cluster;
}

function resolve(server: Server = {}): ResolvedServer {
  const url = server.url ?? process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  return { url, cluster: server.cluster ?? (process.env.TEST_DB_CLUSTER === 'citus' ? 'citus' : 'postgres') };
}

/** One PostgreSQL server of the cluster: the coordinator or a worker. */
export interface ClusterNode {
  host: string;
  port: number;
  coordinator: boolean;
}

/** `url` pointed at another node and database (user and password stay). */
function urlOf(url: string, database: string, node?: ClusterNode): string {
  const next = new URL(url);
  if (node) {
    next.hostname = node.host;
    next.port = String(node.port);
  }
  next.pathname = `/${database}`;
  return next.toString();
}

/** DATABASE_URL (on Citus: the coordinator's) with its database name replaced. */
export function databaseUrlFor(database: string, server?: Server): string {
  return urlOf(resolve(server).url, database);
}

const nodesByUrl = new Map<string, Promise<ClusterNode[]>>();

/**
 * The nodes a database must exist on, coordinator first: just the server on plain
 * PostgreSQL. On Citus, the active primaries of `pg_dist_node` when the URL's own
 * database is Citus-enabled (as CI's is: `citus-cluster up` makes it so); otherwise the
 * layout of ../shared/tools/citus-cluster: the coordinator's port p and workers on p+1
 * and p+2, same host. (The migrated template cannot be asked: it refuses connections.)
 */
export function clusterNodes(server?: Server): Promise<ClusterNode[]> {
  const { url, cluster } = resolve(server);
  const coordinatorUrl = new URL(url);
  const host = coordinatorUrl.hostname;
  const port = Number(coordinatorUrl.port || 5432);
  if (cluster === 'postgres') return Promise.resolve([{ host, port, coordinator: true }]);
  let nodes = nodesByUrl.get(url);
  if (!nodes) {
    nodes = (async () => {
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const [row] = await admin<{ citus: boolean }[]>`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS citus`;
        if (row?.citus) {
          const rows = await admin<{ nodename: string; nodeport: number; groupid: number }[]>`
            SELECT nodename, nodeport, groupid FROM pg_dist_node
            WHERE isactive AND noderole = 'primary' ORDER BY groupid, nodeport`;
          // citus_set_coordinator_host() puts the coordinator in group 0; without it, we know it by the URL.
          const found = rows.map((r) => ({ host: r.nodename, port: r.nodeport, coordinator: r.groupid === 0 }));
          const workers = found.filter((n) => !n.coordinator);
          if (workers.length > 0) return [{ host, port, coordinator: true }, ...workers];
        }
      } finally {
        await admin.end();
      }
      return [0, 1, 2].map((i) => ({ host, port: port + i, coordinator: i === 0 }));
    })();
    nodesByUrl.set(url, nodes);
    nodes.catch(() => nodesByUrl.delete(url));
  }
  return nodes;
}

/** Runs `work` with an admin connection (to the `postgres` database) on `node`. */
async function onNode<T>(url: string, node: ClusterNode, work: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(urlOf(url, 'postgres', node), { max: 1, onnotice: () => {} });
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * Runs `work` on every node's `postgres` database: on plain PostgreSQL, once. The
 * coordinator goes first, then the workers together.
 */
export async function onEveryNode<T>(work: (admin: postgres.Sql, node: ClusterNode) => Promise<T>, server?: Server): Promise<T[]> {
  const { url } = resolve(server);
  const [coordinator, ...workers] = await clusterNodes(server);
  const first = await onNode(url, coordinator!, (admin) => work(admin, coordinator!));
  // Every worker finishes (or fails) before this returns, so a caller's clean-up races nothing.
  const rest = await Promise.allSettled(workers.map((node) => onNode(url, node, (admin) => work(admin, node))));
  const failed = rest.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return [first, ...rest.map((r) => (r as PromiseFulfilledResult<T>).value)];
}

/** Drops `name` (on Citus, on every node), whoever is connected to it. */
export async function dropDatabase(name: string, server?: Server): Promise<void> {
  await onEveryNode(async (admin) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        return;
      } catch (error) {
        // FORCE waits 5 s for the sessions it ends; a Citus background worker just starting
        // in that database can outlast that ("being accessed by other users"): again.
        if ((error as { code?: string }).code !== '55006' || attempt >= 5) throw error;
      }
    }
  }, server);
}

/**
 * An empty database, ready for migrate(): on plain PostgreSQL just CREATE DATABASE. On
 * Citus, created on every node with the extension in each, and on the coordinator the
 * coordinator and the workers registered (as `citus-cluster up DB` does).
 */
export async function createClusterDatabase(name: string, server?: Server): Promise<void> {
  const { url, cluster } = resolve(server);
  await onEveryNode((admin) => admin.unsafe(`CREATE DATABASE "${name}"`), server);
  if (cluster === 'postgres') return;
  try {
    const nodes = await clusterNodes(server);
    const inDatabase = async (node: ClusterNode, work: (client: postgres.Sql) => Promise<unknown>) => {
      const client = postgres(urlOf(url, name, node), { max: 1, onnotice: () => {} });
      try {
        await work(client);
      } finally {
        await client.end();
      }
    };
    // The extension everywhere first: registering a worker runs Citus functions on it.
    await Promise.all(nodes.map((node) => inDatabase(node, (client) => client`CREATE EXTENSION IF NOT EXISTS citus`)));
    const coordinator = nodes.find((node) => node.coordinator)!;
    await inDatabase(coordinator, async (client) => {
      await client`SELECT citus_set_coordinator_host(${coordinator.host}, ${coordinator.port})`;
      for (const worker of nodes.filter((node) => !node.coordinator)) await client`SELECT citus_add_node(${worker.host}, ${worker.port})`;
    });
  } catch (error) {
    await dropDatabase(name, server).catch(() => undefined);
    throw error;
  }
}

/**
 * A new database copied from the migrated template. On Citus the template exists on
 * every node (metadata on the coordinator, shards on the workers) and refuses
 * connections, so that Citus's maintenance daemon does not hold it open: a copy on each
 * node is a consistent Citus database.
 */
export async function createDatabaseFromTemplate(template: string, server?: Server): Promise<string> {
  const name = `${template.replace(/_tpl_.*$/, '')}_${Math.random().toString(36).slice(2, 10)}`;
  try {
    await onEveryNode(async (admin, node) => {
      // Copies from one template can collide when they start at the same instant; retry briefly.
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
          // As docs/scale-out.md asks of a host on Citus: a SET LOCAL (the tests' own
          // overrides and actors) reaches the triggers on the workers. A database's
          // settings are not copied from its template.
          if (node.coordinator && resolve(server).cluster === 'citus') {
            await admin.unsafe(`ALTER DATABASE "${name}" SET citus.propagate_set_commands = 'local'`);
          }
          return;
        } catch (error) {
          if (attempt >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
        }
      }
    }, server);
  } catch (error) {
    // On Citus some nodes may have their copy already.
    if (resolve(server).cluster === 'citus') await dropDatabase(name, server).catch(() => undefined);
    throw error;
  }
  return name;
}

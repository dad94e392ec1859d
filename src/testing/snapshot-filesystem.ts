/**
 * Opens a PGlite database on an in-memory copy of a data-directory snapshot, doing as
 * little per database as PGlite allows:
 * - the data directory is written straight into PGlite's in-memory file system from
 *   the parsed archive, with one copy of its bytes, instead of through `loadDataDir`
 *   (which reads the Blob, untars it into per-file copies and copies each file again);
 * - `pglite.data` (PGlite's share/ files, 6 MB) is kept from the first database of the
 *   process and handed to every later one, instead of being read from disk each time.
 *   PGlite itself already keeps its compiled WebAssembly modules per process.
 */
import { MemoryFS, PGlite, type PGliteOptions } from '@electric-sql/pglite';
import type { DataDirectorySnapshot } from './data-directory';

/** Where PGlite keeps PGDATA in its file system. */
const PGDATA = '/pglite/data';

/** The two calls of Emscripten's FS we need (its typings omit `canOwn`). */
interface EmscriptenFs {
  mkdirTree(path: string): void;
  writeFile(path: string, data: Uint8Array, options: { canOwn: boolean }): void;
}

type EmscriptenOptions = Parameters<MemoryFS['init']>[1] & {
  getPreloadedPackage?: (name: string, size: number) => ArrayBuffer;
};

/** `pglite.data` as the first database of the process loaded it. */
let keptFsBundle: ArrayBuffer | undefined;

/** An in-memory file system whose data directory starts as the snapshot. */
class SnapshotFilesystem extends MemoryFS {
  #client: PGlite | undefined;
  /** Set once PGlite has let us fill the data directory. */
  restored = false;

  constructor(private readonly snapshot: DataDirectorySnapshot) {
    super();
  }

  override async init(pg: PGlite, emscriptenOptions: EmscriptenOptions) {
    this.#client = pg;
    const { emscriptenOpts } = await super.init(pg, emscriptenOptions);
    return { emscriptenOpts: keepingFsBundle(emscriptenOpts) };
  }

  /** PGlite calls this once its file system is up and before it looks for PGDATA. */
  override async initialSyncFs() {
    await super.initialSyncFs();
    writeDataDirectory(this.#client!.Module.FS as unknown as EmscriptenFs, this.snapshot);
    this.restored = true;
  }
}

function writeDataDirectory(fs: EmscriptenFs, snapshot: DataDirectorySnapshot): void {
  // One copy per database, whose pieces the in-memory files then own (`canOwn`): Postgres
  // writes into them in place, so the snapshot itself must never be handed over. (Not
  // `tar.slice()`: on a Node Buffer that is a view, not a copy.)
  const bytes = new Uint8Array(snapshot.tar);
  const made = new Set<string>();
  const mkdir = (path: string) => {
    if (made.has(path)) return;
    fs.mkdirTree(path);
    made.add(path);
  };
  mkdir(PGDATA);
  for (const entry of snapshot.entries) {
    const path = `${PGDATA}/${entry.path}`;
    if (entry.kind === 'directory') {
      mkdir(path);
    } else {
      mkdir(path.slice(0, path.lastIndexOf('/')));
      fs.writeFile(path, bytes.subarray(entry.start, entry.end), { canOwn: true });
    }
  }
}

/** Keeps a copy of `pglite.data` when PGlite hands it to Emscripten. */
function keepingFsBundle(options: EmscriptenOptions): EmscriptenOptions {
  const load = options.getPreloadedPackage;
  if (keptFsBundle || !load) return options;
  return {
    ...options,
    getPreloadedPackage: (name, size) => {
      const bundle = load(name, size);
      if (name === 'pglite.data') keptFsBundle ??= bundle.slice(0);
      return bundle;
    },
  };
}

/**
 * The kept `pglite.data` as PGlite's `fsBundle` option. PGlite only calls `arrayBuffer()`
 * on it; a real Blob would copy the 6 MB through a stream on every call. Each database
 * gets its own copy, because Emscripten's in-memory files take the bytes without copying.
 */
function keptFsBundleOption(): Pick<PGliteOptions, 'fsBundle'> {
  const bundle = keptFsBundle;
  if (!bundle) return {};
  const source: Pick<Blob, 'arrayBuffer'> = { arrayBuffer: async () => bundle.slice(0) };
  return { fsBundle: source as Blob };
}

/**
 * A new PGlite database whose data directory is a copy of `snapshot`.
 *
 * @internal
 */
export async function openDataDirectory(snapshot: DataDirectorySnapshot): Promise<PGlite> {
  const fs = new SnapshotFilesystem(snapshot);
  const client = await PGlite.create({ fs, ...keptFsBundleOption() });
  if (fs.restored && (await hasSnapshotData(client))) return client;
  // A PGlite that does not fill PGDATA through its file system's initialSyncFs, or keeps
  // PGDATA somewhere else, has created an empty database instead: load the snapshot the
  // documented way.
  await client.close();
  return PGlite.create({ loadDataDir: new Blob([snapshot.tar], { type: 'application/x-tar' }) });
}

/** Whether the database is the snapshot's rather than a fresh, empty one: it has tables of its own. */
async function hasSnapshotData(client: PGlite): Promise<boolean> {
  const { rows } = await client.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')) AS found`,
  );
  return rows[0]?.found === true;
}

/**
 * A PGlite data directory held in memory: the tar archive `dumpDataDir('none')` writes,
 * plus where each file lies in it, so a new database can be filled from it without
 * unpacking the archive again.
 */

/** A directory, or a file whose bytes are `tar.subarray(start, end)`. */
export interface DataDirectoryEntry {
  /** Relative to the data directory, without a leading slash. */
  path: string;
  kind: 'directory' | 'file';
  start: number;
  end: number;
}

export interface DataDirectorySnapshot {
  /** The uncompressed tar archive; never written to. */
  tar: Uint8Array;
  entries: DataDirectoryEntry[];
}

const BLOCK = 512;

/** Blobs are immutable, so each one is read (and decompressed) once per process. */
const readBlobs = new WeakMap<Blob, Promise<DataDirectorySnapshot>>();

/**
 * Reads a data-directory snapshot: a tar archive, plain or gzipped (as `createMigratedSnapshot`
 * wrote it before it stopped compressing), from a Blob or from bytes (e.g. a file's contents).
 *
 * @internal
 */
export function readDataDirectorySnapshot(source: Blob | Uint8Array): Promise<DataDirectorySnapshot> {
  if (source instanceof Uint8Array) return fromBytes(source);
  let read = readBlobs.get(source);
  if (!read) {
    read = source.arrayBuffer().then((buffer) => fromBytes(new Uint8Array(buffer)));
    readBlobs.set(source, read);
  }
  return read;
}

async function fromBytes(bytes: Uint8Array): Promise<DataDirectorySnapshot> {
  const tar = isGzip(bytes) ? await gunzip(bytes) : bytes;
  return { tar, entries: parseTar(tar) };
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The entries of a ustar archive (what PGlite's `dumpDataDir` writes). Like PGlite's own
 * `loadTar`, it keeps regular files and directories and skips other entry types.
 *
 * @internal
 */
export function parseTar(tar: Uint8Array): DataDirectoryEntry[] {
  const entries: DataDirectoryEntry[] = [];
  let offset = 0;
  // The archive ends with zero blocks; an entry's name is never empty.
  while (offset + BLOCK <= tar.length && tar[offset] !== 0) {
    const name = text(tar, offset, 100);
    const prefix = text(tar, offset + 257, 6).startsWith('ustar') ? text(tar, offset + 345, 155) : '';
    const size = Number.parseInt(text(tar, offset + 124, 12).trim() || '0', 8);
    if (!Number.isSafeInteger(size) || size < 0) throw new Error(`Not a data-directory snapshot: bad tar header at byte ${offset}`);
    const type = String.fromCharCode(tar[offset + 156] ?? 0);
    const start = offset + BLOCK;
    const path = (prefix ? `${prefix}/${name}` : name).replace(/^(\.?\/)+/, '').replace(/\/+$/, '');
    if (path && (type === '5' || type === '0' || type === '\0')) {
      entries.push({ path, kind: type === '5' ? 'directory' : 'file', start, end: start + size });
    }
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  // Without it PGlite would quietly create an empty, unmigrated database instead.
  if (!entries.some((entry) => entry.path === 'PG_VERSION')) throw new Error('Not a data-directory snapshot: the archive has no PG_VERSION');
  return entries;
}

const decoder = new TextDecoder();

/** A NUL-terminated header field. */
function text(tar: Uint8Array, offset: number, length: number): string {
  const field = tar.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return decoder.decode(end === -1 ? field : field.subarray(0, end));
}

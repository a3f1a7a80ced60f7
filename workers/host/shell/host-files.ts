/**
 * Files the learner's commands write on the host (pktcap-uw -o): kept in the host's state as
 * base64 chunks, one per write, so appending a packet does not copy the whole file. Only a
 * few scratch folders are writable, and sizes are bounded so a forgotten capture cannot grow
 * the lab document without end.
 */
import { fromBase64, toBase64 } from '../../protocol/bytes';

export const WRITABLE_DIRS = ['/', '/tmp', '/scratch'];
const MAX_FILES = 16;
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export type HostFiles = Record<string, { chunks: string[]; size: number }>;

/** `x.pcap` → `/x.pcap` (root's home on ESXi is `/`); an error text when the path cannot be written. */
export function resolveWritable(path: string, files: HostFiles, tool: string): { path: string } | { error: string } {
  const abs = path.startsWith('/') ? path : `/${path}`;
  if (abs.length > 255 || !/^[\w./-]+$/.test(abs) || abs.endsWith('/') || abs.split('/').includes('..')) return { error: `${tool}: invalid file name '${path}'` };
  const dir = abs.slice(0, abs.lastIndexOf('/')) || '/';
  if (!WRITABLE_DIRS.includes(dir)) return { error: `${tool}: can't open '${abs}': No such file or directory (the lab's writable folders are ${WRITABLE_DIRS.join(', ')})` };
  if (!files[abs] && Object.keys(files).length >= MAX_FILES) return { error: `${tool}: can't create '${abs}': the lab keeps at most ${MAX_FILES} files per host; remove one with rm` };
  return { path: abs };
}

export function writeFile(files: HostFiles, path: string, bytes: Uint8Array): void {
  files[path] = { chunks: [toBase64(bytes)], size: bytes.length };
}

/** Appends, or returns false when the file would pass MAX_FILE_BYTES. */
export function appendFile(files: HostFiles, path: string, bytes: Uint8Array): boolean {
  const f = files[path];
  if (!f) return false;
  if (f.size + bytes.length > MAX_FILE_BYTES) return false;
  f.chunks.push(toBase64(bytes));
  f.size += bytes.length;
  return true;
}

export function readFile(files: HostFiles, path: string): Uint8Array | undefined {
  const f = files[path.startsWith('/') ? path : `/${path}`];
  if (!f) return undefined;
  const parts = f.chunks.map(fromBase64);
  const out = new Uint8Array(f.size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

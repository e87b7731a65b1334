// The snapshot manifest: what one snapshot holds (files by content hash, symlinks, folders) and how it is validated on read.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

export const MANIFEST_VERSION = 1;

/** A workspace-relative path as stored: `/`-separated, no `.`/`..` segments, not absolute, no NUL. */
const relativePath = z.string().refine(isSafeRelativePath, { message: 'not a safe workspace-relative path' });
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'not a sha256 hex digest');
const mode = z.number().int().min(0).max(0o7777);

const fileEntry = z.object({ path: relativePath, sha256, size: z.number().int().min(0), mode, mtimeMs: z.number() });
const symlinkEntry = z.object({ path: relativePath, target: z.string() });
const directoryEntry = z.object({ path: relativePath, mode, isEmpty: z.boolean() });
const skippedEntry = z.object({ path: relativePath, type: z.string() });

export const manifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  id: z.string().regex(/^\d{8}T\d{9}Z-[0-9a-f]{8}$/),
  time: z.string(),
  workspaceRoot: z.string(),
  operation: z.string(),
  source: z.string(),
  reason: z.string().optional(),
  /** The paths the caller asked for, workspace-relative (`''` is the workspace itself). */
  paths: z.array(z.string()),
  /** Requested paths that did not exist. */
  missing: z.array(z.string()),
  files: z.array(fileEntry),
  symlinks: z.array(symlinkEntry),
  /** Every folder under the requested paths, empty ones included, so a restore recreates the tree as it was. */
  directories: z.array(directoryEntry),
  /** Sockets, FIFOs and devices: recorded, never read (reading a FIFO would block). */
  skipped: z.array(skippedEntry),
  /** Sum of the files' sizes (what a restore writes), not what the store spends after deduplication. */
  totalBytes: z.number().int().min(0),
});

export type SnapshotManifest = z.infer<typeof manifestSchema>;
export type ManifestFile = z.infer<typeof fileEntry>;
export type ManifestSymlink = z.infer<typeof symlinkEntry>;
export type ManifestDirectory = z.infer<typeof directoryEntry>;

/** A new snapshot id: a UTC timestamp that sorts as text (`20250101T120000123Z`) and 8 random hex digits. */
export function newSnapshotId(time: Date): string {
  const iso = time.toISOString(); // 2025-01-01T12:00:00.123Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}${iso.slice(20, 23)}Z`;
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

export function isSnapshotId(text: string): boolean {
  return /^\d{8}T\d{9}Z-[0-9a-f]{8}$/.test(text);
}

export function manifestFileName(id: string): string {
  return `${id}.json`;
}

/** Validates a manifest read from disk; the message says what is wrong, for the corrupt-manifest result. */
export function parseManifest(text: string): { ok: true; manifest: SnapshotManifest } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `not valid JSON (${(error as Error).message})` };
  }
  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, message: `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, manifest: result.data };
}

/** True for `a/b.txt` and `''` (the workspace itself); false for absolute paths, `..`, `.`, empty segments and NUL. */
export function isSafeRelativePath(p: string): boolean {
  if (p === '') return true;
  if (p.includes('\0') || p.startsWith('/') || /^[A-Za-z]:/.test(p)) return false;
  return p.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

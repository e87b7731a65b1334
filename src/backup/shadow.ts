// Shadow copies of protected files: keeps the current content of every protected file in the backup store, so a
// deletion from outside VS Code (a terminal we do not see, another program) stays recoverable.
import fsp = require('node:fs/promises');
import path = require('node:path');
import { minimatch } from 'minimatch';
import { z } from 'zod';
import type { BackupStore, Collected } from './backup-store.js';
import { errorCode, errorMessage, writeFileAtomic } from './fs-utils.js';
import type { BackupFailure } from './results.js';

export interface ShadowOptions {
  /** Stop walking the workspace after this many entries (the result says `truncated`); default 200 000. */
  readonly maxEntries?: number;
  /** Folder names never walked into; default `.git` and `node_modules`. */
  readonly skipFolders?: readonly string[];
}

export type ShadowResult =
  | {
    readonly ok: true;
    /** The snapshot holding the changed files; undefined when nothing changed. */
    readonly snapshotId: string | undefined;
    /** Protected files whose content changed since the last shadow (or that are new), now backed up. */
    readonly changed: readonly string[];
    /** How many protected files were unchanged. */
    readonly unchanged: number;
    /** Protected files that are gone since the last shadow, with the snapshot that holds their last content. */
    readonly removed: readonly { readonly path: string; readonly snapshotId: string }[];
    /** True when the walk stopped at `maxEntries`; files beyond were not looked at. */
    readonly truncated: boolean;
  }
  | BackupFailure;

const stateSchema = z.object({
  version: z.literal(1),
  workspaceRoot: z.string(),
  files: z.record(z.string(), z.object({ size: z.number(), mtimeMs: z.number(), sha256: z.string(), snapshotId: z.string() })),
  /**
   * Protected files found gone (deleted, or no longer protected), with the snapshot holding their last content and when
   * that was noticed (ms): retention keeps that snapshot for `keepDays` from then (retention.ts).
   */
  gone: z.record(z.string(), z.object({ snapshotId: z.string(), atMs: z.number() })).optional(),
});
type ShadowState = z.infer<typeof stateSchema>;

const STATE_FILE = 'shadow-state.json';

/**
 * Backs up the protected files (policy `protectedPaths` globs, workspace-relative) whose content changed since the
 * last call. Cheap when nothing changed: a file whose size and mtime match the last shadow is not read; one whose
 * size or mtime changed is hashed, and only a different hash makes it part of the new snapshot.
 */
export async function shadowSync(store: BackupStore, workspaceRoot: string, protectedGlobs: readonly string[], options: ShadowOptions = {}): Promise<ShadowResult> {
  return store.exclusive(async () => {
    await store.ensureLayout();
    const root = path.resolve(workspaceRoot);
    const statePath = path.join(store.root, STATE_FILE);
    const state = await readState(statePath, root);
    const matchers = protectedGlobs.map(compileProtectedGlob).filter((m): m is RegExp => m !== undefined);
    const skip = new Set(options.skipFolders ?? ['.git', 'node_modules']);
    const found = new Map<string, { abs: string; size: number; mode: number; mtimeMs: number }>();
    let truncated = false;
    let visited = 0;
    const maxEntries = options.maxEntries ?? 200_000;

    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await fsp.readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (errorCode(error) === 'ENOENT' || errorCode(error) === 'EACCES') return;
        throw error;
      }
      for (const entry of entries) {
        if (truncated) return;
        visited += 1;
        if (visited > maxEntries) { truncated = true; return; }
        const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
        const childAbs = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!skip.has(entry.name)) await walk(childAbs, childRel);
        } else if (entry.isFile() && isProtectedRelative(childRel, matchers)) {
          const stat = await fsp.lstat(childAbs).catch(() => undefined);
          if (stat?.isFile()) found.set(childRel, { abs: childAbs, size: stat.size, mode: stat.mode & 0o7777, mtimeMs: stat.mtimeMs });
        }
      }
    };
    try {
      if (matchers.length > 0) await walk(root, '');
    } catch (error) {
      return { ok: false, reason: 'io-error', path: root, code: errorCode(error), message: `Could not look for protected files in ${root}: ${errorMessage(error)}.` };
    }

    // Only files whose size or mtime moved are read; the rest are unchanged without a read.
    const candidates: Collected = { files: new Map(), symlinks: new Map(), directories: new Map(), skipped: new Map(), requested: [], missing: [] };
    let unchanged = 0;
    for (const [rel, file] of found) {
      const previous = state.files[rel];
      if (previous && previous.size === file.size && previous.mtimeMs === file.mtimeMs) unchanged += 1;
      else candidates.files.set(rel, file);
    }
    const removed: { path: string; snapshotId: string }[] = [];
    const gone = state.gone ?? {};
    let isGoneChanged = false;
    if (!truncated) {
      const nowMs = store.currentTime().getTime();
      for (const [rel, previous] of Object.entries(state.files)) {
        if (!found.has(rel)) {
          removed.push({ path: rel, snapshotId: previous.snapshotId });
          gone[rel] = { snapshotId: previous.snapshotId, atMs: nowMs };
          delete state.files[rel];
          isGoneChanged = true;
        }
      }
    }
    for (const rel of found.keys()) if (Object.hasOwn(gone, rel)) { delete gone[rel]; isGoneChanged = true; }
    // Entries whose snapshot retention has removed are of no further use.
    for (const [rel, entry] of Object.entries(gone)) if (!store.hasSnapshot(entry.snapshotId)) { delete gone[rel]; isGoneChanged = true; }
    state.gone = gone;

    let snapshotId: string | undefined;
    const changed: string[] = [];
    if (candidates.files.size > 0) {
      const isChanged = (f: { path: string; sha256: string }): boolean => state.files[f.path]?.sha256 !== f.sha256;
      const { result, staged } = await store.stageAndCommit({ workspaceRoot: root, paths: [], operation: 'shadow', source: 'shadow', reason: 'protected files changed' }, candidates, isChanged);
      if (result !== undefined && !result.ok) return result;
      snapshotId = result?.snapshot.id;
      for (const file of staged) {
        const previous = state.files[file.path];
        if (isChanged(file)) changed.push(file.path);
        else unchanged += 1;
        const owner = isChanged(file) ? snapshotId : previous?.snapshotId;
        if (owner !== undefined) state.files[file.path] = { size: file.size, mtimeMs: file.mtimeMs, sha256: file.sha256, snapshotId: owner };
      }
    }
    if (candidates.files.size > 0 || isGoneChanged) {
      try {
        await writeFileAtomic(statePath, `${JSON.stringify(state)}\n`, { durable: true, mode: 0o600 });
      } catch (error) {
        return { ok: false, reason: 'io-error', path: statePath, code: errorCode(error), message: `The shadow copy was taken but its state could not be saved: ${errorMessage(error)}.` };
      }
    }
    return { ok: true, snapshotId, changed: changed.sort(), unchanged, removed, truncated };
  });
}

/**
 * When the shadow copy noticed each protected file gone (path → ms), for retention. A missing or damaged state gives an
 * empty map, which keeps the latest shadow copy of every path (see retention.ts).
 */
export async function readShadowGone(storeRoot: string): Promise<Map<string, number>> {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(await fsp.readFile(path.join(storeRoot, STATE_FILE), 'utf8')));
    if (!parsed.success) return new Map();
    return new Map(Object.entries(parsed.data.gone ?? {}).map(([rel, entry]) => [rel, entry.atMs]));
  } catch {
    return new Map();
  }
}

/** The state of the last shadow; a missing, damaged or foreign state starts afresh (every protected file is read once). */
async function readState(statePath: string, root: string): Promise<ShadowState> {
  const fresh: ShadowState = { version: 1, workspaceRoot: root, files: {} };
  try {
    const parsed = stateSchema.safeParse(JSON.parse(await fsp.readFile(statePath, 'utf8')));
    return parsed.success && parsed.data.workspaceRoot === root ? parsed.data : fresh;
  } catch {
    return fresh;
  }
}

/**
 * A policy `protectedPaths` glob as a matcher over workspace-relative paths, with the meaning `isProtected` gives it:
 * an unanchored glob matches at any depth (`.env*` → `api/.env.local`), a leading `/` anchors it at the workspace root.
 */
export function compileProtectedGlob(glob: string): RegExp | undefined {
  const anchored = glob.startsWith('/') ? glob.slice(1) : glob.startsWith('**/') ? glob : `{,**/}${glob}`;
  const re = minimatch.makeRe(anchored.replace(/^\.\//, ''), { dot: true });
  return re === false ? undefined : re;
}

/** A file is protected when it or one of its folders matches (`backups` protects `backups/db.sql`). */
export function isProtectedRelative(rel: string, matchers: readonly RegExp[]): boolean {
  let candidate = rel;
  for (;;) {
    if (matchers.some((m) => m.test(candidate))) return true;
    const slash = candidate.lastIndexOf('/');
    if (slash < 0) return false;
    candidate = candidate.slice(0, slash);
  }
}

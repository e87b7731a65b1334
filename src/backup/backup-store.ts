// The versioned backup store: content-addressed copies of workspace files, kept outside the workspace, restorable byte for byte.
//
// Layout under the store root (one root per workspace, see workspace-store.ts):
//   objects/<sha256>                 file contents, stored once however many snapshots hold them (read-only)
//   snapshots/<id>.json              one manifest per snapshot; <id> = <UTC timestamp>-<random>, so names sort by time
//   tmp/                             staging; files there are never referenced by a manifest
//   shadow-state.json                what the shadow copy last saw of each protected file (shadow.ts)
//
// Crash safety: objects are staged in tmp/, fsynced and renamed into objects/ before the manifest that names them is
// written (temp file + fsync + rename). A crash at any point leaves either no manifest or a complete one whose objects
// all exist; orphaned objects are removed by gc().
//
// Retention (retention.ts): applyRetention() removes snapshots past `keepDays`, and a snapshot that would exceed the total
// cap first removes what retention lets go. Manifests are removed first (each removal is atomic), then gc(): a crash in
// between leaves orphans only. Other windows share the store; their in-flight objects are protected by gcGraceMs.
import fs = require('node:fs');
import fsp = require('node:fs/promises');
import path = require('node:path');
import { randomBytes } from 'node:crypto';
import { copyWithHash, errorCode, errorMessage, fromManifestPath, hashFile, tempNameBeside, toManifestPath, writeFileAtomic } from './fs-utils.js';
import {
  MANIFEST_VERSION, isSafeRelativePath, isSnapshotId, manifestFileName, newSnapshotId, parseManifest,
  type ManifestDirectory, type ManifestFile, type ManifestSymlink, type SnapshotManifest,
} from './manifest.js';
import { planAgePrune, planSpacePrune, retentionPolicy, type PruneReport, type RetentionPolicy, type RetentionSnapshot } from './retention.js';
import { readShadowGone, shadowSync, type ShadowOptions, type ShadowResult } from './shadow.js';
import { formatBytes, type BackupFailure, type ConflictDecision, type ConflictResolution, type RestoreConflict } from './results.js';

export interface BackupStoreOptions {
  /** Largest snapshot (sum of file sizes) accepted; default 256 MiB. */
  readonly maxSnapshotBytes?: number;
  /** Largest the store's objects may grow (after deduplication); default 2 GiB. */
  readonly maxTotalBytes?: number;
  /** Unreferenced objects younger than this (real time) are kept by gc: another window may be writing a snapshot; default 10 minutes. */
  readonly gcGraceMs?: number;
  /** fsync objects and manifests before renaming them into place; default true. */
  readonly durable?: boolean;
  /** The clock for snapshot times and ages (prune), for tests. */
  readonly now?: () => Date;
  /**
   * Automatic retention (retention.ts): what `applyRetention()` removes by age, and what may go when a new snapshot would
   * exceed `maxTotalBytes`. Defaults: 30 days, the 20 newest snapshots, nothing younger than 10 minutes.
   */
  readonly retention?: { readonly keepDays?: number; readonly keepAtLeast?: number; readonly recentMs?: number };
  /** After a snapshot, retention by age runs (queued behind it) when its last run is longer ago than this; default 24 h. */
  readonly retentionEveryMs?: number;
  /** Told what automatic pruning removed, by age or to make room (for the output channel). */
  readonly onPrune?: (report: PruneReport) => void;
}

export type { PruneReport };
export type RetentionResult = ({ readonly ok: true } & PruneReport) | BackupFailure;

export interface SnapshotRequest {
  /** The workspace folder the paths belong to; manifests store paths relative to it. */
  readonly workspaceRoot: string;
  /** Files or folders, absolute or relative to `workspaceRoot`. Folders are copied recursively; symlinks are recorded, not followed. */
  readonly paths: readonly string[];
  /** What is about to happen: `delete`, `rename`, `overwrite`, `shadow`, `pre-restore`, `manual`. */
  readonly operation: string;
  /** Who asked: `file-guard`, `terminal`, `task`, `shadow`, `restore`, `person`. */
  readonly source: string;
  /** A sentence for the person browsing backups (`rm -rf migrations in the terminal`). */
  readonly reason?: string;
}

export interface SnapshotSummary {
  readonly id: string;
  /** ISO time the snapshot was taken. */
  readonly time: string;
  readonly operation: string;
  readonly source: string;
  readonly reason: string | undefined;
  readonly workspaceRoot: string;
  readonly paths: readonly string[];
  readonly fileCount: number;
  readonly totalBytes: number;
}

export type SnapshotResult =
  | { readonly ok: true; readonly snapshot: SnapshotSummary; readonly missing: readonly string[]; /** Bytes newly added to the store (0 when every content was already stored). */ readonly storedBytes: number }
  | BackupFailure;

export interface RestoreOptions {
  /**
   * What to do when the workspace holds something other than the snapshot's content at a path. A decision, a record of
   * decisions per path, or a callback that sees every conflict at once before anything is written. Default `cancel`:
   * the result lists the conflicts and nothing is written.
   */
  readonly onConflict?: ConflictResolution | ((conflicts: readonly RestoreConflict[]) => ConflictResolution | Promise<ConflictResolution>);
  /** Restore into another folder instead of the snapshot's workspace root. */
  readonly targetRoot?: string;
  /** Restore only these workspace-relative paths (and what is under them). */
  readonly paths?: readonly string[];
}

export type RestoreResult =
  | {
    readonly ok: true;
    /** Paths written (files, symlinks and created folders). */
    readonly restored: readonly string[];
    /** Paths that already had the snapshot's content. */
    readonly unchanged: readonly string[];
    /** Conflicting paths left as they are. */
    readonly skipped: readonly string[];
    /** Conflicting files whose restored content was written beside them. */
    readonly keptBoth: readonly { readonly path: string; readonly writtenTo: string }[];
    /** The snapshot of what the restore overwrote; undefined when nothing was overwritten. */
    readonly preRestoreSnapshotId: string | undefined;
  }
  | BackupFailure;

export interface PruneOptions {
  /** Keep the newest N snapshots; older ones are removed. */
  readonly keepLast?: number;
  /** Remove snapshots older than this many milliseconds. */
  readonly olderThanMs?: number;
}

export type PruneResult =
  | { readonly ok: true; readonly removedSnapshots: readonly string[]; readonly removedObjects: number; readonly freedBytes: number }
  | BackupFailure;

export interface VerifyProblem {
  readonly snapshotId: string | undefined;
  readonly path: string | undefined;
  readonly message: string;
}

const DEFAULT_MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024;
const DEFAULT_MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024;
const DEFAULT_GC_GRACE_MS = 10 * 60 * 1000;
const STALE_TEMP_MS = 60 * 60 * 1000;
const COPY_ATTEMPTS = 3;
const DEFAULT_RETENTION_EVERY_MS = 24 * 60 * 60 * 1000;

/** What a walk of the requested paths found, keyed by manifest path. */
export interface Collected {
  readonly files: Map<string, { abs: string; size: number; mode: number; mtimeMs: number }>;
  readonly symlinks: Map<string, string>;
  readonly directories: Map<string, { mode: number; isEmpty: boolean }>;
  readonly skipped: Map<string, string>;
  readonly requested: string[];
  readonly missing: string[];
}

/** Files copied into tmp/ and hashed, not yet part of the store. */
interface Staging {
  readonly files: ManifestFile[];
  /** New contents by hash: the temp file holding it and its size. */
  readonly newObjects: Map<string, { temp: string; bytes: number }>;
}

export class BackupStore {
  readonly root: string;
  private readonly objectsDir: string;
  private readonly snapshotsDir: string;
  private readonly tmpDir: string;
  private readonly maxSnapshotBytes: number;
  private readonly maxTotalBytes: number;
  private readonly gcGraceMs: number;
  private readonly durable: boolean;
  private readonly now: () => Date;
  private readonly retention: RetentionPolicy;
  private readonly retentionEveryMs: number;
  private readonly onPrune: ((report: PruneReport) => void) | undefined;
  private lastRetentionMs: number | undefined;
  private isRetentionQueued = false;
  private queue: Promise<unknown> = Promise.resolve();
  private isLaidOut = false;

  constructor(root: string, options: BackupStoreOptions = {}) {
    this.root = path.resolve(root);
    this.objectsDir = path.join(this.root, 'objects');
    this.snapshotsDir = path.join(this.root, 'snapshots');
    this.tmpDir = path.join(this.root, 'tmp');
    this.maxSnapshotBytes = options.maxSnapshotBytes ?? DEFAULT_MAX_SNAPSHOT_BYTES;
    this.maxTotalBytes = options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
    this.gcGraceMs = options.gcGraceMs ?? DEFAULT_GC_GRACE_MS;
    this.durable = options.durable ?? true;
    this.now = options.now ?? (() => new Date());
    this.retention = retentionPolicy(options.retention ?? {});
    this.retentionEveryMs = options.retentionEveryMs ?? DEFAULT_RETENTION_EVERY_MS;
    this.onPrune = options.onPrune;
  }

  /** Copies the given files and folders into the store and writes one manifest. All or nothing. */
  async snapshot(request: SnapshotRequest): Promise<SnapshotResult> {
    const result = await this.exclusive(() => this.snapshotUnlocked(request));
    if (result.ok) this.queueRetentionIfDue();
    return result;
  }

  /**
   * Removes the snapshots retention no longer keeps by age (see retention.ts), then the content only they used.
   * Refuses (removes nothing) while a manifest is unreadable: what it holds is unknown.
   */
  applyRetention(): Promise<RetentionResult> {
    return this.exclusive(() => this.applyRetentionUnlocked());
  }

  /** Every readable snapshot, newest first. Unreadable manifests are left out here and reported by verify(). */
  async list(): Promise<SnapshotSummary[]> {
    const { manifests } = await this.readAllManifests();
    return manifests.map(summarize).sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  /** The full manifest of one snapshot (files, symlinks, folders). */
  async manifest(snapshotId: string): Promise<{ ok: true; manifest: SnapshotManifest } | BackupFailure> {
    return this.readManifest(snapshotId);
  }

  /**
   * Restores a snapshot byte for byte (content, mode, mtime; symlinks; empty folders). Stored objects are verified against
   * their hashes before anything is written. Paths where the workspace holds something else are conflicts: the caller
   * decides (see RestoreOptions.onConflict); an overwrite first backs up what it replaces.
   */
  restore(snapshotId: string, options: RestoreOptions = {}): Promise<RestoreResult> {
    return this.exclusive(() => this.restoreUnlocked(snapshotId, options));
  }

  /** Removes old snapshots (beyond the newest `keepLast`, or older than `olderThanMs`), then unreferenced objects. */
  prune(options: PruneOptions): Promise<PruneResult> {
    return this.exclusive(async () => {
      await this.ensureLayout();
      const { manifests } = await this.readAllManifests();
      const newestFirst = [...manifests].sort((a, b) => (a.id < b.id ? 1 : -1));
      const nowMs = this.now().getTime();
      const removed: string[] = [];
      newestFirst.forEach((manifest, index) => {
        const isBeyondKeep = options.keepLast !== undefined && index >= options.keepLast;
        const isTooOld = options.olderThanMs !== undefined && nowMs - Date.parse(manifest.time) > options.olderThanMs;
        if (isBeyondKeep || isTooOld) removed.push(manifest.id);
      });
      for (const id of removed) await fsp.rm(path.join(this.snapshotsDir, manifestFileName(id)), { force: true });
      const collected = await this.gcUnlocked();
      if (!collected.ok) return collected;
      return { ok: true, removedSnapshots: removed, removedObjects: collected.removedObjects, freedBytes: collected.freedBytes };
    });
  }

  /** Removes objects no manifest references (older than the grace period). Refuses when a manifest is unreadable. */
  gc(): Promise<{ ok: true; removedObjects: number; freedBytes: number } | BackupFailure> {
    return this.exclusive(() => this.gcUnlocked());
  }

  /** Checks every manifest and every object it names against its hash. */
  verify(): Promise<{ ok: boolean; problems: VerifyProblem[]; checkedObjects: number }> {
    return this.exclusive(async () => {
      const problems: VerifyProblem[] = [];
      const { manifests, unreadable } = await this.readAllManifests();
      for (const bad of unreadable) problems.push({ snapshotId: bad.id, path: undefined, message: `unreadable manifest: ${bad.message}` });
      const verdicts = new Map<string, string | undefined>();
      for (const manifest of manifests) {
        for (const file of manifest.files) {
          if (!verdicts.has(file.sha256)) verdicts.set(file.sha256, await this.checkObject(file.sha256, file.size));
          const problem = verdicts.get(file.sha256);
          if (problem !== undefined) problems.push({ snapshotId: manifest.id, path: file.path, message: problem });
        }
      }
      return { ok: problems.length === 0, problems, checkedObjects: verdicts.size };
    });
  }

  /**
   * Backs up the protected files of a workspace whose content changed since the last call (see shadow.ts), so a later
   * `rm` from outside VS Code stays recoverable. Cheap when nothing changed (size and mtime are compared first).
   */
  async shadowSync(workspaceRoot: string, protectedGlobs: readonly string[], options: ShadowOptions = {}): Promise<ShadowResult> {
    const result = await shadowSync(this, workspaceRoot, protectedGlobs, options);
    if (result.ok && result.snapshotId !== undefined) this.queueRetentionIfDue();
    return result;
  }

  /** The store's clock (injectable for tests). */
  currentTime(): Date {
    return this.now();
  }

  /** True when the manifest of this snapshot exists (not read or checked). */
  hasSnapshot(snapshotId: string): boolean {
    return isSnapshotId(snapshotId) && fs.existsSync(path.join(this.snapshotsDir, manifestFileName(snapshotId)));
  }

  /** Bytes the store's objects take (after deduplication). */
  async storedBytes(): Promise<number> {
    await this.ensureLayout();
    return (await this.objectSizes()).total;
  }

  // ── internals shared with shadow.ts ────────────────────────────────────────────────────────────────────────────────

  /** Runs `work` with no other mutating operation of this store object in between. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.then(() => undefined, () => undefined);
    return run;
  }

  async snapshotUnlocked(request: SnapshotRequest): Promise<SnapshotResult> {
    await this.ensureLayout();
    const collected = await this.collect(request.workspaceRoot, request.paths);
    if (!('files' in collected)) return collected;
    if (collected.files.size + collected.symlinks.size + collected.directories.size + collected.skipped.size === 0) {
      return { ok: false, reason: 'not-found', paths: collected.missing, message: `Nothing to back up: ${collected.missing.join(', ')} ${collected.missing.length === 1 ? 'does' : 'do'} not exist.` };
    }
    const { result } = await this.stageAndCommit(request, collected, () => true);
    return result ?? { ok: false, reason: 'not-found', paths: collected.requested, message: 'Nothing to back up.' };
  }

  /**
   * Stages the collected files, keeps those `keep` accepts (by path and hash), and commits them as one snapshot.
   * `result` is undefined when `keep` accepted nothing (nothing is written then); `staged` lists every file as hashed.
   */
  async stageAndCommit(request: SnapshotRequest, collected: Collected, keep: (file: ManifestFile) => boolean): Promise<{ result: SnapshotResult | undefined; staged: readonly ManifestFile[] }> {
    const logicalBytes = [...collected.files.values()].reduce((sum, f) => sum + f.size, 0);
    if (logicalBytes > this.maxSnapshotBytes) return { result: tooLarge('snapshot', logicalBytes, this.maxSnapshotBytes), staged: [] };
    const staged = await this.stage(collected);
    if (!('files' in staged)) return { result: staged, staged: [] };
    const all = [...staged.files];
    const done = (result: SnapshotResult | undefined): { result: SnapshotResult | undefined; staged: readonly ManifestFile[] } => ({ result, staged: all });
    try {
      // Files may have grown between the walk and the copy.
      const copiedBytes = all.reduce((sum, f) => sum + f.size, 0);
      if (copiedBytes > this.maxSnapshotBytes) return done(tooLarge('snapshot', copiedBytes, this.maxSnapshotBytes));
      const files = staged.files.filter(keep);
      const referenced = new Set(files.map((f) => f.sha256));
      for (const [sha, object] of staged.newObjects) {
        if (!referenced.has(sha)) { await fsp.rm(object.temp, { force: true }); staged.newObjects.delete(sha); }
      }
      const newBytes = [...staged.newObjects.values()].reduce((sum, o) => sum + o.bytes, 0);
      if (newBytes > 0) {
        let current = (await this.objectSizes()).total;
        if (current + newBytes > this.maxTotalBytes) {
          // Make room by removing what retention lets go (never the newest, the recent, the latest shadow copies).
          await this.makeRoomUnlocked(current + newBytes - this.maxTotalBytes, referenced);
          current = (await this.objectSizes()).total;
        }
        if (current + newBytes > this.maxTotalBytes) return done(tooLarge('total', current + newBytes, this.maxTotalBytes));
      }
      const time = this.now();
      const id = newSnapshotId(time);
      const keptPaths = new Set(files.map((f) => f.path));
      const isFullSnapshot = keptPaths.size === staged.files.length;
      const manifest: SnapshotManifest = {
        version: MANIFEST_VERSION,
        id,
        time: time.toISOString(),
        workspaceRoot: path.resolve(request.workspaceRoot),
        operation: request.operation,
        source: request.source,
        ...(request.reason !== undefined ? { reason: request.reason } : {}),
        paths: isFullSnapshot ? collected.requested : files.map((f) => f.path),
        missing: collected.missing,
        files: files.sort((a, b) => compareText(a.path, b.path)),
        symlinks: isFullSnapshot ? [...collected.symlinks].map(([p, target]): ManifestSymlink => ({ path: p, target })).sort((a, b) => compareText(a.path, b.path)) : [],
        directories: isFullSnapshot ? [...collected.directories].map(([p, d]): ManifestDirectory => ({ path: p, mode: d.mode, isEmpty: d.isEmpty })).sort((a, b) => compareText(a.path, b.path)) : [],
        skipped: isFullSnapshot ? [...collected.skipped].map(([p, type]) => ({ path: p, type })) : [],
        totalBytes: files.reduce((sum, f) => sum + f.size, 0),
      };
      if (manifest.files.length + manifest.symlinks.length + manifest.directories.length + manifest.skipped.length === 0) return done(undefined);
      // Objects first, then the manifest that names them: a crash in between leaves only orphans for gc().
      for (const [sha, object] of staged.newObjects) {
        const target = path.join(this.objectsDir, sha);
        await fsp.chmod(object.temp, 0o444);
        if (fs.existsSync(target)) await fsp.rm(object.temp, { force: true });
        else await fsp.rename(object.temp, target);
      }
      staged.newObjects.clear();
      await writeFileAtomic(path.join(this.snapshotsDir, manifestFileName(id)), `${JSON.stringify(manifest, null, 1)}\n`, { durable: this.durable, mode: 0o600 });
      return done({ ok: true, snapshot: summarize(manifest), missing: collected.missing, storedBytes: newBytes });
    } catch (error) {
      return done(ioError(this.root, error));
    } finally {
      for (const object of staged.newObjects.values()) await fsp.rm(object.temp, { force: true });
    }
  }

  /** Walks the requested paths (lstat only: symlinks are recorded, never followed). */
  async collect(workspaceRoot: string, paths: readonly string[]): Promise<Collected | BackupFailure> {
    const root = path.resolve(workspaceRoot);
    const collected: Collected = { files: new Map(), symlinks: new Map(), directories: new Map(), skipped: new Map(), requested: [], missing: [] };
    for (const requested of paths) {
      const abs = path.resolve(root, requested);
      const relative = path.relative(root, abs);
      if (relative.startsWith('..') || path.isAbsolute(relative)) {
        return { ok: false, reason: 'outside-workspace', path: requested, message: `${requested} is outside the workspace ${root}; the backup store only keeps workspace files.` };
      }
      const rel = toManifestPath(relative);
      if (!isSafeRelativePath(rel)) return { ok: false, reason: 'outside-workspace', path: requested, message: `${requested} is not a usable workspace path.` };
      collected.requested.push(rel);
      try {
        await this.walk(abs, rel, collected);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') { collected.missing.push(rel); continue; }
        return ioError(abs, error);
      }
    }
    return collected;
  }

  private async walk(abs: string, rel: string, collected: Collected): Promise<void> {
    if (abs === this.root) return; // a store kept inside the workspace never backs up itself
    const stat = await fsp.lstat(abs);
    if (stat.isSymbolicLink()) collected.symlinks.set(rel, await fsp.readlink(abs));
    else if (stat.isFile()) collected.files.set(rel, { abs, size: stat.size, mode: stat.mode & 0o7777, mtimeMs: stat.mtimeMs });
    else if (stat.isDirectory()) {
      const names = (await fsp.readdir(abs)).sort(compareText);
      collected.directories.set(rel, { mode: stat.mode & 0o7777, isEmpty: names.length === 0 });
      for (const name of names) {
        try {
          await this.walk(path.join(abs, name), rel === '' ? name : `${rel}/${name}`, collected);
        } catch (error) {
          if (errorCode(error) !== 'ENOENT') throw error; // deleted while we walked: it is gone either way
        }
      }
    } else collected.skipped.set(rel, stat.isFIFO() ? 'fifo' : stat.isSocket() ? 'socket' : stat.isCharacterDevice() ? 'character-device' : 'block-device');
  }

  /** Copies every collected file into tmp/, hashing it; a file that changes during the copy is copied again. */
  private async stage(collected: Collected): Promise<Staging | BackupFailure> {
    const staging: Staging = { files: [], newObjects: new Map() };
    const fail = async (failure: BackupFailure): Promise<BackupFailure> => {
      for (const object of staging.newObjects.values()) await fsp.rm(object.temp, { force: true });
      return failure;
    };
    for (const [rel, file] of collected.files) {
      let copied: { sha256: string; bytes: number; temp: string; mode: number; mtimeMs: number } | undefined;
      for (let attempt = 0; attempt < COPY_ATTEMPTS && copied === undefined; attempt += 1) {
        const temp = path.join(this.tmpDir, `${randomBytes(8).toString('hex')}.part`);
        try {
          const before = await fsp.lstat(file.abs);
          if (!before.isFile()) return await fail(ioError(file.abs, Object.assign(new Error('no longer a regular file'), { code: 'ECHANGED' })));
          const result = await copyWithHash(file.abs, temp, { durable: this.durable });
          const after = await fsp.lstat(file.abs);
          if (after.size === result.bytes && after.mtimeMs === before.mtimeMs && before.size === result.bytes) {
            copied = { ...result, temp, mode: after.mode & 0o7777, mtimeMs: after.mtimeMs };
          } else await fsp.rm(temp, { force: true });
        } catch (error) {
          await fsp.rm(temp, { force: true });
          return await fail(ioError(file.abs, error));
        }
      }
      if (copied === undefined) {
        return await fail({ ok: false, reason: 'changed-during-snapshot', path: rel, message: `${rel} kept changing while it was backed up (${COPY_ATTEMPTS} tries); no backup was written.` });
      }
      staging.files.push({ path: rel, sha256: copied.sha256, size: copied.bytes, mode: copied.mode, mtimeMs: copied.mtimeMs });
      const stored = path.join(this.objectsDir, copied.sha256);
      if (staging.newObjects.has(copied.sha256) || fs.existsSync(stored)) {
        await fsp.rm(copied.temp, { force: true });
        // Mark the existing object as in use, so a concurrent gc in another window leaves it alone (grace period).
        const now = new Date();
        await fsp.utimes(stored, now, now).catch(() => undefined);
      } else staging.newObjects.set(copied.sha256, { temp: copied.temp, bytes: copied.bytes });
    }
    return staging;
  }

  private async restoreUnlocked(snapshotId: string, options: RestoreOptions): Promise<RestoreResult> {
    await this.ensureLayout();
    const read = await this.readManifest(snapshotId);
    if (!read.ok) return read;
    const manifest = read.manifest;
    const root = path.resolve(options.targetRoot ?? manifest.workspaceRoot);
    const selected = (p: string): boolean => options.paths === undefined || options.paths.some((s) => {
      const want = toManifestPath(s).replace(/\/+$/, '');
      return want === '' || p === want || p.startsWith(`${want}/`);
    });
    const files = manifest.files.filter((f) => selected(f.path));
    const symlinks = manifest.symlinks.filter((s) => selected(s.path));
    const directories = manifest.directories.filter((d) => selected(d.path));

    // 1. Every object must be intact before anything is written.
    const checked = new Set<string>();
    for (const file of files) {
      if (checked.has(file.sha256)) continue;
      const problem = await this.checkObject(file.sha256, file.size);
      if (problem !== undefined) return { ok: false, reason: 'corrupt-object', path: file.path, sha256: file.sha256, message: `The backup of ${file.path} is damaged (${problem}); nothing was restored.` };
      checked.add(file.sha256);
      // Mark it in use: a prune in another window may remove this manifest now, and its gc leaves recent objects alone.
      const now = new Date();
      await fsp.utimes(path.join(this.objectsDir, file.sha256), now, now).catch(() => undefined);
    }

    // 2. Compare with what is there now.
    const snapshotMs = Date.parse(manifest.time);
    const inspector = new TargetInspector(root);
    const conflicts: RestoreConflict[] = [];
    const unchanged: string[] = [];
    const toWrite = new Map<string, 'missing' | 'conflict'>();
    for (const dir of directories) {
      if (dir.path === '') continue;
      const state = await inspector.inspect(dir.path);
      if (state.kind === 'blocked') conflicts.push(blockedConflict(dir.path, state.blockedBy, undefined));
      else if (state.kind === 'missing') toWrite.set(dir.path, 'missing');
      else if (state.kind !== 'directory') conflicts.push(typeConflict(dir.path, state, snapshotMs, undefined));
    }
    for (const file of files) {
      const state = await inspector.inspect(file.path);
      if (state.kind === 'blocked') conflicts.push(blockedConflict(file.path, state.blockedBy, file.size));
      else if (state.kind === 'missing') toWrite.set(file.path, 'missing');
      else if (state.kind !== 'file') conflicts.push(typeConflict(file.path, state, snapshotMs, file.size));
      else if (state.size === file.size && (await hashFile(fromManifestPath(root, file.path))).sha256 === file.sha256) unchanged.push(file.path);
      else conflicts.push({ path: file.path, kind: 'modified', isNewer: state.mtimeMs > snapshotMs, currentSize: state.size, currentMtimeMs: state.mtimeMs, snapshotSize: file.size });
    }
    for (const link of symlinks) {
      const state = await inspector.inspect(link.path);
      if (state.kind === 'blocked') conflicts.push(blockedConflict(link.path, state.blockedBy, undefined));
      else if (state.kind === 'missing') toWrite.set(link.path, 'missing');
      else if (state.kind === 'symlink' && (await fsp.readlink(fromManifestPath(root, link.path))) === link.target) unchanged.push(link.path);
      else conflicts.push(state.kind === 'symlink'
        ? { path: link.path, kind: 'modified', isNewer: state.mtimeMs > snapshotMs, currentSize: state.size, currentMtimeMs: state.mtimeMs, snapshotSize: undefined }
        : typeConflict(link.path, state, snapshotMs, undefined));
    }

    // 3. The caller decides about conflicts, all at once, before anything is written.
    const decisions = new Map<string, ConflictDecision>();
    if (conflicts.length > 0) {
      const handler = options.onConflict ?? 'cancel';
      let resolution: ConflictResolution;
      try {
        resolution = typeof handler === 'function' ? await handler(conflicts) : handler;
      } catch (error) {
        resolution = 'cancel';
        void error;
      }
      for (const conflict of conflicts) {
        const decision: ConflictDecision = typeof resolution === 'string' ? resolution : resolution[conflict.path] ?? 'skip';
        if (decision === 'cancel') return conflictFailure(conflicts);
        decisions.set(conflict.path, decision);
      }
    }

    // 4. Back up what an overwrite replaces, so that nothing is lost.
    const replaced = new Set<string>();
    for (const conflict of conflicts) {
      if (decisions.get(conflict.path) !== 'overwrite') continue;
      replaced.add(conflict.kind === 'blocked' && conflict.blockedBy !== undefined ? conflict.blockedBy : conflict.path);
    }
    let preRestoreSnapshotId: string | undefined;
    if (replaced.size > 0) {
      const backup = await this.snapshotUnlocked({ workspaceRoot: root, paths: [...replaced], operation: 'pre-restore', source: 'restore', reason: `what restoring ${manifest.id} replaced` });
      if (!backup.ok) {
        return { ok: false, reason: 'pre-restore-backup-failed', cause: backup, message: `The files this restore would overwrite could not be backed up first (${backup.message}); nothing was restored.` };
      }
      preRestoreSnapshotId = backup.snapshot.id;
    }

    // 5. Write. Each file goes to a temp file beside its target, is verified, then renamed into place.
    const restored: string[] = [];
    const skipped: string[] = [];
    const keptBoth: { path: string; writtenTo: string }[] = [];
    const conflictKind = new Map(conflicts.map((c) => [c.path, c]));
    try {
      for (const victim of [...replaced].sort((a, b) => b.length - a.length)) {
        const conflict = conflictKind.get(victim);
        // A modified file or symlink is replaced by rename below; only entries of another kind are removed first.
        if (conflict?.kind === 'modified') continue;
        await fsp.rm(fromManifestPath(root, victim), { recursive: true, force: true });
      }
      const skippedDirs: string[] = [];
      const isUnderSkipped = (p: string): boolean => skippedDirs.some((d) => p.startsWith(`${d}/`));
      await fsp.mkdir(root, { recursive: true });
      for (const dir of directories) {
        if (dir.path === '') continue;
        const decision = decisions.get(dir.path);
        if (isUnderSkipped(dir.path) || (decision !== undefined && decision !== 'overwrite')) { skippedDirs.push(dir.path); skipped.push(dir.path); continue; }
        if (toWrite.has(dir.path) || decision === 'overwrite') {
          await fsp.mkdir(fromManifestPath(root, dir.path), { recursive: true });
          restored.push(dir.path);
        }
      }
      for (const file of files) {
        const decision = decisions.get(file.path);
        if (isUnderSkipped(file.path) || decision === 'skip' || (decision === 'keep-both' && conflictKind.get(file.path)?.kind === 'blocked')) { skipped.push(file.path); continue; }
        if (!toWrite.has(file.path) && decision === undefined) continue; // unchanged
        const target = fromManifestPath(root, file.path);
        await fsp.mkdir(path.dirname(target), { recursive: true });
        if (decision === 'keep-both') {
          const beside = await freeNameBeside(target, manifest.id);
          await this.writeRestoredFile(file, beside);
          keptBoth.push({ path: file.path, writtenTo: toManifestPath(path.relative(root, beside)) });
        } else {
          await this.writeRestoredFile(file, target);
          restored.push(file.path);
        }
      }
      for (const link of symlinks) {
        const decision = decisions.get(link.path);
        if (isUnderSkipped(link.path) || decision === 'skip' || decision === 'keep-both') { skipped.push(link.path); continue; }
        if (!toWrite.has(link.path) && decision === undefined) continue;
        const target = fromManifestPath(root, link.path);
        await fsp.mkdir(path.dirname(target), { recursive: true });
        const temp = tempNameBeside(target, 'restore');
        await fsp.symlink(link.target, temp);
        await fsp.rename(temp, target);
        restored.push(link.path);
      }
      // Folder modes last (deepest first), so a read-only folder does not block writing what it holds.
      for (const dir of [...directories].sort((a, b) => b.path.length - a.path.length)) {
        if (isUnderSkipped(dir.path) || skippedDirs.includes(dir.path)) continue;
        await fsp.chmod(fromManifestPath(root, dir.path), dir.mode).catch(() => undefined);
      }
    } catch (error) {
      return {
        ok: false, reason: 'io-error', path: root, code: errorCode(error), restoredSoFar: restored,
        message: `Restoring failed: ${errorMessage(error)}. Restored before the error: ${restored.length ? restored.join(', ') : 'nothing'}.`,
      };
    }
    return { ok: true, restored, unchanged, skipped, keptBoth, preRestoreSnapshotId };
  }

  /** Writes one file from its object: temp file beside the target, hash checked, mode and mtime set, then renamed. */
  private async writeRestoredFile(file: ManifestFile, target: string): Promise<void> {
    const temp = tempNameBeside(target, 'restore');
    try {
      const written = await copyWithHash(path.join(this.objectsDir, file.sha256), temp, { durable: this.durable, mode: 0o600 });
      if (written.sha256 !== file.sha256) {
        throw Object.assign(new Error(`the backup of ${file.path} changed while it was restored (hash mismatch)`), { code: 'ECORRUPT' });
      }
      await fsp.chmod(temp, file.mode);
      // Seconds as a number keep the sub-millisecond part that a Date would drop.
      await fsp.utimes(temp, file.mtimeMs / 1000, file.mtimeMs / 1000);
      await fsp.rename(temp, target);
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
  }

  /** Removes unreferenced objects past the grace period; `inUse` are kept too (the snapshot being written uses them). */
  private async gcUnlocked(inUse: ReadonlySet<string> = new Set()): Promise<{ ok: true; removedObjects: number; freedBytes: number } | BackupFailure> {
    await this.ensureLayout();
    const { manifests, unreadable } = await this.readAllManifests();
    if (unreadable.length > 0) return unreadableFailure(unreadable);
    const referenced = new Set([...inUse, ...manifests.flatMap((m) => m.files.map((f) => f.sha256))]);
    // Real time, not the injectable clock: the grace period is about writers running right now.
    const nowMs = Date.now();
    let removedObjects = 0;
    let freedBytes = 0;
    for (const name of await fsp.readdir(this.objectsDir)) {
      if (referenced.has(name)) continue;
      const file = path.join(this.objectsDir, name);
      const stat = await fsp.lstat(file).catch(() => undefined);
      if (!stat || nowMs - stat.mtimeMs < this.gcGraceMs) continue;
      await fsp.rm(file, { force: true });
      removedObjects += 1;
      freedBytes += stat.size;
    }
    return { ok: true, removedObjects, freedBytes };
  }

  private async applyRetentionUnlocked(): Promise<RetentionResult> {
    await this.ensureLayout();
    const nowMs = this.now().getTime();
    this.lastRetentionMs = nowMs;
    const { manifests, unreadable } = await this.readAllManifests();
    if (unreadable.length > 0) return unreadableFailure(unreadable);
    const remove = planAgePrune(manifests.map(retentionFacts), this.retention, { nowMs, shadowGone: await readShadowGone(this.root) });
    return this.removeSnapshotsUnlocked('age', manifests, remove, new Set());
  }

  /**
   * Removes the snapshots retention lets go, oldest first, until `bytesToFree` of stored content can be collected; nothing
   * when that is not possible (then the caller's snapshot fails as too large). `inUse`: objects the new snapshot uses.
   */
  private async makeRoomUnlocked(bytesToFree: number, inUse: ReadonlySet<string>): Promise<void> {
    const { manifests, unreadable } = await this.readAllManifests();
    if (unreadable.length > 0) return;
    const referenced = new Set(manifests.flatMap((m) => m.files.map((f) => f.sha256)));
    const realNowMs = Date.now();
    const objects = new Map<string, { bytes: number; isCollectable: boolean }>();
    let orphanBytes = 0;
    for (const name of await fsp.readdir(this.objectsDir)) {
      const stat = await fsp.lstat(path.join(this.objectsDir, name)).catch(() => undefined);
      if (!stat) continue;
      const isCollectable = realNowMs - stat.mtimeMs >= this.gcGraceMs;
      objects.set(name, { bytes: stat.size, isCollectable });
      if (isCollectable && !referenced.has(name) && !inUse.has(name)) orphanBytes += stat.size;
    }
    const nowMs = this.now().getTime();
    const plan = planSpacePrune(manifests.map(retentionFacts), this.retention, { nowMs, shadowGone: await readShadowGone(this.root) }, { bytesToFree: bytesToFree - orphanBytes, objects, inUse });
    if (!plan.fits) return;
    await this.removeSnapshotsUnlocked('space', manifests, plan.remove, inUse);
  }

  /** Removes manifests (each removal is atomic), then the objects nothing references any more; reports what went. */
  private async removeSnapshotsUnlocked(trigger: 'age' | 'space', manifests: readonly SnapshotManifest[], ids: readonly string[], inUse: ReadonlySet<string>): Promise<RetentionResult> {
    const byId = new Map(manifests.map((m) => [m.id, m]));
    const removed: { id: string; time: string; operation: string }[] = [];
    for (const id of ids) {
      const manifest = byId.get(id);
      if (!manifest) continue;
      try {
        await fsp.rm(path.join(this.snapshotsDir, manifestFileName(id)), { force: true });
      } catch (error) {
        return ioError(path.join(this.snapshotsDir, manifestFileName(id)), error);
      }
      removed.push({ id, time: manifest.time, operation: manifest.operation });
    }
    const collected = await this.gcUnlocked(inUse);
    if (!collected.ok) return collected;
    const report: PruneReport = { trigger, removed, removedObjects: collected.removedObjects, freedBytes: collected.freedBytes };
    if (removed.length > 0 || collected.removedObjects > 0) {
      try {
        this.onPrune?.(report);
      } catch {
        // A failing listener must not turn a done prune into a failure.
      }
    }
    return { ok: true, ...report };
  }

  /** Queues retention by age behind the current work when its last run is `retentionEveryMs` ago (or never ran here). */
  private queueRetentionIfDue(): void {
    if (this.isRetentionQueued) return;
    if (this.lastRetentionMs !== undefined && this.now().getTime() - this.lastRetentionMs < this.retentionEveryMs) return;
    this.isRetentionQueued = true;
    void this.exclusive(async () => {
      this.isRetentionQueued = false;
      await this.applyRetentionUnlocked();
    }).catch(() => undefined);
  }

  /** Undefined when the object exists and matches its hash (and size); otherwise what is wrong. */
  private async checkObject(sha256: string, size: number): Promise<string | undefined> {
    try {
      const actual = await hashFile(path.join(this.objectsDir, sha256));
      if (actual.sha256 !== sha256) return `stored content does not match its hash ${sha256.slice(0, 12)}…`;
      if (actual.bytes !== size) return `stored content has ${actual.bytes} bytes, the manifest says ${size}`;
      return undefined;
    } catch (error) {
      return errorCode(error) === 'ENOENT' ? `stored content ${sha256.slice(0, 12)}… is missing` : errorMessage(error);
    }
  }

  async readManifest(snapshotId: string): Promise<{ ok: true; manifest: SnapshotManifest } | BackupFailure> {
    if (!isSnapshotId(snapshotId)) return { ok: false, reason: 'unknown-snapshot', snapshotId, message: `There is no backup with id ${snapshotId}.` };
    let text: string;
    try {
      text = await fsp.readFile(path.join(this.snapshotsDir, manifestFileName(snapshotId)), 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return { ok: false, reason: 'unknown-snapshot', snapshotId, message: `There is no backup with id ${snapshotId}.` };
      return ioError(path.join(this.snapshotsDir, manifestFileName(snapshotId)), error);
    }
    const parsed = parseManifest(text);
    if (!parsed.ok) return { ok: false, reason: 'corrupt-manifest', snapshotId, message: `The record of backup ${snapshotId} is damaged: ${parsed.message}.` };
    if (parsed.manifest.id !== snapshotId) return { ok: false, reason: 'corrupt-manifest', snapshotId, message: `The record of backup ${snapshotId} names another id (${parsed.manifest.id}).` };
    return parsed;
  }

  private async readAllManifests(): Promise<{ manifests: SnapshotManifest[]; unreadable: { id: string; message: string }[] }> {
    await this.ensureLayout();
    const manifests: SnapshotManifest[] = [];
    const unreadable: { id: string; message: string }[] = [];
    for (const name of await fsp.readdir(this.snapshotsDir)) {
      // Temp files of an interrupted write start with a dot; they never count as snapshots.
      if (name.startsWith('.') || !name.endsWith('.json')) continue;
      const id = name.slice(0, -'.json'.length);
      const read = await this.readManifest(id);
      if (read.ok) manifests.push(read.manifest);
      else unreadable.push({ id, message: read.message });
    }
    return { manifests, unreadable };
  }

  private async objectSizes(): Promise<{ total: number }> {
    let total = 0;
    for (const name of await fsp.readdir(this.objectsDir)) {
      const stat = await fsp.lstat(path.join(this.objectsDir, name)).catch(() => undefined);
      if (stat) total += stat.size;
    }
    return { total };
  }

  /** Creates the folders and removes stale temp files an interrupted run left behind. */
  async ensureLayout(): Promise<void> {
    if (this.isLaidOut) return;
    for (const dir of [this.root, this.objectsDir, this.snapshotsDir, this.tmpDir]) await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    const nowMs = Date.now();
    for (const dir of [this.tmpDir, this.snapshotsDir]) {
      for (const name of await fsp.readdir(dir)) {
        if (dir === this.snapshotsDir && !name.startsWith('.')) continue;
        const file = path.join(dir, name);
        const stat = await fsp.lstat(file).catch(() => undefined);
        if (stat && nowMs - stat.mtimeMs > STALE_TEMP_MS) await fsp.rm(file, { force: true, recursive: true });
      }
    }
    this.isLaidOut = true;
  }
}

type TargetState =
  | { kind: 'missing' }
  | { kind: 'blocked'; blockedBy: string }
  | { kind: 'file' | 'directory' | 'symlink' | 'other'; size: number; mtimeMs: number };

/** Looks at restore targets; remembers which parent folders are real folders, missing, or blocked by a file or symlink. */
class TargetInspector {
  private readonly parents = new Map<string, 'directory' | 'missing' | 'blocked'>();
  constructor(private readonly root: string) {}

  async inspect(rel: string): Promise<TargetState> {
    const segments = rel.split('/');
    let prefix = '';
    for (const segment of segments.slice(0, -1)) {
      prefix = prefix === '' ? segment : `${prefix}/${segment}`;
      let state = this.parents.get(prefix);
      if (state === undefined) {
        const stat = await fsp.lstat(fromManifestPath(this.root, prefix)).catch(() => undefined);
        state = stat === undefined ? 'missing' : stat.isDirectory() ? 'directory' : 'blocked';
        this.parents.set(prefix, state);
      }
      if (state === 'missing') return { kind: 'missing' };
      if (state === 'blocked') return { kind: 'blocked', blockedBy: prefix };
    }
    const stat = await fsp.lstat(fromManifestPath(this.root, rel)).catch(() => undefined);
    if (stat === undefined) return { kind: 'missing' };
    const kind = stat.isSymbolicLink() ? 'symlink' : stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
    return { kind, size: stat.size, mtimeMs: stat.mtimeMs };
  }
}

function blockedConflict(p: string, blockedBy: string, snapshotSize: number | undefined): RestoreConflict {
  return { path: p, kind: 'blocked', isNewer: false, currentSize: undefined, currentMtimeMs: undefined, snapshotSize, blockedBy };
}

function typeConflict(p: string, state: { size: number; mtimeMs: number }, snapshotMs: number, snapshotSize: number | undefined): RestoreConflict {
  return { path: p, kind: 'type-changed', isNewer: state.mtimeMs > snapshotMs, currentSize: state.size, currentMtimeMs: state.mtimeMs, snapshotSize };
}

function conflictFailure(conflicts: readonly RestoreConflict[]): BackupFailure {
  const shown = conflicts.slice(0, 5).map((c) => c.path).join(', ');
  const more = conflicts.length > 5 ? ` and ${conflicts.length - 5} more` : '';
  return { ok: false, reason: 'conflicts', conflicts, message: `${conflicts.length} ${conflicts.length === 1 ? 'path differs' : 'paths differ'} from the backup (${shown}${more}); nothing was restored.` };
}

/** `name.restored-<snapshot time>.ext`, with `-2`, `-3`… when that is taken too. */
async function freeNameBeside(target: string, snapshotId: string): Promise<string> {
  const ext = path.extname(target);
  const base = ext && ext !== path.basename(target) ? target.slice(0, -ext.length) : target;
  const stamp = snapshotId.slice(0, snapshotId.indexOf('-'));
  for (let n = 1; ; n += 1) {
    const candidate = `${base}.restored-${stamp}${n > 1 ? `-${n}` : ''}${ext === path.basename(target) ? '' : ext}`;
    if (!(await fsp.lstat(candidate).then(() => true, () => false))) return candidate;
  }
}

function summarize(manifest: SnapshotManifest): SnapshotSummary {
  return {
    id: manifest.id, time: manifest.time, operation: manifest.operation, source: manifest.source, reason: manifest.reason,
    workspaceRoot: manifest.workspaceRoot, paths: manifest.paths, fileCount: manifest.files.length, totalBytes: manifest.totalBytes,
  };
}

function retentionFacts(manifest: SnapshotManifest): RetentionSnapshot {
  const parsed = Date.parse(manifest.time);
  // An unparsable time counts as in the future: such a snapshot is kept as recent rather than removed as old.
  return { id: manifest.id, timeMs: Number.isFinite(parsed) ? parsed : Number.POSITIVE_INFINITY, operation: manifest.operation, files: manifest.files };
}

function unreadableFailure(unreadable: readonly { id: string }[]): BackupFailure {
  return { ok: false, reason: 'unreadable-manifests', snapshotIds: unreadable.map((u) => u.id), message: `Some backups could not be read (${unreadable.map((u) => u.id).join(', ')}); no stored content was removed, in case they need it.` };
}

function tooLarge(scope: 'snapshot' | 'total', bytes: number, limit: number): BackupFailure {
  const what = scope === 'snapshot' ? 'This backup' : 'The backup store';
  return { ok: false, reason: 'too-large', scope, bytes, limit, message: `${what} would hold ${formatBytes(bytes)}, over the limit of ${formatBytes(limit)}; nothing was backed up.` };
}

function ioError(where: string, error: unknown): BackupFailure {
  return { ok: false, reason: 'io-error', path: where, code: errorCode(error), message: `Backup I/O failed on ${where}: ${errorMessage(error)}.` };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

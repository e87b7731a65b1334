// Typed results of the backup store: every failure is a value with a reason code and a sentence, never a silent partial result.

/** Why a backup operation did not happen. Nothing was written to the workspace when one of these is returned. */
export type BackupFailure =
  /** The snapshot would exceed a size cap; nothing was stored. `scope` says which cap. */
  | { readonly ok: false; readonly reason: 'too-large'; readonly scope: 'snapshot' | 'total'; readonly bytes: number; readonly limit: number; readonly message: string }
  /** None of the requested paths exists. */
  | { readonly ok: false; readonly reason: 'not-found'; readonly paths: readonly string[]; readonly message: string }
  /** A requested path lies outside the workspace root. */
  | { readonly ok: false; readonly reason: 'outside-workspace'; readonly path: string; readonly message: string }
  /** A file kept changing while it was copied (three tries). */
  | { readonly ok: false; readonly reason: 'changed-during-snapshot'; readonly path: string; readonly message: string }
  | { readonly ok: false; readonly reason: 'unknown-snapshot'; readonly snapshotId: string; readonly message: string }
  | { readonly ok: false; readonly reason: 'corrupt-manifest'; readonly snapshotId: string; readonly message: string }
  /** A stored object is missing or its content no longer matches its hash. */
  | { readonly ok: false; readonly reason: 'corrupt-object'; readonly path: string; readonly sha256: string; readonly message: string }
  /** Restoring would replace files that differ from the snapshot; the caller decides (see `RestoreConflict`). */
  | { readonly ok: false; readonly reason: 'conflicts'; readonly conflicts: readonly RestoreConflict[]; readonly message: string }
  /** The files a restore would overwrite could not be backed up first, so the restore did not start. */
  | { readonly ok: false; readonly reason: 'pre-restore-backup-failed'; readonly cause: BackupFailure; readonly message: string }
  /** Garbage collection refused to run because a manifest is unreadable (its objects might still be needed). */
  | { readonly ok: false; readonly reason: 'unreadable-manifests'; readonly snapshotIds: readonly string[]; readonly message: string }
  | { readonly ok: false; readonly reason: 'io-error'; readonly path: string; readonly code: string; readonly message: string; readonly restoredSoFar?: readonly string[] };

export type BackupFailureReason = BackupFailure['reason'];

/** A file or folder whose current state differs from the snapshot. */
export interface RestoreConflict {
  /** Workspace-relative, `/`-separated. */
  readonly path: string;
  /**
   * `modified`: a file with other content is there. `type-changed`: a folder, symlink or file of another kind is there.
   * `blocked`: a parent folder of the path is now a file or symlink (`blockedBy` names it).
   */
  readonly kind: 'modified' | 'type-changed' | 'blocked';
  /** True when the current entry was modified after the snapshot was taken. */
  readonly isNewer: boolean;
  readonly currentSize: number | undefined;
  readonly currentMtimeMs: number | undefined;
  readonly snapshotSize: number | undefined;
  readonly blockedBy?: string;
}

/**
 * What to do with a conflicting path. `overwrite` backs up the current content first (a `pre-restore` snapshot), so
 * nothing is lost. `keep-both` writes the restored file beside it (`name.restored-<snapshot time>.ext`); for folders
 * and blocked paths it behaves as `skip`. `cancel` stops the whole restore before anything is written.
 */
export type ConflictDecision = 'overwrite' | 'skip' | 'keep-both' | 'cancel';

/** One decision for all conflicts, or one per conflicting path (paths missing from the record are skipped). */
export type ConflictResolution = ConflictDecision | Readonly<Record<string, ConflictDecision>>;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

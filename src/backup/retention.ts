// Retention of the backup store: which snapshots automatic pruning may remove, by age or to make room, and which it
// must keep. Pure planning over manifest facts (time, operation, file hashes); backup-store.ts applies the plan.
//
// Kept whatever their age or the space they take:
//   - the newest `keepAtLeast` snapshots taken before an operation (every operation but `shadow`: delete, rename,
//     overwrite, pre-restore, manual…); shadow copies do not count here, so a protected file saved every minute
//     cannot push the backups of real deletions out of the floor;
//   - every snapshot younger than `recentMs` (another window may be restoring from it, or has just listed it);
//   - for every path the shadow copies ever held, the newest shadow snapshot holding it: the file's last known
//     content, the only backup when it is later deleted outside VS Code. Once the shadow copy has noticed the file gone
//     (or no longer protected), that snapshot follows the age rule again, counted from when it was noticed.
// Removed by age: every other snapshot older than `keepDays`.
// Removed to make room (a new snapshot would exceed the total cap): other snapshots, superseded shadow copies first,
// then the rest, oldest first, only as many as needed; none at all when even removing all of them would not make room.

import { formatBytes } from './results.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_KEEP_DAYS = 30;
export const DEFAULT_KEEP_AT_LEAST = 20;
export const DEFAULT_RECENT_MS = 10 * 60 * 1000;

/** What retention needs to know of one snapshot (from its manifest). */
export interface RetentionSnapshot {
  /** Snapshot ids sort by time (see manifest.ts). */
  readonly id: string;
  readonly timeMs: number;
  readonly operation: string;
  readonly files: readonly { readonly path: string; readonly sha256: string }[];
}

export interface RetentionPolicy {
  /** Snapshots older than this many days are removed (unless kept for another reason). */
  readonly keepDays: number;
  /** The newest this many snapshots other than shadow copies are always kept. */
  readonly keepAtLeast: number;
  /** Snapshots younger than this are never removed. */
  readonly recentMs: number;
}

export interface RetentionContext {
  readonly nowMs: number;
  /** Paths the shadow copy found gone (deleted or no longer protected), with when it noticed. */
  readonly shadowGone: ReadonlyMap<string, number>;
}

export type KeepReason = 'newest' | 'recent' | 'latest-shadow';

/** The snapshots that must be kept, each with the first reason that keeps it. */
export function keptSnapshots(snapshots: readonly RetentionSnapshot[], policy: RetentionPolicy, context: RetentionContext): Map<string, KeepReason> {
  const kept = new Map<string, KeepReason>();
  const newestFirst = sortNewestFirst(snapshots);
  let floor = 0;
  for (const snapshot of newestFirst) {
    if (snapshot.operation === 'shadow' || floor >= policy.keepAtLeast) continue;
    floor += 1;
    kept.set(snapshot.id, 'newest');
  }
  for (const snapshot of newestFirst) {
    // A time in the future (a clock that moved back) counts as recent: keep rather than guess.
    if (!kept.has(snapshot.id) && !(context.nowMs - snapshot.timeMs >= policy.recentMs)) kept.set(snapshot.id, 'recent');
  }
  const keepGoneMs = policy.keepDays * DAY_MS;
  const seen = new Set<string>();
  for (const snapshot of newestFirst) {
    if (snapshot.operation !== 'shadow') continue;
    for (const file of snapshot.files) {
      if (seen.has(file.path)) continue;
      seen.add(file.path);
      const goneAt = context.shadowGone.get(file.path);
      const isExpired = goneAt !== undefined && context.nowMs - goneAt > keepGoneMs;
      if (!isExpired && !kept.has(snapshot.id)) kept.set(snapshot.id, 'latest-shadow');
    }
  }
  return kept;
}

/** The snapshots older than `keepDays` that nothing keeps, oldest first. */
export function planAgePrune(snapshots: readonly RetentionSnapshot[], policy: RetentionPolicy, context: RetentionContext): string[] {
  const kept = keptSnapshots(snapshots, policy, context);
  const maxAgeMs = policy.keepDays * DAY_MS;
  return sortNewestFirst(snapshots).reverse()
    .filter((s) => !kept.has(s.id) && context.nowMs - s.timeMs > maxAgeMs)
    .map((s) => s.id);
}

export interface SpaceRequest {
  /** How many bytes of stored objects must go. */
  readonly bytesToFree: number;
  /** Every stored object: its size, and whether gc may delete it now (false while it is in its grace period). */
  readonly objects: ReadonlyMap<string, { readonly bytes: number; readonly isCollectable: boolean }>;
  /** Objects that stay whatever is removed (the snapshot being written uses them). */
  readonly inUse: ReadonlySet<string>;
}

export interface SpacePlan {
  /** Snapshot ids to remove, in the order chosen; empty when room cannot be made. */
  readonly remove: readonly string[];
  /** Bytes of objects no remaining snapshot uses once `remove` is gone. */
  readonly freedBytes: number;
  /** False when removing every snapshot that may go still would not free `bytesToFree`. */
  readonly fits: boolean;
}

/**
 * The fewest snapshots, in retention order (superseded shadow copies first, then the rest, oldest first), whose
 * removal frees `bytesToFree`. Objects shared with a kept snapshot or the one being written free nothing.
 */
export function planSpacePrune(snapshots: readonly RetentionSnapshot[], policy: RetentionPolicy, context: RetentionContext, request: SpaceRequest): SpacePlan {
  if (request.bytesToFree <= 0) return { remove: [], freedBytes: 0, fits: true };
  const kept = keptSnapshots(snapshots, policy, context);
  const users = new Map<string, number>();
  const hashesOf = new Map<string, ReadonlySet<string>>();
  for (const snapshot of snapshots) {
    const hashes = new Set(snapshot.files.map((f) => f.sha256));
    hashesOf.set(snapshot.id, hashes);
    for (const sha of hashes) users.set(sha, (users.get(sha) ?? 0) + 1);
  }
  const oldestFirst = sortNewestFirst(snapshots).reverse().filter((s) => !kept.has(s.id));
  const candidates = [...oldestFirst.filter((s) => s.operation === 'shadow'), ...oldestFirst.filter((s) => s.operation !== 'shadow')];
  const remove: string[] = [];
  let freedBytes = 0;
  for (const snapshot of candidates) {
    if (freedBytes >= request.bytesToFree) break;
    remove.push(snapshot.id);
    for (const sha of hashesOf.get(snapshot.id) ?? []) {
      const left = (users.get(sha) ?? 0) - 1;
      users.set(sha, left);
      const object = request.objects.get(sha);
      if (left === 0 && object?.isCollectable === true && !request.inUse.has(sha)) freedBytes += object.bytes;
    }
  }
  if (freedBytes < request.bytesToFree) return { remove: [], freedBytes: 0, fits: false };
  return { remove, freedBytes, fits: true };
}

/** A policy from settings, with the minimums applied (at least one day, at least one snapshot). */
export function retentionPolicy(settings: { keepDays?: number; keepAtLeast?: number; recentMs?: number }): RetentionPolicy {
  const finiteOr = (value: number | undefined, fallback: number): number => (value !== undefined && Number.isFinite(value) ? value : fallback);
  return {
    keepDays: Math.max(1, finiteOr(settings.keepDays, DEFAULT_KEEP_DAYS)),
    keepAtLeast: Math.max(1, Math.floor(finiteOr(settings.keepAtLeast, DEFAULT_KEEP_AT_LEAST))),
    recentMs: Math.max(0, finiteOr(settings.recentMs, DEFAULT_RECENT_MS)),
  };
}

/** What one automatic prune removed. */
export interface PruneReport {
  /** `age`: retention by age; `space`: room for a new snapshot under the total cap. */
  readonly trigger: 'age' | 'space';
  readonly removed: readonly { readonly id: string; readonly time: string; readonly operation: string }[];
  readonly removedObjects: number;
  readonly freedBytes: number;
}

/** One output-channel line: what pruning removed from a folder's backups, why, and how much it freed. */
export function describePrune(folderName: string, report: PruneReport): string {
  const count = report.removed.length;
  const times = report.removed.map((r) => r.time).sort();
  const span = count === 0 ? '' : count === 1 ? ` from ${times[0]!}` : ` from ${times[0]!} to ${times[count - 1]!}`;
  const operations = [...new Set(report.removed.map((r) => r.operation))].sort().join(', ');
  const why = report.trigger === 'age'
    ? 'older than the retention period (agentGuardrails.backups.keepDays)'
    : 'to make room for a new backup (agentGuardrails.backups.maxTotalMB)';
  const contents = `${report.removedObjects} stored ${report.removedObjects === 1 ? 'content' : 'contents'}`;
  return `backups of ${folderName}: pruned ${count} ${count === 1 ? 'snapshot' : 'snapshots'}${span}${operations ? ` (${operations})` : ''} ${why}; freed ${formatBytes(report.freedBytes)} (${contents})`;
}

function sortNewestFirst(snapshots: readonly RetentionSnapshot[]): RetentionSnapshot[] {
  return [...snapshots].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

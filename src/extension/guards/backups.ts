// The backup stores of the workspace folders (outside the workspace, in the extension's global storage), and the shadow
// copies of protected files: a watcher on the protected globs keeps their latest content in the store, so a deletion
// VS Code never sees (a plain `rm`, another program) stays recoverable. Retention (src/backup/retention.ts) runs a
// little after activation, then daily and after snapshots, and when a new snapshot would exceed the total cap.
import fs = require('node:fs');
import vscode = require('vscode');
import { BackupStore } from '../../backup/backup-store.js';
import { describePrune } from '../../backup/retention.js';
import { backupStoreRoot } from '../../backup/workspace-store.js';
import type { WorkspacePolicies } from '../policy-watcher.js';
import { guardSetting } from '../settings/guard-settings.js';

const MIB = 1024 * 1024;
const SHADOW_DEBOUNCE_MS = 500;
/** Retention by age: first run this long after activation (out of the activation budget and the first shadow walk), then daily. */
const RETENTION_FIRST_DELAY_MS = 30 * 1000;
const RETENTION_EVERY_MS = 24 * 60 * 60 * 1000;

export class Backups implements vscode.Disposable {
  private readonly stores = new Map<string, BackupStore>();
  private readonly watchers = new Map<string, { globs: string; watcher: vscode.Disposable }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  private retentionTimer: NodeJS.Timeout | undefined;
  private isDisposed = false;

  constructor(private readonly globalStoragePath: string, private readonly policies: WorkspacePolicies, private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      policies.onDidChange(() => this.refreshWatchers()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('agentGuardrails.backups')) this.stores.clear();
      }),
    );
  }

  /** Starts the shadow copies (after activation: the first sync walks the workspace) and retention (30 s later, then daily). */
  start(): void {
    void this.policies.whenLoaded().then(() => this.refreshWatchers());
    const run = (): void => {
      void this.applyRetention().finally(() => { if (!this.isDisposed) this.retentionTimer = setTimeout(run, RETENTION_EVERY_MS); });
    };
    this.retentionTimer = setTimeout(run, RETENTION_FIRST_DELAY_MS);
  }

  /** Retention by age for every workspace folder that has a backup store (none is created for it). */
  async applyRetention(): Promise<void> {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const store = this.storeFor(folder);
      if (!fs.existsSync(store.root)) continue;
      try {
        const result = await store.applyRetention();
        if (!result.ok) this.log.warn(`backups of ${folder.name}: old snapshots were not pruned: ${result.message}`);
      } catch (error) {
        this.log.error(`backups of ${folder.name}: pruning failed: ${String(error)}`);
      }
    }
  }

  /** The largest snapshot the folder's store accepts (`agentGuardrails.backups.maxSnapshotMB`). */
  maxSnapshotBytes(folder: vscode.WorkspaceFolder): number {
    return Math.max(1, guardSetting('maxSnapshotMB', folder)) * MIB;
  }

  storeFor(folder: vscode.WorkspaceFolder): BackupStore {
    const key = folder.uri.toString();
    let store = this.stores.get(key);
    if (!store) {
      const name = folder.name;
      store = new BackupStore(backupStoreRoot(this.globalStoragePath, folder.uri.fsPath), {
        maxSnapshotBytes: this.maxSnapshotBytes(folder),
        maxTotalBytes: Math.max(1, guardSetting('maxTotalMB', folder)) * MIB,
        // retentionPolicy (retention.ts) applies the minimums; a missing or non-number value takes the default.
        retention: { keepDays: guardSetting('keepDays', folder), keepAtLeast: guardSetting('keepAtLeast', folder) },
        retentionEveryMs: RETENTION_EVERY_MS,
        onPrune: (report) => this.log.info(describePrune(name, report)),
      });
      this.stores.set(key, store);
    }
    return store;
  }

  /** Backs up changed protected files of a folder soon (debounced). */
  scheduleShadow(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => void this.shadow(folder), SHADOW_DEBOUNCE_MS));
  }

  async shadow(folder: vscode.WorkspaceFolder): Promise<void> {
    const state = this.policies.forUri(folder.uri);
    if (!state || state.inForce.protectedPaths.length === 0) return;
    try {
      const result = await this.storeFor(folder).shadowSync(folder.uri.fsPath, state.inForce.protectedPaths);
      if (!result.ok) this.log.warn(`shadow copy of ${folder.name} failed: ${result.message}`);
      else if (result.changed.length > 0 || result.removed.length > 0) {
        this.log.info(`shadow copy of ${folder.name}: ${result.changed.length} changed, ${result.removed.length} removed${result.snapshotId ? ` (snapshot ${result.snapshotId})` : ''}${result.truncated ? ', walk truncated' : ''}`);
      }
    } catch (error) {
      this.log.error(`shadow copy of ${folder.name} failed: ${String(error)}`);
    }
  }

  private refreshWatchers(): void {
    const live = new Set<string>();
    for (const state of this.policies.all()) {
      const key = state.folder.uri.toString();
      live.add(key);
      const globs = [...state.inForce.protectedPaths].sort().join(',');
      const existing = this.watchers.get(key);
      if (existing?.globs === globs) continue;
      existing?.watcher.dispose();
      if (state.inForce.protectedPaths.length === 0) { this.watchers.delete(key); continue; }
      const pattern = state.inForce.protectedPaths.length === 1 ? state.inForce.protectedPaths[0]! : `{${state.inForce.protectedPaths.join(',')}}`;
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(state.folder, pattern));
      const folder = state.folder;
      const schedule = (): void => this.scheduleShadow(folder);
      this.watchers.set(key, { globs, watcher: vscode.Disposable.from(watcher, watcher.onDidChange(schedule), watcher.onDidCreate(schedule), watcher.onDidDelete(schedule)) });
      this.scheduleShadow(folder);
    }
    for (const [key, entry] of this.watchers) if (!live.has(key)) { entry.watcher.dispose(); this.watchers.delete(key); }
  }

  dispose(): void {
    this.isDisposed = true;
    clearTimeout(this.retentionTimer);
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const entry of this.watchers.values()) entry.watcher.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

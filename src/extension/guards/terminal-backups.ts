// Backups of what an approved terminal command deletes: before the person is asked, the guard works out what the
// line destroys and its size (the confirmation says what will be kept); after they approve, the snapshot is taken and
// only then does the shell go ahead. A failed snapshot asks whether to run without one ("Don't run" first).
import os = require('node:os');
import vscode = require('vscode');
import { backupsToTake, describeDeletionBackup, planDeletionBackup, type DeletionBackupPlan } from '../../files/deletion-backup.js';
import { listDeletionTargets } from '../../files/deletion-targets.js';
import { analyzeCommandLine } from '../../shell/analyze.js';
import { getBashParserIfReady } from '../../shell/parser.js';
import { askModal } from '../modal.js';
import type { Backups } from './backups.js';

/** Dry runs (`git clean -n`, `find`) get this long before the confirmation is shown without their list. */
const DRY_RUN_TIMEOUT_MS = 5_000;

export interface PreparedBackup {
  /** The sentences for the confirmation. */
  readonly line: string;
  readonly plan: DeletionBackupPlan;
}

/** What the backup step decided: run (with these snapshots, or none was needed), or do not run. */
export type BackupOutcome =
  | { readonly run: true; readonly snapshots: readonly string[]; readonly note: string }
  | { readonly run: false; readonly note: string };

export class TerminalBackups {
  constructor(private readonly backups: Backups, private readonly log: vscode.LogOutputChannel) {}

  /** What the line would delete and whether it fits the backup store; undefined when it deletes nothing known. */
  async prepare(command: string, cwd: string | undefined): Promise<PreparedBackup | undefined> {
    const parser = getBashParserIfReady();
    // Without the parser the verdict is already `confirm` for anything risky; nothing is known to back up.
    if (!parser) return undefined;
    const targets = listDeletionTargets(analyzeCommandLine(command, parser), { cwd, home: os.homedir() });
    if (targets.length === 0) return undefined;
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const plan = await planDeletionBackup(targets, {
      workspaceFolders: folders.map((f) => f.uri.fsPath),
      maxSnapshotBytes: (root) => {
        const folder = folders.find((f) => f.uri.fsPath === root);
        return folder ? this.backups.maxSnapshotBytes(folder) : 0;
      },
      timeoutMs: DRY_RUN_TIMEOUT_MS,
    });
    const line = describeDeletionBackup(plan);
    return line === undefined ? undefined : { line, plan };
  }

  /** Takes the snapshots the plan promised. On failure the person decides whether the command runs anyway. */
  async take(prepared: PreparedBackup, reason: string): Promise<BackupOutcome> {
    const snapshots: string[] = [];
    const failures: string[] = [];
    for (const folder of backupsToTake(prepared.plan)) {
      const workspaceFolder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(folder.folder));
      if (!workspaceFolder) { failures.push(`${folder.where}: the workspace folder is gone`); continue; }
      try {
        const result = await this.backups.storeFor(workspaceFolder).snapshot({ workspaceRoot: folder.folder, paths: folder.paths, operation: 'delete', source: 'terminal', reason });
        if (result.ok) {
          snapshots.push(result.snapshot.id);
          this.log.info(`terminal guard: backed up ${result.snapshot.fileCount} file(s) under ${folder.where} as ${result.snapshot.id} before: ${reason}`);
        } else if (result.reason === 'not-found') {
          this.log.info(`terminal guard: nothing left to back up under ${folder.where}: ${result.message}`);
        } else failures.push(`${folder.where}: ${result.message}`);
      } catch (error) {
        failures.push(`${folder.where}: ${String(error)}`);
      }
    }
    if (failures.length === 0) {
      return { run: true, snapshots, note: snapshots.length > 0 ? `backed up before it ran: snapshot ${snapshots.join(', ')}` : `no backup: ${prepared.line}` };
    }
    this.log.warn(`terminal guard: the backup before "${reason}" failed: ${failures.join('; ')}`);
    const runAnyway = 'Run without backup';
    const answer = await askModal('error', 'The backup before this command failed. Run it without a backup?',
      `${reason}\n\n${failures.join('\n')}\n\nWithout a backup, what it deletes cannot be restored.${snapshots.length > 0 ? `\nAlready backed up: snapshot ${snapshots.join(', ')}.` : ''}`,
      runAnyway, "Don't run");
    const failed = `backup failed: ${failures.join('; ')}`;
    return answer === runAnyway ? { run: true, snapshots, note: `${failed}; the person ran it without a backup` } : { run: false, note: `${failed}; not run` };
  }
}

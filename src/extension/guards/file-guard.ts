// The file guard: deletes and renames made in VS Code (Explorer, `workspace.applyEdit` from agent extensions) are backed
// up before they happen; protected paths and bulk operations then need a person's confirmation. VS Code cannot veto the
// operation, so a declined one is undone from the backup right after it happened, and the person is told.
// Also keeps `files.readonlyInclude` in step with the policy's protected paths, so editor edits to them are refused.
import fs = require('node:fs');
import vscode = require('vscode');
import type { Verdict } from '../../engine.js';
import { commonLocation } from '../../files/deletion-backup.js';
import { assessFileOperation, type FileOperation, type FileOperationAssessment } from '../../files/bulk-delete.js';
import { updateReadonlyInclude } from '../../files/readonly-include.js';
import type { AuditEntry } from '../audit/entry.js';
import type { AuditLog } from '../audit/log.js';
import { guardSetting } from '../settings/guard-settings.js';
import type { ConfirmationOutcome, ConfirmationService } from '../confirm/confirmation-service.js';
import type { FolderPolicy, WorkspacePolicies } from '../policy-watcher.js';
import type { Backups } from './backups.js';

const OUTCOME: Readonly<Record<ConfirmationOutcome, AuditEntry['outcome']>> = {
  approved: 'approved-by-person', cancelled: 'cancelled', 'timed-out': 'timed-out', 'wrong-confirmation': 'wrong-confirmation',
};
const OWNED_KEY = 'agentGuardrails.readonlyOwned:';

interface Pending {
  readonly operation: FileOperation;
  readonly state: FolderPolicy;
  readonly files: readonly { readonly from: vscode.Uri; readonly to?: vscode.Uri }[];
  readonly assessment: FileOperationAssessment;
  /** The snapshot of what the operation destroys, or why there is none. */
  readonly backup: { readonly ok: true; readonly id: string } | { readonly ok: false; readonly message: string };
}

export interface FileGuardDeps {
  readonly policies: WorkspacePolicies;
  readonly audit: AuditLog;
  readonly confirmation: ConfirmationService;
  readonly backups: Backups;
  readonly workspaceState: vscode.Memento;
  readonly log: vscode.LogOutputChannel;
}

export class FileGuard implements vscode.Disposable {
  /** Operations backed up in onWill*, waiting for their onDid* (keyed by the operation's URIs). */
  private readonly pending = new Map<string, Pending[]>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: FileGuardDeps) {
    this.disposables.push(
      vscode.workspace.onWillDeleteFiles((e) => e.waitUntil(this.before('delete', e.files.map((from) => ({ from }))))),
      vscode.workspace.onWillRenameFiles((e) => e.waitUntil(this.before('rename', e.files.map((f) => ({ from: f.oldUri, to: f.newUri }))))),
      vscode.workspace.onDidDeleteFiles((e) => void this.after(e.files.map((from) => ({ from })))),
      vscode.workspace.onDidRenameFiles((e) => void this.after(e.files.map((f) => ({ from: f.oldUri, to: f.newUri })))),
      deps.policies.onDidChange(() => void this.syncReadonly()),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('agentGuardrails.files.readonlyProtectedPaths')) void this.syncReadonly(); }),
    );
  }

  private async before(operation: FileOperation, files: readonly { from: vscode.Uri; to?: vscode.Uri }[]): Promise<void> {
    const groups = new Map<string, { state: FolderPolicy; files: { from: vscode.Uri; to?: vscode.Uri }[] }>();
    for (const file of files) {
      if (file.from.scheme !== 'file') continue;
      const folder = vscode.workspace.getWorkspaceFolder(file.from);
      const state = folder ? this.deps.policies.forUri(folder.uri) : undefined;
      if (!state) continue;
      const group = groups.get(state.folder.uri.toString()) ?? { state, files: [] };
      group.files.push(file);
      groups.set(state.folder.uri.toString(), group);
    }
    for (const { state, files: group } of groups.values()) {
      const root = state.folder.uri.fsPath;
      const paths = group.map((f) => f.from.fsPath);
      const bulkThreshold = guardSetting('bulkThreshold', state.folder);
      let assessment: FileOperationAssessment;
      try {
        assessment = assessFileOperation(operation, paths, state.inForce, { workspaceRoot: root, bulkThreshold });
      } catch (error) {
        assessment = { needsConfirmation: true, reasons: [{ rule: 'file.protected-path', message: `The operation could not be assessed (${String(error)}).`, paths: [] }], fileCount: paths.length, isCountPartial: true, protectedPaths: [] };
      }
      let backup: Pending['backup'];
      try {
        const names = group.map((f) => vscode.workspace.asRelativePath(f.from, false));
        const result = await this.deps.backups.storeFor(state.folder).snapshot({
          workspaceRoot: root, paths, operation, source: 'file-guard', reason: `${operation === 'delete' ? 'Delete' : 'Rename'} ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''} in VS Code`,
        });
        backup = result.ok ? { ok: true, id: result.snapshot.id } : { ok: false, message: result.message };
      } catch (error) {
        backup = { ok: false, message: String(error) };
      }
      if (!backup.ok) this.deps.log.warn(`file guard: no backup of ${operation} ${paths.join(', ')}: ${backup.message}`);
      else this.deps.log.info(`file guard: backed up ${operation} of ${paths.length} path(s) as ${backup.id}`);
      const key = operationKey(group);
      this.pending.set(key, [...(this.pending.get(key) ?? []), { operation, state, files: group, assessment, backup }]);
    }
  }

  private async after(files: readonly { from: vscode.Uri; to?: vscode.Uri }[]): Promise<void> {
    // The onWill* grouped by folder; find every group that is part of this operation.
    for (const [key, list] of [...this.pending]) {
      const item = list[0];
      if (!item || !item.files.every((f) => files.some((g) => g.from.toString() === f.from.toString()))) continue;
      list.shift();
      if (list.length === 0) this.pending.delete(key);
      await this.decide(item).catch((error: unknown) => this.deps.log.error(`file guard failed: ${String(error)}`));
    }
  }

  private async decide(item: Pending): Promise<void> {
    const { state, assessment, operation } = item;
    const names = item.files.map((f) => vscode.workspace.asRelativePath(f.from, false));
    const description = `${operation === 'delete' ? 'Delete' : 'Rename'} ${names.join(', ')}${item.files[0]?.to ? ` → ${vscode.workspace.asRelativePath(item.files[0].to, false)}` : ''} (${assessment.isCountPartial ? 'at least ' : ''}${assessment.fileCount} file${assessment.fileCount === 1 ? '' : 's'})`;
    const backupLine = item.backup.ok ? `A backup exists outside the workspace (snapshot ${item.backup.id}).` : `No backup exists: ${item.backup.message}`;
    if (!assessment.needsConfirmation) return;
    const policy = state.inForce;
    const verdict: Verdict = {
      decision: 'confirm',
      reasons: [
        ...assessment.reasons.map((r) => ({ rule: r.rule, message: r.message, command: r.paths.join(' '), severity: 'high' as const })),
        { rule: item.backup.ok ? 'file.backed-up' : 'file.no-backup', message: `Already done by VS Code; if you decline, it is undone from the backup. ${backupLine}`, command: description, severity: item.backup.ok ? 'info' as const : 'high' as const },
      ],
      environment: policy.environment, tier: policy.tier, unanalyzable: false,
      typedConfirmation: policy.tier === 'production' ? policy.environment : undefined,
    };
    const requester = 'a file operation (Explorer or an extension\'s workspace edit)';
    // One name that holds more than one file is a folder.
    const isFolder = names.length === 1 && (assessment.fileCount !== 1 || assessment.isCountPartial);
    const fileOperation = { operation, fileCount: assessment.fileCount, isCountPartial: assessment.isCountPartial, where: commonLocation(names, isFolder, state.folder.name) };
    const outcome = await this.deps.confirmation.request({ commandLine: description, verdict, source: 'file', requester, workspace: state.folder.name, fileOperation }, policy.timeoutSeconds);
    await this.record(state, description, verdict, OUTCOME[outcome], requester, [backupLine]);
    if (outcome === 'approved') {
      void vscode.window.showInformationMessage(`Guardrails: ${description} approved. ${backupLine}`);
      return;
    }
    await this.undo(item, description, verdict, requester);
  }

  private async undo(item: Pending, description: string, verdict: Verdict, requester: string): Promise<void> {
    const { state } = item;
    const restored: string[] = [];
    const problems: string[] = [];
    if (item.operation === 'rename') {
      // Moving back loses nothing; the snapshot is the fallback.
      for (const f of item.files) {
        if (f.to && fs.existsSync(f.to.fsPath) && !fs.existsSync(f.from.fsPath)) {
          try { fs.renameSync(f.to.fsPath, f.from.fsPath); restored.push(vscode.workspace.asRelativePath(f.from, false)); } catch (error) { problems.push(String(error)); }
        }
      }
    }
    if (restored.length < item.files.length && item.backup.ok) {
      const result = await this.deps.backups.storeFor(state.folder).restore(item.backup.id, { onConflict: 'keep-both' });
      if (result.ok) restored.push(...result.restored);
      else problems.push(result.message);
    } else if (restored.length < item.files.length && !item.backup.ok) {
      problems.push(`No backup exists: ${item.backup.message}`);
    }
    const ok = problems.length === 0;
    await this.record(state, description, verdict, ok ? 'restored' : 'restore-failed', requester, ok ? [`Restored ${restored.length} path(s) from ${item.backup.ok ? item.backup.id : 'the moved files'}.`] : problems);
    if (ok) void vscode.window.showWarningMessage(`Guardrails: you declined "${description}"; it was undone (${restored.length} path${restored.length === 1 ? '' : 's'} restored).`);
    else void vscode.window.showErrorMessage(`Guardrails: you declined "${description}", but it could not be undone: ${problems.join(' ')}`, 'Restore from Backup…').then((c) => { if (c) void vscode.commands.executeCommand('agentGuardrails.restoreBackup'); });
  }

  private record(state: FolderPolicy, command: string, verdict: Verdict, outcome: AuditEntry['outcome'], requester: string, detail: readonly string[]): Promise<void> {
    return this.deps.audit.append({
      time: new Date().toISOString(), workspace: state.folder.name, folder: state.folder.uri.fsPath, environment: verdict.environment, tier: verdict.tier,
      source: 'file', requester, command, decision: verdict.decision,
      reasons: verdict.reasons.map((r) => ({ rule: r.rule, message: r.message, command: r.command, severity: r.severity })), outcome, detail,
    });
  }

  private readonlyChain: Promise<void> = Promise.resolve();

  /** Protected paths are read-only in the editor: `files.readonlyInclude` holds them (only the entries this extension added). */
  syncReadonly(): Promise<void> {
    this.readonlyChain = this.readonlyChain.then(() => this.syncReadonlyNow());
    return this.readonlyChain;
  }

  private async syncReadonlyNow(): Promise<void> {
    for (const state of this.deps.policies.all()) {
      if (state.status === 'change-pending' || state.status === 'invalid') continue;
      try {
        const enabled = guardSetting('readonlyProtectedPaths', state.folder);
        const config = vscode.workspace.getConfiguration('files', state.folder.uri);
        const target = vscode.workspace.workspaceFile ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace;
        const inspected = config.inspect<Record<string, unknown>>('readonlyInclude');
        const current = target === vscode.ConfigurationTarget.WorkspaceFolder ? inspected?.workspaceFolderValue : inspected?.workspaceValue;
        const ownedKey = OWNED_KEY + state.folder.uri.toString();
        const owned = this.deps.workspaceState.get<string[]>(ownedKey, []);
        const update = updateReadonlyInclude(current, owned, enabled ? state.inForce.protectedPaths : []);
        if (update.changed) {
          await config.update('readonlyInclude', update.value, target);
          this.deps.log.info(`files.readonlyInclude of ${state.folder.name}: ${update.owned.join(', ') || '(none from the policy)'}`);
        }
        await this.deps.workspaceState.update(ownedKey, update.owned);
      } catch (error) {
        this.deps.log.warn(`could not update files.readonlyInclude of ${state.folder.name}: ${String(error)}`);
      }
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function operationKey(files: readonly { from: vscode.Uri }[]): string {
  return files.map((f) => f.from.toString()).sort().join('\n');
}

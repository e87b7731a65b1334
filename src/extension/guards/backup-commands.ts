// "Guardrails: Restore from Backup…": pick a snapshot (time, operation, files), restore it; files that differ from the
// snapshot are never overwritten silently: the person chooses Overwrite / Skip / Keep both / Cancel.
import vscode = require('vscode');
import type { SnapshotSummary } from '../../backup/backup-store.js';
import { formatBytes, type ConflictResolution, type RestoreConflict } from '../../backup/results.js';
import type { AuditLog } from '../audit/log.js';
import type { WorkspacePolicies } from '../policy-watcher.js';
import type { Backups } from './backups.js';

const OPERATION_LABEL: Readonly<Record<string, string>> = {
  delete: 'Deleted', rename: 'Renamed', shadow: 'Shadow copy', 'pre-restore': 'Before a restore', overwrite: 'Overwritten', manual: 'Manual',
};

export async function restoreFromBackup(deps: { policies: WorkspacePolicies; backups: Backups; audit: AuditLog; log: vscode.LogOutputChannel }): Promise<void> {
  const items: (vscode.QuickPickItem & { folder?: vscode.WorkspaceFolder; snapshot?: SnapshotSummary })[] = [];
  const many = deps.policies.all().length > 1;
  for (const state of deps.policies.all()) {
    const snapshots = await deps.backups.storeFor(state.folder).list();
    if (snapshots.length === 0) continue;
    if (many) items.push({ label: state.folder.name, kind: vscode.QuickPickItemKind.Separator });
    for (const snapshot of [...snapshots].sort((a, b) => b.time.localeCompare(a.time))) {
      // Shadow copies name no requested paths: list the files they hold.
      let shown = snapshot.paths;
      if (shown.length === 0) {
        const manifest = await deps.backups.storeFor(state.folder).manifest(snapshot.id);
        if (manifest.ok) shown = manifest.manifest.files.map((f) => f.path);
      }
      const files = shown.slice(0, 4).join(', ') + (shown.length > 4 ? ` +${shown.length - 4}` : '');
      items.push({
        label: `$(history) ${new Date(snapshot.time).toLocaleString()}`,
        description: `${OPERATION_LABEL[snapshot.operation] ?? snapshot.operation} · ${snapshot.fileCount} file${snapshot.fileCount === 1 ? '' : 's'} · ${formatBytes(snapshot.totalBytes)}`,
        detail: `${files}${snapshot.reason ? ` — ${snapshot.reason}` : ''}`,
        folder: state.folder, snapshot,
      });
    }
  }
  if (items.length === 0) {
    await vscode.window.showInformationMessage('No backups yet.', {
      modal: true, detail: 'Deletes and renames made in VS Code, and protected files (shadow copies), are backed up here, outside the workspace, as they happen.',
    });
    return;
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Restore from Backup', placeHolder: 'Which snapshot? Newest first.', matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true });
  if (!picked?.folder || !picked.snapshot) return;
  const { folder, snapshot } = picked;
  const askConflicts = async (conflicts: readonly RestoreConflict[]): Promise<ConflictResolution> => {
    const newer = conflicts.filter((c) => c.isNewer).length;
    const list = conflicts.slice(0, 8).map((c) => `• ${c.path}${c.kind === 'modified' ? '' : ` (${c.kind})`}${c.isNewer ? ' — newer than the backup' : ''}`).join('\n');
    const overwrite: vscode.MessageItem = { title: 'Overwrite' };
    const skip: vscode.MessageItem = { title: 'Skip' };
    const keepBoth: vscode.MessageItem = { title: 'Keep Both' };
    const cancel: vscode.MessageItem = { title: 'Cancel', isCloseAffordance: true };
    const answer = await vscode.window.showWarningMessage(
      `${conflicts.length} file${conflicts.length === 1 ? '' : 's'} in "${folder.name}" differ from the backup${newer > 0 ? ` (${newer} newer)` : ''}. Overwrite them?`,
      { modal: true, detail: `${list}${conflicts.length > 8 ? `\n… and ${conflicts.length - 8} more` : ''}\n\nOverwrite backs up the current files first. Skip leaves them. Keep Both writes the backup beside them.` },
      cancel, keepBoth, skip, overwrite,
    );
    if (answer === overwrite) return 'overwrite';
    if (answer === skip) return 'skip';
    if (answer === keepBoth) return 'keep-both';
    return 'cancel';
  };
  const result = await deps.backups.storeFor(folder).restore(snapshot.id, { onConflict: askConflicts });
  if (!result.ok) {
    if (result.reason === 'conflicts') { void vscode.window.showInformationMessage('Guardrails: restore cancelled; nothing was changed.'); return; }
    void vscode.window.showErrorMessage(`Guardrails: restore failed: ${result.message}`);
    return;
  }
  const state = deps.policies.forUri(folder.uri);
  await deps.audit.append({
    time: new Date().toISOString(), workspace: folder.name, folder: folder.uri.fsPath, environment: state?.inForce.environment ?? 'unmarked', tier: state?.inForce.tier ?? 'unmarked',
    source: 'file', requester: 'Restore from Backup', command: `restore ${snapshot.id}: ${snapshot.paths.join(', ')}`, decision: 'allow', reasons: [], outcome: 'restored',
    detail: [`restored: ${result.restored.join(', ') || '-'}`, `unchanged: ${result.unchanged.length}`, `skipped: ${result.skipped.join(', ') || '-'}`, ...result.keptBoth.map((k) => `kept both: ${k.path} → ${k.writtenTo}`)],
  });
  const parts = [`${result.restored.length} restored`, `${result.unchanged.length} already as in the backup`];
  if (result.skipped.length > 0) parts.push(`${result.skipped.length} skipped`);
  if (result.keptBoth.length > 0) parts.push(`${result.keptBoth.length} written beside the current file`);
  void vscode.window.showInformationMessage(`Guardrails: restored the backup of ${new Date(snapshot.time).toLocaleString()}: ${parts.join(', ')}.`);
}

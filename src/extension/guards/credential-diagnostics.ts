// Credentials of another, more critical environment within reach of this workspace: findings in .env, tfvars,
// kubeconfig… files become diagnostics at the exact place; findings in the extension host's environment become a line
// in the status bar tooltip, and (setting `agentGuardrails.environment.maskForeignVariables`) such variables are emptied
// in new terminals through the environment variable collection.
import fs = require('node:fs');
import vscode = require('vscode');
import { CREDENTIAL_FILE_GLOBS } from '../../policy/credential-files.js';
import { scanCredentialFile, scanEnvironmentVariables, variablesToMask } from '../../policy/credentials.js';
import type { WorkspacePolicies } from '../policy-watcher.js';
import type { EnvironmentStatusBar } from '../status-bar.js';
import { guardSetting } from '../settings/guard-settings.js';

const SCAN_DEBOUNCE_MS = 300;
const MAX_FILES = 200;
const MAX_BYTES = 1024 * 1024;
const CREDENTIAL_PATTERN = `{${CREDENTIAL_FILE_GLOBS.join(',')}}`;

export class CredentialGuard implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('agentGuardrails.credentials');
  private readonly disposables: vscode.Disposable[] = [this.diagnostics];
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> = Promise.resolve();

  constructor(
    private readonly policies: WorkspacePolicies,
    private readonly statusBar: EnvironmentStatusBar,
    private readonly environment: vscode.GlobalEnvironmentVariableCollection,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      policies.onDidChange(this.rescan),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('agentGuardrails.environment')) this.rescan(); }),
    );
  }

  /** Schedules a scan: for every event that can change what the files mean. */
  private readonly rescan = (): void => this.schedule();

  /** After activation: the file watcher, then the first scan (it reads files). */
  start(): void {
    const watcher = vscode.workspace.createFileSystemWatcher(CREDENTIAL_PATTERN);
    this.disposables.push(watcher, watcher.onDidChange(this.rescan), watcher.onDidCreate(this.rescan), watcher.onDidDelete(this.rescan));
    void this.policies.whenLoaded().then(this.rescan);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.scanning = this.scanning.then(() => this.scan()).catch((error: unknown) => this.log.error(`credential scan failed: ${String(error)}`)); }, SCAN_DEBOUNCE_MS);
  }

  private async scan(): Promise<void> {
    const started = performance.now();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const notices = new Set<string>();
    const mask = new Set<string>();
    let files = 0;
    for (const state of this.policies.all()) {
      const policy = state.inForce;
      const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(state.folder, CREDENTIAL_PATTERN), '**/node_modules/**', MAX_FILES);
      for (const uri of uris) {
        let text: string;
        try {
          const stat = await fs.promises.stat(uri.fsPath);
          if (stat.size > MAX_BYTES) continue;
          text = await fs.promises.readFile(uri.fsPath, 'utf8');
        } catch {
          continue;
        }
        files += 1;
        const findings = scanCredentialFile(policy, uri.fsPath, text);
        if (findings.length === 0) continue;
        const list = byFile.get(uri.toString()) ?? [];
        for (const f of findings) {
          const range = new vscode.Range(f.line - 1, f.column - 1, f.line - 1, f.column - 1 + f.length);
          const diagnostic = new vscode.Diagnostic(range, f.message, f.isSecret && !f.isCommentedOut ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
          diagnostic.source = 'Agent Guardrails';
          diagnostic.code = 'env.cross-environment-credential';
          list.push(diagnostic);
        }
        byFile.set(uri.toString(), list);
        notices.add(`${vscode.workspace.asRelativePath(uri, this.policies.all().length > 1)}: ${findings[0]!.message}${findings.length > 1 ? ` (+${findings.length - 1})` : ''}`);
      }
      for (const f of scanEnvironmentVariables(policy, process.env)) notices.add(f.message);
      const enabled = guardSetting('maskForeignVariables', state.folder);
      if (enabled) for (const name of variablesToMask(policy, process.env)) mask.add(name);
    }
    this.diagnostics.clear();
    for (const [uri, list] of byFile) this.diagnostics.set(vscode.Uri.parse(uri), list);
    this.statusBar.setNotices('credentials', [...notices]);
    this.applyMask([...mask].sort());
    this.log.info(`credential scan: ${files} file(s), ${byFile.size} with findings, ${notices.size} notice(s), ${mask.size} variable(s) masked in new terminals (${(performance.now() - started).toFixed(1)} ms)`);
  }

  private applyMask(names: readonly string[]): void {
    // Only the variables this guard empties: the terminal guard's hook variables share the collection.
    const current: string[] = [];
    this.environment.forEach((name, mutator) => { if (mutator.type === vscode.EnvironmentVariableMutatorType.Replace && mutator.value === '') current.push(name); });
    if (current.sort().join('\n') === names.join('\n')) return;
    for (const name of current) this.environment.delete(name);
    for (const name of names) this.environment.replace(name, '');
    this.environment.description = names.length > 0
      ? `Agent Guardrails empties ${names.join(', ')}: they belong to a more critical environment than this workspace's.`
      : undefined;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

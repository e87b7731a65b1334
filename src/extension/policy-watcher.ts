// Each workspace folder's policy: reads .vscode/guardrails.json, keeps it live, shows its problems as diagnostics,
// and guards it against tampering (a loosening change applies only after a person approves it).
import path = require('node:path');
import vscode = require('vscode');
import { UNMARKED_POLICY, strictFallbackPolicy } from '../policy/defaults.js';
import type { PolicyIssue } from '../policy/issues.js';
import { POLICY_RELATIVE_PATH } from '../policy/paths.js';
import type { Policy } from '../policy/schema.js';
import type { AuditEntry } from './audit/entry.js';
import type { AuditLog } from './audit/log.js';
import type { SerialQueue } from './confirm/queue.js';
import { presentIssueRanges } from './presenters/diagnostics.js';
import { askModal } from './modal.js';
import { presentPolicyChange } from './presenters/modal.js';
import type { FolderPolicyStatus, FolderPolicyView } from './presenters/status-bar.js';
import { acceptedRecord, decidePolicyUpdate, sha256, strictenPolicy, type AcceptedPolicyRecord } from './policy-update.js';

export interface PendingChange {
  readonly text: string | undefined;
  readonly hash: string;
  readonly loosenings: readonly string[];
  readonly tightenings: readonly string[];
}

export interface FolderPolicy {
  readonly folder: vscode.WorkspaceFolder;
  readonly file: vscode.Uri;
  status: FolderPolicyStatus;
  /** The policy the engine uses for this folder now. */
  inForce: Policy;
  issues: readonly PolicyIssue[];
  pending: PendingChange | undefined;
}

const RECORD_KEY = 'agentGuardrails.acceptedPolicy:';

export class WorkspacePolicies implements vscode.Disposable {
  private readonly folders = new Map<string, FolderPolicy>();
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Hashes a person declined this session: not asked again until the file changes. */
  private readonly declined = new Set<string>();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('agentGuardrails');
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.diagnostics, this.changed];
  /**
   * Resolves on the event loop's next turn after activation. The workspace's folders wait for it before their file
   * watchers are created: VS Code's first file watcher in an extension host took 2–150 ms here (a one-time cost of the
   * host, not of the pattern), which activation need not pay. Nothing is missed in between: each folder is 'loading'
   * (the built-in rules apply) until its first read, and that read comes after its watcher.
   */
  private readonly afterActivation = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 0);
    this.disposables.push({ dispose: () => clearTimeout(timer) });
  });

  constructor(
    private readonly state: vscode.Memento,
    private readonly audit: AuditLog,
    private readonly modals: SerialQueue,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(vscode.workspace.onDidChangeWorkspaceFolders((e) => {
      for (const folder of e.removed) this.removeFolder(folder);
      for (const folder of e.added) this.addFolder(folder);
      this.changed.fire();
    }));
    for (const folder of vscode.workspace.workspaceFolders ?? []) this.addFolder(folder);
  }

  all(): FolderPolicy[] {
    return [...this.folders.values()];
  }

  /** The folder policy for a resource, or the first folder's. */
  forUri(uri: vscode.Uri | undefined): FolderPolicy | undefined {
    const folder = uri ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
    return (folder && this.folders.get(folder.uri.toString())) ?? this.all()[0];
  }

  views(): FolderPolicyView[] {
    return this.all().map((f) => ({
      folderName: f.folder.name,
      policyFile: vscode.workspace.asRelativePath(f.file, true),
      status: f.status,
      environment: f.inForce.environment,
      tier: f.inForce.tier,
      counts: {
        allow: f.inForce.allow.length, confirm: f.inForce.confirm.length, block: f.inForce.block.length,
        protectedPaths: f.inForce.protectedPaths.length, environments: Object.keys(f.inForce.environments).length,
      },
      issueCount: f.issues.length,
      ...(f.status === 'invalid' && f.issues[0] ? { problem: `Line ${f.issues[0].line}: ${f.issues[0].message}.` } : {}),
      ...(f.status === 'change-pending' && f.pending ? { problem: f.pending.loosenings.join(' ') } : {}),
    }));
  }

  /** Ready when every folder's policy has been read once. */
  whenLoaded(): Promise<void> {
    return Promise.all([...this.chains.values()]).then(() => undefined);
  }

  /** Re-reads one folder's policy now (after the wizard wrote it, or to review a declined change again). */
  reload(folder: vscode.WorkspaceFolder, askAgain = false): Promise<void> {
    const key = folder.uri.toString();
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.load(key, askAgain)).catch((error: unknown) => {
      this.log.error(`Reading the policy of ${folder.name} failed: ${String(error)}`);
      this.unreadable(key, error);
    });
    this.chains.set(key, next);
    return next;
  }

  private addFolder(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    const file = vscode.Uri.joinPath(folder.uri, ...POLICY_RELATIVE_PATH.split(path.sep));
    // Until the file has been read, the built-in rules apply (as for an unmarked folder: fail closed).
    const entry: FolderPolicy = { folder, file, status: 'loading', inForce: UNMARKED_POLICY, issues: [], pending: undefined };
    this.folders.set(key, entry);
    const watch = (): void => {
      if (this.folders.get(key) !== entry) return; // removed meanwhile
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, POLICY_RELATIVE_PATH.split(path.sep).join('/')));
      const schedule = (): void => {
        clearTimeout(this.timers.get(key));
        this.timers.set(key, setTimeout(() => void this.reload(folder), 100));
      };
      this.watchers.set(key, vscode.Disposable.from(watcher, watcher.onDidChange(schedule), watcher.onDidCreate(schedule), watcher.onDidDelete(schedule)));
    };
    // The first read waits for the watcher (reload() chains after it), so no change falls between the two.
    this.chains.set(key, this.afterActivation.then(watch));
    void this.reload(folder);
  }

  private removeFolder(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    this.watchers.get(key)?.dispose();
    this.watchers.delete(key);
    const state = this.folders.get(key);
    if (state) this.diagnostics.delete(state.file);
    this.folders.delete(key);
  }

  /**
   * The file exists but cannot be read (a directory, permissions, an I/O error), or checking it failed (a damaged
   * dist/core.js): like a malformed policy, strict rules apply (the accepted policy made strict, or the strict
   * defaults) and the indicator shows the error.
   */
  private unreadable(key: string, error: unknown): void {
    const state = this.folders.get(key);
    if (!state) return;
    const message = `the policy file could not be read or checked (${error instanceof Error ? error.message : String(error)})`;
    const policy = state.status === 'loading' || state.inForce === UNMARKED_POLICY ? strictFallbackPolicy(message) : strictenPolicy(state.inForce, message);
    this.setState(state, 'invalid', policy, [{ code: 'io', path: [], message, line: 1, column: 1, offset: 0, length: 0 }], undefined);
    this.changed.fire();
  }

  private async readText(file: vscode.Uri): Promise<string | undefined> {
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
      throw error;
    }
  }

  private async load(key: string, askAgain: boolean): Promise<void> {
    const state = this.folders.get(key);
    if (!state) return;
    const text = await this.readText(state.file);
    const record = this.state.get<AcceptedPolicyRecord>(RECORD_KEY + key);
    const update = decidePolicyUpdate(record, text, state.file.fsPath);
    const before = `${state.status}/${state.inForce.environment}`;
    switch (update.kind) {
      case 'unchanged':
        this.setState(state, update.policy === UNMARKED_POLICY ? 'unmarked' : 'ok', update.policy, [], text);
        break;
      case 'apply':
        await this.storeRecord(key, update.text);
        this.setState(state, update.text === undefined ? 'unmarked' : 'ok', update.policy, [], text);
        if (update.firstUse) await this.auditPolicy(state, 'policy-accepted', ['First policy seen for this folder: accepted as it is.']);
        else if (update.tightenings.length > 0) await this.auditPolicy(state, 'policy-tightened', update.tightenings);
        break;
      case 'invalid':
        this.setState(state, 'invalid', update.inForce, update.issues, text);
        if (!this.declined.has(`invalid:${sha256(text ?? '')}`)) {
          this.declined.add(`invalid:${sha256(text ?? '')}`);
          await this.auditPolicy(state, 'policy-invalid', update.issues.map((i) => `Line ${i.line}, column ${i.column}: ${i.message}`));
        }
        break;
      case 'needs-approval': {
        const hash = sha256(update.text ?? '<deleted>');
        state.pending = { text: update.text, hash, loosenings: update.loosenings, tightenings: update.tightenings };
        this.setState(state, 'change-pending', update.inForce, [], text);
        if (this.declined.has(hash) && !askAgain) break;
        this.changed.fire();
        await this.askApproval(key, state, state.pending);
        break;
      }
    }
    if (`${state.status}/${state.inForce.environment}` !== before) this.log.info(`policy of ${state.folder.name}: ${state.status}, ${state.inForce.environment} (${state.inForce.tier}) from ${state.inForce.source}`);
    this.changed.fire();
  }

  private async askApproval(key: string, state: FolderPolicy, pending: PendingChange): Promise<void> {
    const text = presentPolicyChange(state.folder.name, pending.loosenings, pending.tightenings);
    this.log.warn(`policy change of ${state.folder.name} loosens it; asking a person: ${pending.loosenings.join(' ')}`);
    const answer = await this.modals.run(() => askModal('warning', text.message, text.detail, text.approve, 'Keep current policy'));
    if (answer === text.approve) {
      this.declined.delete(pending.hash);
      await this.storeRecord(key, pending.text);
      state.pending = undefined;
      await this.auditPolicy(state, 'policy-change-approved', pending.loosenings);
      // Apply exactly what was shown; a newer edit gets its own round.
      const current = await this.readText(state.file);
      const update = decidePolicyUpdate(this.state.get<AcceptedPolicyRecord>(RECORD_KEY + key), current, state.file.fsPath);
      if (update.kind === 'unchanged' || update.kind === 'apply') {
        if (update.kind === 'apply') await this.storeRecord(key, update.text);
        this.setState(state, update.policy === UNMARKED_POLICY ? 'unmarked' : 'ok', update.policy, [], current);
      } else {
        void this.reload(state.folder);
      }
    } else {
      this.declined.add(pending.hash);
      await this.auditPolicy(state, 'policy-change-declined', pending.loosenings);
      void vscode.window.showWarningMessage(`Guardrails: the change to the policy of "${state.folder.name}" was declined; the accepted policy stays in force.`, 'Review Again', 'Open Policy').then((choice) => {
        if (choice === 'Review Again') void this.reload(state.folder, true);
        if (choice === 'Open Policy') void vscode.commands.executeCommand('vscode.open', state.file);
      });
    }
  }

  private async storeRecord(key: string, text: string | undefined): Promise<void> {
    await this.state.update(RECORD_KEY + key, text === undefined ? undefined : acceptedRecord(text, new Date()));
  }

  private setState(state: FolderPolicy, status: FolderPolicyStatus, policy: Policy, issues: readonly PolicyIssue[], text: string | undefined): void {
    state.status = status;
    state.inForce = policy;
    state.issues = issues;
    if (status !== 'change-pending') state.pending = undefined;
    if (issues.length === 0 || text === undefined) {
      this.diagnostics.delete(state.file);
      return;
    }
    this.diagnostics.set(state.file, presentIssueRanges(text, issues).map((r) => {
      const diagnostic = new vscode.Diagnostic(new vscode.Range(r.startLine, r.startCharacter, r.endLine, r.endCharacter), r.message, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'Agent Guardrails';
      diagnostic.code = r.code;
      return diagnostic;
    }));
  }

  private auditPolicy(state: FolderPolicy, outcome: AuditEntry['outcome'], detail: readonly string[]): Promise<void> {
    return this.audit.append({
      time: new Date().toISOString(), workspace: state.folder.name, folder: state.folder.uri.fsPath,
      environment: state.inForce.environment, tier: state.inForce.tier, source: 'policy',
      command: vscode.workspace.asRelativePath(state.file, true), decision: 'policy', reasons: [], outcome, detail,
    });
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const watcher of this.watchers.values()) watcher.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

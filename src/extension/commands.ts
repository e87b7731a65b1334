// The commands: create a policy, explain or run a command guarded, the status bar menu, the audit log.
import vscode = require('vscode');
import { evaluate, type Verdict } from '../engine.js';
import { POLICY_RELATIVE_PATH } from '../policy/paths.js';
import type { Tier } from '../policy/schema.js';
import { loadBashParser } from '../shell/parser.js';
import type { AuditEntry } from './audit/entry.js';
import type { AuditLog } from './audit/log.js';
import type { ConfirmationOutcome, ConfirmationService } from './confirm/confirmation-service.js';
import { parseIdentifierList, renderPolicyTemplate } from './policy-template.js';
import type { FolderPolicy, WorkspacePolicies } from './policy-watcher.js';
import { askModal } from './modal.js';
import { presentBlocked, presentExplanation } from './presenters/modal.js';
import { folderContext } from '../shell/folder-context.js';

export const COMMANDS = {
  createPolicy: 'agentGuardrails.createPolicy',
  openPolicy: 'agentGuardrails.openPolicy',
  explainCommand: 'agentGuardrails.explainCommand',
  runGuardedCommand: 'agentGuardrails.runGuardedCommand',
  showAuditLog: 'agentGuardrails.showAuditLog',
  exportAuditLog: 'agentGuardrails.exportAuditLog',
  showMenu: 'agentGuardrails.showMenu',
  restoreBackup: 'agentGuardrails.restoreBackup',
  reviewPolicyChange: 'agentGuardrails.reviewPolicyChange',
} as const;

export interface CommandDeps {
  readonly policies: WorkspacePolicies;
  readonly audit: AuditLog;
  readonly confirmation: ConfirmationService;
  readonly log: vscode.LogOutputChannel;
  readonly wasmDirectory: string;
  /** "Restore from Backup…" (the file guards' backups). */
  readonly restoreBackup: () => Promise<void>;
}

const OUTCOME: Readonly<Record<ConfirmationOutcome, AuditEntry['outcome']>> = {
  approved: 'approved-by-person', cancelled: 'cancelled', 'timed-out': 'timed-out', 'wrong-confirmation': 'wrong-confirmation',
};

export function registerCommands(deps: CommandDeps): vscode.Disposable {
  const { policies, audit, log } = deps;
  let terminal: vscode.Terminal | undefined;

  async function pickFolder(title: string): Promise<FolderPolicy | undefined> {
    const all = policies.all();
    if (all.length <= 1) return all[0];
    const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: title, ignoreFocusOut: true });
    return picked ? policies.forUri(picked.uri) : undefined;
  }

  async function verdictFor(commandLine: string, state: FolderPolicy): Promise<Verdict> {
    // The parser loads lazily after activation; wait a little for it, otherwise the engine fails closed (confirm).
    await Promise.race([loadBashParser(deps.wasmDirectory).catch(() => undefined), new Promise((r) => setTimeout(r, 3000))]);
    return evaluate(commandLine, { policy: state.inForce, ...folderContext(state.folder.uri.fsPath) });
  }

  function record(state: FolderPolicy, commandLine: string, verdict: Verdict, outcome: AuditEntry['outcome'], requester: string): Promise<void> {
    return audit.append({
      time: new Date().toISOString(), workspace: state.folder.name, folder: state.folder.uri.fsPath,
      environment: verdict.environment, tier: verdict.tier, source: 'command', requester, command: commandLine,
      decision: verdict.decision, reasons: verdict.reasons.map((r) => ({ rule: r.rule, message: r.message, command: r.command, severity: r.severity })), outcome,
    });
  }

  function runInTerminal(state: FolderPolicy, commandLine: string): void {
    if (!terminal || terminal.exitStatus !== undefined) {
      terminal = vscode.window.createTerminal({ name: 'Guardrails', cwd: state.folder.uri });
    }
    terminal.show(true);
    terminal.sendText(commandLine, true);
  }

  async function runGuarded(commandLine?: string): Promise<void> {
    const line = commandLine ?? await vscode.window.showInputBox({
      title: 'Guardrails: Run Command Guarded', prompt: 'A shell command line. It runs in the "Guardrails" terminal if the policy allows it, or after you confirm.', ignoreFocusOut: true,
    });
    if (!line || line.trim() === '') return;
    const state = await pickFolder('Run the command in which folder?');
    if (!state) return;
    const verdict = await verdictFor(line, state);
    const requester = 'command palette';
    log.info(`run guarded: ${verdict.decision} ${line}`);
    if (verdict.decision === 'allow') {
      if (verdict.reasons.some((r) => r.rule !== 'engine.no-match')) await record(state, line, verdict, 'ran', requester);
      runInTerminal(state, line);
      return;
    }
    if (verdict.decision === 'block') {
      await record(state, line, verdict, 'blocked', requester);
      const text = presentBlocked(line, verdict);
      await vscode.window.showErrorMessage(text.message, { modal: true, detail: text.detail });
      return;
    }
    const outcome = await deps.confirmation.request({ commandLine: line, verdict, source: 'command', requester, workspace: state.folder.name }, state.inForce.timeoutSeconds);
    await record(state, line, verdict, OUTCOME[outcome], requester);
    if (outcome === 'approved') runInTerminal(state, line);
    else void vscode.window.showInformationMessage(`Guardrails: not run (${outcome.replace('-', ' ')}): ${line}`);
  }

  async function explain(): Promise<void> {
    const line = await vscode.window.showInputBox({ title: 'Guardrails: Explain Command', prompt: 'A shell command line to check against the policy. Nothing is run.', ignoreFocusOut: true });
    if (!line || line.trim() === '') return;
    const state = await pickFolder('Explain it for which folder?');
    if (!state) return;
    const verdict = await verdictFor(line, state);
    log.info(`explain: ${verdict.decision} ${line} — ${verdict.reasons.map((r) => r.rule).join(', ')}`);
    const text = presentExplanation(line, verdict);
    await vscode.window.showInformationMessage(text.message, { modal: true, detail: text.detail });
  }

  async function createPolicy(): Promise<void> {
    const state = await pickFolder('Create the policy for which folder?');
    if (!state) {
      void vscode.window.showWarningMessage('Guardrails: open a folder first; the policy lives in its .vscode/guardrails.json.');
      return;
    }
    let exists = true;
    try { await vscode.workspace.fs.stat(state.file); } catch { exists = false; }
    if (exists) {
      const overwrite = await askModal('warning', `${POLICY_RELATIVE_PATH} already exists in "${state.folder.name}". Replace it?`, 'A replacement that loosens the policy needs your approval once more.', 'Replace', 'Keep existing file');
      if (overwrite !== 'Replace') return;
    }
    const tiers: (vscode.QuickPickItem & { tier: Tier })[] = [
      { label: '$(shield) Staging', tier: 'staging', description: 'destructive commands need a two-step confirmation' },
      { label: '$(shield) Production', tier: 'production', description: 'destructive commands need the environment name typed' },
      { label: '$(shield) Development', tier: 'development', description: 'destructive commands need confirmation' },
    ];
    const tier = await vscode.window.showQuickPick(tiers, { title: 'Create Policy (1/3): how critical is this workspace?', ignoreFocusOut: true });
    if (!tier) return;
    const environment = await vscode.window.showInputBox({
      title: 'Create Policy (2/3): environment name', value: tier.tier, prompt: 'The name of this workspace\'s environment (shown in the status bar).', ignoreFocusOut: true,
      validateInput: (v) => (/^[A-Za-z0-9_.-]+$/.test(v) ? undefined : 'Letters, digits, ".", "_" and "-" only'),
    });
    if (!environment) return;
    const ids = await vscode.window.showInputBox({
      title: tier.tier === 'production' ? 'Create Policy (3/3): production identifiers (this environment)' : 'Create Policy (3/3): production identifiers',
      prompt: tier.tier === 'production' ? 'Identifiers of this production environment (hosts, kube contexts, token variable names), comma-separated.' : 'Identifiers of production this workspace must never reach: hosts, kube contexts, project ids, token variable names (globs allowed), comma-separated.',
      placeHolder: 'prod-db.internal, --context=prod, PROD_*', ignoreFocusOut: true,
    });
    if (ids === undefined) return;
    const text = renderPolicyTemplate({ environment, tier: tier.tier, productionIdentifiers: parseIdentifierList(ids) });
    await vscode.workspace.fs.writeFile(state.file, new TextEncoder().encode(text));
    await policies.reload(state.folder);
    await vscode.window.showTextDocument(state.file, { preview: false });
  }

  async function openPolicy(): Promise<void> {
    const state = await pickFolder('Open the policy of which folder?');
    if (!state) return;
    try {
      await vscode.workspace.fs.stat(state.file);
    } catch {
      const create = await vscode.window.showInformationMessage(`"${state.folder.name}" has no policy file yet.`, 'Create Policy…');
      if (create) await createPolicy();
      return;
    }
    await vscode.window.showTextDocument(state.file, { preview: false });
  }

  async function showAuditLog(): Promise<void> {
    await vscode.commands.executeCommand('agentGuardrails.auditLog.focus');
    log.show(true);
  }

  async function exportAuditLog(): Promise<void> {
    const entries = await audit.all();
    const today = new Date().toISOString().slice(0, 10);
    const target = await vscode.window.showSaveDialog({
      title: 'Export Audit Log', saveLabel: 'Export', filters: { 'JSON Lines': ['jsonl'] },
      ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, `guardrails-audit-${today}.jsonl`) } : {}),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length > 0 ? '\n' : '')));
    void vscode.window.showInformationMessage(`Guardrails: exported ${entries.length} audit entries to ${target.fsPath}.`);
  }

  function restoreBackup(): Promise<void> {
    return deps.restoreBackup();
  }

  async function reviewPolicyChange(): Promise<void> {
    const pending = policies.all().filter((f) => f.status === 'change-pending');
    const state = pending.length === 1 ? pending[0] : pending.length > 1 ? await pickFolder('Review the change of which folder?') : undefined;
    if (!state) {
      void vscode.window.showInformationMessage('Guardrails: no policy change waits for approval.');
      return;
    }
    await policies.reload(state.folder, true);
  }

  async function showMenu(): Promise<void> {
    const all = policies.all();
    const unmarked = all.some((f) => f.status === 'unmarked');
    const items: (vscode.QuickPickItem & { command: string })[] = [];
    if (unmarked) items.push({ label: '$(add) Create Policy…', description: 'mark this workspace\'s environment', command: COMMANDS.createPolicy });
    if (all.some((f) => f.status !== 'unmarked' && f.status !== 'loading')) items.push({ label: '$(go-to-file) Open Policy', description: POLICY_RELATIVE_PATH, command: COMMANDS.openPolicy });
    if (all.some((f) => f.status === 'change-pending')) items.push({ label: '$(warning) Review Pending Policy Change…', command: COMMANDS.reviewPolicyChange });
    items.push(
      { label: '$(question) Explain a Command…', description: 'verdict and reasons, nothing runs', command: COMMANDS.explainCommand },
      { label: '$(play) Run a Command Guarded…', command: COMMANDS.runGuardedCommand },
      { label: '$(list-unordered) Show Audit Log', command: COMMANDS.showAuditLog },
      { label: '$(history) Restore from Backup…', description: 'snapshots kept outside the workspace', command: COMMANDS.restoreBackup },
    );
    const picked = await vscode.window.showQuickPick(items, { title: 'Agent Guardrails' });
    if (picked) await vscode.commands.executeCommand(picked.command);
  }

  const guard = (name: string, fn: (...args: never[]) => Promise<void>) => (...args: never[]): Promise<void> => fn(...args).catch((error: unknown) => {
    log.error(`${name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    void vscode.window.showErrorMessage(`Guardrails: ${name} failed. See the "Agent Guardrails" output.`, 'Open Log').then((c) => { if (c) log.show(); });
  });

  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.createPolicy, guard('Create Policy', createPolicy)),
    vscode.commands.registerCommand(COMMANDS.openPolicy, guard('Open Policy', openPolicy)),
    vscode.commands.registerCommand(COMMANDS.explainCommand, guard('Explain Command', explain)),
    vscode.commands.registerCommand(COMMANDS.runGuardedCommand, guard('Run Command Guarded', (line?: string) => runGuarded(typeof line === 'string' ? line : undefined))),
    vscode.commands.registerCommand(COMMANDS.showAuditLog, guard('Show Audit Log', showAuditLog)),
    vscode.commands.registerCommand(COMMANDS.exportAuditLog, guard('Export Audit Log', exportAuditLog)),
    vscode.commands.registerCommand(COMMANDS.showMenu, guard('Show Menu', showMenu)),
    vscode.commands.registerCommand(COMMANDS.restoreBackup, guard('Restore from Backup', restoreBackup)),
    vscode.commands.registerCommand(COMMANDS.reviewPolicyChange, guard('Review Policy Change', reviewPolicyChange)),
    { dispose: () => { terminal = undefined; } },
  );
}


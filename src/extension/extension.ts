// Activation: wires VS Code to the engine. Cheap by design: this bundle holds only what activation needs; the engine,
// the rule packs, the policy schema and the shell parser are in dist/core.js, loaded on first use (core-loader.ts).
import { loadStarted } from './load-start.js';
import path = require('node:path');
import vscode = require('vscode');
import { loadBashParser } from '../shell/parser.js';
import { AuditLog } from './audit/log.js';
import { AuditTreeProvider } from './audit/tree-view.js';
import { registerCommands } from './commands.js';
import { ConfirmationService } from './confirm/confirmation-service.js';
import { restoreFromBackup } from './guards/backup-commands.js';
import { Backups } from './guards/backups.js';
import { CredentialGuard } from './guards/credential-diagnostics.js';
import { FileGuard } from './guards/file-guard.js';
import { TaskGuard } from './guards/task-guard.js';
import { TerminalBackups } from './guards/terminal-backups.js';
import { TerminalGuard } from './guards/terminal-guard.js';
import { SerialQueue } from './confirm/queue.js';
import { onCoreLoaded } from './core-loader.js';
import { WorkspacePolicies } from './policy-watcher.js';
import { EnvironmentStatusBar } from './status-bar.js';
import { watchGuardSettings } from './settings/guard-settings.js';
import { offerPolicyForUnmarked } from './unmarked-notice.js';

/** The bundle's modules have been evaluated (everything this module imports ran before this line). */
const modulesLoaded = performance.now();

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  // Module evaluation plus activate(); not the time VS Code itself spends between loading the code and calling us.
  const marks: string[] = [`modules ${(modulesLoaded - loadStarted).toFixed(1)}`];
  let last = started;
  const mark = (name: string): void => { const now = performance.now(); marks.push(`${name} ${(now - last).toFixed(1)}`); last = now; };
  const log = vscode.window.createOutputChannel('Agent Guardrails', { log: true });
  mark('log');
  const audit = new AuditLog(context.globalStorageUri.fsPath, log);
  // One queue for every modal the extension shows: confirmations and policy approvals never interleave.
  const modals = new SerialQueue();
  const policies = new WorkspacePolicies(context.globalState, audit, modals, log);
  mark('policies');
  const confirmation = new ConfirmationService(modals, log);
  const wasmDirectory = path.join(context.extensionPath, 'dist');
  const tree = new AuditTreeProvider(audit);
  const statusBar = new EnvironmentStatusBar(policies, audit);
  context.subscriptions.push(log, audit, policies, tree, statusBar, watchGuardSettings({ policies, audit, log }), offerPolicyForUnmarked(policies, context.workspaceState, log));
  mark('status bar');
  context.subscriptions.push(vscode.window.createTreeView('agentGuardrails.auditLog', { treeDataProvider: tree, showCollapseAll: true }));
  mark('tree view');
  const backups = new Backups(context.globalStorageUri.fsPath, policies, log);
  context.subscriptions.push(backups, registerCommands({ policies, audit, confirmation, log, wasmDirectory, restoreBackup: () => restoreFromBackup({ policies, backups, audit, log }) }));
  mark('commands');
  context.subscriptions.push(new TaskGuard({ policies, audit, confirmation, log, wasmDirectory }));
  mark('task guard');
  const fileGuard = new FileGuard({ policies, audit, confirmation, backups, workspaceState: context.workspaceState, log });
  context.subscriptions.push(fileGuard);
  mark('file guard');
  const credentials = new CredentialGuard(policies, statusBar, context.environmentVariableCollection, log);
  context.subscriptions.push(credentials);
  mark('credentials');
  const terminalBackups = new TerminalBackups(backups, log);
  // Without the terminal guard no terminal gets the hook: said where a person looks, not only in the log.
  const terminalsUnguarded = (error: unknown): void => {
    const message = `The terminal guard could not start: terminals are not guarded (${error instanceof Error ? error.message : String(error)}).`;
    log.error(message);
    statusBar.setNotices('terminal-guard', [message]);
    void vscode.window.showErrorMessage(`Agent Guardrails: ${message} Reinstall or update the extension.`);
  };
  // The terminal guard, its verdict server, prefilter and PATH guard files and the terminal environment: after
  // activation (its module is in dist/core.js, with the server). Terminals opened until then have no hook either
  // way: it finds them and marks them unguarded.
  const terminalGuardStart = setTimeout(() => {
    try {
      const terminalGuard = new TerminalGuard({ context, policies, audit, confirmation, statusBar, log, wasmDirectory, backups: terminalBackups });
      context.subscriptions.push(terminalGuard);
      terminalGuard.start().catch(terminalsUnguarded);
    } catch (error) {
      terminalsUnguarded(error);
    }
  }, 0);
  context.subscriptions.push({ dispose: () => clearTimeout(terminalGuardStart) });
  mark('terminal guard');
  // Shadow copies walk the workspace: after activation.
  // Each on its own: one that fails (dist/core.js damaged) does not keep the others from starting.
  const startEach = (starts: Record<string, () => unknown>): void => {
    for (const [name, start] of Object.entries(starts)) {
      Promise.resolve().then(start).catch((error: unknown) => log.error(`${name}: could not start: ${String(error)}`));
    }
  };
  const deferredGuards = setTimeout(() => startEach({
    backups: () => backups.start(),
    'credential guard': () => credentials.start(),
    'read-only protected paths': () => policies.whenLoaded().then(() => fileGuard.syncReadonly()),
  }), 0);
  context.subscriptions.push({ dispose: () => clearTimeout(deferredGuards) });
  const activationMs = (modulesLoaded - loadStarted) + (performance.now() - started);
  log.info(`activated in ${activationMs.toFixed(1)} ms (${marks.join(', ')}; module evaluation from the bundle's first line plus activate(), before the engine and the shell parser load); audit log: ${audit.file}`);
  void policies.whenLoaded().then(() => log.info(`policies read ${(performance.now() - started).toFixed(1)} ms after activate() began (their file watchers are created after activation)`));
  onCoreLoaded(({ ms, firstUse }) => log.info(`engine loaded in ${ms.toFixed(1)} ms (dist/core.js, first needed for ${firstUse})`));
  // Until the parser is ready the engine answers confirm for anything but plain read-only commands (fail closed).
  const timer = setTimeout(() => {
    const parserStarted = performance.now();
    // Through a promise: a damaged dist/core.js throws on the first read of loadBashParser.
    Promise.resolve().then(() => loadBashParser(wasmDirectory)).then(
      () => log.info(`shell parser ready in ${(performance.now() - parserStarted).toFixed(1)} ms`),
      (error: unknown) => log.error(`the shell parser failed to load; every non-trivial command needs confirmation: ${String(error)}`),
    );
  }, 0);
  context.subscriptions.push({ dispose: () => clearTimeout(timer) });
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}

// The terminal guard: the verdict server the shell hooks ask (src/hook/), the terminal environment that loads them,
// the person's answer through the one confirmation flow, the audit, unguarded terminals in the tooltip, and bypass
// detection (executions VS Code sees that the hook never asked about).
import fs = require('node:fs');
import path = require('node:path');
import vscode = require('vscode');
import { evaluate, type Verdict } from '../../engine.js';
import { hookVariables } from '../../hook/environment.js';
import { installPathGuard } from '../../hook/path-guard.js';
import { buildPrefilter, writePrefilterFile } from '../../hook/prefilter.js';
import { ProcessMonitor, type StoppedProcess } from '../../hook/process-monitor.js';
import { startVerdictServer, type HookDecision, type HookEvent, type VerdictRequest, type VerdictServer } from '../../hook/verdict-server.js';
import { UNMARKED_POLICY } from '../../policy/defaults.js';
import type { Policy } from '../../policy/schema.js';
import { getBashParserIfReady, loadBashParser } from '../../shell/parser.js';
import type { AuditEntry } from '../audit/entry.js';
import type { AuditLog } from '../audit/log.js';
import type { ConfirmationOutcome, ConfirmationService } from '../confirm/confirmation-service.js';
import type { WorkspacePolicies } from '../policy-watcher.js';
import { presentBypassAlert, type BypassCatch } from '../presenters/bypass-alert.js';
import { presentBlocked } from '../presenters/modal.js';
import type { EnvironmentStatusBar } from '../status-bar.js';
import { HOOK_GRACE_MS, HookActivity, descendants, unhookedShells, type TerminalGuardState } from './bypass-detector.js';
import type { PreparedBackup, TerminalBackups } from './terminal-backups.js';
import { folderContext } from '../../shell/folder-context.js';

export const RESTART_UNGUARDED_COMMAND = 'agentGuardrails.restartUnguardedTerminals';
/** A terminal whose hook has not said hello this long after it opened counts as unguarded. */
const HELLO_WAIT_MS = 15_000;
/** After Ctrl+C, how long a bypassing execution may take to end before its processes are killed. */
const KILL_AFTER_MS = 1_500;
/** Within this time the same line in the same terminal is not interrupted again. */
const INTERRUPT_DEDUPE_MS = 10_000;
/** Within this time a second bypass in the same terminal is audited and logged, but not alerted with another modal. */
const ALERT_DEDUPE_MS = 5_000;
/** How long an approval given in "Run Command Guarded…" waits for the hook's question about the same line. */
const APPROVAL_HANDOVER_MS = 60_000;

const OUTCOME: Readonly<Record<ConfirmationOutcome, AuditEntry['outcome']>> = {
  approved: 'approved-by-person', cancelled: 'cancelled', 'timed-out': 'timed-out', 'wrong-confirmation': 'wrong-confirmation',
};

export interface TerminalGuardDeps {
  readonly context: vscode.ExtensionContext;
  readonly policies: WorkspacePolicies;
  readonly audit: AuditLog;
  readonly confirmation: ConfirmationService;
  readonly statusBar: EnvironmentStatusBar;
  readonly log: vscode.LogOutputChannel;
  readonly wasmDirectory: string;
  /** Backs up what an approved deletion destroys before the shell goes ahead. */
  readonly backups: TerminalBackups;
}

interface TerminalRecord {
  state: TerminalGuardState;
  pid: number | undefined;
  detail: string;
  timer?: NodeJS.Timeout | undefined;
  /** The execution that started an unhooked shell inside the terminal ('shell-inside'). */
  execution?: vscode.TerminalShellExecution | undefined;
  /** The pids of the unhooked shells inside ('shell-inside'): the process monitor watches below them. */
  shells?: readonly number[] | undefined;
  /** When the guard started tracking it (opened, or found at activation). */
  readonly opened: number;
}

export class TerminalGuard implements vscode.Disposable {
  private server: VerdictServer | undefined;
  private disposed = false;
  private readonly activity = new HookActivity();
  private readonly terminals = new Map<vscode.Terminal, TerminalRecord>();
  /** Confirmation outcomes of requests `decide` handled, for the audit entry the server's event then writes. */
  private readonly outcomes = new WeakMap<VerdictRequest, ConfirmationOutcome>();
  /** The backup taken (or not) before an approved request ran, for the same audit entry. */
  private readonly backupNotes = new WeakMap<VerdictRequest, { readonly note: string; readonly snapshots: readonly string[] }>();
  private readonly ended = new WeakSet<vscode.TerminalShellExecution>();
  private readonly disposables: vscode.Disposable[] = [];
  private prefilterFile = '';
  private readonly interrupted = new WeakMap<vscode.Terminal, { readonly line: string; readonly at: number }>();
  /** Pending timers (unhooked-shell watch per terminal, kill after Ctrl+C per execution), cleared on dispose. */
  private readonly watches = new Map<object, () => void>();
  /** Lines a person approved through "Run Command Guarded…", until they reach the hook (one use each). */
  private readonly approvedByCommand = new Map<string, number>();
  /** When the terminal variables were set: a terminal opened later without them had them stripped. */
  private variablesSetAt: number | undefined;
  private readonly alertedAt = new WeakMap<vscode.Terminal, number>();
  /**
   * The terminal's name when the monitor started watching a root: the name of a terminal without shell integration
   * follows its foreground process, so at the time of a stop it would read "curl".
   */
  private readonly watchedNames = new Map<number, string>();
  /**
   * Bypass detection where VS Code sees nothing: polls the process trees of unguarded terminals (Linux). Made when a
   * terminal first needs it, not at activation: its module is part of the engine bundle (dist/core.js).
   */
  private processMonitor: ProcessMonitor | undefined;
  private get monitor(): ProcessMonitor {
    return this.processMonitor ??= new ProcessMonitor({
      policyFor: (cwd) => this.policyFor(cwd),
      parser: () => getBashParserIfReady(),
      onStopped: (event) => void this.onMonitorStop(event).catch((error: unknown) => this.deps.log.error(`terminal guard: ${String(error)}`)),
      onError: (error) => this.deps.log.error(`terminal guard: process monitor: ${String(error)}`),
    });
  }

  constructor(private readonly deps: TerminalGuardDeps) {
    // Terminals already open have no hook (the variables are set later, and only reach new terminals).
    for (const terminal of vscode.window.terminals) this.track(terminal, 'before-activation');
    this.disposables.push(
      vscode.window.onDidOpenTerminal((terminal) => this.track(terminal, 'waiting')),
      vscode.window.onDidCloseTerminal((terminal) => {
        clearTimeout(this.terminals.get(terminal)?.timer);
        this.watches.get(terminal)?.();
        this.watches.delete(terminal);
        this.terminals.delete(terminal);
        this.updateNotices();
      }),
      vscode.window.onDidStartTerminalShellExecution((e) => void this.onStart(e).catch((error: unknown) => deps.log.error(`terminal guard: ${String(error)}`))),
      vscode.window.onDidEndTerminalShellExecution((e) => {
        this.ended.add(e.execution);
        const record = this.terminals.get(e.terminal);
        if (record?.state === 'shell-inside' && record.execution === e.execution) {
          record.state = 'guarded';
          record.execution = undefined;
          this.updateNotices();
        }
        deps.log.info(`terminal "${e.terminal.name}": ended (exit ${e.exitCode ?? 'unknown'}): ${e.execution.commandLine.value}`);
      }),
      deps.policies.onDidChange(() => this.writePrefilter()),
      // "Run Command Guarded…" asked the person already and then types the line into its terminal: the hook's question
      // about exactly that line is answered with that approval, once, instead of a second modal.
      deps.audit.onDidChange((entry) => {
        if (entry?.source === 'command' && entry.outcome === 'approved-by-person') this.approvedByCommand.set(entry.command.trim(), Date.now() + APPROVAL_HANDOVER_MS);
      }),
      vscode.commands.registerCommand(RESTART_UNGUARDED_COMMAND, () => this.restartUnguarded()),
    );
    this.updateNotices();
  }

  /** Starts the server, writes the prefilter and PATH guard, sets the terminal environment. Call after activation. */
  async start(): Promise<void> {
    const { context, log } = this.deps;
    const started = performance.now();
    const parser = await loadBashParser(this.deps.wasmDirectory).catch(() => undefined);
    await this.deps.policies.whenLoaded();
    const server = await startVerdictServer({
      policyFor: (cwd) => this.policyFor(cwd),
      decide: (request, verdict, signal) => this.decide(request, verdict, signal),
      parser,
      onEvent: (event) => this.onEvent(event),
    });
    if (this.disposed) {
      await server.close();
      return;
    }
    this.server = server;
    const windowDirectory = context.storageUri?.fsPath ?? path.join(context.globalStorageUri.fsPath, 'no-workspace');
    this.prefilterFile = path.join(windowDirectory, 'hook', 'prefilter.sh');
    this.writePrefilter();
    let guardDirectory: string | undefined = path.join(context.globalStorageUri.fsPath, 'path-guard');
    try {
      installPathGuard(guardDirectory, this.shellDirectory());
    } catch (error) {
      log.error(`terminal guard: the PATH guard could not be installed, running without it: ${String(error)}`);
      guardDirectory = undefined;
    }
    // Without the zsh startup folder in the package, ZDOTDIR must not move: zsh would skip the user's own files.
    const hasZdotdir = fs.existsSync(path.join(this.shellDirectory(), 'zdotdir'));
    const variables = hookVariables(server, { shellDirectory: this.shellDirectory(), prefilterFile: this.prefilterFile, guardDirectory }, process.env)
      .filter((v) => hasZdotdir || v.name !== 'ZDOTDIR');
    const collection = context.environmentVariableCollection;
    const options: vscode.EnvironmentVariableMutatorOptions = { applyAtProcessCreation: true, applyAtShellIntegration: true };
    // BASH_ENV and the PATH guard only from VS Code's shell integration on, which applies them after ~/.bashrc: the
    // scripts a .bashrc runs at every terminal start (pyenv, nvm, conda: `cat > "$shim"`, `rm -f` of their shims) would
    // otherwise each ask the person before the first prompt. Terminals without shell integration go without them.
    const afterStartupFiles: vscode.EnvironmentVariableMutatorOptions = { applyAtProcessCreation: false, applyAtShellIntegration: true };
    for (const variable of variables) {
      const when = variable.name === 'BASH_ENV' || variable.name === 'PATH' ? afterStartupFiles : options;
      if (variable.mode === 'prepend') collection.prepend(variable.name, variable.value, when);
      else collection.replace(variable.name, variable.value, when);
    }
    this.variablesSetAt = Date.now();
    for (const [terminal, record] of this.terminals) this.checkEnvironment(terminal, record);
    this.updateNotices();
    log.info(`terminal guard: verdict server on 127.0.0.1:${server.port}; ${variables.length} terminal variables set; prefilter ${this.prefilterFile}; PATH guard ${guardDirectory ?? 'off'} (${(performance.now() - started).toFixed(1)} ms)`);
  }

  private shellDirectory(): string {
    return path.join(this.deps.context.extensionPath, 'media', 'shell');
  }

  private writePrefilter(): void {
    if (this.prefilterFile === '') return;
    try {
      writePrefilterFile(this.prefilterFile, buildPrefilter([UNMARKED_POLICY, ...this.deps.policies.all().map((f) => f.inForce)]));
    } catch (error) {
      // The hooks send every line to the server when the prefilter file is missing or unreadable.
      this.deps.log.error(`terminal guard: the prefilter could not be written: ${String(error)}`);
    }
  }

  private policyFor(cwd: string | undefined): Policy {
    const state = this.deps.policies.forUri(cwd !== undefined ? vscode.Uri.file(cwd) : undefined);
    return state?.inForce ?? UNMARKED_POLICY;
  }

  private workspaceName(cwd: string | undefined): { workspace: string; folder?: string } {
    const state = this.deps.policies.forUri(cwd !== undefined ? vscode.Uri.file(cwd) : undefined);
    return state ? { workspace: state.folder.name, folder: state.folder.uri.fsPath } : { workspace: '(no folder)' };
  }

  private terminalFor(terminalId: string): vscode.Terminal | undefined {
    for (const [terminal, record] of this.terminals) if (record.pid !== undefined && String(record.pid) === terminalId) return terminal;
    return undefined;
  }

  private requesterOf(request: Pick<VerdictRequest, 'terminalId' | 'shell'>): string {
    const terminal = this.terminalFor(request.terminalId);
    if (terminal) return `terminal "${terminal.name}"`;
    if (request.shell === 'path-guard') return 'a program started outside the shell (PATH guard)';
    return request.terminalId === '' ? `a ${request.shell} script outside any terminal` : `a ${request.shell} shell (pid ${request.terminalId})`;
  }

  private async decide(request: VerdictRequest, verdict: Verdict, signal?: AbortSignal): Promise<HookDecision> {
    this.activity.question(request.terminalId);
    const requester = this.requesterOf(request);
    if (verdict.decision === 'block') {
      // The server denies a block whatever the answer: the shell need not wait for the person to read why.
      const text = presentBlocked(request.command, verdict);
      void vscode.window.showErrorMessage(`${text.message} (${requester})`, { modal: true, detail: text.detail });
      return 'deny';
    }
    // What the line deletes and whether the backup store can keep it, before the person is asked.
    const backup = await this.deps.backups.prepare(request.command, request.cwd).catch((error: unknown) => {
      this.deps.log.error(`terminal guard: could not work out what "${request.command}" deletes: ${String(error)}`);
      return undefined;
    });
    const handedOver = this.approvedByCommand.get(request.command.trim());
    if (request.phase === 'line' && handedOver !== undefined) {
      this.approvedByCommand.delete(request.command.trim());
      if (handedOver >= Date.now()) {
        this.outcomes.set(request, 'approved');
        return this.backUpApproved(request, requester, backup, signal);
      }
    }
    const { workspace } = this.workspaceName(request.cwd);
    const timeout = this.policyFor(request.cwd).timeoutSeconds;
    const outcome = await this.deps.confirmation.request({ commandLine: request.command, verdict, source: 'terminal', requester, workspace, backup: backup?.line }, timeout);
    this.outcomes.set(request, outcome);
    return outcome === 'approved' ? this.backUpApproved(request, requester, backup, signal) : 'deny';
  }

  /** After the approval: the snapshot first, then the shell goes ahead (or not, when the person declines to run without one). */
  private async backUpApproved(request: VerdictRequest, requester: string, backup: PreparedBackup | undefined, signal: AbortSignal | undefined): Promise<HookDecision> {
    // The shell stopped waiting (Ctrl+C, timeout): the server denies anyway, so no snapshot either.
    if (signal?.aborted) return 'deny';
    if (backup === undefined) return 'allow';
    const command = request.command.length > 120 ? `${request.command.slice(0, 120)}…` : request.command;
    const result = await this.deps.backups.take(backup, `${command} in ${requester}`);
    this.backupNotes.set(request, { note: result.note, snapshots: result.run ? result.snapshots : [] });
    if (!result.run) this.outcomes.set(request, 'cancelled');
    return result.run ? 'allow' : 'deny';
  }

  private onEvent(event: HookEvent): void {
    const { log } = this.deps;
    if (event.kind === 'hello' || event.kind === 'tamper') {
      const terminal = this.terminalFor(event.terminalId) ?? this.terminalFor(event.pid);
      log.info(`terminal guard: ${event.kind} from ${event.shell} pid ${event.pid} (terminal ${terminal ? `"${terminal.name}"` : event.terminalId || '?'}): ${event.detail}`);
      if (event.kind === 'hello') this.activity.hellos.set(event.terminalId || event.pid, Date.now());
      else this.activity.tampers.set(event.terminalId || event.pid, event.detail);
      const record = terminal ? this.terminals.get(terminal) : undefined;
      if (record && event.pid === event.terminalId) {
        // Only the terminal's own top shell decides its state (a nested shell's hello does not make it guarded).
        if (event.kind === 'hello' && record.state !== 'tampered') record.state = 'guarded';
        if (event.kind === 'tamper') { record.state = 'tampered'; record.detail = event.detail; }
        clearTimeout(record.timer);
        this.updateNotices();
      }
      return;
    }
    if (event.kind === 'rejected') {
      log.warn(`terminal guard: refused a request (${event.status}): ${event.detail}`);
      return;
    }
    const { request, verdict, response, settlement } = event;
    this.activity.question(request.terminalId);
    if (settlement === 'engine-allow') return;
    const asked = this.outcomes.get(request);
    const outcome: AuditEntry['outcome'] = settlement === 'approved-earlier' ? 'ran'
      : settlement === 'blocked' ? 'blocked'
        : settlement === 'timeout' ? 'timed-out'
          : asked !== undefined ? OUTCOME[asked]
            : response.decision === 'allow' ? 'approved-by-person' : 'cancelled';
    log.info(`terminal guard: ${verdict.decision} ${request.phase} "${request.command}" from ${this.requesterOf(request)} → ${response.decision} (${settlement})`);
    const backup = this.backupNotes.get(request);
    void this.record(request.cwd, request.command, verdict, outcome, this.requesterOf(request), [`${request.shell} hook, ${request.phase} check, ${settlement}`, ...(backup ? [backup.note] : [])], backup?.snapshots);
  }

  private record(cwd: string | undefined, command: string, verdict: Verdict, outcome: AuditEntry['outcome'], requester: string, detail: readonly string[], snapshots?: readonly string[]): Promise<void> {
    const policy = this.policyFor(cwd);
    return this.deps.audit.append({
      time: new Date().toISOString(), ...this.workspaceName(cwd), environment: policy.environment, tier: policy.tier, source: 'terminal',
      requester, command, decision: verdict.decision,
      reasons: verdict.reasons.map((r) => ({ rule: r.rule, message: r.message, command: r.command, severity: r.severity })), outcome, detail,
      ...(snapshots !== undefined && snapshots.length > 0 ? { snapshots } : {}),
    });
  }

  // ── terminals and their guard state ────────────────────────────────────────────────────────────────────────────
  private track(terminal: vscode.Terminal, state: TerminalGuardState): void {
    const record: TerminalRecord = { state, pid: undefined, detail: '', opened: Date.now() };
    this.terminals.set(terminal, record);
    void terminal.processId.then((pid) => {
      record.pid = pid;
      if (pid !== undefined && this.activity.hellos.has(String(pid)) && record.state === 'waiting') record.state = 'guarded';
      this.checkEnvironment(terminal, record);
      this.updateNotices();
      if (pid !== undefined && record.state === 'waiting') this.recheckEnvironment(terminal, record);
    }, () => undefined);
    if (state === 'waiting') {
      record.timer = setTimeout(() => {
        if (record.state === 'waiting') {
          record.state = 'no-hook';
          this.deps.log.warn(`terminal guard: terminal "${terminal.name}" (pid ${record.pid ?? '?'}) never loaded the hook; it is unguarded`);
          this.updateNotices();
        }
      }, HELLO_WAIT_MS);
    }
    this.updateNotices();
  }

  /**
   * A terminal whose shell is `env -i bash …` still shows `env`'s environment (with the secret) right after it starts;
   * once env has exec'd the shell, the stripped environment shows. Looking again after 1 s and 3 s flags it (and starts
   * the process monitor) long before the hello timeout would.
   */
  private recheckEnvironment(terminal: vscode.Terminal, record: TerminalRecord): void {
    const key = {};
    const timers = [1_000, 3_000].map((delay, i, all) => setTimeout(() => {
      if (i === all.length - 1) this.watches.delete(key);
      if (this.disposed || record.state !== 'waiting' || !this.terminals.has(terminal)) return;
      this.checkEnvironment(terminal, record);
      this.updateNotices();
    }, delay));
    this.watches.set(key, () => { for (const timer of timers) clearTimeout(timer); });
  }

  /**
   * A shell started without this window's secret cannot reach this server: opened before the variables were set, or
   * reconnected after a reload (its hook talks to the previous server). Linux /proc; elsewhere the hello timeout decides.
   */
  private checkEnvironment(terminal: vscode.Terminal, record: TerminalRecord): void {
    const server = this.server;
    if (!server || record.pid === undefined || record.state !== 'waiting') return;
    let environment: string;
    try {
      environment = fs.readFileSync(`/proc/${record.pid}/environ`, 'utf8');
    } catch {
      return;
    }
    const entries = environment.split('\0');
    if (entries.includes(`AGENT_GUARDRAILS_SECRET=${server.secret}`)) return;
    clearTimeout(record.timer);
    if (this.variablesSetAt !== undefined && record.opened >= this.variablesSetAt && !entries.some((e) => e.startsWith('AGENT_GUARDRAILS_SECRET='))) {
      // Opened after the variables were set, yet it has none: its shell started with a stripped environment (`env -i`).
      record.state = 'no-hook';
      this.deps.log.warn(`terminal guard: terminal "${terminal.name}" (pid ${record.pid}) started with a stripped environment (no hook settings); it is unguarded`);
      return;
    }
    record.state = 'before-activation';
    this.deps.log.warn(`terminal guard: terminal "${terminal.name}" (pid ${record.pid}) was started without this window's hook settings; it is unguarded`);
  }

  private updateNotices(): void {
    if (this.disposed) return;
    const lines: string[] = [];
    for (const [terminal, record] of this.terminals) {
      if (record.state === 'before-activation') lines.push(`Terminal "${terminal.name}" is unguarded: it was opened before Agent Guardrails started (run "Guardrails: Restart Unguarded Terminals")`);
      else if (record.state === 'no-hook') lines.push(`Terminal "${terminal.name}" is unguarded: its shell never loaded the hook (stripped environment or unsupported shell)`);
      else if (record.state === 'shell-inside') lines.push(`Terminal "${terminal.name}" is unguarded: a shell without the hook runs inside it (${record.detail})`);
      else if (record.state === 'tampered') lines.push(`Terminal "${terminal.name}" is unguarded: its hook was tampered with (${record.detail})`);
    }
    this.deps.statusBar.setNotices('terminals', lines);
    this.updateMonitor();
  }

  /** Terminals without a working hook: opened before activation, never loaded it, or tampered with. */
  unguarded(): vscode.Terminal[] {
    return [...this.terminals].filter(([, r]) => r.state === 'before-activation' || r.state === 'no-hook' || r.state === 'tampered' || r.state === 'shell-inside').map(([t]) => t);
  }

  private async restartUnguarded(): Promise<void> {
    const terminals = this.unguarded();
    if (terminals.length === 0) {
      void vscode.window.showInformationMessage('Guardrails: every terminal is guarded.');
      return;
    }
    for (const terminal of terminals) {
      const options = terminal.creationOptions;
      if ('pty' in options) continue; // an extension's pseudoterminal: nothing to restart
      terminal.dispose();
      vscode.window.createTerminal(options).show();
    }
    this.deps.log.info(`terminal guard: restarted ${terminals.length} unguarded terminal(s)`);
  }

  // ── bypass detection ───────────────────────────────────────────────────────────────────────────────────────────
  private async onStart(e: vscode.TerminalShellExecutionStartEvent): Promise<void> {
    const startedAt = Date.now();
    const line = e.execution.commandLine.value;
    const cwd = e.execution.cwd?.fsPath;
    const pid = await e.terminal.processId;
    this.deps.log.info(`terminal "${e.terminal.name}" (pid ${pid ?? '?'}): started: ${line}`);
    if (line.trim() === '') return;
    if (pid !== undefined) this.watchForUnhookedShell(e, pid);
    // Without the package.json scripts: task runs are reported here too, and the task guard judges them by their
    // scripts (it may be about to ask, or have approved the re-run); judging `npm run x` by x here as well interrupted
    // approved tasks. A bypassed `npm run x` in an unhooked terminal is therefore judged as `npm run x` (README Limits).
    const verdict = evaluate(line, { policy: this.policyFor(cwd), parser: getBashParserIfReady(), ...folderContext(cwd), packageScripts: undefined });
    if (verdict.decision === 'allow' || pid === undefined) return;
    const terminalId = String(pid);
    const since = HookActivity.window(startedAt);
    const record = this.terminals.get(e.terminal);
    // A hooked terminal asks right after VS Code's start mark; give it a moment. Without a hook, act at once.
    const hooked = this.activity.hellos.has(terminalId) && record?.state !== 'tampered';
    const asked = hooked ? await this.activity.waitForQuestion(terminalId, since, HOOK_GRACE_MS) : this.activity.asked(terminalId, since);
    if (asked) return;
    // The Ctrl+C itself ends in a prompt that VS Code may report as a new execution of the same line: one interrupt
    // per terminal and line within a few seconds, or the guard would interrupt its own interrupts.
    const last = this.interrupted.get(e.terminal);
    if (last && last.line === line && startedAt - last.at < INTERRUPT_DEDUPE_MS) return;
    this.interrupted.set(e.terminal, { line, at: startedAt });
    await this.interrupt(e, pid, line, verdict);
  }

  /**
   * While an execution runs in a guarded terminal, looks (0.5 s, 1 s, 2 s … then every minute) for a shell below the
   * terminal's own that runs without the hook (`env -i bash --norc`): VS Code cannot see what is typed there.
   */
  private watchForUnhookedShell(e: vscode.TerminalShellExecutionStartEvent, pid: number): void {
    let delay = 500;
    let timer: NodeJS.Timeout | undefined;
    const check = (): void => {
      const record = this.terminals.get(e.terminal);
      if (this.disposed || !record || record.state !== 'guarded' || this.ended.has(e.execution)) return;
      const shells = unhookedShells(pid);
      if (shells.length === 0) {
        delay = Math.min(delay * 2, 60_000);
        timer = setTimeout(check, delay);
        return;
      }
      record.state = 'shell-inside';
      record.execution = e.execution;
      record.shells = shells.map((sh) => sh.pid);
      record.detail = shells.map((sh) => `${sh.name} pid ${sh.pid}`).join(', ');
      this.updateNotices();
      const line = e.execution.commandLine.value;
      this.deps.log.warn(`terminal guard: terminal "${e.terminal.name}" runs a shell without the hook (${record.detail}), started by: ${line}`);
      void vscode.window.showWarningMessage(
        `Guardrails: terminal "${e.terminal.name}" now runs a shell without the terminal guard (${record.detail}, started by "${line}"). Commands typed there are not checked until it exits.`,
      );
    };
    timer = setTimeout(check, delay);
    // One entry per terminal: a newer execution's watch replaces the older one's cleanup.
    this.watches.get(e.terminal)?.();
    this.watches.set(e.terminal, () => clearTimeout(timer));
  }

  private async interrupt(e: vscode.TerminalShellExecutionStartEvent, pid: number, line: string, verdict: Verdict): Promise<void> {
    const { log } = this.deps;
    const name = e.terminal.name;
    e.terminal.sendText('\u0003', false);
    log.warn(`terminal guard: BYPASS in terminal "${name}" (pid ${pid}): "${line}" started without the hook's check (${verdict.decision}); sent Ctrl+C`);
    const record = this.terminals.get(e.terminal);
    if (record && record.state !== 'before-activation') { record.state = record.state === 'tampered' ? 'tampered' : 'no-hook'; this.updateNotices(); }
    const cwd = e.execution.cwd?.fsPath;
    await this.record(cwd, line, verdict, 'stopped', `terminal "${name}"`, ['bypass: VS Code saw this command start without a verdict from the shell hook; interrupted with Ctrl+C']);
    const killer = setTimeout(() => {
      this.watches.delete(e.execution);
      if (this.ended.has(e.execution)) return;
      const victims = [...descendants(pid), pid];
      for (const victim of victims) {
        try { process.kill(victim, 'SIGKILL'); } catch { /* already gone */ }
      }
      log.warn(`terminal guard: "${line}" in terminal "${name}" went on after Ctrl+C; killed pid ${victims.join(', ')}`);
      void this.record(cwd, line, verdict, 'stopped', `terminal "${name}"`, [`bypass: still running after Ctrl+C; killed the terminal's processes ${victims.join(', ')}`]);
    }, KILL_AFTER_MS);
    this.watches.set(e.execution, () => clearTimeout(killer));
    this.alertBypass(e.terminal, name, line, verdict, { by: 'shell-integration' });
  }

  /** One modal per terminal within a few seconds (the monitor and the shell-integration check may both catch a command). */
  private alertBypass(terminal: vscode.Terminal | undefined, name: string, line: string, verdict: Verdict, caught: BypassCatch): void {
    const now = Date.now();
    if (terminal) {
      const last = this.alertedAt.get(terminal);
      if (last !== undefined && now - last < ALERT_DEDUPE_MS) return;
      this.alertedAt.set(terminal, now);
    }
    const text = presentBypassAlert(name, line, verdict, caught);
    void vscode.window.showErrorMessage(text.message, { modal: true, detail: text.detail });
  }

  /**
   * The process monitor watches the terminals that are unguarded and report nothing VS Code can see: opened before
   * activation or never hooked (the whole tree below the terminal's shell), or running an unhooked shell inside (the
   * tree below that shell; the terminal's own shell still asks the hook). A tampered terminal's hook still asks, so its
   * approved commands must not be killed: the shell-integration check covers it. Linux /proc only.
   */
  private updateMonitor(): void {
    if (process.platform !== 'linux') return;
    /** Root pid → whether what already runs below it is left alone (terminals from before activation). */
    const roots = new Map<number, boolean>();
    if (!this.disposed) {
      for (const record of this.terminals.values()) {
        if (record.pid === undefined) continue;
        if (record.state === 'before-activation' || record.state === 'no-hook') roots.set(record.pid, record.state === 'before-activation' && record.opened < (this.variablesSetAt ?? Infinity));
        else if (record.state === 'shell-inside') for (const pid of record.shells ?? []) roots.set(pid, false);
      }
    }
    for (const root of this.processMonitor?.watching() ?? []) {
      if (roots.has(root)) continue;
      this.monitor.unwatch(root);
      this.watchedNames.delete(root);
      this.deps.log.info(`terminal guard: process monitor stopped watching pid ${root}`);
    }
    for (const [root, skipExisting] of roots) {
      if (this.monitor.watching().includes(root)) continue;
      this.monitor.watch(root, { skipExisting });
      this.watchedNames.set(root, this.terminalOfRoot(root)?.name ?? '?');
      this.deps.log.info(`terminal guard: process monitor watching the processes below pid ${root}${skipExisting ? ' (new ones; what ran before activation is left alone)' : ''}`);
    }
  }

  private terminalOfRoot(root: number): vscode.Terminal | undefined {
    for (const [terminal, record] of this.terminals) if (record.pid === root || (record.shells ?? []).includes(root)) return terminal;
    return undefined;
  }

  private async onMonitorStop(event: StoppedProcess): Promise<void> {
    const terminal = this.terminalOfRoot(event.root);
    const name = this.watchedNames.get(event.root) ?? terminal?.name ?? '?';
    this.deps.log.warn(`terminal guard: BYPASS in terminal "${name}": the process monitor stopped pid ${event.pid} "${event.commandLine}" (${event.verdict.decision}) as it started without the hook's check; killed pid ${event.killed.join(', ')}`);
    this.alertBypass(terminal, name, event.commandLine, event.verdict, { by: 'process-monitor', pid: event.pid, killed: event.killed });
    await this.record(event.cwd, event.commandLine, event.verdict, 'stopped', `terminal "${name}"`, [
      `bypass: the process monitor caught it as it started in a shell without the hook (pid ${event.pid}, argv ${JSON.stringify(event.argv)}); stopped and killed pid ${event.killed.join(', ')}`,
    ]);
  }

  dispose(): void {
    this.disposed = true;
    this.processMonitor?.dispose();
    for (const d of this.disposables) d.dispose();
    for (const record of this.terminals.values()) clearTimeout(record.timer);
    for (const clear of this.watches.values()) clear();
    const server = this.server;
    this.server = undefined;
    if (server) void server.close();
  }
}

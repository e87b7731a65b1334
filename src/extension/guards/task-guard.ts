// The task guard: every task start is judged from its definition (tasks API). A `confirm`/`block` verdict stops the
// task at once, shows the confirmation flow (or the refusal), and an approved task is started again, once.
// Shell tasks also pass the shell hook when BASH_ENV is wired; this guard does not depend on it.
import vscode = require('vscode');
import { evaluate, type Verdict } from '../../engine.js';
import { UNMARKED_POLICY } from '../../policy/defaults.js';
import type { Policy } from '../../policy/schema.js';
import { getBashParserIfReady, loadBashParser } from '../../shell/parser.js';
import { OneShotApprovals, taskApprovalKey } from '../../tasks/approvals.js';
import { resolveTaskCommand, type CommandString, type ShellQuoting, type TaskDescription, type TaskExecution } from '../../tasks/task-command.js';
import type { AuditEntry } from '../audit/entry.js';
import type { AuditLog } from '../audit/log.js';
import type { ConfirmationOutcome, ConfirmationService } from '../confirm/confirmation-service.js';
import type { FolderPolicy, WorkspacePolicies } from '../policy-watcher.js';
import { presentBlocked } from '../presenters/modal.js';
import { boundedFileReader } from '../../shell/file-reader.js';

const OUTCOME: Readonly<Record<ConfirmationOutcome, AuditEntry['outcome']>> = {
  approved: 'approved-by-person', cancelled: 'cancelled', 'timed-out': 'timed-out', 'wrong-confirmation': 'wrong-confirmation',
};
const QUOTING: Readonly<Record<number, ShellQuoting>> = { 1: 'escape', 2: 'strong', 3: 'weak' };

export interface TaskGuardDeps {
  readonly policies: WorkspacePolicies;
  readonly audit: AuditLog;
  readonly confirmation: ConfirmationService;
  readonly log: vscode.LogOutputChannel;
  readonly wasmDirectory: string;
}

export class TaskGuard implements vscode.Disposable {
  private readonly approvals = new OneShotApprovals();
  /** Executions already judged: onDidStartTask and onDidStartTaskProcess both report a start. */
  private readonly seen = new WeakSet<object>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: TaskGuardDeps) {
    this.disposables.push(
      vscode.tasks.onDidStartTask((e) => void this.check(e.execution)),
      // A second chance: if a start was not reported by onDidStartTask, the process start is judged.
      vscode.tasks.onDidStartTaskProcess((e) => void this.check(e.execution)),
    );
  }

  private async check(execution: vscode.TaskExecution): Promise<void> {
    if (this.seen.has(execution)) return;
    this.seen.add(execution);
    const task = execution.task;
    const folder = typeof task.scope === 'object' ? task.scope : undefined;
    const state = this.deps.policies.forUri(folder?.uri);
    const policy: Policy = state?.inForce ?? UNMARKED_POLICY;
    const workspace = folder?.name ?? state?.folder.name ?? '(no folder)';
    const requester = `task "${task.name}"`;
    let shown = task.name;
    let judged = task.name;
    let verdict: Verdict;
    try {
      const description = describeTask(task, folder ?? state?.folder);
      const resolved = resolveTaskCommand(description);
      if (!resolved.ok) {
        verdict = failClosed(policy, 'task.unresolvable', resolved.message, task.name);
      } else {
        judged = resolved.commandLine;
        shown = resolved.script ? `${resolved.commandLine}   (script "${resolved.script.name}": ${resolved.script.body})` : resolved.commandLine;
        if (!getBashParserIfReady()) await Promise.race([loadBashParser(this.deps.wasmDirectory).catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
        verdict = evaluate(resolved.evaluationLine, { policy, cwd: resolved.cwd, packageScripts: resolved.packageScripts, readFile: boundedFileReader(resolved.cwd) });
        if (resolved.shell === 'other' && verdict.decision === 'allow') {
          verdict = failClosed(policy, 'task.other-shell', `The task runs in ${description.shell?.executable ?? 'another shell'}, whose syntax the engine does not read.`, judged);
        }
      }
    } catch (error) {
      this.deps.log.error(`task guard: judging ${requester} failed, asking a person: ${String(error)}`);
      verdict = failClosed(policy, 'task.guard-error', `The task could not be checked (${String(error)}).`, task.name);
    }

    const key = taskApprovalKey({ source: task.source, name: task.name, folder: folder?.uri.fsPath }, judged);
    if (this.approvals.consume(key)) {
      await this.record(state, workspace, policy, shown, verdict, 'rerun', requester);
      return;
    }
    if (verdict.decision === 'allow') {
      if (verdict.reasons.some((r) => r.rule !== 'engine.no-match' && r.severity !== 'info')) await this.record(state, workspace, policy, shown, verdict, 'ran', requester);
      return;
    }
    execution.terminate();
    this.deps.log.warn(`task guard: stopped ${requester} (${verdict.decision}): ${shown}`);
    await this.record(state, workspace, policy, shown, verdict, 'stopped', requester);
    if (verdict.decision === 'block') {
      await this.record(state, workspace, policy, shown, verdict, 'blocked', requester);
      const text = presentBlocked(shown, verdict);
      await vscode.window.showErrorMessage(`${text.message} (${requester} was stopped)`, { modal: true, detail: text.detail });
      return;
    }
    const timeout = state?.inForce.timeoutSeconds ?? UNMARKED_POLICY.timeoutSeconds;
    const outcome = await this.deps.confirmation.request({ commandLine: shown, verdict, source: 'task', requester, workspace }, timeout);
    await this.record(state, workspace, policy, shown, verdict, OUTCOME[outcome], requester);
    if (outcome !== 'approved') {
      void vscode.window.showInformationMessage(`Guardrails: ${requester} was stopped and not run again (${outcome.replace('-', ' ')}).`);
      return;
    }
    this.approvals.grant(key);
    try {
      await vscode.tasks.executeTask(task);
    } catch (error) {
      this.deps.log.error(`task guard: re-running ${requester} failed: ${String(error)}`);
      void vscode.window.showErrorMessage(`Guardrails: ${requester} was approved but could not be started again: ${String(error)}`);
    }
  }

  private record(state: FolderPolicy | undefined, workspace: string, policy: Policy, command: string, verdict: Verdict, outcome: AuditEntry['outcome'], requester: string): Promise<void> {
    return this.deps.audit.append({
      time: new Date().toISOString(), workspace, ...(state ? { folder: state.folder.uri.fsPath } : {}),
      environment: policy.environment, tier: policy.tier, source: 'task', requester, command, decision: verdict.decision,
      reasons: verdict.reasons.map((r) => ({ rule: r.rule, message: r.message, command: r.command, severity: r.severity })), outcome,
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function failClosed(policy: Policy, rule: string, message: string, command: string): Verdict {
  return {
    decision: 'confirm', reasons: [{ rule, message, command, severity: 'high' }], environment: policy.environment, tier: policy.tier,
    unanalyzable: true, typedConfirmation: policy.tier === 'production' ? policy.environment : undefined,
  };
}

/** A VS Code task as the plain data `resolveTaskCommand` reads. */
export function describeTask(task: vscode.Task, folder: vscode.WorkspaceFolder | undefined): TaskDescription {
  const root = folder?.uri.fsPath;
  const exec = task.execution;
  let execution: TaskExecution | undefined;
  let options: vscode.ShellExecutionOptions | vscode.ProcessExecutionOptions | undefined;
  if (exec instanceof vscode.CustomExecution) {
    execution = { kind: 'custom' };
  } else if (exec instanceof vscode.ProcessExecution || (exec && 'process' in exec)) {
    const p = exec as vscode.ProcessExecution;
    execution = { kind: 'process', process: resolveVariables(p.process, folder), args: p.args.map((a) => resolveVariables(a, folder)) };
    options = p.options;
  } else if (exec) {
    const s = exec as vscode.ShellExecution;
    if (s.commandLine !== undefined) execution = { kind: 'shell', commandLine: resolveVariables(s.commandLine, folder) };
    else if (s.command !== undefined) execution = { kind: 'shell', command: toCommandString(s.command, folder), args: (s.args ?? []).map((a) => toCommandString(a, folder)) };
    options = s.options;
  }
  const shellOptions = options as vscode.ShellExecutionOptions | undefined;
  const cwd = options?.cwd !== undefined ? resolveVariables(options.cwd, folder) : undefined;
  const env = options?.env ? Object.fromEntries(Object.entries(options.env).map(([k, v]) => [k, resolveVariables(v, folder)])) : undefined;
  const definition = task.definition as TaskDescription['definition'];
  return {
    type: task.definition.type,
    execution,
    ...(definition ? { definition } : {}),
    ...(cwd !== undefined && !cwd.includes('${') ? { cwd } : {}),
    ...(root !== undefined ? { workspaceFolder: root } : {}),
    ...(shellOptions?.executable || shellOptions?.shellQuoting ? {
      shell: {
        ...(shellOptions.executable ? { executable: shellOptions.executable } : {}),
        ...(shellOptions.shellQuoting ? { quoting: shellOptions.shellQuoting } : {}),
      },
    } : {}),
    ...(env ? { env } : {}),
  };
}

function toCommandString(value: string | vscode.ShellQuotedString, folder: vscode.WorkspaceFolder | undefined): CommandString {
  if (typeof value === 'string') return resolveVariables(value, folder);
  return { value: resolveVariables(value.value, folder), quoting: QUOTING[value.quoting] ?? 'strong' };
}

/** The variables tasks.json commonly uses; others stay as written (the engine judges them as text). */
function resolveVariables(text: string, folder: vscode.WorkspaceFolder | undefined): string {
  if (!folder || !text.includes('${')) return text;
  return text
    .replace(/\$\{(workspaceFolder|workspaceRoot)\}/g, folder.uri.fsPath)
    .replace(/\$\{workspaceFolderBasename\}/g, folder.name);
}

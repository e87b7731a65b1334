// The words of every modal the extension shows: confirmation steps, refusals, explanations, policy changes. Pure.
import type { Reason, Verdict } from '../../engine.js';

export interface ConfirmationRequest {
  readonly commandLine: string;
  readonly verdict: Verdict;
  /** Which guard asked. */
  readonly source: 'terminal' | 'task' | 'file' | 'hook' | 'command';
  /** Who asked: a terminal's or task's name, an agent, "command palette". */
  readonly requester: string;
  /** The workspace folder's name. */
  readonly workspace: string;
  /**
   * What the backup store keeps before the command runs, one sentence per case ("Before it runs, 14 files (2.1 MiB)
   * under migrations/ are copied to the backup store", "No backup for $DIR: …"); undefined when it deletes nothing known.
   */
  readonly backup?: string | undefined;
  /** For file operations (source `file`): what is deleted or renamed, so the steps speak of files, not of a command. */
  readonly fileOperation?: FileOperationSummary | undefined;
}

export interface FileOperationSummary {
  readonly operation: 'delete' | 'rename';
  readonly fileCount: number;
  /** The count stopped early (a huge folder): "at least N files". */
  readonly isCountPartial: boolean;
  /** Where the files are: `migrations/`, `src/app.ts`, or the folder's name. */
  readonly where: string;
}

export interface ModalText {
  readonly message: string;
  readonly detail: string;
}

const SEVERITY_MARK: Readonly<Record<Reason['severity'], string>> = { critical: '✖', high: '▲', medium: '▲', low: '·', info: '·' };

export function environmentBadge(verdict: Pick<Verdict, 'environment' | 'tier'>): string {
  if (verdict.tier === 'unmarked') return 'UNMARKED workspace';
  const name = verdict.environment.toUpperCase();
  return verdict.environment.toLowerCase() === verdict.tier ? name : `${name} (${verdict.tier})`;
}

export function presentReasons(reasons: readonly Reason[], max = 6): string {
  const shown = reasons.filter((r) => r.severity !== 'info').slice(0, max);
  const list = (shown.length > 0 ? shown : reasons.slice(0, 1)).map((r) => `${SEVERITY_MARK[r.severity]} ${r.message} [${r.rule}]`);
  const hidden = reasons.filter((r) => r.severity !== 'info').length - shown.length;
  if (hidden > 0) list.push(`… and ${hidden} more`);
  return list.join('\n');
}

function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function fileCount(summary: FileOperationSummary): string {
  return `${summary.isCountPartial ? 'at least ' : ''}${summary.fileCount} file${summary.fileCount === 1 && !summary.isCountPartial ? '' : 's'}`;
}

/** "delete 2 files in migrations/" */
function fileAction(summary: FileOperationSummary): string {
  return `${summary.operation} ${fileCount(summary)} in ${summary.where}`;
}

/** Step 1: what will run, where, why it is dangerous. Buttons: "Don't run" (default) / "Review…" / "Cancel". */
export function presentConfirmationStep1(request: ConfirmationRequest, waiting: number): ModalText & { readonly review: string } {
  const queued = waiting > 0 ? `\n\n${waiting} more request${waiting === 1 ? '' : 's'} waiting.` : '';
  const backup = request.backup !== undefined ? `\n\nBackup:\n${request.backup}` : '';
  const what = request.fileOperation !== undefined ? `wants to ${fileAction(request.fileOperation)}, which needs your confirmation` : 'wants to run a command that needs your confirmation';
  return {
    message: `${environmentBadge(request.verdict)}: ${request.requester} ${what}`,
    detail: `${oneLine(request.commandLine)}\n\nWorkspace: ${request.workspace} · asked by ${request.requester} (${request.source})\n\nWhy:\n${presentReasons(request.verdict.reasons)}${backup}${queued}`,
    review: 'Review…',
  };
}

/** Step 2: "Don't run" (default) / "Run once" / "Cancel". */
export function presentConfirmationStep2(request: ConfirmationRequest): ModalText & { readonly runOnce: string } {
  const typed = request.verdict.typedConfirmation;
  const next = typed !== undefined ? `\nNext you type "${typed}" to confirm.` : '';
  const backup = request.backup !== undefined ? `\n\n${request.backup}` : '';
  const file = request.fileOperation;
  if (file !== undefined) {
    const them = file.fileCount === 1 && !file.isCountPartial ? 'it' : 'them';
    return {
      message: `${file.operation === 'delete' ? 'Delete' : 'Rename'} ${them} once in ${environmentBadge(request.verdict)}?`,
      detail: `${oneLine(request.commandLine)}\n\nThis approves this ${file.operation} of ${fileCount(file)} in ${file.where} only; the next one asks again.${next}${backup}`,
      runOnce: 'Run once',
    };
  }
  return {
    message: `Run this command once in ${environmentBadge(request.verdict)}?`,
    detail: `${oneLine(request.commandLine)}\n\nIt runs once; the same command later asks again.${next}${backup}`,
    runOnce: 'Run once',
  };
}

/** Step 3 (typed confirmation): the input box. */
export function presentTypedConfirmation(request: ConfirmationRequest, expected: string): { readonly title: string; readonly prompt: string; readonly placeholder: string } {
  return {
    title: `Confirm in ${environmentBadge(request.verdict)}`,
    prompt: `Type "${expected}" to run: ${oneLine(request.commandLine, 80)}. Anything else cancels.`,
    placeholder: expected,
  };
}

export function presentBlocked(commandLine: string, verdict: Verdict): ModalText {
  return {
    message: `Blocked in ${environmentBadge(verdict)}: this command is not allowed`,
    detail: `${oneLine(commandLine)}\n\nWhy:\n${presentReasons(verdict.reasons)}\n\nOnly a change of the policy file (which a person approves) lets it through.`,
  };
}

export function presentExplanation(commandLine: string, verdict: Verdict): ModalText {
  const verb = verdict.decision === 'allow' ? 'ALLOW: would run' : verdict.decision === 'confirm' ? 'CONFIRM: would need a person' : 'BLOCK: would be refused';
  const typed = verdict.typedConfirmation !== undefined ? `\n\nTo confirm, a person types "${verdict.typedConfirmation}".` : '';
  const all = verdict.reasons.map((r) => `${SEVERITY_MARK[r.severity]} [${r.rule}] ${r.message}${r.command !== commandLine.trim() ? `\n    in: ${oneLine(r.command, 100)}` : ''}`).join('\n');
  return {
    message: `${verb} in ${environmentBadge(verdict)}`,
    detail: `${oneLine(commandLine)}\n\n${all}${verdict.unanalyzable ? '\n\nPart of the line could not be analysed.' : ''}${typed}\n\nNothing was run.`,
  };
}

/** The modal for a change of the policy file that loosens it. */
export function presentPolicyChange(folderName: string, loosenings: readonly string[], tightenings: readonly string[]): ModalText & { readonly approve: string } {
  const also = tightenings.length > 0 ? `\n\nIt also tightens:\n${tightenings.map((t) => `+ ${t}`).join('\n')}` : '';
  return {
    message: `The guardrails policy of "${folderName}" was changed to allow more. Apply it?`,
    detail: `It loosens:\n${loosenings.map((l) => `− ${l}`).join('\n')}${also}\n\nIf an agent made this change, do not approve it. Until you approve, the accepted policy stays in force.`,
    approve: 'Approve Change',
  };
}

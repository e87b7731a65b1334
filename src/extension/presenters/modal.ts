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

/** Step 1: what will run, where, why it is dangerous. Buttons: "Don't run" (default) / "Review…" / "Cancel". */
export function presentConfirmationStep1(request: ConfirmationRequest, waiting: number): ModalText & { readonly review: string } {
  const queued = waiting > 0 ? `\n\n${waiting} more request${waiting === 1 ? '' : 's'} waiting.` : '';
  return {
    message: `${environmentBadge(request.verdict)}: ${request.requester} wants to run a command that needs your confirmation`,
    detail: `${oneLine(request.commandLine)}\n\nWorkspace: ${request.workspace} · asked by ${request.requester} (${request.source})\n\nWhy:\n${presentReasons(request.verdict.reasons)}${queued}`,
    review: 'Review…',
  };
}

/** Step 2: "Don't run" (default) / "Run once" / "Cancel". */
export function presentConfirmationStep2(request: ConfirmationRequest): ModalText & { readonly runOnce: string } {
  const typed = request.verdict.typedConfirmation;
  return {
    message: `Run this command once in ${environmentBadge(request.verdict)}?`,
    detail: `${oneLine(request.commandLine)}\n\nIt runs once; the same command later asks again.${typed !== undefined ? `\nNext you type "${typed}" to confirm.` : ''}`,
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

// The words of the alert when a command ran past the terminal guard: interrupted by bypass detection (VS Code saw it
// start, the hook never asked) or stopped by the process monitor (a shell with neither hook nor shell integration). Pure.
import type { Verdict } from '../../engine.js';
import { presentReasons, type ModalText } from './modal.js';

/** How bypass detection caught the command. */
export type BypassCatch =
  | { readonly by: 'shell-integration' }
  | { readonly by: 'process-monitor'; readonly pid: number; readonly killed: readonly number[] };

export function presentBypassAlert(terminalName: string, commandLine: string, verdict: Verdict, caught: BypassCatch): ModalText {
  const what = caught.by === 'shell-integration'
    ? 'VS Code saw it start, but the shell hook never checked it: the hook is missing or was stripped from this terminal (a terminal opened before Agent Guardrails started, a stripped environment, a shell without a hook). Parts of the command may already have run; Ctrl+C was sent, and its processes are killed if it goes on.'
    : `The shell in this terminal runs without the hook and without VS Code's shell integration (a stripped environment such as \`env -i bash --norc\`, a shell without a hook), so nothing checked it before it started. The process monitor caught it as it started (pid ${caught.pid}) and stopped and killed it (pid ${caught.killed.join(', ')}). It cannot be approved from here: run it again in a guarded terminal, where you will be asked.`;
  return {
    message: `Agent Guardrails interrupted a command in terminal "${terminalName}" that ran past the terminal guard`,
    detail: `${commandLine}\n\n${what}\n\nWhy it needs a person:\n${presentReasons(verdict.reasons)}\n\nRestart the terminal ("Guardrails: Restart Unguarded Terminals") to guard it again.`,
  };
}

// Bypass detection: what the shell hooks reported, per terminal, cross-checked with the executions VS Code's own shell
// integration sees. A risky command VS Code saw start with no hook question from that terminal ran past the hook
// (stripped environment, `bash --norc`, a terminal from before activation, an unhooked shell): it is interrupted.
import fs = require('node:fs');
import { readArgv } from '../../hook/process-monitor.js';
import { UNHOOKED_SHELLS, shellName, startsInteractiveShell } from '../../shell/interactive-shell.js';

/** How long a hook's question counts as "about" an execution VS Code reports (the hook asks right after VS Code's start mark). */
const MATCH_WINDOW_MS = 10_000;
/** How long to wait for the hook's question in a terminal whose hook said hello. */
export const HOOK_GRACE_MS = 2_000;

export type TerminalGuardState =
  /** Opened before the guard's variables existed: no hook. */
  | 'before-activation'
  /** Opened after; the hook has not said hello yet. */
  | 'waiting'
  | 'guarded'
  /** The hook reported a change to its trap/prompt hook/options (it restores them, but the terminal was tampered with). */
  | 'tampered'
  /** No hello within the wait: stripped environment, unhooked shell (fish, pwsh, sh), hook failed to load. */
  | 'no-hook'
  /** Guarded, but a shell started without the hook runs inside it (`env -i bash --norc`) until that execution ends. */
  | 'shell-inside';

/** Hook activity per terminal id (the pid of the terminal's top shell). Pure bookkeeping; no vscode. */
export class HookActivity {
  private readonly questions = new Map<string, number[]>();
  private readonly waiters = new Set<{ readonly terminalId: string; readonly since: number; readonly resolve: () => void }>();
  readonly hellos = new Map<string, number>();
  readonly tampers = new Map<string, string>();

  /** A verdict request arrived from a terminal (on arrival, before any confirmation). */
  question(terminalId: string, at = Date.now()): void {
    if (terminalId === '') return;
    const list = this.questions.get(terminalId) ?? [];
    list.push(at);
    while (list.length > 100) list.shift();
    this.questions.set(terminalId, list);
    for (const waiter of [...this.waiters]) {
      if (waiter.terminalId === terminalId && at >= waiter.since) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  asked(terminalId: string, since: number): boolean {
    return (this.questions.get(terminalId) ?? []).some((at) => at >= since);
  }

  /** Resolves true as soon as the terminal's hook asks about something at or after `since`, false after `timeoutMs`. */
  waitForQuestion(terminalId: string, since: number, timeoutMs: number): Promise<boolean> {
    if (this.asked(terminalId, since)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { terminalId, since, resolve: () => { clearTimeout(timer); resolve(true); } };
      const timer = setTimeout(() => { this.waiters.delete(waiter); resolve(false); }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  static window(startedAt: number): number {
    return startedAt - MATCH_WINDOW_MS;
  }
}

/** Every descendant of a process (Linux /proc), deepest first; empty where /proc is not readable. */
export function descendants(pid: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const entry of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // gone meanwhile
    }
  }
  const result: number[] = [];
  const visit = (p: number): void => {
    for (const child of children.get(p) ?? []) {
      visit(child);
      result.push(child);
    }
  };
  visit(pid);
  return result;
}

const SHELL_NAMES = new Set(['bash', 'sh', 'dash', 'zsh', 'ksh', 'mksh', 'fish', 'tcsh', 'csh', 'pwsh', 'nu', 'elvish', 'xonsh']);

/**
 * Shells below a terminal's shell that started without the hook's variables (`env -i bash`, `exec env -i zsh`), or
 * that never load it (an interactive `sh`, `fish`, `pwsh`, even with the variables): the commands typed into them
 * reach neither the hook nor, usually, VS Code's shell integration. Linux /proc only.
 */
export function unhookedShells(pid: number): { readonly pid: number; readonly name: string }[] {
  const found: { pid: number; name: string }[] = [];
  for (const child of descendants(pid)) {
    try {
      const name = fs.readFileSync(`/proc/${child}/comm`, 'utf8').trim();
      if (!SHELL_NAMES.has(name)) continue;
      const argv = readArgv(child) ?? [];
      const shell = shellName(argv);
      if (shell !== undefined && UNHOOKED_SHELLS.has(shell) && startsInteractiveShell(argv) && readsTerminal(child)) {
        found.push({ pid: child, name });
        continue;
      }
      const environment = fs.readFileSync(`/proc/${child}/environ`, 'utf8');
      if (!environment.split('\0').some((entry) => entry.startsWith('AGENT_GUARDRAILS_SECRET='))) found.push({ pid: child, name });
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/**
 * False when a process's standard input is a pipe, a socket, a file or /dev/null (`curl … | sh` reads a script the
 * hook already judged, not a person's typing); true for a terminal, and when it cannot be read.
 */
function readsTerminal(pid: number): boolean {
  let target: string;
  try {
    target = fs.readlinkSync(`/proc/${pid}/fd/0`);
  } catch {
    return true;
  }
  if (/^(pipe|socket|anon_inode):/.test(target) || target === '/dev/null') return false;
  return !target.startsWith('/') || target.startsWith('/dev/');
}

// The process monitor: bypass detection for terminals whose shell has neither the hook nor VS Code's shell integration
// (`env -i bash --norc --noprofile`). While such a terminal is open, its process tree is polled (Linux /proc); every
// new process is judged by the engine from its argv, and one that needs a person is stopped and killed at once,
// because nobody can be asked from here. No vscode; the extension wires it (src/extension/guards/terminal-guard.ts).
import fs = require('node:fs');
import { evaluate, type Verdict } from '../engine.js';
import type { Policy } from '../policy/schema.js';
import type { BashParser } from '../shell/parser.js';
import { startsInteractiveShell } from '../shell/interactive-shell.js';

/** How often a watched tree is polled: a command that ends sooner may finish unseen (README, Terminals → Limits). */
export const MONITOR_INTERVAL_MS = 200;

/** A process found in a watched tree, as the engine saw it. */
export interface MonitoredProcess {
  readonly pid: number;
  readonly argv: readonly string[];
  /** Its working directory, when /proc lets us read it. */
  readonly cwd: string | undefined;
  /** argv quoted for bash, so the engine's parse gives back exactly argv. */
  readonly commandLine: string;
}

export interface StoppedProcess extends MonitoredProcess {
  /** The watched root (a terminal's shell, or an unhooked shell inside one) whose tree held the process. */
  readonly root: number;
  readonly verdict: Verdict;
  /** Every pid that was stopped and killed: the process and its descendants. */
  readonly killed: readonly number[];
}

export interface ProcessMonitorOptions {
  /** The policy in force for a directory (the workspace folder's), as for any terminal command. */
  readonly policyFor: (cwd: string | undefined) => Policy;
  /** The shell parser once it has loaded; until then the engine answers `confirm` for all but plain read-only commands. */
  readonly parser: () => BashParser | undefined;
  readonly onStopped: (event: StoppedProcess) => void;
  readonly onError?: (error: unknown) => void;
  readonly intervalMs?: number;
  /** `scan` forces the /proc scan even where the per-thread children files exist (tests, benchmarks). */
  readonly treeMode?: 'auto' | 'scan';
}

/** Per watched root: the argv last judged for each live pid (a forked child is judged again once it execs). */
type Judged = Map<number, string>;

/**
 * Polls the trees of the roots it watches; costs nothing while it watches none (no timer). Processes that are
 * interactive shells (the terminal's own, a subshell bash forks, another shell started inside) are not judged: the
 * commands run in them are.
 */
export class ProcessMonitor {
  private readonly roots = new Map<number, Judged>();
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;

  constructor(private readonly options: ProcessMonitorOptions) {
    this.intervalMs = options.intervalMs ?? MONITOR_INTERVAL_MS;
  }

  /**
   * Starts watching the tree below `root` (idempotent). The root itself is never judged or stopped. `skipExisting`:
   * what already runs below it is left alone (a terminal from before activation: its long-running jobs started before
   * the guard could judge them, and killing them on a window reload would be a surprise); only new processes are judged.
   */
  watch(root: number, options: { readonly skipExisting?: boolean } = {}): void {
    if (this.roots.has(root)) return;
    const judged: Judged = new Map();
    if (options.skipExisting) {
      for (const pid of descendantsOf(root, childrenReader(this.options.treeMode))) {
        const argv = readArgv(pid);
        if (argv !== undefined && argv.length > 0) judged.set(pid, argv.join('\0'));
      }
    }
    this.roots.set(root, judged);
    this.timer ??= setInterval(() => this.poll(), this.intervalMs);
    this.timer.unref?.();
  }

  unwatch(root: number): void {
    this.roots.delete(root);
    if (this.roots.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** The roots watched now. */
  watching(): number[] {
    return [...this.roots.keys()];
  }

  /** One round over every watched tree (the timer calls it; tests may too). */
  poll(): void {
    try {
      const tree = childrenReader(this.options.treeMode);
      for (const [root, judged] of [...this.roots]) {
        if (!fs.existsSync(`/proc/${root}`)) {
          this.unwatch(root);
          continue;
        }
        const rootArgv = readArgv(root);
        const live = new Set<number>();
        for (const pid of descendantsOf(root, tree)) {
          live.add(pid);
          this.judge(root, pid, judged, rootArgv);
        }
        for (const pid of judged.keys()) if (!live.has(pid)) judged.delete(pid);
      }
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private judge(root: number, pid: number, judged: Judged, rootArgv: readonly string[] | undefined): void {
    const argv = readArgv(pid);
    if (argv === undefined || argv.length === 0) return; // gone, a zombie, or a kernel thread
    const key = argv.join('\0');
    if (judged.get(pid) === key) return;
    judged.set(pid, key);
    // A forked copy of the root shell (a subshell, a command not yet exec'd) and other interactive shells: their
    // own commands are judged as they start.
    if ((rootArgv !== undefined && rootArgv.join('\0') === key) || startsInteractiveShell(argv)) return;
    const cwd = readCwd(pid);
    const commandLine = quoteArgv(argv);
    const verdict = evaluate(commandLine, { policy: this.options.policyFor(cwd), cwd, parser: this.options.parser() });
    if (verdict.decision === 'allow') return;
    const killed = stopProcessTree(pid);
    if (killed.length === 0) return; // it ended before the stop
    this.options.onStopped({ pid, argv, cwd, commandLine, root, verdict, killed });
  }

  dispose(): void {
    this.roots.clear();
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'select', 'while', 'until', 'do', 'done', 'in', 'function', 'time', 'coproc', '{', '}', '!', '[[', ']]']);

/** argv as one bash command line whose words are exactly argv (single quotes where needed; never an assignment or keyword). */
export function quoteArgv(argv: readonly string[]): string {
  return argv.map((word, i) => {
    const plain = SAFE_WORD.test(word) && !(i === 0 && (word.includes('=') || RESERVED.has(word)));
    return plain ? word : `'${word.replace(/'/g, `'\\''`)}'`;
  }).join(' ');
}

/** A process's argv from /proc/<pid>/cmdline; undefined when it is gone or unreadable. */
export function readArgv(pid: number): string[] | undefined {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(`/proc/${pid}/cmdline`);
  } catch {
    return undefined;
  }
  const text = raw.toString('utf8');
  const argv = text.split('\0');
  if (argv[argv.length - 1] === '') argv.pop();
  return argv;
}

function readCwd(pid: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

/** Children of a pid. */
type ChildrenOf = (pid: number) => number[];

let hasChildrenFiles: boolean | undefined;

/**
 * How to list children now: the kernel's per-thread `children` files (CONFIG_PROC_CHILDREN) read only the tree itself;
 * without them, one scan of every /proc/<pid>/stat builds a parent → children map.
 */
export function childrenReader(mode: 'auto' | 'scan' = 'auto'): ChildrenOf {
  hasChildrenFiles ??= fs.existsSync(`/proc/${process.pid}/task/${process.pid}/children`);
  return mode === 'auto' && hasChildrenFiles ? childrenFromTaskFiles : childrenFromScan();
}

function childrenFromTaskFiles(pid: number): number[] {
  const result: number[] = [];
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return result;
  }
  for (const tid of tasks) {
    try {
      for (const child of fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ')) if (child !== '' && child !== '\n') result.push(Number(child));
    } catch {
      // the thread ended meanwhile
    }
  }
  return result;
}

function childrenFromScan(): ChildrenOf {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    entries = [];
  }
  for (const entry of entries) {
    const code = entry.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'latin1');
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2);
      const ppid = Number(rest.slice(2, rest.indexOf(' ', 2)));
      const list = children.get(ppid);
      if (list) list.push(Number(entry));
      else children.set(ppid, [Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  return (pid) => children.get(pid) ?? [];
}

/** Every descendant of `root` (not root itself), parents before their children. */
export function descendantsOf(root: number, childrenOf: ChildrenOf = childrenReader()): number[] {
  const result: number[] = [];
  const seen = new Set<number>([root]);
  const queue = [root];
  while (queue.length > 0) {
    for (const child of childrenOf(queue.shift()!)) {
      if (seen.has(child)) continue;
      seen.add(child);
      result.push(child);
      queue.push(child);
    }
  }
  return result;
}

/**
 * Stops a process and everything below it, then kills them: SIGSTOP top-down (a stopped parent forks no more
 * children, so the walk catches them all), then SIGKILL to each. Returns the pids that received the signals.
 */
export function stopProcessTree(pid: number): number[] {
  const stopped: number[] = [];
  const seen = new Set<number>();
  let frontier = [pid];
  while (frontier.length > 0) {
    const level: number[] = [];
    for (const p of frontier) {
      if (seen.has(p)) continue;
      seen.add(p);
      try {
        process.kill(p, 'SIGSTOP');
        stopped.push(p);
        level.push(p);
      } catch {
        // gone already
      }
    }
    const childrenOf = childrenReader(); // read after the stops: what this level forked until then
    frontier = level.flatMap((p) => childrenOf(p));
  }
  for (const p of stopped) {
    try { process.kill(p, 'SIGKILL'); } catch { /* gone meanwhile */ }
  }
  return stopped;
}

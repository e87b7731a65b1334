// Turns a VS Code task (as plain data) into the command line the engine judges: quoted the way VS Code quotes
// ShellExecution arguments for the shell, and for npm tasks with the package.json scripts in effect, so
// `npm run db:reset` is judged by what db:reset runs.
import fs = require('node:fs');
import path = require('node:path');
import { readPackageScripts } from '../shell/package-scripts.js';

/** VS Code's `ShellQuoting`: how an argument is quoted when it holds spaces or special characters. */
export type ShellQuoting = 'escape' | 'strong' | 'weak';

/** A command or argument as VS Code's `ShellExecution` takes it: a string, or a value with its quoting. */
export type CommandString = string | { readonly value: string; readonly quoting: ShellQuoting };

/** VS Code's `ShellQuotingOptions` (`options.shellQuoting` of a ShellExecution). */
export interface ShellQuotingOptions {
  readonly escape?: string | { readonly escapeChar: string; readonly charsToEscape: string };
  readonly strong?: string;
  readonly weak?: string;
}

export type TaskExecution =
  /** `new ShellExecution(commandLine)`: the line is passed to the shell as written. */
  | { readonly kind: 'shell'; readonly commandLine: string }
  /** `new ShellExecution(command, args)`: VS Code quotes each part for the shell. */
  | { readonly kind: 'shell'; readonly command: CommandString; readonly args?: readonly CommandString[] }
  /** `new ProcessExecution(process, args)`: no shell; the arguments reach the program as they are. */
  | { readonly kind: 'process'; readonly process: string; readonly args?: readonly string[] }
  /** `CustomExecution`: an extension's own pseudoterminal; there is no command line to judge. */
  | { readonly kind: 'custom' };

export interface TaskDescription {
  /** `task.definition.type` (`shell`, `process`, `npm`, …). */
  readonly type: string;
  /** `task.execution`; undefined when VS Code has not resolved it (a contributed task before resolveTask). */
  readonly execution: TaskExecution | undefined;
  /** `task.definition`; for npm tasks `{ type: 'npm', script, path? }` with `path` relative to the workspace folder. */
  readonly definition?: { readonly type: string; readonly script?: string; readonly path?: string; readonly [key: string]: unknown };
  /** `execution.options.cwd`, variables already resolved. */
  readonly cwd?: string;
  /** The task's workspace folder (the default cwd and the base of an npm task's `path`). */
  readonly workspaceFolder?: string;
  /** `execution.options.executable` / `shellQuoting` of a ShellExecution. */
  readonly shell?: { readonly executable?: string; readonly quoting?: ShellQuotingOptions };
  /** `execution.options.env`: variables the task adds; they are prefixed to the line the engine judges. */
  readonly env?: Readonly<Record<string, string>>;
}

export type TaskCommand =
  | {
    readonly ok: true;
    /** What the shell runs (for a ProcessExecution: the argv quoted so bash would pass the same words). */
    readonly commandLine: string;
    /** `commandLine` with the task's environment variables as assignments in front: pass this to `evaluate`. */
    readonly evaluationLine: string;
    readonly cwd: string | undefined;
    /** The package.json scripts in effect at `cwd`: pass as `packageScripts` to `evaluate`. */
    readonly packageScripts: ReadonlyMap<string, string> | undefined;
    /**
     * `bash`: bash, sh, zsh and the like (what the engine analyses). `other`: PowerShell or cmd, whose syntax the
     * engine does not read; the caller should ask for confirmation rather than trust the analysis.
     */
    readonly shell: 'bash' | 'other';
    /** For npm tasks: the script and what it runs (for the confirmation dialog). */
    readonly script?: { readonly name: string; readonly body: string };
  }
  | {
    readonly ok: false;
    readonly reason: 'custom-execution' | 'no-execution' | 'no-package-json' | 'unknown-script';
    readonly message: string;
  };

/** The quoting VS Code uses per shell (TerminalTaskSystem's table); other shells on Linux and macOS get bash's. */
const SHELL_QUOTES: Readonly<Record<string, ShellQuotingOptions>> = {
  cmd: { strong: '"' },
  powershell: { escape: { escapeChar: '`', charsToEscape: ' "\'()' }, strong: "'", weak: '"' },
  pwsh: { escape: { escapeChar: '`', charsToEscape: ' "\'()' }, strong: "'", weak: '"' },
  bash: { escape: { escapeChar: '\\', charsToEscape: ' "\'' }, strong: "'", weak: '"' },
  zsh: { escape: { escapeChar: '\\', charsToEscape: ' "\'' }, strong: "'", weak: '"' },
};
const OTHER_SHELLS = new Set(['cmd', 'powershell', 'pwsh', 'nu', 'fish', 'xonsh', 'elvish']);

/** Resolves a task to the command line to evaluate. Never throws; what cannot be judged is a typed result. */
export function resolveTaskCommand(task: TaskDescription): TaskCommand {
  const cwd = task.cwd ?? task.workspaceFolder;
  const shellName = shellBasename(task.shell?.executable);
  const shell: 'bash' | 'other' = OTHER_SHELLS.has(shellName) ? 'other' : 'bash';
  const isNpm = (task.definition?.type ?? task.type) === 'npm' && typeof task.definition?.script === 'string';

  let script: { name: string; body: string } | undefined;
  let scriptsDir = cwd;
  if (isNpm) {
    const name = task.definition?.script as string;
    const base = task.workspaceFolder ?? task.cwd;
    if (base === undefined) return { ok: false, reason: 'no-package-json', message: `The npm task "${name}" has no workspace folder, so its package.json cannot be read.` };
    const dir = path.resolve(base, typeof task.definition?.path === 'string' ? task.definition.path : '');
    const scripts = fs.existsSync(path.join(dir, 'package.json')) ? readPackageScripts(dir) : undefined;
    if (scripts === undefined) return { ok: false, reason: 'no-package-json', message: `The npm task "${name}" needs ${path.join(dir, 'package.json')}, which is missing or not valid JSON; what it would run is unknown.` };
    const body = scripts.get(name);
    if (body === undefined) return { ok: false, reason: 'unknown-script', message: `The npm task "${name}" names a script that ${path.join(dir, 'package.json')} does not define.` };
    script = { name, body };
    scriptsDir = task.cwd ?? dir;
  }

  const execution = task.execution;
  let commandLine: string;
  if (execution === undefined) {
    if (!script) return { ok: false, reason: 'no-execution', message: `The ${task.type} task has no command to check (it is resolved by the extension that provides it).` };
    commandLine = `npm run ${quoteForBash(script.name)}`;
  } else if (execution.kind === 'custom') {
    return { ok: false, reason: 'custom-execution', message: `The ${task.type} task runs inside an extension (CustomExecution), not as a command line; it cannot be checked.` };
  } else if (execution.kind === 'process') {
    commandLine = [execution.process, ...(execution.args ?? [])].map(quoteForBash).join(' ');
  } else if ('commandLine' in execution) {
    commandLine = execution.commandLine;
  } else {
    commandLine = buildShellCommandLine(execution.command, execution.args ?? [], task.shell?.quoting ?? SHELL_QUOTES[shellName] ?? SHELL_QUOTES['bash']!);
  }

  const packageScripts = scriptsDir === undefined ? undefined : readPackageScripts(scriptsDir);
  const assignments = Object.entries(task.env ?? {}).filter(([name]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)).map(([name, value]) => `${name}=${quoteForBash(value)}`);
  return {
    ok: true, commandLine, evaluationLine: assignments.length ? `${assignments.join(' ')} ${commandLine}` : commandLine,
    cwd: scriptsDir, packageScripts, shell, ...(script ? { script } : {}),
  };
}

/**
 * The command line VS Code builds from a ShellExecution's command and args (TerminalTaskSystem._buildShellCommandLine):
 * plain strings are strong-quoted only when they hold a space outside quotes; quoted strings get the quoting they ask
 * for. Reproduced as VS Code does it, oddities included (strong quoting does not escape a quote inside the value;
 * escaping also escapes `,`), because the engine must judge what the shell will actually run.
 */
export function buildShellCommandLine(command: CommandString, args: readonly CommandString[], quoting: ShellQuotingOptions): string {
  if (args.length === 0 && typeof command === 'string') return command;
  return [command, ...args].map((part) => quoteIfNecessary(part, quoting)).join(' ');
}

function quoteIfNecessary(part: CommandString, options: ShellQuotingOptions): string {
  if (typeof part === 'string') return needsQuotes(part, options) ? quote(part, 'strong', options) : part;
  return quote(part.value, part.quoting, options);
}

function quote(value: string, kind: ShellQuoting, options: ShellQuotingOptions): string {
  if (kind === 'strong' && options.strong) return `${options.strong}${value}${options.strong}`;
  if (kind === 'weak' && options.weak) return `${options.weak}${value}${options.weak}`;
  if (kind === 'escape' && options.escape) {
    if (typeof options.escape === 'string') return value.replace(/ /g, `${options.escape} `);
    const { escapeChar, charsToEscape } = options.escape;
    // VS Code joins the characters with ',' inside a character class, so ',' is escaped too when there are several.
    const set = new Set(charsToEscape.length > 1 ? [...charsToEscape, ','] : [...charsToEscape]);
    return [...value].map((ch) => (set.has(ch) ? `${escapeChar}${ch}` : ch)).join('');
  }
  return value;
}

/** True when a plain string holds a space outside quotes and is not already wrapped in quotes. */
function needsQuotes(value: string, options: ShellQuotingOptions): boolean {
  if (value.length >= 2) {
    const first = value[0] === options.strong ? options.strong : value[0] === options.weak ? options.weak : undefined;
    if (first !== undefined && first === value[value.length - 1]) return false;
  }
  const escapeChar = typeof options.escape === 'string' ? options.escape : options.escape?.escapeChar;
  let open: string | undefined;
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i];
    if (ch === open) open = undefined;
    else if (open !== undefined) continue;
    else if (ch === escapeChar) i += 1;
    else if (ch === options.strong || ch === options.weak) open = ch;
    else if (ch === ' ') return true;
  }
  return false;
}

/** One word for bash, exactly as given: bare when safe, else single-quoted with `'\''` for inner quotes. */
export function quoteForBash(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function shellBasename(executable: string | undefined): string {
  if (!executable) return 'bash';
  const base = executable.split(/[\\/]/).pop() ?? executable;
  return base.toLowerCase().replace(/\.exe$/, '');
}

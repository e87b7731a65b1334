// Unwraps commands that run other commands: sudo, env, nice, timeout, xargs, find -exec, bash -c, eval, ssh, watch, …
import type { AnalysisProblem, SimpleCommand } from './types.js';
import { extractShellFromInlineCode, inlineCodeOf } from './inline-code.js';
import { parseMakefile } from './makefile.js';
import { optionValue, programName } from './words.js';

export interface UnwrapHost {
  /** Records a command that rules will see. */
  emit(command: SimpleCommand): void;
  /** Parses a string as shell code (`bash -c`, `eval`, ssh's remote command, a heredoc fed to a shell). */
  analyzeNested(script: string, from: SimpleCommand, via: string, isRemote: boolean): void;
  problem(problem: AnalysisProblem): void;
  /** The body of a package.json script in the command's directory (`npm run db:reset` → its command line), if known. */
  packageScript(name: string): string | undefined;
  /** A file relative to the command's directory (bounded; undefined on any error): the Makefile `make` reads. */
  readFile(file: string): string | undefined;
}

/** How many wrappers one command may stack (`sudo env nice timeout …`) before the rest is analysed as is. */
const MAX_WRAPPERS = 16;

/** A wrapper either yields the index where the wrapped command starts, or handles the command itself. */
type Unwrapped =
  | { readonly kind: 'inner'; readonly start: number; readonly runtimeArguments?: boolean; readonly argv?: readonly string[]; readonly isRemote?: boolean;
      /** Assignments the wrapper makes for the command (`env NAME=value cmd`). */
      readonly assignments?: ReadonlyMap<string, string> }
  | { readonly kind: 'script'; readonly script: string; readonly isDynamic: boolean; readonly isRemote?: boolean; readonly alsoEmit?: boolean }
  | { readonly kind: 'none' };

type Wrapper = (cmd: SimpleCommand, host: UnwrapHost) => Unwrapped;

export function unwrapCommand(command: SimpleCommand, host: UnwrapHost): void {
  let current = command;
  for (let round = 0; round < MAX_WRAPPERS; round += 1) {
    const wrapper = WRAPPERS.get(current.program);
    const result = wrapper ? wrapper(current, host) : { kind: 'none' as const };
    if (result.kind === 'none') break;
    const label = wrapperLabel(current);
    if (result.kind === 'script') {
      if (result.alsoEmit) host.emit(current);
      if (result.isDynamic) {
        host.problem({
          code: 'dynamic-code',
          message: `\`${label}\` runs code that is only known at run time (${truncate(result.script)}); it cannot be checked before it runs.`,
          text: truncate(result.script),
        });
      }
      if (result.script.trim() !== '') host.analyzeNested(result.script, current, label, result.isRemote ?? false);
      return;
    }
    const argv = result.argv ?? current.argv.slice(result.start);
    if (argv.length === 0) break;
    const start = result.argv ? 0 : result.start;
    current = {
      ...current,
      argv,
      dynamic: result.argv ? argv.map(() => false) : current.dynamic.slice(start),
      program: programName(argv[0]!),
      via: [...current.via, label],
      isRemote: current.isRemote || (result.isRemote ?? false),
      hasRuntimeArguments: current.hasRuntimeArguments || (result.runtimeArguments ?? false),
      assignments: result.assignments ? new Map([...current.assignments, ...result.assignments]) : current.assignments,
    };
  }
  host.emit(current);
  if (current.program === 'find') {
    for (const executed of findExecCommands(current)) unwrapCommand(executed, host);
  }
  feedStdinToShell(current, host);
  const code = inlineCodeOf(current);
  if (code !== undefined) {
    for (const script of extractShellFromInlineCode(code.text, code.language)) host.analyzeNested(script, current, `${current.program} ${code.flag}`, false);
  }
}

/** `bash <<EOF … EOF`, `sh <<< "…"`, `echo "rm -rf /" | sh`, `ssh host <<EOF`: the text a shell reads from stdin is code. */
function feedStdinToShell(cmd: SimpleCommand, host: UnwrapHost): void {
  const readsScriptFromStdin = SHELLS.has(cmd.program) ? shellScriptArgument(cmd) === undefined && !hasScriptFile(cmd)
    : cmd.program === 'ssh' ? sshRemoteCommandStart(cmd.argv) === undefined
      // `at now <<< "cmd"`, `echo cmd | batch`: the job's script (not with -f FILE, nor the listing/removing forms).
      : cmd.program === 'at' || cmd.program === 'batch' ? !cmd.argv.slice(1).some((a) => /^-[A-Za-z]*[flrdcV]/.test(a)) : false;
  if (!readsScriptFromStdin || cmd.stdin === undefined) return;
  const isRemote = cmd.program === 'ssh';
  if (cmd.stdin.kind === 'pipe') {
    const from = cmd.stdin.from;
    if (from.program === 'echo' || from.program === 'printf') {
      const words = from.argv.slice(1).filter((w, i) => !(i === 0 && /^-[neE]+$/.test(w)));
      host.analyzeNested(from.program === 'printf' ? words.map((w) => w.replace(/\\n/g, '\n')).join(' ') : words.join(' '), cmd, `${from.program} | ${cmd.program}`, isRemote);
    } else if (from.stdin && from.stdin.kind !== 'pipe' && (from.program === 'cat' || from.program === 'tee') && from.argv.length === 1) {
      host.analyzeNested(from.stdin.text, cmd, `heredoc | ${cmd.program}`, isRemote);
    }
    return;
  }
  if (cmd.stdin.isDynamic && /\$\(|`/.test(cmd.stdin.text)) {
    host.problem({ code: 'dynamic-code', message: `The script fed to \`${cmd.program}\` contains substitutions known only at run time.` });
  }
  host.analyzeNested(cmd.stdin.text, cmd, `${cmd.program} <<`, isRemote);
}

function wrapperLabel(cmd: SimpleCommand): string {
  if (SHELLS.has(cmd.program)) return `${cmd.program} -c`;
  if (cmd.program === 'ssh') return 'ssh';
  // sudo keeps the caller's environment only with -E/--preserve-env (a list after = keeps just those names).
  if (cmd.program === 'sudo' && cmd.argv.slice(1, skipClusteredOptions(cmd.argv, SUDO_VALUE_OPTIONS)).some((a) => a === '--preserve-env' || /^-[A-Za-z]*E[A-Za-z]*$/.test(a))) return 'sudo -E';
  if (cmd.program === 'env') return envLabel(cmd.argv);
  if (cmd.program === 'exec' && execClearsEnvironment(cmd.argv)) return 'exec -c';
  return cmd.program;
}

/**
 * `env`, `env -i` (the environment is cleared) or `env -u NAME …` (variables removed): what the wrapped command loses
 * matters to rules (a shell started without the terminal guard's variables has no hook).
 */
function envLabel(argv: readonly string[]): string {
  let clears = false;
  const unset: string[] = [];
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--' || (!arg.startsWith('-') && arg !== '-')) break;
    if (arg === '-' || arg === '--ignore-environment' || /^-[0iv]*i[0iv]*$/.test(arg)) clears = true;
    else if (arg === '-u' || arg === '--unset') { if (argv[i + 1] !== undefined) unset.push(argv[i + 1]!); i += 1; }
    else if (arg.startsWith('--unset=')) unset.push(arg.slice(8));
    else if (/^-u./.test(arg)) unset.push(arg.slice(2));
    else if (arg === '-C' || arg === '--chdir' || arg === '-P' || arg === '-S' || arg === '--split-string') i += 1;
  }
  return ['env', ...(clears ? ['-i'] : []), ...unset.flatMap((name) => ['-u', name])].join(' ');
}

/** bash's `exec -c cmd` runs cmd with an empty environment. */
function execClearsEnvironment(argv: readonly string[]): boolean {
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--' || !arg.startsWith('-') || arg.length < 2) return false;
    if (/^-[cl]*c[cl]*$/.test(arg)) return true;
    if (arg === '-a') i += 1;
  }
  return false;
}

function truncate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Skips options of a wrapper; `valueOptions` take the next word unless attached (`-u root`, `-uroot`). */
function skipOptions(argv: readonly string[], from: number, valueOptions: ReadonlySet<string>, options: { stopAtNonOption?: boolean } = {}): number {
  let i = from;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (arg === '--') return i + 1;
    if (arg.length < 2 || arg[0] !== '-') return i;
    if (valueOptions.has(arg)) i += 2;
    else i += 1;
    if (options.stopAtNonOption === false) continue;
  }
  return i;
}

const set = (...items: string[]): ReadonlySet<string> => new Set(items);

/**
 * Where the command starts after getopt-style options: clusters (`-iu postgres`, `-Hu deploy`) whose last letter takes
 * the next word as its value, `-uroot`, `--user=x`, `--`. `valueOptions` holds `-x` and `--long` spellings.
 */
function skipClusteredOptions(argv: readonly string[], valueOptions: ReadonlySet<string>): number {
  let i = 1;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (arg === '--') return i + 1;
    if (arg.length < 2 || arg[0] !== '-') return i;
    if (arg.startsWith('--')) {
      i += valueOptions.has(arg) ? 2 : 1;
      continue;
    }
    const letters = arg.slice(1);
    const valueAt = [...letters].findIndex((letter) => valueOptions.has(`-${letter}`));
    i += valueAt === letters.length - 1 ? 2 : 1;
  }
  return i;
}

const SUDO_VALUE_OPTIONS = set('-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-T', '-U', '--user', '--group', '--host', '--prompt', '--chdir', '--role', '--type', '--other-user', '--close-from', '--command-timeout');
const RUNUSER_VALUE_OPTIONS = set('-u', '--user', '-g', '--group', '-G', '--supp-group', '-s', '--shell', '-w', '--whitelist-environment');
const NICE_VALUE_OPTIONS = set('-n', '--adjustment');
const TIMEOUT_VALUE_OPTIONS = set('-s', '-k', '--signal', '--kill-after');
const XARGS_VALUE_OPTIONS = set('-a', '-d', '-E', '-I', '-J', '-L', '-l', '-n', '-P', '-s', '-R', '-S', '--arg-file', '--delimiter', '--eof', '--max-lines', '--max-args', '--max-procs', '--max-chars', '--process-slot-var');
/** ssh's options that take a value (OpenSSH's getopt string `B:b:c:D:E:e:F:I:i:J:L:l:m:O:o:P:p:Q:R:S:W:w:`). */
const SSH_VALUE_LETTERS = set('B', 'b', 'c', 'D', 'E', 'e', 'F', 'I', 'i', 'J', 'L', 'l', 'm', 'O', 'o', 'P', 'p', 'Q', 'R', 'S', 'W', 'w');
const WATCH_VALUE_OPTIONS = set('-n', '--interval', '-q', '--equexit');
const STDBUF_VALUE_OPTIONS = set('-i', '-o', '-e');
const IONICE_VALUE_OPTIONS = set('-c', '-n', '-p', '-P', '-u', '--class', '--classdata');
const EXEC_VALUE_OPTIONS = set('-a');
const UV_VALUE_OPTIONS = set('--with', '--python', '-p', '--directory', '--project', '--env-file', '--from');
const NPX_VALUE_OPTIONS = set('-p', '--package', '-c', '--call', '--node-options');
const UNSHARE_VALUE_OPTIONS = set('--propagation', '--setgroups', '-S', '--setuid', '-G', '--setgid', '-R', '--root', '-w', '--wd', '--map-user',
  '--map-group', '--map-users', '--map-groups', '--monotonic', '--boottime');
const NSENTER_VALUE_OPTIONS = set('-t', '--target', '-S', '--setuid', '-G', '--setgid');
const SYSTEMD_RUN_VALUE_OPTIONS = set('-p', '--property', '-u', '--unit', '--description', '--slice', '-E', '--setenv', '--uid', '--gid', '-M',
  '--machine', '-H', '--host', '--working-directory', '--nice', '--service-type', '--on-active', '--on-boot', '--on-startup',
  '--on-unit-active', '--on-unit-inactive', '--on-calendar', '--timer-property', '--path-property', '--socket-property', '-C', '--capsule');
/** screen forms that attach to, list or command an existing session: no new command. */
const SCREEN_SESSION_OPTIONS = set('-r', '-R', '-x', '-X', '-ls', '-list', '-wipe', '-Q', '-D', '-RR');
const SCREEN_VALUE_OPTIONS = set('-S', '-c', '-e', '-h', '-p', '-T', '-t', '-Logfile');
const STRACE_VALUE_OPTIONS = set('-e', '-o', '-p', '-s', '-u', '-E', '-a', '-b', '-I', '-O', '-P', '-S', '-X', '-U', '--output', '--attach', '--user', '--env');
const LTRACE_VALUE_OPTIONS = set('-e', '-o', '-p', '-s', '-u', '-n', '-a', '-A', '-D', '-F', '-l', '-L', '-w', '-x', '--output', '--library');
/**
 * tmux commands that start a shell command (their last arguments, joined as tmux does), with the letters of their
 * options that take a value (tmux's getopt strings in cmd-*.c). `run-shell -C` runs a tmux command instead.
 */
const TMUX_SHELL_COMMANDS: ReadonlyMap<string, string> = new Map([
  ['new-session', 'cefFnstxy'], ['new', 'cefFnstxy'], ['new-window', 'ceFnt'], ['neww', 'ceFnt'], ['split-window', 'ceFlpt'],
  ['splitw', 'ceFlpt'], ['respawn-pane', 'cet'], ['respawnp', 'cet'], ['respawn-window', 'cet'], ['respawnw', 'cet'],
  ['run-shell', 'dtsc'], ['run', 'dtsc'], ['display-popup', 'bcdehsStTwxy'], ['popup', 'bcdehsStTwxy'], ['pipe-pane', 't'], ['pipep', 't'],
]);
const TMUX_VALUE_OPTIONS = set('-L', '-S', '-f', '-T');
const DOCKER_EXEC_VALUE_OPTIONS = set('-e', '--env', '-u', '--user', '-w', '--workdir', '--env-file', '--detach-keys');

export const SHELLS: ReadonlySet<string> = set('sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'busybox-sh');

/** The script of `bash -c 'script'` (also `-lc`, `-xc`, `-o pipefail -c`); undefined when there is no -c. */
function shellScriptArgument(cmd: SimpleCommand): { script: string; isDynamic: boolean } | undefined {
  const argv = cmd.argv;
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--' || arg === '-') return undefined;
    if (arg === '-o' || arg === '+o' || arg === '-O' || arg === '+O' || arg === '--rcfile' || arg === '--init-file') { i += 1; continue; }
    if (arg.startsWith('--')) continue;
    if (arg[0] !== '-' && arg[0] !== '+') return undefined;
    if (arg[0] === '-' && arg.slice(1).includes('c')) {
      const script = argv[i + 1];
      if (script === undefined) return undefined;
      return { script, isDynamic: cmd.dynamic[i + 1] ?? false };
    }
  }
  return undefined;
}

function hasScriptFile(cmd: SimpleCommand): boolean {
  const argv = cmd.argv;
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '-o' || arg === '+o' || arg === '-O' || arg === '+O' || arg === '--rcfile' || arg === '--init-file') { i += 1; continue; }
    if (arg === '-s') return false;
    if (arg === '--') return i + 1 < argv.length;
    if (arg[0] !== '-' && arg[0] !== '+') return true;
  }
  return false;
}

/**
 * Index of ssh's remote command, or undefined when ssh only opens a session. OpenSSH parses options before and
 * after the host (`ssh host -l root cmd`, `ssh host -- cmd`); clustered flags may end in a value option (`-vp 22`,
 * `-oX=no`); `--` ends the options; the first word after the host that is no option starts the command.
 */
function sshRemoteCommandStart(argv: readonly string[]): number | undefined {
  let host: number | undefined;
  let optionsEnded = false;
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!optionsEnded && arg === '--') { optionsEnded = true; continue; }
    if (!optionsEnded && arg.length > 1 && arg[0] === '-') {
      for (let j = 1; j < arg.length; j += 1) {
        if (!SSH_VALUE_LETTERS.has(arg[j]!)) continue;
        if (j === arg.length - 1) i += 1;
        break;
      }
      continue;
    }
    if (host !== undefined) return i;
    host = i;
  }
  return undefined;
}

function inner(start: number, extra: { runtimeArguments?: boolean; isRemote?: boolean } = {}): Unwrapped {
  return { kind: 'inner', start, ...extra };
}

const NONE: Unwrapped = { kind: 'none' };

const WRAPPERS = new Map<string, Wrapper>([
  ['sudo', (c) => {
    const start = skipClusteredOptions(c.argv, SUDO_VALUE_OPTIONS);
    // `sudo -i`, `sudo -s`, `sudo -v`: no command; the rules see sudo itself (an interactive shell as another user).
    return start >= c.argv.length ? NONE : inner(start);
  }],
  ['doas', (c) => inner(skipClusteredOptions(c.argv, set('-u', '-C')))],
  ['run0', (c) => inner(skipClusteredOptions(c.argv, set('-u', '--user', '-D', '--chdir')))],
  ['env', (c) => unwrapEnv(c)],
  ['nice', (c) => inner(skipNiceStyle(c.argv, NICE_VALUE_OPTIONS))],
  ['renice', () => NONE],
  ['nohup', (c) => inner(skipOptions(c.argv, 1, set()))],
  ['setsid', (c) => inner(skipOptions(c.argv, 1, set()))],
  ['time', (c) => inner(skipOptions(c.argv, 1, set('-f', '--format', '-o', '--output')))],
  ['timeout', (c) => { const i = skipOptions(c.argv, 1, TIMEOUT_VALUE_OPTIONS); return inner(i + 1); }],
  ['stdbuf', (c) => inner(skipOptions(c.argv, 1, STDBUF_VALUE_OPTIONS))],
  ['ionice', (c) => inner(skipOptions(c.argv, 1, IONICE_VALUE_OPTIONS))],
  ['chrt', (c) => { const i = skipOptions(c.argv, 1, set()); return inner(i + 1); }],
  ['taskset', (c) => { const i = skipOptions(c.argv, 1, set()); return inner(c.argv.includes('-p') ? c.argv.length : i + 1); }],
  ['flock', (c) => { const i = skipOptions(c.argv, 1, set('-w', '--timeout', '-E', '--conflict-exit-code')); return c.argv[i + 1] === '-c' ? { kind: 'script', script: c.argv[i + 2] ?? '', isDynamic: c.dynamic[i + 2] ?? false } : inner(i + 1); }],
  ['unbuffer', (c) => inner(1)],
  ['caffeinate', (c) => inner(skipOptions(c.argv, 1, set('-t', '-w')))],
  ['command', (c) => {
    const start = skipOptions(c.argv, 1, set());
    const isLookup = c.argv.slice(1, start).some((a) => /^-[a-zA-Z]*[vV]/.test(a));
    // `command -v git` only looks git up; with more operands (`command -v git reset --hard`) it is no lookup anyone writes.
    if (isLookup && c.argv.length - start <= 1) return NONE;
    return inner(start);
  }],
  ['builtin', (c) => inner(skipOptions(c.argv, 1, set()))],
  ['exec', (c) => inner(skipOptions(c.argv, 1, EXEC_VALUE_OPTIONS))],
  ['busybox', (c) => inner(1)],
  ['toybox', (c) => inner(1)],
  ['xargs', (c) => unwrapXargs(c)],
  ['parallel', (c) => unwrapParallel(c)],
  ['eval', (c) => ({ kind: 'script', script: c.argv.slice(1).join(' '), isDynamic: c.dynamic.slice(1).some(Boolean) })],
  ['watch', (c) => {
    const start = skipOptions(c.argv, 1, WATCH_VALUE_OPTIONS);
    const words = c.argv.slice(start);
    return { kind: 'script', script: words.join(' '), isDynamic: c.dynamic.slice(start).some(Boolean) };
  }],
  ['ssh', (c) => {
    const start = sshRemoteCommandStart(c.argv);
    if (start === undefined) return NONE;
    return { kind: 'script', script: c.argv.slice(start).join(' '), isDynamic: false, isRemote: true, alsoEmit: true };
  }],
  ['su', (c) => suStyle(c)],
  // `runuser -u app -- cmd` runs cmd directly; the su-style forms (`runuser -l app -c cmd`) run a script.
  ['runuser', (c) => (c.argv.some((a) => a === '-u' || a === '--user' || a.startsWith('--user=')) && !c.argv.some((a) => a === '-c' || a.startsWith('--command'))
    ? inner(skipClusteredOptions(c.argv, RUNUSER_VALUE_OPTIONS)) : suStyle(c))],
  ['pkexec', (c) => inner(skipClusteredOptions(c.argv, set('--user')))],
  ['npx', (c) => inner(skipOptions(c.argv, 1, NPX_VALUE_OPTIONS))],
  ['bunx', (c) => inner(skipOptions(c.argv, 1, NPX_VALUE_OPTIONS))],
  ['pnpx', (c) => inner(skipOptions(c.argv, 1, NPX_VALUE_OPTIONS))],
  ['npm', (c, host) => (c.argv[1] === 'exec' || c.argv[1] === 'x' ? inner(skipOptions(c.argv, 2, NPX_VALUE_OPTIONS)) : packageScript(c, host, NPM_SCRIPT_COMMANDS, false))],
  ['pnpm', (c, host) => (c.argv[1] === 'exec' || c.argv[1] === 'dlx' ? inner(skipOptions(c.argv, 2, NPX_VALUE_OPTIONS))
    : orElse(packageScript(c, host, PACKAGE_MANAGER_SCRIPT_COMMANDS, true), () => packageManagerBin(c, PNPM_COMMANDS)))],
  ['yarn', (c, host) => (c.argv[1] === 'dlx' || c.argv[1] === 'exec' ? inner(skipOptions(c.argv, 2, NPX_VALUE_OPTIONS))
    : orElse(packageScript(c, host, PACKAGE_MANAGER_SCRIPT_COMMANDS, true), () => packageManagerBin(c, YARN_COMMANDS)))],
  ['bundle', (c) => (c.argv[1] === 'exec' ? inner(2) : NONE)],
  ['poetry', (c) => (c.argv[1] === 'run' ? inner(2) : NONE)],
  ['pipenv', (c) => (c.argv[1] === 'run' ? inner(2) : NONE)],
  ['uv', (c) => (c.argv[1] === 'run' ? inner(skipOptions(c.argv, 2, UV_VALUE_OPTIONS))
    : c.argv[1] === 'tool' && c.argv[2] === 'run' ? inner(skipOptions(c.argv, 3, UV_VALUE_OPTIONS)) : NONE)],
  ['uvx', (c) => inner(skipOptions(c.argv, 1, UV_VALUE_OPTIONS))],
  ['pipx', (c) => (c.argv[1] === 'run' ? inner(skipOptions(c.argv, 2, set('--spec', '--python', '--index-url'))) : NONE)],
  ['pdm', (c) => (c.argv[1] === 'run' ? inner(skipOptions(c.argv, 2, set('-p', '--project'))) : NONE)],
  ['hatch', (c) => (c.argv[1] === 'run' ? inner(skipOptions(c.argv, 2, set())) : NONE)],
  ['bun', (c, host) => (c.argv[1] === 'x' ? inner(skipOptions(c.argv, 2, NPX_VALUE_OPTIONS)) : packageScript(c, host, PACKAGE_MANAGER_SCRIPT_COMMANDS, false))],
  ['dotenv', (c) => { const i = c.argv.indexOf('--'); return i > 0 ? inner(i + 1) : NONE; }],
  ['doppler', (c) => (c.argv[1] === 'run' ? afterDashDash(c) : NONE)],
  // Platform CLIs that run a command with the environment's (possibly production) credentials, or on its machines.
  ['railway', (c) => (c.argv[1] === 'run' ? inner(skipOptions(c.argv, 2, set('-s', '--service', '-e', '--environment'))) : NONE)],
  ['heroku', (c) => (c.argv[1] === 'run' || c.argv[1] === 'run:detached' || c.argv[1] === 'run:inside'
    ? platformScript(c, 2, set('-a', '--app', '-r', '--remote', '-s', '--size', '-e', '--env', '--type'), true) : NONE)],
  ['fly', (c) => flySshCommand(c)],
  ['flyctl', (c) => flySshCommand(c)],
  ['op', (c) => (c.argv[1] === 'run' ? afterDashDash(c) : NONE)],
  ['aws-vault', (c) => (c.argv[1] === 'exec' ? afterDashDash(c) : NONE)],
  ['kubectl', (c) => (c.argv.includes('exec') ? afterDashDash(c, { isRemote: true }) : NONE)],
  ['docker', (c) => unwrapContainerExec(c)],
  ['podman', (c) => unwrapContainerExec(c)],
  ['docker-compose', (c) => unwrapContainerExec(c)],
  ['podman-compose', (c) => unwrapContainerExec(c)],
  // Namespaces, roots and units that run their command on this machine.
  ['unshare', (c) => inner(skipClusteredOptions(c.argv, UNSHARE_VALUE_OPTIONS))],
  ['nsenter', (c) => inner(skipClusteredOptions(c.argv, NSENTER_VALUE_OPTIONS))],
  ['chroot', (c) => inner(skipOptions(c.argv, 1, set()) + 1)],
  ['systemd-run', (c) => inner(skipClusteredOptions(c.argv, SYSTEMD_RUN_VALUE_OPTIONS))],
  // Terminal multiplexers and recorders that start a shell command.
  ['script', (c) => optionScript(c, ['-c', '--command'])],
  ['tmux', (c) => tmuxCommand(c)],
  ['screen', (c) => (c.argv.some((a) => SCREEN_SESSION_OPTIONS.has(a)) ? NONE : inner(skipClusteredOptions(c.argv, SCREEN_VALUE_OPTIONS)))],
  // Tracers and debuggers run the program they are given.
  ['strace', (c) => inner(skipClusteredOptions(c.argv, STRACE_VALUE_OPTIONS))],
  ['ltrace', (c) => inner(skipClusteredOptions(c.argv, LTRACE_VALUE_OPTIONS))],
  ['valgrind', (c) => inner(skipOptions(c.argv, 1, set()))],
  ['gdb', (c) => { const i = c.argv.indexOf('--args'); return i > 0 ? inner(i + 1) : NONE; }],
  // `ansible web -m shell -a "cmd"`: an ad-hoc command on the inventory's machines (the default module is command).
  ['ansible', (c) => {
    const module = optionValue(c.argv.slice(1), ['-m', '--module-name']) ?? 'command';
    const args = optionValue(c.argv.slice(1), ['-a', '--args']);
    if (args === undefined || !/^(ansible\.(builtin|legacy)\.)?(shell|command|raw)$/.test(module)) return NONE;
    return { kind: 'script', script: args, isDynamic: false, isRemote: true, alsoEmit: true };
  }],
  // `make db-reset` runs the recipe of db-reset (and of the prerequisites it builds first) from the Makefile.
  ['make', (c, host) => makeRecipe(c, host)],
  ['gmake', (c, host) => makeRecipe(c, host)],
  ...[...SHELLS].map((shell): [string, Wrapper] => [shell, (c) => {
    const script = shellScriptArgument(c);
    // `xargs -I{} bash -c {}`: the script itself is filled in at run time from the input.
    const filledAtRunTime = c.hasRuntimeArguments && /\{\}|^\{|\$[0-9@*]/.test(script?.script ?? '') && (script?.script.trim().length ?? 0) <= 4;
    return script ? { kind: 'script', script: script.script, isDynamic: script.isDynamic || filledAtRunTime } : NONE;
  }]),
]);

/** `script -c "cmd" log`: the value of one of `flags` (also `--command=cmd`) is a script. */
function optionScript(c: SimpleCommand, flags: readonly string[]): Unwrapped {
  for (let i = 1; i < c.argv.length; i += 1) {
    const arg = c.argv[i]!;
    if (flags.includes(arg)) return { kind: 'script', script: c.argv[i + 1] ?? '', isDynamic: c.dynamic[i + 1] ?? false };
    const long = flags.find((f) => f.startsWith('--') && arg.startsWith(`${f}=`));
    if (long) return { kind: 'script', script: arg.slice(long.length + 1), isDynamic: c.dynamic[i] ?? false };
  }
  return NONE;
}

/** `tmux new -d -s job "rm -rf x"`, `tmux -c "cmd"`: the shell command a tmux invocation starts, if any. */
function tmuxCommand(c: SimpleCommand): Unwrapped {
  let i = 1;
  while (i < c.argv.length && c.argv[i]!.startsWith('-') && c.argv[i] !== '--') {
    const arg = c.argv[i]!;
    // `tmux -c "cmd"`: tmux as a login shell runs the command with the default shell.
    if (arg === '-c') return { kind: 'script', script: c.argv[i + 1] ?? '', isDynamic: c.dynamic[i + 1] ?? false };
    i += TMUX_VALUE_OPTIONS.has(arg) ? 2 : 1;
  }
  if (c.argv[i] === '--') i += 1;
  const letters = TMUX_SHELL_COMMANDS.get(c.argv[i] ?? '');
  if (letters === undefined) return NONE;
  const values = new Set([...letters].map((l) => `-${l}`));
  const sub = c.argv.slice(i);
  const start = skipClusteredOptions(sub, values);
  if ((sub[0] === 'run-shell' || sub[0] === 'run') && sub.slice(1, start).some((a) => /^-[A-Za-z]*C/.test(a))) return NONE;
  const words = c.argv.slice(i + start);
  if (words.length === 0) return NONE;
  return { kind: 'script', script: words.join(' '), isDynamic: c.dynamic.slice(i + start).some(Boolean) };
}

/** make's options that take a value (`-j` and `-l` only when a number follows). */
const MAKE_VALUE_OPTIONS = set('-o', '--old-file', '--assume-old', '-W', '--what-if', '--new-file', '--assume-new', '-I', '--include-dir', '--eval', '-O', '--output-sync', '--jobserver-style');
/**
 * make options that print or test instead of running recipes: the long forms, and `-n`/`-q`/`-p` alone or among other
 * flags that take no value (`-kn`); not a value attached to its option (`-Iinclude`, `-Cpath`).
 */
const MAKE_NOT_RUNNING = /^(--dry-run|--just-print|--recon|--question|--print-data-base|--help|--version|-v|-[bBdeikLnpqrRsStvw]*[nqp][bBdeikLnpqrRsStvw]*)$/;

/** `make [-C dir] [-f file] [NAME=value …] [target …]`: the recipes that run, read from the Makefile. */
function makeRecipe(c: SimpleCommand, host: UnwrapHost): Unwrapped {
  const argv = c.argv;
  let directory: string | undefined;
  let file: string | undefined;
  const targets: string[] = [];
  const overrides = new Map<string, string>();
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (MAKE_NOT_RUNNING.test(arg)) return NONE;
    const value = (short: string, long: string): string | undefined => {
      if (arg === short || arg === long) { i += 1; return argv[i]; }
      if (arg.startsWith(`${long}=`)) return arg.slice(long.length + 1);
      return arg.startsWith(short) && arg.length > 2 ? arg.slice(2) : undefined;
    };
    const dir = value('-C', '--directory');
    if (dir !== undefined) { directory = directory === undefined || dir.startsWith('/') ? dir : `${directory}/${dir}`; continue; }
    const makefile = value('-f', '--file') ?? value('-f', '--makefile');
    if (makefile !== undefined) { file = makefile; continue; }
    if ((arg === '-j' || arg === '-l') && /^[0-9.]+$/.test(argv[i + 1] ?? '')) { i += 1; continue; }
    if (MAKE_VALUE_OPTIONS.has(arg)) { i += 1; continue; }
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)\s*:?=(.*)$/s.exec(arg);
    if (assignment) { overrides.set(assignment[1]!, assignment[2]!); continue; }
    if (!arg.startsWith('-')) targets.push(arg);
  }
  const within = (name: string): string => (name.startsWith('/') || directory === undefined ? name : `${directory.replace(/\/+$/, '')}/${name}`);
  const text = (file !== undefined ? [file] : ['GNUmakefile', 'makefile', 'Makefile']).map((name) => host.readFile(within(name))).find((t) => t !== undefined);
  if (text === undefined) return NONE;
  const script = parseMakefile(text).recipeFor(targets, overrides);
  return script === undefined || script.trim() === '' ? NONE : { kind: 'script', script, isDynamic: false, alsoEmit: true };
}

/** `heroku run -a app "rake db:drop"`: the words after the options form a script run on the platform's machines. */
function platformScript(c: SimpleCommand, from: number, valueOptions: ReadonlySet<string>, isRemote: boolean): Unwrapped {
  const start = skipOptions(c.argv, from, valueOptions);
  if (start >= c.argv.length) return NONE;
  return { kind: 'script', script: c.argv.slice(start).join(' '), isDynamic: c.dynamic.slice(start).some(Boolean), isRemote };
}

/** `fly ssh console -C "cmd"` (also `--command`). */
function flySshCommand(c: SimpleCommand): Unwrapped {
  if (c.argv[1] !== 'ssh' || c.argv[2] !== 'console') return NONE;
  const i = c.argv.findIndex((a) => a === '-C' || a === '--command');
  if (i < 0 || c.argv[i + 1] === undefined) return NONE;
  return { kind: 'script', script: c.argv[i + 1]!, isDynamic: c.dynamic[i + 1] ?? false, isRemote: true };
}

function afterDashDash(c: SimpleCommand, extra: { isRemote?: boolean } = {}): Unwrapped {
  const i = c.argv.indexOf('--');
  return i > 0 && i + 1 < c.argv.length ? inner(i + 1, extra) : NONE;
}

/** `su -c "cmd" user`, `runuser -l app --command=cmd`. */
const suStyle = (c: SimpleCommand): Unwrapped => optionScript(c, ['-c', '--command']);

/** `nice -n 19 cmd`, `nice -19 cmd`. */
function skipNiceStyle(argv: readonly string[], valueOptions: ReadonlySet<string>): number {
  let i = 1;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (arg === '--') return i + 1;
    if (valueOptions.has(arg)) { i += 2; continue; }
    if (arg.startsWith('-')) { i += 1; continue; }
    return i;
  }
  return i;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

function unwrapEnv(c: SimpleCommand): Unwrapped {
  const argv = c.argv;
  const assignments = new Map<string, string>();
  let i = 1;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (arg === '--') { i += 1; break; }
    if (arg === '-S' || arg === '--split-string') return splitStringArgv([...splitWords(argv[i + 1] ?? ''), ...argv.slice(i + 2)], assignments);
    if (arg.startsWith('-S') && arg.length > 2) return splitStringArgv([...splitWords(arg.slice(2)), ...argv.slice(i + 1)], assignments);
    if (arg.startsWith('--split-string=')) return splitStringArgv([...splitWords(arg.slice(15)), ...argv.slice(i + 1)], assignments);
    if (arg === '-u' || arg === '--unset' || arg === '-C' || arg === '--chdir' || arg === '-P') { i += 2; continue; }
    if (arg.startsWith('-')) { i += 1; continue; }
    const assignment = ASSIGNMENT.exec(arg);
    if (assignment) { assignments.set(assignment[1]!, assignment[2]!); i += 1; continue; }
    break;
  }
  while (i < argv.length) {
    const assignment = ASSIGNMENT.exec(argv[i]!);
    if (!assignment) break;
    assignments.set(assignment[1]!, assignment[2]!);
    i += 1;
  }
  return { kind: 'inner', start: i, assignments };
}

/** `env -S 'PATH=/usr/bin git reset --hard'`: the split string may start with assignments too. */
function splitStringArgv(words: string[], assignments: Map<string, string>): Unwrapped {
  let start = 0;
  for (; start < words.length; start += 1) {
    const assignment = ASSIGNMENT.exec(words[start]!);
    if (!assignment) break;
    assignments.set(assignment[1]!, assignment[2]!);
  }
  return { kind: 'inner', start: 0, argv: words.slice(start), assignments };
}

function splitWords(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

function unwrapXargs(c: SimpleCommand): Unwrapped {
  const argv = c.argv;
  let i = 1;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (arg === '--') { i += 1; break; }
    if (!arg.startsWith('-') || arg === '-') break;
    if (XARGS_VALUE_OPTIONS.has(arg)) { i += 2; continue; }
    i += 1;
  }
  if (i >= argv.length) return NONE;
  return inner(i, { runtimeArguments: true });
}

function unwrapParallel(c: SimpleCommand): Unwrapped {
  const argv = c.argv;
  let i = 1;
  while (i < argv.length && argv[i]!.startsWith('-') && !argv[i]!.startsWith(':::')) {
    i += ['-j', '--jobs', '-S', '--sshlogin', '--delay', '--timeout', '--joblog', '-a', '--arg-file'].includes(argv[i]!) ? 2 : 1;
  }
  const sep = argv.findIndex((a, k) => k >= i && (a === ':::' || a === '::::' || a === ':::+'));
  const commandWords = argv.slice(i, sep === -1 ? undefined : sep);
  if (commandWords.length === 0) return NONE;
  const inputs = sep === -1 ? [] : argv.slice(sep + 1).filter((a) => !a.startsWith(':::'));
  const usesPlaceholder = commandWords.some((w) => w.includes('{}'));
  const full = usesPlaceholder ? commandWords : [...commandWords, ...inputs];
  return { kind: 'inner', start: 0, argv: full, runtimeArguments: true };
}

/** `find … -exec rm -rf {} \; -execdir sh -c '…' +` → each command find runs on the files it finds. */
function findExecCommands(c: SimpleCommand): SimpleCommand[] {
  const result: SimpleCommand[] = [];
  const argv = c.argv;
  for (let i = 1; i < argv.length; i += 1) {
    if (!FIND_EXEC_ACTIONS.has(argv[i]!)) continue;
    let end = i + 1;
    while (end < argv.length && argv[end] !== ';' && argv[end] !== '+') end += 1;
    const innerArgv = argv.slice(i + 1, end);
    if (innerArgv.length > 0) {
      result.push({
        ...c, argv: innerArgv, dynamic: c.dynamic.slice(i + 1, end), program: programName(innerArgv[0]!),
        via: [...c.via, `find ${argv[i]!}`], hasRuntimeArguments: true, argumentsFrom: c,
      });
    }
    i = end;
  }
  return result;
}

const FIND_EXEC_ACTIONS = set('-exec', '-execdir', '-ok', '-okdir');

/** `docker exec [opts] container cmd…`, `docker compose exec|run [opts] service cmd…` (also docker-compose, podman). */
function unwrapContainerExec(c: SimpleCommand): Unwrapped {
  const argv = c.argv;
  let sub = argv.findIndex((a, k) => k > 0 && !a.startsWith('-'));
  const isCompose = c.program === 'docker-compose' || c.program === 'podman-compose' || argv[sub] === 'compose';
  if (isCompose && argv[sub] === 'compose') sub = argv.findIndex((a, k) => k > sub && !a.startsWith('-') && !COMPOSE_VALUE_OPTIONS.has(argv[k - 1] ?? ''));
  if (sub < 0 || !(argv[sub] === 'exec' || (isCompose && argv[sub] === 'run'))) return NONE;
  const containerIndex = skipOptions(argv, sub + 1, isCompose ? COMPOSE_EXEC_VALUE_OPTIONS : DOCKER_EXEC_VALUE_OPTIONS);
  return containerIndex + 1 < argv.length ? inner(containerIndex + 1, { isRemote: true }) : NONE;
}

/** npm's commands that run a package.json script: `npm run x`, `npm test`, `npm start` … (with their pre/post scripts). */
const NPM_SCRIPT_COMMANDS: ReadonlyMap<string, string | undefined> = new Map([['run', undefined], ['run-script', undefined], ['rum', undefined], ['urn', undefined],
  ['test', 'test'], ['t', 'test'], ['tst', 'test'], ['start', 'start'], ['stop', 'stop'], ['restart', 'restart']]);
const PACKAGE_MANAGER_SCRIPT_COMMANDS: ReadonlyMap<string, string | undefined> = new Map([['run', undefined], ['run-script', undefined], ['test', 'test'], ['start', 'start']]);

/**
 * `npm run db:reset` runs the package.json script `db:reset` (and `predb:reset`/`postdb:reset`) through a shell:
 * the script's command line is analysed as if typed. `bareNames`: `yarn db:reset` / `pnpm db:reset` name scripts directly.
 */
function packageScript(c: SimpleCommand, host: UnwrapHost, commands: ReadonlyMap<string, string | undefined>, bareNames: boolean): Unwrapped {
  const words = c.argv.slice(1).filter((a) => !a.startsWith('-'));
  const [first, second] = words;
  if (first === undefined) return NONE;
  let name: string | undefined;
  if (commands.has(first)) name = commands.get(first) ?? second;
  else if (bareNames) name = first;
  if (name === undefined) return NONE;
  const body = host.packageScript(name);
  if (body === undefined) return NONE;
  const extra = c.argv.slice(c.argv.indexOf('--') + 1 || c.argv.length).join(' ');
  const parts = [host.packageScript(`pre${name}`), extra ? `${body} ${extra}` : body, host.packageScript(`post${name}`)].filter((p): p is string => p !== undefined);
  return { kind: 'script', script: parts.join('\n'), isDynamic: false, alsoEmit: true };
}

function orElse(result: Unwrapped, fallback: () => Unwrapped): Unwrapped {
  return result.kind === 'none' ? fallback() : result;
}

/** `yarn prisma migrate reset`, `pnpm knex migrate:rollback --all`: a word that is no command of the package manager runs a bin. */
function packageManagerBin(c: SimpleCommand, commands: ReadonlySet<string>): Unwrapped {
  const word = c.argv[1];
  if (word === undefined || word.startsWith('-') || commands.has(word)) return NONE;
  return inner(1);
}

const YARN_COMMANDS = set('add', 'audit', 'autoclean', 'bin', 'cache', 'check', 'config', 'constraints', 'create', 'dedupe', 'dlx', 'exec', 'explain', 'generate-lock-entry',
  'global', 'help', 'import', 'info', 'init', 'install', 'licenses', 'link', 'list', 'login', 'logout', 'node', 'npm', 'outdated', 'owner', 'pack', 'patch', 'patch-commit',
  'plugin', 'policies', 'publish', 'rebuild', 'remove', 'run', 'search', 'set', 'stage', 'tag', 'team', 'unlink', 'unplug', 'up', 'upgrade', 'upgrade-interactive',
  'version', 'versions', 'why', 'workspace', 'workspaces', 'test', 'start', 'build', 'lint', 'dev', 'format');
const PNPM_COMMANDS = set('add', 'install', 'i', 'install-test', 'it', 'update', 'up', 'upgrade', 'remove', 'rm', 'uninstall', 'un', 'link', 'ln', 'unlink', 'import',
  'rebuild', 'rb', 'prune', 'fetch', 'patch', 'patch-commit', 'patch-remove', 'run', 'run-script', 'test', 't', 'tst', 'start', 'exec', 'dlx', 'create', 'publish', 'pack',
  'audit', 'list', 'ls', 'll', 'outdated', 'why', 'store', 'root', 'bin', 'setup', 'init', 'env', 'server', 'deploy', 'licenses', 'config', 'c', 'get', 'set', 'doctor',
  'recursive', 'multi', 'm', 'dedupe', 'approve-builds', 'ignored-builds', 'self-update', 'cat-file', 'cat-index', 'find-hash', 'help', 'build', 'lint', 'dev', 'format');
const COMPOSE_VALUE_OPTIONS = set('-f', '--file', '-p', '--project-name', '--profile', '--env-file', '--project-directory', '--context', '-H', '--host', '--ansi', '--progress', '--parallel');
const COMPOSE_EXEC_VALUE_OPTIONS = set('-e', '--env', '-u', '--user', '-w', '--workdir', '--index', '--name', '--entrypoint', '-v', '--volume', '-p', '--publish', '-l', '--label', '--env-from-file', '--pull');

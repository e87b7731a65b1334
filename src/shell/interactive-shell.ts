// Whether an argv starts an interactive shell (one that reads commands typed at the terminal), and which shells the
// terminal guard hooks. Shared by the rule against unguarded shells and the process monitor (src/hook/process-monitor.ts).
import { hasLongOption, optionValue, programName, shortFlags } from './words.js';

/** Shells the terminal guard hooks when they inherit its environment: bash (PROMPT_COMMAND) and zsh (ZDOTDIR). */
export const HOOKED_SHELLS: ReadonlySet<string> = new Set(['bash', 'zsh']);

/** Shells that never load the hook: commands typed into them reach neither the hook nor VS Code's shell integration. */
export const UNHOOKED_SHELLS: ReadonlySet<string> = new Set([
  'sh', 'dash', 'ash', 'busybox-sh', 'ksh', 'ksh93', 'mksh', 'pdksh', 'oksh', 'yash', 'posh', 'rbash',
  'csh', 'tcsh', 'fish', 'pwsh', 'powershell', 'nu', 'xonsh', 'elvish',
]);

/** How one family of shells spells "run this code" and which of its options take a value. */
interface ShellSyntax {
  /** An option that makes the shell run given code instead of reading the terminal (`-c`, `-Command`). */
  readonly runsCode: (option: string) => boolean;
  /** Options followed by a value (`-o pipefail`, `--rcfile x`). */
  readonly valueOptions: ReadonlySet<string>;
  /** Options that keep the shell interactive whatever else is given (`pwsh -NoExit -Command …`). */
  readonly staysInteractive?: ReadonlySet<string>;
  /** Option names compare without case (PowerShell). */
  readonly ignoreCase?: boolean;
}

/** `--version`, `--help`, `-?`: the shell prints something and exits (bash's `-v` is verbose, not version). */
const EXITS_AT_ONCE = /^--?(version|help|\?)$|^\/\?$/;

const POSIX: ShellSyntax = {
  // Any single-dash cluster holding `c` (`-c`, `-lc`, `-ec`), and bash's `--command`-less long forms never run code.
  runsCode: (option) => /^-[A-Za-z]*c[A-Za-z]*$/.test(option),
  valueOptions: new Set(['-o', '+o', '-O', '+O', '--rcfile', '--init-file']),
};

const SYNTAX: ReadonlyMap<string, ShellSyntax> = new Map<string, ShellSyntax>([
  ['csh', { runsCode: (o) => /^-[A-Za-z]*c[A-Za-z]*$/.test(o), valueOptions: new Set() }],
  ['tcsh', { runsCode: (o) => /^-[A-Za-z]*c[A-Za-z]*$/.test(o), valueOptions: new Set() }],
  ['fish', {
    runsCode: (o) => o === '-c' || o === '--command' || o.startsWith('--command='),
    valueOptions: new Set(['-C', '--init-command', '-d', '--debug', '-o', '--debug-output', '--profile', '--profile-startup', '-f', '--features']),
  }],
  ['pwsh', {
    runsCode: (o) => /^-(c|co|com|comm|comma|comman|command|f|fi|fil|file|e|ec|en|enc|encodedcommand|cwa|commandwithargs)$/.test(o),
    valueOptions: new Set(['-executionpolicy', '-ex', '-ep', '-workingdirectory', '-wd', '-wo', '-configurationname', '-config', '-configurationfile',
      '-custompipename', '-inputformat', '-inp', '-if', '-outputformat', '-o', '-of', '-settingsfile', '-settings', '-windowstyle', '-w', '-psconsolefile']),
    staysInteractive: new Set(['-noexit', '-noe']),
    ignoreCase: true,
  }],
  ['nu', {
    runsCode: (o) => o === '-c' || o === '--commands',
    valueOptions: new Set(['--config', '--env-config', '--log-level', '--log-target', '-t', '--threads', '-I', '--include-path', '-m', '--table-mode',
      '--error-style', '--plugin-config', '--plugins', '--testbin', '--experimental-options', '-e', '--execute']),
  }],
  ['xonsh', { runsCode: (o) => o === '-c', valueOptions: new Set(['--rc', '-D', '--shell-type', '--shell', '-st']) }],
  ['elvish', { runsCode: (o) => o === '-c', valueOptions: new Set(['-rc', '-sock', '-db', '-log']) }],
]);
const SYNTAX_ALIASES: ReadonlyMap<string, string> = new Map([['powershell', 'pwsh']]);

/**
 * True when `argv` (program first) starts a shell that reads its commands from the terminal: no script file, no
 * `-c`/`-Command`, no `--version`. Whether standard input is a terminal is the caller's business (a pipe, heredoc or
 * `<` redirect feeds it a script that the analyser reads). False for anything that is not a shell.
 */
export function startsInteractiveShell(argv: readonly string[]): boolean {
  const name = shellName(argv);
  if (name === undefined) return false;
  const syntax = SYNTAX.get(SYNTAX_ALIASES.get(name) ?? name) ?? POSIX;
  let interactive = true;
  for (let i = 1; i < argv.length; i += 1) {
    const raw = argv[i]!;
    const arg = syntax.ignoreCase ? raw.toLowerCase() : raw;
    if (syntax.staysInteractive?.has(arg)) return true;
    if (EXITS_AT_ONCE.test(arg)) interactive = false;
    if (arg === '--' || arg === '-') return interactive && i + 1 >= argv.length;
    if (syntax.runsCode(arg)) interactive = false;
    else if (syntax.valueOptions.has(arg)) i += 1;
    else if (arg[0] !== '-' && arg[0] !== '+') return false; // a script file (and its arguments)
  }
  return interactive;
}

/** The shell's name when argv[0] is a shell the guard knows (hooked or not), else undefined. A login shell's `-bash` counts. */
export function shellName(argv: readonly string[]): string | undefined {
  const first = argv[0];
  if (first === undefined) return undefined;
  const name = programName(first.startsWith('-') ? first.slice(1) : first);
  return HOOKED_SHELLS.has(name) || UNHOOKED_SHELLS.has(name) ? name : undefined;
}

/** zsh options that skip every startup file after /etc/zshenv, ZDOTDIR's (the hook's) included: `-f`, `--no-rcs`, `+o rcs`. */
export function zshSkipsStartupFiles(argv: readonly string[]): boolean {
  const normal = (option: string): string => option.toLowerCase().replace(/[_-]/g, '');
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--' || arg === '-' || (arg[0] !== '-' && arg[0] !== '+')) return false;
    if (/^-[A-Za-z]*f[A-Za-z]*$/.test(arg) && !arg.startsWith('--')) return true;
    if (arg.startsWith('--') && normal(arg.slice(2)) === 'norcs') return true;
    if ((arg === '-o' && normal(argv[i + 1] ?? '') === 'norcs') || (arg === '+o' && normal(argv[i + 1] ?? '') === 'rcs')) return true;
    if (arg === '-o' || arg === '+o') i += 1;
  }
  return false;
}

/** A short option among argv's options (`-iu` holds `i`), or one of the long ones (`--login`, `--user=x`). */
function hasOption(argv: readonly string[], letters: string, long: readonly string[]): boolean {
  const args = argv.slice(1);
  const flags = shortFlags(args);
  return [...letters].some((l) => flags.has(l)) || long.some((name) => hasLongOption(args, name));
}

/** `su`/`runuser` forms that start a login shell: `-`, `-l`, `--login` (the environment is cleared). */
const suLogin = (argv: readonly string[]): boolean => argv.includes('-') || hasOption(argv, 'l', ['--login']);

type UserShell = { readonly unguarded?: string } | undefined;

/** `su`/`runuser` with no command: the target user's shell, which keeps this terminal's environment unless it logs in. */
function suShell(program: string, argv: readonly string[]): UserShell {
  // `runuser -u app` without a command is an error ("no command was specified"), not a shell.
  if (program === 'runuser' && hasOption(argv, 'u', ['--user'])) return undefined;
  if (suLogin(argv) && !hasOption(argv, 'mp', ['--preserve-environment'])) return { unguarded: `${program} - starts a login shell, which clears the environment` };
  const shell = optionValue(argv.slice(1), ['-s', '--shell']);
  if (shell !== undefined && !HOOKED_SHELLS.has(programName(shell))) return { unguarded: `${program} starts ${programName(shell)}, which has no hook` };
  return {};
}

/**
 * Programs that open an interactive shell as another user (root by default) in the forms that run no command
 * (`sudo -i`, `su -`, `run0`): with a command, the unwrapper hands the command itself to the rules. For each, whether
 * argv opens such a shell and, if the terminal guard cannot reach it, why: `{ unguarded }`; `{}` when the shell keeps
 * this terminal's environment (`su`, `sudo -E -s`), so the hook loads there unless something earlier cleared it;
 * undefined when argv opens no such shell. sudo, doas, run0, pkexec and machinectl start the shell with a fresh
 * environment; `su` and `runuser` keep it unless they start a login shell.
 */
const USER_SHELLS: ReadonlyMap<string, (argv: readonly string[]) => UserShell> = new Map<string, (argv: readonly string[]) => UserShell>([
  ['sudo', (argv) => {
    if (hasOption(argv, 'i', ['--login'])) return { unguarded: 'sudo -i starts the user\'s login shell with a fresh environment' };
    if (!hasOption(argv, 's', ['--shell'])) return undefined;
    return hasOption(argv, 'E', ['--preserve-env']) ? {} : { unguarded: 'sudo -s starts a shell with sudo\'s reset environment' };
  }],
  ['doas', (argv) => (argv.includes('-s') ? { unguarded: 'doas -s starts a shell with a reset environment' } : undefined)],
  ['run0', () => ({ unguarded: 'run0 starts a root shell in a fresh environment' })],
  ['pkexec', () => ({ unguarded: 'pkexec starts a root shell in a fresh environment' })],
  // `chroot /mnt` with no command starts a shell under the new root, where the hook's files are not.
  ['chroot', (argv) => (argv.slice(1).filter((a) => !a.startsWith('-')).length === 1 ? { unguarded: 'chroot starts a shell under another root, without the hook\'s files' } : undefined)],
  ['machinectl', (argv) => (argv[1] === 'shell' && argv.length <= 3 ? { unguarded: 'machinectl shell opens a new login session' } : undefined)],
  ['su', (argv) => suShell('su', argv)],
  ['runuser', (argv) => suShell('runuser', argv)],
]);

/** Whether `argv` opens an interactive shell as another user, and why the guard cannot reach it (see USER_SHELLS). */
export function userShell(argv: readonly string[]): UserShell {
  const judge = argv[0] === undefined ? undefined : USER_SHELLS.get(programName(argv[0]));
  if (judge === undefined || argv.slice(1).some((a) => EXITS_AT_ONCE.test(a) || a === '-V')) return undefined;
  return judge(argv);
}

/** Wrappers that run their command with a fresh environment, so a shell started through them loses the hook's variables. */
export const FRESH_ENVIRONMENT_WRAPPERS: ReadonlyMap<string, string> = new Map([
  ['sudo', 'sudo resets the environment the hook loads from'],
  ['doas', 'doas resets the environment the hook loads from'],
  ['run0', 'run0 starts it in a fresh environment'],
  ['pkexec', 'pkexec starts it in a fresh environment'],
]);

/** Programs whose shell-opening forms userShell knows. */
export const SHELL_OPENERS: readonly string[] = [...USER_SHELLS.keys()];

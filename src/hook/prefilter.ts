// The shell hooks' fast prefilter, generated from the rule packs: which lines can run without asking the server.
import { createHash } from 'node:crypto';
import fs = require('node:fs');
import path = require('node:path');
import type { Policy } from '../policy/schema.js';
import { programsWithRules } from '../rules/index.js';

/**
 * Programs that run other programs or code, so the engine must see what they run. Mirrors the wrapper table in
 * `src/shell/unwrap.ts` (a test keeps the two in step) plus interpreters, launchers and schedulers.
 */
export const WRAPPER_PROGRAMS: readonly string[] = [
  'sudo', 'doas', 'run0', 'pkexec', 'env', 'nice', 'renice', 'nohup', 'setsid', 'time', 'timeout', 'stdbuf', 'ionice', 'chrt',
  'taskset', 'flock', 'unbuffer', 'caffeinate', 'command', 'builtin', 'exec', 'busybox', 'toybox', 'xargs', 'parallel',
  'eval', 'watch', 'ssh', 'mosh', 'ansible', 'su', 'runuser', 'chroot', 'nsenter', 'unshare', 'systemd-run', 'at', 'batch',
  'npx', 'bunx', 'pnpx', 'npm', 'pnpm', 'yarn', 'bundle', 'poetry', 'pipenv', 'uv', 'uvx', 'pipx', 'pdm', 'hatch', 'bun',
  'dotenv', 'doppler', 'railway', 'heroku', 'fly', 'flyctl', 'op', 'aws-vault', 'infisical', 'chamber', 'direnv',
  'kubectl', 'docker', 'podman', 'docker-compose', 'podman-compose', 'find', 'fd', 'make', 'gmake', 'just', 'task',
  'tmux', 'screen', 'script', 'strace', 'ltrace', 'gdb', 'valgrind', 'awk', 'gawk', 'mawk', 'nawk', 'sed', 'git', 'tsx',
  'ts-node', 'node', 'nodejs', 'deno', 'python', 'python3',
  'perl', 'ruby', 'php', 'lua', 'luajit', 'tclsh', 'Rscript', 'java', 'dotnet', 'osascript', 'pwsh', 'powershell',
];

/** Shells: a shell started with a script or `-c` runs code the engine must see. Mirrors SHELLS in `src/shell/unwrap.ts`. */
export const SHELL_PROGRAMS: readonly string[] = ['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'busybox-sh', 'csh', 'tcsh', 'rbash'];

/**
 * Builtins that can switch the guard off or run code (trap, unset -f, shopt -u extdebug, source, eval, zle …). They go
 * to the server, which flags changes to the guard (`hook.tamper`); the second-level table lets the everyday forms through.
 */
export const GUARD_BUILTINS: readonly string[] = [
  'trap', 'unset', 'set', 'shopt', 'enable', 'builtin', 'command', 'exec', 'eval', 'source', '.', 'alias', 'fc', 'hash',
  'export', 'declare', 'typeset', 'local', 'readonly', 'bind', 'complete', 'compgen', 'coproc', 'kill', 'disown',
  'unfunction', 'functions', 'zle', 'bindkey', 'add-zsh-hook', 'autoload', 'emulate', 'setopt', 'unsetopt', 'zmodload',
  'disable', 'noglob', 'nocorrect', 'sched', 'zstyle', 'trap', 'ulimit',
];

/**
 * Names whose change can disable the guard (trap chain, PROMPT_COMMAND bootstrap, BASH_ENV, PATH guard, history the
 * line check reads) or make the prompt run code. An assignment or declaration naming one goes to the server.
 */
export const GUARD_VARIABLES_ERE =
  'PATH|BASH_ENV|ENV|PROMPT_COMMAND|PS0|PS1|PS2|PS4|HIST|AGENT_GUARDRAILS|ZDOTDIR|LD_PRELOAD|LD_LIBRARY_PATH|DYLD_|SHELLOPTS|BASHOPTS|IFS|precmd_functions|preexec_functions|__vsc|__bp_|__agent_guardrails|VSCODE_';

/** A program whose everyday read-only forms may run without a round trip. */
export interface ReadOnlyForm {
  readonly program: string;
  /** The first argument that makes it read-only (`status` for `git status`); `*` for any arguments. */
  readonly subcommand: string;
  /** POSIX ERE (and JavaScript) pattern over the whole text: when it matches, the form is not harmless after all. */
  readonly deny?: string;
}

const NO_OUTPUT_FILE = '--output|--ext-diff|(^|[ \t])-O|--open-files';
/**
 * Second level: read-only subcommands of programs that have rules. Every form here must be `allow` for the engine;
 * `test/unit/hook/prefilter.test.ts` checks each one against it. `npm test` is deliberately absent: the engine reads the
 * package.json script it would run, which the prefilter cannot.
 */
export const READ_ONLY_FORMS: readonly ReadOnlyForm[] = [
  ...['status', 'log', 'diff', 'show', 'rev-parse', 'ls-files', 'blame', 'describe', 'shortlog', 'grep', 'whatchanged', 'cat-file', 'ls-tree', 'rev-list', 'merge-base', 'name-rev', 'show-ref', 'version', 'help']
    .map((subcommand) => ({ program: 'git', subcommand, deny: NO_OUTPUT_FILE })),
  { program: 'git', subcommand: 'branch', deny: '(^|[ \t])-[a-zA-Z]*[dDmMcCfu]|--delete|--move|--copy|--force|--set-upstream|--unset-upstream|--edit|branch[ \t]+[^- \t]' },
  { program: 'git', subcommand: 'remote', deny: 'remote[ \t]+[^- \t]' },
  { program: 'git', subcommand: 'stash', deny: 'stash[ \t]+[^l \t]|stash[ \t]+l[^i]' },
  ...['ps', 'images', 'version', 'info', 'inspect', 'logs'].map((subcommand) => ({ program: 'docker', subcommand })),
  ...['get', 'describe', 'logs', 'version', 'explain', 'api-resources', 'api-versions', 'cluster-info', 'top'].map((subcommand) => ({ program: 'kubectl', subcommand, deny: '--raw|(^|[ \t])-w|--watch' })),
  ...['ls', 'list', 'outdated', 'view', 'info', 'why', 'explain', 'help', 'root', 'bin', 'prefix'].map((subcommand) => ({ program: 'npm', subcommand })),
  ...['validate', 'version', 'fmt', 'providers'].map((subcommand) => ({ program: 'terraform', subcommand, deny: '-chdir|fmt[ \t]*$|fmt[ \t]+[^-]' })),
  ...['export', 'declare', 'typeset', 'local', 'readonly'].map((program) => ({ program, subcommand: '*', deny: GUARD_VARIABLES_ERE })),
  { program: 'set', subcommand: '*', deny: `T|functrace|history|posix|extdebug|[+]o|${GUARD_VARIABLES_ERE}` },
  { program: 'unset', subcommand: '*', deny: `-f|${GUARD_VARIABLES_ERE}` },
  { program: 'shopt', subcommand: '*', deny: 'extdebug|functrace|-u|-o|history' },
  { program: 'trap', subcommand: '*', deny: 'DEBUG|RETURN|ERR|ZERR|-|\'\'|""|trap[ \t]*$' },
  { program: 'kill', subcommand: '-l' },
];

/** Shell syntax that needs the full analyser when it appears anywhere in a command line. */
export const LINE_META_ERE = '[|;&<>$`()\\\\\n\r]';
/**
 * The same for one simple command as bash's DEBUG trap shows it: `$VAR`, `$(…)` and backquotes are fine there, because
 * the commands a substitution runs reach the DEBUG trap themselves (extdebug), and the policy fragments catch names.
 */
export const SIMPLE_META_ERE = '[|;&<>\\\\\n\r]';
/** The first word and the second: a plain word (no quotes, expansions or assignments) makes the program name known. */
export const HEAD_ERE = '^[ \t]*([A-Za-z0-9_./+@%:,-]+)([ \t]+([^ \t]*)|[ \t]*$)';
/** `--version`/`--help` alone is read-only for every program. */
export const VERSION_ONLY_ERE = '^[ \t]*[^ \t]+[ \t]+--(version|help)[ \t]*$';
/** Compound-command heads that run nothing themselves; their substitutions reach the trap on their own (bash). */
export const SIMPLE_SAFE_HEAD_ERE = '^[ \t]*(\\[\\[|\\(\\()[ \t]';

export interface Prefilter {
  /** Changes whenever anything below changes; the hooks reload the file when its first line changes. */
  readonly version: string;
  /** Every program a rule looks at, every wrapper, shell and guard builtin (lower case). */
  readonly riskyPrograms: readonly string[];
  readonly readOnlyForms: readonly ReadOnlyForm[];
  /**
   * Lower-case literal fragments of the policies' cross-environment identifiers and confirm/block globs. A line that
   * contains one (quotes removed) goes to the server, whatever its program.
   */
  readonly fragments: readonly string[];
  /** True when some policy glob or identifier has no usable fragment: then every line goes to the server. */
  readonly everythingRisky: boolean;
}

/** Builds the prefilter for the policies in force (one per workspace folder). */
export function buildPrefilter(policies: readonly Policy[]): Prefilter {
  const risky = new Set<string>();
  for (const program of [...programsWithRules(), ...WRAPPER_PROGRAMS, ...SHELL_PROGRAMS, ...GUARD_BUILTINS]) risky.add(program.toLowerCase());
  // Naming the hook's own functions or variables is always worth a look (hook.tamper).
  const fragments = new Set<string>(['agent_guardrails']);
  let everythingRisky = false;
  for (const policy of policies) {
    const patterns: string[] = [...policy.confirm, ...policy.block];
    for (const [name, environment] of Object.entries(policy.environments)) {
      if (name === policy.environment) continue;
      patterns.push(...(environment.match ?? []));
    }
    for (const pattern of patterns) {
      const fragment = longestLiteralRun(pattern);
      if (fragment === undefined) everythingRisky = true;
      else fragments.add(fragment);
    }
  }
  const body = {
    riskyPrograms: [...risky].sort(),
    readOnlyForms: READ_ONLY_FORMS,
    fragments: [...fragments].sort(),
    everythingRisky,
  };
  const version = createHash('sha256').update(JSON.stringify([body, LINE_META_ERE, SIMPLE_META_ERE, HEAD_ERE, VERSION_ONLY_ERE, SIMPLE_SAFE_HEAD_ERE])).digest('hex').slice(0, 16);
  return { version, ...body };
}

/**
 * The longest piece of a glob's literal text (lower case, at least 3 characters), split at glob syntax, whitespace and
 * quotes: every such piece must appear in a line the glob matches (the raw line may differ from argv only in quotes,
 * which the check removes, in whitespace, and in escapes, which already need the analyser).
 */
function longestLiteralRun(glob: string): string | undefined {
  const literal = glob.replace(/\[[^\]]*\]/g, ' ').replace(/[*?{}\\"'\s]/g, ' ');
  let best = '';
  for (const piece of literal.toLowerCase().split(' ')) if (piece.length > best.length) best = piece;
  return best.length >= 3 ? best : undefined;
}

export type PrefilterPhase = 'line' | 'simple';

const compiled = new WeakMap<Prefilter, { risky: Set<string>; forms: Map<string, ReadOnlyForm[]>; deny: Map<ReadOnlyForm, RegExp> }>();
const LINE_META = new RegExp(LINE_META_ERE);
const SIMPLE_META = new RegExp(SIMPLE_META_ERE);
const HEAD = new RegExp(HEAD_ERE);
const VERSION_ONLY = new RegExp(VERSION_ONLY_ERE);
const SIMPLE_SAFE_HEAD = new RegExp(SIMPLE_SAFE_HEAD_ERE);

/**
 * True when the text can run without asking the server. The TypeScript twin of `__agent_guardrails_harmless` in the
 * generated shell file; the extension uses it to tell which terminal commands the hook must have reported (bypass
 * detection). Tests run both on the same lines.
 */
export function isHarmless(prefilter: Prefilter, text: string, phase: PrefilterPhase): boolean {
  let data = compiled.get(prefilter);
  if (!data) {
    const forms = new Map<string, ReadOnlyForm[]>();
    const deny = new Map<ReadOnlyForm, RegExp>();
    for (const form of prefilter.readOnlyForms) {
      const key = form.subcommand === '*' ? form.program : `${form.program} ${form.subcommand}`;
      forms.set(key, [...(forms.get(key) ?? []), form]);
      if (form.deny !== undefined) deny.set(form, new RegExp(form.deny));
    }
    data = { risky: new Set(prefilter.riskyPrograms), forms, deny };
    compiled.set(prefilter, data);
  }
  if (prefilter.everythingRisky || text.length > 4096) return false;
  const safeHead = phase === 'simple' && SIMPLE_SAFE_HEAD.test(text);
  if (!safeHead && (phase === 'line' ? LINE_META : SIMPLE_META).test(text)) return false;
  // An unterminated quote: bash would read on, the analyser cannot parse it.
  if (count(text, '"') % 2 === 1 || count(text, "'") % 2 === 1) return false;
  if (prefilter.fragments.length > 0) {
    const flat = text.replace(/["']/g, '').toLowerCase();
    if (prefilter.fragments.some((f) => flat.includes(f))) return false;
  }
  if (safeHead) return true;
  const head = HEAD.exec(text);
  if (!head) return /^[ \t]*$/.test(text);
  const word = head[1] ?? '';
  const program = word.slice(word.lastIndexOf('/') + 1).toLowerCase();
  // `gradlew.bat`, `python3.12`, `manage.py`: the name with and without its last extension.
  const dot = program.lastIndexOf('.');
  if (!data.risky.has(program) && !(dot > 0 && data.risky.has(program.slice(0, dot)))) return true;
  if (VERSION_ONLY.test(text)) return true;
  const candidates = [...(data.forms.get(`${program} ${head[3] ?? ''}`) ?? []), ...(data.forms.get(program) ?? [])];
  return candidates.some((form) => !(data.deny.get(form)?.test(text) ?? false));
}

function count(text: string, character: string): number {
  let n = 0;
  for (const c of text) if (c === character) n += 1;
  return n;
}

/** Single-quotes a string for bash and zsh. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The generated shell file both hooks source (plain assignments only, valid in bash and zsh). The first line carries
 * the version so a hook can notice a new file by reading one line.
 */
export function renderPrefilterShell(prefilter: Prefilter): string {
  const forms = prefilter.readOnlyForms.flatMap((f) => [f.subcommand === '*' ? f.program : `${f.program} ${f.subcommand}`, f.deny ?? '']);
  const lines = [
    `# agent-guardrails-prefilter ${prefilter.version}`,
    '# Generated by the Agent Guardrails extension from its rule packs and the workspace policies. Do not edit:',
    '# the extension rewrites it, and the hooks treat a missing or unreadable file as "every command is risky".',
    `__agent_guardrails_pf_version=${shellQuote(prefilter.version)}`,
    `__agent_guardrails_pf_line_meta=${shellQuote(LINE_META_ERE)}`,
    `__agent_guardrails_pf_simple_meta=${shellQuote(SIMPLE_META_ERE)}`,
    `__agent_guardrails_pf_head=${shellQuote(HEAD_ERE)}`,
    `__agent_guardrails_pf_version_only=${shellQuote(VERSION_ONLY_ERE)}`,
    `__agent_guardrails_pf_safe_head=${shellQuote(SIMPLE_SAFE_HEAD_ERE)}`,
    `__agent_guardrails_pf_everything=${prefilter.everythingRisky ? 1 : 0}`,
    `__agent_guardrails_pf_fragments=(${prefilter.fragments.map(shellQuote).join(' ')})`,
    `__agent_guardrails_pf_forms=(${forms.map(shellQuote).join(' ')})`,
    `__agent_guardrails_pf_risky=(${prefilter.riskyPrograms.map(shellQuote).join(' ')})`,
    '',
  ];
  return lines.join('\n');
}

/** Writes the shell file atomically (write, then rename), so a hook never reads half a file. */
export function writePrefilterFile(file: string, prefilter: Prefilter): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temporary, renderPrefilterShell(prefilter), { mode: 0o644 });
  fs.renameSync(temporary, file);
}

// Small helpers over argv: program names, option parsing, quote removal for strings the parser hands back.

/** `/usr/bin/Git.exe` → `git`, `gradlew.bat` → `gradlew` (Windows launchers name the same programs). */
export function programName(argv0: string): string {
  const base = argv0.slice(argv0.lastIndexOf('/') + 1).toLowerCase();
  return /\.(exe|cmd|bat|ps1)$/.test(base) ? base.slice(0, base.lastIndexOf('.')) : base;
}

/** Removes backslash escapes from an unquoted word (`\git` → `git`, `\<newline>` → nothing). */
export function unescapeUnquoted(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(\n|.)/g, (_m, ch: string) => (ch === '\n' ? '' : ch));
}

/** Removes the escapes bash honours inside double quotes: `\\`, `\"`, `\$`, `` \` ``, `\<newline>`. */
export function unescapeDoubleQuoted(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\([\\"$`\n])/g, (_m, ch: string) => (ch === '\n' ? '' : ch));
}

const ANSI_C_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/** Decodes the body of `$'…'`. */
export function decodeAnsiC(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)/g, (m, esc: string) => {
    const c = esc[0];
    if (c === 'x' || c === 'u' || c === 'U') return String.fromCodePoint(parseInt(esc.slice(1), 16) || 0);
    if (c !== undefined && c >= '0' && c <= '7') return String.fromCharCode(parseInt(esc, 8));
    if (c === 'c') return String.fromCharCode((esc.charCodeAt(1) || 64) & 31);
    return ANSI_C_ESCAPES[esc] ?? m;
  });
}

/**
 * A shell word standing for a value only known when the command runs: a command string built by inline code
 * (`"rm -rf " + path`) or something make computes (`$(shell …)`). The analyser reads it like `$path`, so rules judge
 * the command by what it may reach.
 */
export const RUN_TIME_VALUE = '${value_known_at_run_time}';

/** Splits `-abc` into `-a -b -c` style letters; returns the set of short flag letters present in argv. */
export function shortFlags(args: readonly string[]): Set<string> {
  const letters = new Set<string>();
  for (const arg of args) {
    if (arg === '--') break;
    if (arg.length > 1 && arg[0] === '-' && arg[1] !== '-') {
      for (const ch of arg.slice(1)) letters.add(ch);
    }
  }
  return letters;
}

/** True when `--name` or `--name=…` is among the options (before `--`). */
export function hasLongOption(args: readonly string[], name: string): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === name || arg.startsWith(name + '=')) return true;
  }
  return false;
}

/** The value of `--name value`, `--name=value`, `-n value` or `-nvalue`; undefined when absent. */
export function optionValue(args: readonly string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') return undefined;
    for (const name of names) {
      if (arg === name) return args[i + 1];
      if (name.startsWith('--') && arg.startsWith(name + '=')) return arg.slice(name.length + 1);
      if (!name.startsWith('--') && name.length === 2 && arg.startsWith(name) && arg.length > 2) return arg.slice(2);
    }
  }
  return undefined;
}

/**
 * The positional (non-option) arguments, skipping the values of the given options that take one.
 * `valueOptions` lists options such as `-n`, `--namespace`; `--opt=value` forms never consume the next word.
 */
export function positionals(args: readonly string[], valueOptions: ReadonlySet<string> = EMPTY): string[] {
  const result: string[] = [];
  let afterDashDash = false;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (afterDashDash) { result.push(arg); continue; }
    if (arg === '--') { afterDashDash = true; continue; }
    if (arg.length > 1 && arg[0] === '-') {
      if (!arg.includes('=') && valueOptions.has(arg)) i += 1;
      continue;
    }
    result.push(arg);
  }
  return result;
}

const EMPTY: ReadonlySet<string> = new Set();

// Inline code handed to interpreters (`python -c`, `node -e`, `perl -e`, `ruby -e`, heredocs fed to them):
// finds the code, and the shell commands it runs through system()/subprocess/execSync/backticks.
import type { SimpleCommand } from './types.js';

export type InterpreterLanguage = 'python' | 'javascript' | 'ruby' | 'perl' | 'php';

export interface InlineCode {
  readonly language: InterpreterLanguage;
  readonly text: string;
  /** How the code was passed, for messages: `-c`, `-e`, `<<`. */
  readonly flag: string;
}

const INTERPRETERS: ReadonlyArray<[RegExp, InterpreterLanguage, readonly string[]]> = [
  [/^(python|pypy)[0-9.]*w?$/, 'python', ['-c']],
  [/^(node|nodejs|bun)$/, 'javascript', ['-e', '--eval', '-p', '--print']],
  [/^deno$/, 'javascript', ['eval']],
  [/^ruby[0-9.]*$/, 'ruby', ['-e']],
  [/^perl[0-9.]*$/, 'perl', ['-e', '-E']],
  [/^php[0-9.]*$/, 'php', ['-r']],
];

export function interpreterLanguage(program: string): InterpreterLanguage | undefined {
  for (const [pattern, language] of INTERPRETERS) if (pattern.test(program)) return language;
  return undefined;
}

/** The inline code a command runs, or undefined when it runs none (or a script file we cannot see). */
export function inlineCodeOf(cmd: SimpleCommand): InlineCode | undefined {
  for (const [pattern, language, flags] of INTERPRETERS) {
    if (!pattern.test(cmd.program)) continue;
    const argv = cmd.argv;
    let sawScriptFile = false;
    for (let i = 1; i < argv.length; i += 1) {
      const arg = argv[i]!;
      if (flags.includes(arg)) return argv[i + 1] !== undefined ? { language, text: argv[i + 1]!, flag: arg } : undefined;
      // Bundled short flags: `python -Sc 'code'`, `perl -we 'code'`, `ruby -rfileutils -e`.
      if (/^-[a-zA-Z]+$/.test(arg) && arg.length > 2 && flags.some((f) => f.length === 2 && arg.endsWith(f[1]!))) {
        return argv[i + 1] !== undefined ? { language, text: argv[i + 1]!, flag: arg } : undefined;
      }
      if (arg === '-m' || arg === '-r' || arg === '-I' || arg === '-M' || arg === '--require' || arg === '-W') { i += 1; continue; }
      if (!arg.startsWith('-')) { sawScriptFile = true; break; }
    }
    if (!sawScriptFile && cmd.stdin && cmd.stdin.kind !== 'pipe') return { language, text: cmd.stdin.text, flag: '<<' };
    if (!sawScriptFile && cmd.stdin?.kind === 'pipe' && (cmd.stdin.from.program === 'echo' || cmd.stdin.from.program === 'printf')) {
      return { language, text: cmd.stdin.from.argv.slice(1).join(' '), flag: '| stdin' };
    }
    return undefined;
  }
  return undefined;
}

/** Process-spawning calls whose first argument is a shell command line (or an argv list). */
const SPAWN_CALL = /\b(?:os\.system|os\.popen|subprocess\.(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput)|execSync|execFileSync|spawnSync|exec|execFile|spawn|system|popen|shell_exec|passthru|proc_open|Open3\.\w+|IO\.popen|Kernel\.system|Deno\.Command|Bun\.spawnSync|Bun\.spawn)\s*\(\s*(\[[^\]]*\]|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`)/g;
/** Ruby/Perl backticks and %x{}/qx{}. */
const BACKTICKS = /`([^`]+)`|%x\{([^}]*)\}|qx[{(/]([^})/]*)[})/]/g;
const STRING_LITERAL = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g;
/** A one-liner that is itself a shell command (`perl -e "rm -rf /"`): people and agents do write these. */
const LOOKS_LIKE_SHELL = /^\s*(rm|rmdir|dd|mkfs(\.\w+)?|shred|git|find|chmod|chown|truncate|mv)\s+-/;

/** Shell command lines run by the code (bounded: at most 32). */
export function extractShellFromInlineCode(code: string): string[] {
  const scripts: string[] = [];
  if (code.length > 64 * 1024) return scripts;
  for (const match of code.matchAll(SPAWN_CALL)) {
    const arg = match[1]!;
    if (arg.startsWith('[')) {
      const words = [...arg.matchAll(STRING_LITERAL)].map((m) => unescapeLiteral(m[1] ?? m[2] ?? ''));
      if (words.length > 0) scripts.push(words.map(quoteForShell).join(' '));
    } else {
      scripts.push(unescapeLiteral(arg.slice(1, -1)));
    }
    if (scripts.length >= 32) return scripts;
  }
  for (const match of code.matchAll(BACKTICKS)) {
    const script = match[1] ?? match[2] ?? match[3];
    if (script) scripts.push(script);
    if (scripts.length >= 32) return scripts;
  }
  if (LOOKS_LIKE_SHELL.test(code)) scripts.push(code);
  return scripts;
}

function unescapeLiteral(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

function quoteForShell(word: string): string {
  return /^[A-Za-z0-9_./=:@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

// Inline code handed to interpreters (`python -c`, `node -e`, `perl -e`, `ruby -e`, heredocs fed to them, awk programs):
// finds the code, and the shell commands it runs through system()/subprocess/execSync/backticks.
import type { SimpleCommand } from './types.js';
import { RUN_TIME_VALUE } from './words.js';

export type InterpreterLanguage = 'python' | 'javascript' | 'ruby' | 'perl' | 'php';
/** Languages whose inline code is searched for shell commands: the interpreters, and awk programs. */
export type InlineLanguage = InterpreterLanguage | 'awk';

export interface InlineCode {
  readonly language: InlineLanguage;
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

const AWKS = new Set(['awk', 'gawk', 'mawk', 'nawk', 'busybox-awk']);
/** awk options followed by a value; `-f`/`--file` name a program file instead of inline text. */
const AWK_VALUE_OPTIONS = new Set(['-F', '-v', '--assign', '--field-separator', '-i', '--include', '-l', '--load', '-o', '-p', '-E', '--exec']);

/** The awk program given on the command line (the first operand, or gawk's `-e`/`--source`), undefined with `-f FILE`. */
function awkProgramOf(cmd: SimpleCommand): InlineCode | undefined {
  const argv = cmd.argv;
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '-f' || arg === '--file' || arg.startsWith('--file=')) return undefined;
    if (arg === '-e' || arg === '--source') return argv[i + 1] !== undefined ? { language: 'awk', text: argv[i + 1]!, flag: arg } : undefined;
    if (arg === '--') return argv[i + 1] !== undefined ? { language: 'awk', text: argv[i + 1]!, flag: 'program' } : undefined;
    if (AWK_VALUE_OPTIONS.has(arg)) { i += 1; continue; }
    if (arg.startsWith('-') && arg.length > 1) continue;
    return { language: 'awk', text: arg, flag: 'program' };
  }
  return undefined;
}

/** The inline code a command runs, or undefined when it runs none (or a script file we cannot see). */
export function inlineCodeOf(cmd: SimpleCommand): InlineCode | undefined {
  if (AWKS.has(cmd.program)) return awkProgramOf(cmd);
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

/**
 * Process-spawning calls whose first argument is a shell command line (or an argv list); group 1 is a Python string
 * prefix (`f"…"`, `r'…'`), group 2 the argument.
 */
const SPAWN_CALL = /\b(?:os\.system|os\.popen|subprocess\.(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput)|execSync|execFileSync|spawnSync|exec|execFile|spawn|system|popen|shell_exec|passthru|proc_open|Open3\.\w+|IO\.popen|Kernel\.system|Deno\.Command|Bun\.spawnSync|Bun\.spawn)\s*\(\s*([rRbBuUfF]{0,2})(\[[^\]]*\]|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`)/g;
/** A part of the command only known when the code runs (`"rm -rf " + path`, `f"rm -rf {path}"`), quoted. */
const RUN_TIME_WORD = `"${RUN_TIME_VALUE}"`;
/** After a command string: it is concatenated or formatted with values (`+ x`, `% x`, `. $x`, `.format(`). */
const CONTINUED = /^\s*(?:\+|%|\.\s*[$@\w(]|\.format\s*\()/;
/** awk: juxtaposition concatenates (`system("rm -rf " $1)`). */
const AWK_CONTINUED = /^\s*[$A-Za-z_(]/;
/**
 * The commands of awk's pipes, `print … | "cmd"` and `"cmd" | getline`: a `|` outside string literals (a `|` inside
 * one, as in bash-completion's `"..|"`, is text) next to a string literal. Comments are skipped.
 */
function awkPipeCommands(code: string): string[] {
  const literals: { start: number; end: number; text: string }[] = [];
  const pipes: number[] = [];
  for (let i = 0; i < code.length; i += 1) {
    const c = code[i]!;
    if (c === '#') { const eol = code.indexOf('\n', i); if (eol < 0) break; i = eol; continue; }
    if (c === '"') {
      let j = i + 1;
      while (j < code.length && code[j] !== '"') j += code[j] === '\\' ? 2 : 1;
      literals.push({ start: i, end: j, text: code.slice(i + 1, j) });
      i = j;
      continue;
    }
    if (c === '|' && code[i + 1] !== '|' && code[i - 1] !== '|') pipes.push(i);
  }
  const commands: string[] = [];
  for (const pipe of pipes) {
    const after = literals.find((l) => l.start > pipe && code.slice(pipe + 1, l.start).trim() === '');
    if (after) { commands.push(unescapeLiteral(after.text)); continue; }
    const before = literals.find((l) => l.end < pipe && code.slice(l.end + 1, pipe).trim() === '');
    if (before && /^\s*getline\b/.test(code.slice(pipe + 1))) commands.push(unescapeLiteral(before.text));
  }
  return commands;
}
/** Ruby/Perl backticks and %x{}/qx{}. */
const BACKTICKS = /`([^`]+)`|%x\{([^}]*)\}|qx[{(/]([^})/]*)[})/]/g;
const STRING_LITERAL = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g;
/** A one-liner that is itself a shell command (`perl -e "rm -rf /"`): people and agents do write these. */
const LOOKS_LIKE_SHELL = /^\s*(rm|rmdir|dd|mkfs(\.\w+)?|shred|git|find|chmod|chown|truncate|mv)\s+-/;

/** Shell command lines run by the code (bounded: at most 32). */
export function extractShellFromInlineCode(code: string, language?: InlineLanguage): string[] {
  const scripts: string[] = [];
  if (code.length > 64 * 1024) return scripts;
  for (const match of code.matchAll(SPAWN_CALL)) {
    const prefix = match[1]!;
    const arg = match[2]!;
    if (arg.startsWith('[')) {
      const words = [...arg.matchAll(STRING_LITERAL)].map((m) => unescapeLiteral(m[1] ?? m[2] ?? ''));
      if (words.length > 0) scripts.push(words.map(quoteForShell).join(' '));
    } else {
      let script = unescapeLiteral(arg.slice(1, -1));
      // A Python f-string's {fields} are values filled in at run time ({{ and }} are literal braces).
      if (/f/i.test(prefix)) script = script.replace(/\{\{|\}\}|\{[^{}]*\}/g, (m) => (m.length === 2 && m[0] === m[1] ? m[0]! : ` ${RUN_TIME_WORD} `));
      const after = code.slice(match.index! + match[0].length);
      if (CONTINUED.test(after) || (language === 'awk' && AWK_CONTINUED.test(after))) script += ` ${RUN_TIME_WORD}`;
      scripts.push(script);
    }
    if (scripts.length >= 32) return scripts;
  }
  if (language === 'awk') {
    for (const target of awkPipeCommands(code)) {
      // `print … | "sh"`: the shell runs whatever the program prints, known only at run time.
      scripts.push(/^\s*(?:\/\S*\/)?(?:sh|bash|zsh|dash|ksh)(?:\s+-\w+)*\s*$/.test(target) ? `sh -c ${RUN_TIME_WORD}` : target);
      if (scripts.length >= 32) return scripts;
    }
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

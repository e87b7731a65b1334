// Turns a command line into the simple commands a shell would run (tree-sitter-bash syntax tree → SimpleCommand[]).
import type { FileReader } from './file-reader.js';
import type { BashParser, SyntaxNode } from './parser.js';
import { STANDALONE_POSITION, type AnalysisProblem, type CommandLineAnalysis, type CommandPosition, type ListOperator, type Redirect, type SimpleCommand, type StdinSource } from './types.js';
import { decodeAnsiC, programName, unescapeDoubleQuoted, unescapeUnquoted } from './words.js';
import { unwrapCommand } from './unwrap.js';

/** Lines longer than this are not parsed at all: the answer is `confirm` with a clear reason. */
export const MAX_LINE_LENGTH = 64 * 1024;
/** How deep the syntax tree may nest (`$( $( … ) )`, nested blocks) before the analysis gives up. */
export const MAX_TREE_DEPTH = 200;
/** How many times a string may be re-parsed as shell code (`bash -c "bash -c '…'"`, `eval`, `ssh`). */
export const MAX_NESTED_SCRIPTS = 8;
/** How many simple commands one line may produce before the analysis stops (bounded work on adversarial input). */
export const MAX_COMMANDS = 2_000;

interface Context {
  readonly via: readonly string[];
  readonly isRemote: boolean;
  readonly nesting: number;
  /** The position the next simple command gets; lists, pipelines, subshells and `&` refine it on the way down. */
  readonly position: CommandPosition;
}

interface StatementOptions {
  readonly redirects?: readonly Redirect[];
  readonly stdin?: StdinSource | undefined;
}

interface Evaluated { text: string; isDynamic: boolean }

/** Analyses one command line. Never throws for any input; problems are reported in the result. */
export interface AnalysisOptions {
  /** The `scripts` of the package.json that `npm run`/`yarn`/`pnpm` would use, so their bodies are analysed too. */
  readonly packageScripts?: ReadonlyMap<string, string> | undefined;
  /** Reads files of the command's folder (bounded), so `make target` is analysed by its recipe. */
  readonly readFile?: FileReader | undefined;
}

export function analyzeCommandLine(commandLine: string, parser: BashParser, options: AnalysisOptions = {}): CommandLineAnalysis {
  const analyzer = new Analyzer(parser, options.packageScripts, options.readFile);
  analyzer.analyzeScript(commandLine, { via: [], isRemote: false, nesting: 0, position: STANDALONE_POSITION });
  const isSingleCommand = analyzer.singleTopLevelCommand && !analyzer.sawSubstitution && !analyzer.sawContinuation
    && analyzer.problems.every((p) => p.code === 'dynamic-code');
  return { commands: analyzer.commands, problems: analyzer.problems, isSingleCommand };
}

class Analyzer {
  readonly commands: SimpleCommand[] = [];
  readonly problems: AnalysisProblem[] = [];
  /** The line's syntax tree holds exactly one statement, a simple command (perhaps with redirects). */
  singleTopLevelCommand = false;
  /** A command or process substitution was found anywhere (they run commands of their own). */
  sawSubstitution = false;
  /** Commands hang off a heredoc start (`cat <<EOF && rm x`). */
  sawContinuation = false;
  private depth = 0;

  constructor(private readonly parser: BashParser, private readonly packageScripts: ReadonlyMap<string, string> | undefined,
    private readonly readFile: FileReader | undefined) {}

  problem(problem: AnalysisProblem): void {
    if (!this.problems.some((p) => p.code === problem.code && p.text === problem.text)) this.problems.push(problem);
  }

  analyzeScript(script: string, context: Context): void {
    if (context.nesting > MAX_NESTED_SCRIPTS) {
      this.problem({ code: 'too-deep', message: `Commands are nested more than ${MAX_NESTED_SCRIPTS} levels deep (bash -c inside bash -c …).` });
      return;
    }
    if (script.length > MAX_LINE_LENGTH) {
      this.problem({ code: 'too-long', message: `The command line is ${script.length} characters long; lines over ${MAX_LINE_LENGTH} are not analysed.` });
      return;
    }
    if (script.includes('\0')) {
      this.problem({ code: 'syntax-error', message: 'The command line contains a NUL byte, which no shell accepts as written.' });
    } else if (CONTROL_CHARACTERS.test(script)) {
      this.problem({ code: 'syntax-error', message: 'The command line contains control characters (escape sequences) that can hide what it does on a terminal.' });
    }
    let tree;
    try {
      tree = this.parser.parse(script);
    } catch (error) {
      this.problem({ code: 'parser-crashed', message: `The shell parser failed on this line (${String(error)}).` });
      return;
    }
    if (tree === undefined) {
      this.problem({ code: 'too-long', message: 'Parsing the command line took too long; it was not analysed.' });
      return;
    }
    try {
      const root = tree.rootNode;
      if (root.hasError) this.reportSyntaxError(root, context);
      else if (context.nesting === 0) this.singleTopLevelCommand = isSingleCommandTree(root);
      this.walkBlock(root, context);
    } finally {
      tree.delete();
    }
  }

  private reportSyntaxError(root: SyntaxNode, context: Context): void {
    const bad = findErrorNode(root);
    const where = context.via.length > 0 ? ` (inside ${context.via[context.via.length - 1]})` : '';
    const text = bad ? bad.text.slice(0, 60) : undefined;
    const message = bad?.isMissing
      ? `The command line is incomplete${where}: a shell would wait for a missing "${bad.type}".`
      : `The command line has a syntax error${where}${text ? ` near "${text}"` : ''}; it cannot be analysed reliably.`;
    this.problem({ code: 'syntax-error', message, ...(text !== undefined ? { text } : {}) });
  }

  /** Walks a node holding statements (program, subshell, block, loop body, substitution). */
  private walkBlock(node: SyntaxNode, context: Context, options: StatementOptions = {}): SimpleCommand | undefined {
    return this.walkSequence(node, context, options, false);
  }

  /**
   * Walks the statements among a node's children in order, giving each its list position (`;`, `&`, newline between
   * them) and the background flag when `&` follows it. With `words`, word children (loop values, test operands) are
   * evaluated for substitutions instead.
   */
  private walkSequence(node: SyntaxNode, context: Context, options: StatementOptions, words: boolean): SimpleCommand | undefined {
    let last: SimpleCommand | undefined;
    let index = 0;
    let operator: ListOperator | undefined;
    const children = node.children;
    for (let i = 0; i < children.length; i += 1) {
      const child = children[i];
      if (!child) continue;
      if (!child.isNamed) {
        if (child.type === ';' || child.type === '&') operator = child.type;
        continue;
      }
      if (words && WORD_TYPES.has(child.type)) { this.evaluate(child, context); continue; }
      if (child.type === 'comment' || child.type.startsWith('heredoc_')) continue;
      const background = children[i + 1]?.type === '&';
      const position = context.position;
      const listOperator = index === 0 ? undefined : operator;
      const isBackground = position.isBackground || background;
      const childContext: Context = position.listIndex === index && position.listOperator === listOperator && position.isBackground === isBackground
        ? context
        : { ...context, position: { ...position, listIndex: index, listOperator, isBackground } };
      last = this.walkStatement(child, childContext, options) ?? last;
      index += child.type === 'list' ? listLength(child) : 1;
      operator = ';';
    }
    return last;
  }

  /** `a && b || c`: tree-sitter nests lists to the left; each statement gets its own index and operator. */
  private walkList(node: SyntaxNode, context: Context, options: StatementOptions): SimpleCommand | undefined {
    const items: [SyntaxNode, ListOperator | undefined][] = [];
    flattenList(node, undefined, items);
    const position = context.position;
    let last: SimpleCommand | undefined;
    items.forEach(([statement, operator], k) => {
      const childContext: Context = k === 0 ? context : {
        ...context, position: { ...position, listIndex: position.listIndex + k, listOperator: operator },
      };
      last = this.walkStatement(statement, childContext, options) ?? last;
    });
    return last;
  }

  /** Walks one statement; returns the last simple command it produced (what a following pipe stage reads from). */
  private walkStatement(node: SyntaxNode, context: Context, options: StatementOptions = {}): SimpleCommand | undefined {
    if (this.commands.length >= MAX_COMMANDS) {
      this.problem({ code: 'too-long', message: `The command line holds more than ${MAX_COMMANDS} commands; the rest was not analysed.` });
      return undefined;
    }
    this.depth += 1;
    try {
      if (this.depth > MAX_TREE_DEPTH) {
        this.problem({ code: 'too-deep', message: `The command line nests more than ${MAX_TREE_DEPTH} levels deep; it was not analysed.` });
        return undefined;
      }
      switch (node.type) {
        case 'command':
          return this.walkCommand(node, context, options);
        case 'pipeline':
          return this.walkPipeline(node, context, options);
        case 'redirected_statement':
          return this.walkRedirected(node, context, options);
        case 'variable_assignment':
        case 'variable_assignments':
          return this.walkAssignments(node, [], context);
        case 'declaration_command':
        case 'unset_command':
          return this.walkDeclaration(node, context);
        case 'comment':
        case 'heredoc_body':
        case 'heredoc_start':
        case 'heredoc_end':
          return undefined;
        case 'list':
          return this.walkList(node, context, options);
        case 'subshell':
          return this.walkSequence(node, { ...context, position: { ...context.position, inSubshell: true } }, options, true);
        case 'function_definition': {
          const body = node.childForFieldName('body');
          return body ? this.walkStatement(body, { ...context, via: [...context.via, 'function'] }, options) : undefined;
        }
        default:
          // Lists, blocks, subshells, loops, conditionals, test commands, ERROR nodes: their commands all may run.
          if (node.namedChildCount === 0) return undefined;
          return this.walkMixed(node, context, options);
      }
    } finally {
      this.depth -= 1;
    }
  }

  /** Children that are statements are walked as such; words among them (loop values, test operands) for substitutions. */
  private walkMixed(node: SyntaxNode, context: Context, options: StatementOptions): SimpleCommand | undefined {
    return this.walkSequence(node, context, options, true);
  }

  /**
   * Each stage reads the previous one's output. Redirects of a group around the pipeline (`{ a | b; } > f`): input
   * ones go to the first stage, the others to the last. Redirects written after the pipeline (`a | b > f`, which
   * tree-sitter hangs on the whole pipeline) belong to its last stage, as in bash.
   */
  private walkPipeline(node: SyntaxNode, context: Context, options: StatementOptions, trailing: StatementOptions = {}): SimpleCommand | undefined {
    const stages = node.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
    const outer = options.redirects ?? [];
    const outerInput = outer.filter(isInputRedirect);
    const outerOutput = outer.length === outerInput.length ? [] : outer.filter((r) => !isInputRedirect(r));
    const trailingRedirects = trailing.redirects ?? [];
    let previous: SimpleCommand | undefined;
    stages.forEach((stage, i) => {
      const isFirst = i === 0;
      const isLast = i === stages.length - 1;
      let stdin: StdinSource | undefined = isFirst ? options.stdin : previous ? { kind: 'pipe', from: previous } : undefined;
      if (isLast && trailing.stdin) stdin = trailing.stdin;
      let redirects: readonly Redirect[] | undefined;
      if (isFirst && outerInput.length > 0) redirects = outerInput;
      if (isLast && (outerOutput.length > 0 || trailingRedirects.length > 0)) redirects = [...(redirects ?? []), ...outerOutput, ...trailingRedirects];
      const stageContext: Context = { ...context, position: { ...context.position, pipelineIndex: i, pipelineLength: stages.length } };
      previous = this.walkStatement(stage, stageContext, redirects ? { stdin, redirects } : { stdin }) ?? previous;
    });
    return previous;
  }

  private walkRedirected(node: SyntaxNode, context: Context, options: StatementOptions): SimpleCommand | undefined {
    const own: Redirect[] = [];
    let ownStdin: StdinSource | undefined;
    const continuations: SyntaxNode[] = [];
    for (const child of node.children) {
      if (!child || !REDIRECT_TYPES.has(child.type)) continue;
      const redirect = this.evaluateRedirect(child, context, continuations);
      own.push(redirect);
      if (redirect.operator.startsWith('<<')) {
        ownStdin = { kind: redirect.operator === '<<<' ? 'herestring' : 'heredoc', text: redirect.target, isDynamic: redirect.isDynamic };
      }
    }
    const redirects: Redirect[] = [...(options.redirects ?? []), ...own];
    const stdin = ownStdin ?? options.stdin;
    const body = node.childForFieldName('body');
    let last: SimpleCommand | undefined;
    if (!body) {
      // `> .env`, `>| file`: no command, but the shell still opens (and truncates) the file.
      last = this.emit(this.bareCommand([], new Map(), redirects, stdin, node.text, context), context);
    } else if (body.type === 'pipeline') {
      last = this.walkPipeline(body, context, options, { redirects: own, stdin: ownStdin });
    } else {
      last = this.walkStatement(body, context, { redirects, stdin });
    }
    // `cat <<EOF | sh` and `cat <<EOF && rm x`: tree-sitter hangs what follows the heredoc start inside the redirect.
    if (continuations.length > 0) this.sawContinuation = true;
    for (const continuation of continuations) {
      const pipeFrom: StdinSource | undefined = continuation.type === 'pipeline' && last ? { kind: 'pipe', from: last } : undefined;
      last = this.walkStatement(continuation, context, { stdin: pipeFrom }) ?? last;
    }
    return last;
  }

  private walkCommand(node: SyntaxNode, context: Context, options: StatementOptions): SimpleCommand | undefined {
    const argv: string[] = [];
    const dynamic: boolean[] = [];
    const assignments = new Map<string, string>();
    const redirects: Redirect[] = [...(options.redirects ?? [])];
    let stdin = options.stdin;
    const continuations: SyntaxNode[] = [];
    for (const child of node.namedChildren) {
      if (!child) continue;
      const type = child.type;
      if (type === 'variable_assignment') {
        const [name, value] = this.evaluateAssignment(child, context);
        assignments.set(name, value);
      } else if (REDIRECT_TYPES.has(type)) {
        const redirect = this.evaluateRedirect(child, context, continuations);
        redirects.push(redirect);
        if (redirect.operator.startsWith('<<')) {
          stdin = { kind: redirect.operator === '<<<' ? 'herestring' : 'heredoc', text: redirect.target, isDynamic: redirect.isDynamic };
        }
      } else if (type === 'command_name') {
        const word = child.namedChildren[0];
        const value = word ? this.evaluate(word, context) : { text: child.text, isDynamic: false };
        argv.push(value.text);
        dynamic.push(value.isDynamic);
      } else if (type === 'subshell' || type === 'compound_statement') {
        // `name('x')`: tree-sitter accepts a parenthesised group after a word; bash rejects it. Usually code pasted as a command.
        this.problem({ code: 'syntax-error', message: `"${truncate(node.text)}" is not a valid shell command (it looks like program code); a shell would reject it.`, text: truncate(node.text) });
        this.walkStatement(child, context);
      } else if (type !== 'comment') {
        const value = this.evaluate(child, context);
        argv.push(value.text);
        dynamic.push(value.isDynamic);
      }
    }
    const last = this.emit(this.bareCommand(argv, assignments, redirects, stdin, node.text, context, dynamic), context);
    if (continuations.length > 0) this.sawContinuation = true;
    for (const continuation of continuations) this.walkStatement(continuation, context);
    return last;
  }

  private walkAssignments(node: SyntaxNode, argv: string[], context: Context): SimpleCommand | undefined {
    const assignments = new Map<string, string>();
    const assignmentNodes = node.type === 'variable_assignment' ? [node] : node.namedChildren.filter((c): c is SyntaxNode => c?.type === 'variable_assignment');
    for (const assignment of assignmentNodes) {
      const [name, value] = this.evaluateAssignment(assignment, context);
      assignments.set(name, value);
    }
    return this.emit(this.bareCommand(argv, assignments, [], undefined, node.text, context), context);
  }

  /** A simple command as written, before unwrapping. */
  private bareCommand(argv: string[], assignments: Map<string, string>, redirects: readonly Redirect[], stdin: StdinSource | undefined, text: string, context: Context, dynamic: boolean[] = argv.map(() => false)): SimpleCommand {
    return {
      argv, dynamic, assignments, redirects, stdin,
      program: argv.length > 0 ? programName(argv[0]!) : '',
      via: context.via, isRemote: context.isRemote, hasRuntimeArguments: false, text, position: context.position,
    };
  }

  /** `export A=1 B`, `declare -x A=1`, `unset A`: the keyword and plain words become argv, assignments are kept. */
  private walkDeclaration(node: SyntaxNode, context: Context): SimpleCommand | undefined {
    const argv: string[] = [];
    const first = node.children[0];
    if (first) argv.push(first.text);
    for (const child of node.namedChildren) {
      if (child && child.type !== 'variable_assignment') argv.push(this.evaluate(child, context).text);
    }
    return this.walkAssignments(node, argv, context);
  }

  private evaluateAssignment(node: SyntaxNode, context: Context): [string, string] {
    const name = node.childForFieldName('name')?.text ?? node.text.split('=')[0] ?? '';
    const valueNode = node.childForFieldName('value');
    const value = valueNode ? this.evaluate(valueNode, context).text : '';
    return [name, value];
  }

  private evaluateRedirect(node: SyntaxNode, context: Context, continuations: SyntaxNode[]): Redirect {
    if (node.type === 'heredoc_redirect') {
      let isDynamic = false;
      let quotedDelimiter = false;
      let terminated = false;
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === 'heredoc_start') quotedDelimiter = /['"\\]/.test(child.text);
        else if (child.type === 'heredoc_end') terminated = true;
        else if (child.type === 'heredoc_body') {
          if (!quotedDelimiter) {
            // Unquoted delimiter: expansions and substitutions in the body run.
            for (const part of child.namedChildren) {
              if (part && part.type !== 'heredoc_content') { isDynamic = true; this.evaluate(part, context); }
            }
          }
        } else if (child.type !== 'heredoc_end') continuations.push(child);
      }
      // The body is taken from the source text, not from the heredoc_body node: tree-sitter-bash treats a body line
      // starting with a backslash (`\c dbname` in psql) as a continuation of the command line and loses it.
      const lines = node.text.split('\n');
      let body = lines.slice(1, terminated ? -1 : undefined).join('\n');
      const operator = node.children.find((c) => c?.type === '<<-') ? '<<-' : '<<';
      if (operator === '<<-') body = body.replace(/^\t+/gm, '');
      return { operator, target: body, isDynamic };
    }
    let operator = '';
    let target: Evaluated = { text: '', isDynamic: false };
    for (const child of node.children) {
      if (!child) continue;
      if (!child.isNamed) { operator = operator || child.type; continue; }
      if (child.type === 'file_descriptor') continue;
      target = this.evaluate(child, context);
    }
    return { operator: node.type === 'herestring_redirect' ? '<<<' : operator, target: target.text, isDynamic: target.isDynamic };
  }

  /** Quote removal for one word-like node; substitutions inside are analysed as commands (they run). */
  evaluate(node: SyntaxNode, context: Context): Evaluated {
    switch (node.type) {
      case 'word':
        return { text: unescapeUnquoted(node.text), isDynamic: false };
      case 'number':
      case 'variable_name':
        return { text: node.text, isDynamic: false };
      case 'raw_string':
        return { text: node.text.slice(1, -1), isDynamic: false };
      case 'ansi_c_string':
        return { text: decodeAnsiC(node.text.slice(2, -1)), isDynamic: false };
      case 'string':
      case 'translated_string': {
        let text = '';
        let isDynamic = false;
        for (const part of node.namedChildren) {
          if (!part) continue;
          if (part.type === 'string_content') { text += unescapeDoubleQuoted(part.text); continue; }
          const value = this.evaluate(part, context);
          text += value.text;
          isDynamic ||= value.isDynamic;
        }
        return { text, isDynamic };
      }
      case 'concatenation': {
        let text = '';
        let isDynamic = false;
        for (const part of node.children) {
          if (!part) continue;
          const value = part.isNamed ? this.evaluate(part, context) : { text: part.text, isDynamic: false };
          text += value.text;
          isDynamic ||= value.isDynamic;
        }
        return { text, isDynamic };
      }
      case 'command_substitution':
      case 'process_substitution':
        this.sawSubstitution = true;
        this.walkBlock(node, {
          ...context,
          via: [...context.via, node.type === 'command_substitution' ? '$(…)' : '<(…)'],
          position: context.position.isBackground ? SUBSHELL_BACKGROUND_POSITION : SUBSHELL_POSITION,
        });
        return { text: node.text, isDynamic: true };
      case 'simple_expansion':
      case 'expansion':
      case 'arithmetic_expansion':
        this.walkSubstitutionsWithin(node, context);
        return { text: node.text, isDynamic: true };
      default:
        this.walkSubstitutionsWithin(node, context);
        return { text: node.text, isDynamic: /[$`]/.test(node.text) };
    }
  }

  /** Finds command and process substitutions anywhere below a node (`${x:-$(rm …)}`, `$(( $(rm …) + 1 ))`). */
  private walkSubstitutionsWithin(node: SyntaxNode, context: Context): void {
    if (!node.text.includes('$(') && !node.text.includes('`') && !node.text.includes('(')) return;
    this.depth += 1;
    try {
      if (this.depth > MAX_TREE_DEPTH) {
        this.problem({ code: 'too-deep', message: `The command line nests more than ${MAX_TREE_DEPTH} levels deep; it was not analysed.` });
        return;
      }
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === 'command_substitution' || child.type === 'process_substitution') this.evaluate(child, context);
        else this.walkSubstitutionsWithin(child, context);
      }
    } finally {
      this.depth -= 1;
    }
  }

  /** Unwraps wrappers and records the resulting commands; returns the outermost result for pipes. */
  private emit(command: SimpleCommand, context: Context): SimpleCommand {
    let first: SimpleCommand | undefined;
    unwrapCommand(command, {
      emit: (cmd) => { first ??= cmd; this.commands.push(cmd); },
      analyzeNested: (script, from, via, isRemote) => {
        const { inSubshell, isBackground } = from.position;
        const position = inSubshell || isBackground ? { ...STANDALONE_POSITION, inSubshell, isBackground } : STANDALONE_POSITION;
        this.analyzeScript(script, { via: [...from.via, via], isRemote: from.isRemote || isRemote, nesting: context.nesting + 1, position });
      },
      problem: (p) => this.problem(p),
      packageScript: (name) => this.packageScripts?.get(name),
      readFile: (file) => this.readFile?.(file),
    });
    return first ?? command;
  }
}

const SUBSHELL_POSITION: CommandPosition = Object.freeze({ ...STANDALONE_POSITION, inSubshell: true });
const SUBSHELL_BACKGROUND_POSITION: CommandPosition = Object.freeze({ ...STANDALONE_POSITION, inSubshell: true, isBackground: true });

/** Redirects that only feed standard input: `<`, `<&`, heredocs, here-strings (`<>` also writes). */
function isInputRedirect(redirect: Redirect): boolean {
  return redirect.operator.startsWith('<') && redirect.operator !== '<>';
}

/** How many statements a (left-nested) list holds: `a && b || c` → 3. */
function listLength(node: SyntaxNode): number {
  let n = 0;
  for (const child of node.namedChildren) if (child && child.type !== 'comment') n += child.type === 'list' ? listLength(child) : 1;
  return n;
}

function flattenList(node: SyntaxNode, before: ListOperator | undefined, items: [SyntaxNode, ListOperator | undefined][]): void {
  let operator = before;
  for (const child of node.children) {
    if (!child) continue;
    if (!child.isNamed) {
      if (child.type === '&&' || child.type === '||' || child.type === ';' || child.type === '&') operator = child.type;
      continue;
    }
    if (child.type === 'comment') continue;
    if (child.type === 'list') flattenList(child, operator, items);
    else items.push([child, operator]);
  }
}

/** C0 controls and DEL, except tab, newline and carriage return. */
const CONTROL_CHARACTERS = /[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/;
const REDIRECT_TYPES = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect']);
const WORD_TYPES = new Set(['word', 'string', 'raw_string', 'concatenation', 'simple_expansion', 'expansion', 'number',
  'ansi_c_string', 'command_substitution', 'process_substitution', 'arithmetic_expansion', 'translated_string']);

function truncate(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** One statement in the whole tree, and it is a simple command (redirects allowed); no `&`, no comment. */
function isSingleCommandTree(root: SyntaxNode): boolean {
  if (root.namedChildCount !== 1) return false;
  for (const child of root.children) if (child && !child.isNamed && child.type !== ';') return false;
  const statement = root.namedChildren[0];
  if (!statement) return false;
  if (statement.type === 'command') return true;
  return statement.type === 'redirected_statement' && statement.childForFieldName('body')?.type === 'command';
}

function findErrorNode(node: SyntaxNode): SyntaxNode | undefined {
  const stack: SyntaxNode[] = [node];
  let visited = 0;
  while (stack.length > 0 && visited < 10_000) {
    const current = stack.pop()!;
    visited += 1;
    if (current.isError || current.isMissing) return current;
    if (!current.hasError) continue;
    for (let i = current.childCount - 1; i >= 0; i -= 1) {
      const child = current.child(i);
      if (child) stack.push(child);
    }
  }
  return undefined;
}

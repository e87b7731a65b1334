// The data model of an analysed command line: what a shell would run, with quotes removed and wrappers unwrapped.

/** One redirect of a simple command, e.g. `> out.txt`, `2>&1`, `<<'SQL' … SQL`, `<<< "text"`. */
export interface Redirect {
  /** The operator as written: `>`, `>>`, `>|`, `&>`, `&>>`, `<`, `<<`, `<<-`, `<<<`, `>&`, `<&`, `<>`. */
  readonly operator: string;
  /** The target after quote removal (file name, fd number); for heredocs and here-strings, the body. */
  readonly target: string;
  /** True when the target contains expansions whose value is only known at run time. */
  readonly isDynamic: boolean;
}

/** Where the standard input of a command comes from, when the analysis knows it. */
export type StdinSource =
  | { readonly kind: 'heredoc' | 'herestring'; readonly text: string; readonly isDynamic: boolean }
  | { readonly kind: 'pipe'; readonly from: SimpleCommand };

/** How a statement is joined to the one before it in a list. A newline counts as `;`. */
export type ListOperator = '&&' | '||' | ';' | '&';

/** Where a simple command sits in the structure of the line. */
export interface CommandPosition {
  /**
   * 0-based index of its statement in the innermost list it belongs to (`a && b || c`: 0, 1, 2; `a; b & c`: 0, 1, 2),
   * counted from the start of the script, group, subshell, loop body or substitution around it (`a && (b; c)`: a 0;
   * b 0 and c 1, in the subshell).
   */
  readonly listIndex: number;
  /**
   * The operator in front of its statement: `&&` (runs only if the previous one succeeded), `||` (only if it failed),
   * `;` or a newline (after it), `&` (right away, the previous one sent to the background); undefined for the first.
   */
  readonly listOperator: ListOperator | undefined;
  /** 0-based stage of its pipeline (`a | b`: 0 and 1), and how many stages the pipeline has (1: not piped). */
  readonly pipelineIndex: number;
  readonly pipelineLength: number;
  /** True inside `( … )`, `$( … )`, backticks or `<( … )`/`>( … )`: a child shell whose `cd`, `exit` and variables end with it. */
  readonly inSubshell: boolean;
  /** True when its statement, or one around it, ends with `&`: the shell runs it as a background job and does not wait. */
  readonly isBackground: boolean;
}

/** The position of a command that stands alone: first of its list, not piped, not in a subshell, in the foreground. */
export const STANDALONE_POSITION: CommandPosition = Object.freeze({
  listIndex: 0, listOperator: undefined, pipelineIndex: 0, pipelineLength: 1, inSubshell: false, isBackground: false,
});

/**
 * One simple command as the shell would execute it, after wrappers (`sudo`, `env`, `bash -c`, `xargs`, …)
 * were unwrapped. Rules only ever see these: never the raw line, so quoted data cannot trigger a rule.
 */
export interface SimpleCommand {
  /** Arguments after quote removal; `argv[0]` is the program as written (`/usr/bin/git`). Empty for a bare assignment. */
  readonly argv: readonly string[];
  /** For each argv element: true when it contains an expansion or substitution known only at run time. */
  readonly dynamic: readonly boolean[];
  /** The program's name for matching: basename, lower case, without `.exe` (`/usr/bin/Git.exe` → `git`). */
  readonly program: string;
  /** `NAME=value` assignments in front of the command, or made by `export`/`declare`. */
  readonly assignments: ReadonlyMap<string, string>;
  readonly redirects: readonly Redirect[];
  readonly stdin: StdinSource | undefined;
  /** The wrappers this command was found inside, outermost first (`sudo`, `bash -c`, `ssh`, `$(…)`). */
  readonly via: readonly string[];
  /** True when the command runs on another machine (inside `ssh host '…'`, `kubectl exec`). */
  readonly isRemote: boolean;
  /** True when the command's arguments are partly supplied at run time (`xargs rm`, `parallel rm`, `find -exec rm {}`). */
  readonly hasRuntimeArguments: boolean;
  /** The `find` whose matches fill in the run-time arguments (`find … -exec rm {} +`), when it is known. */
  readonly argumentsFrom?: SimpleCommand;
  /** The command as the person wrote it, for messages. */
  readonly text: string;
  /**
   * Its place in the line: list and pipeline position, subshell, background job. Commands found inside a wrapper
   * (`bash -c '…'`, `npm run x`) count from the start of that script, and inherit its subshell and background flags.
   */
  readonly position: CommandPosition;
}

/** Why a line could not be fully analysed; any of these makes the verdict at least `confirm`. */
export interface AnalysisProblem {
  readonly code: 'syntax-error' | 'too-long' | 'too-deep' | 'dynamic-code' | 'parser-unavailable' | 'parser-crashed';
  readonly message: string;
  /** The piece of the line the problem is about, when there is one. */
  readonly text?: string;
}

export interface CommandLineAnalysis {
  readonly commands: readonly SimpleCommand[];
  readonly problems: readonly AnalysisProblem[];
  /**
   * True when the whole line is one simple command (wrappers such as `sudo` or `bash -c '…'` allowed): no list,
   * pipeline, compound, background job, heredoc continuation, or command/process substitution anywhere, and no
   * syntax error. Only then may a policy allow entry that matches the whole line speak for all of it.
   */
  readonly isSingleCommand?: boolean | undefined;
}

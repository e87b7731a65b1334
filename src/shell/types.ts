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
}

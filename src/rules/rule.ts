// The rule contract: a rule looks at one analysed simple command and reports findings; it never decides the verdict.
import type { SimpleCommand } from '../shell/types.js';
import type { Tier } from '../policy/schema.js';

/**
 * How bad the outcome can be; the engine turns it into a decision:
 * `critical` → block (catastrophic or irreversible: `rm -rf /`, dropping a database, deleting a production volume);
 * `high` → confirm (destroys work or data that is hard to get back);
 * `medium` → confirm (disruptive or risky, usually recoverable);
 * `low` → allowed, but the reason is kept for the audit log.
 * In a production workspace every `high`/`medium` confirmation must be typed.
 */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface RuleMeta {
  /** `<domain>.<kebab-name>`: stable and public (audit log, policy files, docs). */
  readonly id: string;
  readonly severity: Severity;
  /** One line for docs and `explain`: what the rule stops. */
  readonly description: string;
}

/** What a rule may know besides the command. Rules do no I/O of their own; `readFile` is the engine's bounded reader. */
export interface RuleContext {
  /** The workspace's tier; `unmarked` when there is no policy file. */
  readonly tier: Tier | 'unmarked';
  /** The directory the command runs in, when known. */
  readonly cwd: string | undefined;
  /** Globs of paths the policy protects (`.env*`, `migrations/**`), relative to the workspace. */
  readonly protectedPaths: readonly string[];
  /**
   * Reads a (small, regular) file the command names as its input, relative to `cwd`: `curl -d @query.json`.
   * Undefined when there is no reader or the file cannot be read; then the input counts as unseen.
   */
  readonly readFile?: ((file: string) => string | undefined) | undefined;
}

/**
 * A file the command names as its input (`curl -d @q.json`, `psql -f x.sql`), through the context's bounded reader;
 * never a path known only at run time (`$F`, backticks) nor one on a remote machine. Undefined when unseen.
 */
export function readNamedFile(file: string, isDynamic: boolean, command: SimpleCommand, context: RuleContext | undefined): string | undefined {
  return isDynamic || command.isRemote || /[$`]/.test(file) ? undefined : context?.readFile?.(file);
}

export interface Report {
  readonly message: string;
  /** Overrides the rule's default severity for this finding (e.g. raised in a non-development workspace). */
  readonly severity?: Severity | undefined;
  /** The safer alternative that would be allowed, if there is one. */
  readonly safer?: string | undefined;
  /** The resource the command targets, for a typed confirmation (`shop-db`, `namespace shop`). */
  readonly resource?: string | undefined;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly safer: string | undefined;
  readonly resource: string | undefined;
  readonly command: SimpleCommand;
}

export interface Rule {
  readonly meta: RuleMeta;
  /**
   * The programs (lower-case basenames after unwrapping) this rule looks at; `*` for every command. The registry
   * indexes rules by program, so a command is only shown to the rules that can match it.
   */
  readonly programs: readonly string[] | '*';
  /** Returns the reports for this command: none when it is fine. */
  check(command: SimpleCommand, context: RuleContext): Report | readonly Report[] | undefined;
}

/** Identity helper that gives rule literals their type (and a place to validate them in tests). */
export function defineRule(rule: Rule): Rule {
  return rule;
}

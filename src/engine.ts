// The policy engine: evaluate(commandLine, context) → Verdict. Pure: no vscode, no file system, no clock.
import { minimatch } from 'minimatch';
import { EnvironmentScope, type ForeignIdentifier } from './policy/environments.js';
import type { Policy, Tier } from './policy/schema.js';
import { rulesFor } from './rules/index.js';
import type { Finding, RuleContext, Severity } from './rules/rule.js';
import { analyzeCommandLine } from './shell/analyze.js';
import type { FileReader } from './shell/file-reader.js';
import { getBashParserIfReady, type BashParser } from './shell/parser.js';
import type { CommandLineAnalysis, SimpleCommand } from './shell/types.js';

export type Decision = 'allow' | 'confirm' | 'block';

/** One reason behind a verdict. Every verdict has at least one, `allow` included. */
export interface Reason {
  /** Rule id (`git.reset-hard`), or `env.cross-environment`, `policy.block`, `policy.invalid`, `shell.unanalyzable`, `engine.no-match`. */
  readonly rule: string;
  /** A sentence a person understands: what was found and, where one exists, the safer alternative. */
  readonly message: string;
  /** The simple command it is about, as analysed (after unwrapping); the whole line for line-level reasons. */
  readonly command: string;
  /** `info` for reasons that do not raise the decision (allowed by policy, no match). */
  readonly severity: Severity | 'info';
}

export interface Verdict {
  readonly decision: Decision;
  /** Most severe first. */
  readonly reasons: readonly Reason[];
  /** The workspace environment the verdict was made for. */
  readonly environment: string;
  readonly tier: Tier | 'unmarked';
  /** True when part of the line could not be analysed (syntax error, dynamic code, parser not ready). */
  readonly unanalyzable: boolean;
  /**
   * For `confirm`: the text a person must type to approve (the environment or resource name); undefined when two
   * clicks are enough. Always undefined for `allow` and `block`.
   */
  readonly typedConfirmation: string | undefined;
}

export interface EvaluationContext {
  readonly policy: Policy;
  /** Directory the command runs in, when known. */
  readonly cwd?: string | undefined;
  /** The parser to use; defaults to the shared one once it has loaded. */
  readonly parser?: BashParser | undefined;
  /** The package.json `scripts` in effect at `cwd`, so `npm run x` is judged by what x runs. */
  readonly packageScripts?: ReadonlyMap<string, string> | undefined;
  /** Reads a file the command names as input (`curl -d @query.json`), relative to `cwd`; bounded, undefined on any error. */
  readonly readFile?: FileReader | undefined;
}

const SEVERITY_ORDER: Readonly<Record<Severity | 'info', number>> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** What the engine derives from a policy once (compiled globs and identifiers), cached per policy object. */
interface CompiledPolicy {
  readonly scope: EnvironmentScope;
  readonly allow: readonly GlobMatcher[];
  readonly confirm: readonly GlobMatcher[];
  readonly block: readonly GlobMatcher[];
}

interface GlobMatcher { readonly glob: string; readonly regex: RegExp | undefined }

const compiledPolicies = new WeakMap<Policy, CompiledPolicy>();

function compilePolicy(policy: Policy): CompiledPolicy {
  let compiled = compiledPolicies.get(policy);
  if (!compiled) {
    compiled = {
      scope: new EnvironmentScope(policy),
      allow: policy.allow.map(compileCommandGlob),
      confirm: policy.confirm.map(compileCommandGlob),
      block: policy.block.map(compileCommandGlob),
    };
    compiledPolicies.set(policy, compiled);
  }
  return compiled;
}

/**
 * Policy command globs match the whole command text; `*` matches any characters, `/` included (minimatch would stop
 * at `/`, which is meaningless for command lines). An entry that does not compile matches nothing.
 */
function compileCommandGlob(glob: string): GlobMatcher {
  try {
    const regex = minimatch.makeRe(glob.replace(/\//g, '\u2215'), { dot: true, nonegate: true, nocomment: true, noext: true, nobrace: true });
    return { glob, regex: regex === false ? undefined : regex };
  } catch {
    return { glob, regex: undefined };
  }
}

function globMatches(matcher: GlobMatcher, text: string): boolean {
  return matcher.regex !== undefined && matcher.regex.test(text.replace(/\//g, '\u2215'));
}

/** Evaluates a command line against a policy. Never throws; unknown or unparsable input is never `allow`. */
export function evaluate(commandLine: string, context: EvaluationContext): Verdict {
  const parser = context.parser ?? getBashParserIfReady();
  const policy = context.policy;
  if (!parser) return evaluateWithoutParser(commandLine, policy);
  let analysis: CommandLineAnalysis;
  try {
    analysis = analyzeCommandLine(commandLine, parser, { packageScripts: context.packageScripts, readFile: context.readFile });
  } catch (error) {
    analysis = { commands: [], problems: [{ code: 'parser-crashed', message: `The command line could not be analysed (${String(error)}).` }] };
  }
  return decide(commandLine, analysis, context);
}

/** Runs every rule over an analysis and combines findings with the environment and the policy's lists. */
export function decide(commandLine: string, analysis: CommandLineAnalysis, context: EvaluationContext): Verdict {
  const policy = context.policy;
  const compiled = compilePolicy(policy);
  const ruleContext: RuleContext = { tier: policy.tier, cwd: context.cwd, protectedPaths: policy.protectedPaths, readFile: context.readFile };
  const reasons: Reason[] = [];
  const lineText = commandLine.trim();
  // An allow entry matching the whole line speaks for all of it only when the line is one simple command: `npm test*`
  // must not cover `npm test && rm -rf src` or `npm test "$(rm -rf src)"`. Otherwise each simple command is matched
  // on its own (below), so an allowed command never lends its allowance to what is chained to it.
  const wholeLineAllowed = analysis.isSingleCommand === true && compiled.allow.some((m) => globMatches(m, lineText));

  for (const matcher of compiled.block) {
    const hit = globMatches(matcher, lineText) ? lineText : analysis.commands.map(displayCommand).find((c) => globMatches(matcher, c));
    if (hit !== undefined) reasons.push({ rule: 'policy.block', severity: 'critical', command: hit, message: `The workspace policy blocks commands matching "${matcher.glob}".` });
  }
  for (const matcher of compiled.confirm) {
    const hit = globMatches(matcher, lineText) ? lineText : analysis.commands.map(displayCommand).find((c) => globMatches(matcher, c));
    if (hit !== undefined) reasons.push({ rule: 'policy.confirm', severity: 'high', command: hit, message: `The workspace policy asks for confirmation of commands matching "${matcher.glob}".` });
  }

  const findings: Finding[] = [];
  for (const command of analysis.commands) {
    const foreign = compiled.scope.findForeignIdentifier(command);
    if (foreign) {
      reasons.push(crossEnvironmentReason(policy, foreign, displayCommand(command)));
    }
    for (const rule of rulesFor(command.program)) {
      let reports;
      try {
        reports = rule.check(command, ruleContext);
      } catch (error) {
        reports = { message: `Rule ${rule.meta.id} failed on this command (${String(error)}); confirm it yourself.`, severity: 'medium' as const };
      }
      if (!reports) continue;
      for (const report of Array.isArray(reports) ? reports : [reports]) {
        findings.push({
          ruleId: rule.meta.id, severity: report.severity ?? rule.meta.severity, message: report.message,
          safer: report.safer, resource: report.resource, command,
        });
      }
    }
  }

  for (const finding of findings) {
    const shown = displayCommand(finding.command);
    const waived = finding.severity !== 'critical' && (wholeLineAllowed || compiled.allow.some((m) => globMatches(m, shown)));
    const message = finding.safer ? `${finding.message} Safer: ${finding.safer}` : finding.message;
    reasons.push(waived
      ? { rule: finding.ruleId, severity: 'info', command: shown, message: `Allowed by the workspace policy: ${message}` }
      : { rule: finding.ruleId, severity: finding.severity, command: shown, message });
  }

  const unanalyzable = analysis.problems.length > 0;
  for (const problem of analysis.problems) {
    // Only run-time code inside an allowed single command (`bash -c "$SCRIPT"` under `"allow": ["bash -c*"]`) is
    // waived; a syntax error, an oversized or too deeply nested line always needs a person.
    reasons.push({
      rule: 'shell.unanalyzable',
      severity: wholeLineAllowed && problem.code === 'dynamic-code' ? 'info' : 'medium',
      command: problem.text ?? truncateForDisplay(lineText),
      message: `${problem.message} Confirm it yourself, or rewrite it as plain commands.`,
    });
  }

  reasons.sort((a, b) => SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity]);
  const top = reasons[0]?.severity ?? 'info';
  const decision: Decision = top === 'critical' ? 'block' : top === 'high' || top === 'medium' ? 'confirm' : 'allow';
  if (reasons.length === 0) {
    reasons.push({ rule: 'engine.no-match', severity: 'info', command: truncateForDisplay(lineText), message: 'No rule matched: nothing destructive was found.' });
  }
  withPolicyFallbackReason(policy, reasons, lineText);
  return {
    decision,
    reasons,
    environment: policy.environment,
    tier: policy.tier,
    unanalyzable,
    typedConfirmation: decision === 'confirm' ? typedConfirmationFor(policy, findings) : undefined,
  };
}

function typedConfirmationFor(policy: Policy, findings: readonly Finding[]): string | undefined {
  if (policy.tier !== 'production' && !policy.alwaysTyped) return undefined;
  if (policy.typedConfirmation === 'resource') {
    const resource = findings.find((f) => f.resource !== undefined)?.resource;
    if (resource) return resource;
  }
  return policy.environment;
}

const TRIVIAL_LINE = /^[A-Za-z0-9 _./:=@,+%-]*$/;
/** Read-only with any arguments (the line has no quotes, substitutions, redirects or separators). */
const TRIVIAL_PROGRAMS = new Set(['ls', 'pwd', 'echo', 'cat', 'head', 'tail', 'wc', 'whoami', 'which', 'true', 'cd', 'clear', 'uname', 'id', 'printenv', 'type', 'stat', 'du', 'df']);
/** Read-only only without arguments (`date -s`, `hostname NAME`, `history -c` change things). */
const TRIVIAL_WITHOUT_ARGUMENTS = new Set(['date', 'hostname', 'history']);
/** git subcommands that only read, with any arguments except the ones that write a file. */
const TRIVIAL_GIT = new Set(['status', 'log', 'diff', 'show']);
/** git subcommands that read only in these exact forms (`git branch -f`, `git remote remove` change things). */
const TRIVIAL_GIT_EXACT = new Set(['git branch', 'git branch -a', 'git branch -r', 'git branch -v', 'git branch -vv', 'git branch --list', 'git branch --show-current', 'git remote', 'git remote -v']);

function isTrivialWithoutParser(line: string, words: readonly string[]): boolean {
  if (!TRIVIAL_LINE.test(line) || line.length >= 500) return false;
  const program = words[0] ?? '';
  if (TRIVIAL_PROGRAMS.has(program)) return true;
  if (TRIVIAL_WITHOUT_ARGUMENTS.has(program)) return words.length === 1;
  if (program !== 'git') return false;
  if (TRIVIAL_GIT_EXACT.has(words.join(' '))) return true;
  return TRIVIAL_GIT.has(words[1] ?? '') && !words.some((w) => w.startsWith('--output') || w === '-o' || w.startsWith('--ext-diff') || w.startsWith('-c'));
}

/** The raw line, its words with quotes stripped, `-opt=value` for `-opt value`, and the parts between shell punctuation. */
function rawHaystack(line: string): string[] {
  const texts = [line];
  const words = line.split(/\s+/).map((w) => w.replace(/["'`\\]/g, '')).filter((w) => w !== '');
  words.forEach((word, i) => {
    texts.push(word);
    const next = words[i + 1];
    if (word.startsWith('-') && !word.includes('=') && next !== undefined && !next.startsWith('-')) texts.push(`${word}=${next}`);
  });
  for (const part of line.split(/[\s"'`\\$(){};|&<>=]+/)) if (part !== '') texts.push(part);
  return texts;
}

/**
 * Before the parser has loaded: a line naming another, more critical environment is blocked (a plain text search);
 * a short list of plainly read-only commands is allowed; everything else needs confirmation.
 */
export function evaluateWithoutParser(commandLine: string, policy: Policy): Verdict {
  const line = commandLine.trim();
  const foreign = compilePolicy(policy).scope.findForeignIdentifierIn(rawHaystack(line));
  if (foreign) {
    return {
      decision: 'block',
      reasons: withPolicyFallbackReason(policy, [crossEnvironmentReason(policy, foreign, truncateForDisplay(line))], line),
      environment: policy.environment,
      tier: policy.tier,
      unanalyzable: true,
      typedConfirmation: undefined,
    };
  }
  const trivial = isTrivialWithoutParser(line, line.split(/\s+/));
  const reason: Reason = trivial
    ? { rule: 'engine.no-match', severity: 'info', command: line, message: 'A plain read-only command; allowed while the shell parser loads.' }
    : { rule: 'shell.unanalyzable', severity: 'medium', command: truncateForDisplay(line), message: 'The shell parser is still loading, so this command cannot be analysed yet. Confirm it yourself, or retry in a moment.' };
  return {
    decision: trivial ? 'allow' : 'confirm',
    reasons: withPolicyFallbackReason(policy, [reason], line),
    environment: policy.environment,
    tier: policy.tier,
    unanalyzable: !trivial,
    typedConfirmation: trivial ? undefined : typedConfirmationFor(policy, []),
  };
}

/** The reason a command naming another, more critical environment's identifier is blocked. */
function crossEnvironmentReason(policy: Policy, foreign: ForeignIdentifier, command: string): Reason {
  return {
    rule: 'env.cross-environment',
    severity: 'critical',
    command,
    message: `This ${policy.environment} workspace may not reach the ${foreign.environment} environment: the command names "${foreign.found}" (matches ${foreign.identifier}). Use the ${policy.environment} resources and credentials instead.`,
  };
}

/**
 * Under the strict built-in defaults that stand in for an invalid or missing policy file, every verdict says so
 * (`policy.invalid`, info: it does not change the decision; the defaults themselves are what is stricter).
 */
export function withPolicyFallbackReason(policy: Policy, reasons: Reason[], line: string): Reason[] {
  if (policy.fallbackReason === undefined) return reasons;
  reasons.push({
    rule: 'policy.invalid', severity: 'info', command: truncateForDisplay(line),
    message: `The workspace policy cannot be used (${policy.fallbackReason}); the strict built-in defaults apply until it is fixed: the workspace counts as production, confirmations are typed, no allow entry applies.`,
  });
  return reasons;
}

/** The analysed command as a person would write it: argv, quoted where needed. */
export function displayCommand(command: SimpleCommand): string {
  if (command.argv.length === 0) return truncateForDisplay(command.text);
  return truncateForDisplay(command.argv.map((a) => (/^[A-Za-z0-9_./:=@%+,{}*~-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' '));
}

function truncateForDisplay(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

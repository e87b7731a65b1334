#!/usr/bin/env node
// The engine from the command line: `check` (JSONL or one line), `explain`, `validate`. Contract in DESIGN.md.
import path = require('node:path');
import readline = require('node:readline');
import { evaluate, withPolicyFallbackReason, type Verdict } from './engine.js';
import { policyForEnvironment } from './policy/environments.js';
import { formatPolicyIssue } from './policy/issues.js';
import { findPolicyFile, readPolicyFile, type LoadResult } from './policy/load.js';
import { UNMARKED_POLICY } from './policy/defaults.js';
import type { Policy } from './policy/schema.js';
import { presentAnalysisText, presentJsonLine, presentRulesMarkdown, presentRulesText, presentVerdictText } from './presenters/cli.js';
import { RULE_PACKS } from './rules/index.js';
import { analyzeCommandLine } from './shell/analyze.js';
import { folderContext } from './shell/folder-context.js';
import { loadBashParser, type BashParser } from './shell/parser.js';

export const EXIT = { allow: 0, error: 1, confirm: 2, block: 3, invalidPolicy: 4 } as const;

const USAGE = `Agent Guardrails — decide allow / confirm / block for shell command lines.

Usage:
  agent-guardrails check --jsonl [--policy FILE] [--cwd DIR]
      stdin: one JSON object a line: {"cmd": "...", "cwd"?: "...", "environment"?: "..."}
      stdout: one JSON object a line, same order: {"decision", "reasons": [{"rule", "message", "command"}], "environment"}
  agent-guardrails check [--policy FILE] [--cwd DIR] [--environment NAME] -- 'command line'
      human-readable verdict; exit 0 allow, 2 confirm, 3 block
  agent-guardrails explain [--policy FILE] [--cwd DIR] [--environment NAME] -- 'command line'
      the simple commands the line runs, every finding, and the verdict
  agent-guardrails validate [--policy FILE] [--cwd DIR]
      checks a policy file; exit 0 valid, 4 invalid
  agent-guardrails rules [--markdown]
      lists every rule: id, severity (critical blocks; high and medium confirm), what it stops
  agent-guardrails hook claude-code [--policy FILE]
      a Claude Code PreToolUse hook for the Bash tool: reads the hook's JSON on stdin, answers
      {"hookSpecificOutput": {"permissionDecision": "ask"|"deny", …}} for confirm/block, nothing for allow

Without --policy, the policy is .vscode/guardrails.json in --cwd (default: the current directory) or above it.
An invalid policy never means "no rules": its problems are printed, and the strict built-in defaults apply.`;

interface Options {
  readonly command: string;
  readonly jsonl: boolean;
  readonly markdown: boolean;
  readonly policyFile: string | undefined;
  readonly cwd: string;
  readonly environment: string | undefined;
  readonly commandLine: string | undefined;
}

class UsageError extends Error {
  override readonly name = 'UsageError' as const;
}

function parseArguments(args: readonly string[]): Options {
  const [command, ...rest] = args;
  if (!command || command === '--help' || command === '-h' || command === 'help') throw new UsageError('');
  if (command === 'rules') return { command, jsonl: false, markdown: rest.includes('--markdown'), policyFile: undefined, cwd: process.cwd(), environment: undefined, commandLine: undefined };
  if (!['check', 'explain', 'validate', 'hook'].includes(command)) throw new UsageError(`unknown command "${command}"`);
  if (command === 'hook' && rest[0] !== 'claude-code') throw new UsageError('"hook" supports one agent: hook claude-code');
  let jsonl = false;
  let policyFile: string | undefined;
  let cwd = process.cwd();
  let environment: string | undefined;
  let commandLine: string | undefined;
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i]!;
    const value = (): string => {
      const v = rest[i + 1];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      i += 1;
      return v;
    };
    if (arg === '--') { commandLine = commandLineFromWords(rest.slice(i + 1)); break; }
    else if (command === 'hook' && i === 0) continue;
    else if (arg === '--jsonl') jsonl = true;
    else if (arg === '--policy') policyFile = path.resolve(value());
    else if (arg === '--cwd') cwd = path.resolve(value());
    else if (arg === '--environment') environment = value();
    else throw new UsageError(`unknown option "${arg}"`);
  }
  if (command !== 'validate' && command !== 'hook' && !jsonl && commandLine === undefined) throw new UsageError(`"${command}" needs --jsonl or -- 'command line'`);
  if (command === 'explain' && jsonl) throw new UsageError('"explain" takes one command line after --');
  return { command, jsonl, markdown: false, policyFile, cwd, environment, commandLine };
}

/**
 * The words after `--`: one word is the command line as written (`-- 'git status && ls'`, the DESIGN.md contract);
 * several words are an argv (`-- bash -c 'rm -rf src'`), quoted shell-style so the line means what the argv meant.
 */
export function commandLineFromWords(words: readonly string[]): string {
  if (words.length === 1) return words[0]!;
  return words.map((word, i) => shellQuote(word, i === 0)).join(' ');
}

function shellQuote(word: string, isFirst: boolean): string {
  // A leading `NAME=value` word would be read as an assignment; `#`, `~`, globs and braces are left out on purpose.
  if (/^[A-Za-z0-9_./:@%+,-]+$/.test(word) || (!isFirst && /^[A-Za-z0-9_./:=@%+,-]+$/.test(word))) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Loads the policy for a directory (or the one given), printing its problems to stderr once. */
class PolicySource {
  private readonly byFile = new Map<string, LoadResult>();

  constructor(private readonly explicitFile: string | undefined, private readonly stderr: NodeJS.WritableStream) {}

  forDirectory(dir: string): Policy {
    const file = this.explicitFile ?? findPolicyFile(dir);
    if (file === undefined) return UNMARKED_POLICY;
    let result = this.byFile.get(file);
    if (!result) {
      result = this.read(file);
      this.byFile.set(file, result);
      for (const issue of result.issues) this.stderr.write(`${formatPolicyIssue(file, issue)}\n`);
      if (!result.ok) this.stderr.write(`agent-guardrails: the policy ${file} cannot be used; the strict built-in defaults apply until it is fixed.\n`);
    }
    return result.policy;
  }

  validate(dir: string): { file: string | undefined; result: LoadResult | undefined } {
    const file = this.explicitFile ?? findPolicyFile(dir);
    return { file, result: file === undefined ? undefined : this.read(file) };
  }

  /** A file named with --policy must exist; one found by searching may be absent (unmarked). */
  private read(file: string): LoadResult {
    return readPolicyFile(file, { mustExist: file === this.explicitFile });
  }
}

function applyEnvironment(policy: Policy, environment: string | undefined): Policy | string {
  if (environment === undefined) return policy;
  return policyForEnvironment(policy, environment)
    ?? `unknown environment "${environment}"; expected one of ${[...Object.keys(policy.environments), 'development', 'staging', 'production'].join('|')}`;
}

function errorVerdict(policy: Policy, rule: string, message: string, command: string): Verdict {
  return {
    decision: 'confirm', environment: policy.environment, tier: policy.tier, unanalyzable: true, typedConfirmation: undefined,
    reasons: withPolicyFallbackReason(policy, [{ rule, message, command, severity: 'medium' }], command),
  };
}

async function checkJsonl(options: Options, parser: BashParser, policies: PolicySource, io: CliIo): Promise<number> {
  const lines = readline.createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const raw of lines) {
    if (raw.trim() === '') continue;
    io.stdout.write(`${presentJsonLine(checkJsonLine(raw, options, parser, policies))}\n`);
  }
  return EXIT.allow;
}

function checkJsonLine(raw: string, options: Options, parser: BashParser, policies: PolicySource): Verdict {
  let input: unknown;
  try {
    input = JSON.parse(raw);
  } catch (error) {
    return errorVerdict(policies.forDirectory(options.cwd), 'cli.invalid-input', `This input line is not JSON (${(error as Error).message}); nothing was evaluated.`, raw.slice(0, 200));
  }
  const record = (typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {}) as Record<string, unknown>;
  const cwd = typeof record['cwd'] === 'string' ? path.resolve(options.cwd, record['cwd']) : options.cwd;
  const basePolicy = policies.forDirectory(cwd);
  if (typeof record['cmd'] !== 'string') {
    return errorVerdict(basePolicy, 'cli.invalid-input', 'This input line has no "cmd" string; nothing was evaluated.', raw.slice(0, 200));
  }
  const environment = typeof record['environment'] === 'string' ? record['environment'] : options.environment;
  const policy = applyEnvironment(basePolicy, environment);
  if (typeof policy === 'string') return errorVerdict(basePolicy, 'cli.invalid-input', policy, record['cmd']);
  return evaluate(record['cmd'], { policy, parser, ...folderContext(cwd) });
}

/**
 * Claude Code's PreToolUse hook protocol: stdin `{"tool_name": "Bash", "tool_input": {"command": "…"}, "cwd": "…"}`;
 * stdout `{"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "ask"|"deny", "permissionDecisionReason"}}`.
 * `allow` prints nothing, so Claude Code's own permission rules still apply. Unreadable input asks the person.
 */
async function claudeCodeHook(options: Options, parser: BashParser, policies: PolicySource, io: CliIo): Promise<number> {
  let raw = '';
  for await (const chunk of io.stdin) raw += String(chunk);
  let input: { tool_name?: unknown; tool_input?: { command?: unknown }; cwd?: unknown } = {};
  try {
    input = JSON.parse(raw) as typeof input;
  } catch {
    io.stdout.write(`${JSON.stringify(hookOutput('ask', 'Agent Guardrails could not read this tool call, so a person has to decide.'))}\n`);
    return EXIT.allow;
  }
  if (input.tool_name !== 'Bash') return EXIT.allow;
  const command = typeof input.tool_input?.command === 'string' ? input.tool_input.command : undefined;
  if (command === undefined) {
    io.stdout.write(`${JSON.stringify(hookOutput('ask', 'Agent Guardrails found no command in this Bash call, so a person has to decide.'))}\n`);
    return EXIT.allow;
  }
  const cwd = typeof input.cwd === 'string' ? input.cwd : options.cwd;
  const verdict = evaluate(command, { policy: policies.forDirectory(cwd), parser, ...folderContext(cwd) });
  if (verdict.decision === 'allow') return EXIT.allow;
  const reasons = verdict.reasons.filter((r) => r.severity !== 'info').map((r) => `${r.rule}: ${r.message}`).join(' ');
  const prefix = verdict.decision === 'block' ? `Agent Guardrails blocked this command in the ${verdict.environment} environment.` : `Agent Guardrails: this command needs a person's confirmation (${verdict.environment}).`;
  io.stdout.write(`${JSON.stringify(hookOutput(verdict.decision === 'block' ? 'deny' : 'ask', `${prefix} ${reasons}`))}\n`);
  return EXIT.allow;
}

function hookOutput(decision: 'ask' | 'deny', reason: string) {
  return { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: decision, permissionDecisionReason: reason } };
}

export interface CliIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  let options: Options;
  try {
    options = parseArguments(args);
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message) io.stderr.write(`agent-guardrails: ${error.message}\n\n`);
      (error.message ? io.stderr : io.stdout).write(`${USAGE}\n`);
      return error.message ? EXIT.error : EXIT.allow;
    }
    throw error;
  }
  if (options.command === 'rules') {
    io.stdout.write(`${options.markdown ? presentRulesMarkdown(RULE_PACKS) : presentRulesText(RULE_PACKS)}\n`);
    return EXIT.allow;
  }
  const policies = new PolicySource(options.policyFile, io.stderr);
  if (options.command === 'validate') {
    const { file, result } = policies.validate(options.cwd);
    if (!file || !result) { io.stdout.write(`No policy file found from ${options.cwd}: the workspace is unmarked.\n`); return EXIT.allow; }
    for (const issue of result.issues) io.stdout.write(`${formatPolicyIssue(file, issue)}\n`);
    if (result.ok) io.stdout.write(`${file}: valid (environment ${result.policy.environment}, tier ${result.policy.tier}).\n`);
    return result.ok ? EXIT.allow : EXIT.invalidPolicy;
  }
  const parser = await loadBashParser();
  if (options.command === 'hook') return claudeCodeHook(options, parser, policies, io);
  if (options.jsonl) return checkJsonl(options, parser, policies, io);
  const commandLine = options.commandLine ?? '';
  const policy = applyEnvironment(policies.forDirectory(options.cwd), options.environment);
  if (typeof policy === 'string') { io.stderr.write(`agent-guardrails: ${policy}\n`); return EXIT.error; }
  const folder = folderContext(options.cwd);
  const verdict = evaluate(commandLine, { policy, parser, ...folder });
  if (options.command === 'explain') io.stdout.write(`${presentAnalysisText(analyzeCommandLine(commandLine, parser, { packageScripts: folder.packageScripts, readFile: folder.readFile }))}\n\n`);
  io.stdout.write(`${presentVerdictText(commandLine, verdict)}\n`);
  return EXIT[verdict.decision];
}

if (require.main === module) {
  // `… | head` closing the pipe early is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => { if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw error; });
  runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => { process.stderr.write(`agent-guardrails: internal error: ${String(error)}\n`); process.exitCode = EXIT.error; },
  );
}

// Presenters for the command line: verdicts and analyses as JSON lines or human-readable text. Pure functions.
import type { Reason, Verdict } from '../engine.js';
import type { Rule } from '../rules/rule.js';
import type { CommandLineAnalysis, CommandPosition, SimpleCommand } from '../shell/types.js';

/** The JSONL contract of `check --jsonl` (DESIGN.md): decision, reasons {rule, message, command}, environment. */
export interface CliVerdictLine {
  readonly decision: Verdict['decision'];
  readonly reasons: readonly { readonly rule: string; readonly message: string; readonly command: string }[];
  readonly environment: string;
  /** Extra fields (not in the minimal contract): the tier, and what a person would have to type to confirm. */
  readonly tier: string;
  readonly typedConfirmation?: string;
}

export function presentJsonLine(verdict: Verdict): string {
  const line: CliVerdictLine = {
    decision: verdict.decision,
    reasons: verdict.reasons.map((r) => ({ rule: r.rule, message: r.message, command: r.command })),
    environment: verdict.environment,
    tier: verdict.tier,
    ...(verdict.typedConfirmation !== undefined ? { typedConfirmation: verdict.typedConfirmation } : {}),
  };
  return JSON.stringify(line);
}

const MARKS: Readonly<Record<Reason['severity'], string>> = { critical: '✖', high: '!', medium: '!', low: '·', info: '·' };

export function presentVerdictText(commandLine: string, verdict: Verdict): string {
  const lines = [`${verdict.decision.toUpperCase()}  ${oneLine(commandLine)}`, `  environment: ${verdict.environment} (${verdict.tier})`];
  for (const reason of verdict.reasons) {
    lines.push(`  ${MARKS[reason.severity]} ${reason.rule} [${reason.severity}]  in: ${oneLine(reason.command)}`);
    lines.push(`      ${reason.message}`);
  }
  if (verdict.typedConfirmation !== undefined) lines.push(`  to confirm, a person types: ${verdict.typedConfirmation}`);
  return lines.join('\n');
}

export function presentAnalysisText(analysis: CommandLineAnalysis): string {
  const lines = [`simple commands (${analysis.commands.length}):`];
  analysis.commands.forEach((command, i) => lines.push(...describeCommand(command, i + 1)));
  if (analysis.problems.length > 0) {
    lines.push('problems:');
    for (const problem of analysis.problems) lines.push(`  ${problem.code}: ${problem.message}`);
  }
  return lines.join('\n');
}

function describeCommand(command: SimpleCommand, index: number): string[] {
  const lines = [`  ${index}. argv ${JSON.stringify(command.argv)}  program=${command.program || (command.assignments.size > 0 ? '(assignment)' : '(none)')}`];
  if (command.via.length > 0) lines.push(`     via: ${command.via.join(' › ')}`);
  if (command.isRemote) lines.push('     runs on a remote machine');
  if (command.hasRuntimeArguments) lines.push('     arguments supplied at run time');
  if (command.assignments.size > 0) lines.push(`     assignments: ${[...command.assignments.keys()].join(', ')}`);
  for (const redirect of command.redirects) lines.push(`     redirect ${redirect.operator} ${oneLine(redirect.target)}`);
  if (command.stdin?.kind === 'pipe') lines.push(`     stdin: piped from ${command.stdin.from.program}`);
  const where = describePosition(command.position);
  if (where) lines.push(`     position: ${where}`);
  return lines;
}

/** `statement 2 of its list, after &&; pipeline stage 1 of 2; in a subshell; background job`; empty when standalone. */
function describePosition(position: CommandPosition): string {
  const parts: string[] = [];
  if (position.listIndex > 0 || position.listOperator !== undefined) {
    parts.push(`statement ${position.listIndex + 1} of its list${position.listOperator ? `, after ${position.listOperator}` : ''}`);
  }
  if (position.pipelineLength > 1) parts.push(`pipeline stage ${position.pipelineIndex + 1} of ${position.pipelineLength}`);
  if (position.inSubshell) parts.push('in a subshell');
  if (position.isBackground) parts.push('background job');
  return parts.join('; ');
}

function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\n/g, '⏎');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** The rule reference as a Markdown table per pack (the README's rule section is generated from it). */
export function presentRulesMarkdown(packs: Readonly<Record<string, readonly Rule[]>>): string {
  const lines: string[] = [];
  for (const [pack, rules] of Object.entries(packs)) {
    if (rules.length === 0) continue;
    lines.push(`**${pack}**`, '', '| rule | severity | stops |', '|---|---|---|');
    for (const rule of rules) lines.push(`| \`${rule.meta.id}\` | ${rule.meta.severity} | ${rule.meta.description.replace(/\|/g, '\\|')} |`);
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}

export function presentRulesText(packs: Readonly<Record<string, readonly Rule[]>>): string {
  return Object.values(packs).flat().map((r) => `${r.meta.id.padEnd(40)} ${r.meta.severity.padEnd(9)} ${r.meta.description}`).join('\n');
}

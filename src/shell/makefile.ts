// What `make TARGET` would run: the recipe lines of a Makefile for a target and the prerequisites it builds first,
// as shell code for the analyser (`make db-reset` is judged by `psql -c 'DROP SCHEMA …'` in its recipe).
//
// A reading, not an implementation of make: rules, `::` rules, `target: prereqs ; recipe`, continuation lines, the
// recipe prefixes `@ - +`, simple variables (`=`, `:=`, `::=`, `?=`, `+=`, command-line `NAME=value`) and `$$`.
// Conditionals count as taken (every branch is read), includes and pattern rules are not followed, and anything
// else make would compute (`$(shell …)`, `$(wildcard …)`, automatic variables) becomes a run-time word.
import { RUN_TIME_VALUE } from './words.js';

/** How many targets one `make` call may pull in, and how deep prerequisites nest, before the rest is left out. */
const MAX_TARGETS = 32;
const MAX_DEPTH = 8;
const MAX_EXPANSION_DEPTH = 8;

interface MakeRule {
  readonly prerequisites: string[];
  readonly recipe: string[];
}

export interface Makefile {
  /** The first target that is not special (`.PHONY`) or a pattern (`%.o`): what `make` alone builds. */
  readonly defaultTarget: string | undefined;
  /** The shell code `make target…` runs (prerequisites first, each once), or undefined when no target is known. */
  recipeFor(targets: readonly string[], overrides?: ReadonlyMap<string, string>): string | undefined;
}

const ASSIGNMENT = /^(?:override\s+|export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(::?=|\?=|\+=|=|!=)\s*(.*)$/;
const RULE = /^([^:=#\t][^:=#]*?)\s*(::?)(?!=)\s*(.*)$/;
const DIRECTIVE = /^\s*(ifeq|ifneq|ifdef|ifndef|else|endif|include|-include|sinclude|define|endef|undefine|vpath|unexport|\.RECIPEPREFIX)\b/;

export function parseMakefile(text: string): Makefile {
  const rules = new Map<string, MakeRule>();
  const variables = new Map<string, string>();
  let defaultTarget: string | undefined;
  let current: MakeRule[] = [];
  const lines = joinContinuations(text.replace(/\r\n?/g, '\n').split('\n'));
  for (const line of lines) {
    if (line.startsWith('\t')) {
      const command = line.slice(1).trim();
      if (command !== '' && !command.startsWith('#')) for (const rule of current) rule.recipe.push(command);
      continue;
    }
    const stripped = stripComment(line).trim();
    if (stripped === '' || DIRECTIVE.test(stripped)) continue;
    const assignment = ASSIGNMENT.exec(stripped);
    if (assignment) {
      const [, name, operator, value] = assignment;
      if (operator === '+=') variables.set(name!, `${variables.get(name!) ?? ''} ${value}`.trim());
      else if (operator === '!=') variables.set(name!, RUN_TIME_VALUE);
      else if (operator !== '?=' || !variables.has(name!)) variables.set(name!, value!);
      current = [];
      continue;
    }
    const rule = RULE.exec(stripped);
    if (!rule) { current = []; continue; }
    const [, targetText, , rest] = rule;
    current = [];
    // Target-specific variables (`prod: DB = x`) are not rules.
    if (/^(?:override\s+|export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*(::?=|\?=|\+=|=)/.test(rest!)) continue;
    const [prerequisiteText, inlineRecipe] = splitInlineRecipe(rest!);
    for (const target of targetText!.split(/\s+/).filter(Boolean)) {
      const entry = rules.get(target) ?? { prerequisites: [], recipe: [] };
      entry.prerequisites.push(...prerequisiteText.split(/[\s|]+/).filter(Boolean));
      if (inlineRecipe !== undefined && inlineRecipe.trim() !== '') entry.recipe.push(inlineRecipe.trim());
      rules.set(target, entry);
      current.push(entry);
      if (defaultTarget === undefined && !target.startsWith('.') && !target.includes('%')) defaultTarget = target;
    }
  }
  return {
    defaultTarget,
    recipeFor(targets, overrides = new Map()) {
      const wanted = targets.length > 0 ? targets : defaultTarget !== undefined ? [defaultTarget] : [];
      const seen = new Set<string>();
      const out: string[] = [];
      const visit = (target: string, depth: number): void => {
        if (seen.has(target) || seen.size >= MAX_TARGETS || depth > MAX_DEPTH) return;
        seen.add(target);
        const rule = rules.get(target);
        if (!rule) return;
        for (const prerequisite of rule.prerequisites) visit(expand(prerequisite, variables, overrides, target, 0), depth + 1);
        for (const command of rule.recipe) out.push(expand(stripPrefixes(command), variables, overrides, target, 0));
      };
      for (const target of wanted) visit(target, 0);
      return wanted.some((t) => rules.has(t)) ? out.join('\n') : undefined;
    },
  };
}

function joinContinuations(lines: readonly string[]): string[] {
  const out: string[] = [];
  let pending: string | undefined;
  for (const line of lines) {
    const joined = pending === undefined ? line : `${pending} ${line.replace(/^\s+/, '')}`;
    if (/(^|[^\\])(\\\\)*\\$/.test(joined)) { pending = joined.slice(0, -1).replace(/\s+$/, ''); continue; }
    pending = undefined;
    out.push(joined);
  }
  if (pending !== undefined) out.push(pending);
  return out;
}

function stripComment(line: string): string {
  const index = line.search(/(^|[^\\])#/);
  return index < 0 ? line : line.slice(0, index + (line[index] === '#' ? 0 : 1));
}

function splitInlineRecipe(rest: string): [string, string | undefined] {
  const semicolon = rest.indexOf(';');
  return semicolon < 0 ? [stripComment(rest), undefined] : [rest.slice(0, semicolon), rest.slice(semicolon + 1)];
}

/** `@`, `-` and `+` before a recipe line only change how make runs it. */
function stripPrefixes(command: string): string {
  return command.replace(/^[@+\-\s]+/, '');
}

/** Make's `$(NAME)`, `${NAME}`, `$X` and `$$`, expanded with the file's variables; what make computes is a run-time word. */
function expand(text: string, variables: ReadonlyMap<string, string>, overrides: ReadonlyMap<string, string>, target: string, depth: number): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (c !== '$') { out += c; continue; }
    const next = text[i + 1];
    if (next === '$') { out += '$'; i += 1; continue; }
    if (next === '(' || next === '{') {
      const end = matchingClose(text, i + 1);
      if (end < 0) { out += text.slice(i); break; }
      const inner = text.slice(i + 2, end);
      out += expandReference(inner, variables, overrides, target, depth);
      i = end;
      continue;
    }
    if (next === '@') { out += target; i += 1; continue; }
    if (next !== undefined && /[A-Za-z0-9_<^?*+|%]/.test(next)) {
      out += expandReference(next, variables, overrides, target, depth);
      i += 1;
      continue;
    }
    out += c;
  }
  return out;
}

function expandReference(name: string, variables: ReadonlyMap<string, string>, overrides: ReadonlyMap<string, string>, target: string, depth: number): string {
  if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) {
    const value = overrides.get(name) ?? variables.get(name);
    // An unset variable is empty for make; one from the environment (`DATABASE_URL`) is known only at run time.
    if (value === undefined) return `\${${name.replace(/[^A-Za-z0-9_]/g, '_')}}`;
    return depth >= MAX_EXPANSION_DEPTH ? RUN_TIME_VALUE : expand(value, variables, overrides, target, depth + 1);
  }
  if (name === '@') return target;
  return RUN_TIME_VALUE;
}

function matchingClose(text: string, open: number): number {
  const opener = text[open]!;
  const closer = opener === '(' ? ')' : '}';
  let level = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === opener) level += 1;
    else if (text[i] === closer && --level === 0) return i;
  }
  return -1;
}

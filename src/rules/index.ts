// The rule registry: every rule pack, indexed by the programs its rules look at.
import type { Rule } from './rule.js';
import { filesystemRules } from './filesystem.js';
import { gitRules } from './git.js';

/** Every rule pack, one per domain. Adding a pack: one import and one entry here. */
export const RULE_PACKS: Readonly<Record<string, readonly Rule[]>> = {
  filesystem: filesystemRules,
  git: gitRules,
};

export const ALL_RULES: readonly Rule[] = Object.values(RULE_PACKS).flat();

const byProgram = new Map<string, Rule[]>();
const everyProgram: Rule[] = [];
for (const rule of ALL_RULES) {
  if (rule.programs === '*') everyProgram.push(rule);
  else for (const program of rule.programs) {
    const list = byProgram.get(program) ?? [];
    list.push(rule);
    byProgram.set(program, list);
  }
}
const NO_RULES: readonly Rule[] = [];
const combined = new Map<string, readonly Rule[]>();

/** The rules that can match a program (its own rules plus the ones that look at every command). */
export function rulesFor(program: string): readonly Rule[] {
  let rules = combined.get(program);
  if (!rules) {
    const own = byProgram.get(program);
    rules = own ? [...own, ...everyProgram] : everyProgram.length > 0 ? everyProgram : NO_RULES;
    if (combined.size < 10_000) combined.set(program, rules);
  }
  return rules;
}

/** Every program some rule looks at: the source of the shell hook's fast prefilter. */
export function programsWithRules(): string[] {
  return [...byProgram.keys()].sort();
}

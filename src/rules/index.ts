// The rule registry: every rule pack, indexed by the programs its rules look at.
import type { Rule } from './rule.js';
import { cloudRules } from './cloud.js';
import { containerRules } from './containers.js';
import { filesystemRules } from './filesystem.js';
import { frameworkRules } from './frameworks.js';
import { gitRules } from './git.js';
import { httpRules } from './http.js';
import { interpreterRules } from './interpreters.js';
import { kubernetesRules } from './kubernetes.js';
import { platformRules } from './platform.js';
import { publishingRules } from './publishing.js';
import { remoteRules } from './remote.js';
import { serviceRules } from './services.js';
import { shellRules } from './shell.js';
import { sqlRules } from './sql.js';
import { systemRules } from './system.js';
import { terraformRules } from './terraform.js';

/** Every rule pack, one per domain. Adding a pack: one import and one entry here. */
export const RULE_PACKS: Readonly<Record<string, readonly Rule[]>> = {
  cloud: cloudRules,
  containers: containerRules,
  filesystem: filesystemRules,
  frameworks: frameworkRules,
  git: gitRules,
  http: httpRules,
  interpreters: interpreterRules,
  kubernetes: kubernetesRules,
  platform: platformRules,
  publishing: publishingRules,
  remote: remoteRules,
  services: serviceRules,
  shell: shellRules,
  sql: sqlRules,
  system: systemRules,
  terraform: terraformRules,
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

// Shared test setup: the real parser (loaded once) and policies built from plain objects.
import { evaluate, type Verdict } from '../../../src/engine.js';
import { UNMARKED_POLICY } from '../../../src/policy/defaults.js';
import { parsePolicy } from '../../../src/policy/load.js';
import type { Policy } from '../../../src/policy/schema.js';
import { loadBashParser, type BashParser } from '../../../src/shell/parser.js';

let parser: BashParser | undefined;

export async function bashParser(): Promise<BashParser> {
  parser ??= await loadBashParser();
  return parser;
}

/** A policy from a plain object, as if read from `.vscode/guardrails.json`; fails the test if it is invalid. */
export function policyFrom(file: Record<string, unknown>): Policy {
  const result = parsePolicy(JSON.stringify(file), 'test-policy.json');
  if (!result.ok) throw new Error(`test policy is invalid: ${result.issues.map((i) => i.message).join('; ')}`);
  return result.policy;
}

/** A workspace of the given tier with no other settings. */
export function tierPolicy(tier: 'development' | 'staging' | 'production' | 'unmarked'): Policy {
  return tier === 'unmarked' ? UNMARKED_POLICY : policyFrom({ environment: tier });
}

export async function check(cmd: string, policy: Policy = UNMARKED_POLICY, cwd?: string): Promise<Verdict> {
  return evaluate(cmd, { policy, parser: await bashParser(), cwd });
}

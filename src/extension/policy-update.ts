// Tamper protection, as data: what to do when the policy file on disk differs from the last accepted one.
// Pure (no vscode): the caller reads the file and the stored accepted text, and acts on the returned update.
import { createHash } from 'node:crypto';
import { comparePolicies } from '../policy/compare.js';
import { UNMARKED_POLICY } from '../policy/defaults.js';
import type { PolicyIssue } from '../policy/issues.js';
import { parsePolicy } from '../policy/load.js';
import type { Policy } from '../policy/schema.js';

/** What the extension keeps outside the workspace for one folder: the text a person last accepted, and its hash. */
export interface AcceptedPolicyRecord {
  readonly text: string;
  readonly sha256: string;
  readonly acceptedAt: string;
}

export type PolicyUpdate =
  /** The file is what was accepted (or both are absent): nothing to do. */
  | { readonly kind: 'unchanged'; readonly policy: Policy }
  /**
   * The change applies at once: it only tightens (or is neutral), or this is the first policy seen for the folder.
   * `text` undefined: no file and nothing accepted (unmarked); the record is cleared.
   */
  | { readonly kind: 'apply'; readonly policy: Policy; readonly text: string | undefined; readonly firstUse: boolean; readonly tightenings: readonly string[] }
  /** The change loosens the policy: `inForce` stays until a person approves `proposed`. */
  | {
    readonly kind: 'needs-approval'; readonly inForce: Policy; readonly proposed: Policy; readonly text: string | undefined;
    readonly loosenings: readonly string[]; readonly tightenings: readonly string[];
  }
  /** The file is invalid: `inForce` is the accepted policy made strict (or the strict defaults when none). */
  | { readonly kind: 'invalid'; readonly inForce: Policy; readonly issues: readonly PolicyIssue[] };

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function acceptedRecord(text: string, now: Date): AcceptedPolicyRecord {
  return { text, sha256: sha256(text), acceptedAt: now.toISOString() };
}

/** The accepted policy, or undefined when there is no usable record (never stored, or no longer valid). */
export function acceptedPolicy(record: AcceptedPolicyRecord | undefined, source: string): Policy | undefined {
  if (!record || sha256(record.text) !== record.sha256) return undefined;
  const result = parsePolicy(record.text, source);
  return result.ok ? result.policy : undefined;
}

/**
 * The policy in force while the file is invalid: the accepted one with no allow entries and a typed confirmation
 * everywhere, so breaking the file can neither drop the team's block lists nor environment identifiers.
 */
export function strictenPolicy(accepted: Policy, reason: string): Policy {
  return { ...accepted, allow: [], alwaysTyped: true, source: `last accepted policy, made strict (${reason})` };
}

/**
 * Decides what a change of the policy file means. `proposedText` undefined: the file does not exist.
 * First use (no record) is trusted: the person opening the workspace sees the environment in the status bar.
 */
export function decidePolicyUpdate(record: AcceptedPolicyRecord | undefined, proposedText: string | undefined, source: string): PolicyUpdate {
  const accepted = acceptedPolicy(record, source);
  if (proposedText === undefined) {
    if (!accepted) return record ? { kind: 'apply', policy: UNMARKED_POLICY, text: undefined, firstUse: false, tightenings: [] } : { kind: 'unchanged', policy: UNMARKED_POLICY };
    const { loosenings, tightenings } = comparePolicies(accepted, UNMARKED_POLICY);
    return { kind: 'needs-approval', inForce: accepted, proposed: UNMARKED_POLICY, text: undefined, loosenings: ['The policy file was deleted.', ...loosenings], tightenings };
  }
  const result = parsePolicy(proposedText, source);
  if (!result.ok) {
    const first = result.issues[0];
    const reason = first ? `the policy file is invalid at line ${first.line}` : 'the policy file is invalid';
    return { kind: 'invalid', inForce: accepted ? strictenPolicy(accepted, reason) : result.policy, issues: result.issues };
  }
  if (!accepted) return { kind: 'apply', policy: result.policy, text: proposedText, firstUse: true, tightenings: [] };
  if (record && sha256(proposedText) === record.sha256) return { kind: 'unchanged', policy: accepted };
  const { loosenings, tightenings } = comparePolicies(accepted, result.policy);
  if (loosenings.length === 0) return { kind: 'apply', policy: result.policy, text: proposedText, firstUse: false, tightenings };
  return { kind: 'needs-approval', inForce: accepted, proposed: result.policy, text: proposedText, loosenings, tightenings };
}

// Table-driven rule tests (eslint's RuleTester shape): `valid` must be allowed, `invalid` must report the rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Decision } from '../../../src/engine.js';
import type { Policy } from '../../../src/policy/schema.js';
import { check, tierPolicy } from './engine.js';

type TierName = 'development' | 'staging' | 'production' | 'unmarked';

export interface ValidCase { readonly cmd: string; readonly tier?: TierName; readonly policy?: Policy }
export interface InvalidCase {
  readonly cmd: string;
  /** The rule id that must be among the verdict's reasons (not waived). */
  readonly rule: string;
  /** The expected decision; by default anything but `allow`. */
  readonly decision?: Decision;
  readonly tier?: TierName;
  readonly policy?: Policy;
}

export function ruleTester(name: string, cases: { valid: readonly (string | ValidCase)[]; invalid: readonly InvalidCase[] }): void {
  describe(name, () => {
    describe('allows', () => {
      for (const entry of cases.valid) {
        const c: ValidCase = typeof entry === 'string' ? { cmd: entry } : entry;
        it(c.tier ? `${c.cmd}  [${c.tier}]` : c.cmd, async () => {
          const verdict = await check(c.cmd, c.policy ?? tierPolicy(c.tier ?? 'unmarked'));
          assert.equal(verdict.decision, 'allow', `expected allow, got ${verdict.decision}: ${verdict.reasons.map((r) => `${r.rule}: ${r.message}`).join(' | ')}`);
        });
      }
    });
    describe('stops', () => {
      for (const c of cases.invalid) {
        it(`${c.cmd}  → ${c.rule}${c.decision ? ` (${c.decision})` : ''}${c.tier ? `  [${c.tier}]` : ''}`, async () => {
          const verdict = await check(c.cmd, c.policy ?? tierPolicy(c.tier ?? 'unmarked'));
          const rules = verdict.reasons.filter((r) => r.severity !== 'info').map((r) => r.rule);
          assert.ok(rules.includes(c.rule), `expected ${c.rule} among [${rules.join(', ')}] (decision ${verdict.decision})`);
          if (c.decision) assert.equal(verdict.decision, c.decision);
          else assert.notEqual(verdict.decision, 'allow');
        });
      }
    });
  });
}

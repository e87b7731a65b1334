// comparePolicies: which edits of the policy file loosen it (need a person) and which tighten it (apply at once).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { comparePolicies } from '../../../src/policy/compare.js';
import { UNMARKED_POLICY } from '../../../src/policy/defaults.js';
import { parsePolicy } from '../../../src/policy/load.js';
import type { Policy } from '../../../src/policy/schema.js';

function policy(file: Record<string, unknown>): Policy {
  const result = parsePolicy(JSON.stringify(file), 'guardrails.json');
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join('; '));
  return result.policy;
}

const BASE = {
  environment: 'staging',
  environments: {
    staging: { tier: 'staging', match: ['stg-db.internal'] },
    production: { tier: 'production', match: ['prod-db.internal', '--context=prod'] },
  },
  commands: { allow: ['npm test'], confirm: ['npm publish*'], block: ['*volumeDelete*'] },
  protectedPaths: ['.env*', 'migrations/**'],
} as const;

function edit(change: (file: any) => void): Policy {
  const file = structuredClone(BASE) as any;
  change(file);
  return policy(file);
}

/** [title, proposed policy, expected loosening count > 0, expected tightening count > 0, a word the sentence names] */
const ROWS: readonly [string, Policy, boolean, boolean, string][] = [
  ['identical policy', edit(() => {}), false, false, ''],
  ['tier lowered to development', edit((f) => { f.environments.staging.tier = 'development'; }), true, false, 'development'],
  // Declaring the workspace production raises its tier, but also lets it reach production's identifiers directly.
  ['workspace declared production', edit((f) => { f.environment = 'production'; }), true, true, 'prod-db.internal'],
  // Same tier as production: production's identifiers are no longer "another, more critical environment".
  ['workspace tier raised to production', edit((f) => { f.environments.staging.tier = 'production'; }), true, true, 'prod-db.internal'],
  ['production environment removed', edit((f) => { delete f.environments.production; }), true, false, 'production'],
  ['production identifier removed', edit((f) => { f.environments.production.match = ['--context=prod']; }), true, false, 'prod-db.internal'],
  ['production identifier added', edit((f) => { f.environments.production.match.push('PROD_*'); }), false, true, 'PROD_*'],
  ['new allow entry', edit((f) => { f.commands.allow.push('rm -rf *'); }), true, false, 'rm -rf *'],
  ['allow entry removed', edit((f) => { f.commands.allow = []; }), false, true, 'npm test'],
  ['block entry removed', edit((f) => { f.commands.block = []; }), true, false, '*volumeDelete*'],
  ['block entry added', edit((f) => { f.commands.block.push('terraform destroy*'); }), false, true, 'terraform destroy*'],
  ['confirm entry removed', edit((f) => { delete f.commands.confirm; }), true, false, 'npm publish*'],
  ['protected path removed', edit((f) => { f.protectedPaths = ['.env*']; }), true, false, 'migrations/**'],
  ['protected path added', edit((f) => { f.protectedPaths.push('backups/**'); }), false, true, 'backups/**'],
  ['typed confirmation everywhere', edit((f) => { f.confirmation = { alwaysTyped: true }; }), false, true, 'typed'],
  ['typed resource instead of environment', edit((f) => { f.confirmation = { typed: 'resource' }; }), true, false, 'resource'],
  ['only the timeout changes', edit((f) => { f.confirmation = { timeoutSeconds: 30 }; }), false, false, ''],
  // staging → development: staging's own identifiers become guarded, but the tier drops.
  ['workspace declared development', edit((f) => { f.environment = 'development'; }), true, true, 'development'],
  ['policy file deleted (unmarked)', UNMARKED_POLICY, true, true, '*volumeDelete*'],
];

describe('comparePolicies', () => {
  const accepted = policy(BASE as unknown as Record<string, unknown>);
  for (const [title, proposed, loosens, tightens, word] of ROWS) {
    it(title, () => {
      const { loosenings, tightenings } = comparePolicies(accepted, proposed);
      assert.equal(loosenings.length > 0, loosens, `loosenings: ${JSON.stringify(loosenings)}`);
      assert.equal(tightenings.length > 0, tightens, `tightenings: ${JSON.stringify(tightenings)}`);
      if (word) assert.ok([...loosenings, ...tightenings].some((s) => s.includes(word)), `no sentence names ${word}: ${JSON.stringify({ loosenings, tightenings })}`);
    });
  }

  it('raising the tier of a workspace without other environments only tightens', () => {
    const { loosenings, tightenings } = comparePolicies(policy({ environment: 'staging' }), policy({ environment: 'production' }));
    assert.deepEqual(loosenings, []);
    assert.deepEqual(tightenings, ['The workspace tier is raised from staging to production.', 'The workspace environment changes from "staging" to "production".']);
  });

  it('a loosening and a tightening in one edit are both reported', () => {
    const proposed = edit((f) => { f.commands.block = ['terraform destroy*']; });
    const { loosenings, tightenings } = comparePolicies(accepted, proposed);
    assert.ok(loosenings.some((s) => s.includes('*volumeDelete*')));
    assert.ok(tightenings.some((s) => s.includes('terraform destroy*')));
  });

  it('creating a policy without allow entries where there was none only tightens', () => {
    const { loosenings, tightenings } = comparePolicies(UNMARKED_POLICY, edit((f) => { delete f.commands.allow; }));
    assert.deepEqual(loosenings, []);
    assert.ok(tightenings.length > 0);
  });
});

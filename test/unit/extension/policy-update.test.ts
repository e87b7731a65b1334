// decidePolicyUpdate: tamper protection as data — what a change of the policy file on disk leads to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../../../src/engine.js';
import { acceptedRecord, decidePolicyUpdate, sha256 } from '../../../src/extension/policy-update.js';
import { loadBashParser } from '../../../src/shell/parser.js';

const SOURCE = '/ws/.vscode/guardrails.json';
const NOW = new Date('2026-01-02T03:04:05Z');
const ACCEPTED = JSON.stringify({
  environment: 'staging',
  environments: { production: { tier: 'production', match: ['prod-db.internal'] } },
  commands: { allow: ['npm test'], block: ['*volumeDelete*'] },
});
const record = acceptedRecord(ACCEPTED, NOW);
const edited = (change: (f: any) => void): string => { const f = JSON.parse(ACCEPTED); change(f); return JSON.stringify(f, null, 2); };

describe('decidePolicyUpdate', () => {
  it('first policy seen for a folder: applied (trust on first use)', () => {
    const update = decidePolicyUpdate(undefined, ACCEPTED, SOURCE);
    assert.equal(update.kind, 'apply');
    assert.ok(update.kind === 'apply' && update.firstUse && update.policy.environment === 'staging');
  });

  it('no file and nothing accepted: unchanged, unmarked', () => {
    const update = decidePolicyUpdate(undefined, undefined, SOURCE);
    assert.equal(update.kind, 'unchanged');
    assert.equal(update.kind === 'unchanged' && update.policy.tier, 'unmarked');
  });

  it('same text as accepted: unchanged', () => {
    assert.equal(decidePolicyUpdate(record, ACCEPTED, SOURCE).kind, 'unchanged');
  });

  it('a comment or formatting change: applied, nothing to approve', () => {
    const update = decidePolicyUpdate(record, `// reformatted\n${JSON.stringify(JSON.parse(ACCEPTED), null, 4)}`, SOURCE);
    assert.equal(update.kind, 'apply');
    assert.deepEqual(update.kind === 'apply' && update.tightenings, []);
  });

  it('a tightening: applied at once', () => {
    const update = decidePolicyUpdate(record, edited((f) => { f.commands.block.push('terraform destroy*'); }), SOURCE);
    assert.equal(update.kind, 'apply');
    assert.ok(update.kind === 'apply' && update.tightenings.length === 1 && update.policy.block.includes('terraform destroy*'));
  });

  it('a loosening: the accepted policy stays in force until approved', () => {
    const update = decidePolicyUpdate(record, edited((f) => { f.commands.block = []; }), SOURCE);
    assert.equal(update.kind, 'needs-approval');
    if (update.kind !== 'needs-approval') return;
    assert.deepEqual(update.inForce.block, ['*volumeDelete*']);
    assert.deepEqual(update.proposed.block, []);
    assert.ok(update.loosenings.some((l) => l.includes('*volumeDelete*')));
  });

  it('the file deleted: needs approval, says so first', () => {
    const update = decidePolicyUpdate(record, undefined, SOURCE);
    assert.equal(update.kind, 'needs-approval');
    assert.ok(update.kind === 'needs-approval' && update.loosenings[0] === 'The policy file was deleted.' && update.inForce.environment === 'staging');
  });

  it('an invalid file with an accepted policy: the accepted lists stay, allow entries go, typing is required', async () => {
    const update = decidePolicyUpdate(record, edited((f) => { f.environments.production.tier = 'prod'; }), SOURCE);
    assert.equal(update.kind, 'invalid');
    if (update.kind !== 'invalid') return;
    assert.ok(update.issues.length > 0);
    assert.deepEqual(update.inForce.block, ['*volumeDelete*']);
    assert.deepEqual(update.inForce.allow, []);
    assert.equal(update.inForce.alwaysTyped, true);
    // Breaking the file does not open the staging → production leak.
    const verdict = evaluate('psql -h prod-db.internal', { policy: update.inForce, parser: await loadBashParser() });
    assert.equal(verdict.decision, 'block');
  });

  it('an invalid file and nothing accepted: the strict built-in defaults', () => {
    const update = decidePolicyUpdate(undefined, '{ "environment": ', SOURCE);
    assert.equal(update.kind, 'invalid');
    assert.ok(update.kind === 'invalid' && update.inForce.tier === 'production' && update.inForce.alwaysTyped);
  });

  it('a stored record whose hash does not match its text is not trusted', () => {
    const forged = { ...record, text: edited((f) => { f.commands.block = []; }) };
    assert.notEqual(forged.sha256, sha256(forged.text));
    const update = decidePolicyUpdate(forged, ACCEPTED, SOURCE);
    assert.ok(update.kind === 'apply' && update.firstUse);
  });
});

// The confirmation queue (one flow at a time, none lost) and the Create Policy wizard's template.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SerialQueue, runBeforeDeadline } from '../../../src/extension/confirm/queue.js';
import { parseIdentifierList, renderPolicyTemplate } from '../../../src/extension/policy-template.js';
import { parsePolicy } from '../../../src/policy/load.js';

describe('SerialQueue', () => {
  it('runs concurrent requests one at a time, in order, and loses none (also after a failure)', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    let running = 0;
    const task = (name: string, fail = false) => queue.run(async () => {
      running += 1;
      assert.equal(running, 1, 'only one flow at a time');
      log.push(`start ${name} waiting=${queue.waiting}`);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    });
    const results = await Promise.allSettled([task('a'), task('b', true), task('c')]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.deepEqual(log, ['start a waiting=2', 'end a', 'start b waiting=1', 'end b', 'start c waiting=0', 'end c']);
  });
});

describe('runBeforeDeadline (the confirmation timeout counts from the request)', () => {
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  it('a request queued behind a modal without deadline (policy approval) times out at its own deadline and is never shown', async () => {
    const queue = new SerialQueue();
    let releaseApproval!: () => void;
    const approval = queue.run(() => new Promise<string>((r) => { releaseApproval = () => r('approved'); }));
    const shown: string[] = [];
    const requested = Date.now();
    const outcome = await runBeforeDeadline(queue, requested + 60, 'timed-out', async () => { shown.push('request'); return 'approved'; });
    const waited = Date.now() - requested;
    assert.equal(outcome, 'timed-out');
    assert.ok(waited >= 55 && waited < 1000, `resolved after ${waited} ms, while the approval modal was still open`);
    releaseApproval();
    assert.equal(await approval, 'approved');
    const next = await runBeforeDeadline(queue, Date.now() + 1000, 'timed-out', async () => { shown.push('next'); return 'approved'; });
    assert.equal(next, 'approved');
    assert.deepEqual(shown, ['next'], 'the expired request was skipped, the next one shown');
  });

  it('the deadline is the request\'s: time spent waiting in the queue counts, the flow gets the same deadline', async () => {
    const queue = new SerialQueue();
    void queue.run(() => sleep(40));
    const deadline = Date.now() + 500;
    let given = 0;
    let startedAt = 0;
    assert.equal(await runBeforeDeadline(queue, deadline, 'timed-out', async (d) => { given = d; startedAt = Date.now(); return 'cancelled'; }), 'cancelled');
    assert.equal(given, deadline);
    assert.ok(startedAt - (deadline - 500) >= 35, 'it waited for the flow in front');
  });

  it('a started flow is not cut off by the queue timer (it honours the deadline itself); a failure rejects', async () => {
    const queue = new SerialQueue();
    assert.equal(await runBeforeDeadline(queue, Date.now() + 20, 'timed-out', async () => { await sleep(60); return 'answered late'; }), 'answered late');
    await assert.rejects(runBeforeDeadline(queue, Date.now() + 1000, 'timed-out', async () => { throw new Error('boom'); }), /boom/);
  });
});

describe('renderPolicyTemplate', () => {
  for (const tier of ['development', 'staging', 'production'] as const) {
    it(`name = tier = ${tier}: a commented file that parses to that tier, production identifiers under production`, () => {
      const text = renderPolicyTemplate({ environment: tier, tier, productionIdentifiers: ['prod-db.internal', 'PROD_*'] });
      assert.match(text, /^\/\/ Agent Guardrails policy/);
      const result = parsePolicy(text, 'guardrails.json');
      assert.ok(result.ok, JSON.stringify(result.issues));
      assert.equal(result.policy.tier, tier);
      assert.deepEqual(result.policy.environments.production?.match, ['prod-db.internal', 'PROD_*']);
      assert.deepEqual(Object.keys(result.policy.environments).sort(), tier === 'production' ? ['production'] : [tier, 'production'].sort());
    });
  }

  it('a named production workspace ("shop-prod"): its identifiers are its own, no separate "production", no false "blocked" comment', () => {
    const text = renderPolicyTemplate({ environment: 'shop-prod', tier: 'production', productionIdentifiers: ['prod-db.internal', 'SHOP_PROD_*'] });
    const result = parsePolicy(text, 'g.json');
    assert.ok(result.ok, JSON.stringify(result.issues));
    assert.equal(result.policy.environment, 'shop-prod');
    assert.equal(result.policy.tier, 'production');
    assert.deepEqual(Object.keys(result.policy.environments), ['shop-prod']);
    assert.deepEqual(result.policy.environments['shop-prod']?.match, ['prod-db.internal', 'SHOP_PROD_*']);
    assert.doesNotMatch(text, /Commands in this workspace that name one of these are blocked/);
  });

  it('a named staging workspace ("shop-staging"): a separate production environment whose identifiers are blocked', () => {
    const text = renderPolicyTemplate({ environment: 'shop-staging', tier: 'staging', productionIdentifiers: ['prod-db.internal'] });
    const result = parsePolicy(text, 'g.json');
    assert.ok(result.ok, JSON.stringify(result.issues));
    assert.equal(result.policy.tier, 'staging');
    assert.deepEqual(result.policy.environments['shop-staging']?.match, []);
    assert.equal(result.policy.environments.production?.tier, 'production');
    assert.deepEqual(result.policy.environments.production?.match, ['prod-db.internal']);
    assert.match(text, /Commands in this workspace that name one of these are blocked/);
  });

  it('a staging workspace named "production" does not clash with the production environment', () => {
    const result = parsePolicy(renderPolicyTemplate({ environment: 'production', tier: 'staging', productionIdentifiers: ['prod-db.internal'] }), 'g.json');
    assert.ok(result.ok, JSON.stringify(result.issues));
    assert.equal(result.policy.tier, 'staging');
    assert.deepEqual(result.policy.environments['production-env']?.match, ['prod-db.internal']);
  });

  it('a named environment keeps its name and tier', () => {
    const result = parsePolicy(renderPolicyTemplate({ environment: 'shop-stg', tier: 'staging', productionIdentifiers: [] }), 'g.json');
    assert.ok(result.ok);
    assert.equal(result.policy.environment, 'shop-stg');
    assert.equal(result.policy.tier, 'staging');
  });

  it('identifier lists split on commas and spaces', () => {
    assert.deepEqual(parseIdentifierList(' prod-db.internal, --context=prod  PROD_* ,'), ['prod-db.internal', '--context=prod', 'PROD_*']);
  });
});

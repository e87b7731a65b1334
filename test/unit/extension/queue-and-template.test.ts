// The confirmation queue (one flow at a time, none lost) and the Create Policy wizard's template.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SerialQueue } from '../../../src/extension/confirm/queue.js';
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

describe('renderPolicyTemplate', () => {
  for (const tier of ['development', 'staging', 'production'] as const) {
    it(`${tier}: a commented file that parses to that tier`, () => {
      const text = renderPolicyTemplate({ environment: tier, tier, productionIdentifiers: ['prod-db.internal', 'PROD_*'] });
      assert.match(text, /^\/\/ Agent Guardrails policy/);
      const result = parsePolicy(text, 'guardrails.json');
      assert.ok(result.ok, JSON.stringify(result.issues));
      assert.equal(result.policy.tier, tier);
      assert.deepEqual(result.policy.environments.production?.match, ['prod-db.internal', 'PROD_*']);
    });
  }

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

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OneShotApprovals, taskApprovalKey } from '../../../src/tasks/approvals.js';

describe('one-shot task approvals', () => {
  const task = { source: 'Workspace', name: 'db:reset', folder: '/w' };
  it('an approval lets exactly one start through', () => {
    const approvals = new OneShotApprovals();
    const key = taskApprovalKey(task, 'npm run db:reset');
    assert.equal(approvals.consume(key), false);
    approvals.grant(key);
    assert.equal(approvals.consume(key), true);
    assert.equal(approvals.consume(key), false);
  });
  it('an edited command line or another task is not approved', () => {
    const approvals = new OneShotApprovals();
    approvals.grant(taskApprovalKey(task, 'npm run db:reset'));
    assert.equal(approvals.consume(taskApprovalKey(task, 'npm run db:reset -- --force')), false);
    assert.equal(approvals.consume(taskApprovalKey({ ...task, name: 'other' }, 'npm run db:reset')), false);
  });
  it('an approval expires', () => {
    let now = 1000;
    const approvals = new OneShotApprovals({ ttlMs: 50, now: () => now });
    const key = taskApprovalKey(task, 'x');
    approvals.grant(key);
    now += 51;
    assert.equal(approvals.consume(key), false);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { updateReadonlyInclude } from '../../../src/files/readonly-include.js';

describe('files.readonlyInclude kept in step with protectedPaths', () => {
  it('adds the protected globs to an empty setting', () => {
    const u = updateReadonlyInclude(undefined, [], ['.env*', 'migrations/**']);
    assert.deepEqual(u.value, { '.env*': true, 'migrations/**': true });
    assert.deepEqual(u.owned, ['.env*', 'migrations/**']);
    assert.equal(u.changed, true);
  });
  it('keeps the person\'s entries and removes only its own stale ones', () => {
    const u = updateReadonlyInclude({ 'vendor/**': true, '.env*': true, 'old/**': true }, ['.env*', 'old/**'], ['.env*']);
    assert.deepEqual(u.value, { 'vendor/**': true, '.env*': true });
    assert.deepEqual(u.owned, ['.env*']);
  });
  it('a person\'s false for a protected glob wins and is not owned', () => {
    const u = updateReadonlyInclude({ '.env*': false }, [], ['.env*']);
    assert.deepEqual(u.value, { '.env*': false });
    assert.deepEqual(u.owned, []);
    assert.equal(u.changed, false);
  });
  it('a glob the person had already set is not taken over (not removed later)', () => {
    const first = updateReadonlyInclude({ 'db/**': true }, [], ['db/**']);
    assert.deepEqual(first.owned, []);
    const second = updateReadonlyInclude(first.value, first.owned, []);
    assert.deepEqual(second.value, { 'db/**': true });
  });
  it('nothing to change is reported as unchanged; an empty result removes the setting', () => {
    assert.equal(updateReadonlyInclude({ 'a/**': true }, ['a/**'], ['a/**']).changed, false);
    const u = updateReadonlyInclude({ 'a/**': true }, ['a/**'], []);
    assert.equal(u.value, undefined);
    assert.equal(u.changed, true);
  });
});

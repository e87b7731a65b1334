// The bypass alert: one wording for both ways bypass detection catches a command, each saying what was done.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { presentBypassAlert } from '../../../src/extension/presenters/bypass-alert.js';
import { check } from '../helpers/engine.js';

describe('presentBypassAlert', () => {
  it('says what was done, why it needs a person, and how to guard the terminal again', async () => {
    const line = 'curl -X DELETE https://api.example.com/v1/database';
    const verdict = await check(line);
    const interrupted = presentBypassAlert('bash', line, verdict, { by: 'shell-integration' });
    const stopped = presentBypassAlert('bare', line, verdict, { by: 'process-monitor', pid: 42, killed: [42, 43] });
    assert.equal(interrupted.message, 'Agent Guardrails interrupted a command in terminal "bash" that ran past the terminal guard');
    assert.equal(stopped.message, 'Agent Guardrails interrupted a command in terminal "bare" that ran past the terminal guard');
    assert.match(interrupted.detail, /Ctrl\+C was sent/);
    assert.match(stopped.detail, /process monitor caught it as it started \(pid 42\) and stopped and killed it \(pid 42, 43\)/);
    assert.match(stopped.detail, /cannot be approved from here: run it again in a guarded terminal/);
    for (const text of [interrupted, stopped]) {
      assert.ok(text.detail.startsWith(line));
      assert.match(text.detail, /\[http\.delete-request\]/);
      assert.match(text.detail, /Restart Unguarded Terminals/);
    }
  });
});

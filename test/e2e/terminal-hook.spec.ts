// Journey: in a bash terminal with VS Code's shell integration, the hook asks before `rm -rf migrations` (a protected
// folder) runs: Don't run → the folder stays, the terminal prints the block line, VS Code still reports exit codes;
// Run once → it runs. A harmless command runs without any modal.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { auditEntries, waitForAudit } from './harness/audit.js';
import { openSession, type Session } from './harness/session.js';
import { openHookedTerminal, typeLine, waitForExecutionEnd, waitForTerminalGuard, waitForTerminalText } from './harness/terminal.js';

describe('terminal hook: rm -rf of a protected folder waits for the person', () => {
  let s: Session;
  let migrations: string;
  before(async () => {
    s = await openSession({
      fixtures: ['staging'],
      prepare: ([folder]) => {
        fs.mkdirSync(path.join(folder!, 'migrations'));
        fs.writeFileSync(path.join(folder!, 'migrations', '001_init.sql'), 'create table users(id int);\n');
      },
    });
    migrations = path.join(s.folders[0]!, 'migrations');
  });
  after(async () => { await s?.close(); });

  it('a harmless command runs without a modal; VS Code reports exit 0', () => s.step('terminal-harmless', async () => {
    await s.workbench.waitForStatus('STAGING');
    await waitForTerminalGuard(s.server);
    await openHookedTerminal(s.workbench);
    const before = auditEntries(s.server).length;
    await typeLine(s.workbench, 'echo harmless-$((6*7))');
    await waitForTerminalText(s.workbench, /harmless-42/);
    assert.equal(await waitForExecutionEnd(s.server, 'echo harmless-$((6*7))'), '0');
    assert.equal(await s.workbench.dialog().count(), 0, 'no modal');
    assert.deepEqual(auditEntries(s.server).slice(before), [], 'nothing audited');
  }));

  it("rm -rf migrations: the modal appears, Don't run → the folder stays, the block line, exit codes still right", () => s.step('terminal-cancel', async () => {
    await typeLine(s.workbench, 'rm -rf migrations');
    const text = await s.workbench.dialogText('needs your confirmation');
    assert.match(text, /rm -rf migrations/);
    assert.match(text, /terminal "bash"/, 'the requester is the terminal');
    await s.workbench.screenshot('terminal-hook-confirm');
    await s.workbench.clickDialogButton('needs your confirmation', "Don't run");
    const shown = await waitForTerminalText(s.workbench, /Agent Guardrails blocked: .+/);
    assert.match(shown, /Agent Guardrails blocked: cancelled: .*migrations/);
    const cancelled = await waitForAudit(s.server, 'cancelled', (e) => e.source === 'terminal' && e.outcome === 'cancelled');
    assert.equal(cancelled.command, 'rm -rf migrations');
    assert.equal(cancelled.requester, 'terminal "bash"');
    assert.ok(fs.existsSync(path.join(migrations, '001_init.sql')), 'the protected folder is still there');
    const status = await waitForExecutionEnd(s.server, 'rm -rf migrations');
    assert.notEqual(status, '0', 'VS Code sees the skipped command fail');
    await typeLine(s.workbench, 'echo ok-after-block');
    await waitForTerminalText(s.workbench, /\nok-after-block/);
    assert.equal(await waitForExecutionEnd(s.server, 'echo ok-after-block'), '0', 'the next command runs and reports exit 0');
    await s.workbench.screenshot('terminal-hook-blocked');
    assert.ok(fs.existsSync(path.join(migrations, '001_init.sql')));
  }));

  it('rm -rf migrations: Review… → Run once → it runs and the folder is gone', () => s.step('terminal-approve', async () => {
    await typeLine(s.workbench, 'rm -rf migrations');
    await s.workbench.clickDialogButton('needs your confirmation', 'Review…');
    await s.workbench.clickDialogButton('Run this command once', 'Run once');
    await waitForAudit(s.server, 'approved', (e) => e.source === 'terminal' && e.outcome === 'approved-by-person');
    assert.equal(await waitForExecutionEnd(s.server, 'rm -rf migrations', 1), '0');
    assert.equal(fs.existsSync(migrations), false, 'the folder is gone');
    assert.equal(await s.workbench.dialog().count(), 0, 'asked once, not once per simple command');
  }));
});

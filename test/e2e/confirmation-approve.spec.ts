// Journey: a destructive command in staging goes through the confirmation flow: cancelled at the first modal, then
// approved with "Review…" → "Run once"; once the policy asks for typed confirmation, approved by typing the name.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { auditEntries, waitForAudit } from './harness/audit.js';
import { openSession, type Session } from './harness/session.js';
import { eventually } from './harness/workbench.js';

const COMMAND = 'rm -rf data';

describe('confirmation flow: cancel, approve, typed approval', () => {
  let s: Session;
  let data: string;
  before(async () => {
    s = await openSession({ fixtures: ['staging'] });
    data = path.join(s.folders[0]!, 'data');
  });
  after(async () => { await s?.close(); });

  it('Cancel at the first modal: nothing runs, the audit says cancelled', () => s.step('confirm-cancel', async () => {
    await s.workbench.waitForStatus('STAGING');
    await s.workbench.runGuarded(COMMAND);
    const text = await s.workbench.dialogText('needs your confirmation');
    assert.match(text, /STAGING/);
    assert.match(text, /rm -rf data/);
    assert.match(text, /fs\.rm-recursive/);
    assert.match(text, /asked by command palette/);
    await s.workbench.screenshot('confirm-step1');
    await s.workbench.clickDialogButton('needs your confirmation', 'Cancel');
    const entry = await waitForAudit(s.server, 'cancelled', (e) => e.outcome === 'cancelled');
    assert.equal(entry.command, COMMAND);
    assert.equal(entry.decision, 'confirm');
    assert.ok(fs.existsSync(data), 'data is still there');
  }));

  it('Enter declines: the default button of both steps is "Don\'t run"', () => s.step('confirm-enter-declines', async () => {
    const cancelledBefore = auditEntries(s.server).filter((e) => e.outcome === 'cancelled').length;
    await s.workbench.runGuarded(COMMAND);
    await s.workbench.waitForDialog('needs your confirmation');
    await s.workbench.page.keyboard.press('Enter');
    await s.workbench.waitForNoDialog();
    await eventually('a second cancelled entry', () => (auditEntries(s.server).filter((e) => e.outcome === 'cancelled').length > cancelledBefore ? true : undefined), 10_000);
    await s.workbench.runGuarded(COMMAND);
    await s.workbench.clickDialogButton('needs your confirmation', 'Review…');
    await s.workbench.waitForDialog('Run this command once');
    await s.workbench.page.keyboard.press('Enter');
    await s.workbench.waitForNoDialog();
    await eventually('a third cancelled entry', () => (auditEntries(s.server).filter((e) => e.outcome === 'cancelled').length > cancelledBefore + 1 ? true : undefined), 10_000);
    assert.ok(fs.existsSync(data), 'data is still there');
  }));

  it('Review… → Run once: the command runs in the terminal', () => s.step('confirm-approve', async () => {
    await s.workbench.runGuarded(COMMAND);
    await s.workbench.clickDialogButton('needs your confirmation', 'Review…');
    const text = await s.workbench.dialogText('Run this command once');
    assert.doesNotMatch(text, /type/, 'staging without alwaysTyped: two clicks are enough');
    await s.workbench.screenshot('confirm-step2');
    await s.workbench.clickDialogButton('Run this command once', 'Run once');
    await waitForAudit(s.server, 'approved', (e) => e.outcome === 'approved-by-person');
    await eventually('data to be deleted by the terminal', () => (fs.existsSync(data) ? undefined : true), 20_000);
  }));

  it('typed confirmation (policy tightened to alwaysTyped): typing the environment name runs it', () => s.step('confirm-typed', async () => {
    fs.mkdirSync(data, { recursive: true });
    fs.writeFileSync(path.join(data, 'seed.sql'), 'select 1;\n');
    const file = path.join(s.folders[0]!, '.vscode', 'guardrails.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"timeoutSeconds": 60', '"timeoutSeconds": 60, "alwaysTyped": true'));
    await waitForAudit(s.server, 'policy-tightened', (e) => e.outcome === 'policy-tightened');
    await s.workbench.runGuarded(COMMAND);
    await s.workbench.clickDialogButton('needs your confirmation', 'Review…');
    assert.match(await s.workbench.dialogText('Run this command once'), /Next you type "staging"/);
    await s.workbench.clickDialogButton('Run this command once', 'Run once');
    await s.workbench.quickInput().locator('.quick-input-message, .quick-input-title', { hasText: 'staging' }).first().waitFor({ timeout: 10_000 });
    await s.workbench.screenshot('confirm-typed');
    await s.workbench.submitInput('staging');
    // The person's second approval in the palette (the terminal hook's entries for the same line are audited too).
    await eventually('the second approval of Run Command Guarded…', () => (auditEntries(s.server).filter((e) => e.outcome === 'approved-by-person' && e.source === 'command').length === 2 ? true : undefined), 20_000);
    await eventually('data to be deleted again', () => (fs.existsSync(data) ? undefined : true), 20_000);
  }));
});

// Journey: a production workspace; a destructive command is refused by a wrong typed name, by Escape in the typed-name
// box and at step 1, then by nobody answering before the policy's timeout; the person reviews them in the audit view,
// exports them, and after a restart of the window still sees them (tooltip, view, export).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { auditEntries, waitForAudit } from './harness/audit.js';
import { openSession, type Session } from './harness/session.js';
import { eventually } from './harness/workbench.js';

const COMMAND = 'truncate -s 0 marker.txt';

describe('confirmation flow in production: wrong name, timeout, audit view', () => {
  let s: Session;
  before(async () => {
    s = await openSession({
      fixtures: ['production'],
      prepare: ([folder]) => {
        const file = path.join(folder!, '.vscode', 'guardrails.json');
        fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"timeoutSeconds": 60', '"timeoutSeconds": 10'));
        fs.writeFileSync(path.join(folder!, 'marker.txt'), 'before\n');
      },
    });
  });
  after(async () => { await s?.close(); });
  const cancelledCount = (): number => auditEntries(s.server).filter((e) => e.outcome === 'cancelled').length;

  it('a wrong typed name cancels', () => s.step('refuse-wrong-name', async () => {
    await s.workbench.waitForStatus('PRODUCTION');
    await s.workbench.runGuarded(COMMAND);
    assert.match(await s.workbench.dialogText('needs your confirmation'), /PRODUCTION/);
    await s.workbench.clickDialogButton('needs your confirmation', 'Review…');
    assert.match(await s.workbench.dialogText('Run this command once'), /Next you type "production"/);
    await s.workbench.clickDialogButton('Run this command once', 'Run once');
    await s.workbench.submitInput('prod', 'Type "production"');
    const entry = await waitForAudit(s.server, 'wrong-confirmation', (e) => e.outcome === 'wrong-confirmation');
    assert.equal(entry.command, COMMAND);
    assert.equal(entry.tier, 'production');
    // The input box hides asynchronously after the answer; wait for it rather than sampling it once.
    await s.workbench.quickInput().waitFor({ state: 'hidden', timeout: 10_000 });
    assert.equal(fs.readFileSync(path.join(s.folders[0]!, 'marker.txt'), 'utf8'), 'before\n', 'not truncated');
  }));

  it('Escape at the typed-name box cancels', () => s.step('refuse-escape-typed', async () => {
    await s.workbench.runGuarded(COMMAND);
    await s.workbench.clickDialogButton('needs your confirmation', 'Review…');
    await s.workbench.clickDialogButton('Run this command once', 'Run once');
    const box = s.workbench.page.locator('.quick-input-widget', { hasText: 'Type "production"' });
    await box.waitFor({ state: 'visible', timeout: 10_000 });
    await box.locator('input').first().fill('productio');
    await s.workbench.page.keyboard.press('Escape');
    await box.waitFor({ state: 'hidden', timeout: 10_000 });
    const entry = await waitForAudit(s.server, 'cancelled at the typed name', (e) => e.outcome === 'cancelled');
    assert.equal(entry.command, COMMAND);
    assert.equal(fs.readFileSync(path.join(s.folders[0]!, 'marker.txt'), 'utf8'), 'before\n', 'not truncated');
  }));

  it('Escape at step 1 cancels', () => s.step('refuse-escape-step1', async () => {
    await s.workbench.runGuarded(COMMAND);
    await s.workbench.dismissDialog('needs your confirmation');
    await eventually('a second cancelled entry (Escape at step 1)', () => (cancelledCount() >= 2 ? true : undefined));
    await s.workbench.page.waitForTimeout(1000);
    assert.equal(await s.workbench.dialog('Run this command once').count(), 0, 'no second step');
    assert.equal(fs.readFileSync(path.join(s.folders[0]!, 'marker.txt'), 'utf8'), 'before\n', 'not truncated');
  }));

  it('no answer before the policy timeout (10 s) cancels; a late click does not run it', () => s.step('refuse-timeout', async () => {
    const started = Date.now();
    await s.workbench.runGuarded(COMMAND);
    await s.workbench.waitForDialog('needs your confirmation');
    const entry = await waitForAudit(s.server, 'timed-out', (e) => e.outcome === 'timed-out', 25_000);
    const waited = (Date.parse(entry.time) - started) / 1000;
    assert.ok(waited >= 9 && waited < 20, `timed out after ${waited} s`);
    // The modal cannot be closed by the extension; answering it now leads nowhere.
    await s.workbench.clickDialogButton('needs your confirmation', 'Review…');
    await s.workbench.page.waitForTimeout(1500);
    assert.equal(await s.workbench.dialog('Run this command once').count(), 0, 'no second step after the timeout');
    assert.equal(fs.readFileSync(path.join(s.folders[0]!, 'marker.txt'), 'utf8'), 'before\n', 'not truncated');
  }));

  it('the audit view lists both refusals under today, newest first', () => s.step('refuse-audit-view', async () => {
    await s.workbench.runCommand('Guardrails: Show Audit Log');
    const sidebar = s.workbench.page.locator('#workbench\\.parts\\.sidebar');
    await sidebar.locator('.title-label', { hasText: 'Audit Log' }).first().waitFor({ timeout: 10_000 });
    const rows = sidebar.locator('.monaco-list-row', { hasText: COMMAND });
    await rows.first().waitFor({ timeout: 10_000 });
    const texts = await rows.allInnerTexts();
    assert.equal(texts.length, 4, JSON.stringify(texts));
    assert.match(texts[0]!, /timed-out/);
    assert.match(texts[1]!, /cancelled/);
    assert.match(texts[2]!, /cancelled/);
    assert.match(texts[3]!, /wrong-confirmation/);
    await sidebar.locator('.monaco-list-row', { hasText: 'Today' }).first().waitFor({ timeout: 5000 });
    await s.workbench.screenshot('audit-view');
  }));

  it('Export Audit Log… writes the entries as JSON lines where the person chooses', () => s.step('refuse-export', async () => {
    const target = path.join(s.folders[0]!, 'audit-export.jsonl');
    // code-server's save dialog is VS Code's simple file dialog: a quick input holding the path.
    await s.workbench.runCommandWithInput('Guardrails: Export Audit Log…', 'Export Audit Log', target);
    const text = await eventually('the exported file', () => (fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined));
    const outcomes = text.trim().split('\n').map((l) => (JSON.parse(l) as { outcome: string }).outcome);
    assert.deepEqual(outcomes.filter((o) => o !== 'policy-accepted'), ['wrong-confirmation', 'cancelled', 'cancelled', 'timed-out']);
    fs.rmSync(target);
  }));

  it('after a restart of the window: the tooltip\'s "Last decisions", the audit view and the export keep the earlier session\'s entries', () => s.step('refuse-restart', async () => {
    await s.workbench.page.reload({ timeout: 30_000, waitUntil: 'domcontentloaded' });
    await s.workbench.page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
    await s.workbench.waitForStatus('PRODUCTION');
    // The log is read a second after activation; the tooltip then lists the last decisions of the earlier session.
    const tooltip = await eventually('"Last decisions" in the tooltip', async () => {
      const text = await s.workbench.statusTooltip();
      return /Last decisions/.test(text) ? text : undefined;
    }, 15_000);
    assert.match(tooltip, /confirm · timed-out: truncate -s 0 marker\.txt/);
    // A new decision in this session, then the view and the export: old and new entries, each once.
    await s.workbench.runGuarded(COMMAND);
    await s.workbench.dismissDialog('needs your confirmation');
    await eventually('a third cancelled entry', () => (cancelledCount() >= 3 ? true : undefined));
    await s.workbench.runCommand('Guardrails: Show Audit Log');
    const sidebar = s.workbench.page.locator('#workbench\\.parts\\.sidebar');
    const rows = sidebar.locator('.monaco-list-row', { hasText: COMMAND });
    await eventually('5 rows in the audit view', async () => ((await rows.count()) === 5 ? true : undefined), 10_000);
    const target = path.join(s.folders[0]!, 'audit-export-2.jsonl');
    await s.workbench.runCommandWithInput('Guardrails: Export Audit Log…', 'Export Audit Log', target);
    const text = await eventually('the exported file', () => (fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined));
    const outcomes = text.trim().split('\n').map((l) => (JSON.parse(l) as { outcome: string }).outcome);
    assert.deepEqual(outcomes.filter((o) => o !== 'policy-accepted'), ['wrong-confirmation', 'cancelled', 'cancelled', 'timed-out', 'cancelled']);
  }));
});

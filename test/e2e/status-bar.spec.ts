// Journey: a developer's workspace is raised from development to staging to production by editing the policy file;
// the environment indicator follows live, in the tier's colour. Screenshots: test-results/e2e/status-*.png.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSession, type Session } from './harness/session.js';

const policyFile = (folder: string): string => path.join(folder, '.vscode', 'guardrails.json');

function setEnvironment(folder: string, environment: string): void {
  const file = policyFile(folder);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"environment": "[a-z]+"/, `"environment": "${environment}"`));
}

describe('environment indicator follows the policy tier', () => {
  let s: Session;
  before(async () => { s = await openSession({ fixtures: ['development'] }); });
  after(async () => { await s?.close(); });

  it('development: plain indicator, policy details in the tooltip', () => s.step('status-development', async () => {
    const text = await s.workbench.waitForStatus('development');
    assert.match(text, /^development$/);
    const { actual, transparent } = await s.workbench.statusBackground('statusBarItem.errorBackground');
    assert.equal(actual, transparent, 'development has no background colour');
    const tooltip = await s.workbench.statusTooltip();
    assert.match(tooltip, /development \(development\)/);
    assert.match(tooltip, /1 block · 0 confirm · 0 allow/);
    assert.match(tooltip, /guardrails\.json/);
    await s.workbench.screenshot('status-development', s.workbench.page.locator('#workbench\\.parts\\.statusbar'));
    assert.match(s.server.extensionLog(), /activated in [\d.]+ ms/);
  }));

  it('staging: raising the tier applies at once, on the warning background', () => s.step('status-staging', async () => {
    setEnvironment(s.folders[0]!, 'staging');
    const text = await s.workbench.waitForStatus('STAGING');
    assert.equal(text, 'STAGING');
    const { actual, theme } = await s.workbench.statusBackground('statusBarItem.warningBackground');
    assert.equal(actual, theme);
    await s.workbench.screenshot('status-staging', s.workbench.page.locator('#workbench\\.parts\\.statusbar'));
  }));

  it('production: the error background', () => s.step('status-production', async () => {
    setEnvironment(s.folders[0]!, 'production');
    const text = await s.workbench.waitForStatus('PRODUCTION');
    assert.equal(text, 'PRODUCTION');
    const { actual, theme } = await s.workbench.statusBackground('statusBarItem.errorBackground');
    assert.equal(actual, theme);
    await s.workbench.screenshot('status-production', s.workbench.page.locator('#workbench\\.parts\\.statusbar'));
    await s.workbench.screenshot('workbench-production');
  }));

  it('click → the menu; "Restore from Backup…" says honestly that there are no backups yet', () => s.step('status-menu', async () => {
    await s.workbench.statusItem().click();
    const rows = s.workbench.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor({ timeout: 10_000 });
    const labels = (await rows.allInnerTexts()).map((t) => t.split('\n')[0]!.trim());
    for (const label of ['Open Policy', 'Explain a Command…', 'Run a Command Guarded…', 'Show Audit Log', 'Restore from Backup…']) {
      assert.ok(labels.some((l) => l.startsWith(label)), `menu has ${label}: ${JSON.stringify(labels)}`);
    }
    await s.workbench.screenshot('status-menu');
    await s.workbench.pickItem('Restore from Backup…');
    assert.match(await s.workbench.dialogText('No backups yet'), /outside the workspace/);
    await s.workbench.dismissDialog('No backups yet');
  }));

  it('menu → "Open Policy" opens the policy file', () => s.step('status-menu-open-policy', async () => {
    await s.workbench.statusItem().click();
    await s.workbench.pickItem('Open Policy');
    await s.workbench.page.locator('.tab', { hasText: 'guardrails.json' }).waitFor({ timeout: 10_000 });
    await s.workbench.page.locator('.monaco-editor .view-lines', { hasText: 'environment' }).first().waitFor({ timeout: 10_000 });
  }));

  it('menu → "Explain a Command…" shows the verdict and its reasons, and runs nothing', () => s.step('status-menu-explain', async () => {
    const marker = path.join(s.folders[0]!, 'explained.txt');
    await s.workbench.statusItem().click();
    await s.workbench.pickItem('Explain a Command…');
    await s.workbench.submitInput('rm -rf data && touch explained.txt', 'Explain Command');
    const text = await s.workbench.dialogText('in PRODUCTION');
    assert.match(text, /CONFIRM: would need a person in PRODUCTION/);
    assert.match(text, /fs\.rm-recursive/);
    assert.match(text, /Nothing was run\./);
    await s.workbench.dismissDialog('in PRODUCTION');
    await s.workbench.page.waitForTimeout(1000);
    assert.equal(fs.existsSync(marker), false, 'nothing ran');
  }));
});

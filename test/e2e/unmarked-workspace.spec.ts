// Journey: a workspace without a policy says so in the status bar and, once, in a notification whose "Create Policy…"
// starts the wizard; the person marks it as staging from the status bar menu; the indicator turns to STAGING.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parsePolicy } from '../../src/policy/load.js';
import { openSession, type Session } from './harness/session.js';
import { eventually } from './harness/workbench.js';

describe('unmarked workspace → Create Policy wizard', () => {
  let s: Session;
  before(async () => { s = await openSession({ fixtures: ['unmarked'] }); });
  after(async () => { await s?.close(); });

  it('a one-time notification is the visible call to action; "Create Policy…" starts the wizard', () => s.step('unmarked-notice', async () => {
    // The first step waits longest: activation on a loaded 2-core machine.
    await s.workbench.waitForStatus('Guardrails: unmarked', 90_000);
    const notice = s.workbench.notification('has no Agent Guardrails policy');
    await notice.waitFor({ timeout: 15_000 });
    assert.match(await notice.innerText(), /This workspace has no Agent Guardrails policy: only the built-in rules apply/);
    await s.workbench.screenshot('unmarked-notice');
    await notice.getByRole('button', { name: 'Create Policy…', exact: true }).click();
    // The wizard's first step: the tier.
    await s.workbench.page.locator('.quick-input-widget', { hasText: 'how critical is this workspace' }).waitFor({ state: 'visible', timeout: 10_000 });
    await s.workbench.pickItem('Staging');
    await s.workbench.page.locator('.quick-input-widget', { hasText: 'environment name' }).waitFor({ state: 'visible', timeout: 10_000 });
    // Leaving the wizard writes nothing; the status bar menu below completes it.
    await s.workbench.escapeQuickInput();
    await s.workbench.page.waitForTimeout(500);
    assert.equal(fs.existsSync(path.join(s.folders[0]!, '.vscode', 'guardrails.json')), false, 'no policy file from a cancelled wizard');
    assert.equal(await s.workbench.notification('has no Agent Guardrails policy').count(), 0, 'the notice is gone');
  }));

  it('the indicator says "unmarked" and offers to create a policy', () => s.step('unmarked-status', async () => {
    assert.equal(await s.workbench.waitForStatus('Guardrails: unmarked'), 'Guardrails: unmarked');
    const { actual, transparent } = await s.workbench.statusBackground('statusBarItem.warningBackground');
    assert.equal(actual, transparent);
    assert.match(await s.workbench.statusTooltip(), /No policy file: the built-in rules apply/);
    await s.workbench.screenshot('status-unmarked', s.workbench.page.locator('#workbench\\.parts\\.statusbar'));
  }));

  it('click → Create Policy… → staging, production identifiers → a commented policy file, live indicator', () => s.step('unmarked-wizard', async () => {
    await s.workbench.statusItem().click();
    await s.workbench.pickItem('Create Policy…');
    await s.workbench.pickItem('Staging');
    await s.workbench.submitInput('shop-staging', 'environment name');
    await s.workbench.submitInput('prod-db.internal, --context=prod, SHOP_PROD_*', 'production identifiers');
    const file = path.join(s.folders[0]!, '.vscode', 'guardrails.json');
    const text = await eventually('the policy file', () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined));
    assert.match(text, /^\/\/ /m, 'the file is commented');
    const parsed = parsePolicy(text, file);
    assert.ok(parsed.ok, JSON.stringify(parsed.issues));
    assert.equal(parsed.policy.environment, 'shop-staging');
    assert.equal(parsed.policy.tier, 'staging');
    assert.deepEqual(parsed.policy.environments.production?.match, ['prod-db.internal', '--context=prod', 'SHOP_PROD_*']);
    assert.equal(await s.workbench.waitForStatus('SHOP-STAGING'), 'SHOP-STAGING (staging)');
    const { actual, theme } = await s.workbench.statusBackground('statusBarItem.warningBackground');
    assert.equal(actual, theme);
    // The wizard opens the file it wrote.
    await s.workbench.page.locator('.tab', { hasText: 'guardrails.json' }).waitFor({ timeout: 10_000 });
    await s.workbench.screenshot('wizard-policy-file');
  }));
});

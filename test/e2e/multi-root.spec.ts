// Journey: a multi-root workspace with a staging and a production folder; the indicator shows the most critical
// (PRODUCTION), and its tooltip lists both folders.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openSession, type Session } from './harness/session.js';

describe('multi-root workspace: the most critical folder wins', () => {
  let s: Session;
  before(async () => { s = await openSession({ fixtures: ['staging', 'production', 'unmarked'] }); });
  after(async () => { await s?.close(); });

  it('shows PRODUCTION on the error background, all folders in the tooltip', () => s.step('multi-root', async () => {
    assert.equal(await s.workbench.waitForStatus('PRODUCTION'), 'PRODUCTION +2');
    const { actual, theme } = await s.workbench.statusBackground('statusBarItem.errorBackground');
    assert.equal(actual, theme);
    const tooltip = await s.workbench.statusTooltip();
    assert.match(tooltip, /staging: staging \(staging\)/);
    assert.match(tooltip, /production: production \(production\)/);
    assert.match(tooltip, /unmarked: unmarked/);
    // The unmarked folder gets the one-time call to action; "Not now" dismisses it.
    const notice = s.workbench.notification('has no Agent Guardrails policy');
    await notice.waitFor({ timeout: 15_000 });
    assert.match(await notice.innerText(), /The folder "unmarked" has no Agent Guardrails policy/);
    await notice.getByRole('button', { name: 'Not now', exact: true }).click();
    await notice.waitFor({ state: 'hidden', timeout: 10_000 });
    await s.workbench.statusItem().hover();
    await s.workbench.page.waitForTimeout(500);
    await s.workbench.screenshot('multi-root-tooltip');
  }));
});

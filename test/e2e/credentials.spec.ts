// Journey: a staging workspace whose .env holds a production token, opened by someone whose shell also exports one.
// The .env line is a diagnostic at the exact place (Problems panel), the status bar tooltip says a production token is
// reachable, and a new terminal no longer holds the exported production token (an unrelated variable stays).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSession, type Session } from './harness/session.js';
import { eventually } from './harness/workbench.js';

const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('credentials of production in a staging workspace: diagnostics, tooltip, masked in terminals', () => {
  let s: Session;
  let envFile: string;
  let envHash: string;
  before(async () => {
    // code-server (and so the extension host and its terminals) inherits these.
    process.env.SHOP_PROD_TOKEN = 'shp_live_e2e_0123456789abcdef';
    process.env.SHOP_VISIBLE = 'plain-value';
    s = await openSession({ fixtures: ['shop-staging'] });
    envFile = path.join(s.folders[0]!, '.env');
    envHash = sha256(envFile);
  });
  after(async () => {
    delete process.env.SHOP_PROD_TOKEN;
    delete process.env.SHOP_VISIBLE;
    await s?.close();
  });

  it('the .env line with the production token is a diagnostic at line 5, column 1', () => s.step('credentials-problems', async () => {
    await s.workbench.waitForStatus('STAGING');
    const panel = await s.workbench.openProblems();
    const row = panel.locator('.monaco-list-row', { hasText: 'production token is reachable' }).first();
    await row.waitFor({ timeout: 20_000 });
    const text = await row.innerText();
    assert.match(text, /SHOP_PROD_TOKEN \(line 5\)/);
    assert.match(text, /\[Ln 5, Col 1\]/);
    await s.workbench.screenshot('credentials-problems');
    assert.equal(sha256(envFile), envHash, '.env is only read');
  }));

  it('the status bar tooltip names the reachable production token', () => s.step('credentials-tooltip', async () => {
    const tooltip = await eventually('the credentials line', async () => {
      const text = await s.workbench.statusTooltip();
      return /production token is reachable/.test(text) ? text : undefined;
    }, 15_000, 500);
    assert.match(tooltip, /SHOP_PROD_TOKEN \(environment variable\)/);
    assert.match(tooltip, /\.env: a production token/);
  }));

  it('a new terminal has SHOP_PROD_TOKEN emptied; other variables are untouched', () => s.step('credentials-masked', async () => {
    await eventually('the mask', () => (/1 variable\(s\) masked/.test(s.server.extensionLog()) ? true : undefined), 15_000);
    await s.workbench.runCommand('Terminal: Create New Terminal');
    await s.workbench.page.locator('.terminal-wrapper.active .xterm').waitFor({ timeout: 15_000 });
    await s.workbench.page.waitForTimeout(1500);
    // `echo "$SHOP_PROD_TOKEN"` itself is blocked by the terminal guard (it names production); list the environment instead.
    await s.workbench.page.keyboard.type("env | grep -E '^SHOP_(PRO|VIS)' | sort | sed 's/^/got:/'");
    await s.workbench.page.keyboard.press('Enter');
    const text = await eventually('the env output', async () => {
      const t = await s.workbench.terminalText();
      return /got:SHOP_VISIBLE=plain-value/.test(t) ? t : undefined;
    }, 15_000);
    assert.doesNotMatch(text, /shp_live_e2e/, 'the production token is not in the terminal');
    const token = /got:SHOP_PROD_TOKEN=(\S*)/.exec(text);
    assert.ok(token === null || token[1] === '', `SHOP_PROD_TOKEN is empty or absent: ${token?.[0]}`);
    await s.workbench.screenshot('credentials-terminal');
  }));
});

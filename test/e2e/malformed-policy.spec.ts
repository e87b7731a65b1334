// Journey: the policy file gets a typo; the problem shows in the Problems panel at its line, the indicator turns to
// an error state, and strict rules apply meanwhile (even a staging command needs the name typed). Fixing it restores.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSession, type Session } from './harness/session.js';

describe('malformed policy → diagnostics, error state, strict rules', () => {
  let s: Session;
  let file: string;
  let original: string;
  before(async () => {
    s = await openSession({ fixtures: ['staging'] });
    file = path.join(s.folders[0]!, '.vscode', 'guardrails.json');
    original = fs.readFileSync(file, 'utf8');
  });
  after(async () => { await s?.close(); });

  it('a wrong tier is reported at its line in the Problems panel', () => s.step('malformed-diagnostics', async () => {
    await s.workbench.waitForStatus('STAGING');
    const broken = original.replace('"production": { "tier": "production"', '"production": { "tier": "prod"');
    assert.notEqual(broken, original);
    const offset = broken.indexOf('"prod"');
    const line = broken.slice(0, offset).split('\n').length;
    const column = offset - broken.lastIndexOf('\n', offset - 1);
    fs.writeFileSync(file, broken);

    assert.equal(await s.workbench.waitForStatus('policy invalid'), 'Guardrails: policy invalid');
    const { actual, theme } = await s.workbench.statusBackground('statusBarItem.errorBackground');
    assert.equal(actual, theme);
    const problems = await s.workbench.openProblems();
    const row = problems.locator('.monaco-list-row', { hasText: 'expected one of development|staging|production' }).first();
    await row.waitFor({ timeout: 15_000 });
    const rowText = await row.innerText();
    assert.match(rowText, new RegExp(`\\[Ln ${line}, Col ${column}\\]`), rowText);
    assert.match(rowText, /environments\.production\.tier/);
    // Opened in an editor, VS Code's JSON language service validates the file too, with the contributed schema.
    await s.workbench.runCommand('Guardrails: Open Policy');
    const schemaRow = problems.locator('.monaco-list-row', { hasText: /Value is not accepted/ }).first();
    await schemaRow.waitFor({ timeout: 20_000 });
    assert.match(await schemaRow.innerText(), new RegExp(`\\[Ln ${line}, Col ${column}\\]`));
    await s.workbench.screenshot('malformed-problems');
  }));

  it('meanwhile strict rules apply: a staging confirmation now needs the name typed', () => s.step('malformed-strict', async () => {
    await s.workbench.explain('git reset --hard');
    const text = await s.workbench.dialogText('CONFIRM');
    assert.match(text, /To confirm, a person types "staging"/);
    await s.workbench.dismissDialog('CONFIRM');
  }));

  it('fixing the file clears the problem and restores the indicator', () => s.step('malformed-fixed', async () => {
    fs.writeFileSync(file, original);
    assert.equal(await s.workbench.waitForStatus('STAGING'), 'STAGING');
    await s.workbench.page.locator('.markers-panel .monaco-list-row', { hasText: 'expected one of' }).first().waitFor({ state: 'detached', timeout: 15_000 });
    await s.workbench.explain('git reset --hard');
    const text = await s.workbench.dialogText('CONFIRM');
    assert.doesNotMatch(text, /To confirm, a person types/);
    await s.workbench.dismissDialog('CONFIRM');
  }));
});

describe('unreadable policy file → error state, strict defaults', () => {
  let s: Session;
  before(async () => {
    // The policy path is a directory: it exists, and reading it fails (a permission error would not stop root).
    s = await openSession({
      fixtures: ['staging'],
      prepare: ([folder]) => {
        const file = path.join(folder!, '.vscode', 'guardrails.json');
        fs.rmSync(file);
        fs.mkdirSync(file);
      },
    });
  });
  after(async () => { await s?.close(); });

  it('the indicator shows the error and strict defaults apply: production, name typed', () => s.step('unreadable-policy', async () => {
    assert.equal(await s.workbench.waitForStatus('policy invalid'), 'Guardrails: policy invalid');
    await s.workbench.explain('git reset --hard');
    const text = await s.workbench.dialogText('CONFIRM');
    assert.match(text, /production/);
    assert.match(text, /To confirm, a person types "production"/);
    await s.workbench.dismissDialog('CONFIRM');
  }));
});

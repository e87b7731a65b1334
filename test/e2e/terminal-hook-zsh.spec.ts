// Journey: in a zsh terminal with VS Code's shell integration (which chains through ZDOTDIR, like our hook), the
// hook asks before `rm -rf migrations` (a protected folder) runs: Don't run → the folder stays, the terminal prints
// the block line, VS Code's decoration shows a failure; a compound line is refused before any of it runs;
// Review… → Run once → typing "staging" → it runs. A harmless command runs without any modal.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { auditEntries, waitForAudit } from './harness/audit.js';
import { openSession, type Session } from './harness/session.js';
import {
  commandDecorations, openHookedShellTerminal, typeLine, waitForCommandDecorations, waitForExecutionEnd,
  waitForPrompt, waitForTerminalGuard, waitForTerminalText,
} from './harness/terminal.js';

/** A hash of a folder's files (names and contents), to compare before and after. */
function folderHash(folder: string): string {
  const hash = createHash('sha256');
  for (const name of fs.readdirSync(folder, { recursive: true }).map(String).sort()) {
    const full = path.join(folder, name);
    hash.update(`${name}\0`);
    if (fs.statSync(full).isFile()) hash.update(fs.readFileSync(full));
  }
  return hash.digest('hex');
}

/** Generous waits: the machine may be busy with other e2e runs (every wait polls and returns as soon as it can). */
const SLOW = 60_000;

describe('zsh terminal hook: rm -rf of a protected folder waits for the person', () => {
  let s: Session;
  let migrations: string;
  let db: string;
  let migrationsHash: string;
  let dbHash: string;
  before(async () => {
    s = await openSession({
      fixtures: ['shop-staging'],
      // Sticky scroll draws a second xterm into the terminal once a command scrolls out of view (zsh's command
      // detection makes it appear); the harness reads and clicks the terminal's only xterm.
      settings: { 'terminal.integrated.defaultProfile.linux': 'zsh', 'terminal.integrated.stickyScroll.enabled': false },
      prepare: ([folder]) => {
        fs.writeFileSync(path.join(folder!, 'db', 'seed.sql'), 'insert into users values (1);\n');
        // Approvals in this staging workspace need the environment name typed.
        const policy = path.join(folder!, '.vscode', 'guardrails.json');
        fs.writeFileSync(policy, fs.readFileSync(policy, 'utf8').replace('"timeoutSeconds": 60', '"timeoutSeconds": 60, "alwaysTyped": true'));
      },
    });
    migrations = path.join(s.folders[0]!, 'migrations');
    db = path.join(s.folders[0]!, 'db');
    migrationsHash = folderHash(migrations);
    dbHash = folderHash(db);
  });
  after(async () => { await s?.close(); });

  it('a zsh terminal: shell integration active, the hook said hello; a harmless command runs with a success decoration', () => s.step('zsh-harmless', async () => {
    await s.workbench.waitForStatus('STAGING', 2 * SLOW);
    await waitForTerminalGuard(s.server);
    const hello = await openHookedShellTerminal(s.workbench, 'zsh', SLOW);
    assert.match(hello, /hello from zsh pid \d+ .*: interactive zsh 5\./);
    const before = auditEntries(s.server).length;
    await waitForPrompt(s.workbench, SLOW);
    await typeLine(s.workbench, 'echo harmless-$((6*7))');
    await waitForTerminalText(s.workbench, /\nharmless-42/, SLOW);
    assert.equal(await waitForExecutionEnd(s.server, 'echo harmless-$((6*7))', 0, SLOW), '0', "VS Code's zsh shell integration reports the command and its exit code");
    assert.deepEqual(await waitForCommandDecorations(s.workbench, { success: 1, error: 0 }, SLOW), { success: 1, error: 0 });
    assert.equal(await s.workbench.dialog().count(), 0, 'no modal');
    assert.deepEqual(auditEntries(s.server).slice(before), [], 'nothing audited');
  }));

  it("rm -rf migrations: the modal appears, Don't run → the folder stays, the block line, a failure decoration", () => s.step('zsh-cancel', async () => {
    await waitForPrompt(s.workbench, SLOW);
    await typeLine(s.workbench, 'rm -rf migrations');
    await s.workbench.waitForDialog('needs your confirmation', SLOW);
    const text = await s.workbench.dialogText('needs your confirmation');
    assert.match(text, /rm -rf migrations/);
    assert.match(text, /terminal "zsh"/, 'the requester is the zsh terminal');
    await s.workbench.screenshot('terminal-zsh-confirm');
    await s.workbench.clickDialogButton('needs your confirmation', "Don't run");
    const shown = await waitForTerminalText(s.workbench, /Agent Guardrails blocked: .+/, SLOW);
    assert.match(shown, /Agent Guardrails blocked: cancelled: .*migrations/);
    const cancelled = await waitForAudit(s.server, 'cancelled', (e) => e.source === 'terminal' && e.outcome === 'cancelled', SLOW);
    assert.equal(cancelled.command, 'rm -rf migrations');
    assert.equal(cancelled.requester, 'terminal "zsh"');
    assert.equal(folderHash(migrations), migrationsHash, 'the protected folder is unchanged');
    assert.notEqual(await waitForExecutionEnd(s.server, 'rm -rf migrations', 0, SLOW), '0', 'VS Code sees the skipped command fail');
    await waitForCommandDecorations(s.workbench, { success: 1, error: 1 }, SLOW);
    await waitForPrompt(s.workbench, SLOW);
    await typeLine(s.workbench, 'echo ok-after-block');
    await waitForTerminalText(s.workbench, /\nok-after-block/, SLOW);
    assert.equal(await waitForExecutionEnd(s.server, 'echo ok-after-block', 0, SLOW), '0', 'the next command runs and reports exit 0');
    assert.deepEqual(await waitForCommandDecorations(s.workbench, { success: 2, error: 1 }, SLOW), { success: 2, error: 1 });
    await s.workbench.screenshot('terminal-zsh-blocked');
    assert.equal(folderHash(migrations), migrationsHash);
  }));

  it("a compound line (echo … && rm -rf db) is refused before any of it runs", () => s.step('zsh-compound', async () => {
    const line = 'echo compound-$((2*3)) && rm -rf db';
    await waitForPrompt(s.workbench, SLOW);
    await typeLine(s.workbench, line);
    await s.workbench.waitForDialog('needs your confirmation', SLOW);
    const text = await s.workbench.dialogText('needs your confirmation');
    assert.match(text, /rm -rf db/);
    assert.doesNotMatch(await s.workbench.terminalText(), /\ncompound-6/, 'the echo waits for the answer too');
    await s.workbench.clickDialogButton('needs your confirmation', "Don't run");
    await waitForAudit(s.server, 'compound cancelled', (e) => e.source === 'terminal' && e.outcome === 'cancelled' && e.command === line, SLOW);
    assert.notEqual(await waitForExecutionEnd(s.server, line, 0, SLOW), '0');
    await waitForPrompt(s.workbench, SLOW);
    await typeLine(s.workbench, 'echo ok-after-compound');
    await waitForTerminalText(s.workbench, /\nok-after-compound/, SLOW);
    assert.doesNotMatch(await s.workbench.terminalText(), /\ncompound-6/, 'nothing of the refused line ran');
    assert.equal(folderHash(db), dbHash, 'db is unchanged');
    assert.deepEqual(await commandDecorations(s.workbench), { success: 3, error: 2 });
  }));

  it('rm -rf migrations: Review… → Run once → typing "staging" → it runs and the folder is gone', () => s.step('zsh-approve', async () => {
    await waitForPrompt(s.workbench, SLOW);
    await typeLine(s.workbench, 'rm -rf migrations');
    await s.workbench.waitForDialog('needs your confirmation', SLOW);
    await s.workbench.clickDialogButton('needs your confirmation', 'Review…');
    assert.match(await s.workbench.dialogText('Run this command once'), /Next you type "staging"/);
    await s.workbench.clickDialogButton('Run this command once', 'Run once');
    await s.workbench.quickInput().locator('.quick-input-message, .quick-input-title', { hasText: 'staging' }).first().waitFor({ timeout: SLOW });
    await s.workbench.screenshot('terminal-zsh-typed');
    await s.workbench.submitInput('staging');
    await waitForAudit(s.server, 'approved', (e) => e.source === 'terminal' && e.outcome === 'approved-by-person', SLOW);
    assert.equal(await waitForExecutionEnd(s.server, 'rm -rf migrations', 1, SLOW), '0');
    assert.equal(fs.existsSync(migrations), false, 'the folder is gone');
    assert.equal(await s.workbench.dialog().count(), 0, 'asked once, not once per simple command');
    await waitForCommandDecorations(s.workbench, { success: 4, error: 2 }, SLOW);
    assert.equal(folderHash(db), dbHash, 'db is still unchanged');
  }));
});

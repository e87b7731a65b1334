// Journey: the backup before an approved `rm -rf migrations` fails (the store's total cap, agentGuardrails.backups.
// maxTotalMB, is smaller than the folder): a second modal asks whether to run without a backup. "Don't run" (the
// default) → the folder stays and the shell prints the block line; "Run without backup" → it runs. Both are audited.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitForAudit } from './harness/audit.js';
import { openSession, type Session } from './harness/session.js';
import { openHookedTerminal, typeLine, waitForExecutionEnd, waitForTerminalGuard, waitForTerminalText } from './harness/terminal.js';

describe('terminal backup failure: the person decides whether to run without a backup', () => {
  let s: Session;
  let migrations: string;
  before(async () => {
    s = await openSession({
      fixtures: ['staging'],
      settings: { 'agentGuardrails.backups.maxTotalMB': 1 },
      prepare: ([folder]) => {
        fs.mkdirSync(path.join(folder!, 'migrations'));
        fs.writeFileSync(path.join(folder!, 'migrations', 'dump.bin'), randomBytes(2 * 1024 * 1024));
      },
    });
    migrations = path.join(s.folders[0]!, 'migrations');
  });
  after(async () => { await s?.close(); });

  async function approve(): Promise<void> {
    await typeLine(s.workbench, 'rm -rf migrations');
    const text = await s.workbench.dialogText('needs your confirmation');
    assert.match(text, /Before it runs, 1 file \(2\.0 MiB\) under migrations\/ is copied to the backup store/);
    await s.workbench.clickDialogButton('needs your confirmation', 'Review…');
    await s.workbench.clickDialogButton('Run this command once', 'Run once');
  }

  it("the snapshot fails → Don't run: the folder stays, the block line, audited as cancelled", () => s.step('backup-failure-dont-run', async () => {
    await s.workbench.waitForStatus('STAGING');
    await waitForTerminalGuard(s.server);
    await openHookedTerminal(s.workbench);
    await approve();
    const text = await s.workbench.dialogText('The backup before this command failed');
    assert.match(text, /The backup store would hold 2\.0 MiB, over the limit of 1\.0 MiB/, text);
    await s.workbench.screenshot('terminal-backup-failed');
    await s.workbench.clickDialogButton('The backup before this command failed', "Don't run");
    await waitForTerminalText(s.workbench, /Agent Guardrails blocked: cancelled/);
    const entry = await waitForAudit(s.server, 'cancelled after the failed backup', (e) => e.source === 'terminal' && e.outcome === 'cancelled');
    assert.ok(entry.detail?.some((d) => /backup failed: .*; not run/.test(d)), JSON.stringify(entry.detail));
    assert.equal(entry.snapshots, undefined);
    assert.ok(fs.existsSync(path.join(migrations, 'dump.bin')), 'the folder is still there');
  }));

  it('the snapshot fails → Run without backup: it runs, audited as approved without a backup', () => s.step('backup-failure-run', async () => {
    await approve();
    await s.workbench.clickDialogButton('The backup before this command failed', 'Run without backup');
    const entry = await waitForAudit(s.server, 'approved without a backup', (e) => e.source === 'terminal' && e.outcome === 'approved-by-person');
    assert.ok(entry.detail?.some((d) => /the person ran it without a backup/.test(d)), JSON.stringify(entry.detail));
    assert.equal(await waitForExecutionEnd(s.server, 'rm -rf migrations', 1), '0');
    assert.equal(fs.existsSync(migrations), false, 'the folder is gone');
  }));
});

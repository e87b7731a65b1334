// Journey: in a bash terminal with VS Code's shell integration, the hook asks before `rm -rf migrations` (a protected
// folder) runs: Don't run → the folder stays, the terminal prints the block line, VS Code still reports exit codes;
// Run once → a snapshot of migrations/ lands in the backup store (global storage, outside the workspace) before the
// shell goes ahead, then it runs; "Restore from Backup…" brings the folder back byte for byte. A harmless command runs
// without any modal.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { backupManifests, hashTree, type BackupManifest } from './harness/backups.js';
import { auditEntries, waitForAudit } from './harness/audit.js';
import { openSession, type Session } from './harness/session.js';
import { openHookedTerminal, typeLine, waitForExecutionEnd, waitForTerminalGuard, waitForTerminalText } from './harness/terminal.js';
import { eventually } from './harness/workbench.js';

describe('terminal hook: rm -rf of a protected folder waits for the person', () => {
  let s: Session;
  let migrations: string;
  let original: Record<string, string>;
  const manifests = (): BackupManifest[] => backupManifests(s.server);
  before(async () => {
    s = await openSession({
      fixtures: ['staging'],
      prepare: ([folder]) => {
        fs.mkdirSync(path.join(folder!, 'migrations', 'seed'), { recursive: true });
        fs.writeFileSync(path.join(folder!, 'migrations', '001_init.sql'), 'create table users(id int);\n');
        fs.writeFileSync(path.join(folder!, 'migrations', 'seed', 'users.bin'), randomBytes(4096));
      },
    });
    migrations = path.join(s.folders[0]!, 'migrations');
    original = hashTree(migrations);
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
    assert.match(text, /Before it runs, 2 files \(4\.\d KiB\) under migrations\/ are copied to the backup store/, 'the backup line');
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

  it('rm -rf migrations: Review… → Run once → backed up first, then it runs and the folder is gone', () => s.step('terminal-approve', async () => {
    const terminalSnapshots = (): BackupManifest[] => manifests().filter((m) => m.source === 'terminal');
    assert.deepEqual(terminalSnapshots(), [], 'no terminal snapshot before the approval');
    await typeLine(s.workbench, 'rm -rf migrations');
    await s.workbench.clickDialogButton('needs your confirmation', 'Review…');
    const step2 = await s.workbench.dialogText('Run this command once');
    assert.match(step2, /Before it runs, 2 files .* under migrations\/ are copied to the backup store/);
    await s.workbench.screenshot('terminal-hook-backup-confirm');
    await s.workbench.clickDialogButton('Run this command once', 'Run once');
    const approved = await waitForAudit(s.server, 'approved', (e) => e.source === 'terminal' && e.outcome === 'approved-by-person');
    assert.equal(await waitForExecutionEnd(s.server, 'rm -rf migrations', 1), '0');
    assert.equal(fs.existsSync(migrations), false, 'the folder is gone');
    assert.equal(await s.workbench.dialog().count(), 0, 'asked once, not once per simple command');
    // The snapshot holds the folder's content, so it was taken before the rm ran; the audit entry names it.
    const [snapshot] = terminalSnapshots();
    assert.ok(snapshot, `a snapshot with source terminal: ${JSON.stringify(manifests().map((m) => [m.source, m.operation, m.reason]))}`);
    assert.equal(snapshot.operation, 'delete');
    assert.equal(snapshot.reason, 'rm -rf migrations in terminal "bash"');
    assert.deepEqual(Object.fromEntries(snapshot.files.map((f) => [path.relative('migrations', f.path), f.sha256])), original, 'every file, by content hash');
    assert.ok(!s.server.userDataDir.startsWith(s.folders[0]!), 'the store is outside the workspace');
    assert.deepEqual(approved.snapshots, [snapshot.id], 'the audit entry records the snapshot');
  }));

  it('"Restore from Backup…" brings migrations/ back byte for byte', () => s.step('terminal-restore', async () => {
    await s.workbench.runCommand('Guardrails: Restore from Backup…');
    await s.workbench.pickItem(/Deleted[\s\S]*rm -rf migrations in terminal/);
    await eventually('migrations restored', () => (fs.existsSync(migrations) && JSON.stringify(hashTree(migrations)) === JSON.stringify(original) ? true : undefined), 15_000);
    assert.deepEqual(hashTree(migrations), original, 'byte for byte');
    await waitForAudit(s.server, 'restored', (e) => e.outcome === 'restored' && e.requester === 'Restore from Backup');
  }));
});

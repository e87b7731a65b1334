// Journey: a protected folder (migrations/) is deleted from the Explorer and then by an extension's
// workspace.applyEdit; each time a backup exists outside the workspace before the confirmation, and declining restores
// it byte for byte. A protected file deleted by a plain `rm` outside VS Code comes back from its shadow copy through
// "Restore from Backup…", and a restore over a changed file asks instead of overwriting it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { backupManifests, hashTree, type BackupManifest } from './harness/backups.js';
import { auditEntries, waitForAudit } from './harness/audit.js';
import { helperExtensionVsix } from './harness/helper-extension.js';
import { openSession, type Session } from './harness/session.js';
import { eventually } from './harness/workbench.js';

describe('file guard: backups before deletes, declined deletes restored, shadow copies, restore command', () => {
  let s: Session;
  let folder: string;
  let migrations: string;
  let before_: Record<string, string>;
  const manifests = (): BackupManifest[] => backupManifests(s.server);

  before(async () => {
    s = await openSession({ fixtures: ['shop-staging'], extraExtensions: [helperExtensionVsix()] });
    folder = s.folders[0]!;
    migrations = path.join(folder, 'migrations');
    before_ = hashTree(migrations);
  });
  after(async () => { await s?.close(); });

  async function declineAndExpectRestore(what: string): Promise<void> {
    const text = await s.workbench.dialogText('needs your confirmation');
    assert.match(text, /migrations/);
    assert.match(text, /file\.protected-path/);
    assert.match(text, /wants to delete 2 files in migrations\/, which needs your confirmation/, 'the modal speaks of files, not of a command');
    const deletes = manifests().filter((m) => m.operation === 'delete');
    assert.ok(deletes.length > 0, 'a backup exists outside the workspace before the person is asked');
    assert.ok(deletes.at(-1)!.files.some((f) => f.path === 'migrations/001_users.sql'), JSON.stringify(deletes.at(-1)));
    assert.ok(!s.server.userDataDir.startsWith(folder), 'the store is outside the workspace');
    await s.workbench.screenshot(`file-confirm-${what}`);
    await s.workbench.clickDialogButton('needs your confirmation', 'Cancel');
    await eventually('migrations restored', () => (fs.existsSync(migrations) && JSON.stringify(hashTree(migrations)) === JSON.stringify(before_) ? true : undefined), 15_000);
    assert.deepEqual(hashTree(migrations), before_, 'byte for byte');
  }

  it('Explorer delete of migrations/: backed up, declined, restored', () => s.step('file-explorer-delete', async () => {
    await s.workbench.waitForStatus('STAGING');
    // The shadow copy of the protected files runs after activation.
    await eventually('the first shadow copy', () => (manifests().some((m) => m.operation === 'shadow') ? true : undefined), 20_000);
    const row = s.workbench.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'migrations' }).first();
    // VS Code asks first: the folder is read-only (files.readonlyInclude, kept in step with protectedPaths by the
    // extension), then "delete permanently / move to trash?". The person goes ahead with both. The extension writes
    // the setting a moment after activation; until VS Code applies it, Delete asks only the plain question: answer
    // Cancel (nothing is deleted) and press Delete again, until the read-only question shows (or the step times out).
    const readonly = s.workbench.dialog('configured to be read-only');
    await eventually('VS Code\'s read-only question', async () => {
      if (await readonly.count() > 0) return true;
      const plain = s.workbench.dialog(/permanently delete|move .* to (the )?trash/i);
      if (await plain.count() > 0) {
        await plain.first().getByRole('button', { name: 'Cancel', exact: true }).click({ timeout: 2_000 });
        await plain.first().waitFor({ state: 'hidden', timeout: 5_000 });
      }
      await row.click();
      await s.workbench.page.keyboard.press('Delete');
      await readonly.first().waitFor({ timeout: 2_000 }).catch(() => undefined);
      return (await readonly.count()) > 0 ? true : undefined;
    }, 30_000, 500);
    await s.workbench.screenshot('file-readonly-delete');
    await readonly.first().getByRole('button', { name: 'Continue', exact: true }).click();
    const ours = s.workbench.dialog('needs your confirmation');
    await eventually('VS Code\'s delete question or ours', async () => {
      if (await ours.count() > 0) return true;
      // VS Code's own question only: ours speaks of deleting too, and has no Delete button to wait for.
      const vs = s.workbench.page.locator('.monaco-dialog-box', { hasText: /delete/i, hasNotText: 'needs your confirmation' });
      if (await vs.count() > 0) await vs.first().getByRole('button', { name: /^(Delete|Move to Trash)$/ }).first().click({ timeout: 2_000 }).catch(() => undefined);
      return undefined;
    }, 15_000, 300);
    await declineAndExpectRestore('explorer');
    await waitForAudit(s.server, 'restored (explorer)', (e) => e.outcome === 'restored' && e.source === 'file');
  }));

  it('workspace.applyEdit deleting migrations/ (an agent extension): declined, restored', () => s.step('file-applyedit-delete', async () => {
    const restoredBefore = auditEntries(s.server).filter((e) => e.outcome === 'restored').length;
    await s.workbench.runCommand('Guardrails Test: Delete via WorkspaceEdit…');
    await s.workbench.submitInput('migrations', 'Delete via WorkspaceEdit');
    await declineAndExpectRestore('applyedit');
    await eventually('a second restored entry', () => (auditEntries(s.server).filter((e) => e.outcome === 'restored').length > restoredBefore ? true : undefined));
  }));

  it('a protected file deleted by a plain rm outside VS Code comes back from its shadow copy', () => s.step('file-shadow-restore', async () => {
    const env = path.join(folder, '.env');
    const envHash = hashTree(folder)['.env']!;
    await eventually('.env in a shadow copy', () => (manifests().some((m) => m.operation === 'shadow' && m.files.some((f) => f.path === '.env')) ? true : undefined), 20_000);
    fs.rmSync(env);
    await s.workbench.runCommand('Guardrails: Restore from Backup…');
    await s.workbench.quickInput().locator('.monaco-list-row').first().waitFor({ timeout: 10_000 });
    await s.workbench.screenshot('restore-pick');
    await s.workbench.pickItem(/Shadow copy[\s\S]*\.env/);
    await eventually('.env restored', () => (fs.existsSync(env) ? true : undefined), 15_000);
    assert.equal(hashTree(folder)['.env'], envHash, '.env byte for byte');
  }));

  it('restoring over a changed file asks; Keep Both leaves the newer file and writes the backup beside it', () => s.step('file-restore-conflict', async () => {
    const file = path.join(migrations, '002_orders.sql');
    const original = fs.readFileSync(file);
    fs.writeFileSync(file, '-- 002: orders, edited after the backup\n');
    await s.workbench.runCommand('Guardrails: Restore from Backup…');
    // The backup taken before the Explorer delete (the shadow copy may already hold the edit).
    await s.workbench.pickItem(/Deleted · 2 files[\s\S]*migrations/);
    const text = await s.workbench.dialogText('differ from the backup');
    assert.match(text, /002_orders\.sql/);
    await s.workbench.screenshot('restore-conflict');
    await s.workbench.clickDialogButton('differ from the backup', 'Keep Both');
    const beside = await eventually('the restored copy beside it', () => fs.readdirSync(migrations).find((f) => f.startsWith('002_orders.restored')));
    assert.equal(fs.readFileSync(file, 'utf8'), '-- 002: orders, edited after the backup\n', 'the newer file is untouched');
    assert.deepEqual(fs.readFileSync(path.join(migrations, beside)), original, 'the backup content, byte for byte');
  }));
});

// Journey: a workspace whose backup store holds two backups of deletions, 10 and 9 days old. With keepDays 7 and
// keepAtLeast 1 in the settings, the retention run a little after start-up removes the older one and the content only
// it used, keeps the newer one (the floor) and the shadow copies, and says so in the output channel. No dialog.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXTENSION_ID } from './harness/code-server.js';
import { openSession, type Session } from './harness/session.js';
import { eventually } from './harness/workbench.js';

const DAY_MS = 24 * 60 * 60 * 1000;

interface Manifest { id: string; operation: string; files: { path: string }[] }

/** An id as the store makes them (UTC timestamp that sorts as text, 8 random hex digits). */
function snapshotId(time: Date): string {
  const iso = time.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}${iso.slice(20, 23)}Z-${randomBytes(4).toString('hex')}`;
}

/** Writes a backup of one deleted file into the store, as an older version of the extension would have: object, then manifest. */
function seedDeleteBackup(store: string, workspaceRoot: string, ageMs: number, rel: string, content: string): { id: string; object: string } {
  const time = new Date(Date.now() - ageMs);
  const sha = createHash('sha256').update(content).digest('hex');
  const object = path.join(store, 'objects', sha);
  fs.writeFileSync(object, content, { mode: 0o444 });
  fs.utimesSync(object, time, time); // stored long ago: past the grace period that protects content being written
  const id = snapshotId(time);
  const manifest = {
    version: 1, id, time: time.toISOString(), workspaceRoot, operation: 'delete', source: 'file-guard', reason: `deleted ${rel} in the Explorer`,
    paths: [rel], missing: [], files: [{ path: rel, sha256: sha, size: Buffer.byteLength(content), mode: 0o644, mtimeMs: time.getTime() }],
    symlinks: [], directories: [], skipped: [], totalBytes: Buffer.byteLength(content),
  };
  fs.writeFileSync(path.join(store, 'snapshots', `${id}.json`), `${JSON.stringify(manifest, null, 1)}\n`, { mode: 0o600 });
  return { id, object };
}

describe('backup retention: old backups pruned after start-up, the newest kept, logged', () => {
  let s: Session;
  let folder: string;
  const backupsRoot = (): string => path.join(s.server.userDataDir, 'User', 'globalStorage', EXTENSION_ID, 'backups');
  const manifestsIn = (store: string): Manifest[] => fs.readdirSync(path.join(store, 'snapshots'))
    .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(store, 'snapshots', f), 'utf8')) as Manifest);

  before(async () => {
    s = await openSession({
      fixtures: ['shop-staging'],
      settings: { 'agentGuardrails.backups.keepDays': 7, 'agentGuardrails.backups.keepAtLeast': 1 },
    });
    folder = s.folders[0]!;
  });
  after(async () => { await s?.close(); });

  it('the retention run removes the backup older than keepDays beyond the newest one, and frees its content', () => s.step('backup-retention', async () => {
    await s.workbench.waitForStatus('STAGING');
    // The first shadow copy creates the store a moment after activation; the retention run comes 30 s after that.
    const store = await eventually('the backup store with its first shadow copy', () => {
      if (!fs.existsSync(backupsRoot())) return undefined;
      const dir = fs.readdirSync(backupsRoot()).map((name) => path.join(backupsRoot(), name))[0];
      return dir !== undefined && fs.existsSync(path.join(dir, 'snapshots')) && manifestsIn(dir).some((m) => m.operation === 'shadow') ? dir : undefined;
    }, 30_000);
    const older = seedDeleteBackup(store, folder, 10 * DAY_MS, 'notes/old-plan.md', '# plan, ten days ago\n');
    const newer = seedDeleteBackup(store, folder, 9 * DAY_MS, 'notes/newer-plan.md', '# plan, nine days ago\n');
    const shadows = manifestsIn(store).filter((m) => m.operation === 'shadow').map((m) => m.id);

    const line = await eventually('the prune in the output channel', () => /backups of [^:]+: pruned 1 snapshot from [^\n]*/.exec(s.server.extensionLog())?.[0], 90_000, 1_000);
    assert.match(line, /\(delete\) older than the retention period \(agentGuardrails\.backups\.keepDays\); freed 21 B \(1 stored content\)$/);
    const left = manifestsIn(store).map((m) => m.id);
    assert.equal(left.includes(older.id), false, 'the older backup is gone');
    assert.equal(left.includes(newer.id), true, 'the newest backup stays (keepAtLeast 1)');
    for (const id of shadows) assert.ok(left.includes(id), `shadow copy ${id} stays`);
    assert.equal(fs.existsSync(older.object), false, 'its content is freed');
    assert.equal(fs.existsSync(newer.object), true);
    assert.equal(await s.workbench.page.locator('.monaco-dialog-box').count(), 0, 'no dialog');
  }));
});

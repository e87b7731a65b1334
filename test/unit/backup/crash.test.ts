// A process killed (SIGKILL) in the middle of snapshots leaves a store whose every manifest is complete and restorable.
// The same file is the child: with GUARDRAILS_CRASH_CHILD set it takes snapshots in a loop until it is killed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BackupStore } from '../../../src/backup/backup-store.js';
import { describeTree, pseudoRandomBytes, tempDirs, writeTree } from './helpers.js';

const CHILD = process.env['GUARDRAILS_CRASH_CHILD'];

async function runChild(workspace: string, store: string): Promise<void> {
  const backup = new BackupStore(store);
  for (let round = 1; ; round += 1) {
    // New content every round, so objects are written (not only deduplicated) when the kill lands.
    writeTree(workspace, Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`data/f${i}.bin`, pseudoRandomBytes(48 * 1024, round * 100 + i)])));
    const result = await backup.snapshot({ workspaceRoot: workspace, paths: ['data'], operation: 'delete', source: 'crash-test' });
    if (!result.ok) throw new Error(result.message);
    process.stdout.write(`${round}\n`);
  }
}

if (CHILD !== undefined) {
  const [workspace, store] = CHILD.split('\n');
  void runChild(workspace ?? '', store ?? '');
} else {
  describe('BackupStore: crash in the middle of a snapshot', () => {
    it('every manifest left behind is complete and restores byte for byte; orphans are collected', async () => {
      const dirs = tempDirs();
      try {
        const child = spawn(process.execPath, [__filename], { env: { ...process.env, GUARDRAILS_CRASH_CHILD: `${dirs.workspace}\n${dirs.store}` }, stdio: ['ignore', 'pipe', 'pipe'] });
        let rounds = 0;
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
        // Kill after a few completed snapshots, at a moment that is (almost always) mid-write.
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`child made no progress: ${stderr}`)); }, 20_000);
          child.stdout.on('data', (d: Buffer) => {
            rounds = Math.max(rounds, ...d.toString().trim().split('\n').map(Number));
            if (rounds >= 3) { clearTimeout(timer); setTimeout(() => { child.kill('SIGKILL'); resolve(); }, 7); }
          });
          child.on('exit', (code) => { if (rounds < 3) { clearTimeout(timer); reject(new Error(`child exited early (${code}): ${stderr}`)); } });
        });
        await new Promise((r) => child.once('close', r));

        const store = new BackupStore(dirs.store, { gcGraceMs: 0 });
        const verify = await store.verify();
        assert.deepEqual(verify.problems, []);
        const snapshots = await store.list();
        assert.ok(snapshots.length >= 3, `at least the 3 reported snapshots exist (found ${snapshots.length})`);
        for (const snapshot of snapshots.slice(0, 2)) {
          const target = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-crash-restore-'));
          try {
            const restored = await store.restore(snapshot.id, { targetRoot: target });
            assert.ok(restored.ok, JSON.stringify(restored));
            assert.equal(Object.values(describeTree(target)).filter((e) => e.type === 'file').length, 12);
          } finally {
            fs.rmSync(target, { recursive: true, force: true });
          }
        }
        const gc = await store.gc();
        assert.ok(gc.ok);
        assert.equal((await store.verify()).ok, true);
      } finally {
        dirs.cleanup();
      }
    });
  });
}

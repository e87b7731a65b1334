// The backup store on real temp folders: byte-for-byte round trips, deduplication, caps, conflicts, hash checks, pruning.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BackupStore, type RestoreResult, type SnapshotResult } from '../../../src/backup/backup-store.js';
import type { RestoreConflict } from '../../../src/backup/results.js';
import { backupStoreRoot, workspaceStoreId } from '../../../src/backup/workspace-store.js';
import { describeTree, pseudoRandomBytes, sha256, tempDirs, writeTree, type TempDirs } from './helpers.js';

function ok<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  assert.equal(result.ok, true, `expected ok, got ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

function failed<T extends { ok: boolean; reason?: string }>(result: T, reason: string): T {
  assert.equal(result.ok, false, `expected failure ${reason}, got ${JSON.stringify(result)}`);
  assert.equal((result as { reason?: string }).reason, reason, JSON.stringify(result));
  return result;
}

function objectCount(store: string): number {
  return fs.readdirSync(path.join(store, 'objects')).length;
}

function manifestCount(store: string): number {
  return fs.readdirSync(path.join(store, 'snapshots')).filter((n) => n.endsWith('.json') && !n.startsWith('.')).length;
}

/** A clock the test moves: `tick()` advances it one second, so snapshot ids and times are distinct and ordered. */
function manualClock(start = Date.parse('2025-03-01T10:00:00Z')): { now: () => Date; tick(): void; set(ms: number): void } {
  let t = start;
  return { now: () => new Date(t), tick: () => { t += 1000; }, set: (ms) => { t = ms; } };
}

describe('BackupStore: snapshot and restore', () => {
  let dirs: TempDirs;
  beforeEach(() => { dirs = tempDirs(); });
  afterEach(() => dirs.cleanup());

  it('round-trips a tree byte for byte: nested files, modes, empty folders, symlinks, unicode names, binary and empty files', async () => {
    const ws = dirs.workspace;
    writeTree(ws, {
      'app/index.js': 'console.log(1)\n',
      'app/deploy.sh': '#!/bin/sh\necho deploy\n',
      'app/données/résumé ✓.txt': 'naïve café 🚀\n',
      'app/binary.bin': pseudoRandomBytes(70_001, 7),
      'app/empty.txt': '',
      'app/secret.key': 'k',
    });
    fs.chmodSync(path.join(ws, 'app/deploy.sh'), 0o755);
    fs.chmodSync(path.join(ws, 'app/secret.key'), 0o600);
    fs.mkdirSync(path.join(ws, 'app/empty-dir/nested-empty'), { recursive: true });
    fs.symlinkSync('index.js', path.join(ws, 'app/link-to-index'));
    fs.symlinkSync('../nowhere/missing', path.join(ws, 'app/dangling'));
    const before = describeTree(ws);
    const mtimeBefore = fs.statSync(path.join(ws, 'app/index.js')).mtimeMs;

    const store = new BackupStore(dirs.store);
    const snap = ok(await store.snapshot({ workspaceRoot: ws, paths: ['app'], operation: 'delete', source: 'file-guard', reason: 'rm -rf app' }));
    assert.equal(snap.snapshot.fileCount, 6);
    assert.equal(snap.snapshot.operation, 'delete');

    fs.rmSync(path.join(ws, 'app'), { recursive: true });
    const restored = ok(await store.restore(snap.snapshot.id));
    assert.deepEqual(describeTree(ws), before);
    assert.ok(restored.restored.includes('app/empty-dir/nested-empty'));
    assert.ok(restored.restored.includes('app/données/résumé ✓.txt'));
    assert.ok(Math.abs(fs.statSync(path.join(ws, 'app/index.js')).mtimeMs - mtimeBefore) < 0.01, 'mtime restored');
    assert.deepEqual(fs.readdirSync(path.join(ws, 'app')).filter((n) => n.includes('guardrails-')), [], 'no temp files left');
  });

  it('writes a manifest with time, operation, source, files (path, sha256, size, mode) and empty folders', async () => {
    writeTree(dirs.workspace, { 'migrations/001.sql': 'create table a;', 'migrations/002.sql': 'drop table b;' });
    fs.mkdirSync(path.join(dirs.workspace, 'migrations/empty'));
    const store = new BackupStore(dirs.store);
    const snap = ok(await store.snapshot({ workspaceRoot: dirs.workspace, paths: [path.join(dirs.workspace, 'migrations')], operation: 'rename', source: 'terminal' }));
    const manifest = ok(await store.manifest(snap.snapshot.id)).manifest;
    assert.equal(manifest.operation, 'rename');
    assert.equal(manifest.source, 'terminal');
    assert.ok(!Number.isNaN(Date.parse(manifest.time)));
    assert.deepEqual(manifest.paths, ['migrations']);
    assert.deepEqual(manifest.files.map((f) => [f.path, f.sha256, f.size]), [
      ['migrations/001.sql', sha256('create table a;'), 15],
      ['migrations/002.sql', sha256('drop table b;'), 13],
    ]);
    assert.ok(manifest.files.every((f) => f.mode === (fs.statSync(path.join(dirs.workspace, f.path)).mode & 0o7777)));
    assert.deepEqual(manifest.directories.map((d) => [d.path, d.isEmpty]), [['migrations', false], ['migrations/empty', true]]);
    const onDisk = fs.readdirSync(path.join(dirs.store, 'snapshots'));
    assert.deepEqual(onDisk, [`${snap.snapshot.id}.json`]);
    assert.match(snap.snapshot.id, /^\d{8}T\d{9}Z-[0-9a-f]{8}$/);
  });

  it('stores identical content once: repeated snapshots and duplicate files cost nothing', async () => {
    writeTree(dirs.workspace, { 'a.txt': 'same', 'b/c.txt': 'same', 'd.txt': 'other' });
    const store = new BackupStore(dirs.store);
    const first = ok(await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['a.txt', 'b', 'd.txt'], operation: 'delete', source: 'test' }));
    assert.equal(objectCount(dirs.store), 2);
    assert.equal(first.storedBytes, 4 + 5);
    const second = ok(await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['a.txt', 'b', 'd.txt'], operation: 'delete', source: 'test' }));
    assert.equal(second.storedBytes, 0);
    assert.equal(objectCount(dirs.store), 2);
    assert.equal(await store.storedBytes(), 9);
    assert.deepEqual(fs.readdirSync(path.join(dirs.store, 'tmp')), []);
  });

  it('lists snapshots newest first', async () => {
    writeTree(dirs.workspace, { 'x.txt': '1' });
    const clock = manualClock();
    const store = new BackupStore(dirs.store, { now: clock.now });
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      clock.tick();
      fs.writeFileSync(path.join(dirs.workspace, 'x.txt'), String(i));
      ids.push(ok(await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['x.txt'], operation: `op${i}`, source: 'test' })).snapshot.id);
    }
    const listed = await store.list();
    assert.deepEqual(listed.map((s) => s.id), [...ids].reverse());
    assert.deepEqual(listed.map((s) => s.operation), ['op2', 'op1', 'op0']);
  });

  it('records a symlink without following it, even when it points at a folder outside the workspace', async () => {
    const outside = path.join(path.dirname(dirs.workspace), 'outside');
    writeTree(outside, { 'private.txt': 'not in the workspace' });
    fs.mkdirSync(path.join(dirs.workspace, 'sub'));
    fs.symlinkSync(outside, path.join(dirs.workspace, 'sub/out'));
    const store = new BackupStore(dirs.store);
    const snap = ok(await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['sub'], operation: 'delete', source: 'test' }));
    const manifest = ok(await store.manifest(snap.snapshot.id)).manifest;
    assert.deepEqual(manifest.files, []);
    assert.deepEqual(manifest.symlinks, [{ path: 'sub/out', target: outside }]);
    assert.equal(objectCount(dirs.store), 0);
  });

  it('records a FIFO as skipped and never reads it (reading would block)', async (t) => {
    try { execFileSync('mkfifo', [path.join(dirs.workspace, 'pipe')]); } catch { t.skip('mkfifo not available'); return; }
    writeTree(dirs.workspace, { 'f.txt': 'x' });
    const store = new BackupStore(dirs.store);
    const snap = ok(await store.snapshot({ workspaceRoot: dirs.workspace, paths: [''], operation: 'delete', source: 'test' }));
    const manifest = ok(await store.manifest(snap.snapshot.id)).manifest;
    assert.deepEqual(manifest.skipped, [{ path: 'pipe', type: 'fifo' }]);
    assert.deepEqual(manifest.files.map((f) => f.path), ['f.txt']);
  });

  it('round-trips a large file (24 MiB) with its hash intact', async () => {
    const big = pseudoRandomBytes(24 * 1024 * 1024, 42);
    writeTree(dirs.workspace, { 'data/dump.bin': big });
    const store = new BackupStore(dirs.store, { durable: false });
    const snap = ok(await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['data/dump.bin'], operation: 'delete', source: 'test' }));
    fs.rmSync(path.join(dirs.workspace, 'data/dump.bin'));
    ok(await store.restore(snap.snapshot.id));
    assert.equal(sha256(fs.readFileSync(path.join(dirs.workspace, 'data/dump.bin'))), sha256(big));
  });

  it('restores into another folder, or only some paths', async () => {
    writeTree(dirs.workspace, { 'a/1.txt': 'one', 'a/2.txt': 'two', 'b/3.txt': 'three' });
    const store = new BackupStore(dirs.store);
    const snap = ok(await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['a', 'b'], operation: 'delete', source: 'test' }));
    const elsewhere = path.join(path.dirname(dirs.workspace), 'elsewhere');
    ok(await store.restore(snap.snapshot.id, { targetRoot: elsewhere }));
    assert.deepEqual(describeTree(elsewhere), describeTree(dirs.workspace));
    fs.rmSync(path.join(dirs.workspace, 'a'), { recursive: true });
    fs.rmSync(path.join(dirs.workspace, 'b'), { recursive: true });
    const partial = ok(await store.restore(snap.snapshot.id, { paths: ['a/2.txt'] }));
    assert.deepEqual(partial.restored, ['a/2.txt']);
    assert.deepEqual(Object.keys(describeTree(dirs.workspace)), ['a', 'a/2.txt']);
  });

  it('restores folder modes after writing what they hold (a read-only folder)', async () => {
    writeTree(dirs.workspace, { 'ro/file.txt': 'content' });
    fs.chmodSync(path.join(dirs.workspace, 'ro'), 0o555);
    const store = new BackupStore(dirs.store);
    const snap = ok(await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['ro'], operation: 'delete', source: 'test' }));
    fs.chmodSync(path.join(dirs.workspace, 'ro'), 0o755);
    fs.rmSync(path.join(dirs.workspace, 'ro'), { recursive: true });
    ok(await store.restore(snap.snapshot.id));
    assert.equal(fs.statSync(path.join(dirs.workspace, 'ro')).mode & 0o777, 0o555);
    assert.equal(fs.readFileSync(path.join(dirs.workspace, 'ro/file.txt'), 'utf8'), 'content');
  });

  it('takes concurrent snapshots without losing any', async () => {
    writeTree(dirs.workspace, Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}.txt`, `content ${i}`])));
    const store = new BackupStore(dirs.store);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.snapshot({ workspaceRoot: dirs.workspace, paths: [`f${i}.txt`], operation: 'delete', source: 'test' })));
    assert.ok(results.every((r) => r.ok));
    assert.equal((await store.list()).length, 8);
    assert.equal(objectCount(dirs.store), 8);
    assert.equal((await store.verify()).ok, true);
  });

  it('gives each workspace its own store folder under global storage', () => {
    const a = backupStoreRoot('/g', '/home/me/shop');
    const b = backupStoreRoot('/g', '/home/other/shop');
    assert.notEqual(a, b);
    assert.match(workspaceStoreId('/home/me/shop'), /^shop-[0-9a-f]{16}$/);
    assert.equal(workspaceStoreId('/home/me/shop/'), workspaceStoreId('/home/me/shop'));
    assert.match(workspaceStoreId('/srv/données ✓'), /^donne-es-[0-9a-f]{16}$|^donnees-[0-9a-f]{16}$|^[0-9a-z.-]+-[0-9a-f]{16}$/);
    assert.ok(a.startsWith(path.join('/g', 'backups')));
  });
});

describe('BackupStore: typed failures, nothing partial', () => {
  let dirs: TempDirs;
  beforeEach(() => { dirs = tempDirs(); });
  afterEach(() => dirs.cleanup());

  it('refuses a snapshot over the per-snapshot cap and stores nothing', async () => {
    writeTree(dirs.workspace, { 'a.bin': pseudoRandomBytes(6000, 1), 'b.bin': pseudoRandomBytes(6000, 2) });
    const store = new BackupStore(dirs.store, { maxSnapshotBytes: 10_000 });
    const result = failed(await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['a.bin', 'b.bin'], operation: 'delete', source: 'test' }), 'too-large');
    assert.deepEqual({ scope: result.ok ? '' : (result as { scope: string }).scope, bytes: (result as { bytes: number }).bytes, limit: (result as { limit: number }).limit }, { scope: 'snapshot', bytes: 12_000, limit: 10_000 });
    assert.match(result.ok ? '' : result.message, /12 KiB, over the limit of 9\.8 KiB; nothing was backed up/);
    assert.equal(objectCount(dirs.store), 0);
    assert.equal(manifestCount(dirs.store), 0);
    assert.deepEqual(fs.readdirSync(path.join(dirs.store, 'tmp')), []);
  });

  it('refuses a snapshot that would push the store over its total cap; deduplicated content does not count', async () => {
    writeTree(dirs.workspace, { 'a.bin': pseudoRandomBytes(6000, 1), 'b.bin': pseudoRandomBytes(6000, 2) });
    const store = new BackupStore(dirs.store, { maxTotalBytes: 10_000 });
    ok(await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['a.bin'], operation: 'delete', source: 'test' }));
    const result = failed(await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['b.bin'], operation: 'delete', source: 'test' }), 'too-large');
    assert.equal((result as { scope: string }).scope, 'total');
    assert.equal((result as { bytes: number }).bytes, 12_000);
    assert.equal(objectCount(dirs.store), 1);
    assert.equal(manifestCount(dirs.store), 1);
    assert.deepEqual(fs.readdirSync(path.join(dirs.store, 'tmp')), []);
    ok(await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['a.bin'], operation: 'delete', source: 'test' }));
  });

  it('says not-found when no requested path exists, and lists the missing ones otherwise', async () => {
    const store = new BackupStore(dirs.store);
    const none = failed(await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['gone.txt'], operation: 'delete', source: 'test' }), 'not-found');
    assert.deepEqual(none.ok ? [] : 'paths' in none ? none.paths : [], ['gone.txt']);
    writeTree(dirs.workspace, { 'here.txt': 'x' });
    const some = ok(await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['here.txt', 'gone.txt'], operation: 'delete', source: 'test' }));
    assert.deepEqual(some.missing, ['gone.txt']);
  });

  it('refuses paths outside the workspace', async () => {
    const store = new BackupStore(dirs.store);
    for (const p of ['../store', '/etc/passwd']) {
      failed(await store.snapshot({ workspaceRoot: dirs.workspace, paths: [p], operation: 'delete', source: 'test' }), 'outside-workspace');
    }
    assert.equal(manifestCount(dirs.store), 0);
  });

  it('says unknown-snapshot for ids that do not exist or are not ids', async () => {
    const store = new BackupStore(dirs.store);
    failed(await store.restore('20250101T000000000Z-deadbeef'), 'unknown-snapshot');
    failed(await store.restore('../../etc/passwd'), 'unknown-snapshot');
  });
});

describe('BackupStore: restore never silently overwrites', () => {
  let dirs: TempDirs;
  let store: BackupStore;
  let snapshotId: string;
  beforeEach(async () => {
    dirs = tempDirs();
    writeTree(dirs.workspace, { 'cfg/app.json': '{"v":1}', 'cfg/db.json': '{"db":"old"}', 'cfg/keep.txt': 'keep' });
    store = new BackupStore(dirs.store, { now: manualClock().now });
    const snap = await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['cfg'], operation: 'delete', source: 'test' });
    assert.ok(snap.ok);
    snapshotId = snap.snapshot.id;
    // After the snapshot: one file deleted, one edited (newer), one untouched.
    fs.rmSync(path.join(dirs.workspace, 'cfg/app.json'));
    fs.writeFileSync(path.join(dirs.workspace, 'cfg/db.json'), '{"db":"NEW WORK"}');
    const future = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(dirs.workspace, 'cfg/db.json'), future, future);
  });
  afterEach(() => dirs.cleanup());

  it('by default lists the conflicts and writes nothing', async () => {
    const before = describeTree(dirs.workspace);
    const result = failed(await store.restore(snapshotId), 'conflicts') as Extract<RestoreResult, { reason: 'conflicts' }>;
    assert.deepEqual(result.conflicts.map((c) => [c.path, c.kind, c.isNewer, c.currentSize, c.snapshotSize]), [['cfg/db.json', 'modified', true, 17, 12]]);
    assert.match(result.message, /1 path differs from the backup \(cfg\/db\.json\); nothing was restored/);
    assert.deepEqual(describeTree(dirs.workspace), before);
  });

  it('asks a callback with every conflict before writing anything; skip keeps the newer file', async () => {
    const seen: RestoreConflict[][] = [];
    const result = ok(await store.restore(snapshotId, { onConflict: (conflicts) => { seen.push([...conflicts]); assert.equal(fs.existsSync(path.join(dirs.workspace, 'cfg/app.json')), false); return 'skip'; } }));
    assert.equal(seen.length, 1);
    assert.deepEqual(result.restored, ['cfg/app.json']);
    assert.deepEqual(result.unchanged, ['cfg/keep.txt']);
    assert.deepEqual(result.skipped, ['cfg/db.json']);
    assert.equal(fs.readFileSync(path.join(dirs.workspace, 'cfg/db.json'), 'utf8'), '{"db":"NEW WORK"}');
    assert.equal(fs.readFileSync(path.join(dirs.workspace, 'cfg/app.json'), 'utf8'), '{"v":1}');
    assert.equal(result.preRestoreSnapshotId, undefined);
  });

  it('cancel from the callback writes nothing', async () => {
    const before = describeTree(dirs.workspace);
    failed(await store.restore(snapshotId, { onConflict: async () => 'cancel' as const }), 'conflicts');
    assert.deepEqual(describeTree(dirs.workspace), before);
  });

  it('a throwing callback counts as cancel', async () => {
    const before = describeTree(dirs.workspace);
    failed(await store.restore(snapshotId, { onConflict: () => { throw new Error('dialog closed'); } }), 'conflicts');
    assert.deepEqual(describeTree(dirs.workspace), before);
  });

  it('overwrite backs up the newer file first, so it can be restored in turn', async () => {
    const result = ok(await store.restore(snapshotId, { onConflict: 'overwrite' }));
    assert.deepEqual([...result.restored].sort(), ['cfg/app.json', 'cfg/db.json']);
    assert.equal(fs.readFileSync(path.join(dirs.workspace, 'cfg/db.json'), 'utf8'), '{"db":"old"}');
    assert.ok(result.preRestoreSnapshotId);
    const pre = ok(await store.manifest(result.preRestoreSnapshotId));
    assert.equal(pre.manifest.operation, 'pre-restore');
    assert.deepEqual(pre.manifest.files.map((f) => [f.path, f.sha256]), [['cfg/db.json', sha256('{"db":"NEW WORK"}')]]);
    ok(await store.restore(result.preRestoreSnapshotId, { onConflict: 'overwrite' }));
    assert.equal(fs.readFileSync(path.join(dirs.workspace, 'cfg/db.json'), 'utf8'), '{"db":"NEW WORK"}');
  });

  it('keep-both writes the restored file beside the newer one', async () => {
    const result = ok(await store.restore(snapshotId, { onConflict: 'keep-both' }));
    assert.equal(result.keptBoth.length, 1);
    const written = result.keptBoth[0]!;
    assert.equal(written.path, 'cfg/db.json');
    assert.match(written.writtenTo, /^cfg\/db\.restored-\d{8}T\d{9}Z\.json$/);
    assert.equal(fs.readFileSync(path.join(dirs.workspace, written.writtenTo), 'utf8'), '{"db":"old"}');
    assert.equal(fs.readFileSync(path.join(dirs.workspace, 'cfg/db.json'), 'utf8'), '{"db":"NEW WORK"}');
    const again = ok(await store.restore(snapshotId, { onConflict: 'keep-both' }));
    assert.notEqual(again.keptBoth[0]?.writtenTo, written.writtenTo, 'a second keep-both does not overwrite the first');
  });

  it('takes per-path decisions; paths left out are skipped', async () => {
    fs.writeFileSync(path.join(dirs.workspace, 'cfg/keep.txt'), 'edited too');
    const result = ok(await store.restore(snapshotId, { onConflict: { 'cfg/keep.txt': 'overwrite' } }));
    assert.deepEqual(result.skipped, ['cfg/db.json']);
    assert.equal(fs.readFileSync(path.join(dirs.workspace, 'cfg/keep.txt'), 'utf8'), 'keep');
  });

  it('reports a folder replaced by a file as blocking, and overwrite keeps the file in a pre-restore snapshot', async () => {
    fs.rmSync(path.join(dirs.workspace, 'cfg'), { recursive: true });
    fs.writeFileSync(path.join(dirs.workspace, 'cfg'), 'a file where the folder was');
    const cancelled = failed(await store.restore(snapshotId), 'conflicts') as Extract<RestoreResult, { reason: 'conflicts' }>;
    assert.ok(cancelled.conflicts.some((c) => c.path === 'cfg' && c.kind === 'type-changed'));
    assert.ok(cancelled.conflicts.some((c) => c.path === 'cfg/app.json' && c.kind === 'blocked' && c.blockedBy === 'cfg'));
    const result = ok(await store.restore(snapshotId, { onConflict: 'overwrite' }));
    assert.equal(fs.readFileSync(path.join(dirs.workspace, 'cfg/db.json'), 'utf8'), '{"db":"old"}');
    const pre = ok(await store.manifest(result.preRestoreSnapshotId ?? ''));
    assert.deepEqual(pre.manifest.files.map((f) => [f.path, f.sha256]), [['cfg', sha256('a file where the folder was')]]);
  });

  it('does not write through a symlink that now stands where a folder was', async () => {
    const outside = path.join(path.dirname(dirs.workspace), 'outside');
    fs.mkdirSync(outside);
    fs.rmSync(path.join(dirs.workspace, 'cfg'), { recursive: true });
    fs.symlinkSync(outside, path.join(dirs.workspace, 'cfg'));
    const result = ok(await store.restore(snapshotId, { onConflict: 'skip' }));
    assert.deepEqual(result.restored, []);
    assert.deepEqual(fs.readdirSync(outside), []);
  });
});

describe('BackupStore: hashes, damage and crashes', () => {
  let dirs: TempDirs;
  beforeEach(() => { dirs = tempDirs(); });
  afterEach(() => dirs.cleanup());

  async function storeWithSnapshot(): Promise<{ store: BackupStore; id: string; object: string }> {
    writeTree(dirs.workspace, { 'a.txt': 'alpha', 'b.txt': 'beta' });
    const store = new BackupStore(dirs.store);
    const snap = await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['a.txt', 'b.txt'], operation: 'delete', source: 'test' });
    assert.ok(snap.ok);
    fs.rmSync(path.join(dirs.workspace, 'a.txt'));
    fs.rmSync(path.join(dirs.workspace, 'b.txt'));
    return { store, id: snap.snapshot.id, object: path.join(dirs.store, 'objects', sha256('beta')) };
  }

  it('refuses to restore from a damaged object and writes nothing', async () => {
    const { store, id, object } = await storeWithSnapshot();
    fs.chmodSync(object, 0o644);
    fs.writeFileSync(object, 'BETA');
    const result = failed(await store.restore(id), 'corrupt-object');
    assert.match(result.ok ? '' : result.message, /The backup of b\.txt is damaged/);
    assert.deepEqual(fs.readdirSync(dirs.workspace), []);
    const verify = await store.verify();
    assert.equal(verify.ok, false);
    assert.deepEqual(verify.problems.map((p) => p.path), ['b.txt']);
  });

  it('refuses to restore when an object is missing', async () => {
    const { store, id, object } = await storeWithSnapshot();
    fs.rmSync(object);
    failed(await store.restore(id), 'corrupt-object');
    assert.deepEqual(fs.readdirSync(dirs.workspace), []);
  });

  it('a damaged manifest is reported, left out of list(), and stops gc from deleting anything', async () => {
    const { store, id } = await storeWithSnapshot();
    fs.writeFileSync(path.join(dirs.store, 'snapshots', `${id}.json`), '{"version": 1, "id": "trunc');
    failed(await store.restore(id), 'corrupt-manifest');
    assert.deepEqual(await store.list(), []);
    const gcStore = new BackupStore(dirs.store, { gcGraceMs: 0 });
    failed(await gcStore.gc(), 'unreadable-manifests');
    assert.equal(objectCount(dirs.store), 2);
    assert.equal((await store.verify()).ok, false);
  });

  it('a manifest that names a path outside the workspace is damaged, not obeyed', async () => {
    const { store, id } = await storeWithSnapshot();
    const file = path.join(dirs.store, 'snapshots', `${id}.json`);
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { files: { path: string }[] };
    manifest.files[0]!.path = '../escaped.txt';
    fs.writeFileSync(file, JSON.stringify(manifest));
    failed(await store.restore(id), 'corrupt-manifest');
    assert.equal(fs.existsSync(path.join(path.dirname(dirs.workspace), 'escaped.txt')), false);
  });

  it('ignores what an interrupted write left behind (temp manifests, staged objects) and gc clears orphans', async () => {
    const { id } = await storeWithSnapshot();
    fs.writeFileSync(path.join(dirs.store, 'snapshots', `.${id}.json.guardrails-write-abc`), '{"half": ');
    fs.writeFileSync(path.join(dirs.store, 'tmp', 'deadbeef.part'), 'half an object');
    fs.writeFileSync(path.join(dirs.store, 'objects', sha256('orphan')), 'orphan');
    const store = new BackupStore(dirs.store, { gcGraceMs: 0 });
    assert.deepEqual((await store.list()).map((s) => s.id), [id]);
    const gc = ok(await store.gc());
    assert.equal(gc.removedObjects, 1);
    assert.equal(objectCount(dirs.store), 2);
    ok(await store.restore(id));
    assert.equal(fs.readFileSync(path.join(dirs.workspace, 'b.txt'), 'utf8'), 'beta');
  });
});

describe('BackupStore: pruning', () => {
  let dirs: TempDirs;
  beforeEach(() => { dirs = tempDirs(); });
  afterEach(() => dirs.cleanup());

  async function fiveSnapshots(store: BackupStore, clock: { tick(): void }): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      clock.tick();
      writeTree(dirs.workspace, { 'shared.txt': 'shared by all', 'v.txt': `version ${i}` });
      const snap: SnapshotResult = await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['shared.txt', 'v.txt'], operation: 'overwrite', source: 'test' });
      assert.ok(snap.ok);
      ids.push(snap.snapshot.id);
    }
    return ids;
  }

  it('keeps the newest N and removes the objects only the others used', async () => {
    const clock = manualClock();
    const store = new BackupStore(dirs.store, { now: clock.now, gcGraceMs: 0 });
    const ids = await fiveSnapshots(store, clock);
    assert.equal(objectCount(dirs.store), 6);
    const pruned = ok(await store.prune({ keepLast: 2 }));
    assert.deepEqual([...pruned.removedSnapshots].sort(), ids.slice(0, 3));
    assert.equal(pruned.removedObjects, 3);
    assert.equal(pruned.freedBytes, 3 * 'version 0'.length);
    assert.deepEqual((await store.list()).map((s) => s.id), [ids[4], ids[3]]);
    fs.rmSync(path.join(dirs.workspace, 'shared.txt'));
    ok(await store.restore(ids[3]!, { onConflict: 'overwrite' }));
    assert.equal(fs.readFileSync(path.join(dirs.workspace, 'shared.txt'), 'utf8'), 'shared by all');
    assert.equal(fs.readFileSync(path.join(dirs.workspace, 'v.txt'), 'utf8'), 'version 3');
    assert.equal((await store.verify()).ok, true);
  });

  it('removes snapshots older than a duration', async () => {
    const clock = manualClock(Date.parse('2025-03-01T00:00:00Z'));
    const store = new BackupStore(dirs.store, { now: clock.now, gcGraceMs: 0 });
    const ids = await fiveSnapshots(store, clock); // at 1 s, 2 s, … 5 s
    clock.set(Date.parse('2025-03-01T00:00:05.500Z'));
    const pruned = ok(await store.prune({ olderThanMs: 2000 })); // removes 1 s, 2 s, 3 s
    assert.deepEqual([...pruned.removedSnapshots].sort(), ids.slice(0, 3));
  });

  it('leaves recently written unreferenced objects alone (another window may be mid-snapshot)', async () => {
    const store = new BackupStore(dirs.store);
    fs.mkdirSync(path.join(dirs.store, 'objects'), { recursive: true });
    fs.writeFileSync(path.join(dirs.store, 'objects', sha256('in flight')), 'in flight');
    const gc = ok(await store.gc());
    assert.equal(gc.removedObjects, 0);
  });
});

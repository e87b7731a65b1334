// Shadow copies of protected files: only changed content is stored, unchanged files are not even read, deletions stay recoverable.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BackupStore } from '../../../src/backup/backup-store.js';
import { compileProtectedGlob, isProtectedRelative } from '../../../src/backup/shadow.js';
import { sha256, tempDirs, writeTree, type TempDirs } from './helpers.js';

const GLOBS = ['.env*', 'migrations/**', 'backups', '/config/secrets.json'];

function ok<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  assert.equal(result.ok, true, `expected ok, got ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

describe('shadowSync', () => {
  let dirs: TempDirs;
  let store: BackupStore;
  beforeEach(() => {
    dirs = tempDirs();
    writeTree(dirs.workspace, {
      '.env': 'DB=local',
      'api/.env.production': 'TOKEN=abc',
      'migrations/001.sql': 'create table a;',
      'backups/db.sql': 'dump',
      'config/secrets.json': '{}',
      'sub/config/secrets.json': 'not anchored here',
      'src/index.ts': 'not protected',
      'node_modules/x/.env': 'never walked',
    });
    store = new BackupStore(dirs.store);
  });
  afterEach(() => dirs.cleanup());

  it('first run backs up every protected file, and nothing else', async () => {
    const result = ok(await store.shadowSync(dirs.workspace, GLOBS));
    assert.deepEqual(result.changed, ['.env', 'api/.env.production', 'backups/db.sql', 'config/secrets.json', 'migrations/001.sql']);
    assert.ok(result.snapshotId);
    const manifest = ok(await store.manifest(result.snapshotId)).manifest;
    assert.equal(manifest.operation, 'shadow');
    assert.deepEqual(manifest.files.map((f) => f.path), result.changed);
  });

  it('a second run with nothing changed writes no snapshot and reads no file', async () => {
    ok(await store.shadowSync(dirs.workspace, GLOBS));
    // Unreadable files prove they are not read: size and mtime match, so the content is not looked at.
    const envFile = path.join(dirs.workspace, '.env');
    fs.chmodSync(envFile, 0o000);
    try {
      const again = ok(await store.shadowSync(dirs.workspace, GLOBS));
      assert.equal(again.snapshotId, undefined);
      assert.deepEqual(again.changed, []);
      assert.equal(again.unchanged, 5);
      assert.equal((await store.list()).length, 1);
    } finally {
      fs.chmodSync(envFile, 0o644);
    }
  });

  it('a touched file with the same content is hashed but not snapshotted', async () => {
    ok(await store.shadowSync(dirs.workspace, GLOBS));
    const future = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(dirs.workspace, '.env'), future, future);
    const again = ok(await store.shadowSync(dirs.workspace, GLOBS));
    assert.equal(again.snapshotId, undefined);
    assert.equal(again.unchanged, 5);
    const third = ok(await store.shadowSync(dirs.workspace, GLOBS));
    assert.equal(third.unchanged, 5, 'the new mtime was remembered');
  });

  it('snapshots only the changed file, and a deletion from outside VS Code stays recoverable', async () => {
    const first = ok(await store.shadowSync(dirs.workspace, GLOBS));
    fs.writeFileSync(path.join(dirs.workspace, 'migrations/001.sql'), 'create table a; -- edited');
    writeTree(dirs.workspace, { 'migrations/002.sql': 'alter table a;' });
    const second = ok(await store.shadowSync(dirs.workspace, GLOBS));
    assert.deepEqual(second.changed, ['migrations/001.sql', 'migrations/002.sql']);
    const manifest = ok(await store.manifest(second.snapshotId ?? '')).manifest;
    assert.deepEqual(manifest.files.map((f) => [f.path, f.sha256]), [
      ['migrations/001.sql', sha256('create table a; -- edited')],
      ['migrations/002.sql', sha256('alter table a;')],
    ]);

    // `rm -rf migrations .env` in a terminal we never saw.
    fs.rmSync(path.join(dirs.workspace, 'migrations'), { recursive: true });
    fs.rmSync(path.join(dirs.workspace, '.env'));
    const third = ok(await store.shadowSync(dirs.workspace, GLOBS));
    assert.deepEqual(third.removed.map((r) => [r.path, r.snapshotId]).sort(), [
      ['.env', first.snapshotId],
      ['migrations/001.sql', second.snapshotId],
      ['migrations/002.sql', second.snapshotId],
    ]);
    for (const { path: p, snapshotId } of third.removed) ok(await store.restore(snapshotId, { paths: [p] }));
    assert.equal(fs.readFileSync(path.join(dirs.workspace, 'migrations/001.sql'), 'utf8'), 'create table a; -- edited');
    assert.equal(fs.readFileSync(path.join(dirs.workspace, '.env'), 'utf8'), 'DB=local');
  });

  it('respects the size cap without a partial snapshot, and tries again next time', async () => {
    const capped = new BackupStore(dirs.store, { maxSnapshotBytes: 10 });
    const result = await capped.shadowSync(dirs.workspace, GLOBS);
    assert.equal(result.ok, false);
    assert.equal(result.ok ? '' : result.reason, 'too-large');
    assert.deepEqual(await capped.list(), []);
    const retry = ok(await store.shadowSync(dirs.workspace, GLOBS));
    assert.equal(retry.changed.length, 5);
  });

  it('with no protected globs does nothing', async () => {
    const result = ok(await store.shadowSync(dirs.workspace, []));
    assert.equal(result.snapshotId, undefined);
    assert.deepEqual(result.changed, []);
  });

  it('stops at maxEntries, says so, and forgets nothing it did not see', async () => {
    ok(await store.shadowSync(dirs.workspace, GLOBS));
    const truncated = ok(await store.shadowSync(dirs.workspace, GLOBS, { maxEntries: 2 }));
    assert.equal(truncated.truncated, true);
    assert.deepEqual(truncated.removed, [], 'files beyond the limit are not reported as removed');
  });
});

describe('protected globs as the shadow copy reads them', () => {
  const matchers = GLOBS.map(compileProtectedGlob).filter((m): m is RegExp => m !== undefined);
  const cases: [string, boolean][] = [
    ['.env', true], ['.env.local', true], ['deep/down/.env.test', true], ['migrations/001.sql', true], ['db/migrations/x/y.sql', true],
    ['backups/2024/db.sql', true], ['config/secrets.json', true], ['sub/config/secrets.json', false], ['environment.ts', false], ['src/.envrc-not', true],
  ];
  for (const [p, expected] of cases) it(`${p} → ${expected}`, () => assert.equal(isProtectedRelative(p, matchers), expected));
});

// Automatic retention on a real store with a fake clock: pruning by age, making room under the total cap, the latest
// shadow copy of a deleted protected file surviving both, and a damaged manifest stopping any removal.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BackupStore, type BackupStoreOptions, type PruneReport } from '../../../src/backup/backup-store.js';
import { DAY_MS } from '../../../src/backup/retention.js';
import { pseudoRandomBytes, tempDirs, writeTree, type TempDirs } from './helpers.js';

const START = Date.parse('2026-01-01T00:00:00Z');
const KIB = 1024;

function ok<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  assert.equal(result.ok, true, `expected ok, got ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

function objectCount(store: string): number {
  return fs.readdirSync(path.join(store, 'objects')).length;
}

describe('BackupStore: automatic retention', () => {
  let dirs: TempDirs;
  let nowMs: number;
  let reports: PruneReport[];
  beforeEach(() => { dirs = tempDirs(); nowMs = START; reports = []; });
  afterEach(() => dirs.cleanup());

  const advance = (ms: number): void => { nowMs += ms; };
  function newStore(options: BackupStoreOptions = {}): BackupStore {
    return new BackupStore(dirs.store, {
      now: () => new Date(nowMs), gcGraceMs: 0, retention: { keepDays: 30, keepAtLeast: 2 },
      onPrune: (report) => reports.push(report), ...options,
    });
  }
  /** A delete backup of one file with fresh content of `kib` KiB. */
  async function backup(store: BackupStore, name: string, kib = 1, seed = nowMs / 1000): Promise<string> {
    writeTree(dirs.workspace, { [name]: pseudoRandomBytes(kib * KIB, seed) });
    const result = ok(await store.snapshot({ workspaceRoot: dirs.workspace, paths: [name], operation: 'delete', source: 'test' }));
    return result.snapshot.id;
  }
  const ids = async (store: BackupStore): Promise<string[]> => (await store.list()).map((s) => s.id).reverse();

  it('by age: removes snapshots older than keepDays beyond the newest floor, and the content only they used', async () => {
    const store = newStore({ retentionEveryMs: Number.MAX_SAFE_INTEGER });
    const taken: string[] = [];
    for (const day of [0, 10, 20, 40, 50]) {
      nowMs = START + day * DAY_MS;
      taken.push(await backup(store, `f${day}.bin`));
    }
    nowMs = START + 55 * DAY_MS; // ages 55, 45, 35, 15, 5 days
    const result = ok(await store.applyRetention());
    assert.deepEqual(result.removed.map((r) => r.id), taken.slice(0, 3));
    assert.equal(result.removedObjects, 3);
    assert.equal(result.freedBytes, 3 * KIB);
    assert.deepEqual(await ids(store), taken.slice(3));
    assert.equal(objectCount(dirs.store), 2);
    assert.deepEqual(reports.map((r) => [r.trigger, r.removed.length, r.freedBytes]), [['age', 3, 3 * KIB]]);
    // What is left restores byte for byte.
    fs.rmSync(path.join(dirs.workspace, 'f40.bin'));
    ok(await store.restore(taken[3]!));
    assert.deepEqual(fs.readFileSync(path.join(dirs.workspace, 'f40.bin')), pseudoRandomBytes(KIB, (START + 40 * DAY_MS) / 1000));
    assert.equal((await store.verify()).ok, true);
  });

  it('by age: the floor keeps the newest snapshots however old they are, and a second run removes nothing', async () => {
    const store = newStore({ retentionEveryMs: Number.MAX_SAFE_INTEGER });
    const a = await backup(store, 'a.bin');
    advance(DAY_MS);
    const b = await backup(store, 'b.bin');
    advance(400 * DAY_MS);
    const result = ok(await store.applyRetention());
    assert.deepEqual(result.removed, []);
    assert.deepEqual(await ids(store), [a, b]);
    assert.equal(reports.length, 0);
  });

  it('after a snapshot, retention by age runs when the last run is retentionEveryMs ago', async () => {
    const store = newStore({ retentionEveryMs: DAY_MS });
    const old = await backup(store, 'old.bin'); // the first snapshot also runs it once (nothing to remove)
    advance(DAY_MS);
    await backup(store, 'a.bin');
    advance(DAY_MS);
    await backup(store, 'b.bin');
    advance(40 * DAY_MS);
    await backup(store, 'c.bin');
    ok(await store.gc()); // queued behind the retention run the snapshot asked for
    assert.equal((await ids(store)).includes(old), false);
    assert.deepEqual(reports.map((r) => r.trigger), ['age']);
    // Within a day of that run, another snapshot does not run it again.
    advance(60 * 60 * 1000);
    await backup(store, 'd.bin');
    ok(await store.gc());
    assert.equal(reports.length, 1);
    assert.equal((await ids(store)).length, 3);
  });

  it('total cap: the oldest snapshots retention lets go are removed until the new one fits', async () => {
    const store = newStore({ maxTotalBytes: 40 * KIB, retentionEveryMs: Number.MAX_SAFE_INTEGER });
    const taken: string[] = [];
    for (let i = 0; i < 4; i += 1) { taken.push(await backup(store, `f${i}.bin`, 10)); advance(60 * 60 * 1000); }
    assert.equal(objectCount(dirs.store), 4);
    const newest = await backup(store, 'big.bin', 15); // needs 15 KiB more than the 40 KiB cap allows with 40 KiB stored: two must go
    const space = reports.filter((r) => r.trigger === 'space');
    assert.equal(space.length, 1);
    assert.deepEqual(space[0]!.removed.map((r) => r.id), taken.slice(0, 2));
    assert.equal(space[0]!.freedBytes, 20 * KIB);
    assert.deepEqual(await ids(store), [...taken.slice(2), newest]);
    assert.ok((await store.storedBytes()) <= 40 * KIB);
    assert.equal((await store.verify()).ok, true);
  });

  it('total cap: when the floor and recent snapshots leave no room, the snapshot is refused and nothing is removed', async () => {
    const store = newStore({ maxTotalBytes: 25 * KIB, retention: { keepDays: 30, keepAtLeast: 1 }, retentionEveryMs: Number.MAX_SAFE_INTEGER });
    const first = await backup(store, 'a.bin', 10);
    advance(60 * 1000); // one minute: still recent (another window may be restoring from it)
    const second = await backup(store, 'b.bin', 10);
    advance(60 * 1000);
    writeTree(dirs.workspace, { 'c.bin': pseudoRandomBytes(10 * KIB, 99) });
    const refused = await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['c.bin'], operation: 'delete', source: 'test' });
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.reason, 'too-large');
    assert.match(!refused.ok ? refused.message : '', /The backup store would hold 30 KiB, over the limit of 25 KiB; nothing was backed up\./);
    assert.deepEqual(await ids(store), [first, second]);
    assert.equal(reports.length, 0);
    // Once the older one is no longer recent, it may go.
    advance(15 * 60 * 1000);
    ok(await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['c.bin'], operation: 'delete', source: 'test' }));
    assert.deepEqual(reports.map((r) => r.removed.map((x) => x.id)), [[first]]);
  });

  it('total cap: content the new snapshot shares with a removed one stays stored and restorable', async () => {
    const store = newStore({ maxTotalBytes: 25 * KIB, retention: { keepDays: 30, keepAtLeast: 1 }, retentionEveryMs: Number.MAX_SAFE_INTEGER });
    writeTree(dirs.workspace, { 'shared.bin': pseudoRandomBytes(10 * KIB, 1), 'old.bin': pseudoRandomBytes(10 * KIB, 2) });
    const old = ok(await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['shared.bin', 'old.bin'], operation: 'delete', source: 'test' })).snapshot.id;
    advance(DAY_MS);
    await backup(store, 'other.bin', 1);
    advance(DAY_MS);
    writeTree(dirs.workspace, { 'new.bin': pseudoRandomBytes(10 * KIB, 3) });
    const next = ok(await store.snapshot({ workspaceRoot: dirs.workspace, paths: ['shared.bin', 'new.bin'], operation: 'delete', source: 'test' })).snapshot.id;
    assert.deepEqual(reports.map((r) => r.removed.map((x) => x.id)), [[old]]);
    assert.equal(reports[0]!.freedBytes, 10 * KIB);
    fs.rmSync(path.join(dirs.workspace, 'shared.bin'));
    ok(await store.restore(next, { paths: ['shared.bin'] }));
    assert.deepEqual(fs.readFileSync(path.join(dirs.workspace, 'shared.bin')), pseudoRandomBytes(10 * KIB, 1));
    assert.equal((await store.verify()).ok, true);
  });

  it('a deleted protected file stays recoverable from its latest shadow copy after pruning by age and under the cap', async () => {
    const store = newStore({ maxTotalBytes: 30 * KIB, retentionEveryMs: Number.MAX_SAFE_INTEGER });
    writeTree(dirs.workspace, { '.env': 'DB=prod-v1', 'src/app.ts': 'x' });
    ok(await store.shadowSync(dirs.workspace, ['.env']));
    advance(DAY_MS);
    writeTree(dirs.workspace, { '.env': 'DB=prod-v2' });
    fs.utimesSync(path.join(dirs.workspace, '.env'), new Date(nowMs), new Date(nowMs));
    const latest = ok(await store.shadowSync(dirs.workspace, ['.env'])).snapshotId;
    assert.ok(latest);
    // Later, many backups of deletions; a year passes.
    for (let i = 0; i < 4; i += 1) { advance(DAY_MS); await backup(store, `f${i}.bin`, 5); }
    advance(365 * DAY_MS);
    const aged = ok(await store.applyRetention());
    assert.equal(aged.removed.length, 3, 'the superseded shadow copy and two deletion backups beyond the floor of 2');
    assert.ok((await ids(store)).includes(latest));
    // The store fills up: an older backup goes, the latest shadow copy (older still) does not.
    advance(DAY_MS);
    await backup(store, 'g.bin', 5);
    advance(DAY_MS);
    const survivors = await ids(store);
    await backup(store, 'big.bin', 19);
    const space = reports.filter((r) => r.trigger === 'space');
    assert.deepEqual(space.map((r) => r.removed.map((x) => x.operation)), [['delete']]);
    assert.equal(space[0]!.removed[0]!.id, survivors.find((id) => id !== latest));
    assert.ok((await ids(store)).includes(latest));
    // `rm .env` outside VS Code: the shadow copy notices it gone, and it is recoverable still.
    fs.rmSync(path.join(dirs.workspace, '.env'));
    const noticed = ok(await store.shadowSync(dirs.workspace, ['.env']));
    assert.deepEqual(noticed.removed, [{ path: '.env', snapshotId: latest }]);
    advance(29 * DAY_MS);
    ok(await store.applyRetention());
    ok(await store.restore(latest));
    assert.equal(fs.readFileSync(path.join(dirs.workspace, '.env'), 'utf8'), 'DB=prod-v2');
    // keepDays after it was found gone, it follows the age rule like any other snapshot.
    fs.rmSync(path.join(dirs.workspace, '.env'));
    advance(2 * DAY_MS);
    const expired = ok(await store.applyRetention());
    assert.deepEqual(expired.removed.map((r) => [r.id, r.operation]), [[latest, 'shadow']]);
  });

  it('a protected file that comes back is no longer counted as gone', async () => {
    const store = newStore({ retentionEveryMs: Number.MAX_SAFE_INTEGER });
    writeTree(dirs.workspace, { '.env': 'A=1' });
    const first = ok(await store.shadowSync(dirs.workspace, ['.env'])).snapshotId!;
    fs.rmSync(path.join(dirs.workspace, '.env'));
    ok(await store.shadowSync(dirs.workspace, ['.env']));
    writeTree(dirs.workspace, { '.env': 'A=1' });
    ok(await store.shadowSync(dirs.workspace, ['.env']));
    const state = JSON.parse(fs.readFileSync(path.join(dirs.store, 'shadow-state.json'), 'utf8')) as { gone?: Record<string, unknown> };
    assert.deepEqual(state.gone, {});
    // A year later its latest shadow copy is still kept: the file is there again, unchanged.
    advance(365 * DAY_MS);
    ok(await store.applyRetention());
    assert.equal((await ids(store)).length >= 1, true);
    const manifests = await Promise.all((await ids(store)).map(async (id) => ok(await store.manifest(id)).manifest));
    assert.ok(manifests.some((m) => m.operation === 'shadow' && m.files.some((f) => f.path === '.env')), `kept: ${first}`);
  });

  it('a damaged manifest stops retention: nothing is removed, and the result says why', async () => {
    const store = newStore({ retentionEveryMs: Number.MAX_SAFE_INTEGER });
    const taken: string[] = [];
    for (let i = 0; i < 4; i += 1) { taken.push(await backup(store, `f${i}.bin`)); advance(DAY_MS); }
    fs.writeFileSync(path.join(dirs.store, 'snapshots', `${taken[3]!}.json`), '{"version": 1, "id": "trunc');
    advance(100 * DAY_MS);
    const result = await store.applyRetention();
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'unreadable-manifests');
    assert.equal(fs.readdirSync(path.join(dirs.store, 'snapshots')).length, 4);
    assert.equal(objectCount(dirs.store), 4);
  });

  it('a restore marks the content it reads as in use, so a prune in another window leaves it for the grace period', async () => {
    const store = newStore({ retentionEveryMs: Number.MAX_SAFE_INTEGER });
    const id = await backup(store, 'a.bin');
    const object = path.join(dirs.store, 'objects', fs.readdirSync(path.join(dirs.store, 'objects'))[0]!);
    const longAgo = new Date(Date.now() - 7 * DAY_MS);
    fs.utimesSync(object, longAgo, longAgo);
    fs.rmSync(path.join(dirs.workspace, 'a.bin'));
    ok(await store.restore(id));
    assert.ok(Date.now() - fs.statSync(object).mtimeMs < 60 * 1000);
  });
});

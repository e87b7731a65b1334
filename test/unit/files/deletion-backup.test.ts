// What an approved terminal deletion would back up, against a real folder and a real git repository.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { backupsToTake, commonLocation, describeDeletionBackup, expandGlob, planDeletionBackup, type DeletionBackupPlan } from '../../../src/files/deletion-backup.js';
import { listDeletionTargets } from '../../../src/files/deletion-targets.js';
import { analyzeCommandLine } from '../../../src/shell/analyze.js';
import { bashParser } from '../helpers/engine.js';

const MIB = 1024 * 1024;

describe('planDeletionBackup', () => {
  let root: string;
  let ws: string;
  let outside: string;
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: ws, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } });
  const write = (rel: string, content: string): void => { fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true }); fs.writeFileSync(path.join(ws, rel), content); };

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-deletion-'));
    ws = path.join(root, 'ws');
    outside = path.join(root, 'elsewhere');
    fs.mkdirSync(ws);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'x.txt'), 'x');
    write('migrations/001_init.sql', 'create table a(id int);\n');
    write('migrations/002_b.sql', 'create table b(id int);\n');
    write('src/a.ts', 'export const a = 1;\n');
    write('src/b.ts', 'export const b = 1;\n');
    write('.gitignore', 'secret.env\n');
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'init');
    // Uncommitted work, untracked and ignored files.
    write('src/a.ts', 'export const a = 2; // edited\n');
    write('notes/todo.md', 'untracked\n');
    write('secret.env', 'KEY=1\n');
    write('big/blob.bin', 'x'.repeat(3 * MIB));
    write('cache/x.pyc', 'c');
    write('cache/keep.py', 'k');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  async function plan(line: string, options: { cwd?: string; maxMiB?: number; maxEntries?: number } = {}): Promise<DeletionBackupPlan> {
    const targets = listDeletionTargets(analyzeCommandLine(line, await bashParser()), { cwd: options.cwd ?? ws, home: os.homedir() });
    return planDeletionBackup(targets, { workspaceFolders: [ws], maxSnapshotBytes: () => (options.maxMiB ?? 256) * MIB, ...(options.maxEntries !== undefined ? { maxEntries: options.maxEntries } : {}) });
  }
  const rel = (p: DeletionBackupPlan): string[] => p.folders.flatMap((f) => f.paths.map((x) => path.relative(ws, x))).sort();

  it('rm -rf of a folder: its files and size, one sentence', async () => {
    const p = await plan('rm -rf migrations');
    assert.deepEqual(rel(p), ['migrations']);
    assert.equal(p.folders[0]!.files, 2);
    assert.equal(p.folders[0]!.bytes, 48);
    assert.equal(describeDeletionBackup(p), 'Before it runs, 2 files (48 B) under migrations/ are copied to the backup store (outside the workspace).');
    assert.equal(backupsToTake(p).length, 1);
  });

  it('globs are expanded against the file system, as the shell would', async () => {
    assert.deepEqual(rel(await plan('rm migrations/*.sql')), ['migrations/001_init.sql', 'migrations/002_b.sql']);
    assert.deepEqual(rel(await plan('cd migrations && rm 00[2]_*')), ['migrations/002_b.sql']);
    assert.deepEqual((await expandGlob(path.join(ws, '*'))).map((p) => path.basename(p)), ['big', 'cache', 'migrations', 'notes', 'secret.env', 'src']);
  });

  it('over the size cap: no backup, and the sentence names the setting', async () => {
    const p = await plan('rm -rf big', { maxMiB: 1 });
    assert.equal(p.folders[0]!.isOverLimit, true);
    assert.deepEqual(backupsToTake(p), []);
    assert.match(describeDeletionBackup(p)!, /^No backup: 3\.0 MiB or more under big\/ is over agentGuardrails\.backups\.maxSnapshotMB \(1\.0 MiB\)\.$/);
  });

  it('too many entries: no backup', async () => {
    const p = await plan('rm -rf migrations src', { maxEntries: 3 });
    assert.equal(p.folders[0]!.isTooMany, true);
    assert.deepEqual(backupsToTake(p), []);
    assert.match(describeDeletionBackup(p)!, /^No backup: too many files/);
  });

  it('unknown targets, paths outside the workspace and missing files are said as such', async () => {
    assert.equal(describeDeletionBackup(await plan('rm -rf "$TARGET_DIR"')), 'No backup for $TARGET_DIR: unknown until the shell expands it.');
    const p = await plan(`rm -f ${path.join(outside, 'x.txt')} migrations/001_init.sql`);
    assert.deepEqual(p.outside, [path.join(outside, 'x.txt')]);
    assert.deepEqual(rel(p), ['migrations/001_init.sql']);
    assert.match(describeDeletionBackup(p)!, /^Before it runs, 1 file \(24 B\) under migrations\/001_init\.sql is copied.*\nNo backup for .*x\.txt: outside the workspace\.$/);
    assert.equal(describeDeletionBackup(await plan('rm -rf not-there')), 'Nothing to back up: ' + path.join(ws, 'not-there') + ' does not exist now.');
  });

  it('git clean: exactly the list git clean -n gives for the same options', async () => {
    assert.deepEqual(rel(await plan('git clean -f')), []);
    assert.deepEqual(rel(await plan('git clean -fd')), ['big', 'cache', 'notes']);
    assert.deepEqual(rel(await plan('git clean -fdx')), ['big', 'cache', 'notes', 'secret.env']);
    assert.deepEqual(rel(await plan('git clean -fdX')), ['secret.env']);
    assert.deepEqual(rel(await plan('git clean -fd -e big -- notes cache')), ['cache', 'notes']);
  });

  it('git checkout/restore/reset --hard: the tracked files with uncommitted changes they overwrite', async () => {
    assert.deepEqual(rel(await plan('git checkout -- src')), ['src/a.ts']);
    assert.deepEqual(rel(await plan('git checkout -- src/b.ts')), []);
    assert.deepEqual(rel(await plan('git restore .')), ['src/a.ts']);
    assert.deepEqual(rel(await plan('git reset --hard')), ['src/a.ts']);
    assert.deepEqual(rel(await plan('cd src && git checkout HEAD -- a.ts')), ['src/a.ts']);
  });

  it('find -delete / -exec rm: the files find selects; other actions mean the whole roots', async () => {
    assert.deepEqual(rel(await plan('find cache -name "*.pyc" -delete')), ['cache/x.pyc']);
    assert.deepEqual(rel(await plan('find . -path ./cache -prune -o -name "*.sql" -exec rm -f {} +')), ['migrations/001_init.sql', 'migrations/002_b.sql']);
    assert.deepEqual(rel(await plan('find cache -name "*.pyc" -fprint /tmp/list -delete')), ['cache']);
  });

  it('> truncation and mv/cp onto an existing file back up that file only', async () => {
    assert.deepEqual(rel(await plan('echo x > src/b.ts')), ['src/b.ts']);
    assert.deepEqual(rel(await plan('echo x > new-file.txt')), []);
    assert.deepEqual(rel(await plan('cp src/a.ts src/b.ts')), ['src/b.ts']);
    assert.deepEqual(rel(await plan('cp src/a.ts migrations')), [], 'into a folder without that name: nothing is overwritten');
    assert.deepEqual(rel(await plan('mv notes/todo.md src')), []);
    assert.deepEqual(rel(await plan('cp notes/todo.md /tmp')), []);
  });

  it('the workspace folder itself is inside it (find . -delete at the root, rm -rf of the folder from its parent)', async () => {
    const p = await plan('find . -delete', { maxMiB: 64 });
    assert.deepEqual(p.outside, []);
    assert.deepEqual(rel(p), ['']);
    assert.deepEqual(rel(await plan(`rm -rf ${path.basename(ws)}`, { cwd: root })), ['']);
    assert.match(describeDeletionBackup(await plan(`rm -rf ${path.basename(ws)}`, { cwd: root }))!, /under ws\/ are copied/);
  });

  it('commands that destroy nothing give no sentence', async () => {
    for (const line of ['ls', 'git status', 'git clean -n', 'echo hi >> log.txt']) assert.equal(describeDeletionBackup(await plan(line)), undefined, line);
  });

  it('commonLocation', () => {
    assert.equal(commonLocation(['migrations'], true, 'ws'), 'migrations/');
    assert.equal(commonLocation(['src/a.ts'], false, 'ws'), 'src/a.ts');
    assert.equal(commonLocation(['migrations/a.sql', 'migrations/b.sql'], false, 'ws'), 'migrations/');
    assert.equal(commonLocation(['a/b/c.sql', 'a/d.sql'], false, 'ws'), 'a/');
    assert.equal(commonLocation(['a.txt', 'b.txt'], false, 'ws'), 'ws/');
  });
});

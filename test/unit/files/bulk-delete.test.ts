// Deletes and renames from VS Code: protected paths and bulk operations need a person's confirmation.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { assessFileOperation } from '../../../src/files/bulk-delete.js';
import { policyFrom } from '../helpers/engine.js';

const policy = policyFrom({ environment: 'staging', protectedPaths: ['.env*', 'migrations/**', 'backups'] });

describe('assessFileOperation', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-files-'));
    const files = ['src/a.ts', 'src/b.ts', '.env', 'config/.env.production', 'migrations/001.sql', 'backups/db.sql', 'docs/ü ñ.md',
      ...Array.from({ length: 30 }, (_, i) => `generated/f${i}.txt`)];
    for (const f of files) { fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true }); fs.writeFileSync(path.join(root, f), 'x'); }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const assess = (op: 'delete' | 'rename', targets: string[], threshold?: number) =>
    assessFileOperation(op, targets.map((t) => (t.includes('://') ? t : path.join(root, t))), policy, { workspaceRoot: root, ...(threshold !== undefined ? { bulkThreshold: threshold } : {}) });

  it('an ordinary delete of a few files needs nothing', () => {
    const result = assess('delete', ['src/a.ts', 'docs/ü ñ.md']);
    assert.deepEqual([result.needsConfirmation, result.reasons, result.fileCount], [false, [], 2]);
  });

  it('a protected file needs confirmation, with the path named', () => {
    const result = assess('delete', ['.env']);
    assert.equal(result.needsConfirmation, true);
    assert.deepEqual(result.reasons.map((r) => [r.rule, r.message]), [['file.protected-path', 'Deleting a protected path: .env.']]);
  });

  it('a folder that holds protected files is protected (found by walking it)', () => {
    const result = assess('delete', ['config']);
    assert.deepEqual(result.protectedPaths, ['config/.env.production']);
  });

  it('protected folders by glob: migrations/** and a bare folder name', () => {
    assert.deepEqual(assess('delete', ['migrations']).protectedPaths, ['migrations', 'migrations/001.sql']);
    assert.deepEqual(assess('rename', ['backups']).reasons.map((r) => r.rule), ['file.protected-path']);
    assert.match(assess('rename', ['backups']).reasons[0]?.message ?? '', /^Moving /);
  });

  it('built-in sensitive files are protected without a policy entry (.git, keys, databases)', () => {
    fs.mkdirSync(path.join(root, '.git'), { recursive: true });
    fs.writeFileSync(path.join(root, 'data.sqlite'), '');
    assert.deepEqual(assess('delete', ['data.sqlite', '.git']).protectedPaths, ['.git', 'data.sqlite']);
  });

  it('more files than the threshold need confirmation; folders count by their content', () => {
    const result = assess('delete', ['generated']);
    assert.equal(result.fileCount, 30);
    assert.deepEqual(result.reasons.map((r) => [r.rule, r.message]), [['file.bulk', 'Deleting 30 files at once (more than 20).']]);
    assert.equal(assess('delete', ['generated'], 50).needsConfirmation, false);
    const many = assess('delete', Array.from({ length: 21 }, (_, i) => `generated/f${i}.txt`));
    assert.deepEqual(many.reasons.map((r) => r.rule), ['file.bulk']);
  });

  it('says when the count stopped early', () => {
    const result = assessFileOperation('delete', [path.join(root, 'generated')], policy, { workspaceRoot: root, maxEntries: 25, bulkThreshold: 10 });
    assert.equal(result.isCountPartial, true);
    assert.match(result.reasons[0]?.message ?? '', /at least 25 files/);
  });

  it('accepts file:// URIs; other schemes and paths outside the workspace are reasons of their own', () => {
    assert.deepEqual(assessFileOperation('delete', [pathToFileURL(path.join(root, '.env')).toString()], policy, { workspaceRoot: root }).protectedPaths, ['.env']);
    assert.deepEqual(assess('delete', ['vscode-remote://ssh/x/y']).reasons.map((r) => r.rule), ['file.outside-workspace']);
    assert.deepEqual(assessFileOperation('delete', ['/etc/hosts'], policy, { workspaceRoot: root }).reasons.map((r) => r.rule), ['file.outside-workspace']);
  });

  it('the workspace folder itself', () => {
    const result = assessFileOperation('delete', [root], policy, { workspaceRoot: root });
    assert.deepEqual(result.reasons.map((r) => r.rule), ['file.workspace-root']);
  });

  it('several reasons at once, in a stable order', () => {
    const result = assess('delete', ['.env', 'generated']);
    assert.deepEqual(result.reasons.map((r) => r.rule), ['file.protected-path', 'file.bulk']);
    assert.equal(result.fileCount, 31);
  });
});

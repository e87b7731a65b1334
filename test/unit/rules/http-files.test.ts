// HTTP bodies read from files (`curl -d @query.json`): the engine's bounded reader lets the rules see them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evaluate, type Verdict } from '../../../src/engine.js';
import { boundedFileReader, MAX_READ_BYTES } from '../../../src/shell/file-reader.js';
import { bashParser, tierPolicy } from '../helpers/engine.js';
import { cliPath } from '../helpers/project.js';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-http-files-'));
  fs.writeFileSync(path.join(dir, 'q.json'), JSON.stringify({ query: '{ users(first: 5) { id name } }' }));
  fs.writeFileSync(path.join(dir, 'm.json'), JSON.stringify({ query: 'mutation { userDelete(id: 1) { ok } }' }));
  fs.writeFileSync(path.join(dir, 'update.json'), JSON.stringify({ query: 'mutation { userUpdate(id: 1, name: "x") { id } }' }));
  fs.writeFileSync(path.join(dir, 'q.graphql'), 'mutation { projectDelete(id: 1) }');
  fs.writeFileSync(path.join(dir, 'sql.json'), JSON.stringify({ sql: 'DROP TABLE users' }));
  fs.writeFileSync(path.join(dir, 'big.json'), JSON.stringify({ query: `{ a }${' '.repeat(MAX_READ_BYTES)}` }));
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'sub', 'q.json'), JSON.stringify({ query: '{ me { id } }' }));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function verdict(cmd: string, tier: 'development' | 'staging' | 'unmarked' = 'unmarked', withReader = true): Promise<Verdict> {
  return evaluate(cmd, { policy: tierPolicy(tier), cwd: dir, parser: await bashParser(), ...(withReader ? { readFile: boundedFileReader(dir) } : {}) });
}
const rules = (v: Verdict): string[] => v.reasons.filter((r) => r.severity !== 'info').map((r) => r.rule);

describe('HTTP bodies from files', () => {
  const allowed = [
    'curl -d @q.json https://api.example.net/graphql',
    'curl -X POST https://api.example.net/graphql --data-binary @q.json',
    'curl https://api.example.net/graphql --json @q.json',
    'curl https://api.example.net/graphql -d @sub/q.json',
    'curl -G https://api.example.net/graphql --data-urlencode query@q.json',
  ];
  for (const cmd of allowed) {
    it(`allows a plain query read from a file: ${cmd}`, async () => {
      const v = await verdict(cmd);
      assert.equal(v.decision, 'allow', rules(v).join(', '));
    });
  }
  const stopped: [string, string, 'block' | 'confirm', ('development' | 'staging' | 'unmarked')?][] = [
    ['curl -d @m.json https://api.example.net/graphql', 'http.graphql-destructive-mutation', 'block'],
    ['curl -d @m.json https://api.example.net/graphql', 'http.graphql-destructive-mutation', 'block', 'staging'],
    ['curl -d @m.json https://api.example.net/graphql', 'http.graphql-destructive-mutation', 'confirm', 'development'],
    ['curl --data-binary @m.json https://api.example.net/graphql', 'http.graphql-destructive-mutation', 'block'],
    ['curl --json @m.json https://api.example.net/graphql', 'http.graphql-destructive-mutation', 'block'],
    ['curl -G https://api.example.net/graphql --data-urlencode query@q.graphql', 'http.graphql-destructive-mutation', 'block'],
    ['wget --post-file=m.json https://api.example.net/graphql', 'http.graphql-destructive-mutation', 'block'],
    ['curl -d @update.json https://api.example.net/graphql', 'http.graphql-mutation', 'confirm'],
    ['curl -d @sql.json https://db.example.net/query', 'http.sql-in-body', 'block'],
    // What cannot be read stays unseen: confirm.
    ['curl -d @missing.json https://api.example.net/graphql', 'http.graphql-unseen-body', 'confirm'],
    ['curl -d @big.json https://api.example.net/graphql', 'http.graphql-unseen-body', 'confirm'],
    ['curl -d @sub https://api.example.net/graphql', 'http.graphql-unseen-body', 'confirm'],
    ['curl -d @- https://api.example.net/graphql', 'http.graphql-unseen-body', 'confirm'],
    ['curl -d @"$FILE" https://api.example.net/graphql', 'http.graphql-unseen-body', 'confirm'],
    ['ssh host curl -d @q.json https://api.example.net/graphql', 'http.graphql-unseen-body', 'confirm'],
  ];
  for (const [cmd, rule, decision, tier] of stopped) {
    it(`${cmd} → ${rule} (${decision})${tier ? ` [${tier}]` : ''}`, async () => {
      const v = await verdict(cmd, tier);
      assert.ok(rules(v).includes(rule), `expected ${rule} among [${rules(v).join(', ')}]`);
      assert.equal(v.decision, decision);
    });
  }
  it('without a reader a file body stays unseen (confirm)', async () => {
    const v = await verdict('curl -d @q.json https://api.example.net/graphql', 'unmarked', false);
    assert.equal(v.decision, 'confirm');
    assert.ok(rules(v).includes('http.graphql-unseen-body'));
  });
  it('the CLI reads files relative to --cwd', () => {
    const run = (cmd: string): number | null => spawnSync(process.execPath, [cliPath(), 'check', '--cwd', dir, '--', cmd], { encoding: 'utf8' }).status;
    assert.equal(run('curl -d @q.json https://api.example.net/graphql'), 0);
    assert.equal(run('curl -d @m.json https://api.example.net/graphql'), 3);
    assert.equal(run('curl -d @missing.json https://api.example.net/graphql'), 2);
  });
});

describe('boundedFileReader', () => {
  it('reads a small regular file relative to the directory', () => assert.match(boundedFileReader(dir)('q.json') ?? '', /users/));
  it('reads an absolute path', () => assert.match(boundedFileReader('/')(path.join(dir, 'q.json')) ?? '', /users/));
  it('gives undefined for a missing file, a folder, a too large file, stdin and without a directory', () => {
    const read = boundedFileReader(dir);
    for (const file of ['missing.json', 'sub', 'big.json', '-', '/dev/stdin', '/dev/zero', '']) assert.equal(read(file), undefined, file);
    assert.equal(boundedFileReader(undefined)('q.json'), undefined);
  });
});

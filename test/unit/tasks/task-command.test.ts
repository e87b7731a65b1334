// Task resolution: VS Code's quoting of ShellExecution arguments, process executions, npm tasks judged by their script body.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evaluate } from '../../../src/engine.js';
import { buildShellCommandLine, quoteForBash, resolveTaskCommand, type CommandString, type TaskCommand, type TaskDescription } from '../../../src/tasks/task-command.js';
import { bashParser, policyFrom, tierPolicy } from '../helpers/engine.js';

const BASH = { escape: { escapeChar: '\\', charsToEscape: ' "\'' }, strong: "'", weak: '"' } as const;

function ok(result: TaskCommand): Extract<TaskCommand, { ok: true }> {
  assert.equal(result.ok, true, JSON.stringify(result));
  return result as Extract<TaskCommand, { ok: true }>;
}

describe('buildShellCommandLine (as VS Code quotes for bash)', () => {
  const t = (command: CommandString, args: CommandString[], expected: string) => it(`${JSON.stringify([command, ...args])} → ${expected}`, () => assert.equal(buildShellCommandLine(command, args, BASH), expected));
  t('npm run build', [], 'npm run build'); // a lone string command is used as written
  t('rm', ['-rf', 'dist'], 'rm -rf dist');
  t('rm', ['-rf', 'my folder'], "rm -rf 'my folder'"); // a space: strong quotes
  t('echo', ['"already quoted"'], 'echo "already quoted"');
  t('echo', ["a 'b c'"], "echo 'a 'b c''"); // a space outside quotes: VS Code strong-quotes without escaping
  t('echo', ["'b c'"], "echo 'b c'"); // wrapped in quotes: left alone
  t('echo', ['$HOME/x'], 'echo $HOME/x'); // no space: not quoted, the shell expands it
  t('echo', [{ value: 'a b"c', quoting: 'escape' }], 'echo a\\ b\\"c');
  t('echo', [{ value: 'x,y', quoting: 'escape' }], 'echo x\\,y'); // VS Code escapes ',' too
  t('echo', [{ value: '$HOME', quoting: 'strong' }], "echo '$HOME'");
  t('echo', [{ value: '$HOME x', quoting: 'weak' }], 'echo "$HOME x"');
  t({ value: 'my tool', quoting: 'escape' }, ['--flag'], 'my\\ tool --flag');
});

describe('quoteForBash', () => {
  const cases: [string, string][] = [['ls', 'ls'], ['a b', "'a b'"], ["it's", "'it'\\''s'"], ['', "''"], ['$(rm -rf ~)', "'$(rm -rf ~)'"], ['--opt=v', '--opt=v']];
  for (const [word, expected] of cases) it(`${word} → ${expected}`, () => assert.equal(quoteForBash(word), expected));
});

describe('resolveTaskCommand', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-tasks-'));
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({
      scripts: { build: 'tsc -p .', 'db:reset': 'prisma migrate reset --force', predeploy: 'npm run build', deploy: 'railway up' },
    }));
    fs.mkdirSync(path.join(root, 'packages/api'), { recursive: true });
    fs.writeFileSync(path.join(root, 'packages/api/package.json'), JSON.stringify({ scripts: { clean: 'rm -rf /' } }));
    fs.mkdirSync(path.join(root, 'packages/broken'), { recursive: true });
    fs.writeFileSync(path.join(root, 'packages/broken/package.json'), '{ "scripts": ');
    fs.mkdirSync(path.join(root, 'packages/none'), { recursive: true });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const judge = async (task: TaskDescription, policy = tierPolicy('staging')) => {
    const resolved = ok(resolveTaskCommand(task));
    return evaluate(resolved.evaluationLine, { policy, cwd: resolved.cwd, parser: await bashParser(), packageScripts: resolved.packageScripts });
  };

  it('a shell task with a command line is taken as written', () => {
    const r = ok(resolveTaskCommand({ type: 'shell', execution: { kind: 'shell', commandLine: 'git reset --hard && npm test' }, workspaceFolder: root }));
    assert.equal(r.commandLine, 'git reset --hard && npm test');
    assert.equal(r.cwd, root);
    assert.equal(r.shell, 'bash');
  });

  it('a shell task with command and args is quoted as VS Code quotes it', () => {
    const r = ok(resolveTaskCommand({ type: 'shell', execution: { kind: 'shell', command: 'rm', args: ['-rf', 'build output', { value: '$TMPDIR', quoting: 'strong' }] }, cwd: root }));
    assert.equal(r.commandLine, "rm -rf 'build output' '$TMPDIR'");
  });

  it('a process task is quoted so bash sees the same words; metacharacters stay inert', async () => {
    const r = ok(resolveTaskCommand({ type: 'process', execution: { kind: 'process', process: '/usr/bin/psql', args: ['-c', "DROP TABLE users; -- it's gone"] }, cwd: root }));
    assert.equal(r.commandLine, "/usr/bin/psql -c 'DROP TABLE users; -- it'\\''s gone'");
    const verdict = await judge({ type: 'process', execution: { kind: 'process', process: 'psql', args: ['-c', 'DROP TABLE users'] }, cwd: root });
    assert.notEqual(verdict.decision, 'allow');
  });

  it('an npm task is judged by its script body: npm run db:reset runs prisma migrate reset', async () => {
    const task: TaskDescription = { type: 'npm', execution: { kind: 'shell', command: 'npm', args: ['run', 'db:reset'] }, definition: { type: 'npm', script: 'db:reset' }, workspaceFolder: root };
    const r = ok(resolveTaskCommand(task));
    assert.equal(r.commandLine, 'npm run db:reset');
    assert.deepEqual(r.script, { name: 'db:reset', body: 'prisma migrate reset --force' });
    assert.equal(r.packageScripts?.get('db:reset'), 'prisma migrate reset --force');
    const verdict = await judge(task);
    assert.equal(verdict.decision, 'block');
    assert.ok(verdict.reasons.some((reason) => reason.rule === 'framework.prisma-reset'), JSON.stringify(verdict.reasons));
  });

  it('an npm task without a resolved execution becomes npm run <script>', async () => {
    const task: TaskDescription = { type: 'npm', execution: undefined, definition: { type: 'npm', script: 'build' }, workspaceFolder: root };
    assert.equal(ok(resolveTaskCommand(task)).commandLine, 'npm run build');
    assert.equal((await judge(task)).decision, 'allow');
  });

  it('an npm task in a sub-package reads that package.json (definition.path)', async () => {
    const task: TaskDescription = { type: 'npm', execution: undefined, definition: { type: 'npm', script: 'clean', path: 'packages/api/' }, workspaceFolder: root };
    const r = ok(resolveTaskCommand(task));
    assert.equal(r.cwd, path.join(root, 'packages/api'));
    assert.equal(r.script?.body, 'rm -rf /');
    assert.equal((await judge(task)).decision, 'block');
  });

  it('fails closed when the package.json is missing, broken, or lacks the script', () => {
    const base = { type: 'npm', execution: undefined, workspaceFolder: root } as const;
    const missing = resolveTaskCommand({ ...base, definition: { type: 'npm', script: 'x', path: 'packages/none' } });
    assert.deepEqual([missing.ok, missing.ok ? '' : missing.reason], [false, 'no-package-json']);
    const broken = resolveTaskCommand({ ...base, definition: { type: 'npm', script: 'x', path: 'packages/broken' } });
    assert.deepEqual([broken.ok, broken.ok ? '' : broken.reason], [false, 'no-package-json']);
    const unknown = resolveTaskCommand({ ...base, definition: { type: 'npm', script: 'nope' } });
    assert.deepEqual([unknown.ok, unknown.ok ? '' : unknown.reason], [false, 'unknown-script']);
    assert.match(unknown.ok ? '' : unknown.message, /"nope" names a script that .*package\.json does not define/);
  });

  it('a shell task that runs npm run itself still sees the scripts of its cwd', async () => {
    const verdict = await judge({ type: 'shell', execution: { kind: 'shell', commandLine: 'npm run db:reset' }, cwd: root });
    assert.equal(verdict.decision, 'block');
  });

  it('custom executions and unresolved tasks are typed results, not guesses', () => {
    const custom = resolveTaskCommand({ type: 'myext', execution: { kind: 'custom' } });
    assert.deepEqual([custom.ok, custom.ok ? '' : custom.reason], [false, 'custom-execution']);
    const unresolved = resolveTaskCommand({ type: 'gulp', execution: undefined });
    assert.deepEqual([unresolved.ok, unresolved.ok ? '' : unresolved.reason], [false, 'no-execution']);
  });

  it('task environment variables reach the engine: a production token in env is cross-environment', async () => {
    const policy = policyFrom({ environment: 'staging', environments: { staging: { tier: 'staging' }, production: { tier: 'production', match: ['SHOP_PROD_*'] } } });
    const task: TaskDescription = { type: 'shell', execution: { kind: 'shell', commandLine: 'node sync.js' }, env: { SHOP_PROD_TOKEN: "x'y" }, cwd: root };
    const r = ok(resolveTaskCommand(task));
    assert.equal(r.evaluationLine, "SHOP_PROD_TOKEN='x'\\''y' node sync.js");
    assert.equal((await judge(task, policy)).decision, 'block');
  });

  it('PowerShell and cmd tasks are marked as another shell, quoted their way', () => {
    const pwsh = ok(resolveTaskCommand({ type: 'shell', execution: { kind: 'shell', command: 'Remove-Item', args: ['my dir'] }, shell: { executable: 'C:\\Program Files\\PowerShell\\7\\pwsh.exe' } }));
    assert.deepEqual([pwsh.shell, pwsh.commandLine], ['other', "Remove-Item 'my dir'"]);
    const cmd = ok(resolveTaskCommand({ type: 'shell', execution: { kind: 'shell', command: 'del', args: ['a b'] }, shell: { executable: 'cmd.exe' } }));
    assert.deepEqual([cmd.shell, cmd.commandLine], ['other', 'del "a b"']);
    assert.equal(ok(resolveTaskCommand({ type: 'shell', execution: { kind: 'shell', command: 'ls', args: ['a b'] }, shell: { executable: '/bin/zsh' } })).shell, 'bash');
  });
});

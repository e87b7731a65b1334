// The CLI contract (DESIGN.md): check --jsonl, check -- 'line' with exit codes 0/2/3, explain, validate.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { cliPath } from './helpers/project.js';

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-cli-'));
fs.mkdirSync(path.join(workspace, '.vscode'));
fs.mkdirSync(path.join(workspace, 'src'));
fs.writeFileSync(path.join(workspace, '.vscode', 'guardrails.json'), `{
  // staging workspace
  "environment": "staging",
  "environments": { "production": { "tier": "production", "match": ["db.shop.internal"] } },
}`);
const badPolicy = path.join(workspace, 'bad.json');
fs.writeFileSync(badPolicy, '{\n  "environment": "staging",\n  "environments": { "production": { "tier": "prod" } }\n}\n');
const unclosedPolicy = path.join(workspace, 'unclosed.json');
fs.writeFileSync(unclosedPolicy, '{\n"environment": "staging",\n"commands": {"allow": ["x"]\n');
const missingPolicy = path.join(workspace, 'missing.jsonc');
const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-cli-empty-'));
after(() => { fs.rmSync(workspace, { recursive: true }); fs.rmSync(empty, { recursive: true }); });

function cli(args: string[], input = '', cwd = empty) {
  const run = spawnSync(process.execPath, [cliPath(), ...args], { input, encoding: 'utf8', cwd });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('cli', () => {
  describe('check -- line', () => {
    it('exit 0 for allow', () => assert.equal(cli(['check', '--', 'git status']).status, 0));
    it('exit 2 for confirm', () => assert.equal(cli(['check', '--', 'git reset --hard']).status, 2));
    it('exit 3 for block', () => {
      const run = cli(['check', '--', 'rm -rf /']);
      assert.equal(run.status, 3);
      assert.match(run.stdout, /^BLOCK {2}rm -rf \//);
      assert.match(run.stdout, /fs\.rm-recursive/);
    });
    it('joins the words after -- into one line', () => assert.equal(cli(['check', '--', 'git', 'push', '--force']).status, 2));
    it('several words after -- are an argv, quoted so the line means what the argv meant', () => {
      const run = cli(['explain', '--', 'bash', '-c', 'rm -rf src']);
      assert.equal(run.status, 2);
      assert.match(run.stdout, /argv \["rm","-rf","src"\]/);
      assert.match(run.stdout, /^CONFIRM {2}bash -c 'rm -rf src'$/m);
      assert.equal(cli(['check', '--', 'echo', 'a && rm -rf src; $(git reset --hard)']).status, 0);
      assert.equal(cli(['check', '--', 'FOO=1', 'x']).status, 0, 'a leading NAME=value word is a program name, not an assignment');
    });
    it('one word after -- is the command line as written', () => assert.equal(cli(['check', '--', 'echo a && rm -rf src']).status, 2));
    it('finds the policy from --cwd', () => {
      const run = cli(['check', '--cwd', path.join(workspace, 'src'), '--', "psql -h db.shop.internal -c 'select 1'"]);
      assert.equal(run.status, 3);
      assert.match(run.stdout, /environment: staging/);
    });
    it('--environment switches the environment', () => {
      assert.equal(cli(['check', '--cwd', workspace, '--environment', 'production', '--', "psql -h db.shop.internal -c 'select 1'"]).status, 0);
    });
    it('an invalid policy prints its problems and applies strict defaults', () => {
      const run = cli(['check', '--policy', badPolicy, '--', 'git reset --hard']);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /bad\.json:3:45 {2}environments\.production\.tier: expected one of development\|staging\|production/);
      assert.match(run.stdout, /to confirm, a person types: production/);
    });
    it('each policy problem is printed once', () => {
      const run = cli(['check', '--policy', unclosedPolicy, '--', 'ls']);
      assert.equal(run.stderr.match(/close brace expected/g)?.length, 1, run.stderr);
    });
    it('a --policy file that does not exist is an error, not an unmarked workspace', () => {
      const run = cli(['check', '--policy', missingPolicy, '--', 'git reset --hard']);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /missing\.jsonc:1:1 {2}the policy file does not exist/);
      assert.match(run.stdout, /environment: production/);
      assert.match(run.stdout, /to confirm, a person types: production/);
      assert.match(run.stdout, /policy\.invalid/);
    });
  });

  describe('check --jsonl', () => {
    it('every verdict under the strict defaults says so', () => {
      const lines = cli(['check', '--jsonl', '--policy', badPolicy], '{"cmd": "ls"}\n{"cmd": "git reset --hard"}\nnot json\n').stdout.trim().split('\n').map((l) => JSON.parse(l) as { decision: string; reasons: { rule: string; message: string }[] });
      assert.deepEqual(lines.map((l) => l.decision), ['allow', 'confirm', 'confirm']);
      for (const line of lines) {
        const reason = line.reasons.find((r) => r.rule === 'policy.invalid');
        assert.match(reason?.message ?? '', /bad\.json:3:45 .*strict built-in defaults/);
      }
    });
    it('answers one line per input line, in order', () => {
      const input = ['{"cmd": "git status"}', '{"cmd": "git reset --hard"}', '', '{"cmd": "rm -rf /"}'].join('\n');
      const lines = cli(['check', '--jsonl'], input).stdout.trim().split('\n').map((l) => JSON.parse(l) as { decision: string; environment: string; reasons: { rule: string; message: string; command: string }[] });
      assert.deepEqual(lines.map((l) => l.decision), ['allow', 'confirm', 'block']);
      assert.equal(lines[0]?.environment, 'unmarked');
      assert.deepEqual(Object.keys(lines[1]!.reasons[0]!).sort(), ['command', 'message', 'rule']);
    });
    it('bad input lines get a clear confirm, and nothing is lost', () => {
      const lines = cli(['check', '--jsonl'], 'not json\n{"nocmd": 1}\n{"cmd": "ls"}\n').stdout.trim().split('\n').map((l) => JSON.parse(l) as { decision: string; reasons: { rule: string }[] });
      assert.deepEqual(lines.map((l) => l.decision), ['confirm', 'confirm', 'allow']);
      assert.equal(lines[0]?.reasons[0]?.rule, 'cli.invalid-input');
    });
    it('honours per-line cwd and environment', () => {
      const input = [
        JSON.stringify({ cmd: "psql -h db.shop.internal -c 'select 1'", cwd: workspace }),
        JSON.stringify({ cmd: "psql -h db.shop.internal -c 'select 1'", cwd: workspace, environment: 'production' }),
        JSON.stringify({ cmd: 'ls', environment: 'nowhere' }),
      ].join('\n');
      const lines = cli(['check', '--jsonl'], input).stdout.trim().split('\n').map((l) => JSON.parse(l) as { decision: string; environment: string });
      assert.deepEqual(lines.map((l) => `${l.decision}/${l.environment}`), ['block/staging', 'allow/production', 'confirm/unmarked']);
    });
  });

  describe('explain', () => {
    it('prints the simple commands and the verdict', () => {
      const run = cli(['explain', '--', "sudo bash -c 'rm -rf ./data' && echo done"]);
      assert.equal(run.status, 2);
      assert.match(run.stdout, /argv \["rm","-rf","\.\/data"\]/);
      assert.match(run.stdout, /via: sudo › bash -c/);
      assert.match(run.stdout, /CONFIRM/);
    });
  });

  describe('validate', () => {
    it('exit 0 for a valid policy', () => assert.equal(cli(['validate', '--cwd', workspace]).status, 0));
    it('exit 4 for a --policy file that does not exist', () => {
      const run = cli(['validate', '--policy', missingPolicy]);
      assert.equal(run.status, 4);
      assert.match(run.stdout, /missing\.jsonc:1:1 {2}the policy file does not exist/);
      assert.doesNotMatch(run.stdout, /valid/);
    });
    it('exit 4 for an invalid policy, with positions', () => {
      const run = cli(['validate', '--policy', badPolicy]);
      assert.equal(run.status, 4);
      assert.match(run.stdout, /:3:45 /);
    });
  });

  describe('usage', () => {
    it('--help exits 0', () => assert.equal(cli(['--help']).status, 0));
    it('unknown commands exit 1 with usage', () => {
      const run = cli(['frobnicate']);
      assert.equal(run.status, 1);
      assert.match(run.stderr, /unknown command/);
    });
    it('check without a line exits 1', () => assert.equal(cli(['check']).status, 1));
  });
});

describe('hook claude-code', () => {
  const hook = (input: unknown) => cli(['hook', 'claude-code'], typeof input === 'string' ? input : JSON.stringify(input));
  it('says nothing for an allowed command', () => {
    const run = hook({ tool_name: 'Bash', tool_input: { command: 'git status' }, cwd: empty });
    assert.equal(run.status, 0);
    assert.equal(run.stdout, '');
  });
  it('denies a blocked command with the reasons, so the agent can reformulate', () => {
    const output = JSON.parse(hook({ tool_name: 'Bash', tool_input: { command: "psql -h db.shop.internal -c 'select 1'" }, cwd: workspace }).stdout) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
    assert.equal(output.hookSpecificOutput.permissionDecision, 'deny');
    assert.match(output.hookSpecificOutput.permissionDecisionReason, /env\.cross-environment/);
  });
  it('asks for a command that needs confirmation', () => {
    const output = JSON.parse(hook({ tool_name: 'Bash', tool_input: { command: 'git reset --hard' }, cwd: empty }).stdout) as { hookSpecificOutput: { permissionDecision: string } };
    assert.equal(output.hookSpecificOutput.permissionDecision, 'ask');
  });
  it('ignores other tools', () => assert.equal(hook({ tool_name: 'Read', tool_input: { file_path: '/etc/passwd' } }).stdout, ''));
  it('asks when the input cannot be read', () => {
    const output = JSON.parse(hook('{broken').stdout) as { hookSpecificOutput: { permissionDecision: string } };
    assert.equal(output.hookSpecificOutput.permissionDecision, 'ask');
  });
});

describe('package.json scripts through the CLI', () => {
  it('npm run db:reset is judged by the script it runs', () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-npm-'));
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ scripts: { 'db:reset': 'prisma migrate reset --force', build: 'tsc' } }));
    try {
      const reset = cli(['check', '--cwd', project, '--', 'npm run db:reset']);
      assert.equal(reset.status, 3);
      assert.match(reset.stdout, /framework\.prisma-reset/);
      assert.equal(cli(['check', '--cwd', project, '--', 'npm run build']).status, 0);
    } finally {
      fs.rmSync(project, { recursive: true });
    }
  });
});

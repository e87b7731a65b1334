// The prefilter: generated from the rule packs, never lets through what the engine would stop, same answer in bash.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { GUARDED_PROGRAMS, unguardedByRules } from '../../../src/hook/path-guard.js';
import { READ_ONLY_FORMS, SHELL_PROGRAMS, WRAPPER_PROGRAMS, buildPrefilter, isHarmless, writePrefilterFile, type PrefilterPhase } from '../../../src/hook/prefilter.js';
import { UNMARKED_POLICY } from '../../../src/policy/defaults.js';
import { programsWithRules } from '../../../src/rules/index.js';
import { check, policyFrom } from '../helpers/engine.js';
import { corpusDirectory, projectRoot } from '../helpers/project.js';
import { SHELL_DIRECTORY, hasProgram } from './harness.js';

const prefilter = buildPrefilter([UNMARKED_POLICY]);

const HARMLESS = ['ls', 'ls -la src', 'git status', 'git log --oneline -5', 'git diff HEAD~1', 'cat README.md', 'pwd', 'echo hello world',
  'kubectl get pods -n web', 'docker ps -a', 'npm ls', 'true', '', 'node --version', 'git branch', 'git branch -a', 'export FOO=bar', 'trap cleanup EXIT', 'set -e'];
const RISKY = ['cat a | tee .env', 'cp /dev/null .env', 'rm -rf build', 'git reset --hard', 'git branch -D main', 'git log --output=x', 'curl -X DELETE https://x', 'sudo ls', 'env ls', 'bash -c ls',
  'ls; rm -rf x', 'ls | sh', 'echo $(rm -rf x)', 'echo `id`', 'cat > .env', 'ls && git push --force', 'FOO=1 ls', '"rm" -rf x', "r''m -rf x", '\\rm -rf x',
  '/bin/rm -rf x', 'RM -rf x', 'eval ls', 'source x.sh', '. x.sh', 'xargs rm', 'find . -delete', 'python3 x.py', 'npm test', 'npm run reset', 'trap - DEBUG',
  'shopt -u extdebug', 'set +T', 'unset PROMPT_COMMAND', 'export PATH=/x', 'gradlew.bat clean', 'python3.12 x.py', 'ls\nrm -rf x', '__agent_guardrails_precmd',
  'kubectl get pods --watch', 'git stash drop', 'echo ${x}'];

describe('prefilter', () => {
  it('lets read-only lines through and sends risky ones to the server', () => {
    for (const line of HARMLESS) assert.equal(isHarmless(prefilter, line, 'line'), true, `harmless: ${line}`);
    for (const line of RISKY) assert.equal(isHarmless(prefilter, line, 'line'), false, `risky: ${line}`);
  });

  it('simple phase: expansions are fine, program names and redirections are not', () => {
    for (const text of ['echo "$i"', 'x=1', '[[ -f $f ]]', '(( i++ ))', 'diff "$a" "$b"']) assert.equal(isHarmless(prefilter, text, 'simple'), text !== 'x=1', text);
    for (const text of ['rm -rf "$d"', '$cmd arg', 'echo x > f', 'PATH=/x', 'git reset --hard']) assert.equal(isHarmless(prefilter, text, 'simple'), false, text);
  });

  it('every program a rule looks at is risky', () => {
    for (const program of programsWithRules()) {
      assert.equal(isHarmless(prefilter, `${program} some-arg`, 'line'), false, program);
    }
  });

  it('covers every wrapper and shell the analyser unwraps (src/shell/unwrap.ts)', () => {
    const source = fs.readFileSync(path.join(projectRoot(), 'src', 'shell', 'unwrap.ts'), 'utf8');
    const start = source.indexOf('const WRAPPERS = new Map');
    const table = source.slice(start, source.indexOf('\n]);', start));
    const names = [...table.matchAll(/^ {2}\['([^']+)'/gm)].map((m) => m[1]!);
    assert.ok(names.length > 20, 'found the wrapper table');
    const shells = /export const SHELLS[^=]*= set\(([^)]*)\)/.exec(source)?.[1]?.match(/'([^']+)'/g)?.map((s) => s.slice(1, -1)) ?? [];
    assert.ok(shells.length > 3, 'found the shell list');
    const known = new Set([...WRAPPER_PROGRAMS, ...SHELL_PROGRAMS]);
    assert.deepEqual([...names, ...shells].filter((n) => !known.has(n)), []);
  });

  it('every read-only form is allowed by the engine, and each key appears once', async () => {
    const keys = READ_ONLY_FORMS.map((f) => `${f.program} ${f.subcommand}`);
    assert.equal(new Set(keys).size, keys.length);
    for (const form of READ_ONLY_FORMS) {
      const line = form.subcommand === '*' ? `${form.program} -x` : `${form.program} ${form.subcommand}`;
      if (!isHarmless(prefilter, line, 'line')) continue;
      assert.equal((await check(line)).decision, 'allow', line);
    }
  });

  it('never lets through a corpus line the engine stops', { skip: corpusDirectory() === undefined && 'corpus not found' }, async () => {
    let harmless = 0;
    for (const file of fs.readdirSync(corpusDirectory()!).filter((f) => f.endsWith('.jsonl'))) {
      for (const row of fs.readFileSync(path.join(corpusDirectory()!, file), 'utf8').split('\n').filter(Boolean)) {
        const cmd = (JSON.parse(row) as { cmd: string }).cmd;
        if (!isHarmless(prefilter, cmd, 'line')) continue;
        harmless += 1;
        assert.equal((await check(cmd)).decision, 'allow', cmd);
      }
    }
    assert.ok(harmless > 50, `only ${harmless} corpus lines were harmless`);
  });

  it("sends lines naming another environment's identifiers or the policy's globs to the server", () => {
    const policy = policyFrom({ environment: 'staging', environments: { staging: { tier: 'staging' }, production: { tier: 'production', match: ['prod-db.internal', 'SHOP_PROD_*'] } }, commands: { block: ['*volumeDelete*'] } });
    const scoped = buildPrefilter([policy]);
    assert.notEqual(scoped.version, prefilter.version);
    for (const line of ['ping prod-db.internal', 'echo shop_prod_token', 'echo "SHOP_PROD_KEY"', 'mytool volumedelete x']) assert.equal(isHarmless(scoped, line, 'line'), false, line);
    assert.equal(isHarmless(scoped, 'ping staging-db.internal', 'line'), true);
    assert.equal(isHarmless(scoped, 'echo "unterminated', 'line'), false);
    assert.equal(buildPrefilter([policyFrom({ commands: { confirm: ['*'] } })]).everythingRisky, true);
  });

  /**
   * Runs the hook's __agent_guardrails_harmless (its definitions as shipped, without the part that installs it) on each
   * case in `shell`; returns 'y'/'n' per case.
   */
  function twinAnswers(shell: 'bash' | 'zsh', file: string, cases: readonly (readonly [PrefilterPhase, string])[]): string {
    const input = cases.map(([phase, line]) => `${phase}\u0001${line}`).join('\u0000');
    const hook = path.join(SHELL_DIRECTORY, `hook.${shell}`);
    const script = `AGENT_GUARDRAILS_PREFILTER=${JSON.stringify(file)}; source <(sed '/^# ---- install/,$d' ${JSON.stringify(hook)}); __agent_guardrails_prefilter_load
      while IFS= read -r -d '' entry; do phase=\${entry%%$'\\001'*}; line=\${entry#*$'\\001'}; if __agent_guardrails_harmless "$line" "$phase"; then printf 'y'; else printf 'n'; fi; done`;
    const run = spawnSync(shell, ['-c', script], { input: `${input}\u0000`, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: path.dirname(file) } });
    assert.equal(run.stderr, '');
    return run.stdout;
  }

  const TWIN_LINES = [...HARMLESS, ...RISKY, 'ping prod-db.internal', 'git  status', 'kill -l', 'kubectl get pods -w', 'ls --version', 'git stash list', 'git stash', 'manage.py flush',
    '   ', ' \t ls -la', 'ls\t-la', 'ls\f-la', 'FOO=bar', '{ ls; }', 'git status --porcelain=v2', 'kubectl  get   pods', 'GIT status', 'a,b:c@d%e+f'];

  for (const shell of ['bash', 'zsh'] as const) {
    it(`the ${shell} twin gives the same answers as isHarmless`, { skip: !hasProgram(shell) && `${shell} is not installed` }, () => {
      const policy = policyFrom({ environment: 'staging', environments: { production: { tier: 'production', match: ['prod-db.internal'] } } });
      const scoped = buildPrefilter([policy]);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-pf-'));
      try {
        const file = path.join(dir, 'prefilter.sh');
        writePrefilterFile(file, scoped);
        // zsh shows the hook whole sublists, so its hook applies the line rules in both phases.
        const cases = TWIN_LINES.flatMap((line) => [['line', line], ['simple', line]] as const);
        const answers = twinAnswers(shell, file, cases);
        const expected = cases.map(([phase, line]) => (isHarmless(scoped, line, shell === 'zsh' ? 'line' : phase) ? 'y' : 'n')).join('');
        assert.equal(answers, expected, cases.map(([p, l], i) => (answers[i] !== expected[i] ? `${p}:${JSON.stringify(l)} ${shell}=${answers[i]}` : '')).filter(Boolean).join('\n'));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('every PATH-guarded program has rules', () => {
    assert.deepEqual(unguardedByRules(GUARDED_PROGRAMS), []);
  });
});

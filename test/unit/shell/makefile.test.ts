// `make target` is judged by the recipes it runs: the Makefile reading, and the engine with a real folder.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evaluate, type Verdict } from '../../../src/engine.js';
import { folderContext } from '../../../src/shell/folder-context.js';
import { parseMakefile } from '../../../src/shell/makefile.js';
import { bashParser, tierPolicy } from '../helpers/engine.js';

const MAKEFILE = [
  'DB_URL := postgres://prod-db.internal/app',
  'BUILD ?= dist',
  'FLAGS = -rf',
  'FLAGS += --one-file-system',
  '.PHONY: db-reset build clean',
  '',
  'build: ## the default target',
  '\tnpm run build',
  '',
  'db-reset: check-env',
  '\t@echo "resetting $@"',
  '\t-psql $(DB_URL) \\',
  '\t  -c "DROP SCHEMA public CASCADE"',
  '',
  'check-env:',
  '\t@test -n "$$DATABASE_URL"',
  '',
  'clean:',
  '\trm $(FLAGS) $(BUILD)',
  '',
  'nuke: ; rm -rf $(HOME)/data',
  '',
  'list:',
  '\t@ls $(shell pwd)',
  '',
  'prod: DB_URL = postgres://other',
  'ifeq ($(CI),true)',
  'deploy:',
  '\tkubectl delete ns staging',
  'else',
  'deploy:',
  '\t@echo not in CI',
  'endif',
  '',
  '%.o: %.c',
  '\tcc -c $<',
].join('\n');

describe('parseMakefile', () => {
  const makefile = parseMakefile(MAKEFILE);
  it('the default target is the first one that is not special or a pattern', () => assert.equal(makefile.defaultTarget, 'build'));
  it('prerequisites run first, each recipe line without its @ - + prefix, continuations joined', () => {
    assert.equal(makefile.recipeFor(['db-reset']), [
      'test -n "$DATABASE_URL"',
      'echo "resetting db-reset"',
      'psql postgres://prod-db.internal/app -c "DROP SCHEMA public CASCADE"',
    ].join('\n'));
  });
  it('expands =, ?=, += and command-line overrides; an unset variable is a shell variable', () => {
    assert.equal(makefile.recipeFor(['clean']), 'rm -rf --one-file-system dist');
    assert.equal(makefile.recipeFor(['clean'], new Map([['BUILD', '/']])), 'rm -rf --one-file-system /');
    assert.equal(makefile.recipeFor(['nuke']), 'rm -rf ${HOME}/data');
  });
  it('what make computes is a run-time word', () => assert.equal(makefile.recipeFor(['list']), 'ls ${value_known_at_run_time}'));
  it('reads every branch of a conditional', () => assert.equal(makefile.recipeFor(['deploy']), 'kubectl delete ns staging\necho not in CI'));
  it('a target-specific variable is no rule; an unknown target gives nothing', () => {
    assert.equal(makefile.recipeFor(['prod']), undefined);
    assert.equal(makefile.recipeFor(['nope']), undefined);
  });
  it('no targets: the default one', () => assert.equal(makefile.recipeFor([]), 'npm run build'));
  it('prerequisite cycles end', () => assert.equal(parseMakefile('a: b\n\techo a\nb: a\n\techo b\n').recipeFor(['a']), 'echo b\necho a'));
});

describe('make in the engine, with a real folder', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-make-'));
    fs.writeFileSync(path.join(dir, 'Makefile'), MAKEFILE);
    fs.mkdirSync(path.join(dir, 'ops'));
    fs.writeFileSync(path.join(dir, 'ops', 'tasks.mk'), 'wipe:\n\trm -rf /srv/data\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const verdict = async (line: string, cwd = dir): Promise<Verdict> => evaluate(line, { policy: tierPolicy('staging'), parser: await bashParser(), ...folderContext(cwd) });
  const rules = (v: Verdict): string[] => v.reasons.map((r) => r.rule);

  it('make db-reset: the DROP SCHEMA in its recipe', async () => {
    const v = await verdict('make db-reset');
    assert.equal(v.decision, 'block');
    assert.ok(rules(v).some((r) => r.startsWith('sql.')), rules(v).join());
  });
  it('make -C, -f and gmake find the Makefile', async () => {
    assert.equal((await verdict(`make -C ${dir} db-reset`, os.tmpdir())).decision, 'block');
    assert.ok(rules(await verdict('make -f ops/tasks.mk wipe')).includes('fs.rm-recursive'));
    assert.ok(rules(await verdict('gmake --file=ops/tasks.mk wipe')).includes('fs.rm-recursive'));
    assert.ok(rules(await verdict('make -C ops -f tasks.mk wipe')).includes('fs.rm-recursive'));
  });
  it('a value attached to its option is no dry-run flag (`-Iinclude` holds an n)', async () => {
    for (const line of ['make -Iinclude db-reset', 'make -C. -fMakefile db-reset', 'make -kj4 db-reset']) assert.equal((await verdict(line)).decision, 'block', line);
    assert.equal((await verdict('make -kn db-reset')).decision, 'allow');
  });
  it('a command-line variable reaches the recipe', async () => assert.equal((await verdict('make clean BUILD=/')).decision, 'block'));
  it('harmless recipes, dry runs and folders without a Makefile are allowed', async () => {
    for (const line of ['make', 'make build', 'make -n db-reset', 'make --dry-run nuke', 'make -q deploy', 'make help']) {
      assert.equal((await verdict(line)).decision, 'allow', line);
    }
    assert.equal((await verdict('make db-reset', os.tmpdir())).decision, 'allow');
  });
});

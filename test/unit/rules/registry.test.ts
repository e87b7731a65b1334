// The rule registry: ids are well-formed and unique, every rule is tested, and the README's rule list is current.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { presentRulesMarkdown } from '../../../src/presenters/cli.js';
import { ALL_RULES, RULE_PACKS } from '../../../src/rules/index.js';
import { projectRoot } from '../helpers/project.js';

describe('rule registry', () => {
  it('ids are <domain>.<kebab-name> and unique', () => {
    const seen = new Set<string>();
    for (const rule of ALL_RULES) {
      assert.match(rule.meta.id, /^[a-z0-9]+\.[a-z0-9]+(-[a-z0-9]+)*$/, rule.meta.id);
      assert.ok(!seen.has(rule.meta.id), `duplicate rule id ${rule.meta.id}`);
      seen.add(rule.meta.id);
      assert.ok(rule.meta.description.length > 10, `${rule.meta.id} needs a description`);
      assert.ok(rule.programs === '*' || rule.programs.length > 0, `${rule.meta.id} looks at no program`);
    }
  });
  it('every rule has rows in its pack\'s test table', () => {
    const testDir = path.join(projectRoot(), 'test', 'unit', 'rules');
    const tests = fs.readdirSync(testDir).filter((f) => f.endsWith('.test.ts')).map((f) => fs.readFileSync(path.join(testDir, f), 'utf8')).join('\n');
    const untested = ALL_RULES.map((r) => r.meta.id).filter((id) => !tests.includes(`'${id}'`));
    assert.deepEqual(untested, [], 'rules without a test row');
  });
  it('the README lists every rule (regenerate with `npm run docs`)', () => {
    const readme = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');
    const section = /<!-- rules:start -->\n([\s\S]*?)\n<!-- rules:end -->/.exec(readme)?.[1];
    assert.equal(section, presentRulesMarkdown(RULE_PACKS));
  });
});

// Guard settings come from user settings only: a workspace (agent-writable) value never weakens a guard.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { GUARD_SETTINGS, describeIgnored, guardSettingsInFile, resolveGuardSetting } from '../../../src/policy/guard-settings.js';
import { projectRoot } from '../helpers/project.js';

describe('resolveGuardSetting', () => {
  const bulk = GUARD_SETTINGS.bulkThreshold;
  const mask = GUARD_SETTINGS.maskForeignVariables;

  it('a workspace or folder value is ignored and reported; the default stays in force', () => {
    const r = resolveGuardSetting(bulk, { defaultValue: 20, workspaceValue: 10_000, workspaceFolderValue: 5000 });
    assert.equal(r.value, 20);
    assert.equal(r.from, 'default');
    assert.deepEqual(r.ignored, [{ scope: 'workspace', value: 10_000 }, { scope: 'workspace folder', value: 5000 }]);
    const off = resolveGuardSetting(mask, { defaultValue: true, workspaceValue: false });
    assert.equal(off.value, true);
    assert.deepEqual(off.ignored, [{ scope: 'workspace', value: false }]);
  });

  it('the user value counts; a workspace value equal to it is not reported; a folder value equal to the workspace one is reported once', () => {
    assert.deepEqual(resolveGuardSetting(bulk, { defaultValue: 20, globalValue: 50, workspaceValue: 50 }), { value: 50, from: 'user settings', ignored: [] });
    assert.deepEqual(resolveGuardSetting(bulk, { defaultValue: 20, workspaceValue: 1, workspaceFolderValue: 1 }).ignored, [{ scope: 'workspace', value: 1 }]);
  });

  it('values VS Code hid from inspect() (application scope) are found in the raw settings files', () => {
    const r = resolveGuardSetting(GUARD_SETTINGS.maxSnapshotMB, { defaultValue: 256 }, { workspace: 1 });
    assert.equal(r.value, 256);
    assert.deepEqual(r.ignored, [{ scope: 'workspace', value: 1 }]);
    assert.match(describeIgnored(GUARD_SETTINGS.maxSnapshotMB.key, 'workspace', 1, r), /set agentGuardrails\.backups\.maxSnapshotMB to 1; ignored.*In force: 256 \(default\)/);
  });

  it('invalid values fall back: a bad user value to the default, a missing default to the built-in one', () => {
    assert.equal(resolveGuardSetting(bulk, { defaultValue: 20, globalValue: 'many' }).value, 20);
    assert.equal(resolveGuardSetting(bulk, { defaultValue: 20, globalValue: 0 }).value, 20);
    assert.equal(resolveGuardSetting(bulk, undefined).value, 20);
    assert.equal(resolveGuardSetting(mask, { globalValue: 'no' }).value, true);
  });
});

describe('guardSettingsInFile', () => {
  it('reads flat and nested keys from JSONC, and a workspace file\'s settings', () => {
    const flat = guardSettingsInFile('{\n // agent\n "agentGuardrails.files.bulkThreshold": 9999, "editor.tabSize": 2,\n}');
    assert.deepEqual([...flat], [['agentGuardrails.files.bulkThreshold', 9999]]);
    const nested = guardSettingsInFile('{ "agentGuardrails.environment": { "maskForeignVariables": false } }');
    assert.deepEqual([...nested], [['agentGuardrails.environment.maskForeignVariables', false]]);
    const workspace = guardSettingsInFile('{ "folders": [], "settings": { "agentGuardrails.backups.keepDays": 1 } }', true);
    assert.deepEqual([...workspace], [['agentGuardrails.backups.keepDays', 1]]);
    assert.deepEqual([...guardSettingsInFile('not json')], []);
  });
});

describe('package.json', () => {
  it('every guard setting is contributed with application scope and the same default', () => {
    const pkg = JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { scope?: string; default?: unknown }> } } };
    const props = pkg.contributes.configuration.properties;
    for (const spec of Object.values(GUARD_SETTINGS)) {
      assert.equal(props[spec.key]?.scope, 'application', spec.key);
      assert.equal(props[spec.key]?.default, spec.fallback, spec.key);
    }
    assert.deepEqual(Object.keys(props).sort(), Object.values(GUARD_SETTINGS).map((s) => s.key).sort(), 'no setting without a decision');
  });
});

// The extension's presenters are pure: status bar, modals, audit tree items, diagnostic ranges.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Verdict } from '../../../src/engine.js';
import type { AuditEntry } from '../../../src/extension/audit/entry.js';
import { groupAuditByDay, parseAuditLines } from '../../../src/extension/audit/entry.js';
import { presentIssueRanges } from '../../../src/extension/presenters/diagnostics.js';
import { presentBlocked, presentConfirmationStep1, presentConfirmationStep2, presentExplanation, presentPolicyChange, presentTypedConfirmation } from '../../../src/extension/presenters/modal.js';
import { mostCritical, presentStatusBar, type FolderPolicyView } from '../../../src/extension/presenters/status-bar.js';
import { presentAuditDay, presentAuditEntry } from '../../../src/extension/presenters/tree-item.js';
import { parsePolicy } from '../../../src/policy/load.js';

const COUNTS = { allow: 1, confirm: 2, block: 3, protectedPaths: 4, environments: 2 };
const folder = (name: string, tier: FolderPolicyView['tier'], extra: Partial<FolderPolicyView> = {}): FolderPolicyView => ({
  folderName: name, policyFile: `${name}/.vscode/guardrails.json`, status: tier === 'unmarked' ? 'unmarked' : 'ok', environment: tier, tier, counts: COUNTS, issueCount: 0, ...extra,
});

describe('presentStatusBar', () => {
  const rows: [string, FolderPolicyView[], string, string | undefined][] = [
    ['production', [folder('api', 'production')], '$(shield) PRODUCTION', 'statusBarItem.errorBackground'],
    ['staging', [folder('api', 'staging')], '$(shield) STAGING', 'statusBarItem.warningBackground'],
    ['development is plain', [folder('api', 'development')], '$(shield) development', undefined],
    ['unmarked: call to action', [folder('api', 'unmarked')], '$(shield) Guardrails: unmarked', undefined],
    ['a named environment shows its tier', [folder('api', 'staging', { environment: 'shop-stg' })], '$(shield) SHOP-STG (staging)', 'statusBarItem.warningBackground'],
    ['invalid policy: error state', [folder('api', 'production', { status: 'invalid', issueCount: 1 })], '$(error) Guardrails: policy invalid', 'statusBarItem.errorBackground'],
    ['pending loosening: warning mark', [folder('api', 'staging', { status: 'change-pending' })], '$(shield) STAGING $(warning)', 'statusBarItem.warningBackground'],
    ['multi-root: the most critical, +N', [folder('web', 'development'), folder('api', 'production'), folder('docs', 'unmarked')], '$(shield) PRODUCTION +2', 'statusBarItem.errorBackground'],
    ['not read yet (right after activation): reading, not unmarked', [folder('api', 'unmarked', { status: 'loading' })], '$(sync~spin) Guardrails: reading policy…', undefined],
    ['multi-root: a folder not read yet comes before an unmarked one', [folder('docs', 'unmarked'), folder('api', 'unmarked', { status: 'loading' })], '$(sync~spin) Guardrails: reading policy… +1', undefined],
    ['multi-root: a marked folder comes before one not read yet', [folder('api', 'unmarked', { status: 'loading' }), folder('web', 'staging')], '$(shield) STAGING +1', 'statusBarItem.warningBackground'],
    ['multi-root: an invalid folder wins', [folder('api', 'production'), folder('web', 'development', { status: 'invalid' })], '$(error) Guardrails: policy invalid +1', 'statusBarItem.errorBackground'],
  ];
  for (const [title, folders, text, color] of rows) {
    it(title, () => {
      const p = presentStatusBar(folders, []);
      assert.equal(p.text, text);
      assert.equal(p.backgroundColor, color);
    });
  }

  it('the tooltip lists every folder, the rule counts and the last decisions', () => {
    const entry: AuditEntry = { time: '2026-01-01T10:00:00Z', workspace: 'api', environment: 'production', tier: 'production', source: 'command', command: 'rm -rf data', decision: 'confirm', reasons: [], outcome: 'cancelled' };
    const p = presentStatusBar([folder('web', 'staging'), folder('api', 'production')], [entry]);
    assert.match(p.tooltip, /\*\*web\*\*: staging \(staging\)/);
    assert.match(p.tooltip, /\*\*api\*\*: production \(production\)/);
    assert.match(p.tooltip, /3 block · 2 confirm · 1 allow · 4 protected paths · 2 environments/);
    assert.match(p.tooltip, /confirm · cancelled: `rm -rf data`/);
  });

  it('the tooltip of a folder not read yet says so and offers no policy creation', () => {
    const p = presentStatusBar([folder('api', 'unmarked', { status: 'loading' })], []);
    assert.match(p.tooltip, /\*\*api\*\*: reading the policy…/);
    assert.match(p.tooltip, /the built-in rules apply until it is read/);
    assert.doesNotMatch(p.tooltip, /create/i);
  });

  it('the guards\' warnings (credentials, unguarded terminals) are listed under Warnings', () => {
    const p = presentStatusBar([folder('api', 'staging')], [], ['Terminal "bash" is unguarded: opened before activation']);
    assert.match(p.tooltip, /\*\*Warnings\*\*\n\n- \$\(warning\) Terminal "bash" is unguarded/);
  });

  it('mostCritical of nothing is undefined', () => {
    assert.equal(mostCritical([]), undefined);
  });
});

const verdict = (extra: Partial<Verdict> = {}): Verdict => ({
  decision: 'confirm', environment: 'production', tier: 'production', unanalyzable: false, typedConfirmation: 'production',
  reasons: [
    { rule: 'fs.rm-recursive', message: 'rm -r deletes a tree.', command: 'rm -rf data', severity: 'high' },
    { rule: 'engine.note', message: 'info only', command: 'rm -rf data', severity: 'info' },
  ],
  ...extra,
});
const request = { commandLine: 'rm -rf data', verdict: verdict(), source: 'terminal' as const, requester: 'bash (agent)', workspace: 'api' };

describe('confirmation modals', () => {
  it('step 1 names the command, environment, requester and reasons (not info reasons)', () => {
    const p = presentConfirmationStep1(request, 2);
    assert.match(p.message, /^PRODUCTION: bash \(agent\) wants to run/);
    assert.match(p.detail, /rm -rf data/);
    assert.match(p.detail, /asked by bash \(agent\) \(terminal\)/);
    assert.match(p.detail, /fs\.rm-recursive/);
    assert.doesNotMatch(p.detail, /info only/);
    assert.match(p.detail, /2 more requests waiting/);
    assert.equal(p.review, 'Review…');
  });

  it('step 2 says what comes next; the typed step asks for the exact name', () => {
    assert.match(presentConfirmationStep2(request).detail, /Next you type "production"/);
    assert.doesNotMatch(presentConfirmationStep2({ ...request, verdict: verdict({ typedConfirmation: undefined }) }).detail, /type/);
    assert.match(presentTypedConfirmation(request, 'production').prompt, /Type "production"/);
  });

  it('the backup line is shown in both steps when there is one, and not otherwise', () => {
    const backup = 'Before it runs, 14 files (2.1 MiB) under migrations/ are copied to the backup store (outside the workspace).';
    const withBackup = { ...request, backup };
    assert.match(presentConfirmationStep1(withBackup, 0).detail, /Backup:\nBefore it runs, 14 files \(2\.1 MiB\) under migrations\//);
    assert.match(presentConfirmationStep2(withBackup).detail, /Before it runs, 14 files/);
    assert.doesNotMatch(presentConfirmationStep1(request, 0).detail, /Backup:/);
    assert.doesNotMatch(presentConfirmationStep2(request).detail, /backup/i);
    const none = presentConfirmationStep1({ ...request, backup: 'No backup for $TARGET_DIR: unknown until the shell expands it.' }, 0);
    assert.match(none.detail, /No backup for \$TARGET_DIR/);
  });

  it('file operations speak of deleting and renaming files, with the same buttons', () => {
    const file = { ...request, source: 'file' as const, requester: 'a file operation', commandLine: 'Delete migrations (2 files)', verdict: verdict({ typedConfirmation: undefined }),
      fileOperation: { operation: 'delete' as const, fileCount: 2, isCountPartial: false, where: 'migrations/' } };
    const step1 = presentConfirmationStep1(file, 0);
    assert.equal(step1.message, 'PRODUCTION: a file operation wants to delete 2 files in migrations/, which needs your confirmation');
    assert.doesNotMatch(step1.message, /run a command/);
    assert.equal(step1.review, 'Review…');
    const step2 = presentConfirmationStep2(file);
    assert.equal(step2.message, 'Delete them once in PRODUCTION?');
    assert.match(step2.detail, /this delete of 2 files in migrations\/ only/);
    assert.equal(step2.runOnce, 'Run once');
    const one = { ...file, fileOperation: { operation: 'rename' as const, fileCount: 1, isCountPartial: false, where: 'src/app.ts' } };
    assert.match(presentConfirmationStep1(one, 0).message, /wants to rename 1 file in src\/app\.ts,/);
    assert.equal(presentConfirmationStep2(one).message, 'Rename it once in PRODUCTION?');
    const many = { ...file, fileOperation: { operation: 'delete' as const, fileCount: 5000, isCountPartial: true, where: 'data/' } };
    assert.match(presentConfirmationStep1(many, 0).message, /delete at least 5000 files in data\//);
    // Commands keep the command wording.
    assert.match(presentConfirmationStep2(request).message, /^Run this command once/);
  });

  it('blocked, explained, policy change', () => {
    assert.match(presentBlocked('x', verdict({ decision: 'block' })).message, /^Blocked in PRODUCTION/);
    assert.match(presentExplanation('rm -rf data', verdict()).detail, /Nothing was run\.$/);
    const change = presentPolicyChange('api', ['Block entries removed: "x".'], ['New protected paths: "y".']);
    assert.match(change.detail, /− Block entries removed/);
    assert.match(change.detail, /\+ New protected paths/);
  });
});

describe('audit entries and the tree', () => {
  const at = (time: string, outcome: AuditEntry['outcome'] = 'blocked'): AuditEntry => ({
    time, workspace: 'api', environment: 'staging', tier: 'staging', source: 'command', command: `cmd ${time}`, decision: 'block', reasons: [], outcome,
  });

  it('grouped by day, newest day and newest entry first', () => {
    const days = groupAuditByDay([at('2026-01-01T09:00:00'), at('2026-01-02T08:00:00'), at('2026-01-01T11:00:00')]);
    assert.deepEqual(days.map((d) => d.day), ['2026-01-02', '2026-01-01']);
    assert.deepEqual(days[1]!.entries.map((e) => e.time), ['2026-01-01T11:00:00', '2026-01-01T09:00:00']);
    assert.equal(presentAuditDay(days[0]!, '2026-01-02').label, 'Today (2026-01-02)');
    assert.match(presentAuditDay(days[1]!, '2026-01-02').description, /2 entries · 2 blocked/);
  });

  it('a torn or foreign line is skipped', () => {
    const good = JSON.stringify(at('2026-01-01T09:00:00'));
    assert.equal(parseAuditLines(`${good}\n{"time":"x"\nnot json\n${good}\n`).length, 2);
  });

  it('icons follow the outcome', () => {
    assert.equal(presentAuditEntry(at('2026-01-01T09:00:00', 'blocked')).icon, 'circle-slash');
    assert.equal(presentAuditEntry(at('2026-01-01T09:00:00', 'approved-by-person')).icon, 'pass');
    assert.equal(presentAuditEntry(at('2026-01-01T09:00:00', 'timed-out')).icon, 'close');
    assert.match(presentAuditEntry(at('2026-01-01T09:00:00', 'timed-out')).description, /^timed-out · staging · \d\d:\d\d:\d\d$/);
  });
});

describe('presentIssueRanges', () => {
  it('maps a policy issue to the value\'s range', () => {
    const text = '{\n  "environment": "staging",\n  "environments": { "p": { "tier": "prod" } }\n}\n';
    const result = parsePolicy(text, 'g.json');
    assert.equal(result.ok, false);
    const [range] = presentIssueRanges(text, result.issues);
    assert.ok(range);
    assert.equal(range.startLine, 2);
    assert.equal(text.split('\n')[2]!.slice(range.startCharacter, range.endCharacter), '"prod"');
    assert.match(range.message, /^environments\.p\.tier: expected one of/);
  });
});

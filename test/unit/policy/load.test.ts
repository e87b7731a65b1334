// Loading .vscode/guardrails.json: JSONC, positions of every problem, strict fallback, environments.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { policyForEnvironment } from '../../../src/policy/environments.js';
import { formatPolicyIssue } from '../../../src/policy/issues.js';
import { findPolicyFile, parsePolicy, readPolicyFile } from '../../../src/policy/load.js';

const VALID = `// A staging workspace.
{
  "environment": "staging", // this workspace
  "environments": {
    "staging": { "tier": "staging", "match": ["stg-*"] },
    "production": { "tier": "production", "match": ["prod-db.internal", "--context=prod",], },
  },
  "commands": { "allow": ["npm test"], "confirm": ["npm publish*"], "block": ["*volumeDelete*"] },
  "protectedPaths": [".env*", "migrations/**"],
  "confirmation": { "typed": "environment", "timeoutSeconds": 60 },
}
`;

describe('parsePolicy', () => {
  it('reads JSONC with comments and trailing commas', () => {
    const result = parsePolicy(VALID, 'guardrails.json');
    assert.equal(result.ok, true, JSON.stringify(result.issues));
    assert.equal(result.policy.environment, 'staging');
    assert.equal(result.policy.tier, 'staging');
    assert.deepEqual(result.policy.block, ['*volumeDelete*']);
    assert.equal(result.policy.timeoutSeconds, 60);
  });
  it('accepts a tier name as the environment', () => assert.equal(parsePolicy('{"environment": "production"}', 'x').policy.tier, 'production'));

  it('names the path, line and column of a wrong value', () => {
    const text = '{\n  "environment": "staging",\n  "environments": {\n    "production": { "tier": "prod" }\n  }\n}';
    const result = parsePolicy(text, 'guardrails.json');
    assert.equal(result.ok, false);
    const [issue] = result.issues;
    assert.deepEqual(issue?.path, ['environments', 'production', 'tier']);
    assert.equal(issue?.line, 4);
    assert.equal(issue?.column, 29);
    assert.equal(formatPolicyIssue('guardrails.json', issue!), 'guardrails.json:4:29  environments.production.tier: expected one of development|staging|production');
  });
  it('collects every problem at once', () => {
    const result = parsePolicy('{"environment": 3, "commands": {"allow": "npm test"}, "protectedPath": []}', 'x');
    assert.equal(result.ok, false);
    assert.deepEqual(result.issues.map((i) => i.path.join('.')).sort(), ['', 'commands.allow', 'environment'].sort());
    assert.match(result.issues.find((i) => i.path.length === 0)?.message ?? '', /unknown key "protectedPath"/);
  });
  it('reports JSON syntax errors with positions', () => {
    const result = parsePolicy('{\n  "environment": "staging"\n  "commands": {}\n}', 'x');
    assert.equal(result.ok, false);
    assert.equal(result.issues[0]?.code, 'parse');
    assert.equal(result.issues[0]?.line, 3);
  });
  it('rejects an unknown environment name', () => {
    const result = parsePolicy('{"environment": "qa", "environments": {"staging": {"tier": "staging"}}}', 'x');
    assert.equal(result.issues[0]?.code, 'unknown-environment');
    assert.match(result.issues[0]?.message ?? '', /staging\|development\|staging\|production|expected one of/);
  });
  it('an invalid policy never means "no rules": strict production defaults apply', () => {
    const result = parsePolicy('{ "environment": ', 'x');
    assert.equal(result.ok, false);
    assert.equal(result.policy.tier, 'production');
    assert.equal(result.policy.alwaysTyped, true);
    assert.match(result.policy.source, /strict/);
  });
  it('rejects a non-object', () => assert.equal(parsePolicy('[]', 'x').ok, false));
  it('rejects an empty identifier', () => assert.equal(parsePolicy('{"environments": {"p": {"tier": "production", "match": [""]}}}', 'x').ok, false));
});

describe('policy files', () => {
  it('finds the nearest .vscode/guardrails.json above a folder, and reads it', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-policy-'));
    fs.mkdirSync(path.join(root, '.vscode'));
    fs.mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(root, '.vscode', 'guardrails.json'), VALID);
    const file = findPolicyFile(path.join(root, 'a', 'b'));
    assert.equal(file, path.join(root, '.vscode', 'guardrails.json'));
    assert.equal(readPolicyFile(file!).policy.environment, 'staging');
    fs.rmSync(root, { recursive: true });
  });
  it('a missing file is the unmarked workspace', () => assert.equal(readPolicyFile('/nonexistent/guardrails.json').policy.tier, 'unmarked'));
  it('an unreadable file is the strict fallback', () => {
    const result = readPolicyFile(os.tmpdir());
    assert.equal(result.ok, false);
    assert.equal(result.policy.tier, 'production');
  });
});

describe('policyForEnvironment', () => {
  const policy = parsePolicy(VALID, 'x').policy;
  it('switches to another defined environment', () => assert.equal(policyForEnvironment(policy, 'production')?.tier, 'production'));
  it('accepts tier names', () => assert.equal(policyForEnvironment(policy, 'development')?.tier, 'development'));
  it('refuses unknown names', () => assert.equal(policyForEnvironment(policy, 'qa'), undefined));
});

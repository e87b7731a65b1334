// Credentials and identifiers of a more critical environment in workspace files and environment variables.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  credentialFileKind, isSecretName, looksLikeCredential, scanCredentialFile, scanEnvironmentVariables, variablesToMask, type CredentialFinding,
} from '../../../src/policy/credentials.js';
import { UNMARKED_POLICY } from '../../../src/policy/defaults.js';
import { policyFrom } from '../helpers/engine.js';

const ENVIRONMENTS = {
  development: { tier: 'development', match: ['localhost-db', 'DEV_*'] },
  staging: { tier: 'staging', match: ['staging-db.internal', '--context=staging', 'stg-*', 'SHOP_STG_*'] },
  production: {
    tier: 'production',
    match: ['db.prod.internal', '*.prod.example.com', '--context=prod', '--profile=shop-prod', 'SHOP_PROD_*', 'backboard.railway.app', 'prod-cluster'],
  },
};
const staging = policyFrom({ environment: 'staging', environments: ENVIRONMENTS });
const production = policyFrom({ environment: 'production', environments: ENVIRONMENTS });
const development = policyFrom({ environment: 'development', environments: ENVIRONMENTS });

/** `[line, column, found, place, isSecret]` rows, the compact view the tests compare. */
function rows(findings: readonly CredentialFinding[]): [number, number, string, string, boolean][] {
  return findings.map((f) => [f.line, f.column, f.found, f.place, f.isSecret]);
}

describe('scanCredentialFile: .env', () => {
  const text = [
    '# staging settings',                                              // 1
    'SHOP_STG_TOKEN=stg-abc',                                         // 2  own environment: fine
    'DATABASE_URL=postgres://admin:hunter2@db.prod.internal/shop',    // 3
    'export SHOP_PROD_TOKEN="ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"', // 4
    "API_URL='https://api.prod.example.com:8443/v1' # prod API",       // 5
    'PRODUCT_NAME=production-ready shop',                             // 6  `prod` inside words: no match
    'NOTE=see db.prod.internal.example.org',                          // 7  a longer host: no match
    'MULTI="line one',                                                // 8
    'db.prod.internal line two"',                                     // 9
    '#SHOP_PROD_PASSWORD=old-one',                                    // 10 commented out: still readable
    'RAILWAY_URL=https://backboard.railway.app/graphql/v2',           // 11
  ].join('\n');

  it('finds names, hosts in values, quoted and multi-line values, commented-out lines; positions are exact', () => {
    const findings = scanCredentialFile(staging, '.env.staging', text);
    assert.deepEqual(rows(findings), [
      [3, 39, 'db.prod.internal', 'value', true],
      [4, 8, 'SHOP_PROD_TOKEN', 'name', true],
      [5, 18, 'api.prod.example.com', 'value', false],
      [9, 1, 'db.prod.internal', 'value', false],
      [10, 2, 'SHOP_PROD_PASSWORD', 'name', true],
      [11, 21, 'backboard.railway.app', 'value', false],
    ]);
    const lines = text.split('\n');
    for (const f of findings) assert.equal(lines[f.line - 1]!.slice(f.column - 1, f.column - 1 + f.length), f.found);
  });

  it('says what was found in a sentence a person understands', () => {
    const findings = scanCredentialFile(staging, '.env', text);
    const byFound = (found: string, line: number) => findings.find((f) => f.found === found && f.line === line)!;
    assert.equal(byFound('SHOP_PROD_TOKEN', 4).message, 'a production token is reachable from this staging workspace: SHOP_PROD_TOKEN (line 4)');
    assert.equal(byFound('db.prod.internal', 3).message, 'a production credential is reachable from this staging workspace: DATABASE_URL points at db.prod.internal (line 3)');
    assert.equal(byFound('api.prod.example.com', 5).message, 'this staging workspace points at production: API_URL points at api.prod.example.com (line 5)');
    assert.equal(byFound('SHOP_PROD_PASSWORD', 10).message, 'a production password is reachable from this staging workspace: SHOP_PROD_PASSWORD (line 10, commented out but readable)');
    assert.equal(byFound('SHOP_PROD_PASSWORD', 10).isCommentedOut, true);
    const token = byFound('SHOP_PROD_TOKEN', 4);
    assert.deepEqual([token.environment, token.tier, token.identifier, token.variable, token.file], ['production', 'production', 'SHOP_PROD_*', 'SHOP_PROD_TOKEN', '.env']);
  });

  it('reports nothing for the own or a less critical environment, and nothing in production', () => {
    assert.deepEqual(scanCredentialFile(staging, '.env', 'SHOP_STG_TOKEN=x\nDEV_DB=localhost-db\nURL=https://staging-db.internal'), []);
    assert.deepEqual(scanCredentialFile(production, '.env', text), []);
  });

  it('a development workspace sees staging and production identifiers', () => {
    const findings = scanCredentialFile(development, '.env', 'SHOP_STG_TOKEN=x\nSHOP_PROD_TOKEN=y');
    assert.deepEqual(findings.map((f) => [f.found, f.environment]), [['SHOP_STG_TOKEN', 'staging'], ['SHOP_PROD_TOKEN', 'production']]);
  });

  it('an unmarked workspace sees every environment above development', () => {
    const unmarked = { ...UNMARKED_POLICY, environments: staging.environments };
    const [finding] = scanCredentialFile(unmarked, '.env', 'SHOP_PROD_TOKEN=y');
    assert.equal(finding?.message, 'a production token is reachable from this unmarked workspace: SHOP_PROD_TOKEN (line 1)');
  });

  it('handles CRLF line endings, spaces around =, and an empty file', () => {
    assert.deepEqual(rows(scanCredentialFile(staging, '.env', 'A=1\r\nSHOP_PROD_KEY = abc\r\n')), [[2, 1, 'SHOP_PROD_KEY', 'name', true]]);
    assert.deepEqual(scanCredentialFile(staging, '.env', ''), []);
  });

  it('a value that names a variable of production (expansion) is found', () => {
    assert.deepEqual(rows(scanCredentialFile(staging, '.env', 'TOKEN=${SHOP_PROD_TOKEN}')), [[1, 9, 'SHOP_PROD_TOKEN', 'value', true]]);
  });
});

describe('scanCredentialFile: tfvars', () => {
  it('reads assignments, maps, lists and heredocs, ignoring comments', () => {
    const text = [
      'region = "eu-west-1"',                                  // 1
      '# db_host = "db.prod.internal"',                        // 2 comment
      'db_host = "db.prod.internal" // the prod db',           // 3
      'tags = {',                                              // 4
      '  "owner" = "team"',                                    // 5
      '  cluster = "prod-cluster"',                            // 6
      '}',                                                     // 7
      'allowed_hosts = [',                                     // 8
      '  "web.prod.example.com",',                             // 9
      ']',                                                     // 10
      'init_script = <<EOT',                                   // 11
      'psql -h db.prod.internal',                              // 12
      'EOT',                                                   // 13
      'shop_prod_api_key = "AKIAABCDEFGHIJKLMNOP"',            // 14
    ].join('\n');
    const findings = scanCredentialFile(staging, 'prod.auto.tfvars', text);
    assert.deepEqual(rows(findings), [
      [3, 12, 'db.prod.internal', 'value', false],
      [6, 14, 'prod-cluster', 'value', false],
      [9, 4, 'web.prod.example.com', 'value', false],
      [12, 9, 'db.prod.internal', 'value', false],
      [14, 1, 'shop_prod_api_key', 'name', true],
    ]);
    assert.equal(findings[3]?.variable, 'init_script');
    assert.equal(findings[2]?.variable, 'allowed_hosts');
  });

  it('reads tfvars.json with positions', () => {
    const text = '{\n  "db_host": "db.prod.internal",\n  "SHOP_PROD_TOKEN": "x"\n}';
    assert.deepEqual(rows(scanCredentialFile(staging, 'x.tfvars.json', text)), [[2, 15, 'db.prod.internal', 'value', false], [3, 4, 'SHOP_PROD_TOKEN', 'name', true]]);
  });
});

describe('scanCredentialFile: kubeconfig (line-based YAML)', () => {
  const kubeconfig = [
    'apiVersion: v1',                                                   // 1
    'kind: Config',                                                     // 2
    'clusters:',                                                        // 3
    '- cluster:',                                                       // 4
    '    server: https://k8s.prod.example.com:6443',                    // 5
    '  name: prod-cluster',                                             // 6
    'contexts:',                                                        // 7
    '- context:',                                                       // 8
    '    cluster: stg',                                                 // 9
    '    user: stg-admin',                                              // 10
    '  name: staging',                                                  // 11
    '- name: prod   # careful',                                         // 12
    '  context:',                                                       // 13
    '    cluster: prod-cluster',                                        // 14
    '    user: admin',                                                  // 15
    'current-context: "prod"',                                          // 16
    'users:',                                                           // 17
    '- name: admin',                                                    // 18
    '  user:',                                                          // 19
    '    token: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl', // 20
  ].join('\n');

  it('finds the current context, context names, cluster names and server hosts', () => {
    const findings = scanCredentialFile(staging, '/home/me/.kube/config', kubeconfig);
    assert.deepEqual(findings.map((f) => [f.line, f.column, f.found, f.place]), [
      [5, 21, 'k8s.prod.example.com', 'value'],
      [6, 9, 'prod-cluster', 'value'],
      [12, 9, 'prod', 'kube-context'],
      [14, 14, 'prod-cluster', 'value'],
      [16, 19, 'prod', 'kube-current-context'],
    ]);
    const lines = kubeconfig.split('\n');
    for (const f of findings) assert.equal(lines[f.line - 1]!.slice(f.column - 1, f.column - 1 + f.length), f.found);
    const current = findings.find((f) => f.place === 'kube-current-context')!;
    assert.equal(current.message, 'the kubeconfig\'s current context is production ("prod", line 16): kubectl run from this staging workspace acts on production');
    assert.equal(current.identifier, '--context=prod');
    assert.equal(findings.find((f) => f.place === 'kube-context')?.message, 'the kubeconfig has a production context ("prod", line 12): kubectl can reach production from this staging workspace');
  });

  it('does not take `staging` (own context) or nested `cluster:` keys for context names', () => {
    const findings = scanCredentialFile(staging, 'kubeconfig', kubeconfig);
    assert.ok(!findings.some((f) => f.found === 'staging'));
    assert.equal(findings.filter((f) => f.place === 'kube-context').length, 1);
  });

  it('is recognised by name: .kube/config, kubeconfig*, *.kubeconfig', () => {
    for (const name of ['/home/me/.kube/config', 'kubeconfig', 'kubeconfig-prod.yaml', 'ci.kubeconfig']) assert.equal(credentialFileKind(name), 'yaml', name);
  });
});

describe('scanCredentialFile: .npmrc, aws, docker config.json', () => {
  it('.npmrc: a registry host in a key with an auth token', () => {
    const text = '; comment\nregistry=https://registry.npmjs.org/\n//npm.prod.example.com/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789\n';
    const findings = scanCredentialFile(staging, '.npmrc', text);
    assert.deepEqual(rows(findings), [[3, 3, 'npm.prod.example.com', 'name', true]]);
    assert.equal(findings[0]?.message, 'a production token is reachable from this staging workspace: //npm.prod.example.com/:_authToken (line 3)');
  });

  it('~/.aws/credentials: a profile section of production holding a secret', () => {
    const text = '[default]\naws_access_key_id = AKIAEXAMPLEEXAMPLE12\n\n[shop-prod]\naws_access_key_id = AKIAABCDEFGHIJKLMNOP\naws_secret_access_key = abc\n';
    const findings = scanCredentialFile(staging, '/home/me/.aws/credentials', text);
    assert.deepEqual(rows(findings), [[4, 2, 'shop-prod', 'section', true]]);
    assert.equal(findings[0]?.message, 'a production credential is reachable from this staging workspace: [shop-prod] (line 4)');
  });

  it('~/.aws/config: [profile shop-prod]', () => {
    assert.deepEqual(rows(scanCredentialFile(staging, '.aws/config', '[profile shop-prod]\nregion = eu-west-1\n')), [[1, 10, 'shop-prod', 'section', false]]);
  });

  it('docker config.json: a production registry with stored auth', () => {
    const text = JSON.stringify({ auths: { 'registry.prod.example.com': { auth: 'dXNlcjpwYXNz' }, 'ghcr.io': { auth: 'eA==' } }, credHelpers: { 'ecr.prod.example.com': 'ecr-login' } }, null, 2);
    const findings = scanCredentialFile(staging, '/home/me/.docker/config.json', text);
    assert.deepEqual(findings.map((f) => [f.found, f.place, f.isSecret]), [['registry.prod.example.com', 'name', true], ['ecr.prod.example.com', 'name', true]]);
  });

  it('unknown files are read as plain text, still by whole words', () => {
    assert.deepEqual(rows(scanCredentialFile(staging, 'notes.txt', 'connect to db.prod.internal\nproduct catalogue')), [[1, 12, 'db.prod.internal', 'value', false]]);
  });

  it('malformed JSON does not throw and is still scanned', () => {
    const findings = scanCredentialFile(staging, 'config.tfvars.json', '{ "host": "db.prod.internal", ');
    assert.deepEqual(findings.map((f) => f.found), ['db.prod.internal']);
  });
});

describe('scanEnvironmentVariables and variablesToMask', () => {
  const env = {
    PATH: '/usr/bin', HOME: '/home/me', PWD: '/work/shop',
    SHOP_PROD_TOKEN: 'abc',
    DATABASE_URL: 'postgres://admin:pw@db.prod.internal/shop',
    AWS_PROFILE: 'shop-prod',
    KUBE_CONTEXT: 'prod',
    PRODUCT: 'prod-uct',
    SHOP_STG_TOKEN: 'own',
    EDITOR: undefined,
  };

  it('finds variable names, hosts in values, and values of target variables (AWS_PROFILE, KUBE_CONTEXT)', () => {
    const findings = scanEnvironmentVariables(staging, env);
    assert.deepEqual(findings.map((f) => [f.variable, f.found, f.place]).sort(), [
      ['AWS_PROFILE', 'shop-prod', 'value'],
      ['DATABASE_URL', 'db.prod.internal', 'value'],
      ['KUBE_CONTEXT', 'prod', 'value'],
      ['SHOP_PROD_TOKEN', 'SHOP_PROD_TOKEN', 'name'],
    ]);
    const token = findings.find((f) => f.variable === 'SHOP_PROD_TOKEN')!;
    assert.equal(token.message, 'a production token is reachable from this staging workspace: SHOP_PROD_TOKEN (environment variable)');
    assert.equal(token.file, '(environment)');
  });

  it('lists the variables a terminal should not see', () => {
    assert.deepEqual(variablesToMask(staging, env), ['AWS_PROFILE', 'DATABASE_URL', 'KUBE_CONTEXT', 'SHOP_PROD_TOKEN']);
    assert.deepEqual(variablesToMask(production, env), []);
    assert.deepEqual(variablesToMask(UNMARKED_POLICY, env), []);
  });
});

describe('secret detection', () => {
  for (const name of ['SHOP_PROD_TOKEN', 'db_password', 'apiKey', 'API_KEY', '_authToken', 'client-key-data', 'aws_secret_access_key', 'GITHUB_PAT', 'PGPASSWORD'.replace('PGPASSWORD', 'PG_PASSWORD')]) {
    it(`${name} is a secret name`, () => assert.equal(isSecretName(name), true));
  }
  for (const name of ['PWD', 'OLDPWD', 'DATABASE_HOST', 'MONKEY_BUSINESS', 'KEYBOARD_LAYOUT', 'REGION']) {
    it(`${name} is not a secret name`, () => assert.equal(isSecretName(name), false));
  }
  for (const value of ['postgres://admin:hunter2@db/x', 'ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'AKIAABCDEFGHIJKLMNOP', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
    'sk_live_abcdefghijklmnop', '-----BEGIN RSA PRIVATE KEY-----', 'q8Zr3Kx9Lm2Vn7Bt5Wy1Hc4Jd6Fg0Ps']) {
    it(`${value.slice(0, 24)}… looks like a credential`, () => assert.equal(looksLikeCredential(value), true));
  }
  for (const value of ['postgres://db.prod.internal/shop', 'https://api.example.com/v1', 'eu-west-1', 'production', '/usr/local/bin:/usr/bin', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']) {
    it(`${value} does not look like a credential`, () => assert.equal(looksLikeCredential(value), false));
  }
});

describe('credentialFileKind', () => {
  const cases: [string, string | undefined][] = [
    ['.env', 'dotenv'], ['api/.env.local', 'dotenv'], ['prod.env', 'dotenv'], ['.envrc', 'dotenv'], ['main.tfvars', 'tfvars'], ['x.tfvars.json', 'json'],
    ['.npmrc', 'ini'], ['/h/.aws/credentials', 'ini'], ['/h/.docker/config.json', 'json'], ['src/index.ts', undefined], ['environment.ts', undefined],
  ];
  for (const [file, kind] of cases) it(`${file} → ${kind}`, () => assert.equal(credentialFileKind(file), kind));
});

// The engine: environment scoping (the incident), policy lists, production strictness, failing closed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, evaluateWithoutParser } from '../../src/engine.js';
import { strictFallbackPolicy, UNMARKED_POLICY } from '../../src/policy/defaults.js';
import { compileIdentifier } from '../../src/policy/environments.js';
import { check, policyFrom } from './helpers/engine.js';

const shopStaging = policyFrom({
  environment: 'staging',
  environments: {
    staging: { tier: 'staging', match: ['staging-db.shop.internal', 'api.staging.shop.example', '--context=shop-staging', 'SHOP_STAGING_*'] },
    production: { tier: 'production', match: ['db.shop.internal', 'api.shop.example', '--context=shop-prod', 'SHOP_PROD_*', 'PLATFORM_ADMIN_TOKEN', 's3://shop-prod-*', '*.prod.internal'] },
  },
  commands: { allow: ['npm run seed:staging', 'rm -rf ./fixtures*', 'curl*'], confirm: ['npm run migrate*'], block: ['*backupsDelete*'] },
  protectedPaths: ['.env*', 'migrations/**'],
});
const shopProduction = policyFrom({ environment: 'production', environments: { production: { tier: 'production', match: ['db.shop.internal'] } } });

describe('engine', () => {
  describe('cross-environment access is blocked', () => {
    const blocked = [
      'curl -X POST https://api.shop.example/graphql -H "Authorization: Bearer $PLATFORM_ADMIN_TOKEN" -d \'{"query":"{ me { id } }"}\'',
      "psql -h db.shop.internal -U admin -c 'select 1'",
      'psql postgres://admin@db.shop.internal:5432/shop',
      'kubectl --context=shop-prod get pods',
      'kubectl --context shop-prod get pods',
      'export SHOP_PROD_DATABASE_URL=postgres://x && npm run db:sync',
      'SHOP_PROD_TOKEN=abc npm run deploy',
      'echo $SHOP_PROD_TOKEN',
      'aws s3 ls s3://shop-prod-assets/',
      'redis-cli -h cache.prod.internal ping',
      "psql -d shop <<'SQL'\n\\c postgres://db.shop.internal/shop\nSQL",
      "bash -c 'curl https://api.shop.example/health'",
    ];
    for (const cmd of blocked) {
      it(cmd.replace(/\n/g, '⏎'), async () => {
        const verdict = await check(cmd, shopStaging);
        assert.equal(verdict.decision, 'block');
        assert.equal(verdict.reasons[0]?.rule, 'env.cross-environment');
      });
    }
    const allowed = [
      "psql -h staging-db.shop.internal -U app -c 'select count(*) from orders'",
      'kubectl --context=shop-staging get pods',
      'curl -s https://api.staging.shop.example/health',
      'npm run build -- --mode product',
      'grep -r production-ready docs/',
      'echo db.shop.internalx',
    ];
    for (const cmd of allowed) it(`allows ${cmd}`, async () => assert.equal((await check(cmd, shopStaging)).decision, 'allow'));

    it('an allow entry never overrides it', async () => {
      const verdict = await check('curl https://api.shop.example/health', shopStaging);
      assert.equal(verdict.decision, 'block');
    });
    it('a production workspace may use production identifiers', async () => {
      assert.equal((await check("psql -h db.shop.internal -c 'select 1'", shopProduction)).decision, 'allow');
    });
  });

  describe('identifiers match as whole words', () => {
    const cases: [string, string, boolean][] = [
      ['prod', 'product', false], ['prod', 'deploy prod now', true], ['db.shop.internal', 'staging-db.shop.internal', false],
      ['db.shop.internal', 'postgres://a@db.shop.internal:5432/x', true], ['SHOP_PROD_*', '$SHOP_PROD_PG_PASSWORD', true], ['SHOP_PROD_*', 'MY_SHOP_PROD_X', false],
      ['*.prod.internal', 'https://api.prod.internal/x', true], ['s3://shop-prod-*', 's3://shop-prod-assets/key', true], ['--context=prod', '--context=prod', true],
      ['--context=prod', '--context=production', false],
    ];
    for (const [identifier, text, expected] of cases) {
      it(`${identifier} ${expected ? 'matches' : 'does not match'} ${text}`, () => assert.equal(compileIdentifier(identifier).test(text), expected));
    }
  });

  describe('policy lists', () => {
    it('block entries block', async () => {
      const verdict = await check(`curl https://api.staging.shop.example/graphql -d '{"query":"mutation { backupsDelete(all: true) }"}'`, shopStaging);
      assert.equal(verdict.decision, 'block');
      assert.ok(verdict.reasons.some((r) => r.rule === 'policy.block'));
    });
    it('confirm entries confirm', async () => assert.equal((await check('npm run migrate:latest', shopStaging)).decision, 'confirm'));
    it('allow entries waive non-critical findings', async () => {
      const verdict = await check('rm -rf ./fixtures-old', shopStaging);
      assert.equal(verdict.decision, 'allow');
      assert.ok(verdict.reasons.some((r) => r.rule === 'fs.rm-recursive' && r.severity === 'info'));
    });
    it('allow entries apply per command, not to the rest of the line', async () => {
      assert.equal((await check('npm run seed:staging && git reset --hard', shopStaging)).decision, 'confirm');
    });
    describe('an allow entry ending in * covers its own command, not what is chained to it', () => {
      const npmTest = policyFrom({
        environment: 'staging',
        environments: { production: { tier: 'production', match: ['db.shop.internal'] } },
        commands: { allow: ['npm test*', 'bash -c*'], block: ['*terraform destroy*'] },
      });
      for (const cmd of ['npm test', 'npm test -- --watch', 'npm test -- --grep "a b"', 'bash -c "$SCRIPT"']) {
        it(`allows ${cmd}`, async () => assert.equal((await check(cmd, npmTest)).decision, 'allow'));
      }
      const confirmed = [
        'npm test && rm -rf src', 'npm test; git reset --hard', 'npm test "$(rm -rf src)"', 'npm test `git reset --hard`',
        'npm test | sh -c "rm -rf src"', 'npm test & rm -rf src', 'npm test\nrm -rf src', 'npm test <(rm -rf src)',
        'npm test && bash -c "$SCRIPT"', 'npm test "unterminated', 'npm test; (rm -rf src)',
      ];
      for (const cmd of confirmed) {
        it(`confirms ${cmd}`, async () => {
          const verdict = await check(cmd.replace('\\n', '\n'), npmTest);
          assert.equal(verdict.decision, 'confirm', JSON.stringify(verdict.reasons));
          assert.ok(verdict.reasons.some((r) => r.severity !== 'info' && r.rule !== 'policy.allow'));
        });
      }
      it('a block entry matching part of the line still blocks', async () => {
        const verdict = await check('npm test && terraform destroy -auto-approve', npmTest);
        assert.equal(verdict.decision, 'block');
        assert.ok(verdict.reasons.some((r) => r.rule === 'policy.block'));
      });
      it('never the cross-environment block', async () => {
        const verdict = await check('npm test -- --host db.shop.internal', npmTest);
        assert.equal(verdict.decision, 'block');
        assert.equal(verdict.reasons[0]?.rule, 'env.cross-environment');
      });
      it('the allowed command\'s own findings stay waived when something else is chained', async () => {
        const policy = policyFrom({ environment: 'staging', commands: { allow: ['rm -rf ./fixtures*'] } });
        const verdict = await check('rm -rf ./fixtures-old && git reset --hard', policy);
        assert.equal(verdict.decision, 'confirm');
        assert.ok(verdict.reasons.some((r) => r.rule === 'fs.rm-recursive' && r.severity === 'info'));
        assert.ok(verdict.reasons.some((r) => r.rule === 'git.reset-hard' && r.severity !== 'info'));
      });
    });
    it('allow entries never waive a critical finding', async () => {
      const policy = policyFrom({ environment: 'development', commands: { allow: ['rm *'] } });
      assert.equal((await check('rm -rf /', policy)).decision, 'block');
    });
    it('globs match across slashes', async () => {
      const policy = policyFrom({ environment: 'development', commands: { block: ['*//evil.example/*'] } });
      assert.equal((await check('curl https://evil.example/x', policy)).decision, 'block');
    });
  });

  describe('environments', () => {
    it('a production workspace asks to type the environment name', async () => {
      const verdict = await check('git reset --hard', shopProduction);
      assert.equal(verdict.decision, 'confirm');
      assert.equal(verdict.typedConfirmation, 'production');
    });
    it('staging confirms with clicks only', async () => assert.equal((await check('git reset --hard', shopStaging)).typedConfirmation, undefined));
    it('resource typing when the policy asks for it', async () => {
      const policy = policyFrom({ environment: 'production', confirmation: { typed: 'resource' } });
      assert.equal((await check('rm -rf ./backups', policy)).typedConfirmation, './backups');
    });
    it('an invalid policy falls back to strict defaults: typed confirmation everywhere', async () => {
      const verdict = await check('git reset --hard', strictFallbackPolicy('test'));
      assert.equal(verdict.decision, 'confirm');
      assert.equal(verdict.typedConfirmation, 'production');
    });
  });

  describe('under the strict defaults of an invalid policy, every verdict says so', () => {
    const fallback = strictFallbackPolicy('guardrails.json:4:1 invalid JSON: close brace expected');
    it('a harmless command is still allowed, with the reason', async () => {
      const verdict = await check('ls -la', fallback);
      assert.equal(verdict.decision, 'allow');
      const reason = verdict.reasons.find((r) => r.rule === 'policy.invalid');
      assert.equal(reason?.severity, 'info');
      assert.match(reason?.message ?? '', /close brace expected.*strict built-in defaults/);
    });
    it('a destructive command confirms, typed, with the reason', async () => {
      const verdict = await check('git reset --hard', fallback);
      assert.equal(verdict.decision, 'confirm');
      assert.ok(verdict.reasons.some((r) => r.rule === 'policy.invalid'));
    });
    it('also before the parser has loaded', () => {
      assert.ok(evaluateWithoutParser('ls', fallback).reasons.some((r) => r.rule === 'policy.invalid'));
      assert.ok(evaluateWithoutParser('rm -rf x', fallback).reasons.some((r) => r.rule === 'policy.invalid'));
    });
    it('not under a valid policy', async () => assert.ok(!(await check('ls -la', shopStaging)).reasons.some((r) => r.rule === 'policy.invalid')));
  });

  describe('every verdict has reasons', () => {
    it('allow says why', async () => {
      const verdict = await check('ls -la');
      assert.equal(verdict.decision, 'allow');
      assert.equal(verdict.reasons[0]?.rule, 'engine.no-match');
    });
    it('reasons name the simple command and the safer alternative', async () => {
      const verdict = await check('cd app && sudo git push --force origin main');
      assert.equal(verdict.reasons[0]?.command, 'git push --force origin main');
      assert.match(verdict.reasons[0]?.message ?? '', /--force-with-lease/);
    });
  });

  describe('fails closed', () => {
    it('syntax errors confirm', async () => {
      const verdict = await check('echo "unterminated');
      assert.equal(verdict.decision, 'confirm');
      assert.equal(verdict.unanalyzable, true);
      assert.equal(verdict.reasons[0]?.rule, 'shell.unanalyzable');
    });
    it('before the parser has loaded, only plain read-only commands are allowed', () => {
      assert.equal(evaluateWithoutParser('git status', UNMARKED_POLICY).decision, 'allow');
      assert.equal(evaluateWithoutParser('ls -la src', UNMARKED_POLICY).decision, 'allow');
      for (const cmd of ['rm -rf build', 'ls; rm x', 'git branch -D x', 'cat $(rm x)', 'echo "a"', 'npm test']) {
        assert.equal(evaluateWithoutParser(cmd, UNMARKED_POLICY).decision, 'confirm', cmd);
      }
    });
    it('before the parser has loaded, a line naming a more critical environment is blocked', () => {
      for (const cmd of ["psql -h db.shop.internal -c 'select 1'", 'curl "https://api.shop.example/graphql"', 'kubectl --context shop-prod get pods', 'echo $SHOP_PROD_TOKEN', 'SHOP_PROD_TOKEN=x ls', 'ls; cat x.prod.internal']) {
        const verdict = evaluateWithoutParser(cmd, shopStaging);
        assert.equal(verdict.decision, 'block', cmd);
        assert.equal(verdict.reasons[0]?.rule, 'env.cross-environment', cmd);
      }
      assert.equal(evaluateWithoutParser('ls -la', shopStaging).decision, 'allow');
      assert.equal(evaluateWithoutParser('cat product.txt', shopStaging).decision, 'allow');
    });
    it('before the parser has loaded, only a strict list of read-only forms is allowed', () => {
      for (const cmd of ['git branch', 'git branch -a', 'git remote -v', 'git log --oneline', 'git diff main', 'date', 'pwd']) {
        assert.equal(evaluateWithoutParser(cmd, UNMARKED_POLICY).decision, 'allow', cmd);
      }
      for (const cmd of ['git branch -f main HEAD~3', 'git branch -m old new', 'git remote remove origin', 'git remote set-url origin x', 'git fetch --prune', 'git diff --output=src/a.ts', 'git log -o x', 'date -s 2020-01-01', 'hostname evil', 'history -c', 'tree -o out.txt', 'file -C -m x']) {
        assert.equal(evaluateWithoutParser(cmd, UNMARKED_POLICY).decision, 'confirm', cmd);
      }
    });
    it('a crashing parser confirms', () => {
      const verdict = evaluate('ls', { policy: UNMARKED_POLICY, parser: { parse: () => { throw new Error('boom'); } } });
      assert.equal(verdict.decision, 'confirm');
      assert.match(verdict.reasons[0]?.message ?? '', /boom/);
    });
    it('a parser that gives up confirms', () => {
      assert.equal(evaluate('ls', { policy: UNMARKED_POLICY, parser: { parse: () => undefined } }).decision, 'confirm');
    });
  });
});

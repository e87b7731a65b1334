// The verdict server: authentication, loopback only, bad input, timeouts, when the person is asked, approvals.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Verdict } from '../../../src/engine.js';
import { SECRET_HEADER, VERDICT_PATH, startVerdictServer, type HookDecision, type HookEvent, type VerdictRequest, type VerdictServer } from '../../../src/hook/verdict-server.js';
import { UNMARKED_POLICY } from '../../../src/policy/defaults.js';
import { bashParser } from '../helpers/engine.js';

interface Reply { status: number; body: { decision?: string; message?: string } }

function post(target: { port: number } | { socketPath: string }, body: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ ...('port' in target ? { host: '127.0.0.1', port: target.port } : { socketPath: target.socketPath }), method: 'POST', path: VERDICT_PATH, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => {
        let parsed: Reply['body'] = {};
        try { parsed = JSON.parse(text) as Reply['body']; } catch { /* empty body */ }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('verdict server', () => {
  let server: VerdictServer;
  const events: HookEvent[] = [];
  const asked: { request: VerdictRequest; verdict: Verdict }[] = [];
  let answer: (request: VerdictRequest) => Promise<HookDecision> = () => Promise.resolve('deny');
  const socketPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-sock-')), 'verdict.sock');

  before(async () => {
    server = await startVerdictServer({
      policyFor: () => UNMARKED_POLICY,
      decide: (request, verdict) => { asked.push({ request, verdict }); return answer(request); },
      parser: await bashParser(),
      socketPath,
      decideTimeoutMs: 300,
      maxBodyBytes: 4096,
      onEvent: (e) => events.push(e),
    });
  });
  after(async () => { await server.close(); });

  const ask = (command: string, extra: Record<string, unknown> = {}, secret = server.secret) =>
    post(server, JSON.stringify({ phase: 'line', command, cwd: '/home/u/project', shell: 'bash', terminalId: '100', lineId: '100.1', ...extra }), { [SECRET_HEADER]: secret });

  describe('authentication', () => {
    it('refuses a request without the secret with 401, and logs it', async () => {
      const reply = await post(server, JSON.stringify({ phase: 'line', command: 'ls' }));
      assert.equal(reply.status, 401);
      assert.equal(reply.body.decision, 'deny');
      assert.ok(events.some((e) => e.kind === 'rejected' && e.status === 401));
    });
    it('refuses a wrong secret, also one of the same length', async () => {
      assert.equal((await ask('ls', {}, 'wrong')).status, 401);
      assert.equal((await ask('ls', {}, server.secret.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')))).status, 401);
    });
    it('a secret is 64 random hex characters, different per server', async () => {
      const other = await startVerdictServer({ policyFor: () => UNMARKED_POLICY, decide: () => Promise.resolve('deny'), parser: await bashParser() });
      try {
        assert.match(server.secret, /^[0-9a-f]{64}$/);
        assert.notEqual(other.secret, server.secret);
        assert.equal((await post(other, JSON.stringify({ phase: 'line', command: 'ls' }), { [SECRET_HEADER]: server.secret })).status, 401);
      } finally {
        await other.close();
      }
    });
  });

  it('listens on 127.0.0.1 only', async () => {
    const addresses = Object.values(os.networkInterfaces()).flat().filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal).map((a) => a!.address);
    for (const address of addresses) {
      const connected = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: address, port: server.port }, () => { socket.destroy(); resolve(true); });
        socket.on('error', () => resolve(false));
      });
      assert.equal(connected, false, `reachable on ${address}`);
    }
    assert.equal((await ask('ls')).status, 200);
  });

  describe('bad input is denied, never crashes', () => {
    it('not JSON → 400 deny', async () => {
      const reply = await post(server, '{nope', { [SECRET_HEADER]: server.secret });
      assert.equal(reply.status, 400);
      assert.equal(reply.body.decision, 'deny');
    });
    for (const [name, body] of [['an array', '[]'], ['no command', '{"phase":"line"}'], ['an unknown phase', '{"phase":"later","command":"ls"}'], ['a number command', '{"phase":"line","command":5}'], ['null', 'null']] as const) {
      it(`${name} → 400 deny`, async () => {
        const reply = await post(server, body, { [SECRET_HEADER]: server.secret });
        assert.equal(reply.status, 400);
        assert.equal(reply.body.decision, 'deny');
      });
    }
    it('a body over the limit → 413 deny', async () => {
      const reply = await ask('x'.repeat(5000));
      assert.equal(reply.status, 413);
      assert.equal(reply.body.decision, 'deny');
    });
    it('wrong method or path → 404 deny', async () => {
      const reply = await new Promise<number>((resolve) => {
        http.get({ host: '127.0.0.1', port: server.port, path: '/', headers: { [SECRET_HEADER]: server.secret } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      });
      assert.equal(reply, 404);
    });
    it('garbage on the socket does not take the server down', async () => {
      await new Promise<void>((resolve) => {
        const socket = net.connect({ host: '127.0.0.1', port: server.port }, () => socket.write('\x00\x01 not http\r\n\r\n'));
        const done = (): void => { socket.destroy(); resolve(); };
        socket.on('data', done);
        socket.on('error', done);
        setTimeout(done, 1000);
      });
      assert.equal((await ask('ls')).body.decision, 'allow');
    });
  });

  describe('the decide callback', () => {
    it('is not called for allow', async () => {
      const before = asked.length;
      const reply = await ask('git status');
      assert.deepEqual([reply.status, reply.body.decision], [200, 'allow']);
      assert.equal(asked.length, before);
    });
    it('is called for confirm, and its answer is the decision', async () => {
      answer = () => Promise.resolve('allow');
      const allowed = await ask('git reset --hard', { lineId: '100.2' });
      assert.equal(allowed.body.decision, 'allow');
      assert.equal(asked.at(-1)?.verdict.decision, 'confirm');
      answer = () => Promise.resolve('deny');
      const denied = await ask('git clean -fdx', { lineId: '100.3' });
      assert.equal(denied.body.decision, 'deny');
      assert.match(denied.body.message ?? '', /^cancelled: /);
    });
    it('judges `npm run x` by the package.json script x in the shell\'s folder', async () => {
      const project = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-scripts-'));
      fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ scripts: { 'db:reset': 'prisma migrate reset --force', lint: 'eslint .' } }));
      answer = () => Promise.resolve('deny');
      const before = asked.length;
      const reset = await ask('npm run db:reset', { cwd: project, lineId: '100.30' });
      assert.equal(reset.body.decision, 'deny');
      assert.ok(asked.at(-1)?.verdict.reasons.some((r) => r.command.startsWith('prisma migrate reset')), JSON.stringify(asked.at(-1)?.verdict.reasons));
      assert.equal((await ask('npm run lint', { cwd: project, lineId: '100.31' })).body.decision, 'allow');
      assert.equal(asked.length, before + 1);
      fs.rmSync(project, { recursive: true, force: true });
    });
    it('is called for block, and a block stays denied even if it answers allow', async () => {
      answer = () => Promise.resolve('allow');
      const before = asked.length;
      const reply = await ask('rm -rf /', { lineId: '100.4' });
      assert.equal(asked.length, before + 1);
      assert.equal(asked.at(-1)?.verdict.decision, 'block');
      assert.equal(reply.body.decision, 'deny');
    });
    it('no answer in time → deny', async () => {
      answer = () => new Promise(() => undefined);
      const reply = await ask('git reset --hard', { lineId: '100.5' });
      assert.equal(reply.body.decision, 'deny');
      assert.match(reply.body.message ?? '', /in time/);
    });
    it('a throwing or rejecting callback → deny', async () => {
      answer = () => { throw new Error('boom'); };
      assert.equal((await ask('git reset --hard', { lineId: '100.6' })).body.decision, 'deny');
      answer = () => Promise.reject(new Error('boom'));
      assert.equal((await ask('git reset --hard', { lineId: '100.7' })).body.decision, 'deny');
    });
  });

  describe('approvals', () => {
    it('an approved line covers its simple commands, not other lines, terminals or commands', async () => {
      answer = () => Promise.resolve('allow');
      await ask('git reset --hard && git clean -fd', { lineId: '200.1', terminalId: '200' });
      const count = asked.length;
      answer = () => Promise.resolve('deny');
      assert.equal((await ask('git reset --hard', { phase: 'simple', lineId: '200.1', terminalId: '200' })).body.decision, 'allow');
      assert.equal(asked.length, count, 'not asked again');
      assert.equal((await ask('git reset --hard', { phase: 'simple', lineId: '200.2', terminalId: '200' })).body.decision, 'deny');
      assert.equal((await ask('git reset --hard', { phase: 'simple', lineId: '200.1', terminalId: '201' })).body.decision, 'deny');
      assert.equal((await ask('git push --force', { phase: 'simple', lineId: '200.1', terminalId: '200' })).body.decision, 'deny');
    });
    it('the PATH guard (exec) is covered by rule and program, with expanded arguments', async () => {
      answer = () => Promise.resolve('allow');
      await ask('for d in a b; do rm -rf "$d"; done', { lineId: '300.1', terminalId: '300' });
      answer = () => Promise.resolve('deny');
      assert.equal((await ask('rm -rf a', { phase: 'exec', lineId: '300.1', terminalId: '300' })).body.decision, 'allow');
      assert.equal((await ask('git reset --hard', { phase: 'exec', lineId: '300.1', terminalId: '300' })).body.decision, 'deny');
    });
  });

  it('flags commands that would switch the guard off (hook.tamper)', async () => {
    answer = () => Promise.resolve('deny');
    for (const command of ['trap - DEBUG', 'shopt -u extdebug', 'set +T', 'PROMPT_COMMAND=', 'unset BASH_ENV', 'export PATH=/usr/bin', 'echo $AGENT_GUARDRAILS_SECRET', 'PS0=']) {
      const before = asked.length;
      const reply = await ask(command, { lineId: `400.${command}` });
      assert.equal(reply.body.decision, 'deny', command);
      assert.equal(asked.length, before + 1, command);
      assert.ok(asked.at(-1)?.verdict.reasons.some((r) => r.rule === 'hook.tamper'), command);
    }
    for (const command of ['export PATH="$HOME/bin:$PATH"', 'trap cleanup EXIT', 'set -e']) {
      assert.equal((await ask(command)).body.decision, 'allow', command);
    }
  });

  it('hello and tamper reports reach onEvent', async () => {
    await ask('', { phase: 'hello', detail: 'interactive bash', pid: '42' });
    await ask('', { phase: 'tamper', detail: 'DEBUG trap removed', pid: '42' });
    assert.ok(events.some((e) => e.kind === 'hello' && e.pid === '42'));
    assert.ok(events.some((e) => e.kind === 'tamper' && e.detail === 'DEBUG trap removed'));
  });

  it('answers on the Unix socket too, which only its owner can open', async () => {
    assert.equal(fs.statSync(socketPath).mode & 0o777, 0o600);
    assert.equal((await post({ socketPath }, JSON.stringify({ phase: 'line', command: 'ls' }), { [SECRET_HEADER]: server.secret })).body.decision, 'allow');
    assert.equal((await post({ socketPath }, JSON.stringify({ phase: 'line', command: 'ls' }))).status, 401);
  });
});

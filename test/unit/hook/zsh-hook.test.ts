// The zsh hook in real zsh (ZDOTDIR chain), talking to the real verdict server.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PtySession, hasProgram, runBatch, startRig, type HookRig } from './harness.js';

const TIMEOUT = { timeout: 90_000 };

describe('zsh hook', { skip: (!hasProgram('zsh') || !hasProgram('script')) && 'zsh or util-linux script is missing (apt-get install -y zsh)' }, () => {
  let rig: HookRig;
  before(async () => {
    rig = await startRig();
    fs.writeFileSync(path.join(rig.home, '.zshrc'), "PS1='%% '\nprecmd_functions+=(user_precmd)\nuser_precmd() { print -r -- \"user-precmd:$?\" >> ~/zsh-precmd.log; }\nwipe() { rm -rf zsh-fn }\n");
  });
  after(async () => { await rig.close(); });

  async function interactive(): Promise<PtySession> {
    const hellos = rig.events.filter((e) => e.kind === 'hello' && e.shell === 'zsh').length;
    const session = new PtySession('zsh -i', rig.env({ SHELL: '/usr/bin/zsh' }), rig.work);
    const deadline = Date.now() + 20_000;
    while (rig.events.filter((e) => e.kind === 'hello' && e.shell === 'zsh').length <= hellos) {
      if (Date.now() > deadline) throw new Error(`the zsh hook did not load:\n${session.text()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    session.line('print -r -- "zsh-ready:ok"');
    await session.waitFor(/\nzsh-ready:ok/);
    return session;
  }

  it('harmless commands run with their exit codes; the user .zshrc and its hooks still run', TIMEOUT, async () => {
    const session = await interactive();
    try {
      const asked = rig.person.asked.length;
      assert.equal((await session.run('true', 'z1')).status, 0);
      assert.equal((await session.run('false', 'z2')).status, 1);
      session.line('print -r -- a b c | wc -w | tr -d " "');
      await session.waitFor(/\n3\n/);
      assert.equal(rig.person.asked.length, asked);
      assert.match(fs.readFileSync(path.join(rig.home, 'zsh-precmd.log'), 'utf8'), /user-precmd:1/);
    } finally {
      await session.close();
    }
  });

  it('holds a risky line until the person answers; cancel skips the whole line, approve runs it', TIMEOUT, async () => {
    fs.mkdirSync(path.join(rig.work, 'zsh-victim'), { recursive: true });
    fs.writeFileSync(path.join(rig.work, 'zsh-victim', 'keep.txt'), 'x');
    const session = await interactive();
    try {
      const held = rig.person.hold();
      session.line('rm -rf zsh-victim; print -r -- "after-rm"');
      const release = await held;
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(fs.existsSync(path.join(rig.work, 'zsh-victim', 'keep.txt')));
      release('deny');
      await session.waitFor(/Agent Guardrails blocked: cancelled: .*\(see audit log\)/);
      await session.run('true', 'z3');
      assert.doesNotMatch(session.text(), /\nafter-rm/);
      assert.ok(fs.existsSync(path.join(rig.work, 'zsh-victim', 'keep.txt')));
      assert.equal(rig.person.asked.at(-1)?.request.shell, 'zsh');
      rig.person.answer('allow');
      assert.equal((await session.run('rm -rf zsh-victim', 'z4')).status, 0);
      assert.ok(!fs.existsSync(path.join(rig.work, 'zsh-victim')));
    } finally {
      await session.close();
    }
  });

  it('checks commands inside functions defined earlier (.zshrc)', TIMEOUT, async () => {
    fs.mkdirSync(path.join(rig.work, 'zsh-fn'), { recursive: true });
    const session = await interactive();
    try {
      rig.person.answer('deny');
      session.line('wipe');
      await session.waitFor(/Agent Guardrails blocked/);
      assert.ok(fs.existsSync(path.join(rig.work, 'zsh-fn')));
      assert.equal(rig.person.asked.at(-1)?.request.phase, 'simple');
    } finally {
      await session.close();
    }
  });

  it('non-interactive zsh -c stops at a denied command with 126', TIMEOUT, async () => {
    rig.person.answer('deny');
    const run = await runBatch(rig, 'zsh', ['-c', 'print start; git reset --hard; print after'], { SHELL: '/usr/bin/zsh' });
    assert.equal(run.status, 126, JSON.stringify(run));
    assert.equal(run.stdout, 'start\n');
    assert.match(run.stderr, /^Agent Guardrails blocked: cancelled: /);
    const ok = await runBatch(rig, 'zsh', ['-c', 'f() { return 3 }; f; print "st=$?"; exit 5'], { SHELL: '/usr/bin/zsh' });
    assert.deepEqual([ok.status, ok.stdout, ok.stderr], [5, 'st=3\n', '']);
  });
});

// The zsh hook in real zsh (ZDOTDIR chain), talking to the real verdict server.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PtySession, hasProgram, runBatch, startRig, vscodeScriptsDirectory, type HookRig } from './harness.js';

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
  it('with VS Code\'s own zsh integration (ZDOTDIR chain): its hooks are not checked, a denied line reports 126', { ...TIMEOUT, skip: vscodeScriptsDirectory() === undefined && 'VS Code shell integration scripts not found (run test/e2e/harness/setup.sh)' }, async () => {
    // What VS Code does when it injects its zsh integration: its scripts as the .z* files of a folder in ZDOTDIR,
    // the ZDOTDIR it found (ours, from environmentVariableCollection) in USER_ZDOTDIR, and ours re-applied after .zshrc.
    const scripts = vscodeScriptsDirectory()!;
    const vscodeZdotdir = path.join(rig.dir, 'vscode-zsh');
    fs.mkdirSync(vscodeZdotdir, { recursive: true });
    for (const [file, script] of [['.zshrc', 'rc'], ['.zshenv', 'env'], ['.zprofile', 'profile'], ['.zlogin', 'login']] as const) {
      fs.copyFileSync(path.join(scripts, `shellIntegration-${script}.zsh`), path.join(vscodeZdotdir, file));
    }
    const env = rig.env({ SHELL: '/usr/bin/zsh' });
    const ours = env['ZDOTDIR']!;
    Object.assign(env, { USER_ZDOTDIR: ours, ZDOTDIR: vscodeZdotdir, VSCODE_INJECTION: '1', VSCODE_NONCE: 'test-nonce', VSCODE_ENV_REPLACE: `ZDOTDIR=${ours.replace(/:/g, '\\x3a')}` });
    fs.mkdirSync(path.join(rig.work, 'zsh-vsc'), { recursive: true });
    const hellos = rig.events.filter((e) => e.kind === 'hello' && e.shell === 'zsh').length;
    const session = new PtySession('zsh -i', env, rig.work);
    try {
      const deadline = Date.now() + 20_000;
      while (rig.events.filter((e) => e.kind === 'hello' && e.shell === 'zsh').length <= hellos) {
        if (Date.now() > deadline) throw new Error(`the zsh hook did not load:\n${session.text()}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      const asked = rig.person.asked.length;
      assert.equal((await session.run('print -r -- "vsc-$((6*7))"', 'vsc1')).status, 0);
      assert.match(session.text(), /\nvsc-42\n/);
      assert.deepEqual(rig.person.asked.slice(asked).map((a) => a.request.command), [], "VS Code's preexec/precmd functions are not checked");
      rig.person.answer('deny');
      session.line('rm -rf zsh-vsc');
      await session.waitFor(/Agent Guardrails blocked: cancelled: /);
      await session.run('false', 'vsc2');
      assert.ok(fs.existsSync(path.join(rig.work, 'zsh-vsc')));
      assert.equal(rig.person.asked.length, asked + 1, 'asked once, about the line');
      const raw = session.raw();
      // VS Code's command detection sees every command with its exit code (OSC 633 E/C/D).
      assert.match(raw, /\x1b\]633;E;print -r -- "vsc-\$\(\(6\*7\)\)";test-nonce\x07/);
      assert.match(raw, /\x1b\]633;E;rm -rf zsh-vsc;test-nonce\x07\x1b\]633;C\x07(?:(?!\x1b\]633;D).)*Agent Guardrails blocked(?:(?!\x1b\]633;[AB]).)*\x1b\]633;D;126\x07/s, 'the block line is the output of the denied command, which ends with 126');
      assert.match(raw, /\x1b\]633;D;1\x07/);
    } finally {
      await session.close();
    }
  });

  it('tampering: a removed DEBUG trap, preexec hook or PATH guard is restored at the next prompt and reported', TIMEOUT, async () => {
    fs.mkdirSync(path.join(rig.work, 'zsh-after-tamper'), { recursive: true });
    fs.writeFileSync(path.join(rig.work, 'zsh-after-tamper', 'keep.txt'), 'data');
    const session = await interactive();
    try {
      const tampers = (): string[] => rig.events.filter((e) => e.kind === 'tamper' && e.shell === 'zsh').map((e) => (e.kind === 'tamper' ? e.detail : ''));
      // Switching the guard off needs the person (hook.tamper); approved, the hook puts itself back at the next prompt.
      // The line, then each of its simple commands (each changes the guard in its own way).
      const asked = rig.person.asked.length;
      rig.person.fallback = 'allow';
      session.line('trap - DEBUG; add-zsh-hook -d preexec __agent_guardrails_preexec; PATH=${PATH#*:}; print -r -- "tampered:ok"');
      await session.waitFor(/\ntampered:ok/);
      rig.person.fallback = 'deny';
      assert.ok(rig.person.asked.slice(asked).length > 0 && rig.person.asked.slice(asked).every((a) => a.verdict.reasons[0]?.rule === 'hook.tamper'));
      // Reported and repaired at the very next prompt: this line's refusal must already be enforced.
      const deadline = Date.now() + 10_000;
      while (!tampers().some((d) => /DEBUG trap removed/.test(d) && /preexec hook removed/.test(d) && /PATH guard removed/.test(d))) {
        if (Date.now() > deadline) throw new Error(`no tamper report: ${JSON.stringify(tampers())}\n${session.text()}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      rig.person.answer('deny');
      session.line('rm -rf zsh-after-tamper');
      await session.waitFor(/Agent Guardrails blocked/);
      assert.ok(fs.existsSync(path.join(rig.work, 'zsh-after-tamper', 'keep.txt')));
      // Empty lines and ordinary prompts are no tampering.
      const reported = tampers().length;
      session.line('');
      session.line('print -r -- "quiet:ok"');
      await session.waitFor(/\nquiet:ok/);
      session.line('print -r -- "quiet2:ok"');
      await session.waitFor(/\nquiet2:ok/);
      assert.equal(tampers().length, reported, JSON.stringify(tampers()));
    } finally {
      await session.close();
    }
  });

  it('JSON: control characters and DEL reach the verdict server as spaces', TIMEOUT, async () => {
    rig.person.answer('deny');
    const run = await runBatch(rig, 'zsh', ['-c', 'rm -rf "del\x7fdir\x01x"'], { SHELL: '/usr/bin/zsh' });
    assert.equal(run.status, 126, JSON.stringify(run));
    assert.equal(rig.person.asked.at(-1)?.request.command, 'rm -rf "del dir x"');
  });
});

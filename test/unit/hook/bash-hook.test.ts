// The bash hook in real interactive and non-interactive bash, talking to the real verdict server.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PtySession, hasProgram, runBatch, startRig, vscodeScriptsDirectory, type HookRig } from './harness.js';

const TIMEOUT = { timeout: 90_000 };

async function waitUntil(condition: () => boolean, session: PtySession, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`the hook did not load; terminal so far:\n${session.text()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('bash hook', { skip: !hasProgram('script') && 'util-linux script is missing' }, () => {
  let rig: HookRig;
  before(async () => { rig = await startRig(); });
  after(async () => { await rig.close(); });

  function rcfile(name: string, text: string): string {
    const file = path.join(rig.home, name);
    fs.writeFileSync(file, text);
    return file;
  }

  async function interactive(rc = '', extra: NodeJS.ProcessEnv = {}, hello = true): Promise<PtySession> {
    const file = rcfile(`rc-${Math.random().toString(36).slice(2)}`, `PS1='$ '\n${rc}\n`);
    const hellos = rig.events.filter((e) => e.kind === 'hello').length;
    const session = new PtySession(`bash --rcfile ${file} -i`, rig.env(extra), rig.work);
    // The hook loads at the first prompt and says hello; a second prompt makes sure the first one is complete.
    if (hello) await waitUntil(() => rig.events.filter((e) => e.kind === 'hello').length > hellos, session);
    session.line('echo "ready:ok"');
    await session.waitFor(/\nready:ok/);
    return session;
  }

  function victim(name: string): string {
    const dir = path.join(rig.work, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'data');
    return dir;
  }

  it('harmless commands run untouched, with their exit codes, $?, $_ and pipes', TIMEOUT, async () => {
    const session = await interactive();
    try {
      const asked = rig.person.asked.length;
      assert.equal((await session.run('true', 'm1')).status, 0);
      assert.equal((await session.run('false', 'm2')).status, 1);
      assert.equal((await session.run('ls /nonexistent-dir-xyz 2>/dev/null', 'm3')).status, 2);
      session.line('echo one two three; echo "last=$_"');
      await session.waitFor('last=three');
      session.line('printf "a\\nb\\nc\\n" | wc -l | tr -d " "; echo "pipe=${PIPESTATUS[*]}"');
      await session.waitFor(/\n3\npipe=0 0 0/);
      session.line('git status >/dev/null 2>&1; ( exit 7 ); echo "sub=$?"');
      await session.waitFor('sub=7');
      assert.equal(rig.person.asked.length, asked, 'nobody was asked about harmless commands');
      assert.doesNotMatch(session.text(), /Agent Guardrails blocked/);
    } finally {
      await session.close();
    }
  });

  it('holds a risky command until the person answers; cancel skips it and the line fails', TIMEOUT, async () => {
    const dir = victim('cancel-me');
    // Like VS Code's integration, a later PROMPT_COMMAND entry records the status of the line.
    const session = await interactive(`PROMPT_COMMAND=$'__seen_status=$?\\n'"$PROMPT_COMMAND"`);
    try {
      const release = rig.person.hold();
      session.line('rm -rf cancel-me; echo "after=$?"');
      const answer = await release;
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(fs.existsSync(path.join(dir, 'keep.txt')), 'nothing ran while the person was deciding');
      assert.doesNotMatch(session.text(), /\nafter=/);
      answer('deny');
      session.line('echo "status:$__seen_status"');
      const text = await session.waitFor(/\nstatus:\d+/);
      assert.match(text, /Agent Guardrails blocked: cancelled: .*\(see audit log\)/);
      assert.equal((text.match(/Agent Guardrails blocked/g) ?? []).length, 1, 'exactly one line');
      assert.doesNotMatch(text, /\nafter=/, 'the rest of the denied line was skipped');
      assert.match(text, /\nstatus:126/);
      assert.ok(fs.existsSync(path.join(dir, 'keep.txt')));
      const request = rig.person.asked.at(-1)?.request;
      assert.equal(request?.phase, 'line');
      assert.match(request?.command ?? '', /^rm -rf .*; echo "after=\$\?"$/);
    } finally {
      await session.close();
    }
  });

  it('runs a risky command the person approves, once per line (no second question for its simple command)', TIMEOUT, async () => {
    const dir = victim('approve-me');
    const session = await interactive();
    try {
      const before = rig.person.asked.length;
      rig.person.answer('allow');
      const result = await session.run('rm -rf approve-me', 'm4');
      assert.equal(result.status, 0);
      assert.ok(!fs.existsSync(dir));
      assert.equal(rig.person.asked.length - before, 1);
    } finally {
      await session.close();
    }
  });

  it('checks each simple command: loops and functions defined earlier', TIMEOUT, async () => {
    victim('loop-a');
    victim('loop-b');
    victim('fn-target');
    const session = await interactive('cleanup() { rm -rf fn-target; }');
    try {
      // The function body is not on the line: the DEBUG trap sees `rm -rf fn-target` as it is about to run.
      rig.person.answer('deny');
      session.line('cleanup; echo "fn=$?"');
      await session.waitFor(/Agent Guardrails blocked: cancelled/);
      assert.ok(fs.existsSync(path.join(rig.work, 'fn-target', 'keep.txt')));
      const fnAsk = rig.person.asked.at(-1)!;
      assert.equal(fnAsk.request.phase, 'simple');
      assert.equal(fnAsk.request.command, 'rm -rf fn-target');
      // A loop: approved once for the line, every iteration runs without a second question.
      const before = rig.person.asked.length;
      rig.person.answer('allow');
      const result = await session.run('for d in loop-a loop-b; do rm -rf "$d"; done', 'loop');
      assert.equal(result.status, 0);
      assert.ok(!fs.existsSync(path.join(rig.work, 'loop-a')) && !fs.existsSync(path.join(rig.work, 'loop-b')));
      assert.equal(rig.person.asked.length - before, 1);
    } finally {
      await session.close();
    }
  });

  it('the fast path in the trap text: a refused command still stops the rest of its line; a user trap still sees every command', TIMEOUT, async () => {
    victim('fast-target');
    let session = await interactive('wipe() { rm -rf fast-target; }');
    try {
      // The line passes (the function body is not on it); `echo once-a` passes the prefilter and is remembered; the
      // refusal comes from the simple-command check inside wipe, and the second `echo once-a` must still be skipped.
      rig.person.answer('deny');
      session.line('for i in 1 2; do echo once-a; done; wipe; echo once-a; echo "st=$?"');
      await session.waitFor(/Agent Guardrails blocked/);
      await session.run('true', 'fast');
      assert.equal(session.text().split('\n').filter((l) => l === 'once-a').length, 2, session.text());
      assert.doesNotMatch(session.text(), /\nst=/);
      assert.ok(fs.existsSync(path.join(rig.work, 'fast-target', 'keep.txt')));
    } finally {
      await session.close();
    }
    session = await interactive(`trap 'echo "user-trap:$BASH_COMMAND" >> ~/fast-trap.log' DEBUG`);
    try {
      // A trap of the user's own is called for every command, so the fast path is off in this shell.
      await session.run('for i in 1 2 3; do /bin/true; done', 'loop3');
      const calls = fs.readFileSync(path.join(rig.home, 'fast-trap.log'), 'utf8').split('\n').filter((l) => l === 'user-trap:/bin/true');
      assert.equal(calls.length, 3);
    } finally {
      await session.close();
    }
    // Non-interactive: remembered commands before and after a refused one.
    fs.writeFileSync(path.join(rig.work, 'fast.sh'), 'for i in 1 2; do echo again; done\nrm -rf fast-target\necho again\n');
    rig.person.answer('deny');
    const batch = await runBatch(rig, 'bash', ['fast.sh']);
    assert.equal(batch.status, 126);
    assert.equal(batch.stdout, 'again\nagain\n');
    assert.ok(fs.existsSync(path.join(rig.work, 'fast-target', 'keep.txt')));
  });

  it('eval, bash -c and compound lines reach the engine whole', TIMEOUT, async () => {
    victim('eval-target');
    const session = await interactive();
    try {
      rig.person.answer('deny');
      session.line('x="rm -rf eval-target"; eval "$x"; echo "eval-done"');
      await session.waitFor(/Agent Guardrails blocked/);
      assert.equal(rig.person.asked.at(-1)?.request.phase, 'line');
      rig.person.answer('deny');
      session.line(`bash -c 'echo inner; git reset --hard' && echo "outer-ok"`);
      await session.waitFor(/blocked: cancelled: .*git reset --hard/);
      await session.run('true', 'compound');
      assert.doesNotMatch(session.text(), /\n(eval-done|inner|outer-ok)/);
      assert.ok(fs.existsSync(path.join(rig.work, 'eval-target', 'keep.txt')));
    } finally {
      await session.close();
    }
  });

  it('non-interactive bash (BASH_ENV): bash -c and scripts stop at a denied command with status 126', TIMEOUT, async () => {
    victim('batch-target');
    fs.writeFileSync(path.join(rig.work, 'script.sh'), 'echo start\nrm -rf batch-target\necho after-rm\n');
    rig.person.answer('deny');
    const script = await runBatch(rig, 'bash', ['script.sh']);
    assert.equal(script.status, 126, JSON.stringify(script));
    assert.match(script.stdout, /^start\n$/);
    assert.match(script.stderr, /^Agent Guardrails blocked: cancelled: .*\(see audit log\)\n$/);
    rig.person.answer('deny');
    const inline = await runBatch(rig, 'bash', ['-c', 'for i in 1; do git reset --hard; done; echo after']);
    assert.equal(inline.status, 126);
    assert.equal(inline.stdout, '');
    assert.ok(fs.existsSync(path.join(rig.work, 'batch-target', 'keep.txt')));
    const harmless = await runBatch(rig, 'bash', ['-c', 'f() { echo "in f $1"; return 3; }; f x; echo "st=$?"; ls >/dev/null | cat; exit 4']);
    assert.equal(harmless.status, 4);
    assert.equal(harmless.stdout, 'in f x\nst=3\n');
    assert.equal(harmless.stderr, '');
  });

  it("chains the user's own BASH_ENV, and a user's DEBUG trap and PROMPT_COMMAND from .bashrc keep working", TIMEOUT, async () => {
    const userEnv = path.join(rig.home, 'user-env.sh');
    fs.writeFileSync(userEnv, 'USER_ENV_LOADED=yes\n');
    const batch = await runBatch(rig, 'bash', ['-c', 'echo "user-env=$USER_ENV_LOADED"'], { AGENT_GUARDRAILS_BASH_ENV: userEnv });
    assert.equal(batch.stdout, 'user-env=yes\n');
    const session = await interactive(`trap 'echo "user-trap:$BASH_COMMAND" >> ~/user-trap.log' DEBUG\nPROMPT_COMMAND="echo user-prompt >> ~/user-prompt.log;$PROMPT_COMMAND"`);
    try {
      rig.person.answer('deny');
      session.line('git reset --hard; echo "no"');
      await session.waitFor(/Agent Guardrails blocked/);
      await session.run('echo visible', 'trap');
      const trapLog = fs.readFileSync(path.join(rig.home, 'user-trap.log'), 'utf8');
      assert.match(trapLog, /user-trap:echo visible/);
      assert.ok(fs.readFileSync(path.join(rig.home, 'user-prompt.log'), 'utf8').split('\n').length > 2);
    } finally {
      await session.close();
    }
  });

  it('with VS Code\'s own bash integration: a .bashrc that replaces PROMPT_COMMAND and sets a DEBUG trap', { ...TIMEOUT, skip: vscodeScriptsDirectory() === undefined && 'VS Code shell integration scripts not found (run test/e2e/harness/setup.sh)' }, async () => {
    const scripts = vscodeScriptsDirectory()!;
    fs.writeFileSync(path.join(rig.home, '.bashrc'), `PS1='$ '\nPROMPT_COMMAND='echo rc-prompt >> ~/rc-prompt.log'\ntrap 'echo "rc-trap" >> ~/rc-trap.log' DEBUG\n`);
    const env = rig.env();
    // What VS Code does for environmentVariableCollection entries with applyAtShellIntegration: re-apply after .bashrc.
    const bootstrap = env['PROMPT_COMMAND']!;
    env['PROMPT_COMMAND'] = '';
    env['VSCODE_INJECTION'] = '1';
    env['VSCODE_ENV_PREPEND'] = `PROMPT_COMMAND=${bootstrap.replace(/:/g, '\\x3a')}`;
    env['VSCODE_NONCE'] = 'test-nonce';
    const hellos = rig.events.filter((e) => e.kind === 'hello').length;
    const session = new PtySession(`bash --init-file ${scripts}/shellIntegration-bash.sh`, env, rig.work);
    try {
      await waitUntil(() => rig.events.filter((e) => e.kind === 'hello').length > hellos, session);
      await session.run('echo hello-vsc', 'vsc1');
      rig.person.answer('deny');
      session.line('git reset --hard');
      await session.waitFor(/Agent Guardrails blocked/);
      await session.run('false', 'vsc2');
      const raw = session.raw();
      // VS Code's command detection still sees every command, with exit codes (OSC 633 E/C/D).
      assert.match(raw, /\x1b\]633;E;echo hello-vsc;test-nonce\x07/);
      assert.match(raw, /\x1b\]633;E;git reset --hard;test-nonce\x07/);
      assert.match(raw, /\x1b\]633;D;126\x07/, 'the denied line reports exit code 126 to VS Code');
      assert.match(raw, /\x1b\]633;D;1\x07/);
      assert.ok(fs.existsSync(path.join(rig.home, 'rc-prompt.log')), "the user's PROMPT_COMMAND still runs");
      assert.ok(fs.existsSync(path.join(rig.home, 'rc-trap.log')), "the user's DEBUG trap still runs");
    } finally {
      await session.close();
      fs.rmSync(path.join(rig.home, '.bashrc'));
    }
  });

  it("the user's HISTCONTROL and HISTIGNORE: lines they keep out of history are still checked, then dropped from it", TIMEOUT, async () => {
    victim('spaced-target');
    const session = await interactive("HISTCONTROL=ignoreboth\nHISTIGNORE='pwd:true'");
    try {
      rig.person.answer('deny');
      session.line(' rm -rf spaced-target');
      await session.waitFor(/Agent Guardrails blocked/);
      assert.ok(fs.existsSync(path.join(rig.work, 'spaced-target', 'keep.txt')));
      session.line('echo dup');
      await session.run('echo dup', 'dup1');
      await session.run(' echo spaced', 'spaced');
      await session.run('pwd', 'ignored');
      await session.run('history > "$HOME/history.txt"', 'history');
      const commands = fs.readFileSync(path.join(rig.home, 'history.txt'), 'utf8').split('\n').map((l) => l.replace(/^\s*\d+\*?\s+/, ''));
      assert.equal(commands.filter((c) => c === 'echo dup').length, 1, commands.join('\n'));
      assert.ok(!commands.some((c) => /^(echo spaced|pwd|rm -rf spaced-target)$/.test(c)), commands.join('\n'));
      assert.ok(commands.includes('echo "dup1:$?"'), commands.join('\n'));
    } finally {
      await session.close();
    }
  });

  it('tampering: a removed trap, PS0, option, history setting or PATH guard is restored at the next prompt and reported', TIMEOUT, async () => {
    victim('after-tamper');
    const session = await interactive();
    try {
      rig.person.answer('allow');
      session.line('trap - DEBUG');
      await session.run('true', 'tamper1');
      assert.equal(rig.person.asked.at(-1)?.verdict.reasons[0]?.rule, 'hook.tamper');
      await waitUntil(() => rig.events.some((e) => e.kind === 'tamper' && /DEBUG trap removed/.test(e.detail)), session);
      const tampering: Array<[string, RegExp]> = [
        ['shopt -u extdebug', /extdebug turned off/],
        ['shopt -u promptvars', /promptvars turned off/],
        ['set +T', /functrace turned off/],
        ['set +o history', /history turned off/],
        ['PS0=', /PS0 changed/],
        ['HISTCONTROL=ignorespace', /HISTCONTROL changed/],
        ['PATH=${PATH#*:}', /PATH guard removed/],
      ];
      for (const [index, [command, detail]] of tampering.entries()) {
        rig.person.fallback = 'allow';
        await session.run(command, `tamper-step${index}`);
        await waitUntil(() => rig.events.some((e) => e.kind === 'tamper' && detail.test(e.detail)), session);
      }
      const repaired = await session.run('shopt -q extdebug && shopt -q promptvars && [[ :$SHELLOPTS: == *:history:* && -n $PS0 && -z $HISTCONTROL && $PATH == "$AGENT_GUARDRAILS_GUARD_DIR":* ]]', 'repaired');
      assert.equal(repaired.status, 0, repaired.text);
      rig.person.fallback = 'deny';
      rig.person.answer('deny');
      session.line('rm -rf after-tamper');
      await session.waitFor(/Agent Guardrails blocked/);
      assert.ok(fs.existsSync(path.join(rig.work, 'after-tamper', 'keep.txt')));
    } finally {
      rig.person.fallback = 'deny';
      await session.close();
    }
  });

  it('server down: risky commands are blocked, harmless ones run', TIMEOUT, async () => {
    victim('down-target');
    const session = await interactive('', { AGENT_GUARDRAILS_PORT: '1' }, false);
    try {
      // Without the server only what the prefilter knows to be harmless runs (no `$`, no redirections).
      session.line('ls -d keep-nothing-here-dir-missing .');
      await session.waitFor(/\n\.\n/);
      session.line('rm -rf down-target');
      await session.waitFor(/Agent Guardrails blocked: the verdict server is not reachable/);
      assert.ok(fs.existsSync(path.join(rig.work, 'down-target', 'keep.txt')));
      session.line('echo still-usable');
      await session.waitFor(/\nstill-usable\n/);
    } finally {
      await session.close();
    }
  });

  it('Ctrl-C while a command waits for the person cancels it and the shell stays usable', TIMEOUT, async () => {
    victim('ctrl-c-target');
    const session = await interactive();
    try {
      const held = rig.person.hold();
      session.line('rm -rf ctrl-c-target; echo "ran-anyway"');
      const release = await held;
      session.send('\x03');
      await new Promise((r) => setTimeout(r, 500));
      release('allow');
      assert.equal((await session.run('echo alive', 'ctrlc')).status, 0);
      assert.ok(fs.existsSync(path.join(rig.work, 'ctrl-c-target', 'keep.txt')));
      assert.doesNotMatch(session.text(), /\nran-anyway/);
    } finally {
      await session.close();
    }
  });

  it('the PATH guard catches curl started by Python', TIMEOUT, async () => {
    rig.person.answer('deny');
    const run = await runBatch(rig, 'python3', ['-c', "import subprocess,sys; r = subprocess.run(['curl','-X','DELETE','https://api.example.net/x']); sys.exit(r.returncode)"]);
    assert.equal(run.status, 126);
    assert.match(run.stderr, /Agent Guardrails blocked: cancelled: .*DELETE/);
    const asked = rig.person.asked.at(-1)!;
    assert.equal(asked.request.phase, 'exec');
    assert.equal(asked.request.shell, 'path-guard');
    assert.equal(asked.request.command, 'curl -X DELETE https://api.example.net/x');
    const version = await runBatch(rig, 'python3', ['-c', "import subprocess; subprocess.run(['curl','--version'], stdout=subprocess.DEVNULL, check=True)"]);
    assert.equal(version.status, 0, version.stderr);
  });
});

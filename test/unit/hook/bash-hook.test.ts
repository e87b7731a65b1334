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

  async function interactive(rc = '', extra: NodeJS.ProcessEnv = {}): Promise<PtySession> {
    const file = rcfile(`rc-${Math.random().toString(36).slice(2)}`, `PS1='$ '\n${rc}\n`);
    const hellos = rig.events.filter((e) => e.kind === 'hello').length;
    const session = new PtySession(`bash --rcfile ${file} -i`, rig.env(extra), rig.work);
    // The hook loads at the first prompt and says hello; a second prompt makes sure the first one is complete.
    await waitUntil(() => rig.events.filter((e) => e.kind === 'hello').length > hellos, session);
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
});

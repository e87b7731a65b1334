// unhookedShells with real processes: which shells below a terminal's shell run without the terminal guard.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { unhookedShells } from '../../../src/extension/guards/bypass-detector.js';
import { descendantsOf, readArgv } from '../../../src/hook/process-monitor.js';
import { eventually } from '../helpers/eventually.js';

const linux = process.platform === 'linux' && fs.existsSync('/proc/self/stat');
const hasSh = fs.existsSync('/bin/sh') && spawnSync('script', ['--version']).status === 0;

describe('unhookedShells', { skip: linux && hasSh ? false : 'Linux /proc, /bin/sh and script(1) only' }, () => {
  const roots: ChildProcessWithoutNullStreams[] = [];
  after(() => { for (const root of roots) root.kill('SIGKILL'); });

  it('flags a stripped bash and an interactive sh; not a bash that inherits the guard, nor sh -c', async () => {
    // The terminal's shell, with the guard's variables as a guarded terminal has them.
    const root = spawn('bash', ['--norc', '--noprofile', '-s'], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', AGENT_GUARDRAILS_SECRET: 'x' } });
    roots.push(root);
    root.stdin.write([
      'sleep 30 | bash --norc --noprofile -i >/dev/null 2>&1 &',
      'sleep 30 | env -i bash --norc --noprofile -i >/dev/null 2>&1 &',
      // An interactive sh on a terminal (script gives it a pseudo-terminal), and one reading a pipe (a script).
      'sleep 30 | script -qfec "sh -i" /dev/null >/dev/null 2>&1 &',
      'sleep 31 | sh -i >/dev/null 2>&1 &',
      "sh -c 'sleep 30; true' &",
      '',
    ].join('\n'));
    const argvs = (): string[] => descendantsOf(root.pid!).map((p) => (readArgv(p) ?? []).join(' '));
    await eventually('the shells to start', () => (['bash --norc --noprofile -i', 'sh -i', 'sh -c sleep 30; true'].every((a) => argvs().filter((x) => x === a).length >= (a === 'sh -c sleep 30; true' ? 1 : 2)) ? true : undefined));
    const found = unhookedShells(root.pid!).map((s) => ({ ...s, argv: (readArgv(s.pid) ?? []).join(' ') }));
    assert.deepEqual(found.map((s) => s.argv).sort(), ['bash --norc --noprofile -i', 'sh -i'], JSON.stringify(found));
    const sh = found.find((s) => s.name === 'sh')!;
    assert.match(fs.readlinkSync(`/proc/${sh.pid}/fd/0`), /^\/dev\/pts\//, 'the sh found is the one on a terminal');
    const stripped = found.find((s) => s.name === 'bash')!;
    assert.ok(!fs.readFileSync(`/proc/${stripped.pid}/environ`, 'utf8').includes('AGENT_GUARDRAILS_SECRET='), 'the bash found is the stripped one');
  });
});

// The process monitor with real processes: a shell without any hook runs commands; the monitor must stop and kill the
// risky ones (and everything below them) as they start, and leave harmless ones and interactive shells alone.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import { after, before, describe, it } from 'node:test';
import { ProcessMonitor, childrenReader, descendantsOf, quoteArgv, type StoppedProcess } from '../../../src/hook/process-monitor.js';
import { UNMARKED_POLICY } from '../../../src/policy/defaults.js';
import type { BashParser } from '../../../src/shell/parser.js';
import { bashParser } from '../helpers/engine.js';
import { eventually } from '../helpers/eventually.js';

const linux = process.platform === 'linux' && fs.existsSync('/proc/self/stat');

/** True while /proc shows the process and it is not a zombie. */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('process monitor', { skip: linux ? false : 'Linux /proc only' }, () => {
  let parser: BashParser;
  let server: http.Server;
  let port = 0;
  const requests: string[] = [];
  const dropped: string[] = [];
  const shells: ChildProcessWithoutNullStreams[] = [];
  const directory = fs.mkdtempSync(`${os.tmpdir()}/guardrails-monitor-`);

  before(async () => {
    parser = await bashParser();
    // Plays api.example.com: holds every request open, notes when the client goes away.
    server = http.createServer((request) => {
      requests.push(`${request.method} ${request.url}`);
      request.socket.on('close', () => dropped.push(`${request.method} ${request.url}`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    for (const shell of shells) shell.kill('SIGKILL');
    server.closeAllConnections();
    server.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  /** A bash with no hook reading commands from a pipe: the stand-in for `env -i bash --norc --noprofile` in a terminal. */
  function unhookedShell(): { shell: ChildProcessWithoutNullStreams; output: () => string } {
    const shell = spawn('env', ['-i', `PATH=${process.env['PATH'] ?? '/usr/bin:/bin'}`, 'bash', '--norc', '--noprofile', '-s'], { cwd: directory });
    shells.push(shell);
    let output = '';
    shell.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    shell.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    return { shell, output: () => output };
  }

  function monitor(stopped: StoppedProcess[]): ProcessMonitor {
    return new ProcessMonitor({ policyFor: () => UNMARKED_POLICY, parser: () => parser, onStopped: (e) => stopped.push(e), onError: (e) => { throw e; } });
  }

  const curlDelete = (): string => `curl -sS -X DELETE --resolve api.example.com:${port}:127.0.0.1 http://api.example.com:${port}/v1/database`;

  it('stops and kills a destructive command the moment it starts; the shell lives on', async () => {
    const stopped: StoppedProcess[] = [];
    const m = monitor(stopped);
    const { shell, output } = unhookedShell();
    m.watch(shell.pid!);
    shell.stdin.write(`${curlDelete()}\necho "after curl: $?"\n`);
    const event = await eventually('the monitor to stop curl', () => stopped[0]);
    assert.equal(event.argv[0], 'curl');
    assert.equal(event.root, shell.pid);
    assert.equal(event.verdict.decision, 'confirm');
    assert.ok(event.verdict.reasons.some((r) => r.rule === 'http.delete-request'), JSON.stringify(event.verdict.reasons));
    assert.equal(event.cwd, fs.realpathSync(directory));
    await eventually('curl to be gone (SIGKILL is delivered asynchronously)', () => (alive(event.pid) ? undefined : true), 2_000);
    // Killed by SIGKILL (status 137); the shell goes on with the next line.
    await eventually('the shell to carry on', () => (/after curl: 137/.test(output()) ? true : undefined));
    if (requests.length > 0) await eventually('the server to see the connection drop', () => (dropped.length >= requests.length ? true : undefined));
    assert.ok(alive(shell.pid!), 'the watched shell itself is left alone');
    m.dispose();
  });

  it('leaves harmless commands and interactive shells alone', async () => {
    const stopped: StoppedProcess[] = [];
    const m = monitor(stopped);
    const { shell, output } = unhookedShell();
    m.watch(shell.pid!);
    shell.stdin.write('sleep 0.8; echo "slept: $?"\nsleep 30 | bash --norc --noprofile -i >/dev/null 2>&1 &\necho "started $!"\n');
    await eventually('sleep to finish on its own', () => (/slept: 0/.test(output()) ? true : undefined));
    const inner = await eventually('the inner interactive shell', () => descendantsOf(shell.pid!).find((p) => fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').startsWith('bash\0--norc\0--noprofile\0-i')));
    await new Promise((r) => setTimeout(r, 600)); // three polls of the monitor: nothing may be stopped
    assert.deepEqual(stopped, []);
    assert.ok(alive(inner), 'the inner shell still runs');
    m.dispose();
  });

  it('kills the whole tree below a risky process, before it reaches its destructive part', async () => {
    const stopped: StoppedProcess[] = [];
    const m = monitor(stopped);
    const { shell } = unhookedShell();
    m.watch(shell.pid!);
    const before = requests.length;
    shell.stdin.write(`bash -c 'sleep 30 & sleep 31 & wait; ${curlDelete()}'\n`);
    const event = await eventually('the monitor to stop bash -c', () => stopped[0]);
    assert.equal(event.argv[0], 'bash');
    assert.ok(event.killed.length >= 1, `killed ${event.killed.join(', ')}`);
    await eventually('every killed process to be gone', () => (event.killed.every((p) => !alive(p)) ? true : undefined));
    const sleeps = spawnSync('pgrep', ['-f', '^sleep 3[01]$'], { encoding: 'utf8' }).stdout.trim();
    assert.equal(sleeps.split('\n').filter((p) => p !== '' && descendantsOf(shell.pid!).includes(Number(p))).length, 0, 'no sleep of that tree is left');
    assert.equal(requests.length, before, 'the DELETE never reached the server');
    m.dispose();
  });

  it('skipExisting: what ran before the watch began is left alone, what starts afterwards is judged', async () => {
    const stopped: StoppedProcess[] = [];
    const m = monitor(stopped);
    const { shell } = unhookedShell();
    const before = requests.length;
    // A job started before the guard: it would need a person, but it was running before anyone could ask.
    shell.stdin.write(`bash -c 'sleep 30; ${curlDelete()}' &\necho started\n`);
    const earlier = await eventually('the earlier job', () => descendantsOf(shell.pid!).find((p) => (fs.readFileSync(`/proc/${p}/cmdline`, 'utf8')).startsWith('bash\0-c\0sleep 30;')));
    m.watch(shell.pid!, { skipExisting: true });
    await new Promise((r) => setTimeout(r, 600)); // three polls
    assert.equal(stopped.length, 0, 'nothing stopped');
    assert.ok(alive(earlier), 'the earlier job still runs');
    shell.stdin.write(`${curlDelete()}\n`);
    const event = await eventually('the monitor to stop the new curl', () => stopped[0]);
    assert.equal(event.argv[0], 'curl');
    assert.ok(alive(earlier), 'the earlier job is still left alone');
    process.kill(earlier, 'SIGKILL');
    await eventually('the earlier job to end', () => (alive(earlier) ? undefined : true));
    assert.ok(requests.length - before <= 1, 'at most the new curl reached the server before it was killed');
    m.dispose();
  });

  it('stops polling when the watched process ends, and costs nothing without roots', async () => {
    const m = monitor([]);
    const { shell } = unhookedShell();
    m.watch(shell.pid!);
    assert.deepEqual(m.watching(), [shell.pid]);
    shell.stdin.end('exit 0\n');
    await eventually('the monitor to drop the ended shell', () => (m.watching().length === 0 ? true : undefined));
    m.watch(process.pid);
    m.unwatch(process.pid);
    assert.deepEqual(m.watching(), []);
    m.dispose();
  });

  it('the /proc scan and the per-thread children files agree', async () => {
    const { shell } = unhookedShell();
    shell.stdin.write('sleep 5 & sleep 5 &\n');
    const scan = await eventually('two children', () => { const d = descendantsOf(shell.pid!, childrenReader('scan')); return d.length >= 2 ? d : undefined; });
    assert.deepEqual(descendantsOf(shell.pid!, childrenReader('auto')).sort(), scan.sort());
    shell.kill('SIGKILL');
  });
});

describe('quoteArgv', () => {
  it('gives bash back exactly the argv', () => {
    const argv = ['printf', '%s\\n', 'plain', 'two words', "it's", '$HOME', '`id`', 'a"b', '', 'new\nline', '*', '~', '-X', 'a=b', '#x', '!x'];
    const line = quoteArgv(argv);
    const run = spawnSync('bash', ['--norc', '--noprofile', '-c', line], { encoding: 'utf8' });
    assert.equal(run.stdout, argv.slice(2).map((w) => `${w}\n`).join(''));
  });
  it('never turns the program into an assignment or a keyword', () => {
    assert.equal(quoteArgv(['A=1', 'x']), "'A=1' x");
    assert.equal(quoteArgv(['time', 'x']), "'time' x");
    assert.equal(quoteArgv(['curl', '-X', 'DELETE', 'https://api.example.com/v1/x']), 'curl -X DELETE https://api.example.com/v1/x');
  });
});

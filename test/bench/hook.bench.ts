// Benchmark: what the shell hook costs on harmless commands, and the verdict round trip from bash.
// Run: node esbuild.mjs --tests && node out/test/bench/hook.bench.js
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PtySession, SHELL_DIRECTORY, startRig, type HookRig } from '../unit/hook/harness.js';

const ROUNDS = 3;

const hasZsh = (): boolean => spawnSync('zsh', ['-c', 'true']).status === 0;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Runs a command without blocking the event loop (the verdict server lives in this process). */
function run(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Seconds a bash -c loop takes, measured inside bash (EPOCHREALTIME), with and without the hook (BASH_ENV). */
async function batchLoop(rig: HookRig, body: string, hooked: boolean): Promise<number> {
  const script = `s=$EPOCHREALTIME; for i in {1..1000}; do ${body}; done; e=$EPOCHREALTIME; echo "$s $e"`;
  const env = rig.env();
  if (!hooked) delete env['BASH_ENV'];
  const result = await run('bash', ['-c', script], env, rig.work);
  const [s, e] = result.stdout.trim().split(' ').map(Number);
  if (result.status !== 0 || s === undefined || e === undefined) throw new Error(`loop failed: ${result.stderr}`);
  return e - s;
}

/**
 * Median seconds, over ROUNDS, that `script(round)` takes in an interactive bash (with or without the hook): the script
 * sets `s<round>` and `e<round>` from $EPOCHREALTIME and prints "took<round> $s $e".
 */
async function interactiveTiming(rig: HookRig, hooked: boolean, script: (round: number) => string): Promise<number> {
  return (await interactiveMeasures(rig, hooked, script)).seconds;
}

/**
 * As interactiveTiming; the script may print a third number after "took<round> $s $e" (page faults of the shell), whose
 * median is returned too.
 */
async function interactiveMeasures(rig: HookRig, hooked: boolean, script: (round: number) => string, shell: Shell = 'bash'): Promise<{ seconds: number; faults: number }> {
  const env = rig.env();
  // Without the hook: bash without the PROMPT_COMMAND bootstrap and BASH_ENV; zsh without our ZDOTDIR (the rig's
  // home has no .zshrc, so both zsh shells start bare but for the hook).
  if (!hooked) { delete env['PROMPT_COMMAND']; delete env['BASH_ENV']; delete env['ZDOTDIR']; }
  const session = new PtySession(shell === 'bash' ? 'bash --norc -i' : 'zsh -i', env, rig.work);
  try {
    if (shell === 'zsh') session.line('zmodload zsh/datetime');
    session.line('PS1="$ "');
    session.line('echo warm');
    await session.waitFor(/\nwarm\n/);
    const times: number[] = [];
    const faults: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      session.line(script(round));
      const took = new RegExp(`\\ntook${round} ([0-9.]+) ([0-9.]+)(?: ([0-9]+))?`);
      const m = took.exec(await session.waitFor(took, 120_000))!;
      times.push(Number(m[2]) - Number(m[1]));
      faults.push(Number(m[3] ?? NaN));
    }
    return { seconds: median(times), faults: median(faults) };
  } finally {
    await session.close();
  }
}

/** A loop of 1,000 runs of `body` within one line: one line check, then the prefilter per command. */
function interactiveLoop(rig: HookRig, body: string, hooked: boolean): Promise<number> {
  return interactiveTiming(rig, hooked, (r) => `s${r}=$EPOCHREALTIME; for i in {1..1000}; do ${body}; done; e${r}=$EPOCHREALTIME; echo "took${r} $s${r} $e${r}"`);
}

/**
 * `count` separate prompt lines of `body`: each line is read, checked and run, and PROMPT_COMMAND runs after it, as when
 * a person or an agent types one command at a time. The closing line goes to the server (it expands variables): one
 * round trip in `count` lines, counted against the hook.
 */
function interactiveLines(rig: HookRig, body: string, hooked: boolean, count: number, shell: Shell = 'bash'): Promise<{ seconds: number; faults: number }> {
  // minflt (field 10 of /proc/PID/stat): pages the shell wrote for the first time since a fork, among others.
  const lines = `${body}\n`.repeat(count);
  // The fields into an array: bash `read -a` (0-based), zsh `read -A` (1-based).
  const [readArray, minflt] = shell === 'zsh' ? ['-A', 10] : ['-a', 9];
  return interactiveMeasures(rig, hooked, (r) => `read -r ${readArray} f${r} < /proc/$$/stat; s${r}=$EPOCHREALTIME\n${lines}e${r}=$EPOCHREALTIME; read -r ${readArray} g${r} < /proc/$$/stat; echo "took${r} $s${r} $e${r} $((g${r}[${minflt}] - f${r}[${minflt}]))"`, shell);
}

type Shell = 'bash' | 'zsh';

function report(label: string, plain: number, hooked: number, note: string): void {
  console.log(`${label}: ${(plain * 1000).toFixed(1)} ms plain, ${(hooked * 1000).toFixed(1)} ms hooked, ratio ${(hooked / plain).toFixed(2)}, +${(((hooked - plain) / 1000) * 1e6).toFixed(1)} µs per iteration (${note})`);
}

async function main(): Promise<void> {
  const rig = await startRig();
  rig.person.fallback = 'allow';
  try {
    console.log('Agent Guardrails shell hook benchmark (1,000 iterations per loop, median of 3 rounds)\n');
    for (const body of ['true', 'ls']) {
      const plain: number[] = [];
      const hooked: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        plain.push(await batchLoop(rig, body, false));
        hooked.push(await batchLoop(rig, body, true));
      }
      await report(`bash -c loop of \`${body}\``, median(plain), median(hooked), body.includes('>') ? 'a redirection: one server round trip per iteration' : 'prefilter only');
    }
    for (const body of ['true', 'ls']) {
      const plain = await interactiveLoop(rig, body, false);
      const hooked = await interactiveLoop(rig, body, true);
      await report(`interactive loop of \`${body}\``, plain, hooked, 'one line check, then the prefilter per command');
    }
    const shells: Shell[] = hasZsh() ? ['bash', 'zsh'] : ['bash'];
    for (const shell of shells) {
      for (const body of ['true', 'ls']) {
        const lines = 200;
        const plain = await interactiveLines(rig, body, false, lines, shell);
        const hooked = await interactiveLines(rig, body, true, lines, shell);
        const what = shell === 'bash' ? 'line check, first-command check, PROMPT_COMMAND' : 'preexec line check, DEBUG trap, precmd';
        console.log(`interactive ${shell}, ${lines} separate lines of \`${body}\`: ${((plain.seconds / lines) * 1e6).toFixed(0)} µs plain, ${((hooked.seconds / lines) * 1e6).toFixed(0)} µs hooked per line, ratio ${(hooked.seconds / plain.seconds).toFixed(2)}, +${(((hooked.seconds - plain.seconds) / lines) * 1e6).toFixed(1)} µs per line (${what}); minor page faults of the shell per line: ${(plain.faults / lines).toFixed(1)} plain, ${(hooked.faults / lines).toFixed(1)} hooked`);
      }
    }
    if (!shells.includes('zsh')) console.log('interactive zsh: skipped, zsh is not installed');

    // Round trip from bash: the hook's own ask function against the real server, N times, timed inside bash.
    const n = 300;
    const script = `source <(sed '/^# ---- install/,$d' ${JSON.stringify(path.join(SHELL_DIRECTORY, 'hook.bash'))})
      for i in $(seq ${n}); do s=$EPOCHREALTIME; __agent_guardrails_ask simple 'rm -f build/x.o' || exit 9; e=$EPOCHREALTIME; echo "$s $e"; done`;
    const env = rig.env();
    delete env['BASH_ENV'];
    const result = await run('bash', ['-c', script], env, rig.work);
    if (result.status !== 0) throw new Error(`round trip failed (${result.status}): ${result.stderr}`);
    const times = result.stdout.trim().split('\n').map((l) => { const [s, e] = l.split(' ').map(Number); return ((e ?? 0) - (s ?? 0)) * 1000; });
    console.log(`\nverdict round trip from bash (/dev/tcp, engine allow, ${times.length} requests): p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms`);
    const harmless = rig.events.filter((e) => e.kind === 'verdict').length;
    console.log(`(server saw ${harmless} verdict requests in total)`);
  } finally {
    await rig.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

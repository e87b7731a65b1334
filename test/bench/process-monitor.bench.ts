// Benchmark: what the process monitor costs per watched terminal (CPU of this process while it polls).
// Run: node esbuild.mjs --tests && node out/test/bench/process-monitor.bench.js
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { MONITOR_INTERVAL_MS, ProcessMonitor } from '../../src/hook/process-monitor.js';
import { UNMARKED_POLICY } from '../../src/policy/defaults.js';
import { loadBashParser } from '../../src/shell/parser.js';

const SECONDS = 10;

async function measure(mode: 'auto' | 'scan', root: number, parser: Awaited<ReturnType<typeof loadBashParser>>): Promise<string> {
  const monitor = new ProcessMonitor({ policyFor: () => UNMARKED_POLICY, parser: () => parser, onStopped: () => undefined, treeMode: mode });
  monitor.watch(root);
  const times: number[] = [];
  for (let i = 0; i < 200; i += 1) {
    const t = performance.now();
    monitor.poll();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  // The timer at its real interval: CPU time of this process over SECONDS, against the same time without it.
  const cpu = (u: NodeJS.CpuUsage): number => ((u.user + u.system) / 1000 / (SECONDS * 1000)) * 100;
  const watching = process.cpuUsage();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const used = cpu(process.cpuUsage(watching));
  monitor.dispose();
  const idleStart = process.cpuUsage();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const idle = cpu(process.cpuUsage(idleStart));
  return `${mode === 'scan' ? '/proc scan' : 'per-thread children files'}: one poll median ${times[100]!.toFixed(3)} ms, p99 ${times[198]!.toFixed(3)} ms; `
    + `CPU ${used.toFixed(2)}% of one core while watching, ${idle.toFixed(2)}% without`;
}

async function main(): Promise<void> {
  const parser = await loadBashParser();
  const shell = spawn('env', ['-i', `PATH=${process.env['PATH'] ?? '/usr/bin:/bin'}`, 'bash', '--norc', '--noprofile', '-s'], { stdio: ['pipe', 'ignore', 'ignore'] });
  // A terminal with a few things running in it: a pipeline and a background job.
  shell.stdin.write('sleep 120 | cat & sleep 120 &\n');
  await new Promise((r) => setTimeout(r, 300));
  const processes = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e)).length;
  const children = fs.existsSync(`/proc/${process.pid}/task/${process.pid}/children`);
  console.log(`process monitor, one watched terminal (4 processes), ${processes} processes on the machine, interval ${MONITOR_INTERVAL_MS} ms`);
  await measure('scan', shell.pid!, parser); // warm-up: the first round pays for JIT and the parser's first parses
  if (children) console.log(`  ${await measure('auto', shell.pid!, parser)}`);
  console.log(`  ${await measure('scan', shell.pid!, parser)}`);
  shell.kill('SIGKILL');
}

void main();

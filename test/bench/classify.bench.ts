// Benchmark: classifying a command line (parse + unwrap + rules + policy) against the budgets, and against a
// baseline measured in the same run: tree-sitter parsing the same lines with nothing else.
// Budgets: p50 ≤ 30 µs, p99 ≤ 250 µs per command line; parser initialisation reported separately.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluate } from '../../src/engine.js';
import { readPolicyFile } from '../../src/policy/load.js';
import { UNMARKED_POLICY } from '../../src/policy/defaults.js';
import type { Policy } from '../../src/policy/schema.js';
import { loadBashParser } from '../../src/shell/parser.js';
import { corpusDirectory, projectRoot } from '../unit/helpers/project.js';

const BUDGET_P50_US = 30;
const BUDGET_P99_US = 250;
const ROUNDS = 20;

interface Line { readonly cmd: string; readonly policy: Policy }

function readLines(): { lines: Line[]; source: string } {
  const corpus = corpusDirectory();
  const dirs = corpus ? [corpus] : [path.join(projectRoot(), 'test', 'fixtures', 'commands')];
  const lines: Line[] = [];
  const policies = new Map<string, Policy>();
  for (const dir of dirs) {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
      for (const raw of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
        if (!raw.trim()) continue;
        const entry = JSON.parse(raw) as { cmd: string; policy?: string };
        let policy = UNMARKED_POLICY;
        if (entry.policy) {
          policy = policies.get(entry.policy) ?? readPolicyFile(path.join(dir, entry.policy)).policy;
          policies.set(entry.policy, policy);
        }
        lines.push({ cmd: entry.cmd, policy });
      }
    }
  }
  return { lines, source: corpus ? `corpus ${corpus}` : 'test/fixtures/commands' };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function measure(lines: readonly Line[], run: (line: Line) => void): { p50: number; p99: number; mean: number } {
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const line of lines) {
      const start = performance.now();
      run(line);
      samples.push((performance.now() - start) * 1000);
    }
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

async function main(): Promise<void> {
  const initStart = performance.now();
  const parser = await loadBashParser();
  const initMs = performance.now() - initStart;
  const { lines, source } = readLines();

  // Warm-up: JIT, the rules' caches, the policy compilation.
  for (let i = 0; i < 3; i += 1) for (const line of lines) evaluate(line.cmd, { policy: line.policy, parser });

  const baseline = measure(lines, (line) => { parser.parse(line.cmd)?.delete(); });
  const classify = measure(lines, (line) => { evaluate(line.cmd, { policy: line.policy, parser }); });

  const fmt = (n: number): string => `${n.toFixed(1)} µs`;
  const verdict = (value: number, budget: number): string => (value <= budget ? `ok (budget ${budget} µs)` : `OVER BUDGET (${budget} µs)`);
  console.log(`classify benchmark: ${lines.length} command lines from ${source}, ${ROUNDS} rounds after warm-up`);
  console.log(`  parser init (WASM load, cold):  ${initMs.toFixed(1)} ms`);
  console.log(`  baseline, tree-sitter parse only:  p50 ${fmt(baseline.p50)}  p99 ${fmt(baseline.p99)}  mean ${fmt(baseline.mean)}`);
  console.log(`  classify (parse+unwrap+rules+policy):  p50 ${fmt(classify.p50)} ${verdict(classify.p50, BUDGET_P50_US)}  p99 ${fmt(classify.p99)} ${verdict(classify.p99, BUDGET_P99_US)}  mean ${fmt(classify.mean)}`);
  console.log(`  ratio classify / parse:  p50 ${(classify.p50 / baseline.p50).toFixed(2)}×  p99 ${(classify.p99 / baseline.p99).toFixed(2)}×`);
  if (classify.p50 > BUDGET_P50_US || classify.p99 > BUDGET_P99_US) process.exitCode = 1;
}

void main();

// Corpus test: every labelled case in ../shared/corpus/*.jsonl, streamed through `cli.js check --jsonl`.
// Targets: recall ≥ 99% of block/stop cases answered confirm or block; false positives ≤ 2% of allow cases;
// categories cross-env and policy-lists match exactly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CORPUS_EXCEPTIONS } from './corpus-exceptions.js';
import { cliPath, corpusDirectory } from './helpers/project.js';

interface CorpusCase { cmd: string; expect: 'allow' | 'confirm' | 'block' | 'stop'; category: string; policy?: string; note?: string; file: string }
interface Outcome { readonly case: CorpusCase; readonly decision: string; readonly rules: string[] }

const EXACT_CATEGORIES = new Set(['cross-env', 'policy-lists']);
const corpus = corpusDirectory();

function loadCases(dir: string): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (line.trim() !== '') cases.push({ ...(JSON.parse(line) as Omit<CorpusCase, 'file'>), file });
    }
  }
  return cases;
}

/** Runs the CLI once per policy, in an empty folder so that no other policy file is picked up. */
function evaluateAll(dir: string, cases: readonly CorpusCase[]): Outcome[] {
  const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-corpus-'));
  const groups = new Map<string, CorpusCase[]>();
  for (const c of cases) groups.set(c.policy ?? '', [...(groups.get(c.policy ?? '') ?? []), c]);
  const outcomes: Outcome[] = [];
  for (const [policy, group] of groups) {
    const args = [cliPath(), 'check', '--jsonl', '--cwd', emptyDir, ...(policy ? ['--policy', path.join(dir, policy)] : [])];
    const input = group.map((c) => JSON.stringify({ cmd: c.cmd })).join('\n') + '\n';
    const run = spawnSync(process.execPath, args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(run.status, 0, `cli failed: ${run.stderr}`);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, group.length, 'one verdict per input line');
    group.forEach((c, i) => {
      const verdict = JSON.parse(lines[i]!) as { decision: string; reasons: { rule: string }[] };
      outcomes.push({ case: c, decision: verdict.decision, rules: verdict.reasons.map((r) => r.rule) });
    });
  }
  fs.rmSync(emptyDir, { recursive: true, force: true });
  return outcomes;
}

function show(o: Outcome): string {
  return `    [${o.case.file} ${o.case.category}] expect ${o.case.expect}, got ${o.decision} (${o.rules.join(', ')}): ${JSON.stringify(o.case.cmd).slice(0, 220)}`;
}

describe('corpus', { skip: corpus ? false : 'SKIPPED LOUDLY: ../shared/corpus is absent (set GUARDRAILS_CORPUS to score the engine against it)' }, () => {
  const outcomes = corpus ? evaluateAll(corpus, loadCases(corpus)) : [];
  const excepted = new Set(CORPUS_EXCEPTIONS.map((e) => e.cmd));
  const scored = outcomes.filter((o) => !excepted.has(o.case.cmd));
  const stopCases = scored.filter((o) => o.case.expect !== 'allow');
  const allowCases = scored.filter((o) => o.case.expect === 'allow');
  const missed = stopCases.filter((o) => o.decision === 'allow');
  const falsePositives = allowCases.filter((o) => o.decision !== 'allow');
  const inexact = scored.filter((o) => EXACT_CATEGORIES.has(o.case.category) && o.case.expect !== 'stop' && o.decision !== o.case.expect);
  const recall = stopCases.length === 0 ? 1 : (stopCases.length - missed.length) / stopCases.length;
  const falsePositiveRate = allowCases.length === 0 ? 0 : falsePositives.length / allowCases.length;
  const category = process.env['CORPUS_CATEGORY'];
  const report = [
    `corpus: ${outcomes.length} cases (${CORPUS_EXCEPTIONS.length} documented exceptions not scored)`,
    `  recall ${(recall * 100).toFixed(2)}% (${stopCases.length - missed.length}/${stopCases.length}), target ≥ 99%`,
    `  false positives ${(falsePositiveRate * 100).toFixed(2)}% (${falsePositives.length}/${allowCases.length}), target ≤ 2%`,
    `  exact categories: ${inexact.length} mismatches`,
    ...(missed.length ? ['  missed (allowed, should stop):', ...missed.filter((o) => !category || o.case.category === category).map(show)] : []),
    ...(falsePositives.length ? ['  false positives (stopped, should allow):', ...falsePositives.filter((o) => !category || o.case.category === category).map(show)] : []),
    ...(inexact.length ? ['  exact-category mismatches:', ...inexact.map(show)] : []),
  ].join('\n');
  console.log(report);

  it('every exception names a case that exists and still differs', () => {
    for (const exception of CORPUS_EXCEPTIONS) {
      const outcome = outcomes.find((o) => o.case.cmd === exception.cmd);
      assert.ok(outcome, `exception for a case not in the corpus: ${exception.cmd}`);
      const oursIsAllow = outcome.decision === 'allow';
      assert.equal(oursIsAllow, exception.ours === 'allow', `exception is stale (engine now answers ${outcome.decision}): ${exception.cmd}`);
    }
  });
  it('recall ≥ 99% of block/stop cases', () => assert.ok(recall >= 0.99, report));
  it('false positives ≤ 2% of allow cases', () => assert.ok(falsePositiveRate <= 0.02, report));
  it('cross-env and policy-lists cases match exactly', () => assert.equal(inexact.length, 0, report));
});

// Robustness: random and adversarial input never throws, never hangs, and garbage is never allowed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Verdict } from '../../src/engine.js';
import { check } from './helpers/engine.js';

/** Generous per-input bound: a hang or quadratic blow-up shows up as seconds, normal input takes microseconds. */
const MAX_MS_PER_INPUT = 2_000;

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function timed(cmd: string): Promise<{ verdict: Verdict; ms: number }> {
  const start = performance.now();
  const verdict = await check(cmd);
  return { verdict, ms: performance.now() - start };
}

async function assertBounded(cmd: string, label: string): Promise<Verdict> {
  const { verdict, ms } = await timed(cmd);
  assert.ok(ms < MAX_MS_PER_INPUT, `${label} took ${ms.toFixed(0)} ms`);
  assert.ok(['allow', 'confirm', 'block'].includes(verdict.decision));
  assert.ok(verdict.reasons.length > 0);
  return verdict;
}

describe('robustness', () => {
  const adversarial: [string, string, 'confirm' | 'not-allow' | 'any'][] = [
    ['1 MB line', 'echo ' + 'a'.repeat(1024 * 1024), 'confirm'],
    ['1 MB line of rm', 'rm -rf ' + '/x'.repeat(512 * 1024), 'confirm'],
    ['10,000-deep $(', '$('.repeat(10_000) + 'ls' + ')'.repeat(10_000), 'confirm'],
    ['10,000-deep unterminated $(', '$('.repeat(10_000), 'confirm'],
    ['10,000 nested subshells', '('.repeat(10_000) + 'ls' + ')'.repeat(10_000), 'confirm'],
    ['10,000 nested quotes', '"$(echo '.repeat(3_000) + ')"'.repeat(3_000), 'not-allow'],
    ['deep bash -c nesting', Array.from({ length: 20 }, () => 'bash -c ').join('') + 'ls', 'any'],
    ['unterminated single quote', "echo 'abc", 'confirm'],
    ['unterminated double quote', 'echo "abc', 'confirm'],
    ['unterminated backtick', 'echo `ls', 'confirm'],
    ['unterminated heredoc', 'cat <<EOF\nrm -rf /', 'any'],
    ['huge heredoc', 'psql <<SQL\n' + 'select 1;\n'.repeat(5_000) + 'SQL', 'any'],
    ['huge heredoc fed to bash', 'bash <<EOF\n' + 'echo hi\n'.repeat(5_000) + 'EOF', 'any'],
    ['NUL bytes', 'ls\0rm -rf /', 'confirm'],
    ['only NUL bytes', '\0\0\0\0', 'confirm'],
    ['lone surrogates', 'echo \ud800\udfff\ud800', 'any'],
    ['many commands', 'ls;'.repeat(20_000), 'confirm'],
    ['many pipes', 'ls|'.repeat(5_000) + 'ls', 'any'],
    ['empty', '', 'any'],
    ['whitespace', ' \t\n ', 'any'],
    ['control characters', '\x01\x02\x03\x1b[31m', 'not-allow'],
    ['brace bomb', 'echo ' + '{a,b}'.repeat(1_000), 'any'],
  ];
  for (const [label, cmd, expected] of adversarial) {
    it(label, async () => {
      const verdict = await assertBounded(cmd, label);
      if (expected === 'confirm') assert.equal(verdict.decision, 'confirm', verdict.reasons.map((r) => r.message).join(' | '));
      if (expected === 'not-allow') assert.notEqual(verdict.decision, 'allow');
    });
  }

  it('2,000 random shell-like lines: no exception, bounded time', async () => {
    const random = mulberry32(42);
    const alphabet = ['rm', ' ', '-rf', '/', '$(', ')', '`', "'", '"', '|', '&&', ';', '<<EOF\n', '\nEOF', '>', 'git', 'reset', '--hard', '\\', '{', '}', '(', '*', '~', 'sudo', 'bash -c ', '\n', '$X', '${', 'x'];
    for (let i = 0; i < 2_000; i += 1) {
      const length = 1 + Math.floor(random() * 30);
      let cmd = '';
      for (let k = 0; k < length; k += 1) cmd += alphabet[Math.floor(random() * alphabet.length)];
      await assertBounded(cmd, JSON.stringify(cmd));
    }
  });

  it('1,000 lines of binary garbage are never allowed', async () => {
    const random = mulberry32(7);
    for (let i = 0; i < 1_000; i += 1) {
      const bytes = Array.from({ length: 8 + Math.floor(random() * 200) }, () => Math.floor(random() * 256));
      bytes[Math.floor(random() * bytes.length)] = 0;
      const cmd = Buffer.from(bytes).toString('latin1');
      const verdict = await assertBounded(cmd, 'garbage');
      assert.notEqual(verdict.decision, 'allow', JSON.stringify(cmd));
    }
  });
});

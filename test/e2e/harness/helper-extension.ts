// Packages the test-only helper extension (test/e2e/helper-extension) into a vsix with the cached vsce, once per run.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { E2E_CACHE, repoRoot } from './paths.js';

let packaged: string | undefined;

export function helperExtensionVsix(): string {
  if (packaged && fs.existsSync(packaged)) return packaged;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-helper-')), 'guardrails-e2e-helper.vsix');
  execFileSync(path.join(E2E_CACHE, 'pw', 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out], {
    cwd: path.join(repoRoot(), 'test', 'e2e', 'helper-extension'), stdio: ['ignore', 'ignore', 'pipe'],
  });
  packaged = out;
  return out;
}

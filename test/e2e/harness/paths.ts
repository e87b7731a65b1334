// Where the e2e pieces live: the repo, the install cache outside it (setup.sh), the artifacts folder.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root (specs are bundled to out/test/e2e/, the demo to out/test/e2e/harness/). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'esbuild.mjs'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`repository root not found above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

export const E2E_CACHE = process.env.E2E_CACHE ?? path.join(os.homedir(), '.cache', 'agent-guardrails-e2e');
export const CODE_SERVER_ENTRY = path.join(E2E_CACHE, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const PLAYWRIGHT_PACKAGE_JSON = path.join(E2E_CACHE, 'pw', 'package.json');
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

export function vsixPath(): string {
  return process.env.E2E_VSIX ?? path.join(repoRoot(), 'dist', 'agent-guardrails.vsix');
}

/** test-results/e2e: screenshots and server logs of the last run (git-ignored). */
export function artifactsDir(): string {
  const dir = path.join(repoRoot(), 'test-results', 'e2e');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Copies a fixture workspace (test/fixtures/workspaces/<name>) to a fresh temp folder, so a test can edit it. */
export function copyFixtureWorkspace(name: string, into: string): string {
  const source = path.join(repoRoot(), 'test', 'fixtures', 'workspaces', name);
  const target = path.join(into, name);
  fs.cpSync(source, target, { recursive: true });
  return target;
}

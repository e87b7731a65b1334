// npm run demo: code-server with the packaged extension on a copy of test/fixtures/workspaces/staging; prints the URL.
import { startCodeServer } from './code-server.js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyFixtureWorkspace } from './paths.js';

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-demo-'));
  const workspace = copyFixtureWorkspace(process.env.DEMO_WORKSPACE ?? 'staging', path.join(root, 'workspaces'));
  const port = Number(process.env.PORT ?? 8123);
  const server = await startCodeServer({ workspace, root, port, host: process.env.HOST ?? '127.0.0.1' });
  console.log(`\nAgent Guardrails demo: open ${server.url}\n  workspace: ${workspace} (a copy; edit it freely)\n  profile:   ${root}\nPress Ctrl+C to stop.`);
  const stop = (): void => { void server.stop().then(() => process.exit(0)); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
  // However this process ends, code-server goes with it.
  process.on('exit', () => server.kill());
}

main().catch((error: unknown) => { console.error(error); process.exit(1); });

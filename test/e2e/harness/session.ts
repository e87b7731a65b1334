// One e2e session: a workspace copied from the fixtures, code-server with the extension, and a browser on it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCodeServer, type CodeServer } from './code-server.js';
import { copyFixtureWorkspace } from './paths.js';
import { Workbench, saveFailureArtifacts } from './workbench.js';

export interface SessionOptions {
  /** Fixture folders under test/fixtures/workspaces; more than one makes a multi-root workspace. */
  readonly fixtures: readonly string[];
  /** Changes the copied folders before VS Code starts (e.g. a shorter confirmation timeout). */
  readonly prepare?: (folders: readonly string[]) => void;
  readonly settings?: Readonly<Record<string, unknown>>;
  /** More .vsix files to install (see helper-extension.ts). */
  readonly extraExtensions?: readonly string[];
}

export interface Session {
  readonly server: CodeServer;
  readonly workbench: Workbench;
  /** The copied workspace folders, in order. */
  readonly folders: readonly string[];
  /** Runs one step; on failure saves a screenshot and the logs as `<name>-failure.png` etc., then rethrows. */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Progress lines on stderr (node --test shows them with the test file). */
export function note(message: string): void {
  process.stderr.write(`[e2e] ${message}\n`);
}

export async function openSession(options: SessionOptions): Promise<Session> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-e2e-'));
  const workspaceRoot = path.join(root, 'workspaces');
  fs.mkdirSync(workspaceRoot);
  const folders = options.fixtures.map((name) => copyFixtureWorkspace(name, workspaceRoot));
  options.prepare?.(folders);
  let workspace = folders[0]!;
  if (folders.length > 1) {
    workspace = path.join(workspaceRoot, 'multi.code-workspace');
    fs.writeFileSync(workspace, JSON.stringify({ folders: folders.map((f) => ({ path: f })) }, null, 2));
  }
  const t0 = performance.now();
  const elapsed = (): string => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  const server = await startCodeServer({ workspace, root, ...(options.settings ? { settings: options.settings } : {}), ...(options.extraExtensions ? { extraExtensions: options.extraExtensions } : {}) });
  // Whatever happens to the test process, code-server does not outlive it.
  process.once('exit', () => server.kill());
  let workbench: Workbench;
  try {
    note(`code-server listening after ${elapsed()} (${server.url})`);
    workbench = await Workbench.open(server);
    note(`workbench loaded after ${elapsed()}`);
  } catch (error) {
    await saveFailureArtifacts(undefined, server, 'session-open');
    await server.stop();
    throw error;
  }
  return {
    server,
    workbench,
    folders,
    async step<T>(name: string, fn: () => Promise<T>): Promise<T> {
      try {
        return await fn();
      } catch (error) {
        await saveFailureArtifacts(workbench, server, name);
        throw error;
      }
    },
    async close(): Promise<void> {
      const activation = /activated in ([\d.]+ ms \([^;]*);/.exec(server.extensionLog());
      const parser = /shell parser ready in ([\d.]+) ms/.exec(server.extensionLog());
      const engine = /engine loaded in ([\d.]+ ms \([^)]*\))/.exec(server.extensionLog());
      if (activation) note(`extension activation: ${activation[1]}); engine (lazy): ${engine?.[1] ?? '?'}; shell parser (lazy, after activation): ${parser?.[1] ?? '?'} ms`);
      const closing = performance.now();
      await workbench.close().catch(() => undefined);
      await server.stop();
      note(`closed in ${((performance.now() - closing) / 1000).toFixed(1)} s`);
      if (!process.env.E2E_KEEP) fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

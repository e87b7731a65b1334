// Starts code-server (real VS Code in a browser) with the packaged extension installed, in a throwaway profile.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CODE_SERVER_ENTRY, vsixPath } from './paths.js';

export const EXTENSION_ID = 'agent-guardrails.agent-guardrails';

/** The settings of the e2e recipe (shared/docs/e2e-recipe.md): no trust prompt, DOM terminal renderer, no noise. */
export const E2E_SETTINGS: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'terminal.integrated.defaultProfile.linux': 'bash',
  'terminal.integrated.shellIntegration.enabled': true,
  'terminal.integrated.gpuAcceleration': 'off',
  'terminal.integrated.enablePersistentSessions': false,
  'chat.disableAIFeatures': true,
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'window.commandCenter': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'files.autoSave': 'off',
};

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly root: string;
  readonly userDataDir: string;
  /** Everything code-server printed. */
  output(): string;
  /** The extension's output channel log ("Agent Guardrails"), or '' before it exists. */
  extensionLog(): string;
  /** The extension's audit log (JSONL) in its global storage. */
  auditFile(): string;
  stop(): Promise<void>;
  /** Sends SIGTERM without waiting (for process exit handlers). */
  kill(): void;
}

export interface StartOptions {
  /** A folder, or a `.code-workspace` file for multi-root. */
  readonly workspace: string;
  /** Root for the profile; a temp folder by default. */
  readonly root?: string;
  readonly port?: number;
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Bind address; 127.0.0.1 by default. */
  readonly host?: string;
  /** More .vsix files to install (test-only helper extensions). */
  readonly extraExtensions?: readonly string[];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function findFile(dir: string, name: string): string | undefined {
  if (!fs.existsSync(dir)) return undefined;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: false }).map(String)) {
    if (path.basename(entry) === name) return path.join(dir, entry);
  }
  return undefined;
}

export async function startCodeServer(options: StartOptions): Promise<CodeServer> {
  if (!fs.existsSync(CODE_SERVER_ENTRY)) throw new Error(`code-server is not installed at ${CODE_SERVER_ENTRY}; run test/e2e/harness/setup.sh`);
  const root = options.root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-e2e-'));
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...E2E_SETTINGS, ...options.settings }, null, 2));

  const install = spawnSync(process.execPath, [CODE_SERVER_ENTRY, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsixPath()], { encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`installing ${vsixPath()} failed:\n${install.stdout}\n${install.stderr}`);
  for (const extra of options.extraExtensions ?? []) {
    const installed = spawnSync(process.execPath, [CODE_SERVER_ENTRY, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', extra], { encoding: 'utf8' });
    if (installed.status !== 0) throw new Error(`installing ${extra} failed:\n${installed.stdout}\n${installed.stderr}`);
  }

  const port = options.port ?? await freePort();
  const host = options.host ?? '127.0.0.1';
  const child: ChildProcess = spawn(process.execPath, [
    CODE_SERVER_ENTRY, '--auth', 'none', '--bind-addr', `${host}:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, options.workspace,
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SHELL: '/bin/bash' } });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 30 s:\n${output}`)), 30_000);
    const check = (): void => { if (output.includes('HTTP server listening')) { clearTimeout(timer); resolve(); } };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`code-server exited (${code}):\n${output}`)); });
  });
  const query = options.workspace.endsWith('.code-workspace') ? `workspace=${encodeURIComponent(options.workspace)}` : `folder=${encodeURIComponent(options.workspace)}`;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/?${query}`,
    port,
    root,
    userDataDir,
    output: () => output,
    extensionLog: () => {
      const file = findFile(path.join(userDataDir, 'logs'), 'Agent Guardrails.log') ?? findFile(path.join(userDataDir, 'logs'), '1-Agent Guardrails.log');
      return file ? fs.readFileSync(file, 'utf8') : '';
    },
    auditFile: () => path.join(userDataDir, 'User', 'globalStorage', EXTENSION_ID, 'audit.jsonl'),
    kill: () => { if (child.exitCode === null) child.kill('SIGTERM'); },
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) { resolve(); return; }
      const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(); }, 5000);
      child.once('exit', () => { clearTimeout(timer); resolve(); });
      child.kill('SIGTERM');
    }),
  };
}

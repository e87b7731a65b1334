// Test harness for the shell hooks: the real verdict server, the real hook files, real shells under a pseudo-terminal.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Verdict } from '../../../src/engine.js';
import { applyHookVariables, hookVariables } from '../../../src/hook/environment.js';
import { installPathGuard } from '../../../src/hook/path-guard.js';
import { buildPrefilter, writePrefilterFile } from '../../../src/hook/prefilter.js';
import { startVerdictServer, type HookDecision, type HookEvent, type VerdictRequest, type VerdictServer } from '../../../src/hook/verdict-server.js';
import { UNMARKED_POLICY } from '../../../src/policy/defaults.js';
import { bashParser } from '../helpers/engine.js';
import { projectRoot } from '../helpers/project.js';

export const SHELL_DIRECTORY = path.join(projectRoot(), 'media', 'shell');

export function hasProgram(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** A person at the confirmation dialog: answers from a script, records what was asked. */
export class ScriptedPerson {
  readonly asked: { request: VerdictRequest; verdict: Verdict }[] = [];
  private readonly answers: (HookDecision | 'never' | ((release: (d: HookDecision) => void) => void))[] = [];
  fallback: HookDecision = 'deny';

  answer(...answers: (HookDecision | 'never')[]): void {
    this.answers.push(...answers);
  }

  /** The next question waits until the test calls the returned function. */
  hold(): Promise<(decision: HookDecision) => void> {
    return new Promise((resolve) => this.answers.push((release) => resolve(release)));
  }

  decide = (request: VerdictRequest, verdict: Verdict): Promise<HookDecision> => {
    this.asked.push({ request, verdict });
    const next = this.answers.shift() ?? this.fallback;
    if (next === 'never') return new Promise(() => undefined);
    if (typeof next === 'function') return new Promise((resolve) => next(resolve));
    return Promise.resolve(next);
  };
}

export interface HookRig {
  readonly server: VerdictServer;
  readonly person: ScriptedPerson;
  readonly events: HookEvent[];
  readonly dir: string;
  readonly home: string;
  readonly work: string;
  readonly guardDirectory: string;
  /** The terminal environment the extension would set, on top of a clean base. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startRig(options: { decideTimeoutMs?: number } = {}): Promise<HookRig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-hook-'));
  const home = path.join(dir, 'home');
  const work = path.join(dir, 'work');
  const guardDirectory = path.join(dir, 'guard');
  fs.mkdirSync(home);
  fs.mkdirSync(work);
  const person = new ScriptedPerson();
  const events: HookEvent[] = [];
  const server = await startVerdictServer({
    policyFor: () => UNMARKED_POLICY,
    decide: person.decide,
    parser: await bashParser(),
    decideTimeoutMs: options.decideTimeoutMs,
    onEvent: (event) => events.push(event),
  });
  const prefilterFile = path.join(dir, 'prefilter.sh');
  writePrefilterFile(prefilterFile, buildPrefilter([UNMARKED_POLICY]));
  installPathGuard(guardDirectory, SHELL_DIRECTORY);
  const variables = hookVariables(server, { shellDirectory: SHELL_DIRECTORY, prefilterFile, guardDirectory }, { HOME: home });
  return {
    server, person, events, dir, home, work, guardDirectory,
    env(extra = {}) {
      const base: NodeJS.ProcessEnv = {
        HOME: home, PATH: process.env['PATH'] ?? '/usr/bin:/bin', TERM: 'dumb', LANG: 'C.UTF-8', USER: 'tester',
        SHLVL: '1', PS1: '$ ', HISTFILE: path.join(home, '.bash_history'), XDG_RUNTIME_DIR: dir, SHELL: '/bin/bash',
      };
      return { ...applyHookVariables(base, variables), ...extra };
    },
    async close() {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An interactive shell under a pseudo-terminal (util-linux `script`). */
export class PtySession {
  private output = '';
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(command: string, env: NodeJS.ProcessEnv, cwd: string) {
    // script runs the command with $SHELL -c: use sh, so no extra hooked bash sits between script and the shell.
    this.child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...env, SHELL: '/bin/sh' }, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d: Buffer) => { this.output += d.toString('utf8'); });
    this.child.stderr!.on('data', (d: Buffer) => { this.output += d.toString('utf8'); });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Everything the terminal showed, without escape sequences and carriage returns. */
  text(): string {
    // eslint-disable-next-line no-control-regex
    return this.output.replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  }

  raw(): string {
    return this.output;
  }

  send(text: string): void {
    this.child.stdin!.write(text);
  }

  line(text: string): void {
    this.send(`${text}\r`);
  }

  async waitFor(pattern: RegExp | string, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.text();
      if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; terminal so far:\n${text}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Runs a line and waits for its marker: `line; echo "<marker>:$?"`. Returns the status the shell reported. */
  async run(line: string, marker: string, timeoutMs = 20_000): Promise<{ status: number; text: string }> {
    this.line(`${line}`);
    this.line(`echo "${marker}:$?"`);
    const re = new RegExp(`\\n${marker}:(\\d+)`);
    const text = await this.waitFor(re, timeoutMs);
    return { status: Number(re.exec(text)?.[1]), text };
  }

  async close(): Promise<number | null> {
    if (this.child.exitCode === null) {
      this.line('exit');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      const code = await this.exited;
      clearTimeout(timer);
      return code;
    }
    return this.child.exitCode;
  }
}

/** Where VS Code's own bash/zsh shell integration scripts are, when the e2e cache (code-server) is installed. */
export function vscodeScriptsDirectory(): string | undefined {
  const candidates = [
    process.env['E2E_CACHE'],
    path.join(os.homedir(), '.cache', 'agent-guardrails-e2e'),
    path.join(projectRoot(), '.e2e-cache'),
  ].filter((c): c is string => c !== undefined);
  for (const cache of candidates) {
    const dir = path.join(cache, 'cs', 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'vs', 'workbench', 'contrib', 'terminal', 'common', 'scripts');
    if (fs.existsSync(path.join(dir, 'shellIntegration-bash.sh'))) return dir;
  }
  return undefined;
}

/** Runs a non-interactive command with the rig's environment. */
export function runBatch(rig: HookRig, file: string, args: string[], extra: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env: rig.env(extra), cwd: rig.work });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

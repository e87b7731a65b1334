// Terminal helpers for the shell-hook specs: open a terminal, wait for its hook, type lines, read what it printed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeServer } from './code-server.js';
import { eventually, type Workbench } from './workbench.js';

/** Hook hellos the extension logged so far ("terminal guard: hello from bash pid N"). */
export function hookHellos(server: CodeServer): string[] {
  return server.extensionLog().split('\n').filter((l) => /terminal guard: hello from/.test(l));
}

/** Waits until the verdict server runs and the terminal environment is set (new terminals get the hook from then on). */
export async function waitForTerminalGuard(server: CodeServer): Promise<void> {
  await eventually('the terminal guard to start', () => (/terminal guard: verdict server on 127\.0\.0\.1:\d+/.test(server.extensionLog()) ? true : undefined), 30_000);
}

/** Opens a new terminal with the default profile (bash) and waits until its hook said hello. */
export async function openHookedTerminal(workbench: Workbench): Promise<void> {
  const before = hookHellos(workbench.server).length;
  await workbench.runCommand('Terminal: Create New Terminal');
  await workbench.page.locator('.terminal-wrapper.active .xterm').waitFor({ timeout: 15_000 });
  await eventually('the bash hook to say hello', () => (hookHellos(workbench.server).length > before ? true : undefined), 20_000);
}

/** Types a line into the focused terminal and presses Enter. */
export async function typeLine(workbench: Workbench, line: string): Promise<void> {
  await workbench.page.locator('.terminal-wrapper.active .xterm').click();
  await workbench.page.keyboard.type(line);
  await workbench.page.keyboard.press('Enter');
}

/** Waits until the active terminal shows text matching `pattern`; returns the whole text. */
export function waitForTerminalText(workbench: Workbench, pattern: RegExp, timeout = 20_000): Promise<string> {
  return eventually(`the terminal to show ${String(pattern)}`, async () => {
    const text = await workbench.terminalText();
    return pattern.test(text) ? text : undefined;
  }, timeout);
}

/** The exit codes VS Code's shell integration reported for `commandLine`, in order (the extension logs every execution end). */
export function executionEnds(server: CodeServer, commandLine: string): string[] {
  const escaped = commandLine.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`: ended \\(exit ([^)]*)\\): ${escaped}$`, 'gm');
  return [...server.extensionLog().matchAll(re)].map((m) => m[1]!);
}

/** Waits for the `index`-th (0-based) reported end of `commandLine` and returns its exit code. */
export function waitForExecutionEnd(server: CodeServer, commandLine: string, index = 0, timeout = 20_000): Promise<string> {
  return eventually(`VS Code to report end #${index + 1} of "${commandLine}"`, () => executionEnds(server, commandLine)[index], timeout);
}

/** The extension's log across extension host restarts (each host writes its own "Agent Guardrails.log"), oldest first. */
export function allExtensionLogs(server: CodeServer): string {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('Agent Guardrails.log')) files.push(full);
    }
  };
  walk(path.join(server.userDataDir, 'logs'));
  return files.map((f) => ({ f, t: fs.statSync(f).birthtimeMs || fs.statSync(f).ctimeMs })).sort((a, b) => a.t - b.t).map(({ f }) => fs.readFileSync(f, 'utf8')).join('\n');
}

/** Hook hellos from one shell only ("terminal guard: hello from zsh pid N …"). */
export function hookHellosFrom(server: CodeServer, shell: string): string[] {
  return hookHellos(server).filter((l) => l.includes(`hello from ${shell} pid `));
}

/**
 * Opens a new terminal with the default profile (a spec picks it with the setting
 * `terminal.integrated.defaultProfile.linux`) and waits until the hook of `shell` in it said hello; returns that line.
 */
export async function openHookedShellTerminal(workbench: Workbench, shell: string, timeout = 20_000): Promise<string> {
  const before = hookHellosFrom(workbench.server, shell).length;
  await workbench.runCommand('Terminal: Create New Terminal');
  await workbench.page.locator('.terminal-wrapper.active .xterm').waitFor({ timeout: 15_000 });
  return eventually(`the ${shell} hook to say hello`, () => hookHellosFrom(workbench.server, shell)[before], timeout);
}

/**
 * VS Code's command decorations in the active terminal (drawn by its shell integration next to each finished
 * command): how many show success and how many show failure.
 */
export async function commandDecorations(workbench: Workbench): Promise<{ success: number; error: number }> {
  const wrapper = workbench.page.locator('.terminal-wrapper.active');
  return {
    success: await wrapper.locator('.terminal-command-decoration.codicon-terminal-decoration-success').count(),
    error: await wrapper.locator('.terminal-command-decoration.codicon-terminal-decoration-error').count(),
  };
}

/** Waits until the active terminal shows at least `success` success and `error` failure decorations; returns the counts. */
export function waitForCommandDecorations(workbench: Workbench, want: { success: number; error: number }, timeout = 20_000): Promise<{ success: number; error: number }> {
  return eventually(`command decorations ≥ ${JSON.stringify(want)}`, async () => {
    const seen = await commandDecorations(workbench);
    if (seen.success >= want.success && seen.error >= want.error) return seen;
    throw new Error(`the terminal shows ${JSON.stringify(seen)}`);
  }, timeout);
}

/**
 * Waits until the active terminal ends with a prompt (`#`, `$`, `%` or `>` at the end of its last line), so a line
 * typed next goes to the shell's line editor instead of being echoed early by the terminal (cleaner screenshots).
 */
export async function waitForPrompt(workbench: Workbench, timeout = 20_000): Promise<void> {
  await eventually('a prompt in the terminal', async () => (/[#$%>]$/.test((await workbench.terminalText()).trimEnd()) ? true : undefined), timeout);
}

// Drives the VS Code workbench in Debian's chromium through playwright-core (loaded from the e2e cache).
// Selectors follow shared/docs/e2e-recipe.md; every wait has a timeout and fails with what it waited for.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { CodeServer } from './code-server.js';
import { CHROMIUM, PLAYWRIGHT_PACKAGE_JSON, artifactsDir } from './paths.js';

/** The subset of playwright-core's API the harness uses (the package lives outside the repo, so no types here). */
export interface Locator {
  click(options?: { timeout?: number; button?: 'left' | 'right' }): Promise<void>;
  fill(value: string, options?: { timeout?: number }): Promise<void>;
  press(key: string, options?: { timeout?: number }): Promise<void>;
  hover(options?: { timeout?: number }): Promise<void>;
  waitFor(options?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  textContent(options?: { timeout?: number }): Promise<string | null>;
  innerText(options?: { timeout?: number }): Promise<string>;
  getAttribute(name: string, options?: { timeout?: number }): Promise<string | null>;
  inputValue(options?: { timeout?: number }): Promise<string>;
  isVisible(): Promise<boolean>;
  count(): Promise<number>;
  first(): Locator;
  nth(index: number): Locator;
  locator(selector: string, options?: { hasText?: string | RegExp; hasNotText?: string | RegExp }): Locator;
  filter(options: { hasText?: string | RegExp; hasNotText?: string | RegExp }): Locator;
  getByRole(role: string, options?: { name?: string | RegExp; exact?: boolean }): Locator;
  screenshot(options?: { path?: string }): Promise<Buffer>;
  evaluate<R, A>(fn: (element: unknown, arg: A) => R, arg: A): Promise<R>;
  allInnerTexts(): Promise<string[]>;
}
export interface Page {
  goto(url: string, options?: { timeout?: number; waitUntil?: 'load' | 'domcontentloaded' }): Promise<unknown>;
  reload(options?: { timeout?: number; waitUntil?: 'load' | 'domcontentloaded' }): Promise<unknown>;
  locator(selector: string, options?: { hasText?: string | RegExp; hasNotText?: string | RegExp }): Locator;
  getByRole(role: string, options?: { name?: string | RegExp; exact?: boolean }): Locator;
  keyboard: { press(key: string): Promise<void>; type(text: string, options?: { delay?: number }): Promise<void> };
  mouse: { move(x: number, y: number): Promise<void> };
  screenshot(options?: { path?: string; fullPage?: boolean }): Promise<Buffer>;
  waitForTimeout(ms: number): Promise<void>;
  evaluate<R, A>(fn: (arg: A) => R, arg: A): Promise<R>;
  close(): Promise<void>;
  on(event: 'console' | 'pageerror', listener: (value: unknown) => void): void;
}
interface Browser { newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>; close(): Promise<void> }
interface Chromium { launch(options: { executablePath: string; headless: boolean; args: string[] }): Promise<Browser> }

const STATUS_ITEM = '[id="agent-guardrails.agent-guardrails.agentGuardrails.environment"]';

export class Workbench {
  private constructor(private readonly browser: Browser, readonly page: Page, readonly server: CodeServer) {}

  static async open(server: CodeServer): Promise<Workbench> {
    const { chromium } = createRequire(PLAYWRIGHT_PACKAGE_JSON)('playwright-core') as { chromium: Chromium };
    const browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url, { timeout: 30_000, waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
    return new Workbench(browser, page, server);
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  // ── status bar ──────────────────────────────────────────────────────────────────────────────────────────────
  statusItem(): Locator {
    return this.page.locator(STATUS_ITEM);
  }

  /** Waits until the environment indicator's text contains `text` (the extension has activated and read the policy). */
  async waitForStatus(text: string | RegExp, timeout = 60_000): Promise<string> {
    const item = this.page.locator(STATUS_ITEM, { hasText: text });
    try {
      await item.waitFor({ timeout });
    } catch (error) {
      const shown = await this.statusItem().innerText({ timeout: 1000 }).catch(() => '<no item>');
      throw new Error(`status bar never showed ${String(text)} (it shows "${shown}")\n${this.server.extensionLog()}`, { cause: error });
    }
    return (await item.innerText()).trim();
  }

  /** The indicator's background colour, and the theme's value of `colorId` resolved the same way (rgb strings). */
  async statusBackground(colorId: string): Promise<{ actual: string; theme: string; transparent: string }> {
    // These functions run in the page (DOM types are not part of this project's compilation).
    const actual = await this.statusItem().evaluate((el: unknown) => (globalThis as any).getComputedStyle(el).backgroundColor as string, null);
    const resolve = async (value: string): Promise<string> => this.page.evaluate((v: string) => {
      const document = (globalThis as any).document;
      const getComputedStyle = (globalThis as any).getComputedStyle;
      const probe = document.createElement('div');
      probe.style.backgroundColor = v;
      (document.querySelector('.monaco-workbench') ?? document.body).appendChild(probe);
      const rgb = getComputedStyle(probe).backgroundColor as string;
      probe.remove();
      return rgb;
    }, value);
    return { actual, theme: await resolve(`var(--vscode-${colorId.replace(/\./g, '-')})`), transparent: await resolve('transparent') };
  }

  /** Hovers the indicator and returns the tooltip's text. */
  async statusTooltip(): Promise<string> {
    await this.statusItem().hover();
    const hover = this.page.locator('.monaco-hover:not(.hidden) .hover-contents, .workbench-hover .hover-contents, .monaco-hover-content').first();
    await hover.waitFor({ timeout: 10_000 });
    const text = await hover.innerText();
    await this.page.mouse.move(720, 400);
    return text;
  }

  // ── command palette and quick input ─────────────────────────────────────────────────────────────────────────
  async runCommand(title: string): Promise<void> {
    // The palette can close under the test when VS Code moves the focus a moment after an earlier command (a view or
    // an output channel being revealed): then it is opened again, up to three times.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.page.keyboard.press('F1');
        const input = this.page.locator('.quick-input-widget input');
        await input.waitFor({ timeout: 10_000 });
        await input.fill(`>${title}`, { timeout: 10_000 });
        // Enter runs the focused row: wait until the filter has made it this command (a row further down the list, e.g.
        // under "recently used", can show the title before the list is filtered).
        await this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first().waitFor({ timeout: 10_000 });
        await this.page.keyboard.press('Enter');
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
        await this.page.waitForTimeout(1_000);
      }
    }
  }

  /**
   * Runs a command that asks for one value in a quick input titled `inputTitle`, and submits `value`. A view or output
   * channel revealed a moment earlier can close that input under the test; then the command runs again (only for
   * commands that do nothing when their input is dismissed), up to three times.
   */
  async runCommandWithInput(title: string, inputTitle: string, value: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      await this.runCommand(title);
      try {
        await this.submitInput(value, inputTitle);
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Waits for the quick input (with `title` in it, if given), types `value` and presses Enter. */
  async submitInput(value: string, title?: string | RegExp): Promise<void> {
    const widget = title ? this.page.locator('.quick-input-widget', { hasText: title }) : this.page.locator('.quick-input-widget');
    await widget.waitFor({ state: 'visible', timeout: 10_000 });
    const input = widget.locator('input').first();
    // A quick input can set its own value just after it shows (the save dialog fills in its default path): fill until
    // the value stays what the test typed, then submit.
    await eventually(`the input to hold "${value}"`, async () => {
      await input.fill(value, { timeout: 10_000 });
      await this.page.waitForTimeout(200);
      return (await input.inputValue()) === value ? true : undefined;
    }, 10_000);
    await input.press('Enter');
  }

  /**
   * Closes the open quick input with Escape. A key pressed while one step of a multi-step input hands over to the
   * next can reach the closing one; then Escape is pressed again, up to three times.
   */
  async escapeQuickInput(): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      await this.page.keyboard.press('Escape');
      try {
        await this.quickInput().waitFor({ state: 'hidden', timeout: 3_000 });
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  }

  /** Picks a row of the open quick pick by its text. */
  async pickItem(text: string | RegExp): Promise<void> {
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
    await row.waitFor({ timeout: 10_000 });
    await row.click();
  }

  // ── the extension's commands ────────────────────────────────────────────────────────────────────────────────
  async runGuarded(commandLine: string): Promise<void> {
    await this.runCommand('Guardrails: Run Command Guarded…');
    await this.submitInput(commandLine, 'Run Command Guarded');
  }

  async explain(commandLine: string): Promise<void> {
    await this.runCommand('Guardrails: Explain Command…');
    await this.submitInput(commandLine, 'Explain Command');
  }

  // ── modal dialogs ───────────────────────────────────────────────────────────────────────────────────────────
  /** The modal dialog that contains `text`. */
  dialog(text?: string | RegExp): Locator {
    return text ? this.page.locator('.monaco-dialog-box', { hasText: text }) : this.page.locator('.monaco-dialog-box');
  }

  async waitForDialog(text: string | RegExp, timeout = 15_000): Promise<Locator> {
    const dialog = this.dialog(text);
    try {
      await dialog.waitFor({ state: 'visible', timeout });
    } catch (error) {
      const open = await this.dialog().allInnerTexts().catch(() => []);
      throw new Error(`no dialog with ${String(text)} (open dialogs: ${JSON.stringify(open)})\n${this.server.extensionLog()}`, { cause: error });
    }
    return dialog;
  }

  async dialogText(text: string | RegExp): Promise<string> {
    return (await this.waitForDialog(text)).innerText();
  }

  async clickDialogButton(text: string | RegExp, button: string): Promise<void> {
    const dialog = await this.waitForDialog(text);
    await dialog.getByRole('button', { name: button, exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Closes the open dialog with Escape (the same as Cancel / the close button). */
  async dismissDialog(text: string | RegExp): Promise<void> {
    const dialog = await this.waitForDialog(text);
    await this.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  async waitForNoDialog(timeout = 10_000): Promise<void> {
    await this.dialog().first().waitFor({ state: 'hidden', timeout });
  }

  // ── notifications, panels, views ────────────────────────────────────────────────────────────────────────────
  notification(text: string | RegExp): Locator {
    return this.page.locator('.notification-toast', { hasText: text });
  }

  async openProblems(): Promise<Locator> {
    await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    const panel = this.page.locator('.markers-panel');
    await panel.waitFor({ timeout: 10_000 });
    return panel;
  }

  // ── terminal ────────────────────────────────────────────────────────────────────────────────────────────────
  async terminalText(): Promise<string> {
    return this.page.locator('.terminal-wrapper.active .xterm-rows').innerText().catch(() => '');
  }

  // ── artifacts ───────────────────────────────────────────────────────────────────────────────────────────────
  /** Saves a screenshot (whole page, or one part) to test-results/e2e/<name>.png and returns its path. */
  async screenshot(name: string, part?: Locator): Promise<string> {
    const file = path.join(artifactsDir(), `${name}.png`);
    if (part) await part.screenshot({ path: file });
    else await this.page.screenshot({ path: file });
    return file;
  }
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeout` ms with `what`. */
export async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeout = 15_000, interval = 200): Promise<T> {
  const end = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Saves the page and the server's output when a test fails, next to the screenshots. */
export async function saveFailureArtifacts(workbench: Workbench | undefined, server: CodeServer | undefined, name: string): Promise<void> {
  const dir = artifactsDir();
  if (workbench) await workbench.page.screenshot({ path: path.join(dir, `${name}-failure.png`) }).catch(() => undefined);
  if (server) {
    fs.writeFileSync(path.join(dir, `${name}-code-server.log`), server.output());
    fs.writeFileSync(path.join(dir, `${name}-extension.log`), server.extensionLog());
  }
}

// Journey: commands that run past the shell hook.
// 1. A terminal opened before the extension (re)started — here: the window reloads, the terminal persists — has
//    no working hook (its hook talks to a server that is gone). It is flagged in the tooltip; a destructive command
//    VS Code sees start there without any hook question is interrupted at once (Ctrl+C), audited, and a modal alerts
//    the person. "Guardrails: Restart Unguarded Terminals" replaces it with a guarded one.
// 2. In a guarded terminal, `env -i bash --norc --noprofile` starts a shell with neither the hook nor VS Code's shell
//    integration: VS Code reports nothing typed there, so no command can be cross-checked; the guard finds the
//    unhooked shell in the terminal's process tree and flags the terminal as unguarded while it runs.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { auditEntries } from './harness/audit.js';
import { openSession, type Session } from './harness/session.js';
import { allExtensionLogs, openHookedTerminal, typeLine, waitForTerminalGuard } from './harness/terminal.js';
import { eventually } from './harness/workbench.js';

describe('terminal bypass detection: commands that never passed the hook', () => {
  let s: Session;
  let migrations: string;
  const log = (): string => allExtensionLogs(s.server);
  before(async () => {
    s = await openSession({
      fixtures: ['staging'],
      // The terminal outlives a window reload, as a user's terminals do.
      settings: { 'terminal.integrated.enablePersistentSessions': true },
      prepare: ([folder]) => {
        fs.mkdirSync(path.join(folder!, 'migrations'));
        fs.writeFileSync(path.join(folder!, 'migrations', '001_init.sql'), 'create table users(id int);\n');
      },
    });
    migrations = path.join(s.folders[0]!, 'migrations');
  });
  after(async () => { await s?.close(); });

  async function tooltipMatching(pattern: RegExp, present = true): Promise<string> {
    return eventually(`the tooltip ${present ? 'to show' : 'to drop'} ${String(pattern)}`, async () => {
      const t = await s.workbench.statusTooltip();
      return pattern.test(t) === present ? t : undefined;
    }, 30_000);
  }

  it('a terminal from before a restart of the extension is flagged; a destructive command there is interrupted', () => s.step('bypass-old-terminal', async () => {
    await s.workbench.waitForStatus('STAGING');
    await waitForTerminalGuard(s.server);
    await openHookedTerminal(s.workbench);
    await s.workbench.runCommand('Developer: Reload Window');
    await s.workbench.page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
    await eventually('the restarted extension\'s verdict server', () => ((log().match(/terminal guard: verdict server on/g) ?? []).length >= 2 ? true : undefined), 60_000);
    await s.workbench.waitForStatus('STAGING');
    await tooltipMatching(/Terminal "bash" is unguarded: it was opened before Agent Guardrails started/);

    await typeLine(s.workbench, 'sleep 4; rm -rf migrations');
    const text = await s.workbench.dialogText('ran past the terminal guard');
    assert.match(text, /sleep 4; rm -rf migrations/);
    await s.workbench.screenshot('terminal-bypass-modal');
    await eventually('the bypass audit entry', () => auditEntries(s.server).find((e) => e.source === 'terminal' && e.outcome === 'stopped' && (e.detail ?? []).some((d) => /bypass/.test(d))), 15_000);
    assert.match(log(), /BYPASS in terminal "bash" \(pid \d+\): "sleep 4; rm -rf migrations" started without the hook's check \(confirm\); sent Ctrl\+C/);
    await s.workbench.clickDialogButton('ran past the terminal guard', 'OK');
    await s.workbench.page.waitForTimeout(5000);
    assert.ok(fs.existsSync(path.join(migrations, '001_init.sql')), 'the folder is still there');

    await s.workbench.runCommand('Guardrails: Restart Unguarded Terminals');
    await eventually('a hook hello in the restarted extension', () => (/terminal guard: hello from bash[\s\S]*$/.test(log().split(/terminal guard: verdict server on/).pop() ?? '') ? true : undefined), 30_000);
    await tooltipMatching(/Terminal "bash" is unguarded/, false);
  }));

  it('env -i bash --norc --noprofile in a guarded terminal: flagged unguarded while that shell runs', () => s.step('bypass-env-i', async () => {
    await typeLine(s.workbench, 'env -i bash --norc --noprofile');
    await eventually('the warning', () => (/runs a shell without the hook \(bash pid \d+\), started by: env -i bash --norc --noprofile/.test(log()) ? true : undefined), 20_000);
    await tooltipMatching(/Terminal "bash" is unguarded: a shell without the hook runs inside it/);
    await typeLine(s.workbench, 'exit');
    await eventually('the end of env -i bash', () => (/ended \(exit [^)]*\): env -i bash --norc --noprofile/.test(log()) ? true : undefined), 20_000);
    await tooltipMatching(/Terminal "bash" is unguarded/, false);
  }));
});

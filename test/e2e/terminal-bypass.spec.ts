// Journey: commands that run past the shell hook.
// 1. A terminal opened before the extension (re)started — here: the window reloads, the terminal persists — has
//    no working hook (its hook talks to a server that is gone). It is flagged in the tooltip; a destructive command
//    VS Code sees start there without any hook question is interrupted at once (Ctrl+C), audited, and a modal alerts
//    the person. "Guardrails: Restart Unguarded Terminals" replaces it with a guarded one.
// 2. In a guarded terminal, `env -i bash --norc --noprofile` starts a shell with neither the hook nor VS Code's shell
//    integration: VS Code reports nothing typed there, so no command can be cross-checked; the guard finds the
//    unhooked shell in the terminal's process tree and flags the terminal as unguarded while it runs.
// 3. A terminal whose shell *is* `env -i bash --norc --noprofile` (a terminal profile): no hook, no shell integration.
//    It is flagged unguarded; the process monitor polls its process tree, leaves `sleep 2` alone, and stops and kills
//    a `curl -X DELETE` to a non-local host (played by a server of the test on 127.0.0.1 that holds the request open)
//    as it starts: audited, alerted with the bypass modal, the request's connection dropped.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { auditEntries } from './harness/audit.js';
import { openSession, type Session } from './harness/session.js';
import { allExtensionLogs, openHookedTerminal, typeLine, waitForTerminalGuard, waitForTerminalText } from './harness/terminal.js';
import { eventually } from './harness/workbench.js';

describe('terminal bypass detection: commands that never passed the hook', () => {
  let s: Session;
  let migrations: string;
  const log = (): string => allExtensionLogs(s.server);
  before(async () => {
    s = await openSession({
      fixtures: ['staging'],
      // The terminal outlives a window reload, as a user's terminals do.
      settings: {
        'terminal.integrated.enablePersistentSessions': true,
        // A shell with neither the hook nor VS Code's shell integration: env clears every variable the guard sets.
        'terminal.integrated.profiles.linux': {
          bash: { path: 'bash', icon: 'terminal-bash' },
          'unhooked bash': { path: 'env', args: ['-i', 'bash', '--norc', '--noprofile'] },
        },
      },
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
    // The hook asks first (shell.unguarded-shell); a person lets it start.
    const asked = await s.workbench.dialogText('needs your confirmation');
    assert.match(asked, /starts a shell without the terminal guard; commands typed there are not checked/);
    await s.workbench.clickDialogButton('needs your confirmation', 'Review…');
    await s.workbench.clickDialogButton('Run this command once', 'Run once');
    await eventually('the warning', () => (/runs a shell without the hook \(bash pid \d+\), started by: env -i bash --norc --noprofile/.test(log()) ? true : undefined), 20_000);
    await tooltipMatching(/Terminal "bash" is unguarded: a shell without the hook runs inside it/);
    await eventually('the process monitor to watch the inner shell', () => (/process monitor watching the processes below pid \d+/.test(log()) ? true : undefined), 10_000);
    await typeLine(s.workbench, 'exit');
    await eventually('the end of env -i bash', () => (/ended \(exit [^)]*\): env -i bash --norc --noprofile/.test(log()) ? true : undefined), 20_000);
    await tooltipMatching(/Terminal "bash" is unguarded/, false);
  }));

  it('a terminal started as env -i bash --norc --noprofile: flagged; the process monitor kills a destructive command, not sleep', () => s.step('bypass-process-monitor', async () => {
    // Plays api.example.com: holds every request open and notes when the client goes away.
    const seen: string[] = [];
    const dropped: string[] = [];
    const api = http.createServer((request) => {
      seen.push(`${request.method} ${request.url}`);
      request.socket.on('close', () => dropped.push(`${request.method} ${request.url}`));
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const port = (api.address() as AddressInfo).port;
    try {
      await s.workbench.runCommand('Create New Terminal (With Profile)');
      await s.workbench.pickItem('unhooked bash');
      await waitForTerminalText(s.workbench, /bash-[\d.]+[#$]/);
      // Noticed from its environment within seconds, not only at the hello timeout (15 s).
      await eventually('the stripped environment to be noticed', () => (/terminal guard: terminal "[^"]+" \(pid \d+\) started with a stripped environment/.test(log()) ? true : undefined), 10_000);
      const tooltip = await tooltipMatching(/Terminal "[^"]+" is unguarded: its shell never loaded the hook/);
      assert.doesNotMatch(tooltip, /opened before Agent Guardrails started/);
      await eventually('the process monitor to watch the terminal', () => (/process monitor watching the processes below pid \d+/.test(log()) ? true : undefined), 30_000);

      // A harmless command that takes a while is left alone.
      await typeLine(s.workbench, 'sleep 2; echo "slept-$?"');
      await waitForTerminalText(s.workbench, /slept-0/, 20_000);
      assert.doesNotMatch(log(), /process monitor stopped pid \d+ "sleep/);

      const line = `curl -sS -X DELETE --resolve api.example.com:${port}:127.0.0.1 http://api.example.com:${port}/v1/database`;
      await typeLine(s.workbench, `${line}; echo "curl-exit-$?"`);
      const text = await s.workbench.dialogText('ran past the terminal guard');
      assert.match(text, /curl -sS -X DELETE/);
      assert.match(text, /in terminal "(?!curl")[^"]+" that ran past the terminal guard/, 'named as the terminal was, not after its foreground process');
      assert.match(text, /The process monitor caught it as it started \(pid \d+\)/);
      assert.match(text, /http\.delete-request/);
      await s.workbench.screenshot('terminal-bypass-monitor-modal');
      const entry = await eventually('the audit entry of the process monitor', () => auditEntries(s.server).find((e) => e.source === 'terminal' && e.outcome === 'stopped'
        && (e.detail ?? []).some((d) => /process monitor caught it/.test(d))), 15_000);
      assert.equal(entry.command, line);
      assert.equal(entry.decision, 'confirm');
      assert.match((entry.detail ?? []).join(' '), /pid \d+, argv \["curl","-sS","-X","DELETE"/);
      assert.match(log(), /BYPASS in terminal "[^"]+": the process monitor stopped pid \d+ "curl -sS -X DELETE[^"]*" \(confirm\)/);
      await s.workbench.clickDialogButton('ran past the terminal guard', 'OK');
      // curl is gone (SIGSTOP then SIGKILL: bash reports 147 or 137), and the request it may have sent lost its connection.
      await waitForTerminalText(s.workbench, /curl-exit-1[34]7/, 15_000);
      await eventually('no curl of this test left running', () => (spawnSync('pgrep', ['-f', `api\\.example\\.com:${port}`], { encoding: 'utf8' }).stdout.trim() === '' ? true : undefined), 10_000);
      if (seen.length > 0) await eventually('the server to see the connection drop', () => (dropped.length >= seen.length ? true : undefined), 10_000);
      await s.workbench.screenshot('terminal-bypass-monitor-terminal');
    } finally {
      api.closeAllConnections();
      api.close();
    }
  }));
});

// Journey: a staging task runs `npm run db:reset`, whose package.json script deletes the SQLite database. The task
// guard stops it as it starts and asks; Cancel → the database is untouched (hash and rows); Run once → the task runs
// again, once, and resets the database.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { auditEntries, waitForAudit } from './harness/audit.js';
import { openSession, type Session } from './harness/session.js';
import { eventually } from './harness/workbench.js';

const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const sql = (db: string, query: string): string => execFileSync('sqlite3', [db, query], { encoding: 'utf8' }).trim();

describe('task guard: npm run db:reset is stopped, cancelled, then approved and re-run once', () => {
  let s: Session;
  let db: string;
  let hashBefore: string;
  before(async () => {
    s = await openSession({
      fixtures: ['shop-staging'],
      prepare: ([folder]) => {
        const file = path.join(folder!, 'db', 'app.sqlite');
        sql(file, "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users(name) VALUES ('ada'), ('grace'), ('linus');");
      },
    });
    db = path.join(s.folders[0]!, 'db', 'app.sqlite');
    hashBefore = sha256(db);
  });
  after(async () => { await s?.close(); });

  async function runTask(label: string): Promise<void> {
    // Quick open's `task ` prefix lists the tasks (the palette's fuzzy match may prefer "Restart Running Task").
    await s.workbench.page.keyboard.press('F1');
    const input = s.workbench.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`task ${label}`);
    await s.workbench.pickItem(label);
  }

  it('the task is stopped and Cancel leaves the database as it was', () => s.step('task-cancel', async () => {
    await s.workbench.waitForStatus('STAGING');
    await runTask('reset database');
    const text = await s.workbench.dialogText('needs your confirmation');
    assert.match(text, /npm run db:reset/);
    assert.match(text, /rm deletes db\/app\.sqlite/, 'the reason names what the script deletes');
    assert.match(text, /task "reset database"/);
    await s.workbench.screenshot('task-confirm');
    const stopped = await waitForAudit(s.server, 'stopped', (e) => e.outcome === 'stopped' && e.source === 'task');
    assert.equal(stopped.decision, 'confirm');
    assert.ok(stopped.reasons.some((r) => r.rule === 'fs.rm-protected'), JSON.stringify(stopped.reasons));
    await s.workbench.clickDialogButton('needs your confirmation', 'Cancel');
    await waitForAudit(s.server, 'cancelled', (e) => e.outcome === 'cancelled' && e.source === 'task');
    await s.workbench.page.waitForTimeout(2000);
    assert.equal(sha256(db), hashBefore, 'the database file is byte for byte the same');
    assert.equal(sql(db, 'SELECT count(*) FROM users'), '3');
  }));

  it('a harmless task is not stopped', () => s.step('task-allowed', async () => {
    const before = auditEntries(s.server).length;
    await runTask('unit tests');
    await eventually('the task output', async () => ((await s.workbench.terminalText()).includes('ok') ? true : undefined), 20_000);
    await s.workbench.page.waitForTimeout(1000);
    assert.equal(await s.workbench.dialog('needs your confirmation').count(), 0);
    assert.deepEqual(auditEntries(s.server).slice(before).filter((e) => e.outcome === 'stopped'), []);
  }));

  it('Review… → Run once: the task runs again, once, and resets the database', () => s.step('task-approve', async () => {
    await runTask('reset database');
    await s.workbench.clickDialogButton('needs your confirmation', 'Review…');
    await s.workbench.clickDialogButton('Run this command once', 'Run once');
    await waitForAudit(s.server, 'approved', (e) => e.outcome === 'approved-by-person' && e.source === 'task');
    await waitForAudit(s.server, 'rerun', (e) => e.outcome === 'rerun' && e.source === 'task');
    await eventually('the reset database', () => (fs.existsSync(db) && sha256(db) !== hashBefore && sql(db, 'SELECT count(*) FROM users') === '0' ? true : undefined), 20_000);
    await s.workbench.page.waitForTimeout(1000);
    assert.equal(await s.workbench.dialog('needs your confirmation').count(), 0, 'the re-run is not stopped again');
    const stops = auditEntries(s.server).filter((e) => e.outcome === 'stopped');
    assert.equal(stops.length, 2, 'stopped once per person-initiated start');
  }));
});

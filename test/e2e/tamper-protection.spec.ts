// Journey: an agent edits the policy file to switch a guard off (removes a block entry, adds an allow entry). The
// change does not apply: a modal shows the diff in words; the person declines; the old policy still blocks. A change
// the person approves applies.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitForAudit } from './harness/audit.js';
import { openSession, type Session } from './harness/session.js';
import { eventually } from './harness/workbench.js';

describe('tamper protection: a loosening edit needs a person', () => {
  let s: Session;
  let file: string;
  let original: string;
  before(async () => {
    s = await openSession({ fixtures: ['staging'] });
    file = path.join(s.folders[0]!, '.vscode', 'guardrails.json');
    original = fs.readFileSync(file, 'utf8');
  });
  after(async () => { await s?.close(); });

  it('the agent\'s edit raises an approval modal that says what it loosens; declined', () => s.step('tamper-modal', async () => {
    await s.workbench.waitForStatus('STAGING');
    const loosened = fs.readFileSync(file, 'utf8')
      .replace('"block": ["*volumeDelete*"]', '"block": []')
      .replace('"allow": ["npm test", "npm run lint"]', '"allow": ["npm test", "npm run lint", "rm -rf *"]');
    fs.writeFileSync(file, loosened);
    const text = await s.workbench.dialogText('changed to allow more');
    assert.match(text, /Block entries removed: "\*volumeDelete\*"/);
    assert.match(text, /New allow entries: "rm -rf \*"/);
    await s.workbench.screenshot('tamper-approval-modal');
    await s.workbench.clickDialogButton('changed to allow more', 'Cancel');
    const declined = await waitForAudit(s.server, 'policy-change-declined', (e) => e.outcome === 'policy-change-declined');
    assert.ok(declined.detail?.some((d) => d.includes('*volumeDelete*')));
    // The indicator still shows the accepted environment, with a warning mark for the pending change.
    assert.match(await s.workbench.waitForStatus('STAGING'), /STAGING/);
    assert.match(await s.workbench.statusTooltip(), /waits for approval/);
  }));

  it('the accepted policy is still enforced: a command the loosened policy allows is blocked', () => s.step('tamper-enforced', async () => {
    const proof = path.join(s.folders[0]!, 'proof.txt');
    await s.workbench.runGuarded('echo volumeDelete > proof.txt');
    const text = await s.workbench.dialogText('Blocked in STAGING');
    assert.match(text, /\*volumeDelete\*/);
    await s.workbench.screenshot('tamper-still-blocked');
    await s.workbench.dismissDialog('Blocked in STAGING');
    const blocked = await waitForAudit(s.server, 'blocked echo', (e) => e.outcome === 'blocked' && e.command.includes('volumeDelete'));
    assert.equal(blocked.decision, 'block');
    assert.ok(blocked.reasons.some((r) => r.rule === 'policy.block'));
    await s.workbench.page.waitForTimeout(1500);
    assert.equal(fs.existsSync(proof), false, 'the blocked command did not run');
  }));

  it('deleting the policy file is a loosening too; declined, the environment stays', () => s.step('tamper-delete', async () => {
    fs.rmSync(file);
    const text = await s.workbench.dialogText('changed to allow more');
    assert.match(text, /The policy file was deleted/);
    await s.workbench.clickDialogButton('changed to allow more', 'Cancel');
    await waitForAudit(s.server, 'second declined', (e) => e.outcome === 'policy-change-declined' && (e.detail ?? []).some((d) => d.includes('deleted')));
    assert.match(await s.workbench.waitForStatus('STAGING'), /STAGING/);
  }));

  it('approving a loosening change applies it: the block entry is gone, the command runs', () => s.step('tamper-approve', async () => {
    const proof = path.join(s.folders[0]!, 'proof.txt');
    fs.writeFileSync(file, original.replace('"block": ["*volumeDelete*"]', '"block": []'));
    const text = await s.workbench.dialogText('changed to allow more');
    assert.match(text, /Block entries removed: "\*volumeDelete\*"/);
    await s.workbench.clickDialogButton('changed to allow more', 'Approve Change');
    const approved = await waitForAudit(s.server, 'policy-change-approved', (e) => e.outcome === 'policy-change-approved');
    assert.ok(approved.detail?.some((d) => d.includes('*volumeDelete*')));
    // No pending change any more: the tooltip says nothing waits, and the command the old policy blocked now runs.
    await eventually('no pending change in the tooltip', async () => (/waits for approval/.test(await s.workbench.statusTooltip()) ? undefined : true));
    await s.workbench.runGuarded('echo volumeDelete > proof.txt');
    await eventually('proof.txt written by the now allowed command (a new terminal starts first)', () => (fs.existsSync(proof) ? true : undefined), 45_000);
    assert.equal(await s.workbench.dialog('Blocked in STAGING').count(), 0);
  }));
});

// The audit store with a real file: entries of earlier sessions are never lost behind this session's appends.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { AuditEntry } from '../../../src/extension/audit/entry.js';
import { AuditStore } from '../../../src/extension/audit/store.js';

function entry(command: string, minute: number): AuditEntry {
  return {
    time: new Date(Date.UTC(2026, 10, 1, 12, minute)).toISOString(), workspace: 'shop', environment: 'staging', tier: 'staging',
    source: 'command', command, decision: 'confirm', reasons: [], outcome: 'cancelled',
  };
}

function tempFile(lines: readonly AuditEntry[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-audit-'));
  const file = path.join(dir, 'audit.jsonl');
  if (lines.length > 0) fs.writeFileSync(file, lines.map((e) => `${JSON.stringify(e)}\n`).join(''));
  return file;
}

const commands = (entries: readonly AuditEntry[]): string[] => entries.map((e) => e.command);

describe('AuditStore', () => {
  it('an append before the first read does not hide the entries of earlier sessions; no duplicates, in order', async () => {
    const file = tempFile([entry('old-1', 1), entry('old-2', 2)]);
    const store = new AuditStore(file);
    await store.append(entry('new-1', 3));
    const pending = store.append(entry('new-2', 4)); // not awaited: still being written when the read is queued
    assert.deepEqual(commands(await store.all()), ['old-1', 'old-2', 'new-1', 'new-2']);
    await pending;
    await store.append(entry('new-3', 5));
    assert.deepEqual(commands(await store.all()), ['old-1', 'old-2', 'new-1', 'new-2', 'new-3']);
    // The file holds each entry once.
    assert.deepEqual(commands(fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditEntry)), ['old-1', 'old-2', 'new-1', 'new-2', 'new-3']);
  });

  it('appends made while the file is being read are kept once', async () => {
    const file = tempFile([entry('old-1', 1)]);
    const store = new AuditStore(file);
    const reading = store.all();
    const a = store.append(entry('during-1', 2));
    const b = store.append(entry('during-2', 3));
    const first = await reading;
    await Promise.all([a, b]);
    assert.deepEqual(commands(first), ['old-1', 'during-1', 'during-2']);
    assert.deepEqual(commands(await store.all()), ['old-1', 'during-1', 'during-2']);
    assert.deepEqual(commands(await new AuditStore(file).all()), ['old-1', 'during-1', 'during-2'], 'a new session reads them all');
  });

  it('recent(): this session\'s entries before the read, everything (newest first) after it', async () => {
    const file = tempFile([entry('old-1', 1), entry('old-2', 2)]);
    const store = new AuditStore(file);
    assert.deepEqual(store.recent(3), []);
    await store.all();
    assert.deepEqual(commands(store.recent(3)), ['old-2', 'old-1'], 'after a restart the tooltip shows the last decisions');
    await store.append(entry('new-1', 3));
    assert.deepEqual(commands(store.recent(2)), ['new-1', 'old-2']);
  });

  it('an entry that could not be written stays in memory; a missing file is an empty log', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-audit-'));
    const blocker = path.join(dir, 'not-a-dir');
    fs.writeFileSync(blocker, '');
    const errors: string[] = [];
    const store = new AuditStore(path.join(blocker, 'audit.jsonl'), (m) => errors.push(m));
    await store.append(entry('unwritable', 1));
    assert.equal(errors.length, 1);
    assert.deepEqual(commands(await store.all()), ['unwritable']);
    assert.deepEqual(commands(await new AuditStore(path.join(dir, 'missing', 'audit.jsonl')).all()), []);
  });
});

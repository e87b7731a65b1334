// Reads the extension's audit log (JSONL in its global storage) from the test side.
import * as fs from 'node:fs';
import type { AuditEntry } from '../../../src/extension/audit/entry.js';
import { parseAuditLines } from '../../../src/extension/audit/entry.js';
import type { CodeServer } from './code-server.js';
import { eventually } from './workbench.js';

export function auditEntries(server: CodeServer): AuditEntry[] {
  return fs.existsSync(server.auditFile()) ? parseAuditLines(fs.readFileSync(server.auditFile(), 'utf8')) : [];
}

/** Waits for an audit entry that matches, and returns it. */
export function waitForAudit(server: CodeServer, what: string, match: (entry: AuditEntry) => boolean, timeout = 15_000): Promise<AuditEntry> {
  return eventually(`audit entry: ${what} (entries: ${JSON.stringify(auditEntries(server).map((e) => `${e.outcome} ${e.command}`))})`, () => auditEntries(server).find(match), timeout);
}

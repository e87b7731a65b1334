// The audit log: JSON lines in the extension's global storage (outside every workspace), mirrored to the output channel.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseAuditLines, type AuditEntry } from './entry.js';

export class AuditLog implements vscode.Disposable {
  private entries: AuditEntry[] | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly changed = new vscode.EventEmitter<AuditEntry | undefined>();
  readonly onDidChange = this.changed.event;
  readonly file: string;

  constructor(storageDirectory: string, private readonly log: vscode.LogOutputChannel) {
    this.file = path.join(storageDirectory, 'audit.jsonl');
  }

  /** Every entry, read from disk once (lazily: activation does not pay for it). */
  async all(): Promise<readonly AuditEntry[]> {
    if (!this.entries) {
      let text = '';
      try {
        text = await fs.promises.readFile(this.file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.error(`Cannot read the audit log ${this.file}: ${String(error)}`);
      }
      // Entries appended while the file was being read are kept.
      this.entries = [...parseAuditLines(text), ...(this.entries ?? [])];
    }
    return this.entries;
  }

  /** The entries appended or loaded so far, newest first (for the status bar tooltip; does not read the file). */
  recent(count: number): AuditEntry[] {
    return (this.entries ?? []).slice(-count).reverse();
  }

  append(entry: AuditEntry): Promise<void> {
    (this.entries ??= []).push(entry);
    const line = JSON.stringify(entry);
    this.log.info(`audit ${entry.outcome} [${entry.decision}] ${entry.workspace}/${entry.environment} ${entry.source}: ${entry.command}`);
    this.changed.fire(entry);
    this.writing = this.writing.then(async () => {
      try {
        await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
        await fs.promises.appendFile(this.file, `${line}\n`, 'utf8');
      } catch (error) {
        this.log.error(`Cannot write the audit log ${this.file}: ${String(error)}`);
      }
    });
    return this.writing;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

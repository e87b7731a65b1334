// The audit log: JSON lines in the extension's global storage (outside every workspace), mirrored to the output channel.
import path = require('node:path');
import vscode = require('vscode');
import type { AuditEntry } from './entry.js';
import { AuditStore } from './store.js';

export class AuditLog implements vscode.Disposable {
  private readonly store: AuditStore;
  private readonly changed = new vscode.EventEmitter<AuditEntry | undefined>();
  /** Fires with the new entry, or with undefined once the entries of earlier sessions have been read. */
  readonly onDidChange = this.changed.event;
  readonly file: string;

  constructor(storageDirectory: string, private readonly log: vscode.LogOutputChannel) {
    this.file = path.join(storageDirectory, 'audit.jsonl');
    this.store = new AuditStore(this.file, (message) => this.log.error(message));
  }

  /**
   * Every entry, earlier sessions' and other windows' included: the file is read once (lazily: activation does not
   * pay for it) and merged with what this session appended before.
   */
  async all(): Promise<readonly AuditEntry[]> {
    const wasLoaded = this.store.isLoaded;
    const entries = await this.store.all();
    if (!wasLoaded) this.changed.fire(undefined);
    return entries;
  }

  /** The newest entries known so far, newest first (for the status bar tooltip; does not read the file). */
  recent(count: number): AuditEntry[] {
    return this.store.recent(count);
  }

  append(entry: AuditEntry): Promise<void> {
    this.log.info(`audit ${entry.outcome} [${entry.decision}] ${entry.workspace}/${entry.environment} ${entry.source}: ${entry.command}`);
    const written = this.store.append(entry);
    this.changed.fire(entry);
    return written;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

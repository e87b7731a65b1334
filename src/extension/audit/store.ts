// The audit log's storage: a JSONL file plus what this session appended. No vscode import (unit-tested with a real
// file). The file is shared by every window (global storage), so it is the source of truth once read; entries this
// session appended before that first read are merged in without duplicates and in file order.
import fs = require('node:fs');
import path = require('node:path');
import { parseAuditLines, type AuditEntry } from './entry.js';

interface Appended {
  readonly entry: AuditEntry;
  /** Written to the file (its append resolved without error). */
  written: boolean;
}

export class AuditStore {
  /** Entries read from disk merged with this session's, once the file was read; undefined before. */
  private merged: AuditEntry[] | undefined;
  /** This session's entries appended before the file was read (kept until the merge). */
  private readonly beforeLoad: Appended[] = [];
  private loading: Promise<AuditEntry[]> | undefined;
  /** Appends (and the first read) run one after another, so the read sees exactly the appends queued before it. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string, private readonly onError: (message: string) => void = () => undefined) {}

  /** True once the file has been read (and merged). */
  get isLoaded(): boolean {
    return this.merged !== undefined;
  }

  /** Every entry: the file's, then this session's that are not in it yet. Reads the file once. */
  all(): Promise<readonly AuditEntry[]> {
    if (this.merged) return Promise.resolve(this.merged);
    this.loading ??= this.load();
    return this.loading;
  }

  /** The newest `count` entries known so far, newest first (does not read the file). */
  recent(count: number): AuditEntry[] {
    const known = this.merged ?? this.beforeLoad.map((a) => a.entry);
    return known.slice(-count).reverse();
  }

  /** Adds an entry now (in memory) and appends it to the file; resolves once it is written (or failed, reported). */
  append(entry: AuditEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    let record: Appended | undefined;
    if (this.merged) this.merged.push(entry);
    else this.beforeLoad.push(record = { entry, written: false });
    const write = this.chain.then(async () => {
      try {
        await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
        await fs.promises.appendFile(this.file, line, 'utf8');
        if (record) record.written = true;
      } catch (error) {
        this.onError(`Cannot write the audit log ${this.file}: ${String(error)}`);
      }
    });
    this.chain = write;
    return write;
  }

  private load(): Promise<AuditEntry[]> {
    // Queued behind every append made so far: when it runs, each of them is in the file unless its write failed.
    // Appends made while it waits are queued behind it, so they are not in the text it reads.
    const read = this.chain.then(async () => {
      let text = '';
      try {
        text = await fs.promises.readFile(this.file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.onError(`Cannot read the audit log ${this.file}: ${String(error)}`);
      }
      const notInFile = this.beforeLoad.filter((a) => !a.written).map((a) => a.entry);
      this.merged = [...parseAuditLines(text), ...notInFile];
      this.beforeLoad.length = 0;
      return this.merged;
    });
    this.chain = read.then(() => undefined, () => undefined);
    return read;
  }
}

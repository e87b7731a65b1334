// Temp workspaces for the backup tests: real folders, a tree snapshot (content hashes, modes, symlinks) to compare before and after.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TempDirs {
  readonly workspace: string;
  readonly store: string;
  cleanup(): void;
}

export function tempDirs(): TempDirs {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-backup-'));
  const workspace = path.join(base, 'workspace');
  const store = path.join(base, 'store');
  fs.mkdirSync(workspace);
  return {
    workspace, store,
    cleanup: () => {
      // Objects are read-only; make everything writable so the temp folder can go.
      chmodTree(base);
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

function chmodTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    fs.chmodSync(p, entry.isDirectory() ? 0o700 : 0o600);
    if (entry.isDirectory()) chmodTree(p);
  }
  fs.chmodSync(dir, 0o700);
}

/** Writes files (string or Buffer content) under `root`, creating folders. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}

export type TreeEntry = { type: 'file'; sha256: string; mode: number } | { type: 'dir'; mode: number } | { type: 'symlink'; target: string };

/** Everything under `root` (not following symlinks): file hashes and modes, folders, symlink targets. */
export function describeTree(root: string): Record<string, TreeEntry> {
  const out: Record<string, TreeEntry> = {};
  const walk = (dir: string, rel: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const stat = fs.lstatSync(p);
      if (stat.isSymbolicLink()) out[r] = { type: 'symlink', target: fs.readlinkSync(p) };
      else if (stat.isDirectory()) { out[r] = { type: 'dir', mode: stat.mode & 0o777 }; walk(p, r); }
      else out[r] = { type: 'file', sha256: sha256(fs.readFileSync(p)), mode: stat.mode & 0o777 };
    }
  };
  walk(root, '');
  return out;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Deterministic pseudo-random bytes (no two chunks alike, so deduplication cannot hide a bug). */
export function pseudoRandomBytes(length: number, seed: number): Buffer {
  const buffer = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    for (let k = 0; k < 4 && i + k < length; k += 1) buffer[i + k] = (x >>> (8 * k)) & 0xff;
  }
  return buffer;
}

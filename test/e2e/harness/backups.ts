// The backup store as the specs see it from outside: the snapshot manifests in the extension's global storage
// (outside the workspace), and file trees compared by content.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXTENSION_ID, type CodeServer } from './code-server.js';

export interface BackupManifest {
  readonly id: string;
  readonly operation: string;
  readonly source: string;
  readonly reason?: string;
  readonly files: readonly { readonly path: string; readonly sha256: string }[];
}

/** Every snapshot manifest of every workspace store of this server's profile. */
export function backupManifests(server: Pick<CodeServer, 'userDataDir'>): BackupManifest[] {
  const root = path.join(server.userDataDir, 'User', 'globalStorage', EXTENSION_ID, 'backups');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).flatMap((store) => {
    const dir = path.join(root, store, 'snapshots');
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as BackupManifest);
  });
}

/** Every file under `dir` (relative path → sha256). */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of fs.readdirSync(dir, { recursive: true }).map(String).sort()) {
    const abs = path.join(dir, rel);
    if (fs.statSync(abs).isFile()) out[rel] = createHash('sha256').update(fs.readFileSync(abs)).digest('hex');
  }
  return out;
}

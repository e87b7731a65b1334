// Where a workspace's backups live: under the extension's global storage, one folder per workspace path.
import { createHash } from 'node:crypto';
import path = require('node:path');

/**
 * A stable folder name for a workspace: a readable slug of its folder name plus a hash of its absolute path, so two
 * checkouts called `shop` do not share backups and the name still says which workspace it is (`shop-3f2a9c1e0b7d4a61`).
 */
export function workspaceStoreId(workspaceRoot: string): string {
  const resolved = path.resolve(workspaceRoot);
  const hash = createHash('sha256').update(resolved).digest('hex').slice(0, 16);
  const slug = path.basename(resolved).normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 40);
  return slug ? `${slug}-${hash}` : hash;
}

/** The backup store root for a workspace: `<globalStorage>/backups/<workspaceStoreId>`. */
export function backupStoreRoot(globalStoragePath: string, workspaceRoot: string): string {
  return path.join(globalStoragePath, 'backups', workspaceStoreId(workspaceRoot));
}

// File-system helpers for the backup store: hashing copies, atomic writes (temp file + fsync + rename).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fsp = require('node:fs/promises');
import path = require('node:path');

/** Streams `source` into a new file `destination` (which must not exist), hashing what it writes. */
export async function copyWithHash(source: string, destination: string, options: { mode?: number; durable: boolean }): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const out = await fsp.open(destination, 'wx', options.mode ?? 0o600);
  try {
    for await (const chunk of createReadStream(source, { highWaterMark: 1 << 20 })) {
      const buffer = chunk as Buffer;
      hash.update(buffer);
      bytes += buffer.length;
      let written = 0;
      while (written < buffer.length) {
        const { bytesWritten } = await out.write(buffer, written, buffer.length - written);
        written += bytesWritten;
      }
    }
    if (options.durable) await out.sync();
  } finally {
    await out.close();
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** The sha256 and size of a file's content. */
export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** A temp name beside `target`, hidden, so a rename onto `target` stays on one file system. */
export function tempNameBeside(target: string, purpose: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.guardrails-${purpose}-${randomBytes(6).toString('hex')}`);
}

/**
 * Writes `data` to `target` atomically: a crash leaves either the old file or the new one, never a torn file.
 * The temp file is fsynced before the rename when `durable`.
 */
export async function writeFileAtomic(target: string, data: string | Buffer, options: { mode?: number; durable: boolean }): Promise<void> {
  const temp = tempNameBeside(target, 'write');
  try {
    const handle = await fsp.open(temp, 'wx', options.mode ?? 0o600);
    try {
      await handle.writeFile(data);
      if (options.durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temp, target);
  } catch (error) {
    await fsp.rm(temp, { force: true });
    throw error;
  }
}

/** Converts a platform path relative to a root into the manifest form (`/`-separated). */
export function toManifestPath(relative: string): string {
  return relative.split(path.sep).join('/');
}

/** Converts a manifest path back to a platform path under `root`. */
export function fromManifestPath(root: string, relative: string): string {
  return relative === '' ? root : path.join(root, ...relative.split('/'));
}

export function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'EUNKNOWN';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

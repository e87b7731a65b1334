// A bounded reader for files a command line names as its input (`curl -d @query.json`), so rules can check what is sent.
import fs = require('node:fs');
import path = require('node:path');

/** Reads a file a command names; undefined when it cannot (missing, not a regular file, too large, any error). */
export type FileReader = (file: string) => string | undefined;

/** The most a rule may read of one file; a larger file stays unseen (and is treated as such). */
export const MAX_READ_BYTES = 256 * 1024;

/**
 * A reader for paths relative to `cwd` (absolute paths as they are). Only regular files up to `maxBytes` are read:
 * never a FIFO, device or `/dev/stdin` (which could block or consume input), never a folder. Never throws.
 */
export function boundedFileReader(cwd: string | undefined, maxBytes = MAX_READ_BYTES): FileReader {
  return (file) => {
    if (file === '' || file === '-' || file.includes('\0')) return undefined;
    const expanded = file.startsWith('~/') && process.env['HOME'] ? path.join(process.env['HOME'], file.slice(2)) : file;
    if (!path.isAbsolute(expanded) && cwd === undefined) return undefined;
    const resolved = path.resolve(cwd ?? '/', expanded);
    let fd: number | undefined;
    try {
      fd = fs.openSync(resolved, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
      const stat = fs.fstatSync(fd);
      if (!stat.isFile() || stat.size > maxBytes) return undefined;
      const buffer = Buffer.alloc(stat.size);
      let read = 0;
      while (read < stat.size) {
        const n = fs.readSync(fd, buffer, read, stat.size - read, read);
        if (n === 0) break;
        read += n;
      }
      return buffer.subarray(0, read).toString('utf8');
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) { try { fs.closeSync(fd); } catch { /* already closed */ } }
    }
  };
}

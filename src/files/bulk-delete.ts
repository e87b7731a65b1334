// Decides whether deleting or renaming files from VS Code (explorer, workspace edits, agents' file tools) needs a
// person's confirmation: a protected path is touched, or more files than the bulk threshold go at once.
import fs = require('node:fs');
import path = require('node:path');
import { fileURLToPath } from 'node:url';
import { isProtected } from '../rules/paths.js';
import type { Policy } from '../policy/schema.js';

export type FileOperation = 'delete' | 'rename';

export interface FileOperationOptions {
  /** The workspace folder the paths belong to; protected globs are relative to it. */
  readonly workspaceRoot: string;
  /** More files than this in one operation need confirmation; default 20. */
  readonly bulkThreshold?: number;
  /** Walk folders to count their files and find protected files inside; default true. */
  readonly lookInsideFolders?: boolean;
  /** Stop walking after this many entries (the count is then a lower bound); default 10 000. */
  readonly maxEntries?: number;
}

export interface FileOperationReason {
  /**
   * `file.protected-path`: a path matches the policy's `protectedPaths` (or built-in sensitive files) or holds such files.
   * `file.bulk`: more files than the threshold. `file.workspace-root`: the workspace folder itself.
   * `file.outside-workspace`: a path outside the workspace folder.
   */
  readonly rule: 'file.protected-path' | 'file.bulk' | 'file.workspace-root' | 'file.outside-workspace';
  readonly message: string;
  /** Workspace-relative paths the reason is about (at most 20 listed). */
  readonly paths: readonly string[];
}

export interface FileOperationAssessment {
  readonly needsConfirmation: boolean;
  readonly reasons: readonly FileOperationReason[];
  /** Files affected (folders counted by their content). */
  readonly fileCount: number;
  /** True when a folder walk stopped at `maxEntries`: `fileCount` is a lower bound. */
  readonly isCountPartial: boolean;
  /** Protected files or folders affected, workspace-relative. */
  readonly protectedPaths: readonly string[];
}

const DEFAULT_BULK_THRESHOLD = 20;
const DEFAULT_MAX_ENTRIES = 10_000;
const LISTED = 20;

/**
 * Assesses files about to be deleted or renamed (paths, or `file://` URI strings). For a rename, the old paths count:
 * moving `.env` away removes it from where the tools expect it. Never throws; unreadable folders count as one entry.
 */
export function assessFileOperation(operation: FileOperation, targets: readonly string[], policy: Policy, options: FileOperationOptions): FileOperationAssessment {
  const root = path.resolve(options.workspaceRoot);
  const threshold = options.bulkThreshold ?? DEFAULT_BULK_THRESHOLD;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const protectedHits = new Set<string>();
  const outside: string[] = [];
  let isRoot = false;
  let fileCount = 0;
  let visited = 0;
  let isCountPartial = false;

  const walk = (abs: string, rel: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      fileCount += 1;
      return;
    }
    for (const entry of entries) {
      if (visited >= maxEntries) { isCountPartial = true; return; }
      visited += 1;
      const childRel = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path.join(abs, entry.name), childRel);
      else {
        fileCount += 1;
        if (isProtected(childRel, policy.protectedPaths)) protectedHits.add(childRel);
      }
    }
  };

  for (const target of targets) {
    const abs = toPath(target);
    if (abs === undefined) { outside.push(target); fileCount += 1; continue; }
    const relative = path.relative(root, abs);
    if (relative === '') { isRoot = true; continue; }
    if (relative.startsWith('..') || path.isAbsolute(relative)) { outside.push(abs); fileCount += 1; continue; }
    const rel = relative.split(path.sep).join('/');
    if (isProtected(rel, policy.protectedPaths)) protectedHits.add(rel);
    let stat: fs.Stats | undefined;
    try { stat = fs.lstatSync(abs); } catch { stat = undefined; }
    if (stat?.isDirectory() && options.lookInsideFolders !== false) walk(abs, rel);
    else fileCount += 1;
  }

  const verb = operation === 'delete' ? 'Deleting' : 'Moving';
  const reasons: FileOperationReason[] = [];
  if (isRoot) reasons.push({ rule: 'file.workspace-root', message: `${verb} the workspace folder itself (${root}).`, paths: [''] });
  if (protectedHits.size > 0) {
    const list = [...protectedHits].sort();
    reasons.push({
      rule: 'file.protected-path',
      message: `${verb} ${list.length === 1 ? 'a protected path' : `${list.length} protected paths`}: ${list.slice(0, 5).join(', ')}${list.length > 5 ? ` and ${list.length - 5} more` : ''}.`,
      paths: list.slice(0, LISTED),
    });
  }
  if (fileCount > threshold) {
    reasons.push({ rule: 'file.bulk', message: `${verb} ${isCountPartial ? 'at least ' : ''}${fileCount} files at once (more than ${threshold}).`, paths: targets.slice(0, LISTED).map((t) => display(t, root)) });
  }
  if (outside.length > 0) {
    reasons.push({ rule: 'file.outside-workspace', message: `${verb} ${outside.length === 1 ? 'a path' : `${outside.length} paths`} outside the workspace: ${outside.slice(0, 3).join(', ')}.`, paths: outside.slice(0, LISTED) });
  }
  return { needsConfirmation: reasons.length > 0, reasons, fileCount, isCountPartial, protectedPaths: [...protectedHits].sort() };
}

/** A local path from a path or a `file://` URI; undefined for other schemes (remote, virtual), which are judged as outside. */
function toPath(target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    if (!target.toLowerCase().startsWith('file://')) return undefined;
    try { return path.resolve(fileURLToPath(target)); } catch { return undefined; }
  }
  return path.resolve(target);
}

function display(target: string, root: string): string {
  const abs = toPath(target);
  if (abs === undefined) return target;
  const rel = path.relative(root, abs);
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
}

// Resolves what a command would destroy (deletion-targets.ts) against the file system and git, measures it with a
// bounded walk, and says in one sentence per case what the backup store will keep before the command runs. No vscode.
import { execFile } from 'node:child_process';
import fsp = require('node:fs/promises');
import path = require('node:path');
import { minimatch } from 'minimatch';
import { formatBytes } from '../backup/results.js';
import type { DeletionTarget } from './deletion-targets.js';

export interface DeletionBackupOptions {
  /** The workspace folders (absolute); only paths inside one are backed up. */
  readonly workspaceFolders: readonly string[];
  /** The snapshot size cap of a folder (`agentGuardrails.backups.maxSnapshotMB`), in bytes. */
  readonly maxSnapshotBytes: (folder: string) => number;
  /** The walk stops after this many entries (files, folders, links); default 200 000. */
  readonly maxEntries?: number;
  /** Longest a `git`/`find` dry run may take; default 10 s. */
  readonly timeoutMs?: number;
}

/** What one workspace folder's snapshot would hold. */
export interface FolderBackup {
  readonly folder: string;
  /** Where the paths are, for a sentence: `migrations/`, `src/app.ts`, `config/` (their common folder). */
  readonly where: string;
  /** Existing absolute paths to copy (none inside another). */
  readonly paths: readonly string[];
  readonly files: number;
  readonly bytes: number;
  readonly limit: number;
  /** The bytes went over `limit` (the walk stopped there): no snapshot will be taken. */
  readonly isOverLimit: boolean;
  /** More than `maxEntries` entries: no snapshot will be taken. */
  readonly isTooMany: boolean;
}

export interface DeletionBackupPlan {
  readonly folders: readonly FolderBackup[];
  /** Targets known only at run time, as written (`$TARGET_DIR`). */
  readonly unknown: readonly string[];
  /** Existing targets outside every workspace folder. */
  readonly outside: readonly string[];
  /** Lists that could not be made (`git clean -n` failed: …). */
  readonly problems: readonly string[];
  /** Targets that name nothing that exists now (nothing to lose there). */
  readonly absent: readonly string[];
}

const DEFAULT_MAX_ENTRIES = 200_000;
const DEFAULT_TIMEOUT_MS = 10_000;

/** Resolves the targets and measures what would be backed up. Never throws; failures are `problems`. */
export async function planDeletionBackup(targets: readonly DeletionTarget[], options: DeletionBackupOptions): Promise<DeletionBackupPlan> {
  const existing = new Set<string>();
  const unknown: string[] = [];
  const problems: string[] = [];
  const absent: string[] = [];
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  for (const target of targets) {
    try {
      switch (target.kind) {
        case 'unknown':
          if (!unknown.includes(target.text)) unknown.push(target.text);
          break;
        case 'path': {
          const matches = target.isGlob ? await expandGlob(target.path) : [target.path];
          let found = false;
          for (const match of matches.length > 0 ? matches : [target.path]) {
            const stat = await fsp.lstat(match).catch(() => undefined);
            if (!stat) continue;
            found = true;
            // Truncating or overwriting a folder fails; only files are at stake there.
            if (target.effect !== 'delete' && stat.isDirectory()) continue;
            existing.add(match);
          }
          if (!found) absent.push(target.path);
          break;
        }
        case 'find':
          for (const p of await findDryRun(target, timeoutMs)) existing.add(p);
          break;
        case 'git-clean':
          for (const p of await gitCleanDryRun(target, timeoutMs)) existing.add(p);
          break;
        case 'git-discard':
          for (const p of await gitChangedFiles(target, timeoutMs)) existing.add(p);
          break;
      }
    } catch (error) {
      problems.push(`${target.command}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const byFolder = new Map<string, string[]>();
  const outside: string[] = [];
  const folders = [...options.workspaceFolders].map((f) => path.resolve(f)).sort((a, b) => b.length - a.length);
  for (const p of existing) {
    // The folder itself counts as inside (`rm -rf app` from its parent, `find . -delete` at the root lists `.`).
    const folder = folders.find((f) => p === f || isInside(p, f));
    if (folder === undefined) outside.push(p);
    else byFolder.set(folder, [...(byFolder.get(folder) ?? []), p]);
  }
  const result: FolderBackup[] = [];
  for (const [folder, paths] of byFolder) {
    const kept = withoutNested(paths);
    const limit = options.maxSnapshotBytes(folder);
    const size = await measure(kept, limit, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    const isSingleFolder = kept.length === 1 && (await fsp.lstat(kept[0]!).then((s) => s.isDirectory(), () => false));
    result.push({ folder, where: where(folder, kept, isSingleFolder), paths: kept, limit, ...size });
  }
  return { folders: result, unknown, outside: outside.sort(), problems, absent };
}

/** The sentences the confirmation shows about the backup; undefined when the line destroys nothing known. */
export function describeDeletionBackup(plan: DeletionBackupPlan, settingName = 'agentGuardrails.backups.maxSnapshotMB'): string | undefined {
  const lines: string[] = [];
  for (const folder of plan.folders) {
    if (folder.isTooMany) lines.push(`No backup: too many files under ${folder.where} to copy before it runs.`);
    else if (folder.isOverLimit) lines.push(`No backup: ${formatBytes(folder.bytes)} or more under ${folder.where} is over ${settingName} (${formatBytes(folder.limit)}).`);
    else lines.push(`Before it runs, ${folder.files} file${folder.files === 1 ? '' : 's'} (${formatBytes(folder.bytes)}) under ${folder.where} ${folder.files === 1 ? 'is' : 'are'} copied to the backup store (outside the workspace).`);
  }
  for (const text of plan.unknown) lines.push(`No backup for ${text}: unknown until the shell expands it.`);
  if (plan.outside.length > 0) lines.push(`No backup for ${list(plan.outside)}: outside the workspace.`);
  for (const problem of plan.problems) lines.push(`No backup: the list of files could not be made (${problem}).`);
  if (lines.length === 0 && plan.absent.length > 0) lines.push(`Nothing to back up: ${list(plan.absent)} ${plan.absent.length === 1 ? 'does' : 'do'} not exist now.`);
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** The folders whose snapshot will be taken (within the caps). */
export function backupsToTake(plan: DeletionBackupPlan): FolderBackup[] {
  return plan.folders.filter((f) => !f.isOverLimit && !f.isTooMany && f.paths.length > 0);
}

function list(paths: readonly string[]): string {
  return paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`;
}

function where(folder: string, paths: readonly string[], isSingleFolder: boolean): string {
  return commonLocation(paths.map((p) => path.relative(folder, p).split(path.sep).join('/')), isSingleFolder, path.basename(folder));
}

/**
 * Where workspace-relative paths are, for a sentence: `migrations/` for one folder, `src/app.ts` for one file, the
 * common parent folder of several (`migrations/` for `migrations/a.sql migrations/b.sql`), else `<folderName>/`.
 */
export function commonLocation(relative: readonly string[], isSingleFolder: boolean, folderName: string): string {
  if (relative.length === 1 && relative[0] === '') return `${folderName}/`;
  if (relative.length === 1) return isSingleFolder ? `${relative[0]!.replace(/\/+$/, '')}/` : relative[0]!;
  let common = relative[0]?.split('/') ?? [];
  for (const rel of relative.slice(1)) {
    const parts = rel.split('/');
    let k = 0;
    while (k < common.length && k < parts.length && common[k] === parts[k]) k += 1;
    common = common.slice(0, k);
  }
  if (relative.length > 1 && common.length === relative[0]!.split('/').length) common = common.slice(0, -1);
  return common.length > 0 ? `${common.join('/')}/` : `${folderName}/`;
}

function isInside(p: string, folder: string): boolean {
  const rel = path.relative(folder, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function withoutNested(paths: readonly string[]): string[] {
  const sorted = [...new Set(paths)].sort();
  const kept: string[] = [];
  for (const p of sorted) if (!kept.some((k) => isInside(p, k))) kept.push(p);
  return kept;
}

/** Files and bytes under the paths (symlinks are not followed); stops once over `limit` bytes or `maxEntries`. */
async function measure(paths: readonly string[], limit: number, maxEntries: number): Promise<{ files: number; bytes: number; isOverLimit: boolean; isTooMany: boolean }> {
  let files = 0;
  let bytes = 0;
  let entries = 0;
  const stack = [...paths];
  while (stack.length > 0) {
    const p = stack.pop()!;
    entries += 1;
    if (entries > maxEntries) return { files, bytes, isOverLimit: false, isTooMany: true };
    const stat = await fsp.lstat(p).catch(() => undefined);
    if (!stat) continue;
    if (stat.isDirectory()) {
      const names = await fsp.readdir(p).catch(() => [] as string[]);
      for (const name of names) stack.push(path.join(p, name));
    } else if (stat.isFile()) {
      files += 1;
      bytes += stat.size;
      if (bytes > limit) return { files, bytes, isOverLimit: true, isTooMany: false };
    }
  }
  return { files, bytes, isOverLimit: false, isTooMany: false };
}

/** Expands a glob the way the shell would (hidden names only when the pattern starts with a dot); sorted. */
export async function expandGlob(pattern: string): Promise<string[]> {
  const parts = pattern.split(path.sep);
  let current = [parts[0] === '' ? path.sep : parts[0]!];
  for (const part of parts.slice(1)) {
    if (part === '') continue;
    const next: string[] = [];
    if (!/[*?[]/.test(part)) {
      for (const dir of current) next.push(path.join(dir, part));
    } else {
      for (const dir of current) {
        const names = await fsp.readdir(dir).catch(() => [] as string[]);
        for (const name of names) if (minimatch(name, part, { dot: part.startsWith('.'), nonegate: true, nocomment: true })) next.push(path.join(dir, name));
      }
    }
    current = next;
    if (current.length === 0) break;
  }
  const existing: string[] = [];
  for (const p of current) if (await fsp.lstat(p).then(() => true, () => false)) existing.push(p);
  return existing.sort();
}

function run(program: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${program} ${args.join(' ')} failed: ${(String(stderr).trim().split('\n')[0] ?? '') || error.message}`));
      else resolve(String(stdout));
    });
  });
}

/** Finds the same files as the command, with the deleting actions replaced by `-print0`; other actions: the roots. */
async function findDryRun(target: Extract<DeletionTarget, { kind: 'find' }>, timeoutMs: number): Promise<string[]> {
  const expression: string[] = [];
  const tokens = target.expression;
  for (let k = 0; k < tokens.length; k += 1) {
    const token = tokens[k]!;
    if (token === '-delete') continue;
    if (token === '-exec' || token === '-execdir' || token === '-ok' || token === '-okdir') {
      let end = k + 1;
      while (end < tokens.length && tokens[end] !== ';' && tokens[end] !== '+') end += 1;
      const program = (tokens[k + 1] ?? '').replace(/^.*\//, '');
      if (!['rm', 'rmdir', 'unlink', 'shred'].includes(program)) return [...target.roots]; // it runs something else too
      k = end;
      continue;
    }
    if (/^-(f?print|fprint0|fprintf|printf|f?ls|quit|print0)$/.test(token)) return [...target.roots];
    expression.push(token);
  }
  // `-and` after a removed action leaves a dangling operator; find reports that as an error, and the roots are used.
  const args = [...target.roots, ...(expression.length > 0 ? ['(', ...expression, ')'] : []), '-print0'];
  try {
    const out = await run('find', args, target.cwd, timeoutMs);
    return out.split('\0').filter((p) => p !== '').map((p) => path.resolve(target.cwd, p));
  } catch {
    return [...target.roots];
  }
}

/** `git clean -n` with the command's own options: the exact list git would remove. */
async function gitCleanDryRun(target: Extract<DeletionTarget, { kind: 'git-clean' }>, timeoutMs: number): Promise<string[]> {
  const args: string[] = [];
  let afterDashDash = false;
  for (const arg of target.args) {
    if (afterDashDash || arg === '--') { afterDashDash = true; args.push(arg); continue; }
    if (arg === '--force' || arg === '--interactive' || arg === '--quiet') continue;
    if (/^-[a-zA-Z]+$/.test(arg)) {
      // `-e` takes the rest of the cluster or the next word as its value; letters after it are not flags.
      const e = arg.indexOf('e');
      const flags = (e === -1 ? arg.slice(1) : arg.slice(1, e)).replace(/[fiq]/g, '');
      const rest = e === -1 ? '' : arg.slice(e);
      const rebuilt = `${flags !== '' ? `-${flags}` : ''}`;
      if (rebuilt !== '') args.push(rebuilt);
      if (rest !== '') args.push(rest === 'e' ? '-e' : `-${rest}`);
      continue;
    }
    args.push(arg);
  }
  const dashDash = args.indexOf('--');
  const withDry = dashDash === -1 ? [...args, '-n'] : [...args.slice(0, dashDash), '-n', ...args.slice(dashDash)];
  const out = await run('git', ['-c', 'core.quotePath=false', 'clean', ...withDry], target.cwd, timeoutMs);
  const paths: string[] = [];
  for (const line of out.split('\n')) {
    if (!line.startsWith('Would remove ')) continue;
    const name = line.slice('Would remove '.length);
    if (name.startsWith('"')) throw new Error(`git clean -n listed a name it had to quote (${name}); the list is not exact`);
    paths.push(path.resolve(target.cwd, name));
  }
  return paths;
}

/** Tracked files whose uncommitted content `git checkout/restore/reset --hard` overwrites. */
async function gitChangedFiles(target: Extract<DeletionTarget, { kind: 'git-discard' }>, timeoutMs: number): Promise<string[]> {
  const top = (await run('git', ['rev-parse', '--show-toplevel'], target.cwd, timeoutMs)).trim();
  const args = ['diff', '--name-only', '-z', '--no-renames', ...(target.against !== undefined ? [target.against] : []), '--', ...target.pathspecs];
  const out = await run('git', args, target.cwd, timeoutMs);
  const paths: string[] = [];
  for (const name of out.split('\0')) {
    if (name === '') continue;
    const abs = path.join(top, name);
    if (await fsp.lstat(abs).then(() => true, () => false)) paths.push(abs);
  }
  return paths;
}

// What a command line would destroy, read from its analysis: the operands of rm/rmdir/unlink/shred, find -delete and
// find -exec rm roots, git clean, git checkout/restore/reset --hard, `>` truncation, mv/cp onto a target. Pure: no
// file system (globs, existing targets and git's own lists are resolved by deletion-backup.ts).
import path = require('node:path');
import type { CommandLineAnalysis, SimpleCommand } from '../shell/types.js';

/**
 * One thing a command would destroy.
 * - `path`: an absolute path (possibly a glob: `isGlob`) that is deleted, truncated or overwritten.
 * - `find`: the files `find <roots> <expression>` selects for `-delete` / `-exec rm`.
 * - `git-clean`: untracked files `git clean` removes; `git clean -n <args>` in `cwd` lists them exactly.
 * - `git-discard`: uncommitted changes to tracked files that `git checkout/restore/reset --hard` overwrites; `git diff
 *   --name-only <against> -- <pathspecs>` in `cwd` lists them (`against` undefined: the index).
 * - `unknown`: a target known only when the shell expands it (`$TARGET_DIR`, `$(…)`, `xargs rm`).
 */
export type DeletionTarget =
  | { readonly kind: 'path'; readonly path: string; readonly isGlob: boolean; readonly effect: 'delete' | 'truncate' | 'overwrite'; readonly command: string }
  | { readonly kind: 'find'; readonly cwd: string; readonly roots: readonly string[]; readonly expression: readonly string[]; readonly command: string }
  | { readonly kind: 'git-clean'; readonly cwd: string; readonly args: readonly string[]; readonly command: string }
  | { readonly kind: 'git-discard'; readonly cwd: string; readonly against: string | undefined; readonly pathspecs: readonly string[]; readonly command: string }
  | { readonly kind: 'unknown'; readonly text: string; readonly command: string };

export interface DeletionTargetOptions {
  /** The directory the line starts in; relative operands are unknown without it. */
  readonly cwd: string | undefined;
  /** The home folder, for `~/…`; `~` operands are unknown without it. */
  readonly home?: string | undefined;
}

const GLOB_MAGIC = /[*?[]/;

/** Lists what the analysed line would destroy, in the order the commands appear. Never throws. */
export function listDeletionTargets(analysis: CommandLineAnalysis, options: DeletionTargetOptions): DeletionTarget[] {
  const targets: DeletionTarget[] = [];
  // A literal `cd dir` moves the directory of the commands after it in the same script (`cd app && rm -rf build`).
  const cwdByScript = new Map<string, string | undefined>();
  for (const command of analysis.commands) {
    if (command.isRemote) continue;
    const script = command.via.join('\u0000');
    const cwd = cwdByScript.has(script) ? cwdByScript.get(script) : options.cwd;
    if (command.program === 'cd' || command.program === 'pushd') {
      cwdByScript.set(script, changeDirectory(command, cwd, options.home));
      continue;
    }
    const context: Context = { command, cwd, home: options.home, targets };
    for (const redirect of command.redirects) {
      if (redirect.operator !== '>' && redirect.operator !== '>|' && redirect.operator !== '&>') continue;
      operand(context, redirect.target, redirect.isDynamic, 'truncate');
    }
    if (command.argv.length === 0) continue;
    if (command.hasRuntimeArguments && command.via.some((v) => v.startsWith('find '))) continue; // the find itself reports it
    switch (command.program) {
      case 'rm': case 'rmdir': case 'unlink': case 'shred': case 'srm': case 'wipe':
        removal(context);
        break;
      case 'find':
        find(context);
        break;
      case 'git':
        gitTargets(context);
        break;
      case 'mv': case 'cp':
        moveOrCopy(context);
        break;
      default:
        break;
    }
  }
  return targets;
}

interface Context {
  readonly command: SimpleCommand;
  readonly cwd: string | undefined;
  readonly home: string | undefined;
  readonly targets: DeletionTarget[];
}

function changeDirectory(command: SimpleCommand, cwd: string | undefined, home: string | undefined): string | undefined {
  const args = command.argv.slice(1).filter((a, i) => !(a.startsWith('-') && a !== '-') || command.dynamic[i + 1]);
  const target = args[0];
  // `cd` alone goes home; `pushd` alone swaps with a directory this line does not know.
  if (target === undefined) return command.program === 'cd' ? home : undefined;
  if (target === '-' || command.dynamic[command.argv.indexOf(target)] || target.includes('$') || target.includes('`')) return undefined;
  return resolveOperand(target, cwd, home);
}

/** An absolute path for an operand as written, or undefined when it depends on something unknown. */
function resolveOperand(text: string, cwd: string | undefined, home: string | undefined): string | undefined {
  if (text === '~' || text.startsWith('~/')) return home === undefined ? undefined : path.join(home, text.slice(1));
  if (text.startsWith('~')) return undefined; // ~user
  if (path.isAbsolute(text)) return path.normalize(text);
  return cwd === undefined ? undefined : path.resolve(cwd, text);
}

function operand(context: Context, text: string, isDynamic: boolean, effect: 'delete' | 'truncate' | 'overwrite'): void {
  const command = context.command.text;
  if (isDynamic || text.includes('$') || text.includes('`') || text === '{}') {
    context.targets.push({ kind: 'unknown', text, command });
    return;
  }
  if (text === '') return;
  const resolved = resolveOperand(text, context.cwd, context.home);
  if (resolved === undefined) context.targets.push({ kind: 'unknown', text, command });
  else context.targets.push({ kind: 'path', path: resolved, isGlob: GLOB_MAGIC.test(text), effect, command });
}

/** Operands after the options (and everything after `--`). */
function operands(command: SimpleCommand, valueOptions: ReadonlySet<string> = new Set()): { text: string; isDynamic: boolean }[] {
  const result: { text: string; isDynamic: boolean }[] = [];
  let options = true;
  for (let i = 1; i < command.argv.length; i += 1) {
    const arg = command.argv[i]!;
    if (options && arg === '--') { options = false; continue; }
    if (options && arg.length > 1 && arg.startsWith('-') && !command.dynamic[i]) {
      if (valueOptions.has(arg)) i += 1;
      continue;
    }
    result.push({ text: arg, isDynamic: command.dynamic[i] ?? false });
  }
  return result;
}

function removal(context: Context): void {
  const { command } = context;
  if (command.hasRuntimeArguments) {
    context.targets.push({ kind: 'unknown', text: `the arguments ${command.via[command.via.length - 1] ?? 'xargs'} supplies`, command: command.text });
  }
  const valueOptions = command.program === 'shred' ? new Set(['-n', '--iterations', '-s', '--size', '--random-source']) : new Set<string>();
  for (const { text, isDynamic } of operands(command, valueOptions)) operand(context, text, isDynamic, 'delete');
}

/** Actions that decide whether find deletes anything; tests and operators pass through to the dry run. */
const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);
const FIND_GLOBAL_OPTIONS = new Set(['-H', '-L', '-P', '-O0', '-O1', '-O2', '-O3', '-D']);

function find(context: Context): void {
  const { command } = context;
  const argv = command.argv;
  let i = 1;
  while (i < argv.length && (FIND_GLOBAL_OPTIONS.has(argv[i]!) || /^-O\d$/.test(argv[i]!))) i += argv[i] === '-D' ? 2 : 1;
  const roots: string[] = [];
  for (; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg.startsWith('-') || arg === '(' || arg === '!' || arg === ',') break;
    if (command.dynamic[i] || arg.includes('$') || arg.includes('`')) {
      context.targets.push({ kind: 'unknown', text: arg, command: command.text });
      return;
    }
    const resolved = resolveOperand(arg, context.cwd, context.home);
    if (resolved === undefined) { context.targets.push({ kind: 'unknown', text: arg, command: command.text }); return; }
    roots.push(resolved);
  }
  const expression = argv.slice(i);
  let deletes = expression.includes('-delete');
  for (let k = 0; k < expression.length; k += 1) {
    if (!FIND_EXEC.has(expression[k]!)) continue;
    const program = (expression[k + 1] ?? '').replace(/^.*\//, '');
    if (['rm', 'rmdir', 'unlink', 'shred'].includes(program)) deletes = true;
  }
  if (!deletes) return;
  if (roots.length === 0) {
    if (context.cwd === undefined) { context.targets.push({ kind: 'unknown', text: '.', command: command.text }); return; }
    roots.push(context.cwd);
  }
  if (expression.some((_, k) => command.dynamic[i + k])) {
    // An expression with run-time values: all the roots are at stake.
    for (const root of roots) context.targets.push({ kind: 'path', path: root, isGlob: false, effect: 'delete', command: command.text });
    return;
  }
  context.targets.push({ kind: 'find', cwd: context.cwd ?? roots[0]!, roots, expression, command: command.text });
}

const GIT_GLOBAL_VALUE_OPTIONS = new Set(['-c', '--git-dir', '--work-tree', '--namespace', '--super-prefix', '--config-env', '--exec-path']);

function gitTargets(context: Context): void {
  const { command } = context;
  const argv = command.argv;
  let cwd = context.cwd;
  let i = 1;
  for (; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '-C') {
      const dir = argv[i + 1];
      cwd = dir === undefined || command.dynamic[i + 1] || dir.includes('$') ? undefined : resolveOperand(dir, cwd, context.home);
      i += 1;
      continue;
    }
    if (GIT_GLOBAL_VALUE_OPTIONS.has(arg)) {
      // Another repository or work tree: what it holds is not known from here.
      if (arg === '--git-dir' || arg === '--work-tree') cwd = undefined;
      i += 1;
      continue;
    }
    if (arg.startsWith('--git-dir=') || arg.startsWith('--work-tree=')) { cwd = undefined; continue; }
    if (arg.startsWith('-')) continue;
    break;
  }
  const sub = argv[i];
  const args = argv.slice(i + 1);
  const dynamic = command.dynamic.slice(i + 1);
  const unknown = (text: string): void => { context.targets.push({ kind: 'unknown', text, command: command.text }); };
  if (sub === 'clean') {
    const forced = args.some((a) => a === '--force' || /^-[a-zA-Z]*f/.test(a));
    const dry = args.some((a) => a === '--dry-run' || /^-[a-zA-Z]*n/.test(a));
    if (!forced || dry) return;
    if (cwd === undefined || dynamic.some(Boolean)) { unknown('the untracked files git clean finds'); return; }
    context.targets.push({ kind: 'git-clean', cwd, args, command: command.text });
    return;
  }
  const discard = gitDiscard(sub, args);
  if (discard === undefined) return;
  if (cwd === undefined || dynamic.some(Boolean)) { unknown('the uncommitted changes git would overwrite'); return; }
  context.targets.push({ kind: 'git-discard', cwd, against: discard.against, pathspecs: discard.pathspecs, command: command.text });
}

/** What `git checkout/restore/reset --hard` overwrites: changes against `against` (undefined: the index) in `pathspecs`. */
function gitDiscard(sub: string | undefined, args: readonly string[]): { against: string | undefined; pathspecs: string[] } | undefined {
  const dashDash = args.indexOf('--');
  const before = (dashDash === -1 ? args : args.slice(0, dashDash));
  const after = dashDash === -1 ? [] : args.slice(dashDash + 1);
  const words = (valueOptions: ReadonlySet<string>): string[] => {
    const out: string[] = [];
    for (let k = 0; k < before.length; k += 1) {
      const arg = before[k]!;
      if (arg.startsWith('-')) { if (valueOptions.has(arg)) k += 1; continue; }
      out.push(arg);
    }
    return out;
  };
  if (sub === 'reset') {
    if (!args.includes('--hard')) return undefined;
    const [ref] = words(new Set(['--pathspec-from-file']));
    return { against: ref ?? 'HEAD', pathspecs: [] };
  }
  if (sub === 'checkout') {
    const forced = before.some((a) => a === '--force' || /^-[a-zA-Z]*f/.test(a));
    const positional = words(new Set(['-b', '-B', '--orphan', '--conflict', '--track', '-t']));
    if (dashDash !== -1) return { against: positional[0], pathspecs: after };
    if (forced) return { against: 'HEAD', pathspecs: [] };
    // `git checkout <ref> <paths>` / `git checkout .`: the first word is a ref when paths follow it.
    if (positional.length >= 2) return { against: positional[0], pathspecs: positional.slice(1) };
    if (positional.length === 1 && (positional[0] === '.' || GLOB_MAGIC.test(positional[0]!))) return { against: undefined, pathspecs: positional };
    return undefined;
  }
  if (sub === 'restore') {
    const staged = before.some((a) => a === '--staged' || /^-[a-zA-Z]*S/.test(a));
    const worktree = before.some((a) => a === '--worktree' || /^-[a-zA-Z]*W/.test(a));
    if (staged && !worktree) return undefined;
    let source: string | undefined = staged ? 'HEAD' : undefined;
    for (let k = 0; k < before.length; k += 1) {
      const arg = before[k]!;
      if (arg === '--source' || arg === '-s') source = before[k + 1];
      else if (arg.startsWith('--source=')) source = arg.slice('--source='.length);
      else if (/^-s./.test(arg)) source = arg.slice(2);
    }
    const pathspecs = [...words(new Set(['--source', '-s', '--pathspec-from-file', '--conflict'])), ...after];
    return pathspecs.length > 0 ? { against: source, pathspecs } : undefined;
  }
  return undefined;
}

function moveOrCopy(context: Context): void {
  const { command } = context;
  const args = command.argv.slice(1);
  if (args.some((a) => a === '-n' || a === '--no-clobber' || a === '--update=none' || a === '--help' || (/^-[a-zA-Z]+$/.test(a) && a.includes('n')))) return;
  const targetDirectory = args.findIndex((a) => a === '-t' || a === '--target-directory' || a.startsWith('--target-directory=') || /^-t./.test(a));
  const list = operands(command, new Set(['-t', '--target-directory', '-S', '--suffix']));
  let destination: { text: string; isDynamic: boolean } | undefined;
  let sources = list;
  let intoDirectory = false;
  if (targetDirectory !== -1) {
    const arg = args[targetDirectory]!;
    const text = arg === '-t' || arg === '--target-directory' ? args[targetDirectory + 1] ?? '' : arg.startsWith('--') ? arg.slice(arg.indexOf('=') + 1) : arg.slice(2);
    destination = { text, isDynamic: command.dynamic[targetDirectory + 2] ?? false };
    intoDirectory = true;
  } else {
    if (list.length < 2) return;
    destination = list[list.length - 1]!;
    sources = list.slice(0, -1);
  }
  if (destination.isDynamic || destination.text.includes('$')) {
    context.targets.push({ kind: 'unknown', text: destination.text, command: command.text });
    return;
  }
  const base = resolveOperand(destination.text, context.cwd, context.home);
  if (base === undefined) { context.targets.push({ kind: 'unknown', text: destination.text, command: command.text }); return; }
  // The destination itself when it is a file; `<dir>/<source name>` for each source when it is a folder (resolved later).
  const names = sources.map((s) => (s.isDynamic || s.text.includes('$') ? undefined : path.basename(s.text)));
  if (names.some((n) => n === undefined)) context.targets.push({ kind: 'unknown', text: sources.map((s) => s.text).join(' '), command: command.text });
  if (!intoDirectory) context.targets.push({ kind: 'path', path: base, isGlob: false, effect: 'overwrite', command: command.text });
  for (const name of names) {
    if (name !== undefined && name !== '' && name !== '.' && name !== '..') {
      context.targets.push({ kind: 'path', path: path.join(base, name), isGlob: GLOB_MAGIC.test(name), effect: 'overwrite', command: command.text });
    }
  }
}

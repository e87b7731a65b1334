// Rule pack: git operations that destroy uncommitted work, history or remote branches.
import type { SimpleCommand } from '../shell/types.js';
import { defineRule, type Rule } from './rule.js';

interface GitInvocation {
  /** The subcommand, lower case (`reset`). */
  readonly sub: string;
  /**
   * The arguments after the subcommand; long options and words in lower case (git itself is case-sensitive; matching
   * `git RESET --HARD` too is stricter), short options as written (`-D` and `-d` differ).
   */
  readonly args: readonly string[];
}

const GLOBAL_VALUE_OPTIONS = new Set(['-c', '-C', '--git-dir', '--work-tree', '--namespace', '--super-prefix', '--config-env', '--exec-path', '--list-cmds']);

/** Skips git's global options (`-C dir`, `-c k=v`, `--git-dir=…`, `--no-pager`) to find the subcommand. */
export function gitInvocation(command: SimpleCommand): GitInvocation | undefined {
  const argv = command.argv;
  let i = 1;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (GLOBAL_VALUE_OPTIONS.has(arg)) { i += 2; continue; }
    if (arg.startsWith('-')) { i += 1; continue; }
    return { sub: arg.toLowerCase(), args: argv.slice(i + 1).map((a) => (/^-[^-]/.test(a) ? a : a.toLowerCase())) };
  }
  return undefined;
}

/** Short-option clusters: `-qf` has `f`; letters in `valueLetters` end the cluster (`-bnew-branch`). */
function hasShortFlag(args: readonly string[], letter: string, valueLetters = ''): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (!/^-[a-zA-Z]/.test(arg)) continue;
    for (const ch of arg.slice(1)) {
      if (ch === letter) return true;
      if (valueLetters.includes(ch)) break;
    }
  }
  return false;
}

function hasOption(args: readonly string[], ...names: string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (names.some((n) => arg === n || arg.startsWith(`${n}=`))) return true;
  }
  return false;
}

/** Positional arguments of a subcommand; `valueOptions` consume the next word; after `--`, everything is a path. */
function gitPositionals(args: readonly string[], valueOptions: ReadonlySet<string>, valueLetters = ''): { before: string[]; afterDashDash: string[] } {
  const before: string[] = [];
  const afterDashDash: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') { afterDashDash.push(...args.slice(i + 1)); break; }
    if (arg.startsWith('--')) {
      if (!arg.includes('=') && valueOptions.has(arg)) i += 1;
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // A value letter at the end of a cluster takes the next word (`-b name`); attached (`-bname`) it does not.
      const letters = arg.slice(1);
      const valueAt = [...letters].findIndex((ch) => valueLetters.includes(ch));
      if (valueAt === letters.length - 1) i += 1;
      continue;
    }
    before.push(arg);
  }
  return { before, afterDashDash };
}

const git = (id: string, severity: Rule['meta']['severity'], description: string, check: (inv: GitInvocation, command: SimpleCommand) => string | { message: string; safer?: string } | undefined): Rule =>
  defineRule({
    meta: { id, severity, description },
    programs: ['git'],
    check(command) {
      const invocation = gitInvocation(command);
      if (!invocation) return undefined;
      const result = check(invocation, command);
      return typeof result === 'string' ? { message: result } : result;
    },
  });

const DEFAULT_BRANCHES = /^(\+?)(refs\/heads\/)?(main|master|trunk|develop|production|prod|release(\/.*)?)$/;

function pushTargets(args: readonly string[]): string[] {
  const { before } = gitPositionals(args, new Set(['--repo', '--receive-pack', '--exec', '-o', '--push-option', '--recurse-submodules']), 'o');
  return before.slice(1).map((refspec) => refspec.includes(':') ? refspec.slice(refspec.indexOf(':') + 1) : refspec);
}

function isForceFlag(arg: string): boolean {
  // `--force-with-lease` and `--force-if-includes` are the safe forms; any other `--force…` spelling is treated as force.
  return arg === '-f' || (arg.startsWith('--force') && !arg.startsWith('--force-with-lease') && arg !== '--force-if-includes')
    || (arg.startsWith('--force-with-lease-') && arg !== '--force-with-lease');
}

export const gitRules: readonly Rule[] = [
  git('git.reset-hard', 'high', 'git reset --hard/--merge discards uncommitted changes.', ({ sub, args }) => {
    if (sub !== 'reset') return undefined;
    if (hasOption(args, '--hard')) return { message: 'git reset --hard deletes uncommitted changes in tracked files; they cannot be recovered.', safer: '`git stash` first, or `git reset --soft`/`--mixed` to keep the changes.' };
    if (hasOption(args, '--merge')) return { message: 'git reset --merge can discard uncommitted changes.', safer: '`git stash` first, or `git merge --abort`.' };
    return undefined;
  }),
  git('git.push-force', 'high', 'git push --force (or +refspec) overwrites the remote branch history.', ({ sub, args }) => {
    if (sub !== 'push') return undefined;
    const withLease = args.some((a) => a === '--force-with-lease' || a.startsWith('--force-with-lease=') || a === '--force-if-includes');
    const forced = args.some((a) => a !== '--' && (isForceFlag(a) || (/^-[a-zA-Z]+$/.test(a) && a.includes('f'))));
    const plusRefspec = pushTargets(args).length > 0 && gitPositionals(args, new Set(['--repo'])).before.slice(1).some((r) => r.startsWith('+'));
    if ((forced && !withLease) || plusRefspec) {
      return { message: 'git push --force overwrites the remote branch: commits others pushed are lost.', safer: '`git push --force-with-lease`, which refuses if the remote moved.' };
    }
    if (hasOption(args, '--mirror')) return { message: 'git push --mirror makes the remote match this repository exactly, deleting remote branches and tags it lacks.' };
    return undefined;
  }),
  git('git.push-force-default-branch', 'medium', 'A forced push (even with lease) to main/master rewrites the shared default branch.', ({ sub, args }) => {
    if (sub !== 'push') return undefined;
    const withLease = args.some((a) => a === '--force-with-lease' || a.startsWith('--force-with-lease=') || a === '--force-if-includes');
    if (!withLease) return undefined;
    const target = pushTargets(args).find((t) => DEFAULT_BRANCHES.test(t));
    return target ? { message: `git push --force-with-lease rewrites the history of the shared branch "${target.replace(/^\+/, '')}".`, safer: 'push to a feature branch and open a pull request.' } : undefined;
  }),
  git('git.push-delete', 'high', 'git push --delete / :branch deletes a remote branch or tag.', ({ sub, args }) => {
    if (sub !== 'push') return undefined;
    const { before } = gitPositionals(args, new Set(['--repo']), '');
    if (hasOption(args, '--delete') || hasShortFlag(args, 'd') || before.slice(1).some((r) => r.startsWith(':') && r.length > 1)) {
      return { message: 'git push --delete removes a branch or tag from the remote for everyone.', safer: 'delete it in the forge\'s UI, where it can be restored.' };
    }
    return undefined;
  }),
  git('git.branch-force-delete', 'high', 'git branch -D deletes a branch even when it is not merged.', ({ sub, args }) => {
    if (sub !== 'branch') return undefined;
    const deleting = hasShortFlag(args, 'd') || hasOption(args, '--delete');
    const forced = hasShortFlag(args, 'D') || hasShortFlag(args, 'f') || hasOption(args, '--force');
    if (hasShortFlag(args, 'D') || (deleting && forced)) return { message: 'git branch -D deletes the branch even if its commits are merged nowhere.', safer: '`git branch -d`, which refuses to delete unmerged work.' };
    if (forced && !deleting) return { message: 'git branch --force moves an existing branch, dropping the commits only it pointed to.', safer: 'create a new branch name instead.' };
    return undefined;
  }),
  git('git.clean-force', 'high', 'git clean -f deletes untracked files (with -x, ignored files too).', ({ sub, args }) => {
    if (sub !== 'clean') return undefined;
    if (!hasShortFlag(args, 'f') && !hasOption(args, '--force')) return undefined;
    const ignored = hasShortFlag(args, 'x') || hasShortFlag(args, 'X');
    return { message: `git clean -f permanently deletes untracked files${ignored ? ', including ignored ones such as .env and local data' : ''}; they are in no commit.`, safer: '`git clean -n` to see what would go, then delete those files by name.' };
  }),
  git('git.checkout-discard', 'high', 'git checkout -f / git checkout <ref> -- <paths> overwrites uncommitted changes.', ({ sub, args }) => {
    if (sub !== 'checkout') return undefined;
    if (hasShortFlag(args, 'f', 'bBU') || hasOption(args, '--force')) return { message: 'git checkout --force throws away uncommitted changes.', safer: '`git stash` first.' };
    if (hasOption(args, '--pathspec-from-file')) return { message: 'git checkout --pathspec-from-file overwrites uncommitted changes in those files.', safer: '`git stash` first.' };
    const valueOptions = new Set(['--orphan', '--unified', '--conflict', '--inter-hunk-context']);
    // `--track direct` / `--track inherit`: the mode is the option's value, not a ref.
    const filtered = args.filter((a, i) => !(args[i - 1] === '--track' && /^(direct|inherit)$/.test(a)));
    const { before, afterDashDash } = gitPositionals(filtered, valueOptions, 'bBU');
    if (afterDashDash.length > 0 || before.length >= 2 || (before.length === 1 && (before[0] === '.' || before[0] === '*'))) {
      return { message: 'git checkout with paths overwrites uncommitted changes in those files; they cannot be recovered.', safer: '`git stash` first, or `git diff` to see what would be lost.' };
    }
    return undefined;
  }),
  git('git.switch-discard', 'high', 'git switch -f / --discard-changes throws away uncommitted changes.', ({ sub, args }) => {
    if (sub !== 'switch') return undefined;
    return hasShortFlag(args, 'f', 'cC') || hasOption(args, '--force', '--discard-changes')
      ? { message: 'git switch --discard-changes throws away uncommitted changes.', safer: '`git stash` first.' } : undefined;
  }),
  git('git.restore-worktree', 'high', 'git restore (of the working tree) discards uncommitted changes.', ({ sub, args }) => {
    if (sub !== 'restore' || hasOption(args, '--help') || hasShortFlag(args, 'h')) return undefined;
    const staged = hasOption(args, '--staged') || hasShortFlag(args, 'S', 's');
    const worktree = hasOption(args, '--worktree') || hasShortFlag(args, 'W', 's');
    if (staged && !worktree) return undefined;
    if (gitPositionals(args, new Set(['--source', '--pathspec-from-file'])).before.length === 0 && !hasOption(args, '--pathspec-from-file')) return undefined;
    return { message: 'git restore overwrites uncommitted changes in the working tree; they cannot be recovered.', safer: '`git stash` first, or `git restore --staged` to only unstage.' };
  }),
  git('git.stash-destroy', 'high', 'git stash drop/clear deletes stashed work.', ({ sub, args }) => {
    if (sub !== 'stash') return undefined;
    const action = args.find((a) => !a.startsWith('-'));
    if (action === 'clear') return { message: 'git stash clear deletes every stash; they are hard to recover.', safer: '`git stash list` and drop a single, named stash.' };
    if (action === 'drop') return { message: 'git stash drop deletes a stash.', safer: '`git stash show -p` first, or `git stash branch` to keep it.' };
    return undefined;
  }),
  git('git.history-rewrite', 'high', 'git filter-branch / filter-repo rewrites the whole history.', ({ sub }) =>
    sub === 'filter-branch' || sub === 'filter-repo'
      ? { message: `git ${sub} rewrites every commit of the repository; collaborators' clones diverge.`, safer: 'work on a fresh clone, and keep a backup of the original.' } : undefined),
  git('git.reflog-expire', 'high', 'git reflog expire/delete and gc --prune=now remove the safety net for lost commits.', ({ sub, args }) => {
    if (sub === 'reflog' && (args[0] === 'expire' || args[0] === 'delete')) return { message: `git reflog ${args[0]} removes the record that lets lost commits be recovered.` };
    if (sub === 'gc' && args.some((a) => a === '--prune=now' || a === '--prune=all')) return { message: 'git gc --prune=now deletes unreachable commits at once, with no grace period.', safer: '`git gc` with the default prune delay.' };
    return undefined;
  }),
  git('git.update-ref-delete', 'high', 'git update-ref -d deletes a ref directly.', ({ sub, args }) =>
    sub === 'update-ref' && (hasShortFlag(args, 'd') || hasOption(args, '--delete')) ? { message: 'git update-ref -d deletes a branch or ref without any check.', safer: '`git branch -d`.' } : undefined),
  git('git.worktree-remove-force', 'high', 'git worktree remove --force deletes a worktree with uncommitted changes.', ({ sub, args }) =>
    sub === 'worktree' && (args[0] === 'remove' || args[0] === 'prune') && (hasShortFlag(args, 'f') || hasOption(args, '--force'))
      ? { message: 'git worktree remove --force deletes the worktree folder even with uncommitted changes in it.', safer: '`git worktree remove` without --force.' } : undefined),
];

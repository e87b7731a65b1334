// Rule pack: deleting, truncating and overwriting files and disks.
import type { SimpleCommand } from '../shell/types.js';
import { classifyPath, isRegenerableName, type PathKind } from './paths.js';
import { defineRule, type Report, type Rule, type RuleContext } from './rule.js';

function pathContext(command: SimpleCommand, context: RuleContext) {
  return { protectedPaths: context.protectedPaths, isRemote: command.isRemote };
}

/** Options and operands of rm; `-rf`, `-fr`, `-R -f`, `--recursive --force` all count. */
function parseRm(command: SimpleCommand): { recursive: boolean; force: boolean; noPreserveRoot: boolean; targets: { text: string; isDynamic: boolean }[] } {
  let recursive = false;
  let force = false;
  let noPreserveRoot = false;
  const targets: { text: string; isDynamic: boolean }[] = [];
  let options = true;
  command.argv.forEach((arg, i) => {
    if (i === 0) return;
    if (options && arg === '--') { options = false; return; }
    if (options && arg.startsWith('--')) {
      if (arg === '--recursive') recursive = true;
      else if (arg === '--force') force = true;
      else if (arg === '--no-preserve-root') noPreserveRoot = true;
      return;
    }
    if (options && arg.startsWith('-') && arg.length > 1) {
      if (/[rR]/.test(arg)) recursive = true;
      if (arg.includes('f')) force = true;
      return;
    }
    targets.push({ text: arg, isDynamic: command.dynamic[i] ?? false });
  });
  return { recursive, force, noPreserveRoot, targets };
}

const KIND_WORDS: Readonly<Record<PathKind, string>> = {
  catastrophic: 'a root, home, workspace or .git folder',
  system: 'operating-system files',
  temporary: 'temporary files',
  regenerable: 'build output',
  protected: 'protected files',
  unknown: 'a path known only at run time',
  ordinary: 'files',
};

function describeTargets(targets: readonly { text: string; kind: PathKind }[]): string {
  return targets.map((t) => `${t.text} (${KIND_WORDS[t.kind]})`).join(', ');
}

// ── Deletions whose operands are known only at run time: `find … -delete`, `find … -exec rm {} +`, `… | xargs rm` ──

/** find's options before the starting points. */
const FIND_LEADING_OPTIONS = /^-(H|L|P|O[0-9]*)$/;
/** Tests that select files by name or path; their patterns decide whether only build output is matched. */
const FIND_NAME_TESTS = new Set(['-name', '-iname', '-path', '-ipath', '-wholename', '-iwholename']);
/** Tests (other than by name) that narrow the selection. */
const FIND_NARROWING_TESTS = new Set(['-regex', '-iregex', '-mtime', '-mmin', '-atime', '-amin', '-ctime', '-cmin', '-newer', '-anewer', '-cnewer', '-newermt', '-newerct',
  '-size', '-user', '-group', '-uid', '-gid', '-perm', '-empty', '-links', '-inum', '-samefile', '-lname', '-ilname', '-nouser', '-nogroup', '-used', '-fstype']);
/** Tests and options that take one value. */
const FIND_VALUE_WORDS = new Set([...FIND_NAME_TESTS, ...FIND_NARROWING_TESTS, '-type', '-xtype', '-maxdepth', '-mindepth', '-fprint', '-fprint0', '-fprintf', '-printf',
  '-fls', '-context', '-files0-from']);
/** Words that never widen a selection made of name tests joined by `-o`. */
const FIND_NEUTRAL_WORDS = new Set(['-prune', '(', ')', '-a', '-and', '-o', '-or', '-print', '-print0', '-delete', '-depth', '-d', '-xdev', '-mount', '-ls', '-quit',
  '-maxdepth', '-mindepth', '-fprint', '-fprint0', '-fprintf', '-printf', '-fls', '-follow', '-noleaf', '-ignore_readdir_race', '-true', '-regextype']);

interface FindSelection {
  /** The starting points as written. */
  readonly roots: readonly { text: string; isDynamic: boolean }[];
  /** Every test that selects files is a name or path test naming build output (`-name '*.pyc'`, `-name node_modules -prune`). */
  readonly onlyBuildOutput: boolean;
  /** No test narrows the selection (only `-type`, depth options, actions): every file below the roots. */
  readonly everything: boolean;
}

/** The starting points of a find and what its expression selects, as far as it matters for deleting. */
function findSelection(find: SimpleCommand): FindSelection {
  const argv = find.argv;
  let i = 1;
  while (i < argv.length && FIND_LEADING_OPTIONS.test(argv[i]!)) i += 1;
  if (argv[i] === '-D') i += 2;
  const roots: { text: string; isDynamic: boolean }[] = [];
  for (; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if ((arg.startsWith('-') && arg.length > 1) || arg === '(' || arg === '!') break;
    roots.push({ text: arg, isDynamic: find.dynamic[i] ?? false });
  }
  if (roots.length === 0) roots.push({ text: '.', isDynamic: false });
  let names = 0;
  let allNamesRegenerable = true;
  let narrowed = false;
  let negatedOrOther = false;
  let hasOr = false;
  let otherTests = false;
  // `-name '*.pyc' -o -delete`: a branch of -o without a name test selects every file.
  let branchHasName = false;
  let branchWithoutName = false;
  for (; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (FIND_EXEC_WORDS.has(arg)) {
      while (i < argv.length && argv[i] !== ';' && argv[i] !== '+') i += 1;
      continue;
    }
    if (arg === '!' || arg === '-not') { negatedOrOther = true; continue; }
    if (arg === '-o' || arg === '-or' || arg === ',') {
      hasOr = true;
      if (!branchHasName) branchWithoutName = true;
      branchHasName = false;
      continue;
    }
    if (FIND_NAME_TESTS.has(arg)) {
      const pattern = argv[i + 1] ?? '';
      const isPath = arg.endsWith('path') || arg.endsWith('wholename');
      const name = isPath ? pattern.replace(/(\/\*\*?)+$/, '').replace(/^.*\//, '') : pattern;
      names += 1;
      branchHasName = true;
      narrowed = true;
      if (find.dynamic[i + 1] || !isRegenerableName(name)) allNamesRegenerable = false;
      i += 1;
      continue;
    }
    if (FIND_NARROWING_TESTS.has(arg)) narrowed = true;
    if (!FIND_NEUTRAL_WORDS.has(arg) && !FIND_NAME_TESTS.has(arg)) otherTests = true;
    if (FIND_VALUE_WORDS.has(arg)) i += 1;
  }
  // `-name '*.pyc' -o -type f -delete` deletes every file: with -o, only name tests may select.
  if (!branchHasName) branchWithoutName = true;
  const onlyBuildOutput = names > 0 && allNamesRegenerable && !negatedOrOther && !(hasOr && (otherTests || branchWithoutName));
  return { roots, onlyBuildOutput, everything: !narrowed && !negatedOrOther };
}

const FIND_EXEC_WORDS = new Set(['-exec', '-execdir', '-ok', '-okdir']);

/**
 * How bad a deletion of the files a find selects is: undefined when it only deletes build output inside the project
 * (or below a regenerable folder), `critical` when it deletes everything below the root, the home folder or a system
 * folder, `high` otherwise.
 */
function findDeletionReport(find: SimpleCommand, what: string, command: SimpleCommand, context: RuleContext): Report | undefined {
  const selection = findSelection(find);
  const where = pathContext(command, context);
  const kinds = selection.roots.map((r) => ({ text: r.text, kind: classifyPath(r.text, r.isDynamic, where), inProject: !r.isDynamic && isInsideProject(r.text) }));
  const roots = selection.roots.map((r) => r.text).join(' ');
  const outside = kinds.filter((k) => !k.inProject);
  const wholeMachine = outside.filter((k) => k.kind === 'catastrophic' || k.kind === 'system');
  if (selection.everything && kinds.some((k) => k.kind === 'catastrophic' || k.kind === 'system')) {
    return { severity: 'critical', message: `${what} deletes everything find finds below ${roots}: that is ${describeTargets(kinds.filter((k) => k.kind === 'catastrophic' || k.kind === 'system'))}.`, safer: 'run the same find with -print first, and narrow it (-name, -path) to what you mean.', resource: roots };
  }
  if (wholeMachine.length > 0) {
    return { message: `${what} deletes the files find selects below ${describeTargets(wholeMachine)}; one wrong test and far more goes.`, safer: 'run the same find with -print first and check the list.', resource: roots };
  }
  const onlyRegenerableRoots = !command.isRemote && kinds.every((k) => k.kind === 'regenerable' || (k.kind === 'temporary' && selection.onlyBuildOutput));
  if (onlyRegenerableRoots || (!command.isRemote && selection.onlyBuildOutput && outside.length === 0)) return undefined;
  return { message: `${what} deletes every file the find expression matches below ${roots}; one wrong test and far more goes.`, safer: 'run the same find with -print first and check the list.', resource: roots };
}

/** A relative starting point inside the project: not absolute, not above it, not in .git, no expansion. */
function isInsideProject(root: string): boolean {
  if (/^[/~$`]/.test(root) || root.includes('$') || root.includes('`')) return false;
  const parts = root.split('/').filter((p) => p !== '' && p !== '.');
  return !parts.includes('..') && !parts.includes('.git');
}

/** The deletion a command's run-time operands stand for: the find that selects them, or where else they come from. */
function runtimeOperandSource(command: SimpleCommand): { find: SimpleCommand } | { words: string[] } | { from: string } {
  if (command.argumentsFrom?.program === 'find') return { find: command.argumentsFrom };
  const fed = command.stdin?.kind === 'pipe' ? command.stdin.from : undefined;
  if (fed?.program === 'find' && !fed.hasRuntimeArguments) return { find: fed };
  // `echo a b | xargs rm`: the operands are the words echoed.
  if (fed && (fed.program === 'echo' || fed.program === 'printf') && !fed.dynamic.some(Boolean) && fed.redirects.length === 0) {
    return { words: fed.argv.slice(1).filter((w, i) => !(i === 0 && /^-[neE]+$/.test(w))).join(' ').split(/\s+/).filter((w) => w !== '') };
  }
  return { from: fed ? `the output of ${fed.program}` : command.via[command.via.length - 1] ?? 'run time' };
}

export const filesystemRules: readonly Rule[] = [
  defineRule({
    meta: { id: 'fs.rm-recursive', severity: 'high', description: 'rm -r of anything but temporary files and regenerable build output.' },
    programs: ['rm'],
    check(command, context) {
      const rm = parseRm(command);
      if (!rm.recursive) return undefined;
      if (rm.noPreserveRoot) return { severity: 'critical', message: 'rm --no-preserve-root disables the last protection against deleting the whole machine.' };
      const classified = rm.targets.map((t) => ({ text: t.text, kind: classifyPath(t.text, t.isDynamic, pathContext(command, context)) }));
      const catastrophic = classified.filter((t) => t.kind === 'catastrophic');
      if (catastrophic.length > 0) {
        return { severity: 'critical', message: `rm -r would delete ${describeTargets(catastrophic)}: everything below it is lost.`, safer: 'delete the specific files you mean, by name.', resource: catastrophic[0]!.text };
      }
      const risky = classified.filter((t) => t.kind !== 'temporary' && t.kind !== 'regenerable');
      if (command.hasRuntimeArguments) {
        const source = runtimeOperandSource(command);
        if ('find' in source) return findDeletionReport(source.find, 'rm -r through find', command, context);
        if ('words' in source) {
          const fed = source.words.map((w) => ({ text: w, kind: classifyPath(w, false, pathContext(command, context)) }));
          const worst = fed.filter((t) => t.kind === 'catastrophic');
          if (worst.length > 0) return { severity: 'critical', message: `rm -r would delete ${describeTargets(worst)}: everything below it is lost.`, resource: worst[0]!.text };
          const alsoRisky = fed.filter((t) => t.kind !== 'temporary' && t.kind !== 'regenerable');
          if (alsoRisky.length === 0 && risky.length === 0) return undefined;
          return { message: `rm -r deletes ${describeTargets([...risky, ...alsoRisky])} with everything inside, with no way back.`, resource: [...risky, ...alsoRisky][0]!.text };
        }
        return { message: `rm -r deletes folders whose names are supplied at run time (${source.from}); nobody has seen the list.`, safer: 'print the list first (drop the rm), then delete the folders by name.' };
      }
      if (risky.length === 0) return undefined;
      const where = command.isRemote ? ' on a remote machine' : '';
      return { message: `rm -r deletes ${describeTargets(risky)}${where} with everything inside, with no way back.`, safer: 'move it aside (`mv x x.bak`) or delete only build output (node_modules, dist, target).', resource: risky[0]!.text };
    },
  }),
  defineRule({
    meta: { id: 'fs.rm-protected', severity: 'high', description: 'rm of protected, data, secret or system files.' },
    programs: ['rm', 'unlink', 'shred'],
    check(command, context) {
      const rm = parseRm(command);
      if (rm.recursive && command.program === 'rm') return undefined;
      const targets = rm.targets;
      let runtime: Report | undefined;
      if (command.hasRuntimeArguments) {
        const source = runtimeOperandSource(command);
        if ('find' in source) runtime = findDeletionReport(source.find, `${command.program} through find`, command, context);
        else if ('words' in source) targets.push(...source.words.map((text) => ({ text, isDynamic: false })));
        else runtime = { message: `${command.program} deletes files whose names are supplied at run time (${source.from}); nobody has seen the list.`, safer: 'print the list first (drop the rm), then delete the files by name.' };
      }
      const risky = targets
        .map((t) => ({ text: t.text, kind: classifyPath(t.text, t.isDynamic, pathContext(command, context)) }))
        .filter((t) => t.kind === 'protected' || t.kind === 'system' || t.kind === 'catastrophic' || (t.kind === 'ordinary' && /^\*$|\/\*$/.test(t.text)));
      if (risky.length === 0) return runtime;
      return { message: `${command.program} deletes ${describeTargets(risky)}.`, safer: 'make a copy first, or edit the file instead of deleting it.', resource: risky[0]!.text };
    },
  }),
  defineRule({
    meta: { id: 'fs.shred', severity: 'high', description: 'shred / wipe / srm overwrite files so they cannot be recovered.' },
    programs: ['shred', 'wipe', 'srm'],
    check: (command) => (command.argv.length > 1 ? { message: `${command.program} overwrites files so that not even a backup tool can recover them.` } : undefined),
  }),
  defineRule({
    meta: { id: 'fs.find-delete', severity: 'high', description: 'find -delete deletes every file the expression matches.' },
    programs: ['find'],
    check(command, context) {
      let inExec = false;
      for (const arg of command.argv) {
        if (FIND_EXEC_WORDS.has(arg)) inExec = true;
        else if (arg === ';' || arg === '+') inExec = false;
        else if (!inExec && arg === '-delete') return findDeletionReport(command, 'find -delete', command, context);
      }
      return undefined;
    },
  }),
  defineRule({
    meta: { id: 'fs.truncate', severity: 'high', description: 'truncate empties files.' },
    programs: ['truncate'],
    check: (command) => (command.argv.some((a) => /^(-s|--size)(=?[0-9]*)?/.test(a) || /^-s0$/.test(a))
      ? { message: 'truncate cuts files to a size; their content beyond it is gone.' } : undefined),
  }),
  defineRule({
    meta: { id: 'fs.disk-write', severity: 'critical', description: 'dd/mkfs/wipefs/partitioning tools writing to a disk device.' },
    programs: ['dd', 'mkfs', 'mke2fs', 'mkswap', 'wipefs', 'fdisk', 'sfdisk', 'cfdisk', 'parted', 'sgdisk', 'gdisk', 'blkdiscard', 'hdparm', 'nvme', 'cryptsetup',
      'mkfs.ext2', 'mkfs.ext3', 'mkfs.ext4', 'mkfs.xfs', 'mkfs.btrfs', 'mkfs.vfat', 'mkfs.fat', 'mkfs.ntfs', 'mkfs.exfat', 'mkfs.f2fs', 'zpool', 'diskutil'],
    check(command) {
      const program = command.program;
      if (program === 'dd') {
        const of = command.argv.find((a) => a.startsWith('of='))?.slice(3);
        if (of && /^\/dev\//.test(of) && !/^\/dev\/(null|zero|stdout|stderr|tty)$/.test(of)) return { message: `dd writes straight onto the device ${of}; its file systems and partitions are destroyed.` };
        return undefined;
      }
      if (program === 'fdisk' || program === 'sfdisk' || program === 'gdisk' || program === 'sgdisk' || program === 'parted' || program === 'hdparm' || program === 'nvme' || program === 'zpool' || program === 'diskutil' || program === 'cryptsetup') {
        const readOnly = command.argv.some((a) => a === '-l' || a === '--list' || a === 'print' || a === '-p' || a === 'list' || a === 'status' || a === 'info' || a === '--help' || a === 'luksDump' || a === 'smart-log' || a === '-I');
        if (readOnly || command.argv.length < 2) return undefined;
        if (program === 'zpool' && !['destroy', 'labelclear', 'create'].includes(command.argv[1] ?? '')) return undefined;
        if (program === 'diskutil' && !/^(erase|partition|zero|secureErase|apfs)/i.test(command.argv[1] ?? '')) return undefined;
        if (program === 'cryptsetup' && !/^(luksFormat|erase|luksErase|reencrypt)$/.test(command.argv[1] ?? '')) return undefined;
        if (program === 'nvme' && !/^(format|sanitize|delete-ns)$/.test(command.argv[1] ?? '')) return undefined;
        if (program === 'hdparm' && !command.argv.some((a) => a.startsWith('--security-erase') || a === '--trim-sector-ranges')) return undefined;
      }
      if (command.argv.length < 2 || command.argv.includes('--help') || command.argv.includes('--version')) return undefined;
      return { message: `${program} rewrites a disk or partition; everything on it is destroyed.` };
    },
  }),
  defineRule({
    meta: { id: 'fs.redirect-truncate', severity: 'high', description: '`> file` truncating a protected, data, secret or system file.' },
    programs: '*',
    check(command, context) {
      const reports: Report[] = [];
      for (const redirect of command.redirects) {
        if (!(redirect.operator === '>' || redirect.operator === '>|' || redirect.operator === '&>' || redirect.operator === '>&')) continue;
        if (/^[0-9-]+$/.test(redirect.target)) continue;
        const kind = classifyPath(redirect.target, redirect.isDynamic, pathContext(command, context));
        if (kind === 'protected' || kind === 'system' || kind === 'catastrophic') {
          reports.push({ message: `\`> ${redirect.target}\` empties ${KIND_WORDS[kind]} before anything is written to it.`, safer: `\`>> ${redirect.target}\` appends instead; or write to a new file.`, resource: redirect.target });
        }
      }
      return reports;
    },
  }),
  defineRule({
    meta: { id: 'fs.tee-truncate', severity: 'high', description: '`… | tee FILE` (without -a) truncating a protected, data, secret or system file, like `> FILE`.' },
    programs: ['tee'],
    check(command, context) {
      if (command.argv.some((a) => a === '--append' || /^-[a-z]*a/.test(a))) return undefined;
      const reports: Report[] = [];
      for (const [i, target] of command.argv.entries()) {
        if (i === 0 || (target.startsWith('-') && target.length > 1)) continue;
        const kind = classifyPath(target, command.dynamic[i] ?? false, pathContext(command, context));
        if (kind === 'protected' || kind === 'system' || kind === 'catastrophic') {
          reports.push({ message: `\`tee ${target}\` empties ${KIND_WORDS[kind]} before writing to it.`, safer: `\`tee -a ${target}\` appends instead; or write to a new file.`, resource: target });
        }
      }
      return reports;
    },
  }),
  defineRule({
    meta: { id: 'fs.in-place-edit', severity: 'medium', description: 'sed -i / perl -i rewriting a protected, data, secret or system file in place without a backup copy.' },
    programs: ['sed', 'gsed', 'perl'],
    check(command, context) {
      const targets = inPlaceTargets(command);
      if (targets === undefined) return undefined;
      const reports: Report[] = [];
      for (const { file, isDynamic } of targets) {
        const kind = classifyPath(file, isDynamic, pathContext(command, context));
        if (kind !== 'protected' && kind !== 'system' && kind !== 'catastrophic') continue;
        reports.push({
          message: `${command.program} -i rewrites ${file} (${KIND_WORDS[kind]}) in place, with no copy of what was there: a wrong expression loses its content.`,
          safer: `keep a copy with a suffix (\`${command.program} -i.bak …\`), or write the result to a new file and compare.`,
          resource: file,
        });
      }
      return reports;
    },
  }),
  defineRule({
    meta: { id: 'fs.chmod-dangerous', severity: 'high', description: 'chmod/chown -R or world-writable modes on system folders or the root.' },
    programs: ['chmod', 'chown', 'chgrp'],
    check(command, context) {
      const args = command.argv.slice(1);
      const recursive = args.some((a) => a === '-R' || a === '--recursive' || /^-[a-zA-Z]*R/.test(a));
      const operands = args.filter((a) => !a.startsWith('-'));
      const targets = operands.slice(1);
      const mode = operands[0] ?? '';
      const worldWritable = command.program === 'chmod' && (/^0?[0-7]?[0-7][0-7][2367]$/.test(mode) || /a\+[rwx]*w|o\+[rwx]*w/.test(mode));
      const sensitive = targets.filter((t) => ['catastrophic', 'system'].includes(classifyPath(t, false, pathContext(command, context))));
      if (sensitive.length === 0) return undefined;
      if (recursive || worldWritable) {
        return { severity: sensitive.some((t) => t === '/' || t === '/*') ? 'critical' : 'high', message: `${command.program}${recursive ? ' -R' : ''} ${mode} on ${sensitive.join(', ')} changes the permissions of system files; services and logins can break.` };
      }
      return undefined;
    },
  }),
  defineRule({
    meta: { id: 'fs.mv-destroy', severity: 'high', description: 'mv onto /dev/null, moving away the root, home, .git or system folders, or mv/cp over protected, system or .git paths.' },
    programs: ['mv', 'cp'],
    check(command, context) {
      const program = command.program;
      const args = command.argv.slice(1);
      const optionsEnd = args.indexOf('--');
      const operands = args.filter((a, i) => (optionsEnd !== -1 && i > optionsEnd) || (!a.startsWith('-') && (optionsEnd === -1 || i < optionsEnd)));
      // `-t DIR` names the destination before the sources.
      const targetDirectory = args.find((a, i) => (args[i - 1] === '-t' || args[i - 1] === '--target-directory') && !a.startsWith('-'))
        ?? args.find((a) => a.startsWith('--target-directory='))?.slice('--target-directory='.length);
      if (targetDirectory !== undefined && operands[0] === targetDirectory) operands.shift();
      if (operands.length < (targetDirectory === undefined ? 2 : 1)) return undefined;
      // Options that never replace an existing file.
      if (args.some((a) => a === '--no-clobber' || a === '--update=none' || a === '--update=none-fail' || /^-[a-zA-Z]*n[a-zA-Z]*$/.test(a))) return undefined;
      const destination = targetDirectory ?? operands[operands.length - 1]!;
      const sources = targetDirectory === undefined ? operands.slice(0, -1) : operands;
      if (program === 'mv' && destination === '/dev/null') return { message: 'mv to /dev/null deletes the file.' };
      if (program === 'mv') {
        const moved = sources.filter((s) => ['catastrophic', 'system'].includes(classifyPath(s, false, pathContext(command, context))));
        if (moved.length > 0) return { message: `mv moves away ${moved.join(', ')}; what depends on it breaks.` };
      }
      const destinationIndex = command.argv.lastIndexOf(destination);
      const destinationKind = classifyPath(destination, command.dynamic[destinationIndex] ?? false, pathContext(command, context));
      if (destinationKind === 'protected' || destinationKind === 'system' || destinationKind === 'catastrophic') {
        const emptied = program === 'cp' && sources.length === 1 && sources[0] === '/dev/null';
        return {
          message: emptied ? `cp /dev/null ${destination} empties ${KIND_WORDS[destinationKind]}.` : `${program} overwrites ${destination} (${KIND_WORDS[destinationKind]}).`,
          safer: `${program} -n (never overwrite), or ${program === 'mv' ? 'move' : 'copy'} it to a new name first.`,
          resource: destination,
        };
      }
      return undefined;
    },
  }),
];

const SED_VALUE_OPTIONS = new Set(['-e', '--expression', '-f', '--file', '-l', '--line-length']);
const PERL_VALUE_OPTIONS = new Set(['-e', '-E', '-M', '-m', '-I', '-x', '-0', '-l', '-C', '-d']);

/**
 * The files `sed -i`/`perl -i` edit in place without keeping a copy (`-i.bak`, `--in-place=.orig`, BSD `-i .bak`
 * keep one), or undefined when the command edits nothing in place.
 */
function inPlaceTargets(command: SimpleCommand): { file: string; isDynamic: boolean }[] | undefined {
  const argv = command.argv;
  const isPerl = command.program === 'perl';
  let inPlace = false;
  let backup = false;
  let scriptGiven = false;
  const operands: { file: string; isDynamic: boolean }[] = [];
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--') { operands.push(...argv.slice(i + 1).map((file, j) => ({ file, isDynamic: command.dynamic[i + 1 + j] ?? false }))); break; }
    if (arg === '--in-place' || arg.startsWith('--in-place=')) { inPlace = true; backup ||= arg.length > '--in-place='.length; continue; }
    if (!isPerl && arg === '-I') { inPlace = true; continue; }
    const cluster = /^-([A-Za-z]*)i(.*)$/.exec(arg);
    if (cluster && !arg.startsWith('--') && !(isPerl && /[eEMmIx]/.test(cluster[1]!))) {
      inPlace = true;
      const suffix = cluster[2]!;
      // BSD sed: `-i ''` (no copy) or `-i .bak`; GNU sed and perl take the suffix only attached.
      if (suffix !== '' && !/^[a-zA-Z]*[eE]?$/.test(suffix)) backup = true;
      else if (suffix === '' && !isPerl && argv[i + 1] !== undefined && /^\.[A-Za-z0-9~_-]+$/.test(argv[i + 1]!)) { backup = true; i += 1; }
      else if (suffix === '' && !isPerl && argv[i + 1] === '') i += 1;
      if (/[eE]$/.test(suffix) || (isPerl && /[eE]/.test(suffix))) { scriptGiven = true; i += 1; }
      continue;
    }
    if ((isPerl ? PERL_VALUE_OPTIONS : SED_VALUE_OPTIONS).has(arg)) { if (arg === '-e' || arg === '--expression' || arg === '-f' || arg === '--file' || arg === '-E') scriptGiven = true; i += 1; continue; }
    if (/^-[A-Za-z]*[eE]$/.test(arg)) { scriptGiven = true; i += 1; continue; }
    if (arg.startsWith('-') && arg.length > 1) continue;
    if (!scriptGiven) { scriptGiven = true; continue; }
    operands.push({ file: arg, isDynamic: command.dynamic[i] ?? false });
  }
  return inPlace && !backup ? operands : undefined;
}

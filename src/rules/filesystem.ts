// Rule pack: deleting, truncating and overwriting files and disks.
import type { SimpleCommand } from '../shell/types.js';
import { classifyPath, type PathKind } from './paths.js';
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
        return { message: `rm -r deletes folders whose names are supplied at run time (${command.via[command.via.length - 1] ?? 'xargs'}); nobody has seen the list.`, safer: 'print the list first (drop the rm), then delete the folders by name.' };
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
      const risky = rm.targets
        .map((t) => ({ text: t.text, kind: classifyPath(t.text, t.isDynamic, pathContext(command, context)) }))
        .filter((t) => t.kind === 'protected' || t.kind === 'system' || t.kind === 'catastrophic' || (t.kind === 'ordinary' && /^\*$|\/\*$/.test(t.text)));
      if (risky.length === 0) return undefined;
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
    check(command) {
      let inExec = false;
      for (const arg of command.argv) {
        if (arg === '-exec' || arg === '-execdir' || arg === '-ok' || arg === '-okdir') inExec = true;
        else if (arg === ';' || arg === '+') inExec = false;
        else if (!inExec && arg === '-delete') {
          return { message: 'find -delete deletes every file the expression matches; one wrong test and far more goes.', safer: 'run the same find with -print first and check the list.' };
        }
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
    meta: { id: 'fs.mv-destroy', severity: 'high', description: 'mv onto /dev/null, or moving away the root, home, .git or system folders.' },
    programs: ['mv'],
    check(command, context) {
      const operands = command.argv.slice(1).filter((a) => !a.startsWith('-'));
      if (operands.length < 2) return undefined;
      const destination = operands[operands.length - 1]!;
      if (destination === '/dev/null') return { message: 'mv to /dev/null deletes the file.' };
      const moved = operands.slice(0, -1).filter((s) => ['catastrophic', 'system'].includes(classifyPath(s, false, pathContext(command, context))));
      if (moved.length > 0) return { message: `mv moves away ${moved.join(', ')}; what depends on it breaks.` };
      const destinationKind = classifyPath(destination, false, pathContext(command, context));
      if (destinationKind === 'protected' || destinationKind === 'system') return { message: `mv overwrites ${destination} (${KIND_WORDS[destinationKind]}).`, safer: 'move it to a new name first.' };
      return undefined;
    },
  }),
];

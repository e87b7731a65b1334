// Rule pack: copying to other machines: scp onto system folders, rsync that deletes at the destination.
import { defineRule, type Rule } from './rule.js';

const SCP_VALUE_OPTIONS = new Set(['-c', '-F', '-i', '-J', '-l', '-o', '-P', '-S', '-X', '-D']);
const REMOTE_SYSTEM_PATH = /^\/(etc|boot|usr|bin|sbin|lib|lib32|lib64|var\/lib|opt|root|sys|proc)?(\/|$)/;

export const remoteRules: readonly Rule[] = [
  defineRule({
    meta: { id: 'remote.scp-system-path', severity: 'high', description: 'scp onto system folders (or the root) of another machine.' },
    programs: ['scp', 'sftp'],
    check(command) {
      const operands: string[] = [];
      for (let i = 1; i < command.argv.length; i += 1) {
        const arg = command.argv[i]!;
        if (SCP_VALUE_OPTIONS.has(arg)) { i += 1; continue; }
        if (!arg.startsWith('-')) operands.push(arg);
      }
      if (operands.length < 2) return undefined;
      const destination = operands[operands.length - 1]!;
      const colon = destination.indexOf(':');
      if (colon < 0) return undefined;
      const remotePath = destination.slice(colon + 1);
      return REMOTE_SYSTEM_PATH.test(remotePath)
        ? { message: `scp overwrites files in ${remotePath} on ${destination.slice(0, colon)}: system files of another machine.`, safer: 'copy to a home or temporary folder there and move the file by hand.', resource: destination.slice(0, colon) }
        : undefined;
    },
  }),
  defineRule({
    meta: { id: 'remote.rsync-delete', severity: 'high', description: 'rsync --delete (and friends) deletes files at the destination; --remove-source-files deletes the source.' },
    programs: ['rsync'],
    check(command) {
      const args = command.argv.slice(1);
      const dryRun = args.some((a) => a === '--dry-run' || a === '-n' || /^-[a-zA-Z]*n[a-zA-Z]*$/.test(a) && !a.startsWith('--'));
      if (dryRun) return undefined;
      const deleting = args.find((a) => a === '--del' || a.startsWith('--delete'));
      if (deleting) return { message: `rsync ${deleting} deletes every file at the destination that the source lacks.`, safer: 'run it with --dry-run first and read the list of deletions.' };
      if (args.includes('--remove-source-files')) return { message: 'rsync --remove-source-files deletes the source files after copying them.', safer: 'copy first, check, then delete the source by name.' };
      return undefined;
    },
  }),
];

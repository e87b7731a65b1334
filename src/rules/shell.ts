// Rule pack: shell-level risks: running code that nobody can see (curl | sh, base64 -d | bash, bash <(curl …)).
import type { SimpleCommand } from '../shell/types.js';
import { interpreterLanguage } from '../shell/inline-code.js';
import { SHELLS } from '../shell/unwrap.js';
import { defineRule, type Rule } from './rule.js';

const FETCHERS = new Set(['curl', 'wget', 'fetch', 'http', 'https', 'xh', 'aria2c', 'nc', 'ncat', 'ssh']);

/** A shell or interpreter that reads its program from stdin (no `-c`, no script file). */
function readsProgramFromStdin(command: SimpleCommand): boolean {
  const args = command.argv.slice(1);
  if (SHELLS.has(command.program)) return !args.some((a) => /^-[a-z]*c/.test(a) || !a.startsWith('-') && !a.startsWith('+')) || args.includes('-s');
  if (interpreterLanguage(command.program)) return args.every((a) => a.startsWith('-') && !['-c', '-e', '-r', '--eval', '-p', '--print', '-m'].includes(a)) || args.includes('-');
  return false;
}

export const shellRules: readonly Rule[] = [
  defineRule({
    meta: { id: 'shell.pipe-to-shell', severity: 'high', description: 'Piping a download (or any output nobody has seen) into a shell or interpreter.' },
    programs: [...SHELLS, 'python', 'python3', 'node', 'perl', 'ruby', 'php'],
    check(command) {
      if (command.stdin?.kind !== 'pipe' || !readsProgramFromStdin(command)) return undefined;
      const from = command.stdin.from;
      // echo/printf and heredocs fed through cat are analysed as code by the shell analyser itself.
      if (from.program === 'echo' || from.program === 'printf' || (from.program === 'cat' && from.argv.length === 1 && from.stdin?.kind !== 'pipe')) return undefined;
      if (FETCHERS.has(from.program)) {
        return { message: `${from.program} … | ${command.program} runs a script straight from the network; nobody sees what it does before it runs.`, safer: `download it to a file, read it, then run it: \`${from.program} -o install.sh <url>\`.` };
      }
      return { severity: 'medium', message: `${command.program} runs code produced by \`${from.argv.join(' ').slice(0, 80)}\`; it cannot be checked before it runs.`, safer: 'write it to a file and read it first.' };
    },
  }),
  defineRule({
    meta: { id: 'shell.process-substitution-script', severity: 'high', description: 'Running a script from process substitution (`bash <(curl …)`, `source <(…)`).' },
    programs: [...SHELLS, 'source', '.'],
    check(command) {
      const index = command.argv.findIndex((a, i) => i > 0 && a.startsWith('<(') && command.dynamic[i]);
      if (index < 0) return undefined;
      const previous = command.argv[index - 1];
      if (SHELLS.has(command.program) && previous && /^-[a-z]*c$/.test(previous)) return undefined;
      return { message: `${command.program} ${command.argv[index]!.slice(0, 60)} runs code that is produced at run time; nobody sees it first.`, safer: 'save it to a file, read it, then run it.' };
    },
  }),
];

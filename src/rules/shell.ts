// Rule pack: shell-level risks: running code that nobody can see (curl | sh, base64 -d | bash, bash <(curl …)).
import type { SimpleCommand } from '../shell/types.js';
import { interpreterLanguage } from '../shell/inline-code.js';
import {
  FRESH_ENVIRONMENT_WRAPPERS, HOOKED_SHELLS, UNHOOKED_SHELLS, SHELL_OPENERS, shellName, startsInteractiveShell, userShell, zshSkipsStartupFiles,
} from '../shell/interactive-shell.js';
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

/**
 * The variables an interactive bash or zsh needs to load the terminal guard (src/hook/environment.ts): bash runs the
 * PROMPT_COMMAND bootstrap, zsh reads the hook's ZDOTDIR; both need the server's port and secret.
 */
const GUARD_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  bash: ['PROMPT_COMMAND', 'AGENT_GUARDRAILS_HOOK', 'AGENT_GUARDRAILS_PORT', 'AGENT_GUARDRAILS_SECRET'],
  zsh: ['ZDOTDIR', 'AGENT_GUARDRAILS_ZSH_HOOK', 'AGENT_GUARDRAILS_PORT', 'AGENT_GUARDRAILS_SECRET'],
};

/** Every variable a hooked shell needs, for a shell whose kind is not known (the target user's shell after `su`). */
const ANY_GUARD_VARIABLES = [...new Set(Object.values(GUARD_VARIABLES).flat())];

/**
 * Why this command starts an interactive shell without the terminal guard, or undefined. A shell reading a script
 * (file, `-c`, pipe, heredoc, `<`) is not interactive: the analyser reads that script itself.
 */
function unguardedShellReason(command: SimpleCommand): string | undefined {
  if (command.isRemote) return undefined;
  if (command.stdin !== undefined || command.redirects.some((r) => r.operator.startsWith('<'))) return undefined;
  if (!startsInteractiveShell(command.argv)) {
    const asUser = userShell(command.argv);
    return asUser === undefined ? undefined : asUser.unguarded ?? lostEnvironmentReason(command, ANY_GUARD_VARIABLES);
  }
  const name = shellName(command.argv)!;
  if (!HOOKED_SHELLS.has(name)) return `${name} has no hook`;
  const lost = lostEnvironmentReason(command, GUARD_VARIABLES[name] ?? []);
  if (lost !== undefined) return lost;
  if (name === 'zsh' && zshSkipsStartupFiles(command.argv)) return 'zsh -f skips the startup files that load the hook';
  if (name === 'bash' && command.argv.slice(1).some((a) => a === '--restricted' || /^-[A-Za-z]*r[A-Za-z]*$/.test(a))) return 'a restricted bash cannot load the hook';
  return undefined;
}

/** Why the wrappers or assignments in front of a shell take away the variables it needs to load the hook, or undefined. */
function lostEnvironmentReason(command: SimpleCommand, needed: readonly string[]): string | undefined {
  for (const label of command.via) {
    if (label === 'exec -c' || /^env -i\b/.test(label)) return `\`${label}\` clears the environment the hook loads from`;
    const fresh = FRESH_ENVIRONMENT_WRAPPERS.get(label);
    if (fresh !== undefined) return fresh;
    if (label.startsWith('env ')) {
      const removed = [...label.matchAll(/-u (\S+)/g)].map((m) => m[1]!).filter((v) => needed.includes(v));
      if (removed.length > 0) return `\`${label}\` removes ${removed.join(', ')}, which the hook needs`;
    }
  }
  for (const [variable, value] of command.assignments) {
    // `PROMPT_COMMAND="$PROMPT_COMMAND; x" bash` keeps the bootstrap; any other value replaces it.
    if (needed.includes(variable) && !value.includes(`$${variable}`) && !value.includes(`\${${variable}`)) return `${variable} is replaced, which the hook needs`;
  }
  return undefined;
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
  defineRule({
    meta: { id: 'shell.unguarded-shell', severity: 'medium', description: 'Starting an interactive shell without the terminal guard (`env -i bash`, `zsh -f`, `sh`, `fish`, `pwsh`, `sudo -i`, `su -`): commands typed there are not checked.' },
    programs: [...HOOKED_SHELLS, ...UNHOOKED_SHELLS, ...SHELL_OPENERS],
    check(command) {
      const why = unguardedShellReason(command);
      if (why === undefined) return undefined;
      return {
        message: `\`${command.text.slice(0, 80)}\` starts a shell without the terminal guard; commands typed there are not checked (${why}).`,
        safer: 'run the commands in this terminal itself, or start bash or zsh without clearing its environment.',
      };
    },
  }),
];

// The terminal environment that installs the shell hooks: what the extension puts in environmentVariableCollection.
import path = require('node:path');

export interface HookFiles {
  /** The folder holding hook.bash, hook.zsh and zdotdir/ (the extension's media/shell). */
  readonly shellDirectory: string;
  /** The generated prefilter (writePrefilterFile); in a folder the extension owns (global storage). */
  readonly prefilterFile: string;
  /** The PATH guard folder (installPathGuard), or undefined to run without it. */
  readonly guardDirectory?: string | undefined;
}

export interface HookServer {
  readonly port: number;
  readonly secret: string;
}

/** How one variable changes. `prepend`/`append` keep what the user has (PATH, PROMPT_COMMAND). */
export interface HookVariable {
  readonly name: string;
  readonly value: string;
  readonly mode: 'replace' | 'prepend';
}

/**
 * The PROMPT_COMMAND entry that loads the bash hook at the first prompt. `set -T` first, so a DEBUG trap the user's
 * .bashrc set stays visible to the hook when bash runs PROMPT_COMMAND at top level (without VS Code's integration).
 */
export const BASH_BOOTSTRAP = '[ -n "${__agent_guardrails_loaded-}" ] || { [ -r "${AGENT_GUARDRAILS_HOOK-}" ] && set -T && . "$AGENT_GUARDRAILS_HOOK"; }';

/**
 * The variables for terminals of this window. In VS Code set each with
 * `{ applyAtProcessCreation: true, applyAtShellIntegration: true }`: the second re-applies them after the user's
 * .bashrc, so a .bashrc that overwrites PROMPT_COMMAND does not drop the bootstrap. `userEnvironment` is
 * process.env, to chain an existing BASH_ENV and ZDOTDIR.
 */
export function hookVariables(server: HookServer, files: HookFiles, userEnvironment: NodeJS.ProcessEnv): HookVariable[] {
  const bashHook = path.join(files.shellDirectory, 'hook.bash');
  const variables: HookVariable[] = [
    { name: 'AGENT_GUARDRAILS_PORT', value: String(server.port), mode: 'replace' },
    { name: 'AGENT_GUARDRAILS_SECRET', value: server.secret, mode: 'replace' },
    { name: 'AGENT_GUARDRAILS_HOOK', value: bashHook, mode: 'replace' },
    { name: 'AGENT_GUARDRAILS_ZSH_HOOK', value: path.join(files.shellDirectory, 'hook.zsh'), mode: 'replace' },
    { name: 'AGENT_GUARDRAILS_PREFILTER', value: files.prefilterFile, mode: 'replace' },
    { name: 'BASH_ENV', value: bashHook, mode: 'replace' },
    // `; ` and not a newline: VS Code's shell integration reads VSCODE_ENV_PREPEND one line at a time.
    { name: 'PROMPT_COMMAND', value: `${BASH_BOOTSTRAP}; `, mode: 'prepend' },
    { name: 'ZDOTDIR', value: path.join(files.shellDirectory, 'zdotdir'), mode: 'replace' },
  ];
  const userBashEnv = userEnvironment['BASH_ENV'];
  if (userBashEnv !== undefined && userBashEnv !== '' && userBashEnv !== bashHook) {
    variables.push({ name: 'AGENT_GUARDRAILS_BASH_ENV', value: userBashEnv, mode: 'replace' });
  }
  const userZdotdir = userEnvironment['ZDOTDIR'];
  variables.push({ name: 'AGENT_GUARDRAILS_USER_ZDOTDIR', value: userZdotdir !== undefined && userZdotdir !== '' ? userZdotdir : (userEnvironment['HOME'] ?? ''), mode: 'replace' });
  if (files.guardDirectory !== undefined) {
    variables.push({ name: 'AGENT_GUARDRAILS_GUARD_DIR', value: files.guardDirectory, mode: 'replace' });
    variables.push({ name: 'PATH', value: `${files.guardDirectory}${path.delimiter}`, mode: 'prepend' });
  }
  return variables;
}

/** Applies the variables to an environment, as a terminal would get them (tests, `Run Command Guarded`). */
export function applyHookVariables(environment: NodeJS.ProcessEnv, variables: readonly HookVariable[]): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = { ...environment };
  for (const variable of variables) {
    result[variable.name] = variable.mode === 'prepend' ? `${variable.value}${result[variable.name] ?? ''}` : variable.value;
  }
  return result;
}

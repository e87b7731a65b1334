// Rule pack: releasing, unpublishing and retagging packages on public registries, and uninstalling Python packages.
import type { SimpleCommand } from '../shell/types.js';
import { optionValue, positionals } from '../shell/words.js';
import { defineRule, type Report, type Rule } from './rule.js';

const NODE_MANAGERS = ['npm', 'pnpm', 'yarn', 'bun'];
const PYTHONS = ['python', 'python3', 'py', 'python3.8', 'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14'];
/** Launchers that run a Python tool by name without the analyser unwrapping them (`python -m twine`, `uvx twine`, `pipx run twine`). */
const PYTHON_LAUNCHERS = [...PYTHONS, 'uvx', 'pipx', 'uv'];
const PYTHON_PUBLISHERS = ['twine', 'poetry', 'flit', 'hatch', 'pdm'];
const PIPS = ['pip', 'pip3', 'pip3.8', 'pip3.9', 'pip3.10', 'pip3.11', 'pip3.12', 'pip3.13', 'pip3.14'];
/** Release tools that publish to npm themselves. */
const NODE_RELEASERS = ['lerna', 'changeset', 'semantic-release', 'np', 'release-it'];
const MAVENS = ['mvn', 'mvnw', 'mvnd', 'mvnw.cmd', 'mvn.cmd'];
const GRADLES = ['gradle', 'gradlew', 'gradlew.bat', 'gradle.bat'];

const NPM_VALUE_OPTIONS = new Set(['--registry', '--tag', '--access', '--otp', '-w', '--workspace', '--prefix', '-C', '--dir', '--userconfig', '--cache',
  '--loglevel', '--filter', '-F', '--provenance-file', '--scope', '--cwd', '--report-summary', '--publish-branch']);
const CARGO_VALUE_OPTIONS = new Set(['--registry', '--index', '--token', '-p', '--package', '--manifest-path', '--target', '-j', '--jobs', '--features', '-F',
  '--config', '-Z', '--color', '--vers', '--version', '--target-dir', '--lockfile-path', '-a', '--add', '-r', '--remove']);
const PYTHON_TOOL_VALUE_OPTIONS = new Set(['-r', '--repository', '--repository-url', '-u', '--username', '-p', '--password', '--config-file', '--sign-with', '-i',
  '--identity', '--cert', '--client-cert', '--comment', '--index', '--index-url', '--publish-url', '--token', '--trusted-publishing', '-a', '--auth', '--check-url']);
const MAVEN_VALUE_OPTIONS = new Set(['-P', '--activate-profiles', '-pl', '--projects', '-f', '--file', '-s', '--settings', '-gs', '--global-settings', '-T', '--threads',
  '-rf', '--resume-from', '-l', '--log-file', '-b', '--builder', '-D', '--define', '-t', '--toolchains', '-gt', '--global-toolchains']);
const GRADLE_VALUE_OPTIONS = new Set(['-p', '--project-dir', '-b', '--build-file', '-c', '--settings-file', '-x', '--exclude-task', '-I', '--init-script', '-g',
  '--gradle-user-home', '--console', '--warning-mode', '--max-workers', '-D', '--system-prop', '-P', '--project-prop', '--priority', '--include-build']);
const DOTNET_VALUE_OPTIONS = new Set(['-s', '--source', '-k', '--api-key', '-ss', '--symbol-source', '-sk', '--symbol-api-key', '-t', '--timeout', '--configfile']);

/** `--dry-run`, `--dry-run=true`, `-n` where a tool uses it for a dry run. */
function isDryRun(args: readonly string[], ...extra: string[]): boolean {
  return args.some((a) => a === '--dry-run' || a === '--dry-run=true' || extra.includes(a));
}

/** The subcommand words of a CLI (positionals, lower case), skipping option values. */
function words(args: readonly string[], valueOptions: ReadonlySet<string>): string[] {
  return positionals(args, valueOptions).filter((w) => !w.startsWith('+')).map((w) => w.toLowerCase());
}

interface ToolCall { readonly tool: string; readonly args: readonly string[] }

/**
 * The Python tool a command runs: `twine …` itself, or through `python -m twine`, `uvx twine`, `pipx run twine`,
 * `uv tool run twine`, `uv pip …` (pip3 and pip3.12 are folded onto pip).
 */
function pythonTool(command: SimpleCommand): ToolCall | undefined {
  const argv = command.argv;
  const fold = (name: string): string => (/^pip[0-9.]*$/.test(name.toLowerCase()) ? 'pip' : name.toLowerCase());
  if (PYTHONS.includes(command.program)) {
    const m = argv.indexOf('-m');
    if (m < 1 || argv.slice(1, m).some((a) => !a.startsWith('-'))) return undefined;
    const module = argv[m + 1];
    return module ? { tool: fold(module), args: argv.slice(m + 2) } : undefined;
  }
  let start = 1;
  if (command.program === 'pipx' && argv[1] === 'run') start = 2;
  else if (command.program === 'uv' && argv[1] === 'tool' && argv[2] === 'run') start = 3;
  else if (command.program === 'uv' && argv[1] === 'pip') return { tool: 'pip', args: argv.slice(2) };
  else if (command.program === 'pipx') return undefined;
  else if (command.program === 'uv') return { tool: 'uv', args: argv.slice(1) };
  if (start > 1 || command.program === 'uvx') {
    const launcherValues = new Set(['--from', '--with', '-p', '--python', '--spec', '--index', '--index-url', '-w', '--with-requirements']);
    let i = start;
    while (i < argv.length && argv[i]!.startsWith('-')) i += !argv[i]!.includes('=') && launcherValues.has(argv[i]!) ? 2 : 1;
    const tool = argv[i];
    return tool ? { tool: fold(tool.replace(/[@=].*$/, '')), args: argv.slice(i + 1) } : undefined;
  }
  return { tool: fold(command.program), args: argv.slice(1) };
}

function nodeSub(command: SimpleCommand): { readonly words: string[]; readonly args: readonly string[] } {
  const args = command.argv.slice(1);
  const w = words(args, NPM_VALUE_OPTIONS);
  // Yarn 2+ spells registry commands `yarn npm publish`, `yarn npm tag remove`.
  return { words: command.program === 'yarn' && w[0] === 'npm' ? w.slice(1) : w, args };
}

/** A Gradle task that uploads to a remote repository (not `publishToMavenLocal`). */
function isGradlePublishTask(task: string): boolean {
  const name = task.slice(task.lastIndexOf(':') + 1);
  if (/tomavenlocal$/i.test(name)) return false;
  return /^publish($|[A-Z].*To[A-Z].*Repository$|Plugins$|ToSonatype$|AllPublicationsTo)/.test(name)
    || /^(uploadArchives|closeAndReleaseSonatypeStagingRepository|closeAndReleaseStagingRepositor(y|ies)|releaseSonatypeStagingRepository|jreleaserDeploy|jreleaserFullRelease)$/.test(name);
}

/** A Maven goal or phase that uploads artifacts or cuts a release. */
function isMavenPublishGoal(goal: string): boolean {
  return goal === 'deploy' || (/^(deploy|release|nexus-staging|central-publishing|jreleaser):/.test(goal) && !/^release:(prepare|clean|rollback|branch|update-versions)$/.test(goal));
}

const release = (tool: string, what: string, safer?: string): Report => ({
  message: `${tool} uploads ${what} to the package registry for everyone who installs from it; a released version cannot be taken back or reused.`,
  ...(safer ? { safer } : {}),
});

export const publishingRules: readonly Rule[] = [
  defineRule({
    meta: { id: 'publish.release', severity: 'medium', description: 'Publishing a package (npm/pnpm/yarn/bun publish, cargo publish, twine upload, gem push, mvn deploy, gradle publish, dotnet nuget push).' },
    programs: [...NODE_MANAGERS, ...NODE_RELEASERS, 'cargo', 'gem', 'dotnet', 'nuget', ...PYTHON_PUBLISHERS, ...PYTHON_LAUNCHERS, ...MAVENS, ...GRADLES],
    check(command) {
      const program = command.program;
      if (NODE_RELEASERS.includes(program)) {
        const args = command.argv.slice(1);
        const first = words(args, NPM_VALUE_OPTIONS)[0];
        if ((program === 'lerna' || program === 'changeset') && first !== 'publish') return undefined;
        if (isDryRun(args, '-d', '--preview', '--no-publish') || args.includes('--help')) return undefined;
        return release(program === 'lerna' || program === 'changeset' ? `${program} publish` : program, 'new versions of the packages', program === 'semantic-release' || program === 'release-it' ? `\`${program} --dry-run\` to see what would be released.` : undefined);
      }
      if (NODE_MANAGERS.includes(program)) {
        const { words: w, args } = nodeSub(command);
        if (w[0] !== 'publish' || isDryRun(args)) return undefined;
        const target = w[1];
        return { ...release(`${program} publish`, target ? `the package in ${target}` : 'this package'), safer: `\`${program === 'yarn' ? 'npm' : program} publish --dry-run\` (or \`npm pack\`) to see what would be published.`, ...(target ? { resource: target } : {}) };
      }
      if (program === 'cargo') {
        const args = command.argv.slice(1);
        if (words(args, CARGO_VALUE_OPTIONS)[0] !== 'publish' || isDryRun(args, '-n')) return undefined;
        const pkg = optionValue(args, ['-p', '--package']);
        return { ...release('cargo publish', pkg ? `the crate ${pkg}` : 'this crate', '`cargo publish --dry-run` to check the package first.'), ...(pkg ? { resource: pkg } : {}) };
      }
      if (program === 'gem') {
        const args = command.argv.slice(1);
        const w = words(args, new Set(['--host', '-k', '--key', '--otp', '-p', '--http-proxy']));
        return w[0] === 'push' ? { ...release('gem push', w[1] ? `the gem ${w[1]}` : 'a gem'), ...(w[1] ? { resource: w[1] } : {}) } : undefined;
      }
      if (program === 'dotnet' || program === 'nuget') {
        const args = command.argv.slice(1);
        const w = words(args, DOTNET_VALUE_OPTIONS);
        const push = program === 'dotnet' ? w[0] === 'nuget' && w[1] === 'push' : w[0] === 'push';
        return push ? release(`${program === 'dotnet' ? 'dotnet nuget' : 'nuget'} push`, 'the NuGet package') : undefined;
      }
      if (MAVENS.includes(program)) {
        const args = command.argv.slice(1);
        if (args.some((a) => /^-D(maven\.deploy\.skip|skipDeploy)(=true)?$/.test(a))) return undefined;
        const goal = positionals(args, MAVEN_VALUE_OPTIONS).find(isMavenPublishGoal);
        return goal ? release(`${program.replace(/\.cmd$/, '')} ${goal}`, 'the project\'s artifacts', `\`${program.replace(/\.cmd$/, '')} install\` or \`package\` to build them locally.`) : undefined;
      }
      if (GRADLES.includes(program)) {
        const args = command.argv.slice(1);
        if (args.includes('--dry-run') || args.includes('-m')) return undefined;
        const task = positionals(args, GRADLE_VALUE_OPTIONS).find(isGradlePublishTask);
        return task ? release(`${program.replace(/\.bat$/, '')} ${task}`, 'the project\'s publications', `\`${program.replace(/\.bat$/, '')} publishToMavenLocal\` to publish only to this machine.`) : undefined;
      }
      const call = pythonTool(command);
      if (!call) return undefined;
      const w = words(call.args, PYTHON_TOOL_VALUE_OPTIONS);
      const uploads = (call.tool === 'twine' && w[0] === 'upload') || (['poetry', 'flit', 'hatch', 'pdm', 'uv'].includes(call.tool) && w[0] === 'publish');
      if (!uploads || isDryRun(call.args)) return undefined;
      return release(`${call.tool} ${w[0]}`, 'the Python package', call.tool === 'twine' ? '`twine check dist/*` to validate, or upload to TestPyPI with `--repository testpypi`.' : undefined);
    },
  }),
  defineRule({
    meta: { id: 'publish.unpublish', severity: 'high', description: 'Removing published versions (npm unpublish, gem yank, cargo yank, dotnet nuget delete); npm unpublish --force is blocked.' },
    programs: [...NODE_MANAGERS, 'cargo', 'gem', 'dotnet', 'nuget'],
    check(command) {
      const program = command.program;
      const args = command.argv.slice(1);
      if (NODE_MANAGERS.includes(program)) {
        const { words: w } = nodeSub(command);
        if (w[0] !== 'unpublish' || isDryRun(args)) return undefined;
        const spec = w[1];
        const force = args.includes('--force') || args.includes('-f');
        const whole = spec === undefined || !spec.slice(1).includes('@');
        return {
          message: `${program} unpublish ${force && whole ? 'deletes the whole package' : `deletes ${spec ?? 'this package'}`} from the registry; everyone who depends on it breaks, and those versions can never be published again.`,
          safer: `\`npm deprecate ${spec ?? 'PACKAGE@VERSION'} "reason"\`, which warns users but keeps installs working.`,
          ...(force ? { severity: 'critical' as const } : {}),
          ...(spec ? { resource: spec } : {}),
        };
      }
      if (program === 'cargo') {
        if (words(args, CARGO_VALUE_OPTIONS)[0] !== 'yank' || args.includes('--undo')) return undefined;
        return { severity: 'medium', message: 'cargo yank marks the crate version as yanked, so new projects can no longer depend on it (`cargo yank --undo` reverts it).' };
      }
      if (program === 'gem') {
        const w = words(args, new Set(['-v', '--version', '--host', '-k', '--key', '--otp', '-p', '--platform']));
        if (w[0] !== 'yank') return undefined;
        return { message: `gem yank removes ${w[1] ? `the gem ${w[1]}` : 'a gem version'} from RubyGems; installs that pin it fail and the version cannot be pushed again.`, ...(w[1] ? { resource: w[1] } : {}) };
      }
      const w = words(args, DOTNET_VALUE_OPTIONS);
      const del = program === 'dotnet' ? w[0] === 'nuget' && w[1] === 'delete' : w[0] === 'delete';
      if (!del) return undefined;
      const pkg = program === 'dotnet' ? w[2] : w[1];
      return { message: `${program === 'dotnet' ? 'dotnet nuget' : 'nuget'} delete removes (unlists) ${pkg ?? 'a package version'} from the feed; projects restoring it can break.`, ...(pkg ? { resource: pkg } : {}) };
    },
  }),
  defineRule({
    meta: { id: 'publish.registry-change', severity: 'medium', description: 'Changing a published package: npm deprecate, dist-tag rm, owner rm, access changes; cargo owner --remove.' },
    programs: [...NODE_MANAGERS, 'cargo'],
    check(command) {
      const args = command.argv.slice(1);
      if (command.program === 'cargo') {
        if (words(args, CARGO_VALUE_OPTIONS)[0] !== 'owner') return undefined;
        const removed = args.find((a, i) => args[i - 1] === '--remove' || args[i - 1] === '-r') ?? args.find((a) => a.startsWith('--remove='))?.slice('--remove='.length);
        if (removed === undefined) return undefined;
        return { message: `cargo owner --remove takes ${removed} off the crate's owners; they can no longer publish or yank it.`, resource: removed };
      }
      const { words: w } = nodeSub(command);
      const [sub, action, target] = w;
      if (isDryRun(args)) return undefined;
      if (sub === 'deprecate') {
        return { message: `npm deprecate marks ${action ?? 'a package'} as deprecated for everyone who installs it.`, ...(action ? { resource: action } : {}) };
      }
      if ((sub === 'dist-tag' || sub === 'dist-tags' || sub === 'tag') && (action === 'rm' || action === 'remove')) {
        return { message: `${command.program} dist-tag rm removes a tag from ${target ?? 'the package'}; installs that ask for that tag fail.`, ...(target ? { resource: target } : {}) };
      }
      if ((sub === 'owner' || sub === 'author') && (action === 'rm' || action === 'remove')) {
        return { message: `npm owner rm takes ${target ?? 'a user'} off the package's maintainers; they can no longer publish it.`, ...(w[3] ? { resource: w[3] } : {}) };
      }
      if (sub === 'access' && (action === 'set' || action === 'grant' || action === 'revoke' || action === 'public' || action === 'restricted')) {
        return { message: `npm access ${action} changes who can see or publish the package; making a private package public exposes its code.` };
      }
      return undefined;
    },
  }),
  defineRule({
    meta: { id: 'publish.pip-uninstall', severity: 'medium', description: 'pip uninstall removes packages from the Python environment.' },
    programs: [...PIPS, ...PYTHON_LAUNCHERS],
    check(command) {
      const call = pythonTool(command);
      if (call?.tool !== 'pip') return undefined;
      const w = words(call.args, new Set(['-r', '--requirement', '--python', '--root', '--prefix', '--target', '--log', '--proxy', '--cache-dir', '--exists-action']));
      if (w[0] !== 'uninstall' || call.args.includes('--help') || call.args.includes('-h')) return undefined;
      const pkgs = w.slice(1);
      return {
        message: `pip uninstall removes ${pkgs.length > 0 ? pkgs.join(', ') : 'packages'} from this Python environment; code that imports ${pkgs.length > 1 ? 'them' : 'it'} stops working until it is reinstalled.`,
        safer: 'a separate virtual environment (`python -m venv .venv`) for experiments.',
        ...(pkgs.length === 1 ? { resource: pkgs[0]! } : {}),
      };
    },
  }),
];

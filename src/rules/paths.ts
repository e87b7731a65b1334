// Classifies the paths commands act on: the root, system folders, temporary and regenerable folders, protected files.
import path = require('node:path');
import { minimatch } from 'minimatch';

export type PathKind =
  /** Deleting it destroys the machine, the home folder, the whole workspace or its git history. */
  | 'catastrophic'
  /** Operating-system files (`/etc/…`, `/usr/…`, `/var/lib/…`, devices). */
  | 'system'
  /** Temporary files (`/tmp/…`, `$TMPDIR/…`): deleting them is routine. */
  | 'temporary'
  /** Build output and caches that a build recreates (`node_modules`, `dist`, `target`, `.cache`, …). */
  | 'regenerable'
  /** Files the policy protects, or that hold data or secrets (`.env`, `*.sqlite`, keys, `.git/…`). */
  | 'protected'
  /** The value is only known at run time (`$DIR/x`, `$(…)`). */
  | 'unknown'
  | 'ordinary';

export interface PathContext {
  readonly protectedPaths: readonly string[];
  /** On a remote machine, nothing is known to be temporary or regenerable. */
  readonly isRemote: boolean;
}

const CATASTROPHIC = new Set(['/', '/*', '~', '~/*', '.', './*', '..', '../*', '*', '.*', '.git', '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib32', '/lib64',
  '/opt', '/proc', '/root', '/sbin', '/srv', '/sys', '/usr', '/var', '/var/lib', '/var/log', '/usr/local', '/usr/bin', '/usr/lib', '/usr/share',
  '/Users', '/System', '/Library', '/Applications', '/private', '/mnt', '/media']);

const SYSTEM_PREFIXES = ['/etc/', '/usr/', '/boot/', '/bin/', '/sbin/', '/lib/', '/lib32/', '/lib64/', '/var/lib/', '/var/log/', '/var/spool/', '/var/mail/',
  '/opt/', '/srv/', '/root/', '/sys/', '/proc/', '/System/', '/Library/', '/Applications/'];
const HARMLESS_DEVICES = new Set(['/dev/null', '/dev/zero', '/dev/stdout', '/dev/stderr', '/dev/stdin', '/dev/tty', '/dev/random', '/dev/urandom', '/dev/full']);

/** Folders a build or package manager recreates; deleting them costs a rebuild, not data. */
export const REGENERABLE_FOLDERS: ReadonlySet<string> = new Set(['node_modules', 'dist', 'build', 'out', 'target', '.cache', '.next', '.nuxt', '.svelte-kit',
  '.turbo', '.parcel-cache', '.vite', 'coverage', '.nyc_output', '__pycache__', '.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox', '.gradle',
  '.angular', '.expo', '.docusaurus', '.vercel', '.output', 'bower_components', '.eslintcache', 'tmp', '.tmp', '.temp', 'temp', 'storybook-static', '.sass-cache',
  'obj', 'bin/Debug', 'bin/Release', 'cmake-build-debug', 'cmake-build-release', '.dart_tool', '.stack-work', 'dist-newstyle', '_build', 'deps', '.terraform']);

const REGENERABLE_FILE = /(\.pyc|\.pyo|\.o|\.class|\.tsbuildinfo|\.log)$/;
/** Files the system or an editor recreates. */
const REGENERABLE_FILE_NAMES: ReadonlySet<string> = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

/**
 * True when a file name or a `find -name` pattern names only build output or caches (`__pycache__`, `*.pyc`, `*.o`,
 * `node_modules`, `.DS_Store`).
 */
export function isRegenerableName(name: string): boolean {
  if (name === '' || name.includes('/')) return false;
  return REGENERABLE_FOLDERS.has(name) || REGENERABLE_FILE_NAMES.has(name) || REGENERABLE_FILE.test(name);
}

/** Built-in protected files (besides the policy's): data, secrets and version control. */
const BUILT_IN_PROTECTED = ['**/.env', '**/.env.*', '**/*.sqlite', '**/*.sqlite3', '**/*.db', '**/.git', '**/.git/**', '**/id_rsa*', '**/id_ed25519*', '**/*.pem', '**/*.key',
  '**/.ssh/**', '**/.aws/credentials', '**/.kube/config', '**/*.tfstate', '**/*.tfstate.backup',
  // Shell start-up files: emptying or replacing them breaks every new shell (and drops the terminal guard's hook).
  '**/.bashrc', '**/.bash_profile', '**/.bash_login', '**/.profile', '**/.zshrc', '**/.zshenv', '**/.zprofile', '**/.zlogin', '**/.config/fish/config.fish'];

const TMPDIR_PREFIX = /^(\$TMPDIR|\$\{TMPDIR\}|\$\{TMPDIR:-\/tmp\}|\$\{TMPDIR:-\/var\/tmp\})(?=\/|$)/;

/** Classifies one path argument as written on the command line (after quote removal). */
export function classifyPath(raw: string, isDynamic: boolean, context: PathContext): PathKind {
  let target = raw.trim();
  if (target === '') return 'ordinary';
  if (/^(\$HOME|\$\{HOME\}|~)(\/\*?)?$/.test(target) || target === '~/') return 'catastrophic';
  let isTemporaryRoot = false;
  if (TMPDIR_PREFIX.test(target)) { target = target.replace(TMPDIR_PREFIX, '/tmp'); isTemporaryRoot = true; }
  else if (isDynamic || target.includes('$') || target.includes('`')) return 'unknown';
  if (target.startsWith('~/')) target = `/home/~/${target.slice(2)}`;
  const normalized = normalize(target);
  if (CATASTROPHIC.has(normalized) || CATASTROPHIC.has(target) || /(^|\/)\.git\/?$/.test(normalized)) return 'catastrophic';
  if (/^\/home\/[^/]+\/?$/.test(normalized) || normalized === '/home/~') return 'catastrophic';
  if (!context.isRemote && (isTemporaryRoot || isTemporary(normalized))) return 'temporary';
  if (normalized.startsWith('/dev/')) return HARMLESS_DEVICES.has(normalized) ? 'ordinary' : 'system';
  if (SYSTEM_PREFIXES.some((p) => normalized.startsWith(p))) return 'system';
  if (isProtected(normalized, context.protectedPaths)) return 'protected';
  if (!context.isRemote && isRegenerable(normalized)) return 'regenerable';
  return 'ordinary';
}

function normalize(target: string): string {
  const normalized = path.posix.normalize(target);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

function isTemporary(normalized: string): boolean {
  return /^\/(tmp|var\/tmp|private\/tmp|dev\/shm)(\/|$)/.test(normalized);
}

function isRegenerable(normalized: string): boolean {
  if (normalized.startsWith('/') || normalized.startsWith('..')) return false;
  const base = normalized.replace(/^\.\//, '');
  const last = base.slice(base.lastIndexOf('/') + 1);
  if (REGENERABLE_FOLDERS.has(last) || REGENERABLE_FOLDERS.has(base)) return true;
  return REGENERABLE_FILE.test(last);
}

const builtInMatchers = BUILT_IN_PROTECTED.map((glob) => minimatch.makeRe(glob, { dot: true })).filter((r): r is RegExp => r !== false);
const policyMatcherCache = new Map<string, RegExp | false>();

/** True when a path is protected by the policy (`.env*`, `migrations/**`) or is built-in sensitive data. */
export function isProtected(target: string, protectedPaths: readonly string[]): boolean {
  const relative = target.replace(/^\.\//, '');
  const candidates = relative.endsWith('/') ? [relative.slice(0, -1)] : [relative];
  for (const candidate of candidates) {
    if (builtInMatchers.some((re) => re.test(candidate) || re.test(`./${candidate}`))) return true;
    for (const glob of protectedPaths) {
      let matcher = policyMatcherCache.get(glob);
      if (matcher === undefined) {
        matcher = minimatch.makeRe(glob.startsWith('/') || glob.startsWith('**/') ? glob : `{,**/}${glob}`, { dot: true });
        policyMatcherCache.set(glob, matcher);
      }
      // A folder that holds protected files is protected too (`rm -r migrations` with `migrations/**`).
      if (matcher !== false && (matcher.test(candidate) || matcher.test(`${candidate}/x`))) return true;
    }
  }
  return false;
}

// Rule pack: management CLIs of hosted services (API gateways, backups, CDNs, CI, feature flags, queues,
// monitoring, payments, search, secrets, service discovery) and the GitHub/GitLab CLIs.
import type { SimpleCommand } from '../shell/types.js';
import { hasLongOption, optionValue, positionals } from '../shell/words.js';
import { defineRule, type Report, type Rule, type Severity } from './rule.js';

// ── Shared helpers (also used by the cloud and platform packs) ────────────────────────────────────────────────

/** A destructive verb found among a CLI's command words. */
export interface VerbHit {
  /** The word as written, lower case (`delete`, `delete-job`, `forget_cluster_node`). */
  readonly word: string;
  /** The verb family it belongs to (`delete`, `clear`, `forget`). */
  readonly root: string;
  /** The index of the word among the command words. */
  readonly at: number;
}

/** Verbs that destroy or replace something; the brief's list, kept in one place. */
const DESTRUCTIVE_VERBS = new Set([
  'delete', 'del', 'destroy', 'remove', 'rm', 'rb', 'purge', 'prune', 'drop', 'truncate', 'wipe', 'reset', 'flush', 'forget',
  'clear', 'cleanup', 'compact', 'terminate', 'revoke', 'disable', 'archive', 'uninstall', 'unregister', 'deregister',
  'unsubscribe', 'untag', 'roll', 'recreate', 'cancel',
]);
/** `delete-job`, `remove-secret`, `clear_permissions`, `forget_cluster_node`: a verb joined to its object. */
const PREFIXED_VERB = /^(delete|remove|clear|forget|purge|destroy|drop|truncate|wipe|reset|flush|revoke|disable|uninstall|unregister|deregister|terminate)[-_][a-z]/;
/** Verbs whose effect is usually recoverable (re-enable, unarchive, re-register): confirm at `medium`. */
const MEDIUM_VERBS = new Set(['disable', 'archive', 'unsubscribe', 'untag', 'cancel', 'revoke', 'roll', 'compact', 'cleanup', 'unregister', 'deregister', 'uninstall']);
/** Words after which the rest of the line is arguments of a read-only or additive command: scanning stops there. */
const SAFE_VERBS = new Set([
  'list', 'ls', 'get', 'describe', 'show', 'status', 'info', 'view', 'help', 'create', 'update', 'enable',
  'copy', 'cp', 'check', 'stats', 'find', 'snapshots', 'mount', 'logs', 'log', 'read', 'search', 'diff', 'dump', 'cat',
  'stat', 'pub', 'sub', 'request', 'reply', 'bench', 'whoami', 'lookup', 'login', 'logout', 'watch', 'tail', 'export', 'validate',
  'lint', 'run', 'exec', 'put', 'set', 'add', 'write', 'inspect', 'open', 'test', 'init', 'config', 'configure', 'setup',
  'import', 'clone', 'browse', 'apply', 'build', 'trigger', 'listen', 'keys', 'tree', 'health', 'query', 'report', 'ping',
]);

/** The command words of a CLI call: its positionals in lower case, after the global options that take a value. */
export function commandWords(command: SimpleCommand, valueOptions: ReadonlySet<string>, from = 1): string[] {
  return positionals(command.argv.slice(from), valueOptions).map((w) => w.toLowerCase());
}

/** The destructive verb family of one word, if it is one (`extra` adds verbs a particular CLI uses). */
export function verbRoot(word: string, extra: ReadonlySet<string> = NO_WORDS): string | undefined {
  if (DESTRUCTIVE_VERBS.has(word)) return word;
  const prefixed = PREFIXED_VERB.exec(word);
  if (prefixed) return prefixed[1];
  return extra.has(word) ? word : undefined;
}

/**
 * The first destructive verb among the first `depth` command words. Scanning stops at a read-only verb (`get`,
 * `list`) or at a word that is clearly data (a path, `key=value`, an e-mail), so `vault kv get secret/reset` is fine.
 */
export function findVerb(words: readonly string[], depth: number, extra: ReadonlySet<string> = NO_WORDS): VerbHit | undefined {
  const end = Math.min(depth, words.length);
  for (let at = 0; at < end; at += 1) {
    const word = words[at]!;
    if (/[/=@]/.test(word)) return undefined;
    // A safe verb may be a command group's name (`gcloud run services delete`, `az search service delete`): it is the
    // verb only when no destructive verb follows it among the remaining command words.
    if (SAFE_VERBS.has(word)) return destructiveVerbAfterGroup(words, at + 1, end, extra);
    const root = verbRoot(word, extra);
    if (root !== undefined) return { word, root, at };
  }
  return undefined;
}

/**
 * The destructive verb after a safe-verb word that names a group (`run services delete`): a sub-group's name must
 * stand between (a word right after a read-only verb is its data: `gcloud logging read delete`), and only plain
 * command-path words.
 */
function destructiveVerbAfterGroup(words: readonly string[], from: number, end: number, extra: ReadonlySet<string>): VerbHit | undefined {
  for (let at = from; at < end; at += 1) {
    const word = words[at]!;
    if (!/^[a-z][a-z0-9_-]*$/.test(word)) return undefined;
    const root = at > from ? verbRoot(word, extra) : undefined;
    if (root !== undefined) return { word, root, at };
  }
  return undefined;
}

/** True when any of the options is present (`--dry-run`, `--dry-run=true`); `--dry-run=false` does not count. */
export function hasAnyOption(args: readonly string[], names: readonly string[]): boolean {
  return args.some((a) => names.some((n) => a === n || (a.startsWith(`${n}=`) && !/=(false|0|no)$/i.test(a))));
}

const NO_WORDS: ReadonlySet<string> = new Set();
const DRY_RUN = ['--dry-run', '--dryrun', '--dry_run', '-dry-run'];

const VERB_EFFECT: Readonly<Record<string, string>> = {
  delete: 'deletes', del: 'deletes', destroy: 'destroys', remove: 'removes', rm: 'removes', rb: 'removes', purge: 'purges (empties)',
  prune: 'prunes (deletes old entries of)', drop: 'drops', truncate: 'empties', wipe: 'wipes', reset: 'resets (erases)',
  flush: 'flushes', forget: 'forgets (deletes)', clear: 'clears', cleanup: 'cleans up (permanently deletes old data of)',
  compact: 'compacts (frees deleted data of)', terminate: 'terminates', revoke: 'revokes', disable: 'disables', archive: 'archives',
  uninstall: 'uninstalls', unregister: 'unregisters', deregister: 'deregisters', unsubscribe: 'unsubscribes', untag: 'untags',
  roll: 'rolls (replaces and invalidates)', recreate: 'rewrites', cancel: 'cancels', sync: 'overwrites to match a local file',
  activate: 'activates (puts live)', stop: 'stops', clean: 'erases', deletefile: 'deletes', undeploy: 'undeploys', unlist: 'unlists',
};

export function verbEffect(root: string): string {
  return VERB_EFFECT[root] ?? 'changes';
}

// ── The generic rule for service CLIs ─────────────────────────────────────────────────────────────────────────

interface Special {
  /** Tested against the command words up to and including the verb, joined by spaces (`kv metadata delete`). */
  readonly path: RegExp;
  /** An extra condition on the arguments (`--prefix`). */
  readonly when?: (args: readonly string[]) => boolean;
  readonly severity: Severity;
  readonly message?: string;
  readonly safer?: string;
}

interface ServiceCli {
  readonly programs: readonly string[];
  /** The product, for messages (`HashiCorp Vault`). */
  readonly label: string;
  /** Options (global or common) that take a value, so their values are not read as command words. */
  readonly valueOptions?: readonly string[];
  /** How many command words can hold the verb (`fastly logging s3 delete` needs 4). */
  readonly depth?: number;
  /** Verbs this CLI uses besides the common ones. */
  readonly verbs?: readonly string[];
  /** Words that are not destructive for this CLI although they look it (`op account forget` only forgets a local login). */
  readonly harmless?: RegExp;
  /** The first command word must match (the program name is shared with another tool: coreutils `split`). */
  readonly firstWord?: RegExp;
  /** Severity and wording for particular commands, first match wins. */
  readonly special?: readonly Special[];
  /** Options that make the command a preview. */
  readonly dryRun?: readonly string[];
  /** The safer alternative to suggest by default. */
  readonly safer?: string;
  /** Options that name the target when it is not the word after the verb. */
  readonly targetOptions?: readonly string[];
  /** The target is the last command word (`circleci context delete ORG CONTEXT`). */
  readonly targetLast?: boolean;
}

const SERVICE_CLIS: readonly ServiceCli[] = [
  { programs: ['apigeecli'], label: 'Apigee', verbs: ['undeploy'], valueOptions: ['-o', '--org', '-t', '--token', '--region'], targetOptions: ['--name', '-n', '--email'],
    special: [{ path: /^(orgs|organizations) delete/, severity: 'critical' }], safer: '`apigeecli … get`/`list` to review it, and export it first.' },
  { programs: ['kong'], label: 'Kong', special: [{ path: /^migrations reset/, severity: 'critical', message: '`kong migrations reset` drops every table of the Kong database: all services, routes, plugins and consumers are lost.', safer: '`kong config db_export` first, and reset only a throw-away database.' }] },
  { programs: ['deck'], label: 'Kong decK', verbs: ['sync'], valueOptions: ['--kong-addr', '--headers', '--select-tag', '-s', '--state', '--workspace', '-w'],
    special: [
      { path: /^(gateway )?reset/, severity: 'high', message: '`deck reset` deletes every entity (services, routes, plugins, consumers) from the Kong gateway.', safer: '`deck dump` first, or `deck diff` to see what would change.' },
      { path: /^(gateway )?sync/, severity: 'high', message: '`deck sync` makes the gateway match the file, deleting every entity the file does not list.', safer: '`deck diff` (or `deck gateway diff`) to preview the changes.' },
    ] },
  { programs: ['velero'], label: 'Velero', valueOptions: ['-n', '--namespace', '--kubeconfig', '--kubecontext'],
    special: [
      { path: /^(uninstall)/, severity: 'high', message: '`velero uninstall` removes Velero and its resources from the cluster; scheduled backups stop.' },
    ], safer: '`velero backup describe` / `get` to review it first.' },
  { programs: ['wrangler'], label: 'Cloudflare', depth: 4, valueOptions: ['-c', '--config', '-e', '--env', '--name', '--account-id', '--binding', '--namespace-id'],
    special: [
      { path: /^delete$/, severity: 'high', message: '`wrangler delete` deletes the Worker and its routes from Cloudflare; its traffic stops.', safer: '`wrangler deployments list` to review it, or roll back a version instead.' },
      { path: /^(d1|vectorize) delete/, severity: 'critical', message: 'wrangler deletes the Cloudflare database with all its data; it cannot be undone.', safer: '`wrangler d1 export` first.' },
      { path: /^(kv:namespace|kv namespace) delete/, severity: 'high', message: 'wrangler deletes the KV namespace with every key in it.' },
      { path: /^(kv:key|kv key|r2 object|secret) delete/, severity: 'medium' },
    ] },
  { programs: ['fastly'], label: 'Fastly', depth: 4, verbs: ['activate'], valueOptions: ['-s', '--service-id', '--service-name', '--version', '--token', '-t', '--profile', '-o'], targetOptions: ['--name', '-n', '--service-id', '-s', '--id'],
    special: [
      { path: /^service delete/, severity: 'high', message: '`fastly service delete` deletes the whole Fastly service, and traffic to its domains stops.' },
      { path: /activate$/, severity: 'medium', message: '`fastly service version activate` puts a service version live for every visitor at once.', safer: '`fastly service-version diff` or validate the version first.' },
      { path: /^purge/, severity: 'medium', message: '`fastly purge` empties the CDN cache; every request goes to the origin until it refills.' },
    ] },
  { programs: ['circleci'], label: 'CircleCI', targetLast: true, safer: '`circleci context show` / `list` to review it first.' },
  { programs: ['gitlab-runner'], label: 'GitLab Runner', safer: '`gitlab-runner list` to see the runners, and `verify` to check them.' },
  { programs: ['jenkins-cli'], label: 'Jenkins', depth: 1, verbs: ['shutdown', 'safe-shutdown', 'restart', 'safe-restart'], valueOptions: ['-s', '-auth', '-i', '-user', '-logger', '-p'],
    special: [
      { path: /^(safe-)?(shutdown|restart)$/, severity: 'medium', message: 'jenkins-cli stops the Jenkins controller; running builds are lost or delayed.' },
      { path: /^delete-builds$/, severity: 'high', message: '`delete-builds` deletes build records with their logs and artefacts.' },
    ], safer: '`get-job` / `list-jobs` to review it, and back up the job config first.' },
  { programs: ['flipt'], label: 'Flipt', safer: '`flipt export` first, and `flipt flag get` to review it.' },
  { programs: ['ldcli'], label: 'LaunchDarkly', safer: '`ldcli … get` to review it first.' },
  { programs: ['split'], label: 'Split.io', firstWord: /^(splits|environments|segments|traffic-types|workspaces|attributes|flags|feature-flags|users|groups|api-keys|rollout-statuses|tags)$/ },
  { programs: ['unleash'], label: 'Unleash' },
  { programs: ['nats'], label: 'NATS', depth: 2, verbs: ['rmm'], valueOptions: ['-s', '--server', '--context', '--creds', '--user', '--password', '--nkey', '--tlscert', '--tlskey', '--tlsca', '--timeout', '--js-domain'],
    special: [
      { path: /^(stream|str|kv|object|obj) (purge|rm|delete|del)$/, severity: 'high' },
      { path: /rmm$/, severity: 'medium', message: '`nats stream rmm` deletes a message from the stream.' },
    ], safer: '`nats stream info` / `nats kv get` to review it first.' },
  { programs: ['rabbitmqadmin'], label: 'RabbitMQ', valueOptions: ['-H', '--host', '-P', '--port', '-V', '--vhost', '-u', '--username', '-p', '--password', '-U', '--base-uri', '-c', '--config', '-N', '--node', '-f', '--format', '-d', '--depth'],
    safer: '`rabbitmqadmin list …` to review it first.' },
  { programs: ['rabbitmqctl'], label: 'RabbitMQ', depth: 1, verbs: ['stop_app', 'stop', 'force_reset'], valueOptions: ['-n', '--node', '-p', '--vhost', '-t', '--timeout'],
    special: [
      // Not critical: `stop_app; reset; join_cluster` is the documented way to (re)join a cluster with a fresh node.
      { path: /^(reset|force_reset)$/, severity: 'high', message: 'rabbitmqctl reset wipes the node: every queue, message, user, vhost and permission on it is deleted.', safer: '`rabbitmqctl export_definitions` first.' },
      { path: /^(stop_app|stop)$/, severity: 'medium', message: 'rabbitmqctl stops the RabbitMQ node; clients lose their connections.' },
      { path: /^forget_cluster_node$/, severity: 'high', message: '`rabbitmqctl forget_cluster_node` removes a node from the cluster; its queues and their messages are lost.' },
    ], safer: '`rabbitmqctl list_…` to review it first.' },
  { programs: ['datadog-ci'], label: 'Datadog' },
  { programs: ['newrelic'], label: 'New Relic', depth: 4 },
  { programs: ['pd'], label: 'PagerDuty' },
  { programs: ['splunk'], label: 'Splunk', depth: 2, verbs: ['clean'], valueOptions: ['-auth', '-uri'],
    special: [{ path: /^clean/, severity: 'critical', message: '`splunk clean` erases indexed data (or users, or the KV store) from the Splunk instance permanently.', safer: 'delete specific events with a search and `| delete`, or back up the index first.' }] },
  { programs: ['stripe'], label: 'Stripe', valueOptions: ['--api-key', '--project-name', '-p', '--color', '--log-level', '--config', '--device-name'],
    special: [{ path: /^api_keys roll/, severity: 'high', message: '`stripe api_keys roll` replaces the API key; every service using the old key stops working.', safer: 'roll the key in the Dashboard with an expiry for the old one.' }],
    safer: '`stripe … retrieve`/`list` to review it first.' },
  { programs: ['algolia'], label: 'Algolia', valueOptions: ['--profile', '-p', '--application-id', '--api-key'],
    special: [{ path: /^indices (delete|clear)/, severity: 'high' }], safer: '`algolia indices browse` (or an export) first.' },
  { programs: ['op'], label: '1Password', harmless: /^(account forget|signout)/, valueOptions: ['--account', '--vault', '--config', '--session', '--format', '--encoding', '--iso-timestamps'],
    special: [
      { path: /^vault delete/, severity: 'critical', message: '`op vault delete` deletes the 1Password vault with every item in it; they cannot be recovered.', safer: 'move the items you need to another vault first, or archive items one by one.' },
      { path: /delete/, when: (args) => args.includes('--archive'), severity: 'medium', message: 'op … delete --archive moves the 1Password entry to the archive, where it can be restored.' },
      { path: /delete/, severity: 'high' },
    ], safer: '`op item delete --archive` keeps it recoverable; `op item get` to review it.' },
  { programs: ['vault'], label: 'HashiCorp Vault', verbs: ['seal', 'step-down'], valueOptions: ['-namespace', '--namespace', '-ns', '-address', '--address', '-mount', '--mount', '-format', '--format'],
    special: [
      { path: /^secrets disable/, severity: 'critical', message: '`vault secrets disable` unmounts the secrets engine and deletes every secret stored in it.', safer: '`vault secrets list` and move or tune the engine instead.' },
      { path: /^kv (destroy|metadata delete)/, severity: 'high', message: 'vault kv destroy / metadata delete removes secret versions permanently; they cannot be undeleted.', safer: '`vault kv delete` (soft delete, undeletable) or `vault kv get` to review it.' },
      { path: /^kv delete/, severity: 'medium', message: '`vault kv delete` soft-deletes the latest version of the secret; `vault kv undelete` can bring it back.' },
      { path: /^operator (seal|step-down)$/, severity: 'medium', message: 'vault operator seal/step-down takes the Vault server out of service until it is unsealed or re-elected; every client request fails meanwhile.' },
      { path: /^auth disable/, severity: 'high', message: '`vault auth disable` removes the auth method and revokes every token it issued.' },
    ], safer: '`vault read` / `vault kv get` to review it, and keep a copy first.' },
  { programs: ['doppler'], label: 'Doppler', valueOptions: ['-p', '--project', '-c', '--config', '--token', '--scope'],
    special: [{ path: /^projects delete/, severity: 'critical', message: '`doppler projects delete` deletes the project with every config and secret in it.', safer: '`doppler secrets download` first.' }] },
  { programs: ['consul'], label: 'Consul', verbs: ['force-leave', 'leave'], valueOptions: ['-http-addr', '-token', '-datacenter', '-namespace', '-partition'],
    special: [
      { path: /^snapshot restore/, severity: 'high', message: '`consul snapshot restore` replaces the whole cluster state with the snapshot.' },
      { path: /(force-)?leave$/, severity: 'medium', message: 'consul leave takes the agent out of the cluster.' },
    ] },
  { programs: ['nomad'], label: 'Nomad', verbs: ['stop', 'purge', 'drain'], valueOptions: ['-address', '-namespace', '-region', '-token'],
    special: [
      { path: /^(job )?stop$/, severity: 'high', message: '`nomad job stop` stops every allocation of the job (with -purge it is also removed from Nomad).', safer: '`nomad job status` first.' },
      { path: /drain$/, severity: 'medium', message: '`nomad node drain` moves every allocation off the node.' },
    ] },
  { programs: ['etcdctl'], label: 'etcd', depth: 2, valueOptions: ['--endpoints', '--user', '--password', '--cacert', '--cert', '--key', '-w', '--write-out', '--command-timeout', '--dial-timeout'],
    special: [
      { path: /^del$/, when: (args) => hasAnyOption(args, ['--prefix', '--from-key']), severity: 'high', message: '`etcdctl del --prefix` deletes every key under the prefix (with an empty prefix: the whole keyspace).', safer: '`etcdctl get --prefix --keys-only` to list the keys first.' },
      { path: /^del$/, severity: 'medium', safer: '`etcdctl get` the key first.' },
    ] },
];

const SERVICE_BY_PROGRAM = new Map<string, ServiceCli>();
for (const cli of SERVICE_CLIS) for (const program of cli.programs) SERVICE_BY_PROGRAM.set(program, cli);

/**
 * The resource a command targets: the value of a naming option, a `name=x` argument (rabbitmqadmin), the last
 * word (`targetLast`), or the word after the verb. `words` are as written: resource names keep their case.
 */
function targetOf(words: readonly string[], verbAt: number, args: readonly string[], cli: ServiceCli): string | undefined {
  const byOption = optionValue(args, cli.targetOptions ?? ['--name']);
  if (byOption !== undefined) return byOption;
  const named = words.slice(verbAt + 1).find((w) => w.startsWith('name='));
  if (named !== undefined) return named.slice(5);
  return cli.targetLast && words.length > verbAt + 1 ? words[words.length - 1] : words[verbAt + 1];
}

function quoted(resource: string | undefined): string {
  return resource ? ` "${resource}"` : '';
}

/** The generic check: a destructive verb among the first command words of a known service CLI. */
export function checkServiceCli(cli: ServiceCli, command: SimpleCommand, args: readonly string[], name = command.program): Report | undefined {
  const original = positionals(args, new Set(cli.valueOptions ?? []));
  const words = original.map((w) => w.toLowerCase());
  if (words.length === 0) return undefined;
  if (cli.firstWord && !cli.firstWord.test(words[0]!)) return undefined;
  if (hasAnyOption(args, cli.dryRun ?? DRY_RUN)) return undefined;
  const hit = findVerb(words, cli.depth ?? 3, new Set(cli.verbs ?? []));
  if (!hit) return undefined;
  const path = words.slice(0, hit.at + 1).join(' ');
  if (cli.harmless?.test(path)) return undefined;
  const resource = targetOf(original, hit.at, args, cli);
  const special = cli.special?.find((s) => s.path.test(path) && (s.when === undefined || s.when(args)));
  const severity: Severity = special?.severity ?? (MEDIUM_VERBS.has(hit.root) ? 'medium' : 'high');
  const shown = `${name} ${path}`;
  const message = special?.message ?? `\`${shown}\` ${verbEffect(hit.root)}${quoted(resource) || ' the target'} in ${cli.label}${severity === 'medium' ? '.' : '; it cannot be undone.'}`;
  const safer = special?.safer ?? cli.safer ?? `\`${name} ${words.slice(0, hit.at).join(' ')}${hit.at > 0 ? ' ' : ''}get\`/\`list\` to review it first.`;
  return { severity, message, safer, ...(resource ? { resource } : {}) };
}

/** `java -jar jenkins-cli.jar -s URL delete-job x` → the jenkins-cli arguments. */
function jenkinsJarArgs(command: SimpleCommand): string[] | undefined {
  const argv = command.argv;
  const jar = argv.indexOf('-jar');
  if (jar < 0) return undefined;
  const path = argv[jar + 1];
  if (path === undefined || !/(^|\/)jenkins-cli[^/]*\.jar$/i.test(path)) return undefined;
  return argv.slice(jar + 2);
}

// ── Rules with their own logic ────────────────────────────────────────────────────────────────────────────────

const RCLONE_VALUE_OPTIONS = new Set(['--config', '--transfers', '--checkers', '--bwlimit', '--include', '--exclude', '--filter', '--include-from', '--exclude-from', '--filter-from', '--files-from', '--min-age', '--max-age', '--min-size', '--max-size', '--backup-dir', '--suffix', '--log-file', '--log-level', '--stats', '--max-delete', '--max-transfer', '--order-by', '--track-renames-strategy', '--compare-dest', '--copy-dest', '--dedupe-mode']);
const RCLONE_DELETING: Readonly<Record<string, { severity: Severity; what: string }>> = {
  delete: { severity: 'high', what: 'deletes the files under the path' },
  deletefile: { severity: 'medium', what: 'deletes the file' },
  purge: { severity: 'critical', what: 'deletes the path and everything in it, ignoring filters' },
  rmdir: { severity: 'medium', what: 'removes the empty directory' },
  rmdirs: { severity: 'medium', what: 'removes empty directories under the path' },
  move: { severity: 'high', what: 'moves the files, deleting them from the source' },
  moveto: { severity: 'high', what: 'moves the file, deleting it from the source' },
  cleanup: { severity: 'high', what: 'empties the trash and deletes old file versions of the remote' },
  dedupe: { severity: 'high', what: 'deletes or renames duplicate files' },
};

const GH_DELETING = /^(repo (delete|archive)|release (delete|delete-asset)|gist delete|ssh-key delete|gpg-key delete|secret (delete|remove)|variable (delete|remove)|workflow disable|run delete|cache delete|label delete|issue delete|project (delete|item-delete)|codespace delete|ruleset delete|deploy-key delete|environment delete|org delete)$/;

/** `gh api -X DELETE`, `--method=DELETE`, `-XDELETE`. */
function apiMethod(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '-X' || arg === '--method') return args[i + 1]?.toUpperCase();
    if (arg.startsWith('--method=')) return arg.slice(9).toUpperCase();
    if (/^-X[A-Za-z]+$/.test(arg)) return arg.slice(2).toUpperCase();
  }
  return undefined;
}

/** A GraphQL mutation that deletes or archives, sent with `gh api graphql -f query=…`. */
function deletingMutation(args: readonly string[]): boolean {
  return args.some((a) => /\bmutation\b/i.test(a) && /\b(delete|remove|archive|transfer)[A-Z]\w*/.test(a));
}

const KAFKA_PROGRAM = /^kafka-(topics|consumer-groups|configs|acls|delete-records|streams-application-reset)(\.sh)?$/;

export const serviceRules: readonly Rule[] = [
  defineRule({
    meta: { id: 'service.destructive-command', severity: 'high', description: 'A delete/purge/reset/revoke… subcommand of a hosted service\'s management CLI (Vault, 1Password, NATS, Stripe, Fastly, decK, Borg, …).' },
    programs: [...SERVICE_BY_PROGRAM.keys(), 'java'],
    check(command) {
      if (command.program === 'java') {
        const args = jenkinsJarArgs(command);
        const cli = SERVICE_BY_PROGRAM.get('jenkins-cli');
        return args && cli ? checkServiceCli(cli, command, args, 'jenkins-cli') : undefined;
      }
      const cli = SERVICE_BY_PROGRAM.get(command.program);
      return cli ? checkServiceCli(cli, command, command.argv.slice(1)) : undefined;
    },
  }),
  defineRule({
    meta: { id: 'service.rclone-delete', severity: 'high', description: 'rclone delete/purge/move/cleanup, and sync (which deletes what the source lacks).' },
    programs: ['rclone'],
    check(command) {
      const args = command.argv.slice(1);
      if (hasAnyOption(args, ['--dry-run', '-n', '--interactive', '-i'])) return undefined;
      const words = positionals(args, RCLONE_VALUE_OPTIONS);
      const sub = words[0]?.toLowerCase();
      if (sub === undefined) return undefined;
      const destination = words[words.length - 1];
      const deleting = RCLONE_DELETING[sub];
      if (deleting) {
        // `rclone purge remote:` or `remote:bucket` removes a whole remote or bucket; a sub-folder is `rm -r`-sized.
        const wholeRemote = sub === 'purge' && words[1] !== undefined && /^[^:/]+:[^/]*\/?$/.test(words[1]);
        return { severity: sub === 'purge' && !wholeRemote ? 'high' : deleting.severity, message: `\`rclone ${sub}\` ${deleting.what}${quoted(words[1])}; there is no undo.`, safer: `\`rclone ${sub} --dry-run\` to list what it would do.`, ...(words[1] ? { resource: words[1] } : {}) };
      }
      if (sub === 'sync' || sub === 'bisync') {
        const extra = args.find((a) => /^--delete-(excluded|before|during|after)$/.test(a));
        return {
          severity: extra === '--delete-excluded' ? 'high' : 'medium',
          message: `\`rclone ${sub}\` makes${quoted(destination)} identical to the source, deleting every file the source lacks${extra === '--delete-excluded' ? ' and every excluded file' : ''}.`,
          safer: `\`rclone ${sub} --dry-run\` first, or \`rclone copy\`, which never deletes.`,
          ...(destination ? { resource: destination } : {}),
        };
      }
      return undefined;
    },
  }),
  defineRule({
    meta: { id: 'service.restic-delete', severity: 'high', description: 'restic forget/prune deletes backup snapshots; key remove locks out a password.' },
    programs: ['restic'],
    check(command) {
      const args = command.argv.slice(1);
      if (hasAnyOption(args, ['--dry-run', '-n'])) return undefined;
      const words = commandWords(command, new Set(['-r', '--repo', '-o', '--option', '-p', '--password-file', '--password-command', '--repository-file', '--cache-dir', '--key-hint', '--tag', '--host', '--path', '--keep-last', '--keep-daily', '--keep-weekly', '--keep-monthly', '--keep-yearly', '--keep-hourly', '--keep-within', '--keep-tag', '--group-by', '--max-unused', '--max-repack-size']));
      const sub = words[0];
      if (sub === 'forget' && hasLongOption(args, '--unsafe-allow-remove-all')) {
        return { severity: 'critical', message: '`restic forget --unsafe-allow-remove-all` may delete every snapshot in the repository.', safer: '`restic forget --dry-run` with a keep policy.' };
      }
      if (sub === 'forget') return { message: `\`restic forget\` deletes backup snapshots${hasLongOption(args, '--prune') ? ' and prunes their data at once' : ''}; they cannot be restored afterwards.`, safer: '`restic forget --dry-run` to list what would be removed.' };
      if (sub === 'key' && (words[1] === 'remove' || words[1] === 'rm')) return { message: '`restic key remove` deletes a repository key; whoever only has that password loses access to every backup.', safer: '`restic key list` first, and keep another key.' };
      if (sub === 'prune') return { message: '`restic prune` permanently removes the data of forgotten snapshots.', safer: '`restic prune --dry-run` first.' };
      return undefined;
    },
  }),
  defineRule({
    meta: { id: 'service.borg-delete', severity: 'high', description: 'borg delete/prune/recreate deletes or rewrites backup archives.' },
    programs: ['borg', 'borgbackup'],
    check(command) {
      const args = command.argv.slice(1);
      if (hasAnyOption(args, ['--dry-run', '-n'])) return undefined;
      const words = positionals(args, new Set(['--remote-path', '--rsh', '--lock-wait', '--keep-last', '--keep-within', '--keep-secondly', '--keep-minutely', '--keep-hourly', '--keep-daily', '--keep-weekly', '--keep-monthly', '--keep-yearly', '-P', '--prefix', '-a', '--glob-archives', '--match-archives', '-e', '--exclude', '--comment', '--checkpoint-interval', '--compression', '-C']));
      const sub = words[0]?.toLowerCase();
      const target = words[1];
      if (sub === 'delete') {
        if (hasLongOption(args, '--cache-only')) return { severity: 'medium', message: '`borg delete --cache-only` deletes the local cache of the repository; it must be rebuilt.' };
        const wholeRepository = target === undefined || (!target.includes('::') && words.length === 2);
        return wholeRepository
          ? { severity: 'critical', message: `\`borg delete${target ? ` ${target}` : ''}\` deletes the whole backup repository with every archive in it.`, safer: '`borg delete repo::archive` for a single archive, after `borg list`.', ...(target ? { resource: target } : {}) }
          : { message: `\`borg delete\` deletes the backup archive${quoted(target)}; it cannot be restored.`, safer: '`borg list` first, or `borg delete --dry-run --list`.', ...(target ? { resource: target } : {}) };
      }
      if (sub === 'prune') return { message: '`borg prune` deletes every archive outside the keep rules.', safer: '`borg prune --dry-run --list` to see which archives would go.' };
      if (sub === 'compact') return { severity: 'medium', message: '`borg compact` permanently frees the space of deleted archives; after it they cannot be salvaged.' };
      if (sub === 'recreate') return { message: '`borg recreate` rewrites archives in place; excluded files are gone from the backups.', safer: '`borg recreate --dry-run --list` first.' };
      return undefined;
    },
  }),
  defineRule({
    meta: { id: 'service.kafka-destructive', severity: 'high', description: 'Kafka admin tools: --delete topics/groups, --reset-offsets, --delete-config, ACL --remove, delete-records.' },
    programs: ['kafka-topics', 'kafka-topics.sh', 'kafka-consumer-groups', 'kafka-consumer-groups.sh', 'kafka-configs', 'kafka-configs.sh', 'kafka-acls', 'kafka-acls.sh', 'kafka-delete-records', 'kafka-delete-records.sh', 'kafka-streams-application-reset', 'kafka-streams-application-reset.sh'],
    check(command) {
      const tool = KAFKA_PROGRAM.exec(command.program)?.[1];
      const args = command.argv.slice(1);
      if (tool === undefined || hasAnyOption(args, ['--dry-run'])) return undefined;
      const topic = optionValue(args, ['--topic']);
      const group = optionValue(args, ['--group']);
      if (tool === 'topics' && hasLongOption(args, '--delete')) return { severity: 'high', message: `\`kafka-topics --delete\` deletes the topic${quoted(topic)} and every message in it.`, safer: '`kafka-topics --describe` to review it first.', ...(topic ? { resource: topic } : {}) };
      if (tool === 'consumer-groups' && hasLongOption(args, '--delete')) return { severity: 'high', message: `\`kafka-consumer-groups --delete\` deletes the consumer group${quoted(group)} and its committed offsets.`, safer: '`kafka-consumer-groups --describe` first.', ...(group ? { resource: group } : {}) };
      if (tool === 'consumer-groups' && hasLongOption(args, '--reset-offsets')) return { severity: 'medium', message: `\`kafka-consumer-groups --reset-offsets\` moves the committed offsets of${quoted(group) || ' the group'}: consumers skip or re-read messages.`, safer: 'add `--dry-run` to see the new offsets first.', ...(group ? { resource: group } : {}) };
      if (tool === 'configs' && hasLongOption(args, '--delete-config')) return { severity: 'medium', message: '`kafka-configs --delete-config` removes configuration overrides (such as retention) from the entity.', safer: '`kafka-configs --describe` first.' };
      if (tool === 'acls' && hasLongOption(args, '--remove')) return { severity: 'high', message: '`kafka-acls --remove` deletes access rules; clients that relied on them are refused.', safer: '`kafka-acls --list` first.' };
      if (tool === 'delete-records') return { severity: 'high', message: '`kafka-delete-records` deletes messages from the partitions for good.' };
      if (tool === 'streams-application-reset' && hasLongOption(args, '--execute')) return { severity: 'high', message: '`kafka-streams-application-reset --execute` resets the application\'s offsets and deletes its internal topics.' };
      return undefined;
    },
  }),
  defineRule({
    meta: { id: 'service.forge-delete', severity: 'high', description: 'gh/glab: deleting repositories, releases, gists, keys, secrets, disabling workflows, and API DELETE calls.' },
    programs: ['gh', 'glab'],
    check(command) {
      const args = command.argv.slice(1);
      const words = positionals(args, new Set(['-R', '--repo', '-X', '--method', '-H', '--header', '-f', '-F', '--field', '--raw-field', '--hostname', '-q', '--jq', '-t', '--template', '--input', '-e', '--env', '--org', '-o', '--owner']));
      const sub = words[0]?.toLowerCase();
      const forge = command.program === 'gh' ? 'GitHub' : 'GitLab';
      if (sub === 'api') {
        const method = apiMethod(args);
        const endpoint = words[1];
        if (method === 'DELETE') return { severity: 'high', message: `\`${command.program} api -X DELETE\` deletes${endpoint ? ` ${endpoint}` : ' a resource'} on ${forge}.`, safer: `\`${command.program} api ${endpoint ?? '<endpoint>'}\` (GET) to review it first.`, ...(endpoint ? { resource: endpoint } : {}) };
        if (endpoint === 'graphql' && deletingMutation(args)) return { severity: 'high', message: `\`${command.program} api graphql\` sends a mutation that deletes or archives data on ${forge}.`, safer: 'run the matching query (not mutation) to review the target first.' };
        return undefined;
      }
      const path = words.slice(0, 2).map((w) => w.toLowerCase()).join(' ');
      const target = words[2];
      if (command.program === 'gh' && GH_DELETING.test(path)) {
        const severity: Severity = /disable|archive/.test(path) ? 'medium' : 'high';
        return { severity, message: `\`gh ${path}\` ${/disable/.test(path) ? 'disables' : /archive/.test(path) ? 'archives' : 'deletes'}${quoted(target) || ' it'} on GitHub${path === 'repo delete' ? ', with its issues, pull requests and wiki' : ''}.`, safer: `\`gh ${words[0]} view\`/\`list\` to review it first.`, ...(target ? { resource: target } : {}) };
      }
      if (command.program === 'glab') {
        const hit = findVerb(words.map((w) => w.toLowerCase()), 2);
        if (hit && hit.at === 1) return { severity: MEDIUM_VERBS.has(hit.root) ? 'medium' : 'high', message: `\`glab ${path}\` ${verbEffect(hit.root)}${quoted(target) || ' it'} on GitLab${path === 'repo delete' ? ', with its issues, merge requests and wiki' : ''}.`, safer: `\`glab ${words[0]} view\`/\`list\` to review it first.`, ...(target ? { resource: target } : {}) };
      }
      return undefined;
    },
  }),
  defineRule({
    meta: { id: 'service.gitlab-rake-destructive', severity: 'high', description: 'gitlab-rake / gitlab-backup tasks that restore over or wipe the GitLab database.' },
    programs: ['gitlab-rake', 'gitlab-backup'],
    check(command) {
      const words = commandWords(command, new Set());
      if (command.program === 'gitlab-backup') {
        return words[0] === 'restore' ? { severity: 'high', message: '`gitlab-backup restore` replaces the whole GitLab database and repositories with the backup.', safer: 'take a fresh `gitlab-backup create` first.' } : undefined;
      }
      const task = words.find((w) => /^gitlab:(backup:restore|setup|db:drop_tables|db:reset|cleanup:|import:)/.test(w));
      if (!task) return undefined;
      if (/^gitlab:(setup|db:drop_tables|db:reset)/.test(task)) return { severity: 'critical', message: `\`gitlab-rake ${task}\` wipes the GitLab database.`, safer: 'take a `gitlab-backup create` first and run it only on a throw-away instance.' };
      if (task.startsWith('gitlab:backup:restore')) return { severity: 'high', message: '`gitlab-rake gitlab:backup:restore` replaces the whole GitLab database and repositories with the backup.', safer: 'take a fresh `gitlab-backup create` first.' };
      return { severity: 'medium', message: `\`gitlab-rake ${task}\` removes data from the GitLab instance.`, safer: 'run it with `DRY_RUN=true` first.' };
    },
  }),
];

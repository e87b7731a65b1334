// Rule pack: cloud provider CLIs (aws, gcloud, gsutil, bq, az, azcopy, mc, doctl, hcloud, linode-cli, oci, scw,
// ibmcloud, firebase): deleting buckets, databases, volumes, snapshots, instances, secrets and queues.
import type { SimpleCommand } from '../shell/types.js';
import { hasLongOption, optionValue, positionals, shortFlags } from '../shell/words.js';
import { defineRule, type Report, type Rule, type Severity } from './rule.js';
import { findVerb, hasAnyOption, verbEffect } from './services.js';

function quoted(resource: string | undefined): string {
  return resource ? ` "${resource}"` : '';
}

function withResource(report: Report, resource: string | undefined): Report {
  return resource ? { ...report, resource } : report;
}

// ── aws ───────────────────────────────────────────────────────────────────────────────────────────────────────

const AWS_GLOBAL_VALUE_OPTIONS = new Set(['--profile', '--region', '--output', '--endpoint-url', '--query', '--cli-read-timeout', '--cli-connect-timeout', '--color', '--ca-bundle', '--cli-binary-format', '--page-size', '--max-items', '--starting-token']);

interface AwsCall {
  readonly service: string;
  readonly operation: string;
  /** The arguments after the operation, as written. */
  readonly args: readonly string[];
}

/** Skips aws's global options (`--profile prod --region x`) to find the service and operation. */
function awsCall(command: SimpleCommand): AwsCall | undefined {
  const argv = command.argv;
  let service: string | undefined;
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg.startsWith('-')) {
      if (!arg.includes('=') && AWS_GLOBAL_VALUE_OPTIONS.has(arg)) i += 1;
      continue;
    }
    if (service === undefined) { service = arg.toLowerCase(); continue; }
    return { service, operation: arg.toLowerCase(), args: argv.slice(i + 1) };
  }
  return undefined;
}

/** What an operation acts on, in words: `delete-db-cluster-snapshot` → `db cluster snapshot`. */
function awsNoun(operation: string): string {
  return operation.replace(/^(batch-)?(delete|terminate|deregister|remove|purge|schedule|disable)-/, '').replace(/-/g, ' ');
}

/**
 * The resource an aws operation names: the option named after the operation's object first
 * (`delete-recovery-point` → `--recovery-point-arn`), then any `--…-name/-id/-arn/-url`, `--bucket`, `--key`.
 */
function awsTarget(args: readonly string[], operation = ''): string | undefined {
  const noun = operation.replace(/^(batch-)?(delete|terminate|deregister|remove|purge|schedule|disable)-/, '').replace(/s$/, '');
  if (noun !== '') {
    for (let i = 0; i < args.length; i += 1) {
      const match = new RegExp(`^--${noun}s?(-(identifier|name|names|id|ids|arn|url))?(=(.*))?$`).exec(args[i]!);
      if (match) return match[4] ?? args[i + 1];
    }
  }
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const match = /^--([a-z0-9-]*(identifier|name|names|id|ids|arn|url)|bucket|key|function-name)(=(.*))?$/.exec(arg);
    if (!match) continue;
    return match[4] ?? args[i + 1];
  }
  return undefined;
}

/** Operations that destroy data outright: databases, volumes, snapshots and backups, file systems, archives. */
const AWS_DATA_DESTROYING: Readonly<Record<string, readonly string[]>> = {
  rds: ['delete-db-snapshot', 'delete-db-cluster-snapshot', 'delete-db-instance-automated-backup', 'delete-db-cluster-automated-backup', 'delete-global-cluster'],
  docdb: ['delete-db-cluster-snapshot'],
  neptune: ['delete-db-cluster-snapshot'],
  dynamodb: ['delete-table', 'delete-backup'],
  ec2: ['delete-volume', 'delete-snapshot'],
  efs: ['delete-file-system'],
  fsx: ['delete-file-system', 'delete-backup', 'delete-volume'],
  backup: ['delete-recovery-point', 'delete-backup-vault'],
  glacier: ['delete-vault', 'delete-archive'],
  redshift: ['delete-cluster-snapshot'],
  elasticache: ['delete-snapshot'],
  opensearch: ['delete-domain'],
  es: ['delete-elasticsearch-domain'],
  lightsail: ['delete-relational-database', 'delete-disk', 'delete-disk-snapshot', 'delete-relational-database-snapshot'],
  timestream: ['delete-database'],
  'timestream-write': ['delete-database', 'delete-table'],
  qldb: ['delete-ledger'],
  keyspaces: ['delete-keyspace', 'delete-table'],
  memorydb: ['delete-cluster', 'delete-snapshot'],
};

const LOCAL_ENDPOINT = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\]|localstack)(:\d+)?(\/|$)/i;

const AWS_DESTRUCTIVE_OPERATION = /^(delete|batch-delete|terminate|deregister|remove|purge|schedule-key-deletion|disable-key|cancel-key-deletion-never)/;

const aws = (id: string, severity: Severity, description: string, check: (call: AwsCall, command: SimpleCommand, tier: string) => Report | undefined): Rule =>
  defineRule({
    meta: { id, severity, description },
    programs: ['aws'],
    check(command, context) {
      const call = awsCall(command);
      if (!call || hasAnyOption(call.args, ['--dry-run', '--dryrun'])) return undefined;
      const report = check(call, command, context.tier);
      // LocalStack and other local emulators (`--endpoint-url http://localhost:4566`) hold throw-away data.
      const endpoint = optionValue(command.argv, ['--endpoint-url']);
      if (report && endpoint !== undefined && LOCAL_ENDPOINT.test(endpoint)) {
        return { ...report, severity: 'medium', message: `${report.message} (The endpoint ${endpoint} is a local emulator.)` };
      }
      return report;
    },
  });

function isBucketRoot(url: string | undefined): boolean {
  return url !== undefined && /^(s3|gs):\/\/[^/]+\/?$/.test(url);
}

export const cloudRules: readonly Rule[] = [
  aws('cloud.aws-s3-delete', 'high', 'aws s3 rm/rb and sync --delete delete objects or whole buckets.', ({ service, operation, args }) => {
    if (service !== 's3') return undefined;
    const paths = positionals(args, new Set(['--include', '--exclude', '--acl', '--storage-class', '--grants', '--sse', '--sse-kms-key-id', '--request-payer', '--expected-size', '--page-size']));
    const target = operation === 'sync' || operation === 'mv' ? paths[1] : paths[0];
    const recursive = hasLongOption(args, '--recursive');
    if (operation === 'rb') {
      return hasLongOption(args, '--force')
        ? { severity: 'critical', message: `\`aws s3 rb --force\` deletes every object in the bucket${quoted(target)} and then the bucket; without versioning nothing can be recovered.`, safer: '`aws s3 ls --recursive` to review the contents, and `aws s3 sync` them somewhere safe first.', ...(target ? { resource: target } : {}) }
        : withResource({ severity: 'high', message: `\`aws s3 rb\` deletes the bucket${quoted(target)}; its name can be taken by someone else.`, safer: '`aws s3 ls` to check it first.' }, target);
    }
    if (operation === 'rm') {
      if (recursive && isBucketRoot(target)) return withResource({ severity: 'critical', message: `\`aws s3 rm --recursive\` deletes every object in the bucket${quoted(target)}.`, safer: 'add `--dryrun` to list what would be deleted, or narrow it to a prefix.' }, target);
      return withResource({ severity: recursive ? 'high' : 'medium', message: `\`aws s3 rm${recursive ? ' --recursive' : ''}\` deletes${recursive ? ' every object under' : ''}${quoted(target) || ' the objects'}; without bucket versioning it cannot be undone.`, safer: 'add `--dryrun` to list what would be deleted.' }, target);
    }
    if (operation === 'sync' && hasLongOption(args, '--delete')) {
      return withResource({ severity: 'high', message: `\`aws s3 sync --delete\` deletes every object in${quoted(target) || ' the destination'} that the source lacks.`, safer: 'run it with `--dryrun` first, or drop `--delete`.' }, target);
    }
    return undefined;
  }),
  aws('cloud.aws-database-delete', 'high', 'Deleting RDS/Aurora/DocumentDB/Neptune/Redshift databases and clusters (critical without a final snapshot).', ({ service, operation, args }) => {
    const isDbDelete = (/^(rds|docdb|neptune)$/.test(service) && (operation === 'delete-db-instance' || operation === 'delete-db-cluster'))
      || (service === 'redshift' && operation === 'delete-cluster')
      || (service === 'elasticache' && (operation === 'delete-cache-cluster' || operation === 'delete-replication-group' || operation === 'delete-serverless-cache'));
    if (!isDbDelete) return undefined;
    const target = awsTarget(args, operation);
    const noSnapshot = hasAnyOption(args, ['--skip-final-snapshot', '--skip-final-cluster-snapshot', '--delete-automated-backups']);
    if (noSnapshot) {
      return withResource({ severity: 'critical', message: `\`aws ${service} ${operation}\` deletes the database${quoted(target)} without a final snapshot${hasLongOption(args, '--delete-automated-backups') ? ' and with its automated backups' : ''}: the data is gone for good.`, safer: 'take a snapshot first, and delete with `--final-db-snapshot-identifier` instead of `--skip-final-snapshot`.' }, target);
    }
    return withResource({ severity: 'high', message: `\`aws ${service} ${operation}\` deletes the database${quoted(target)}; only its final snapshot remains.`, safer: '`aws rds describe-db-instances` to check the target, and enable deletion protection on production databases.' }, target);
  }),
  aws('cloud.aws-data-delete', 'critical', 'Deleting snapshots, backups, volumes, tables, file systems and archives: the data itself.', ({ service, operation, args }) => {
    if (!AWS_DATA_DESTROYING[service]?.includes(operation)) return undefined;
    const target = awsTarget(args, operation);
    const backup = /snapshot|backup|recovery-point|vault|archive/.test(operation);
    return withResource({ message: `\`aws ${service} ${operation}\` permanently deletes the ${awsNoun(operation)}${quoted(target)}${backup ? ', a backup the data may depend on' : ' with the data in it'}; AWS keeps no copy.`, safer: `the matching \`aws ${service} describe-…\`/\`list-…\` call to review it, and ${backup ? 'copy it (for example to another region or vault)' : 'take a snapshot or backup'} first.` }, target);
  }),
  aws('cloud.aws-stack-delete', 'high', 'aws cloudformation delete-stack deletes every resource the stack created.', ({ service, operation, args }, _command, tier) => {
    if (service !== 'cloudformation' || (operation !== 'delete-stack' && operation !== 'delete-stack-set' && operation !== 'delete-stack-instances')) return undefined;
    const target = awsTarget(args, operation);
    return withResource({ severity: tier === 'production' ? 'critical' : 'high', message: `\`aws cloudformation ${operation}\` deletes every resource of${quoted(target) || ' the stack'} (databases and buckets included, unless they are retained).`, safer: '`aws cloudformation describe-stack-resources` to see what it holds, and set DeletionPolicy: Retain on data.' }, target);
  }),
  aws('cloud.aws-terminate-instances', 'high', 'aws ec2 terminate-instances destroys instances and their instance-store and delete-on-termination volumes.', ({ service, operation, args }) => {
    if (service !== 'ec2' || operation !== 'terminate-instances') return undefined;
    const target = awsTarget(args, operation);
    return withResource({ message: `\`aws ec2 terminate-instances\` destroys${quoted(target) || ' the instances'} and the volumes deleted with them; a terminated instance cannot be started again.`, safer: '`aws ec2 stop-instances`, or run it with `--dry-run` first.' }, target);
  }),
  aws('cloud.aws-secret-change', 'high', 'Deleting or overwriting secrets, parameters and KMS keys.', ({ service, operation, args }) => {
    const target = awsTarget(args, operation);
    if (service === 'secretsmanager') {
      if (operation === 'delete-secret') {
        return hasLongOption(args, '--force-delete-without-recovery')
          ? withResource({ severity: 'critical', message: `\`aws secretsmanager delete-secret --force-delete-without-recovery\` deletes the secret${quoted(target)} at once, with no recovery window.`, safer: 'delete it with `--recovery-window-in-days 30`, so it can be restored.' }, target)
          : withResource({ severity: 'high', message: `\`aws secretsmanager delete-secret\` schedules the secret${quoted(target)} for deletion; everything that reads it fails.`, safer: '`aws secretsmanager describe-secret` first; `restore-secret` undoes it within the recovery window.' }, target);
      }
      if (operation === 'put-secret-value' || operation === 'update-secret' || operation === 'rotate-secret') {
        return withResource({ severity: 'medium', message: `\`aws secretsmanager ${operation}\` changes the live secret${quoted(target)}; every service reading it gets the new value.`, safer: '`aws secretsmanager get-secret-value` to keep the current value first.' }, target);
      }
      if (operation.startsWith('delete-') || operation.startsWith('remove-')) return withResource({ severity: 'high', message: `\`aws secretsmanager ${operation}\` removes${quoted(target) || ' it'} from the secret's configuration.` }, target);
      return undefined;
    }
    if (service === 'ssm' && /^delete-parameters?$/.test(operation)) {
      return withResource({ severity: 'high', message: `\`aws ssm ${operation}\` deletes the parameters${quoted(target)} and their history.`, safer: '`aws ssm get-parameters` to keep the values first.' }, target);
    }
    if (service === 'kms' && (operation === 'schedule-key-deletion' || operation === 'disable-key')) {
      return withResource({ severity: 'high', message: `\`aws kms ${operation}\` ${operation === 'disable-key' ? 'disables' : 'schedules the deletion of'} the key${quoted(target)}; data encrypted with it becomes unreadable.`, safer: '`aws kms describe-key` first; prefer disabling over deleting.' }, target);
    }
    return undefined;
  }),
  aws('cloud.aws-queue-purge', 'high', 'aws sqs purge-queue/delete-message and sns unsubscribe drop messages or deliveries.', ({ service, operation, args }) => {
    const target = awsTarget(args, operation);
    if (service === 'sqs' && operation === 'purge-queue') return withResource({ severity: 'high', message: `\`aws sqs purge-queue\` deletes every message in${quoted(target) || ' the queue'}.`, safer: '`aws sqs get-queue-attributes` to see how many messages would go.' }, target);
    if (service === 'sqs' && /^delete-message/.test(operation)) return withResource({ severity: 'medium', message: `\`aws sqs ${operation}\` deletes messages from${quoted(target) || ' the queue'} before anyone processed them.`, safer: '`aws sqs receive-message` to look at them first.' }, target);
    if (service === 'sns' && operation === 'unsubscribe') return withResource({ severity: 'medium', message: '`aws sns unsubscribe` stops deliveries to that subscriber.', safer: '`aws sns list-subscriptions-by-topic` first.' }, target);
    return undefined;
  }),
  aws('cloud.aws-cloudfront-invalidation', 'medium', 'aws cloudfront create-invalidation empties the CDN cache for the paths.', ({ service, operation, args }) => {
    if (service !== 'cloudfront' || operation !== 'create-invalidation') return undefined;
    const paths = optionValue(args, ['--paths']);
    return { message: `\`aws cloudfront create-invalidation\` drops cached copies of ${paths ?? 'the paths'}; every request for them hits the origin until the cache refills.`, safer: 'invalidate only the changed paths, not `/*`.' };
  }),
  aws('cloud.aws-delete-operation', 'high', 'Any other aws delete-*/terminate-*/deregister-*/remove-*/purge-* operation.', ({ service, operation, args }) => {
    if (!AWS_DESTRUCTIVE_OPERATION.test(operation)) return undefined;
    // Operations covered by a more specific rule above.
    if (service === 's3' || AWS_DATA_DESTROYING[service]?.includes(operation)) return undefined;
    if (/^(rds|docdb|neptune)$/.test(service) && /^delete-db-(instance|cluster)$/.test(operation)) return undefined;
    if ((service === 'redshift' && operation === 'delete-cluster') || (service === 'elasticache' && /^delete-(cache-cluster|replication-group|serverless-cache)$/.test(operation))) return undefined;
    if (service === 'cloudformation' && /^delete-stack/.test(operation)) return undefined;
    if (service === 'ec2' && operation === 'terminate-instances') return undefined;
    if (service === 'secretsmanager' || (service === 'ssm' && /^delete-parameters?$/.test(operation)) || (service === 'kms' && /^(schedule-key-deletion|disable-key)$/.test(operation))) return undefined;
    if ((service === 'sqs' && (operation === 'purge-queue' || operation.startsWith('delete-message'))) || (service === 'sns' && operation === 'unsubscribe')) return undefined;
    const target = awsTarget(args, operation);
    const severity: Severity = /^(remove-tags|remove-permission|deregister-)/.test(operation) && !/^deregister-(image|task-definition)/.test(operation) ? 'medium' : 'high';
    const verb = operation.startsWith('terminate') ? 'terminates' : operation.startsWith('deregister') ? 'deregisters' : operation.startsWith('purge') ? 'purges' : operation.startsWith('remove') ? 'removes' : 'deletes';
    return withResource({ severity, message: `\`aws ${service} ${operation}\` ${verb} the ${awsNoun(operation)}${quoted(target)}${severity === 'high' ? '; it cannot be undone' : ''}.`, safer: `the matching \`aws ${service} describe-…\`/\`get-…\`/\`list-…\` call to review it first.` }, target);
  }),

  // ── gcloud, gsutil, bq ──────────────────────────────────────────────────────────────────────────────────────
  defineRule({
    meta: { id: 'cloud.gcloud-delete', severity: 'high', description: 'gcloud … delete (critical for databases, disks, snapshots, buckets, clusters and projects).' },
    programs: ['gcloud'],
    check(command) {
      const args = command.argv.slice(1);
      const words = positionals(args, new Set(['--project', '--account', '--configuration', '--format', '--verbosity', '--impersonate-service-account', '--billing-project', '--flags-file', '--flatten', '--trace-token', '--region', '--zone', '--location', '--organization', '--folder', '--filter', '--limit', '--sort-by', '--page-size'])).map((w) => w.toLowerCase());
      const path = /^(alpha|beta|preview)$/.test(words[0] ?? '') ? words.slice(1) : words;
      const quiet = hasAnyOption(args, ['--quiet', '-q']);
      if (path[0] === 'storage' && (path[1] === 'rm' || path[1] === 'rsync')) {
        const target = path[path.length - 1];
        if (path[1] === 'rsync') {
          return hasAnyOption(args, ['--delete-unmatched-destination-objects']) && !hasAnyOption(args, ['--dry-run'])
            ? withResource({ severity: 'high', message: `\`gcloud storage rsync --delete-unmatched-destination-objects\` deletes every object in${quoted(target)} that the source lacks.`, safer: 'add `--dry-run` first.' }, target) : undefined;
        }
        const recursive = hasAnyOption(args, ['--recursive', '-r', '-R']) || shortFlags(args).has('r');
        const root = recursive && isBucketRoot(path[2]);
        return withResource({ severity: root ? 'critical' : recursive ? 'high' : 'medium', message: root ? `\`gcloud storage rm --recursive\` deletes every object in the bucket${quoted(path[2])} and then the bucket itself.` : `\`gcloud storage rm${recursive ? ' --recursive' : ''}\` deletes ${recursive ? 'everything under' : 'the object'}${quoted(path[2])}.`, safer: '`gcloud storage ls` to review what would go.' }, path[2]);
      }
      const hit = findVerb(path, 5, new Set(['destroy', 'bulk-delete']));
      if (!hit || hit.at === 0 || !/^(delete|destroy|bulk-delete|remove|purge|rm|reset|disable|delete-[a-z-]+|remove-[a-z-]+)$/.test(hit.word)) return undefined;
      const commandPath = path.slice(0, hit.at + 1).join(' ');
      const target = path[hit.at + 1];
      const critical = /^(sql (instances|backups|databases)|projects|spanner (instances|databases|backups)|bigtable (instances|backups|tables)|firestore (databases|backups)|alloydb (clusters|backups)|filestore (instances|backups)|compute (disks|snapshots|machine-images)|container clusters|storage buckets|redis instances|memcache instances|datastore|bigquery|backup-dr|netapp volumes) (delete|destroy)$/.test(commandPath);
      const medium = /^(remove-[a-z-]+|reset|disable)$/.test(hit.word);
      const severity: Severity = critical ? 'critical' : medium ? 'medium' : 'high';
      return withResource({ severity, message: `\`gcloud ${commandPath}\` ${hit.word === 'reset' ? 'hard-resets (power-cycles)' : verbEffect(hit.root)}${quoted(target) || ' the resource'}${critical ? ' with all of its data' : ''}${quiet ? ' without asking (--quiet)' : ''}${critical ? '; it cannot be undone' : ''}.`, safer: `\`gcloud ${path.slice(0, hit.at).join(' ')} describe\` to review it${critical ? ', and export or snapshot it first' : ' first'}.` }, target);
    },
  }),
  defineRule({
    meta: { id: 'cloud.gsutil-delete', severity: 'high', description: 'gsutil rm / rb / rsync -d delete objects and buckets.' },
    programs: ['gsutil'],
    check(command) {
      const argv = command.argv;
      let i = 1;
      while (i < argv.length && argv[i]!.startsWith('-')) i += /^-[ohup]$/.test(argv[i]!) ? 2 : 1;
      const sub = argv[i]?.toLowerCase();
      const args = argv.slice(i + 1);
      const flags = shortFlags(args);
      const targets = positionals(args, new Set(['-I', '-x', '-p']));
      const target = sub === 'rsync' ? targets[1] : targets[0];
      if (sub === 'rm' || sub === 'del' || sub === 'delete' || sub === 'remove') {
        const recursive = flags.has('r') || flags.has('R') || flags.has('a');
        const root = recursive && isBucketRoot(target);
        return withResource({ severity: root ? 'critical' : recursive ? 'high' : 'medium', message: root ? `\`gsutil rm -r\` deletes every object in the bucket${quoted(target)} and then the bucket itself.` : `\`gsutil rm${recursive ? ' -r' : ''}\` deletes ${recursive ? 'everything under' : 'the object'}${quoted(target)}.`, safer: '`gsutil ls -r` to review what would go.' }, target);
      }
      if (sub === 'rb') return withResource({ severity: 'high', message: `\`gsutil rb\` deletes the bucket${quoted(target)}.`, safer: '`gsutil ls` to check it is the right, empty bucket.' }, target);
      if (sub === 'rsync' && flags.has('d') && !flags.has('n')) return withResource({ severity: 'high', message: `\`gsutil rsync -d\` deletes every object in${quoted(target)} that the source lacks.`, safer: 'add `-n` (dry run) first, or drop `-d`.' }, target);
      return undefined;
    },
  }),
  defineRule({
    meta: { id: 'cloud.bq-delete', severity: 'high', description: 'bq rm deletes BigQuery tables and datasets.' },
    programs: ['bq'],
    check(command) {
      const args = command.argv.slice(1);
      const words = positionals(args, new Set(['--project_id', '--location', '--dataset_id', '--format']));
      if (words[0] !== 'rm') return undefined;
      const target = words[1];
      const dataset = hasAnyOption(args, ['-d', '--dataset', '-r', '--recursive']) || shortFlags(args).has('r') || shortFlags(args).has('d');
      return withResource({ severity: dataset ? 'critical' : 'high', message: `\`bq rm\` deletes the BigQuery ${dataset ? 'dataset' : 'table'}${quoted(target)}${dataset ? ' with every table in it' : ''}.`, safer: '`bq show` to review it, and copy it (`bq cp`) first.' }, target);
    },
  }),

  // ── Azure ───────────────────────────────────────────────────────────────────────────────────────────────────
  defineRule({
    meta: { id: 'cloud.az-delete', severity: 'high', description: 'az … delete/purge/remove (critical for resource groups, databases, storage accounts and key vault purges).' },
    programs: ['az'],
    check(command) {
      const args = command.argv.slice(1);
      if (args[0]?.toLowerCase() === 'rest') {
        const method = optionValue(args, ['--method', '-m'])?.toUpperCase();
        const url = optionValue(args, ['--url', '--uri', '-u']);
        return method === 'DELETE' ? withResource({ severity: 'high', message: `\`az rest --method delete\` deletes the Azure resource at ${url ?? 'the URL'} through the management API.`, safer: '`az rest --method get` on the same URL to review it first.' }, url) : undefined;
      }
      const words = positionals(args, new Set(['--subscription', '-o', '--output', '--query', '-g', '--resource-group', '-n', '--name', '--account-name', '-c', '--container-name', '--source', '--pattern', '--image', '--registry', '--vault-name', '--server', '-s', '--ids', '--location', '-l'])).map((w) => w.toLowerCase());
      const hit = findVerb(words, 5, new Set(['delete-batch', 'untag', 'purge']));
      if (!hit || hit.at === 0 || hit.root === 'roll' || hit.root === 'cancel' || hit.root === 'disable' || hit.root === 'archive') return undefined;
      const commandPath = words.slice(0, hit.at + 1).join(' ');
      const target = optionValue(args, ['--image']) ?? optionValue(args, ['--name', '-n']) ?? optionValue(args, ['--resource-group', '-g']) ?? optionValue(args, ['--source', '--container-name', '-c']) ?? words[hit.at + 1];
      const critical = /^(group|storage account|storage container|storage share|storage fs|sql (db|server|mi)|cosmosdb( [a-z]+ (database|container|collection|table|keyspace|graph))?|postgres( flexible-server| server)?|mysql( flexible-server| server)?|mariadb server|redis|keyvault purge|keyvault [a-z]+ purge|disk|snapshot|backup (vault|protection|item)|aks|netappfiles [a-z]+) (delete|purge|disable-protection)$/.test(commandPath)
        || /^keyvault( [a-z]+)? purge$/.test(commandPath);
      const medium = hit.root === 'untag' || /^(storage blob delete)$/.test(commandPath) || hit.word.startsWith('remove');
      const severity: Severity = critical ? 'critical' : medium ? 'medium' : 'high';
      const purge = hit.root === 'purge';
      return withResource({ severity, message: `\`az ${commandPath}\` ${purge ? 'permanently purges' : verbEffect(hit.root)}${quoted(target) || ' the resource'}${commandPath === 'group delete' ? ' and every resource in the resource group' : critical ? ' with all of its data' : ''}${critical ? '; it cannot be undone' : ''}.`, safer: `\`az ${words.slice(0, hit.at).join(' ')} show\` to review it first${critical ? ', and back it up' : ''}.` }, target);
    },
  }),
  defineRule({
    meta: { id: 'cloud.azcopy-delete', severity: 'high', description: 'azcopy remove, and sync --delete-destination true.' },
    programs: ['azcopy'],
    check(command) {
      const args = command.argv.slice(1);
      const words = positionals(args, new Set(['--include-pattern', '--exclude-pattern', '--include-path', '--exclude-path', '--list-of-files', '--log-level', '--from-to', '--delete-destination', '--cap-mbps']));
      const sub = words[0]?.toLowerCase();
      if (hasAnyOption(args, ['--dry-run'])) return undefined;
      if (sub === 'remove' || sub === 'rm') {
        const recursive = hasAnyOption(args, ['--recursive']);
        return withResource({ severity: 'high', message: `\`azcopy remove${recursive ? ' --recursive' : ''}\` deletes ${recursive ? 'everything under' : 'the blob'}${quoted(words[1])} from Azure storage.`, safer: 'add `--dry-run` to list what would be deleted.' }, words[1]);
      }
      if (sub === 'sync') {
        const mode = optionValue(args, ['--delete-destination'])?.toLowerCase();
        if (mode === 'true') return withResource({ severity: 'high', message: `\`azcopy sync --delete-destination true\` deletes every file in${quoted(words[2]) || ' the destination'} that the source lacks.`, safer: 'use `--delete-destination prompt`, or add `--dry-run` first.' }, words[2]);
      }
      return undefined;
    },
  }),

  // ── MinIO client ────────────────────────────────────────────────────────────────────────────────────────────
  defineRule({
    meta: { id: 'cloud.minio-delete', severity: 'high', description: 'mc rm / rb / mirror --remove and mc admin … remove/delete.' },
    programs: ['mc', 'mcli'],
    check(command) {
      const args = command.argv.slice(1);
      const words = positionals(args, new Set(['--config-dir', '-C', '--older-than', '--newer-than', '--versions', '--version-id', '--rewind', '--exclude', '--encrypt-key', '--limit-upload', '--limit-download', '--json'])).map((w) => w.toLowerCase());
      const sub = words[0];
      if (sub === undefined || hasAnyOption(args, ['--dry-run', '--fake'])) return undefined;
      const target = words[words.length - 1];
      const recursive = hasAnyOption(args, ['--recursive', '-r']);
      const force = hasAnyOption(args, ['--force']);
      if (sub === 'rb') {
        return withResource({ severity: force ? 'critical' : 'high', message: `\`mc rb${force ? ' --force' : ''}\` deletes the bucket${quoted(words[1])}${force ? ' with every object in it' : ''}.`, safer: '`mc ls` to review it, and `mc mirror` it somewhere safe first.' }, words[1]);
      }
      if (sub === 'rm') {
        const root = recursive && force && words[1] !== undefined && /^[^/]+\/[^/]+\/?$/.test(words[1]);
        return withResource({ severity: root ? 'critical' : recursive ? 'high' : 'medium', message: `\`mc rm${recursive ? ' --recursive' : ''}\` deletes ${root ? 'every object in the bucket' : recursive ? 'everything under' : 'the object'}${quoted(words[1])}.`, safer: 'add `--dry-run` (or `--fake`) to list what would be deleted.' }, words[1]);
      }
      if (sub === 'mirror' && hasAnyOption(args, ['--remove', '--delete'])) {
        return withResource({ severity: 'high', message: `\`mc mirror --remove\` deletes every object in${quoted(target) || ' the destination'} that the source lacks.`, safer: 'add `--dry-run` first, or drop `--remove`.' }, target);
      }
      if (sub === 'admin' || sub === 'ilm' || sub === 'event' || sub === 'replicate' || sub === 'idp' || sub === 'version' || sub === 'retention' || sub === 'legalhold' || sub === 'tag') {
        const hit = findVerb(words.slice(1), 3);
        if (!hit) return undefined;
        const commandPath = words.slice(0, hit.at + 2).join(' ');
        const bucket = /^admin bucket (delete|remove|rm)$/.test(commandPath);
        // `mc admin user remove ALIAS NAME`: the first word after the verb is the server alias.
        const alias = words[hit.at + 2];
        const name = sub === 'admin' ? words[hit.at + 3] ?? alias : alias;
        return withResource({ severity: bucket ? 'critical' : 'high', message: `\`mc ${commandPath}\` ${verbEffect(hit.root)}${quoted(name) || ' it'} on the MinIO server${sub === 'admin' && alias ? ` "${alias}"` : ''}${bucket ? ', with all of its objects' : ''}.`, safer: '`mc admin info` / `mc ls` to review it first.' }, name);
      }
      return undefined;
    },
  }),

  // ── Other cloud CLIs ────────────────────────────────────────────────────────────────────────────────────────
  defineRule({
    meta: { id: 'cloud.provider-cli-delete', severity: 'high', description: 'doctl, hcloud, linode-cli, oci, scw, ibmcloud, vultr-cli: delete/destroy/terminate (critical for databases, volumes, buckets, snapshots, clusters, projects).' },
    programs: ['doctl', 'hcloud', 'linode-cli', 'linode', 'oci', 'scw', 'ibmcloud', 'ic', 'vultr-cli', 'exo'],
    check(command) {
      const args = command.argv.slice(1);
      const words = positionals(args, new Set(['--context', '-t', '--access-token', '--config', '-o', '--output', '--format', '--profile', '--region', '-r', '--compartment-id', '-c', '--bucket-name', '--namespace', '-n', '--name', '-g', '--resource-group', '--zone', '-p'])).map((w) => w.toLowerCase());
      let at = -1;
      let word = '';
      for (let i = 0; i < Math.min(words.length, 5); i += 1) {
        const w = words[i]!;
        if (/[/=@]/.test(w)) break;
        if (/^(delete|del|rm|remove|destroy|terminate|purge|bulk-delete)$/.test(w) || /(^|-)(delete|rm|remove|destroy|terminate|purge)$/.test(w) || /^(delete|remove|destroy|terminate|purge)-/.test(w)) { at = i; word = w; break; }
      }
      if (at < 0 || hasAnyOption(args, ['--dry-run'])) return undefined;
      const commandPath = words.slice(0, at + 1).join(' ');
      const nouns = commandPath.split(/[\s-]+/);
      const critical = nouns.some((n) => /^(databases?|db|dbs|rdb|mysql|postgres(ql)?|redis|mongodb|volumes?|buckets?|snapshots?|backups?|autonomous|cluster|clusters|kubernetes|project|projects|storage|disk|disks|cos)$/.test(n));
      const target = words[at + 1] ?? optionValue(args, ['--bucket-name', '--bucket', '--name', '--id', '--db-system-id', '--volume-id', '--instance-id']);
      return withResource({ severity: critical ? 'critical' : 'high', message: `\`${command.program} ${commandPath}\` ${/terminate/.test(word) ? 'terminates' : /destroy/.test(word) ? 'destroys' : 'deletes'}${quoted(target) || ' the resource'}${critical ? ' with the data it holds' : ''}; it cannot be undone.`, safer: `\`${command.program} ${words.slice(0, at).join(' ')} get\`/\`list\` to review it${critical ? ', and snapshot or back it up first' : ' first'}.` }, target);
    },
  }),
  defineRule({
    meta: { id: 'cloud.firebase-delete', severity: 'high', description: 'firebase firestore:delete, database:remove/set, hosting:disable, functions:delete and other :delete commands.' },
    programs: ['firebase'],
    check(command) {
      const args = command.argv.slice(1);
      const words = positionals(args, new Set(['-P', '--project', '--account', '--token', '--instance', '--config', '--only', '--except', '--region', '--site', '-s', '--database']));
      const sub = words[0]?.toLowerCase();
      if (sub === undefined) return undefined;
      const target = words[1];
      if (sub === 'firestore:delete') {
        const all = hasAnyOption(args, ['--all-collections']);
        const recursive = hasAnyOption(args, ['--recursive', '-r']) || shortFlags(args).has('r');
        return withResource({ severity: all ? 'critical' : recursive ? 'high' : 'medium', message: `\`firebase firestore:delete\` deletes ${all ? 'every document of every collection in the database' : `${recursive ? 'everything under ' : 'the document '}${target ?? 'the path'}`}.`, safer: 'export the data first (`gcloud firestore export`).' }, target);
      }
      if (sub === 'database:remove' || sub === 'database:set') {
        const root = target === '/' || target === undefined;
        return withResource({ severity: root ? 'critical' : 'high', message: `\`firebase ${sub}\` ${sub === 'database:set' ? 'overwrites' : 'deletes'} ${root ? 'the whole Realtime Database' : `the data at ${target}`}.`, safer: '`firebase database:get` to save the current data first.' }, target);
      }
      if (sub === 'hosting:disable') return { severity: 'high', message: '`firebase hosting:disable` takes the site offline: it stops serving any content.', safer: '`firebase hosting:channel:deploy` to test changes on a preview channel instead.' };
      if (/^projects?:?delete$/.test(sub) || (sub === 'projects' && words[1] === 'delete')) return { severity: 'critical', message: '`firebase projects delete` shuts down the whole Firebase project with its data.', safer: 'export the data first.' };
      if (/:(delete|remove|destroy|disable|rm|unset)$/.test(sub) || /:delete:/.test(sub)) {
        return withResource({ severity: /channel:delete|config:unset|remoteconfig/.test(sub) ? 'medium' : 'high', message: `\`firebase ${sub}\` removes${quoted(target) || ' it'} from the Firebase project.`, safer: '`firebase …:list` to review it first.' }, target);
      }
      return undefined;
    },
  }),
];

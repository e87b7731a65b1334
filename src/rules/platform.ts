// Rule pack: application platform CLIs (railway, fly, heroku, vercel, netlify, supabase, render, dokku, cf):
// destroying apps, volumes and databases is blocked; taking services down or removing config needs a confirmation.
import type { SimpleCommand } from '../shell/types.js';
import { optionValue, positionals } from '../shell/words.js';
import { defineRule, type Report, type Rule, type Severity } from './rule.js';
import { hasAnyOption } from './services.js';

interface PlatformCommand {
  /** The command words in lower case (`volume`, `delete`), after options and their values. */
  readonly words: readonly string[];
  /** The same words as written, for resource names. */
  readonly original: readonly string[];
  /** The arguments after the program, as written. */
  readonly args: readonly string[];
}

function platformCommand(command: SimpleCommand, valueOptions: ReadonlySet<string>): PlatformCommand {
  const args = command.argv.slice(1);
  const original = positionals(args, valueOptions);
  return { words: original.map((w) => w.toLowerCase()), original, args };
}

/** A table row: the command words (each a set of spellings), what it does, and how bad it is. */
interface Entry {
  readonly path: RegExp;
  readonly severity: Severity;
  /** What happens, as the end of a sentence that starts with the command (`deletes the volume and its data`). */
  readonly effect: string;
  readonly safer?: string;
  /** Options that name the target, when it is not the word after the command path. */
  readonly targetOptions?: readonly string[];
}

const platform = (id: string, programs: readonly string[], label: string, valueOptions: readonly string[], entries: readonly Entry[], description: string): Rule => {
  const valueSet = new Set(valueOptions);
  return defineRule({
    meta: { id, severity: 'critical', description },
    programs,
    check(command) {
      const { words, original, args } = platformCommand(command, valueSet);
      if (words.length === 0) return undefined;
      const joined = words.slice(0, 4).join(' ');
      for (const entry of entries) {
        const match = entry.path.exec(joined);
        // The match must end at a word boundary of the command (`down`, not `download`).
        if (!match || (joined.length > match[0].length && joined[match[0].length] !== ' ')) continue;
        const used = match[0].trim().split(' ').length;
        const resource = (entry.targetOptions ? optionValue(args, entry.targetOptions) : undefined) ?? original[used] ?? optionValue(args, ['--app', '-a', '--project', '--service', '-s']);
        const report: Report = {
          severity: entry.severity,
          message: `On ${label}, \`${command.program} ${match[0].trim()}\`${resource ? ` (${resource})` : ''} ${entry.effect}${entry.severity === 'critical' ? '; it cannot be undone' : ''}.`,
          ...(entry.safer ? { safer: entry.safer } : {}),
          ...(resource ? { resource } : {}),
        };
        return report;
      }
      return undefined;
    },
  });
};

const DELETE = '(delete|del|remove|rm|destroy)';

export const platformRules: readonly Rule[] = [
  platform('platform.railway-destructive', ['railway'], 'Railway', ['-s', '--service', '-e', '--environment', '-p', '--project'], [
    { path: new RegExp(`^(volume|volumes) ${DELETE}`), severity: 'critical', effect: 'deletes the volume with all the data on it', targetOptions: ['--volume', '-v'], safer: 'back up the data (`railway volume` backups or a dump) and detach it instead (`railway volume detach`).' },
    { path: new RegExp(`^(environment|env|environments) ${DELETE}`), severity: 'critical', effect: 'deletes the environment with every service, database and volume in it', safer: '`railway status` to check which environment is linked.' },
    { path: new RegExp(`^(service|services) ${DELETE}`), severity: 'high', effect: 'deletes the service and its deployments', safer: '`railway down` to stop the latest deployment instead.' },
    { path: new RegExp(`^(project|projects) ${DELETE}`), severity: 'critical', effect: 'deletes the project with every service, database and volume in it' },
    { path: /^delete/, severity: 'critical', effect: 'deletes the linked project with every service, database and volume in it', safer: '`railway status` to check which project is linked.' },
    { path: /^(volume|volumes) detach/, severity: 'medium', effect: 'detaches the volume from its service; the service loses its data until it is attached again' },
    { path: /^down/, severity: 'high', effect: 'removes the most recent deployment, taking the service offline', safer: '`railway logs` / `railway status` first; redeploy with `railway up`.' },
    { path: /^(variables?|vars?) (delete|remove|rm|unset)/, severity: 'medium', effect: 'removes service variables; the service may fail at its next start' },
  ], 'railway volume/project/environment delete (critical), service delete, down.'),
  platform('platform.fly-destructive', ['fly', 'flyctl'], 'Fly.io', ['-a', '--app', '-c', '--config', '-r', '--region', '-o', '--org', '--access-token', '-t'], [
    { path: new RegExp(`^(apps?) ${DELETE}`), severity: 'critical', effect: 'destroys the app with its machines, volumes and IP addresses', safer: '`fly scale count 0` to stop it, or `fly apps list` to check the name.' },
    { path: /^destroy/, severity: 'critical', effect: 'destroys the app with its machines, volumes and IP addresses', safer: '`fly scale count 0` to stop it instead.' },
    { path: new RegExp(`^(volumes?|vol|vols) ${DELETE}`), severity: 'critical', effect: 'destroys the volume and the data on it', safer: '`fly volumes snapshots create` first, and `fly volumes list` to check the id.' },
    { path: new RegExp(`^(postgres|pg|redis|mysql|mpg|storage|tigris|consul|ext [a-z-]+) ${DELETE}`), severity: 'critical', effect: 'destroys the database cluster and its data', safer: 'take a backup or snapshot first.' },
    { path: new RegExp(`^(volumes?|vol) snapshots? ${DELETE}`), severity: 'critical', effect: 'deletes the volume snapshot (a backup)' },
    { path: new RegExp(`^(machines?|m) (destroy|remove|rm|kill)`), severity: 'high', effect: 'destroys the machine; data on its root file system is lost', safer: '`fly machine stop` instead.' },
    { path: /^scale count 0/, severity: 'medium', effect: 'stops every machine of the app, taking it offline', safer: '`fly status` first.' },
    { path: /^secrets unset/, severity: 'medium', effect: 'removes app secrets and restarts the app without them' },
    { path: new RegExp(`^(certs|ips|tokens|wireguard|wg|orgs|domains) (${DELETE}|release|revoke)`), severity: 'medium', effect: 'removes it from the app or organisation' },
  ], 'fly apps/volumes/postgres destroy (critical), machine destroy, scale count 0.'),
  platform('platform.heroku-destructive', ['heroku'], 'Heroku', ['-a', '--app', '-r', '--remote', '--team', '-t', '--confirm'], [
    { path: /^(apps:destroy|apps destroy|destroy|apps:delete)/, severity: 'critical', effect: 'destroys the app with its add-ons, databases and config', safer: '`heroku maintenance:on` or `heroku ps:scale web=0` to take it offline instead.' },
    { path: /^(pg:reset|pg reset)/, severity: 'critical', effect: 'erases every table and row in the Postgres database', safer: '`heroku pg:backups:capture` first, and reset only a throw-away database.' },
    { path: /^(pg:backups:(delete|destroy)|pg:backups (delete|destroy)|pg backups (delete|destroy))/, severity: 'critical', effect: 'deletes the database backup' },
    { path: /^(addons:destroy|addons:remove|addons destroy|addons remove)/, severity: 'critical', effect: 'destroys the add-on with its data (a database add-on takes the database with it)', safer: '`heroku addons:info` to check which add-on it is, and back it up first.' },
    { path: /^(redis:reset|redis reset|pg:killall|pg killall)/, severity: 'high', effect: 'wipes the data or kills every connection of the data store' },
    { path: /^(ps:scale|ps scale) [a-z0-9_-]+=0/, severity: 'medium', effect: 'scales the process type to zero, taking it offline' },
    { path: /^(ps:stop|ps stop|ps:kill|ps kill)/, severity: 'medium', effect: 'stops running dynos' },
    { path: /^(config:unset|config unset)/, severity: 'medium', effect: 'removes config vars and restarts the app without them', safer: '`heroku config:get` to keep the values first.' },
    { path: /^(domains:(remove|clear)|domains (remove|clear)|certs:remove|access:remove|releases:rollback|rollback)/, severity: 'medium', effect: 'removes or rolls back part of the app\'s live configuration' },
  ], 'heroku apps:destroy, pg:reset, addons:destroy (critical), ps:scale …=0, config:unset.'),
  platform('platform.vercel-destructive', ['vercel', 'vc'], 'Vercel', ['--scope', '-S', '--token', '-t', '-A', '--local-config', '-Q', '--global-config', '--team', '-T', '--cwd'], [
    { path: new RegExp(`^(project|projects) ${DELETE}`), severity: 'critical', effect: 'deletes the project with every deployment, domain assignment and environment variable', safer: '`vercel project ls` to check the name first.' },
    { path: /^(remove|rm)/, severity: 'high', effect: 'removes the deployments, taking them offline', safer: '`vercel ls` to review the deployments, or `vercel rollback` instead.' },
    { path: new RegExp(`^(blob|storage|kv|postgres|edge-config) ${DELETE}`), severity: 'critical', effect: 'deletes the stored data' },
    { path: new RegExp(`^(domains?|dns) ${DELETE}`), severity: 'high', effect: 'removes the domain or DNS record; traffic for it stops' },
    { path: new RegExp(`^(env|secrets?|certs?|alias|aliases|teams?|webhooks?) ${DELETE}`), severity: 'medium', effect: 'removes it from the project' },
    { path: /^rollback/, severity: 'medium', effect: 'switches production back to an older deployment' },
  ], 'vercel project rm (critical), vercel remove, domains rm, env rm.'),
  platform('platform.netlify-destructive', ['netlify', 'ntl'], 'Netlify', ['--site', '--auth', '--filter', '--context', '--data', '-d'], [
    { path: /^(sites:delete|sites delete)/, severity: 'critical', effect: 'deletes the site with its deploys, forms and functions', safer: '`netlify sites:list` to check the site first.' },
    { path: /^(api (deletesite|deletesiteindeploy|deleteaccount))/, severity: 'critical', effect: 'deletes the site or account through the API' },
    { path: /^(blobs:delete|blobs delete)/, severity: 'high', effect: 'deletes the stored blob' },
    { path: /^api delete[a-z]+/, severity: 'high', effect: 'deletes it through the Netlify API' },
    { path: /^(env:unset|env unset|env:delete)/, severity: 'medium', effect: 'removes the environment variable from the site', safer: '`netlify env:get` to keep the value first.' },
    { path: /^(functions:delete|unlink)/, severity: 'medium', effect: 'removes it from the site' },
  ], 'netlify sites:delete (critical), env:unset, api delete*.'),
  defineRule({
    meta: { id: 'platform.supabase-destructive', severity: 'critical', description: 'supabase projects delete, db reset against a linked/remote database (critical), branches/functions/storage deletes.' },
    programs: ['supabase'],
    check(command) {
      const { words, original, args } = platformCommand(command, new Set(['--project-ref', '--db-url', '--workdir', '--profile', '-o', '--output', '--experimental', '--password', '-p', '--schema', '-s', '--version']));
      const path = words.slice(0, 2).join(' ');
      const target = original[2] ?? optionValue(args, ['--project-ref']);
      const withTarget = (r: Report): Report => (target ? { ...r, resource: target } : r);
      if (path === 'db reset') {
        const remote = hasAnyOption(args, ['--linked', '--db-url']);
        return remote
          ? withTarget({ severity: 'critical', message: '`supabase db reset` against a linked or remote database drops every table and all data there, then re-runs the migrations.', safer: '`supabase db reset` on the local stack only, after `supabase db dump --data-only` of the remote.' })
          : { severity: 'medium', message: '`supabase db reset` recreates the local development database: data in it is lost.', safer: '`supabase db dump --local --data-only` first, if the local data matters.' };
      }
      if (/^(projects|orgs) delete$/.test(path)) return withTarget({ severity: 'critical', message: `\`supabase ${path}\` deletes the whole Supabase ${words[0] === 'orgs' ? 'organisation' : 'project'} with its database, storage and functions; it cannot be undone.`, safer: '`supabase projects list` to check the ref, and `supabase db dump` first.' });
      if (path === 'branches delete') return withTarget({ severity: 'high', message: '`supabase branches delete` deletes the preview branch with its database.', safer: '`supabase branches list` first.' });
      if (path === 'storage rm') return withTarget({ severity: hasAnyOption(args, ['-r', '--recursive']) ? 'high' : 'medium', message: '`supabase storage rm` deletes objects from Supabase storage.', safer: '`supabase storage ls` to review them first.' });
      if (/^(functions|domains|vanity-subdomains|sso|network-bans|secrets) (delete|remove|unset)$/.test(path)) return withTarget({ severity: 'medium', message: `\`supabase ${path}\` removes it from the project.`, safer: `\`supabase ${words[0]} list\` to review it first.` });
      if (path === 'stop' || words[0] === 'stop') {
        return hasAnyOption(args, ['--no-backup']) ? { severity: 'medium', message: '`supabase stop --no-backup` deletes the local database volumes.', safer: '`supabase stop`, which keeps the data.' } : undefined;
      }
      return undefined;
    },
  }),
  platform('platform.render-destructive', ['render'], 'Render', ['-o', '--output', '--confirm'], [
    { path: new RegExp(`^(postgres|redis|key-value|disks?) ${DELETE}`), severity: 'critical', effect: 'deletes the data store with its data' },
    { path: new RegExp(`^(services?|projects?|environments?|blueprints?) ${DELETE}`), severity: 'high', effect: 'deletes it with its deploys', safer: '`render services list` to check the id first.' },
    { path: new RegExp(`^[a-z-]+ ${DELETE}`), severity: 'high', effect: 'deletes it from the Render workspace' },
  ], 'render … delete (critical for databases and disks).'),
  platform('platform.dokku-destructive', ['dokku'], 'dokku', [], [
    { path: /^(apps:destroy|[a-z]+:destroy)/, severity: 'critical', effect: 'destroys the app or service with its data', safer: 'export or back it up first (`dokku postgres:export`).' },
    { path: /^(postgres|mysql|mariadb|redis|mongo):(unlink|reset)/, severity: 'high', effect: 'detaches or resets the database' },
    { path: /^(config:unset|domains:remove|domains:clear)/, severity: 'medium', effect: 'changes the live app\'s configuration' },
    { path: /^(ps:stop|ps:scale [a-z0-9_-]+ [a-z]+=0)/, severity: 'medium', effect: 'stops the app\'s processes, taking it offline' },
  ], 'dokku …:destroy (critical).'),
  platform('platform.cf-destructive', ['cf'], 'Cloud Foundry', ['-o', '-s'], [
    { path: /^(delete-service|ds|delete-space|delete-org|purge-service-instance|purge-service-offering)/, severity: 'critical', effect: 'deletes it with the data it holds' },
    { path: /^(delete|d)/, severity: 'high', effect: 'deletes the app with its routes and service bindings' },
    { path: /^(delete-route|delete-domain|delete-shared-domain|delete-private-domain|delete-buildpack|delete-user|delete-service-key|delete-orphaned-routes)/, severity: 'high', effect: 'deletes it from the platform' },
    { path: /^(stop|sp)/, severity: 'medium', effect: 'stops the app, taking it offline' },
    { path: /^(unset-env|unbind-service|us)/, severity: 'medium', effect: 'changes the live app\'s configuration' },
  ], 'cf delete-service/space/org (critical), cf delete, cf stop.'),
];

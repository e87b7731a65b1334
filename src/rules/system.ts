// Rule pack: the machine itself: services, power, processes, disks and volumes, firewall, DNS, package removal.
import type { SimpleCommand } from '../shell/types.js';
import { optionValue, positionals } from '../shell/words.js';
import { defineRule, type Rule } from './rule.js';

const firstPositional = (command: SimpleCommand, from = 1): string | undefined => command.argv.slice(from).find((a) => !a.startsWith('-'));

const STOPPING_SYSTEMCTL = new Set(['stop', 'disable', 'mask', 'kill', 'isolate', 'poweroff', 'reboot', 'halt', 'kexec', 'rescue', 'emergency', 'suspend', 'hibernate']);

const PKILL_VALUE_OPTIONS = new Set(['-s', '--signal', '-u', '--euid', '-U', '--uid', '-g', '--pgroup', '-G', '--group', '-P', '--parent', '-t', '--terminal',
  '-F', '--pidfile', '--ns', '--nslist', '--session', '-q', '--queue']);
const KILLALL_VALUE_OPTIONS = new Set(['-s', '--signal', '-u', '--user', '-o', '--older-than', '-y', '--younger-than', '-n', '--ns', '-Z', '--context']);
/** Server programs by process name (a word of a pkill/killall pattern): databases, caches, queues, web servers, runtimes. */
const SERVER_PROCESS = new RegExp(`(?:^|[^a-z0-9_-])(${[
  'postgres', 'postmaster', 'mysqld', 'mysqld_safe', 'mariadbd', 'mongod', 'mongos', 'redis-server', 'redis-sentinel', 'valkey-server', 'memcached',
  'clickhouse-server', 'cassandra', 'influxd', 'etcd', 'consul', 'vault', 'nomad', 'pgbouncer', 'elasticsearch', 'opensearch', 'kafka', 'zookeeper',
  'rabbitmq-server', 'beam.smp', 'nats-server', 'minio', 'sqlservr', 'nginx', 'apache2', 'httpd', 'haproxy', 'envoy', 'traefik', 'caddy', 'dockerd',
  'containerd', 'kubelet', 'sshd', 'supervisord', 'gunicorn', 'uwsgi', 'php-fpm', 'systemd',
].map((name) => name.replace(/[.]/g, '\\.')).join('|')})(?:$|[^a-z0-9_-])`, 'i');

export const systemRules: readonly Rule[] = [
  defineRule({
    meta: { id: 'system.service-stop', severity: 'medium', description: 'Stopping, disabling or masking system services.' },
    programs: ['systemctl', 'service', 'rc-service', 'launchctl', 'sv'],
    check(command) {
      const args = command.argv.slice(1).filter((a) => !a.startsWith('-'));
      if (command.program === 'systemctl') {
        const verb = args[0];
        if (verb && STOPPING_SYSTEMCTL.has(verb)) {
          return { message: `systemctl ${verb} ${args.slice(1).join(' ')} takes a service (or the machine) down for everyone using it.`, safer: '`systemctl status` to look, or `systemctl reload` to apply configuration.', resource: args[1] };
        }
        return undefined;
      }
      if (command.program === 'launchctl') {
        return args[0] && /^(unload|bootout|remove|disable|kill)$/.test(args[0]) ? { message: `launchctl ${args[0]} stops a system service.` } : undefined;
      }
      const action = command.program === 'sv' ? args[0] : args[1];
      return action && /^(stop|kill|force-stop|disable|zap)$/.test(action)
        ? { message: `${command.program} ${args.join(' ')} takes the service down for everyone using it.`, safer: '`status`, or `reload` to apply configuration.', resource: command.program === 'sv' ? args[1] : args[0] } : undefined;
    },
  }),
  defineRule({
    meta: { id: 'system.power', severity: 'high', description: 'Rebooting or shutting down the machine.' },
    programs: ['reboot', 'shutdown', 'halt', 'poweroff', 'init', 'telinit'],
    check(command) {
      if (command.argv.includes('--help')) return undefined;
      if ((command.program === 'init' || command.program === 'telinit') && !/^[06sS]$/.test(command.argv[1] ?? '')) return undefined;
      if (command.program === 'shutdown' && command.argv.includes('-c')) return undefined;
      return { message: `${command.argv.join(' ')} stops the whole machine and everything running on it.` };
    },
  }),
  defineRule({
    meta: { id: 'system.kill-all', severity: 'high', description: 'Killing every process (kill -1, killall5) or init.' },
    programs: ['kill', 'killall5'],
    check(command) {
      if (command.program === 'killall5') return { message: 'killall5 kills every process on the machine.' };
      // The first option is the signal (`-9`, `-KILL`, `-s KILL`); what follows are pids, where -1 means "every process".
      const args = command.argv.slice(1);
      let start = 0;
      if (args[0] === '-s' || args[0] === '-n') start = 2;
      else if (args[0]?.startsWith('-') && args.length > 1) start = 1;
      const pids = args.slice(start).filter((a) => a !== '--');
      return pids.some((p) => p === '-1' || p === '1') ? { message: 'kill of pid 1 or -1 kills init or every process you own; the machine or session goes down.' } : undefined;
    },
  }),
  defineRule({
    meta: { id: 'system.kill-service', severity: 'medium', description: 'pkill/killall of a server process (a database, cache, queue, web server, container runtime): the service is down for everyone using it.' },
    programs: ['pkill', 'killall'],
    check(command) {
      const args = command.argv.slice(1);
      if (args.some((a) => a === '-l' || a === '--list' || a === '-V' || a === '--version' || a === '--help')) return undefined;
      const valueOptions = command.program === 'pkill' ? PKILL_VALUE_OPTIONS : KILLALL_VALUE_OPTIONS;
      const patterns = positionals(args, valueOptions);
      // A signal that asks a server to reload or reopen its logs does not stop it.
      const signal = optionValue(args, ['-s', '--signal']) ?? args.find((a) => /^-(SIG)?[A-Z]+[0-9]*$|^-[0-9]+$/.test(a))?.slice(1);
      if (signal !== undefined && /^(SIG)?(HUP|USR1|USR2|WINCH|CONT|0|1)$/i.test(signal)) return undefined;
      const server = patterns.map((p) => ({ pattern: p, name: SERVER_PROCESS.exec(p)?.[1] })).find((p) => p.name !== undefined);
      if (!server) return undefined;
      return {
        message: `${command.program} ${server.pattern} kills the ${server.name} server processes: whatever uses it fails until it is started again, and work in flight is lost.`,
        safer: 'stop it through its service manager (`systemctl stop`, `docker stop`, `brew services stop`) so it shuts down cleanly, or look first with `pgrep -a`.',
        resource: server.name!,
      };
    },
  }),
  defineRule({
    meta: { id: 'system.volume-destroy', severity: 'high', description: 'RAID, LVM, btrfs and device-mapper operations that destroy or detach volumes.' },
    programs: ['mdadm', 'btrfs', 'dmsetup', 'lvremove', 'vgremove', 'pvremove', 'pvmove', 'lvreduce', 'vgreduce', 'lvresize', 'zfs', 'umount'],
    check(command) {
      const argv = command.argv;
      const has = (...flags: string[]): boolean => argv.some((a) => flags.includes(a) || flags.some((f) => f.startsWith('--') && a.startsWith(`${f}=`)));
      switch (command.program) {
        case 'mdadm':
          return has('--stop', '-S', '--zero-superblock', '--create', '-C', '--remove', '-r', '--fail', '-f', '--grow', '-G') ? { message: 'mdadm changes a RAID array: stopping, recreating or wiping members can lose its data.', safer: '`mdadm --detail` / `--examine` to inspect.' } : undefined;
        case 'btrfs': {
          const words = argv.slice(1).filter((a) => !a.startsWith('-'));
          const destroys = (words[0] === 'subvolume' && /^(delete|del)$/.test(words[1] ?? '')) || (words[0] === 'device' && /^(delete|remove)$/.test(words[1] ?? ''))
            || (words[0] === 'check' && has('--repair')) || (words[0] === 'rescue') || (words[0] === 'filesystem' && words[1] === 'resize');
          return destroys ? { message: `btrfs ${words.slice(0, 2).join(' ')} can destroy data on the file system.`, safer: '`btrfs subvolume list` / `btrfs check` (read-only) first.' } : undefined;
        }
        case 'dmsetup': {
          const verb = firstPositional(command);
          return verb && /^(remove|remove_all|wipe_table|clear|reload|load|suspend)$/.test(verb) ? { message: `dmsetup ${verb} changes device-mapper tables under mounted volumes; data can be lost.`, safer: '`dmsetup status` / `info` to inspect.' } : undefined;
        }
        case 'zfs': {
          const verb = firstPositional(command);
          return verb && /^(destroy|rollback)$/.test(verb) ? { message: `zfs ${verb} deletes datasets or snapshots.` } : undefined;
        }
        case 'umount':
          return has('-a', '--all') || argv.slice(1).some((a) => a === '/') ? { message: 'umount of every file system or the root makes the machine unusable.' } : undefined;
        default:
          return { message: `${command.program} changes LVM volumes; shrinking or removing them destroys their data.`, safer: '`lvs` / `vgs` / `pvs` to inspect.' };
      }
    },
  }),
  defineRule({
    meta: { id: 'system.crontab-remove', severity: 'high', description: 'crontab -r deletes every scheduled job.' },
    programs: ['crontab'],
    check: (command) => (command.argv.some((a) => /^-[a-z]*r/.test(a)) ? { message: 'crontab -r deletes all your scheduled jobs without asking.', safer: '`crontab -l > cron.bak` first, then `crontab -e`.' } : undefined),
  }),
  defineRule({
    meta: { id: 'system.firewall-flush', severity: 'high', description: 'Flushing or disabling the firewall.' },
    programs: ['iptables', 'ip6tables', 'nft', 'ufw', 'firewall-cmd'],
    check(command) {
      const argv = command.argv;
      if (command.program === 'nft') return argv.includes('flush') || argv.includes('delete') ? { message: 'nft flush/delete removes firewall rules; the machine may be exposed or cut off.' } : undefined;
      if (command.program === 'ufw') return /^(disable|reset)$/.test(argv[1] ?? '') ? { message: `ufw ${argv[1]} turns the firewall off.` } : undefined;
      if (command.program === 'firewall-cmd') return argv.some((a) => a === '--panic-on' || a.startsWith('--remove-')) ? { message: 'firewall-cmd removes rules or blocks all traffic.' } : undefined;
      return argv.some((a) => a === '-F' || a === '--flush' || a === '-X' || a === '--delete-chain') ? { message: `${command.program} --flush removes every firewall rule; the machine may be exposed or cut off.`, safer: `\`${command.program}-save\` first.` } : undefined;
    },
  }),
  defineRule({
    meta: { id: 'system.dns-update', severity: 'medium', description: 'nsupdate changes DNS records; dig axfr dumps a whole zone.' },
    programs: ['nsupdate', 'dig'],
    check(command) {
      if (command.program === 'nsupdate') return command.argv.includes('--help') ? undefined : { message: 'nsupdate changes live DNS records (delete/add); mistakes take sites offline.' };
      return command.argv.some((a) => a.toLowerCase() === 'axfr' || a.toLowerCase() === '-t=axfr') ? { message: 'dig axfr requests a full zone transfer: every record of the zone, often including internal hosts.' } : undefined;
    },
  }),
  defineRule({
    meta: { id: 'system.proxy-admin', severity: 'medium', description: 'Stopping load balancers and proxies, or disabling their backends.' },
    programs: ['haproxy', 'nginx', 'apachectl', 'apache2ctl', 'httpd', 'caddy', 'socat'],
    check(command) {
      const argv = command.argv;
      if (command.program === 'haproxy') return argv.includes('-st') ? { message: 'haproxy -st terminates the running HAProxy at once, dropping live connections.', safer: '`haproxy -sf` (finish connections) or `systemctl reload haproxy`.' } : undefined;
      if (command.program === 'socat') {
        const from = command.stdin?.kind === 'pipe' ? command.stdin.from : undefined;
        const text = from && (from.program === 'echo' || from.program === 'printf') ? from.argv.slice(1).join(' ') : command.stdin && command.stdin.kind !== 'pipe' ? command.stdin.text : '';
        return /\b(disable|shutdown|del|clear|set\s+(weight|server|maxconn)|kill)\b/i.test(text) && argv.some((a) => /\.sock|unix-connect/i.test(a))
          ? { message: `Sends "${text.trim()}" to a load balancer's admin socket: servers or sessions go down.` } : undefined;
      }
      const i = argv.indexOf('-s');
      const signal = i > 0 ? argv[i + 1] : argv.find((a) => /^-k$/.test(a)) ? argv[argv.indexOf('-k') + 1] : command.program === 'caddy' ? argv[1] : undefined;
      return signal && /^(stop|quit|graceful-stop)$/.test(signal) ? { message: `${command.program} ${signal} takes the web server down.`, safer: 'reload instead (`-s reload`).' } : undefined;
    },
  }),
  defineRule({
    meta: { id: 'system.ssh-agent-keys', severity: 'medium', description: 'ssh-add -d/-D removes identities from the agent.' },
    programs: ['ssh-add'],
    check: (command) => (command.argv.some((a) => /^-[a-zA-Z]*[dD]/.test(a)) ? { message: 'ssh-add -d/-D removes keys from the SSH agent; running sessions and deploys that rely on them fail.' } : undefined),
  }),
  defineRule({
    meta: { id: 'system.package-remove', severity: 'medium', description: 'Removing system packages (apt/yum/dnf/brew remove or purge).' },
    programs: ['apt', 'apt-get', 'aptitude', 'yum', 'dnf', 'zypper', 'pacman', 'apk', 'brew', 'snap', 'port', 'dpkg'],
    check(command) {
      const verb = firstPositional(command);
      const removes = command.program === 'pacman' ? command.argv.some((a) => /^-R/.test(a))
        : command.program === 'dpkg' ? command.argv.some((a) => a === '-r' || a === '-P' || a === '--purge' || a === '--remove')
        : verb !== undefined && /^(remove|purge|autoremove|erase|uninstall|del|rm|zap)$/.test(verb);
      return removes ? { message: `${command.program} ${verb ?? ''} removes system packages; other software that depends on them can break.`.replace('  ', ' ') } : undefined;
    },
  }),
  defineRule({
    meta: { id: 'system.user-delete', severity: 'high', description: 'Deleting users or groups.' },
    programs: ['userdel', 'deluser', 'groupdel', 'delgroup'],
    check: (command) => (command.argv.length > 1 ? { message: `${command.program} deletes an account${command.argv.some((a) => a === '-r' || a === '--remove-home') ? ' and its home folder' : ''}.` } : undefined),
  }),
];


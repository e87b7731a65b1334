// Rule pack: containers (docker, podman, nerdctl, docker compose): removing containers, images and volumes, prunes, stops.
import type { SimpleCommand } from '../shell/types.js';
import { optionValue, shortFlags } from '../shell/words.js';
import { defineRule, type Report, type Rule, type RuleContext, type Severity } from './rule.js';

const CONTAINER_PROGRAMS = ['docker', 'podman', 'nerdctl'];
const COMPOSE_PROGRAMS = ['docker-compose', 'podman-compose', 'nerdctl-compose'];
const ALL_PROGRAMS = [...CONTAINER_PROGRAMS, ...COMPOSE_PROGRAMS];

/** Options in front of the subcommand that take a value (`docker --context prod rm …`, `podman --connection x …`). */
const GLOBAL_VALUE_OPTIONS = new Set([
  '-c', '--context', '-H', '--host', '-l', '--log-level', '--config', '--tlscacert', '--tlscert', '--tlskey',
  '--connection', '--url', '--root', '--runroot', '--storage-driver', '--storage-opt', '--cgroup-manager', '--identity',
  '--module', '--runtime', '--tmpdir', '--events-backend', '--hooks-dir', '--imagestore', '--ssh',
  '-n', '--namespace', '-a', '--address', '--snapshotter', '--cni-path', '--data-root',
]);
/** Options of `docker compose` itself, before the compose subcommand (`docker compose -f x.yml -p shop down`). */
const COMPOSE_VALUE_OPTIONS = new Set(['-f', '--file', '-p', '--project-name', '--project-directory', '--env-file', '--profile', '--ansi', '--progress', '--parallel']);
/** Management commands whose action is the next word (`docker volume rm`, `docker container stop`). */
const MANAGEMENT = new Set(['container', 'image', 'volume', 'network', 'system', 'builder', 'buildx', 'swarm', 'stack', 'service', 'node', 'pod', 'secret', 'config', 'plugin', 'machine', 'context', 'manifest']);
/** Aliases, after `docker container X` / `docker image X` were folded onto the short forms. */
const ALIASES: Readonly<Record<string, string>> = {
  'container rm': 'rm', 'container remove': 'rm', 'remove': 'rm', 'container stop': 'stop', 'container kill': 'kill',
  'image rm': 'rmi', 'image remove': 'rmi', 'volume remove': 'volume rm', 'stack remove': 'stack rm', 'stack down': 'stack rm',
  'service remove': 'service rm', 'pod remove': 'pod rm', 'compose remove': 'compose rm',
};

interface ContainerInvocation {
  /** The normalised verb: `rm`, `rmi`, `stop`, `volume rm`, `system prune`, `compose down`, … */
  readonly verb: string;
  /** The arguments after the verb. */
  readonly args: readonly string[];
}

function skipOptions(argv: readonly string[], start: number, valueOptions: ReadonlySet<string>): number {
  let i = start;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') return i;
    i += !arg.includes('=') && valueOptions.has(arg) ? 2 : 1;
  }
  return i;
}

/** Finds the subcommand of a docker-like CLI, past global options, `compose` and management commands. */
export function containerInvocation(command: SimpleCommand): ContainerInvocation | undefined {
  const argv = command.argv;
  const isComposeProgram = COMPOSE_PROGRAMS.includes(command.program);
  let i = skipOptions(argv, 1, isComposeProgram ? COMPOSE_VALUE_OPTIONS : GLOBAL_VALUE_OPTIONS);
  let sub = argv[i]?.toLowerCase();
  if (sub === undefined) return undefined;
  let prefix = isComposeProgram ? 'compose ' : '';
  if (!isComposeProgram && sub === 'compose') {
    i = skipOptions(argv, i + 1, COMPOSE_VALUE_OPTIONS);
    sub = argv[i]?.toLowerCase();
    if (sub === undefined) return undefined;
    prefix = 'compose ';
  }
  let verb = prefix + sub;
  let args = argv.slice(i + 1);
  if (prefix === '' && MANAGEMENT.has(sub)) {
    const action = args[0];
    if (action !== undefined && !action.startsWith('-')) {
      verb = `${sub} ${action.toLowerCase()}`;
      args = args.slice(1);
    }
  }
  verb = ALIASES[verb] ?? verb;
  if (args.includes('--help')) return undefined;
  return { verb, args };
}

/** `--name` or `--name=true` (not `--name=false`). */
function hasFlag(args: readonly string[], long: string, short?: string): boolean {
  for (const arg of args) {
    if (arg === '--') break;
    if (arg === long || arg === `${long}=true`) return true;
  }
  return short !== undefined && shortFlags(args).has(short);
}

/** Positional arguments (names of containers, volumes, stacks); `valueOptions` consume the next word. */
function names(args: readonly string[], valueOptions: readonly string[] = []): string[] {
  const result: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg.startsWith('-') && arg.length > 1) {
      if (!arg.includes('=') && valueOptions.includes(arg)) i += 1;
      continue;
    }
    result.push(arg);
  }
  return result;
}

function listed(items: readonly string[]): string {
  return items.length > 3 ? `${items.slice(0, 3).join(', ')} and ${items.length - 3} more` : items.join(', ');
}

/** Deleting volumes is data loss; in a production workspace it is refused outright. */
function dataLossSeverity(context: RuleContext): Severity | undefined {
  return context.tier === 'production' ? 'critical' : undefined;
}

const container = (id: string, severity: Severity, description: string, check: (inv: ContainerInvocation, command: SimpleCommand, context: RuleContext) => Report | undefined): Rule =>
  defineRule({
    meta: { id, severity, description },
    programs: ALL_PROGRAMS,
    check(command, context) {
      const invocation = containerInvocation(command);
      return invocation ? check(invocation, command, context) : undefined;
    },
  });

export const containerRules: readonly Rule[] = [
  container('containers.rm-force', 'high', 'docker rm -f / -v removes running containers, or containers with their anonymous volumes.', ({ verb, args }, command) => {
    if (verb !== 'rm' && verb !== 'pod rm') return undefined;
    const force = hasFlag(args, '--force', 'f');
    const volumes = verb === 'rm' && hasFlag(args, '--volumes', 'v');
    if (!force && !volumes) return undefined;
    const targets = hasFlag(args, '--all', 'a') ? ['every container'] : names(args, ['--time', '-t', '--depend', '--cidfile']);
    const what = targets.length > 0 ? listed(targets) : 'the containers';
    const tool = command.program;
    const message = volumes
      ? `${tool} rm -v deletes ${what} together with its anonymous volumes; the data in them is gone.`
      : `${tool} rm -f kills ${what} even while it is running and deletes it; anything not in a named volume is lost.`;
    return { message, safer: `\`${tool} rm\` without -f/-v, which refuses to remove a running container and keeps its volumes.`, ...(targets[0] && targets.length === 1 ? { resource: targets[0] } : {}) };
  }),
  container('containers.rmi-force', 'medium', 'docker rmi -f force-removes images, even those used by containers.', ({ verb, args }, command) => {
    if (verb !== 'rmi' || !hasFlag(args, '--force', 'f')) return undefined;
    const targets = names(args);
    return { message: `${command.program} rmi -f removes ${targets.length > 0 ? listed(targets) : 'the images'} even while containers use them; locally built images cannot be pulled back.`, safer: `\`${command.program} rmi\` without -f, which refuses to remove an image in use.` };
  }),
  container('containers.volume-delete', 'high', 'docker volume rm / volume prune deletes volumes and the data in them (production: blocked).', ({ verb, args }, command, context) => {
    const severity = dataLossSeverity(context);
    if (verb === 'volume rm') {
      const targets = names(args);
      return {
        message: `${command.program} volume rm deletes ${targets.length > 0 ? `the volume${targets.length > 1 ? 's' : ''} ${listed(targets)}` : 'volumes'} and every file stored in them; there is no undo.`,
        safer: `back the volume up first (\`${command.program} run --rm -v VOLUME:/data -v "$PWD":/backup alpine tar czf /backup/volume.tgz /data\`).`,
        ...(targets.length === 1 ? { resource: targets[0]! } : {}),
        ...(severity ? { severity } : {}),
      };
    }
    if (verb === 'volume prune') {
      const all = hasFlag(args, '--all', 'a');
      return {
        message: `${command.program} volume prune deletes every ${all ? '' : 'anonymous '}volume no container uses right now, with its data; a stopped stack's database volume goes too.`,
        safer: `\`${command.program} volume ls\`, then remove the volumes you mean by name.`,
        ...(severity ? { severity } : {}),
      };
    }
    return undefined;
  }),
  container('containers.system-prune', 'medium', 'docker system prune (and podman system reset) removes stopped containers, networks, images and, with --volumes, volumes.', ({ verb, args }, command, context) => {
    if (verb === 'system reset') {
      return { severity: context.tier === 'production' ? 'critical' : 'high', message: `${command.program} system reset deletes every container, image, volume and network on this machine.`, safer: `\`${command.program} system prune\` to remove only unused objects.` };
    }
    if (verb !== 'system prune') return undefined;
    const volumes = hasFlag(args, '--volumes');
    const all = hasFlag(args, '--all', 'a');
    if (volumes) {
      return { severity: dataLossSeverity(context) ?? 'high', message: `${command.program} system prune --volumes deletes every stopped container and every unused volume with its data.`, safer: `\`${command.program} system prune\` without --volumes.` };
    }
    return {
      ...(all ? { severity: 'high' as const } : {}),
      message: `${command.program} system prune deletes every stopped container, unused network${all ? ' and every image no container uses (locally built ones too)' : ', dangling image'} and the build cache.`,
      safer: `\`${command.program} system df\` to see what would go, then remove single objects by name.`,
    };
  }),
  container('containers.prune', 'medium', 'docker image/container/network prune removes unused objects in bulk; builder prune is logged.', ({ verb, args }, command) => {
    const tool = command.program;
    switch (verb) {
      case 'image prune':
        return { message: `${tool} image prune deletes ${hasFlag(args, '--all', 'a') ? 'every image no container uses, locally built ones included' : 'dangling images'}.`, safer: `\`${tool} image ls\` and \`${tool} rmi IMAGE\` for the ones you mean.` };
      case 'container prune':
        return { message: `${tool} container prune deletes every stopped container with its writable layer (logs, files written inside it).`, safer: `\`${tool} ps -a\` and \`${tool} rm NAME\` for the ones you mean.` };
      case 'network prune':
        return { message: `${tool} network prune deletes every network no running container uses; stopped stacks lose their networks.`, safer: `\`${tool} network rm NAME\` for the ones you mean.` };
      case 'builder prune':
      case 'buildx prune':
        return { severity: 'low', message: `${tool} ${verb} deletes the build cache; the next build is slower but nothing is lost.` };
      default:
        return undefined;
    }
  }),
  container('containers.compose-down-volumes', 'high', 'docker compose down -v deletes the project\'s volumes, e.g. its database (production: blocked).', ({ verb, args }, _command, context) => {
    if (verb !== 'compose down' || !hasFlag(args, '--volumes', 'v')) return undefined;
    const severity = dataLossSeverity(context);
    return { message: 'docker compose down -v deletes the named volumes of the project, and with them its databases and uploaded files.', safer: '`docker compose down` without -v, which keeps the volumes.', ...(severity ? { severity } : {}) };
  }),
  container('containers.compose-down-images', 'medium', 'docker compose down --rmi removes the project\'s images.', ({ verb, args }) => {
    if (verb !== 'compose down') return undefined;
    const rmi = args.findIndex((a) => a === '--rmi' || a.startsWith('--rmi='));
    if (rmi < 0) return undefined;
    const mode = args[rmi]!.includes('=') ? args[rmi]!.slice('--rmi='.length) : args[rmi + 1];
    const which = mode === 'local' ? 'locally built images' : 'images, pulled ones included';
    return { message: `docker compose down --rmi ${mode ?? 'all'} deletes the project's ${which}, as well as its containers.`, safer: '`docker compose down` without --rmi.' };
  }),
  container('containers.compose-rm', 'medium', 'docker compose rm -f/-s/-v removes service containers without asking (with -v, their anonymous volumes).', ({ verb, args }) => {
    if (verb !== 'compose rm') return undefined;
    if (hasFlag(args, '--volumes', 'v')) {
      return { severity: 'high', message: 'docker compose rm -v deletes the service containers together with their anonymous volumes and the data in them.', safer: '`docker compose rm` without -v.' };
    }
    if (hasFlag(args, '--force', 'f') || hasFlag(args, '--stop', 's')) {
      return { message: 'docker compose rm -f deletes the service containers without asking; files written inside them are lost.', safer: '`docker compose rm` without -f, which lists them and asks first.' };
    }
    return undefined;
  }),
  container('containers.stop', 'medium', 'docker stop/kill takes running containers (a service) down.', ({ verb, args }, command) => {
    if (verb !== 'stop' && verb !== 'kill' && verb !== 'pod stop' && verb !== 'pod kill' && verb !== 'compose kill') return undefined;
    // `docker kill -s HUP nginx` asks the process to reload; it does not take the service down.
    const signal = args.find((x, i) => args[i - 1] === '-s' || args[i - 1] === '--signal') ?? args.find((x) => x.startsWith('--signal='))?.slice('--signal='.length);
    if (signal !== undefined && /^(SIG)?(HUP|USR1|USR2|WINCH|CONT|0)$/i.test(signal)) return undefined;
    const targets = names(args, ['-t', '--time', '-s', '--signal']);
    const all = hasFlag(args, '--all', 'a');
    if (targets.length === 0 && !all && verb !== 'compose kill') return undefined;
    const what = all ? 'every running container' : targets.length > 0 ? listed(targets) : 'the project\'s services';
    const action = verb.endsWith('kill') ? 'kills' : 'stops';
    return {
      message: `${command.program} ${verb} ${action} ${what}; whatever they serve is down until someone starts them again.`,
      ...(targets.length === 1 ? { resource: targets[0]! } : {}),
    };
  }),
  container('containers.image-push', 'medium', 'docker/podman push (and build --push) replaces an image tag in a registry: whatever pulls that tag runs the new image.', ({ verb, args }, command) => {
    const building = verb === 'build' || verb === 'buildx build' || verb === 'buildx bake' || verb === 'image build';
    if (building ? !args.some((a) => a === '--push' || a === '--push=true' || /^--output=.*type=registry/.test(a)) : verb !== 'push' && verb !== 'image push' && verb !== 'manifest push') return undefined;
    const image = building ? optionValue(args, ['-t', '--tag']) : names(args, ['-a', '--all-tags', '--platform', '--creds', '--authfile', '--digestfile', '--format', '-f', '--sign-by', '--retry'])[0];
    // No tag after the last path part (`registry:5000/app`), or `:latest`: the tag everyone pulls by default.
    const latest = image !== undefined && !/@sha256:/.test(image) && (!/:[^/]+$/.test(image) || image.endsWith(':latest'));
    return {
      message: `${command.program} ${verb} publishes ${image ? `the image ${image}` : 'images'} to a registry${latest ? '; an untagged or :latest push replaces what deployments pulling "latest" run' : ''}.`,
      ...(latest ? { safer: 'push a version tag (`app:1.4.2`) and deploy that tag on purpose.' } : {}),
      ...(image ? { resource: image } : {}),
    };
  }),
  container('containers.swarm-leave-force', 'high', 'docker swarm leave --force takes a manager out of the swarm.', ({ verb, args }) => {
    if (verb !== 'swarm leave' || !hasFlag(args, '--force', 'f')) return undefined;
    return { message: 'docker swarm leave --force removes this node from the swarm even if it is a manager; the last manager leaving loses the swarm\'s state.', safer: '`docker node demote` first, then `docker swarm leave`.' };
  }),
  container('containers.swarm-remove', 'high', 'docker stack rm / service rm removes running swarm stacks and services.', ({ verb, args }) => {
    if (verb !== 'stack rm' && verb !== 'service rm') return undefined;
    const targets = names(args, ['-c', '--context', '--orchestrator', '--namespace', '--kubeconfig']);
    const kind = verb === 'stack rm' ? 'stack' : 'service';
    return {
      message: `docker ${verb} removes the ${kind}${targets.length > 1 ? 's' : ''} ${listed(targets)} and every task running in ${targets.length > 1 ? 'them' : 'it'}.`,
      safer: `\`docker ${kind} ls\` and \`docker service scale NAME=0\` to pause instead of remove.`,
      ...(targets.length === 1 ? { resource: targets[0]! } : {}),
    };
  }),
];

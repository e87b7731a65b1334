// Rule pack: Kubernetes and Helm: deletes (namespaces, volumes, CRDs, everything), drains, scale to zero, pruning applies, uninstalls.
import type { SimpleCommand } from '../shell/types.js';
import { positionals } from '../shell/words.js';
import { defineRule, type Report, type Rule, type RuleContext, type Severity } from './rule.js';

const KUBECTL_PROGRAMS = ['kubectl', 'oc', 'kubecolor'];

/** kubectl options that take a value; global ones (`--context x`, `-n ns`) may appear anywhere on the line. */
const KUBECTL_VALUE_OPTIONS = new Set([
  '--context', '-n', '--namespace', '--kubeconfig', '--cluster', '--user', '-s', '--server', '--token', '--as', '--as-group', '--as-uid',
  '--request-timeout', '--cache-dir', '--certificate-authority', '--client-certificate', '--client-key', '--tls-server-name',
  '--username', '--password', '--log-dir', '--log-file', '-v', '--v', '--vmodule', '--profile', '--profile-output',
  '-l', '--selector', '-f', '--filename', '-o', '--output', '--field-selector', '--grace-period', '--timeout', '--replicas',
  '--current-replicas', '--resource-version', '-k', '--kustomize', '-p', '--patch', '--patch-file', '--type', '--template',
  '--sort-by', '-c', '--container', '--since', '--tail', '--prune-allowlist', '--prune-whitelist', '--field-manager',
  '--chunk-size', '--raw', '--for', '--pod-selector', '--skip-wait-for-delete-timeout', '--to-revision', '-L', '--label-columns',
  '--overrides', '--image', '--subresource', '--selector-prune',
]);

interface KubectlInvocation {
  /** The subcommand, lower case (`delete`; `oc adm drain` → `drain`). */
  readonly sub: string;
  /** Positional words after the subcommand (resource types and names), as written. */
  readonly operands: readonly string[];
  /** Every argument after the program, with `--dry-run client` folded into `--dry-run=client`. */
  readonly args: readonly string[];
}

function foldDryRun(args: readonly string[]): string[] {
  const folded: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (arg === '--dry-run' && next !== undefined && /^(client|server|none)$/.test(next)) {
      folded.push(`--dry-run=${next}`);
      i += 1;
    } else folded.push(arg);
  }
  return folded;
}

export function kubectlInvocation(command: SimpleCommand): KubectlInvocation | undefined {
  const args = foldDryRun(command.argv.slice(1));
  if (args.includes('--help') || args.includes('-h')) return undefined;
  const words = positionals(args, KUBECTL_VALUE_OPTIONS);
  let index = 0;
  if (words[0]?.toLowerCase() === 'adm') index = 1;
  const sub = words[index]?.toLowerCase();
  if (sub === undefined) return undefined;
  return { sub, operands: words.slice(index + 1), args };
}

/** `--dry-run`, `--dry-run=client|server` (not `--dry-run=none`): nothing is changed. */
function isDryRun(args: readonly string[]): boolean {
  return args.some((a) => a === '--dry-run' || (a.startsWith('--dry-run=') && !/^--dry-run=(none|false)$/.test(a)));
}

function hasFlag(args: readonly string[], ...flags: string[]): boolean {
  return args.some((a) => flags.includes(a) || flags.some((f) => f.startsWith('--') && a === `${f}=true`));
}

function optionOf(args: readonly string[], ...names: string[]): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    for (const name of names) {
      if (arg === name) return args[i + 1];
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    }
  }
  return undefined;
}

const NAMESPACE_TYPES = new Set(['namespace', 'namespaces', 'ns', 'project', 'projects']);
const STORAGE_TYPES = new Set(['pv', 'persistentvolume', 'persistentvolumes', 'pvc', 'persistentvolumeclaim', 'persistentvolumeclaims']);
const CRD_TYPES = new Set(['crd', 'crds', 'customresourcedefinition', 'customresourcedefinitions']);

type DeleteKind = 'namespace' | 'storage' | 'crd' | 'everything' | 'other';

interface DeleteTarget {
  readonly kind: DeleteKind;
  /** `namespace shop`, `pvc data-0`, `deployment/api`; undefined when the objects come from a file or a selector. */
  readonly resource: string | undefined;
  readonly description: string;
}

/** What a `kubectl delete` removes, or undefined when the command is not a (real) delete. */
function deleteTarget(invocation: KubectlInvocation): DeleteTarget | undefined {
  if (invocation.sub !== 'delete' || isDryRun(invocation.args)) return undefined;
  const { operands, args } = invocation;
  const scopeNs = optionOf(args, '-n', '--namespace');
  const allNamespaces = hasFlag(args, '-A', '--all-namespaces');
  const all = hasFlag(args, '--all');
  // `kubectl delete ns/shop pvc/data` names type/name pairs; `kubectl delete ns,pvc a b` names types, then names.
  const pairs = operands.filter((o) => o.includes('/')).map((o) => ({ type: o.slice(0, o.indexOf('/')), name: o.slice(o.indexOf('/') + 1) }));
  const typeWord = operands[0] && !operands[0].includes('/') ? operands[0] : undefined;
  const types = [...(typeWord ? typeWord.split(',') : []), ...pairs.map((p) => p.type)].map((t) => t.toLowerCase().split('.')[0]!);
  const names = typeWord ? operands.slice(1).filter((o) => !o.includes('/')) : [];
  const firstName = pairs[0]?.name ?? names[0];
  const where = allNamespaces ? ' in every namespace' : scopeNs ? ` in namespace ${scopeNs}` : '';

  const namespaceType = types.find((t) => NAMESPACE_TYPES.has(t));
  if (namespaceType) {
    const nsName = pairs.find((p) => NAMESPACE_TYPES.has(p.type.toLowerCase()))?.name ?? (NAMESPACE_TYPES.has(types[0] ?? '') ? names[0] : undefined);
    const what = all ? 'every namespace' : nsName ? `the namespace ${nsName}` : 'namespaces';
    return { kind: 'namespace', resource: nsName ? `namespace ${nsName}` : undefined, description: what };
  }
  const storageType = types.find((t) => STORAGE_TYPES.has(t));
  if (storageType) {
    return { kind: 'storage', resource: firstName ? `${storageType} ${firstName}` : undefined, description: `${all ? 'every ' : ''}persistent volume${storageType.startsWith('persistentvolumec') || storageType === 'pvc' ? ' claim' : ''}${firstName && !all ? ` ${firstName}` : 's'}${where}` };
  }
  if (types.some((t) => CRD_TYPES.has(t))) {
    return { kind: 'crd', resource: firstName ? `crd ${firstName}` : undefined, description: `the custom resource definition${firstName ? ` ${firstName}` : 's'}` };
  }
  if (allNamespaces || (all && types.includes('all'))) {
    const typeText = types.length > 0 ? types.map((t) => (t === 'all' ? 'workload, service and pod' : t)).join(', ') : 'object';
    return { kind: 'everything', resource: scopeNs ? `namespace ${scopeNs}` : undefined, description: `${all ? 'every ' : ''}${typeText}${where}` };
  }
  const fromFile = optionOf(args, '-f', '--filename') ?? optionOf(args, '-k', '--kustomize');
  if (types.length === 0 && !fromFile) return undefined;
  const description = fromFile && types.length === 0
    ? `every object defined in ${fromFile}`
    : `${all ? 'every ' : ''}${types.join(', ')}${firstName && !all ? ` ${firstName}` : ''}${where}`;
  return { kind: 'other', resource: firstName ? `${types[0] ?? ''} ${firstName}`.trim() : undefined, description };
}

const kubectl = (id: string, severity: Severity, description: string, check: (inv: KubectlInvocation, command: SimpleCommand, context: RuleContext) => Report | undefined): Rule =>
  defineRule({
    meta: { id, severity, description },
    programs: KUBECTL_PROGRAMS,
    check(command, context) {
      const invocation = kubectlInvocation(command);
      return invocation ? check(invocation, command, context) : undefined;
    },
  });

const deleteRule = (id: string, kind: DeleteKind, severity: Severity, description: string, message: (target: DeleteTarget, tool: string) => string): Rule =>
  kubectl(id, severity, description, (invocation, command) => {
    const target = deleteTarget(invocation);
    if (target?.kind !== kind) return undefined;
    return {
      message: message(target, command.program),
      safer: `\`${command.program} delete … --dry-run=server\` to see what would go, or \`${command.program} get\` first.`,
      ...(target.resource ? { resource: target.resource } : {}),
    };
  });

const HELM_VALUE_OPTIONS = new Set([
  '--kube-context', '-n', '--namespace', '--kubeconfig', '--registry-config', '--repository-cache', '--repository-config', '--burst-limit',
  '--kube-apiserver', '--kube-as-user', '--kube-as-group', '--kube-ca-file', '--kube-token', '--kube-tls-server-name', '--qps',
  '--timeout', '--description', '--cascade', '--history-max', '-o', '--output',
]);

export const kubernetesRules: readonly Rule[] = [
  deleteRule('k8s.delete-namespace', 'namespace', 'critical', 'kubectl delete namespace removes the namespace and every object in it.',
    (t, tool) => `${tool} delete would remove ${t.description} and everything in it: workloads, services, secrets, config and volume claims.`),
  deleteRule('k8s.delete-storage', 'storage', 'critical', 'kubectl delete pv/pvc removes persistent volumes and, usually, the data on them.',
    (t, tool) => `${tool} delete would remove ${t.description}; with the usual Delete reclaim policy the disk and its data go with it.`),
  deleteRule('k8s.delete-crd', 'crd', 'critical', 'kubectl delete crd removes a custom resource definition and every resource of that kind.',
    (t, tool) => `${tool} delete would remove ${t.description} and with it every custom resource of that kind in the cluster.`),
  deleteRule('k8s.delete-all', 'everything', 'critical', 'kubectl delete all --all / --all-namespaces deletes objects across a namespace or the whole cluster.',
    (t, tool) => `${tool} delete would remove ${t.description}; the workloads go down at once and have to be redeployed from scratch.`),
  deleteRule('k8s.delete', 'other', 'high', 'kubectl delete of other objects (pods, deployments, ingresses, objects from a file).',
    (t, tool) => `${tool} delete removes ${t.description} from the cluster; what it served is down until it is recreated.`),
  kubectl('k8s.drain', 'medium', 'kubectl drain / cordon takes a node out of scheduling (drain also evicts its pods).', ({ sub, operands, args }, command) => {
    if ((sub !== 'drain' && sub !== 'cordon') || isDryRun(args)) return undefined;
    const node = operands[0];
    const message = sub === 'drain'
      ? `${command.program} drain evicts every pod from the node ${node ?? ''} and marks it unschedulable; workloads without spare replicas go down.`
      : `${command.program} cordon marks the node ${node ?? ''} unschedulable; new and rescheduled pods cannot run there until \`uncordon\`.`;
    const safer = sub === 'drain' ? { safer: `\`${command.program} drain --dry-run=server\` to see what would be evicted.` } : {};
    return { message: message.replace('  ', ' '), ...safer, ...(node ? { resource: `node ${node}` } : {}) };
  }),
  kubectl('k8s.scale-to-zero', 'high', 'kubectl scale --replicas=0 stops every pod of a workload (production: blocked).', ({ sub, operands, args }, command, context) => {
    if (sub !== 'scale' || isDryRun(args) || optionOf(args, '--replicas') !== '0') return undefined;
    const target = operands.join(' ') || 'the workload';
    return {
      message: `${command.program} scale --replicas=0 stops every pod of ${target}; the service is down until it is scaled up again.`,
      safer: 'scale down by one replica at a time, or `kubectl rollout pause`.',
      ...(operands.length > 0 ? { resource: target } : {}),
      ...(context.tier === 'production' ? { severity: 'critical' as const } : {}),
    };
  }),
  kubectl('k8s.apply-prune', 'high', 'kubectl apply --prune deletes live objects that are missing from the applied files.', ({ sub, args }, command) => {
    if (sub !== 'apply' || isDryRun(args) || !hasFlag(args, '--prune')) return undefined;
    return { message: `${command.program} apply --prune deletes every object with the selector's labels that is not in these files; a missing file deletes a live workload.`, safer: `\`${command.program} diff\` first, or \`${command.program} apply\` without --prune.` };
  }),
  kubectl('k8s.replace-force', 'high', 'kubectl replace --force / apply --force deletes and re-creates objects.', ({ sub, args }, command) => {
    if ((sub !== 'replace' && sub !== 'apply') || isDryRun(args) || !hasFlag(args, '--force')) return undefined;
    return { message: `${command.program} ${sub} --force deletes the objects and creates them again; their pods restart and anything bound to them is released.`, safer: `\`${command.program} apply\` without --force, or \`${command.program} diff\` to see the change.` };
  }),
  kubectl('k8s.rollout-undo', 'medium', 'kubectl rollout undo rolls a workload back to an earlier revision.', ({ sub, operands, args }, command) => {
    if (sub !== 'rollout' || operands[0]?.toLowerCase() !== 'undo' || isDryRun(args)) return undefined;
    const target = operands.slice(1).join(' ');
    return { message: `${command.program} rollout undo replaces the running version of ${target || 'the workload'} with an earlier one.`, safer: `\`${command.program} rollout history\` to see the revisions first.`, ...(target ? { resource: target } : {}) };
  }),
  kubectl('k8s.taint-noexecute', 'medium', 'kubectl taint … :NoExecute evicts running pods from the node.', ({ sub, operands, args }, command) => {
    if (sub !== 'taint' || isDryRun(args)) return undefined;
    if (!operands.some((o) => /:NoExecute$/i.test(o))) return undefined;
    return { message: `${command.program} taint with NoExecute evicts every pod on the node that does not tolerate the taint.`, safer: 'a NoSchedule taint, which keeps running pods.' };
  }),
  defineRule({
    meta: { id: 'helm.uninstall', severity: 'high', description: 'helm uninstall removes a release and every Kubernetes object it created.' },
    programs: ['helm'],
    check(command) {
      const args = command.argv.slice(1);
      const words = positionals(args, HELM_VALUE_OPTIONS);
      if (!/^(uninstall|delete|del|un)$/.test(words[0]?.toLowerCase() ?? '') || isDryRun(args) || args.includes('--help') || args.includes('-h')) return undefined;
      const releases = words.slice(1);
      return {
        message: `helm uninstall removes the release ${releases.join(', ') || ''} and every object it created (deployments, services, secrets, and any volume claims the chart itself defines).`.replace('release  and', 'release and'),
        safer: '`helm uninstall --dry-run` to see what would be removed, or `helm rollback` to an earlier revision.',
        ...(releases.length === 1 ? { resource: releases[0]! } : {}),
      };
    },
  }),
  defineRule({
    meta: { id: 'helm.rollback', severity: 'medium', description: 'helm rollback replaces a release with an earlier revision.' },
    programs: ['helm'],
    check(command) {
      const args = command.argv.slice(1);
      const words = positionals(args, HELM_VALUE_OPTIONS);
      if (words[0]?.toLowerCase() !== 'rollback' || isDryRun(args) || args.includes('--help') || args.includes('-h')) return undefined;
      const release = words[1];
      return {
        message: `helm rollback replaces the running release ${release ?? ''} with an earlier revision; changes made since are undone.`.replace('  ', ' '),
        safer: '`helm history RELEASE` and `helm rollback --dry-run` first.',
        ...(release ? { resource: release } : {}),
      };
    },
  }),
];

// Rule pack: infrastructure as code: Terraform/OpenTofu/Terragrunt, Pulumi, CDK/cdktf, Serverless, SAM, eksctl, Copilot.
import type { SimpleCommand } from '../shell/types.js';
import { positionals } from '../shell/words.js';
import { defineRule, type Report, type Rule, type RuleContext, type Severity } from './rule.js';

const TERRAFORM_PROGRAMS = ['terraform', 'tofu', 'terragrunt'];

/** Terraform options that take a value when written `-opt value` (Go's flag package also accepts `-opt=value`). */
const TF_VALUE_OPTIONS = new Set(['-var', '-var-file', '-target', '-replace', '-out', '-state', '-state-out', '-backup', '-lock-timeout', '-parallelism', '-chdir', '-generate-config-out', '-exclude']);
/** Terragrunt's own options that take a value; they may sit before the Terraform subcommand. */
const TERRAGRUNT_VALUE_OPTIONS = new Set([
  '-terragrunt-working-dir', '-working-dir', '-terragrunt-config', '-config', '-terragrunt-iam-role', '-iam-assume-role', '-terragrunt-log-level',
  '-log-level', '-terragrunt-source', '-source', '-terragrunt-parallelism', '-parallelism', '-terragrunt-include-dir', '-queue-include-dir',
  '-terragrunt-exclude-dir', '-queue-exclude-dir', '-terragrunt-tfpath', '-tf-path', '-download-dir', '-terragrunt-download-dir',
]);

interface TerraformInvocation {
  /** The subcommand, lower case (`destroy`; `terragrunt run-all destroy` → `destroy`). */
  readonly sub: string;
  /** The arguments after the subcommand, with `--opt` written as `-opt` (Terraform accepts both). */
  readonly args: readonly string[];
  /** Positional words after the subcommand (`state rm ADDR` → `rm`, `ADDR`). */
  readonly operands: readonly string[];
  /** The `-chdir=` directory, when given. */
  readonly chdir: string | undefined;
  /** True when Terragrunt runs it without asking (`--non-interactive`). */
  readonly nonInteractive: boolean;
}

const singleDash = (arg: string): string => (arg.startsWith('--') && arg.length > 2 ? arg.slice(1) : arg);

export function terraformInvocation(command: SimpleCommand): TerraformInvocation | undefined {
  const argv = command.argv.slice(1).map(singleDash);
  const isTerragrunt = command.program === 'terragrunt';
  let chdir: string | undefined;
  let nonInteractive = false;
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (arg.startsWith('-chdir=')) chdir = arg.slice('-chdir='.length);
    if (arg === '-terragrunt-non-interactive' || arg === '-non-interactive') nonInteractive = true;
    if (arg === '-') break;
    if (arg.startsWith('-')) {
      i += isTerragrunt && !arg.includes('=') && TERRAGRUNT_VALUE_OPTIONS.has(arg) ? 2 : 1;
      continue;
    }
    // `terragrunt run-all destroy`, `terragrunt run --all -- destroy`: the Terraform command comes next.
    if (isTerragrunt && (arg === 'run-all' || arg === 'run')) { i += 1; continue; }
    break;
  }
  const sub = argv[i]?.toLowerCase();
  if (sub === undefined) return undefined;
  const args = argv.slice(i + 1);
  if (args.some((a) => a === '-help' || a === '-h')) return undefined;
  if (args.some((a) => a === '-terragrunt-non-interactive' || a === '-non-interactive')) nonInteractive = true;
  return { sub, args, operands: positionals(args, TF_VALUE_OPTIONS), chdir, nonInteractive };
}

/** `-flag` or `-flag=true` (not `-flag=false`). */
function hasBool(args: readonly string[], flag: string): boolean {
  return args.some((a) => a === flag || a === `${flag}=true`);
}

function optionValues(args: readonly string[], flag: string): string[] {
  const values: string[] = [];
  args.forEach((arg, i) => {
    if (arg === flag && args[i + 1] !== undefined) values.push(args[i + 1]!);
    else if (arg.startsWith(`${flag}=`)) values.push(arg.slice(flag.length + 1));
  });
  return values;
}

/** `-auto-approve`, or the same flag hidden in TF_CLI_ARGS / TF_CLI_ARGS_<sub>, or Terragrunt's --non-interactive. */
function autoApproved(invocation: TerraformInvocation, command: SimpleCommand): boolean {
  if (hasBool(invocation.args, '-auto-approve') || invocation.nonInteractive) return true;
  for (const [name, value] of command.assignments) {
    if ((name === 'TF_CLI_ARGS' || name === `TF_CLI_ARGS_${invocation.sub}`) && /(^|\s)--?auto-approve(=true)?(\s|$)/.test(value)) return true;
    if ((name === 'TERRAGRUNT_NON_INTERACTIVE' || name === 'TG_NON_INTERACTIVE') && /^(1|true)$/i.test(value)) return true;
  }
  return false;
}

const terraform = (id: string, severity: Severity, description: string, check: (inv: TerraformInvocation, command: SimpleCommand, context: RuleContext) => Report | undefined): Rule =>
  defineRule({
    meta: { id, severity, description },
    programs: TERRAFORM_PROGRAMS,
    check(command, context) {
      const invocation = terraformInvocation(command);
      return invocation ? check(invocation, command, context) : undefined;
    },
  });

/** Generic rule over `<program> <sub> …` for CLIs whose options may come anywhere. */
const cli = (id: string, programs: readonly string[], severity: Severity, description: string, valueOptions: ReadonlySet<string>, check: (words: readonly string[], args: readonly string[], command: SimpleCommand, context: RuleContext) => Report | undefined): Rule =>
  defineRule({
    meta: { id, severity, description },
    programs,
    check(command, context) {
      const args = command.argv.slice(1);
      if (args.includes('--help') || args.includes('-h')) return undefined;
      return check(positionals(args, valueOptions).map((w, i) => (i < 2 ? w.toLowerCase() : w)), args, command, context);
    },
  });

function withResource(report: Report, resource: string | undefined): Report {
  return resource ? { ...report, resource } : report;
}

function optionOf(args: readonly string[], ...names: string[]): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    for (const name of names) {
      if (arg === name) return args[i + 1];
      if (name.startsWith('--') && arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    }
  }
  return undefined;
}

const PULUMI_VALUE_OPTIONS = new Set(['-C', '--cwd', '-s', '--stack', '--color', '-v', '--verbose', '--tracing', '-m', '--message', '-t', '--target', '-p', '--parallel',
  '--config-file', '-c', '--config', '--exclude', '--replace', '--policy-pack', '--policy-pack-config', '--secrets-provider', '--plan', '--exec-kind', '--exec-agent']);
const CDK_VALUE_OPTIONS = new Set(['-a', '--app', '--profile', '-c', '--context', '-r', '--role-arn', '-o', '--output', '--plugin', '-p', '--ca-bundle-path', '--toolkit-stack-name']);
const SLS_VALUE_OPTIONS = new Set(['-s', '--stage', '-r', '--region', '-c', '--config', '--aws-profile', '--app', '--org', '--param']);
const SAM_VALUE_OPTIONS = new Set(['--stack-name', '--region', '--profile', '--config-file', '--config-env', '--s3-bucket', '--s3-prefix']);
const EKSCTL_VALUE_OPTIONS = new Set(['-n', '--name', '-r', '--region', '-p', '--profile', '-f', '--config-file', '--cluster', '--timeout']);
const COPILOT_VALUE_OPTIONS = new Set(['-n', '--name', '-a', '--app', '-e', '--env']);

const isYes = (args: readonly string[], ...flags: string[]): boolean => args.some((a) => flags.includes(a) || flags.some((f) => f.startsWith('--') && a === `${f}=true`));

export const terraformRules: readonly Rule[] = [
  terraform('terraform.destroy', 'high', 'terraform destroy / apply -destroy deletes the infrastructure (blocked with -auto-approve or in production).', (inv, command, context) => {
    if (inv.sub !== 'destroy' && !(inv.sub === 'apply' && hasBool(inv.args, '-destroy'))) return undefined;
    const targets = optionValues(inv.args, '-target');
    const auto = autoApproved(inv, command);
    const tool = command.program === 'terragrunt' ? 'terragrunt' : command.program;
    const scope = targets.length > 0 ? `the targeted resources (${targets.join(', ')}) and what depends on them` : `every resource this configuration manages${inv.chdir ? ` in ${inv.chdir}` : ''} (databases, buckets, networks)`;
    return withResource({
      message: auto
        ? `${tool} destroy -auto-approve deletes ${scope} without showing the plan or asking anyone.`
        : `${tool} destroy deletes ${scope}; data in them is gone for good.`,
      safer: `\`${tool} plan -destroy\` to review what would be deleted.`,
      ...(auto || context.tier === 'production' ? { severity: 'critical' as const } : {}),
    }, targets.length === 1 ? targets[0] : inv.chdir);
  }),
  terraform('terraform.apply-auto-approve', 'medium', 'terraform apply -auto-approve applies changes nobody reviewed (high in production).', (inv, command, context) => {
    if (inv.sub !== 'apply' || hasBool(inv.args, '-destroy') || !autoApproved(inv, command)) return undefined;
    // `apply plan.bin` applies a saved plan someone already reviewed; it never asks anyway.
    if (inv.operands.length > 0) return undefined;
    return withResource({
      message: `${command.program} apply -auto-approve changes real infrastructure without showing the plan first; a replaced database or bucket is lost.`,
      safer: `\`${command.program} plan -out plan.bin\`, review it, then \`${command.program} apply plan.bin\`.`,
      ...(context.tier === 'production' ? { severity: 'high' as const } : {}),
    }, inv.chdir);
  }),
  terraform('terraform.apply-replace', 'high', 'terraform apply -replace destroys and re-creates a resource.', (inv, command) => {
    if (inv.sub !== 'apply') return undefined;
    const replaced = optionValues(inv.args, '-replace');
    if (replaced.length === 0) return undefined;
    return withResource({
      message: `${command.program} apply -replace destroys ${replaced.join(', ')} and creates ${replaced.length > 1 ? 'them' : 'it'} again; data stored in ${replaced.length > 1 ? 'them' : 'it'} is lost.`,
      safer: `\`${command.program} plan -replace=${replaced[0] ?? 'ADDRESS'}\` to review the replacement first.`,
    }, replaced[0]);
  }),
  terraform('terraform.state-rm', 'high', 'terraform state rm makes Terraform forget resources (they keep running, unmanaged).', (inv, command) => {
    if (inv.sub !== 'state' || inv.operands[0]?.toLowerCase() !== 'rm' || hasBool(inv.args, '-dry-run')) return undefined;
    const addresses = inv.operands.slice(1);
    return withResource({
      message: `${command.program} state rm removes ${addresses.join(', ') || 'resources'} from the state: the real resources keep running but Terraform no longer manages them, and the next apply may create duplicates.`,
      safer: `\`${command.program} state rm -dry-run\` to see what would be removed, and \`${command.program} state pull > backup.tfstate\` first.`,
    }, addresses[0]);
  }),
  terraform('terraform.state-push', 'high', 'terraform state push overwrites the remote state.', (inv, command) => {
    if (inv.sub !== 'state' || inv.operands[0]?.toLowerCase() !== 'push') return undefined;
    return {
      message: `${command.program} state push overwrites the shared remote state with a local file${hasBool(inv.args, '-force') ? ', even if it is older' : ''}; resources missing from that file are orphaned.`,
      safer: `\`${command.program} state pull > backup.tfstate\` first, and change the state with \`${command.program} import\`/\`state mv\` instead.`,
    };
  }),
  terraform('terraform.state-mv', 'medium', 'terraform state mv re-addresses resources in the state.', (inv, command) => {
    if (inv.sub !== 'state' || inv.operands[0]?.toLowerCase() !== 'mv' || hasBool(inv.args, '-dry-run')) return undefined;
    return withResource({
      message: `${command.program} state mv moves ${inv.operands[1] ?? 'a resource'} to a new address in the state; a wrong address makes the next apply destroy and re-create it.`,
      safer: `\`${command.program} state mv -dry-run\`, or a \`moved\` block reviewed in a plan.`,
    }, inv.operands[1]);
  }),
  terraform('terraform.taint', 'medium', 'terraform taint marks a resource for destruction and re-creation on the next apply.', (inv, command) => {
    if (inv.sub !== 'taint') return undefined;
    const address = inv.operands[0];
    return withResource({
      message: `${command.program} taint marks ${address ?? 'a resource'} so that the next apply destroys and re-creates it.`,
      safer: `\`${command.program} plan -replace=${address ?? 'ADDRESS'}\` to review a replacement instead.`,
    }, address);
  }),
  terraform('terraform.force-unlock', 'medium', 'terraform force-unlock removes the state lock another run may still hold.', (inv, command) => {
    if (inv.sub !== 'force-unlock') return undefined;
    return { message: `${command.program} force-unlock removes the state lock; if another apply is still running, both write the state and it can be corrupted.`, safer: 'wait for the other run to finish, or check who holds the lock.' };
  }),
  terraform('terraform.workspace-delete', 'high', 'terraform workspace delete deletes a workspace and its state.', (inv, command) => {
    if (inv.sub !== 'workspace' || inv.operands[0]?.toLowerCase() !== 'delete') return undefined;
    const name = inv.operands[1];
    return withResource({
      message: `${command.program} workspace delete deletes the workspace ${name ?? ''} and its state${hasBool(inv.args, '-force') ? ', even while it still tracks resources, which are then orphaned' : ''}.`.replace('workspace  and', 'workspace and'),
      safer: `\`${command.program} workspace select ${name ?? 'NAME'}\` and \`${command.program} state list\` to check it is empty first.`,
    }, name);
  }),

  cli('pulumi.destroy', ['pulumi'], 'high', 'pulumi destroy deletes every resource of a stack (blocked with --yes / --skip-preview or in production).', PULUMI_VALUE_OPTIONS, (words, args, command, context) => {
    if (words[0] !== 'destroy' && words[0] !== 'down') return undefined;
    if (isYes(args, '--preview-only')) return undefined;
    const auto = isYes(args, '--yes', '-y', '--skip-preview', '-f') || /^(1|true)$/i.test(command.assignments.get('PULUMI_SKIP_CONFIRMATIONS') ?? '');
    const stack = optionOf(args, '-s', '--stack');
    return withResource({
      message: `pulumi destroy deletes every resource of ${stack ? `the stack ${stack}` : 'the current stack'}${auto ? ' without a preview or a question' : ''}; data in them is gone for good.`,
      safer: '`pulumi preview --diff` (or `pulumi destroy --preview-only`) to review what would be deleted.',
      ...(auto || context.tier === 'production' ? { severity: 'critical' as const } : {}),
    }, stack);
  }),
  cli('pulumi.stack-rm', ['pulumi'], 'high', 'pulumi stack rm deletes a stack, its configuration and its history.', PULUMI_VALUE_OPTIONS, (words, args) => {
    if (words[0] !== 'stack' || words[1] !== 'rm') return undefined;
    const stack = words[2] ?? optionOf(args, '-s', '--stack');
    return withResource({
      message: `pulumi stack rm deletes the stack ${stack ?? ''} with its configuration and update history${isYes(args, '--force', '-f') ? '; with --force, its resources are left running with no stack managing them' : ''}.`.replace('stack  with', 'stack with'),
      safer: '`pulumi stack export > stack.json` first.',
    }, stack);
  }),
  cli('pulumi.state-delete', ['pulumi'], 'high', 'pulumi state delete removes resources from the stack\'s state.', PULUMI_VALUE_OPTIONS, (words) => {
    if (words[0] !== 'state' || words[1] !== 'delete') return undefined;
    return withResource({
      message: 'pulumi state delete removes resources from the stack\'s state: they keep running, but Pulumi no longer manages them.',
      safer: '`pulumi stack export > stack.json` first.',
    }, words[2]);
  }),
  cli('pulumi.up-yes', ['pulumi'], 'medium', 'pulumi up --yes applies changes without a preview (high in production).', PULUMI_VALUE_OPTIONS, (words, args, command, context) => {
    if (words[0] !== 'up' && words[0] !== 'update') return undefined;
    const auto = isYes(args, '--yes', '-y', '--skip-preview', '-f') || /^(1|true)$/i.test(command.assignments.get('PULUMI_SKIP_CONFIRMATIONS') ?? '');
    if (!auto) return undefined;
    return withResource({
      message: 'pulumi up --yes changes real infrastructure without showing the preview first; a replaced database or bucket is lost.',
      safer: '`pulumi preview --diff`, then `pulumi up` and answer its question.',
      ...(context.tier === 'production' ? { severity: 'high' as const } : {}),
    }, optionOf(args, '-s', '--stack'));
  }),
  cli('cdk.destroy', ['cdk', 'cdktf'], 'high', 'cdk/cdktf destroy deletes the stacks\' resources (blocked with --force / --auto-approve).', CDK_VALUE_OPTIONS, (words, args, command) => {
    if (words[0] !== 'destroy') return undefined;
    const auto = isYes(args, '--force', '-f', '--auto-approve');
    const stacks = words.slice(1);
    const what = isYes(args, '--all') ? 'every stack of the app' : stacks.length > 0 ? `the stack${stacks.length > 1 ? 's' : ''} ${stacks.join(', ')}` : 'the stack';
    return withResource({
      message: `${command.program} destroy deletes ${what} and the resources in ${stacks.length > 1 ? 'them' : 'it'}${auto ? ', without asking' : ''}.`,
      safer: command.program === 'cdk' ? '`cdk diff` to see what the stacks hold first.' : '`cdktf diff` to see what the stacks hold first.',
      ...(auto ? { severity: 'critical' as const } : {}),
    }, stacks.length === 1 ? stacks[0] : undefined);
  }),
  cli('serverless.remove', ['sls', 'serverless'], 'high', 'serverless remove deletes the service\'s whole CloudFormation stack.', SLS_VALUE_OPTIONS, (words, args, command) => {
    if (words[0] !== 'remove') return undefined;
    const stage = optionOf(args, '-s', '--stage');
    return withResource({
      message: `${command.program} remove deletes the deployed service${stage ? ` (stage ${stage})` : ''} with its functions, tables and buckets, without asking.`,
      safer: `\`${command.program} info\` to see what is deployed first.`,
    }, stage);
  }),
  cli('sam.delete', ['sam'], 'high', 'sam delete deletes the application\'s CloudFormation stack (blocked with --no-prompts).', SAM_VALUE_OPTIONS, (words, args) => {
    if (words[0] !== 'delete') return undefined;
    const noPrompts = isYes(args, '--no-prompts');
    const stack = optionOf(args, '--stack-name');
    return withResource({
      message: `sam delete deletes the stack ${stack ?? 'of this application'} and every resource in it${noPrompts ? ', without asking' : ''}.`,
      safer: '`sam list resources` to see what it holds first.',
      ...(noPrompts ? { severity: 'critical' as const } : {}),
    }, stack);
  }),
  cli('eksctl.delete-cluster', ['eksctl'], 'critical', 'eksctl delete cluster deletes an EKS cluster with all its workloads.', EKSCTL_VALUE_OPTIONS, (words, args) => {
    if (words[0] !== 'delete') return undefined;
    if (words[1] === 'cluster') {
      const name = optionOf(args, '-n', '--name') ?? words[2];
      return withResource({ message: `eksctl delete cluster deletes the EKS cluster ${name ?? ''} with its node groups and every workload running on it.`.replace('cluster  with', 'cluster with'), safer: '`eksctl get cluster` to check which cluster it is.' }, name);
    }
    if (words[1] === 'nodegroup' || words[1] === 'ng') {
      const name = optionOf(args, '-n', '--name') ?? words[2];
      return withResource({ severity: 'high', message: `eksctl delete nodegroup deletes the node group ${name ?? ''} and evicts the pods running on it.`.replace('group  and', 'group and'), safer: 'scale the node group down gradually with `eksctl scale nodegroup`.' }, name);
    }
    return undefined;
  }),
  cli('copilot.delete', ['copilot'], 'high', 'copilot app/env/svc/job delete deletes deployed AWS resources (blocked for an app with --yes).', COPILOT_VALUE_OPTIONS, (words, args) => {
    if (!/^(app|env|svc|job|pipeline)$/.test(words[0] ?? '') || words[1] !== 'delete') return undefined;
    const name = optionOf(args, '-n', '--name') ?? words[2];
    const kind = ({ app: 'application', env: 'environment', svc: 'service', job: 'job', pipeline: 'pipeline' } as const)[words[0] as 'app'];
    const yes = isYes(args, '--yes');
    return withResource({
      message: `copilot ${words[0]} delete deletes the ${kind}${name ? ` ${name}` : ''} and the AWS resources it deployed${yes ? ', without asking' : ''}.`,
      safer: `\`copilot ${words[0]} show\` to see what it holds first.`,
      ...(yes && words[0] === 'app' ? { severity: 'critical' as const } : {}),
    }, name);
  }),
];

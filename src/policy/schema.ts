// The zod schema of `.vscode/guardrails.json`; the JSON schema VS Code validates the file with is generated from it.
import { z } from 'zod';

export const TIERS = ['development', 'staging', 'production'] as const;
export type Tier = (typeof TIERS)[number];

/** How critical a tier is; a workspace may not reach identifiers of a higher rank. */
export const TIER_RANK: Readonly<Record<Tier, number>> = { development: 0, staging: 1, production: 2 };

const identifierList = z.array(z.string().min(1, 'an identifier may not be empty'))
  .describe('Identifiers of this environment: hosts (`db.prod.internal`, `*.prod.internal`), kube contexts (`--context=prod`), project ids, bucket URLs (`s3://shop-prod-*`), environment variable names (`SHOP_PROD_*`). Globs allowed.');

export const environmentSchema = z.strictObject({
  tier: z.enum(TIERS).describe('How critical this environment is: development < staging < production.'),
  match: identifierList.optional(),
  description: z.string().optional(),
});

const globList = z.array(z.string().min(1, 'a pattern may not be empty'));

export const policySchema = z.strictObject({
  $schema: z.string().optional(),
  environment: z.string().min(1).optional()
    .describe('The environment of this workspace: a key of `environments`, or a tier name.'),
  environments: z.record(z.string().min(1), environmentSchema).optional()
    .describe('The environments this team works with; commands may not reach a more critical one.'),
  commands: z.strictObject({
    allow: globList.optional().describe('Globs over a command; a match waives non-critical findings (never a block entry or cross-environment access).'),
    confirm: globList.optional().describe('Globs over a command that always need a person\'s confirmation.'),
    block: globList.optional().describe('Globs over a command that are always refused.'),
  }).optional(),
  protectedPaths: globList.optional()
    .describe('Workspace-relative globs of files that deleting, truncating or overwriting needs confirmation (`.env*`, `migrations/**`).'),
  confirmation: z.strictObject({
    typed: z.enum(['environment', 'resource']).optional()
      .describe('What a person types to confirm in production: the environment name (default) or the targeted resource name.'),
    alwaysTyped: z.boolean().optional().describe('Ask for the typed confirmation in every environment, not only production.'),
    timeoutSeconds: z.number().int().min(10).max(3600).optional().describe('Seconds before an unanswered confirmation counts as cancel (default 120).'),
  }).optional(),
}).describe('Agent Guardrails policy for this workspace.');

export type PolicyFile = z.infer<typeof policySchema>;
export type EnvironmentDefinition = z.infer<typeof environmentSchema>;

/** The policy as the engine uses it: the file's content resolved, with the workspace's own environment. */
export interface Policy {
  /** The workspace's environment name (`staging`), or `unmarked` when there is no policy file. */
  readonly environment: string;
  readonly tier: Tier | 'unmarked';
  readonly environments: Readonly<Record<string, EnvironmentDefinition>>;
  readonly allow: readonly string[];
  readonly confirm: readonly string[];
  readonly block: readonly string[];
  readonly protectedPaths: readonly string[];
  readonly typedConfirmation: 'environment' | 'resource';
  readonly alwaysTyped: boolean;
  readonly timeoutSeconds: number;
  /** Where the policy came from: a file path, `built-in (no policy file)`, or `built-in strict (…)`. */
  readonly source: string;
  /**
   * Set only on the strict built-in defaults that stand in for a policy file that is invalid, missing or unreadable:
   * why they apply (`guardrails.json:4:1 invalid JSON: close brace expected`). Every verdict made under them says so.
   */
  readonly fallbackReason?: string | undefined;
}

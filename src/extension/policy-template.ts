// The commented `.vscode/guardrails.json` that "Guardrails: Create Policy…" writes. Pure.
import type { Tier } from '../policy/schema.js';

export interface PolicyTemplateAnswers {
  /** This workspace's environment name (`staging`, `shop-staging`). */
  readonly environment: string;
  readonly tier: Tier;
  /** Identifiers of production (hosts, kube contexts, token variable names) this workspace must never reach. */
  readonly productionIdentifiers: readonly string[];
}

const json = (value: unknown): string => JSON.stringify(value);

export function renderPolicyTemplate(answers: PolicyTemplateAnswers): string {
  const { environment, tier } = answers;
  const ids = answers.productionIdentifiers.map((s) => s.trim()).filter((s) => s !== '');
  const environments: string[] = [];
  // The tier decides, not the name: "shop-prod" at tier production is production itself, and its identifiers are its
  // own (matching them at the same tier blocks nothing; they mark its hosts, contexts and tokens).
  if (tier === 'production') {
    environments.push(`    // This production environment's own identifiers (hosts, kube contexts, token variable names). Workspaces of
    // a lower tier whose policy lists them are blocked from commands that name them.
    ${json(environment)}: { "tier": "production", "match": ${json(ids)} }`);
  } else {
    // A workspace named "production" at a lower tier would clash with the key of the environment it must not reach.
    const productionKey = environment === 'production' ? 'production-env' : 'production';
    environments.push(`    ${json(environment)}: { "tier": ${json(tier)}, "match": [] }`);
    environments.push(`    // Commands in this workspace that name one of these are blocked (the staging → production leak).
    ${json(productionKey)}: { "tier": "production", "match": ${json(ids)} }`);
  }
  return `// Agent Guardrails policy for this workspace. Edits that loosen it need a person's approval in VS Code.
// The JSON schema shipped with the extension validates and completes this file.
{
  // This workspace's environment: ${tier === 'production' ? 'every destructive command needs the environment name typed' : tier === 'staging' ? 'destructive commands need a two-step confirmation' : 'destructive commands need confirmation'}.
  "environment": ${json(environment)},
  "environments": {
${environments.join(',\n')}
  },
  "commands": {
    // Globs over a command line. allow waives non-critical findings; confirm always asks; block always refuses.
    "allow": [],
    "confirm": [],
    "block": []
  },
  // Files an agent may not delete or overwrite without confirmation.
  "protectedPaths": [".env*"],
  "confirmation": {
    // What a person types in production: "environment" (the environment name) or "resource".
    "typed": "environment",
    // Seconds before an unanswered confirmation counts as cancel.
    "timeoutSeconds": 120
  }
}
`;
}

/** Splits "a, b  c" into identifiers. */
export function parseIdentifierList(input: string): string[] {
  return input.split(/[\s,]+/).map((s) => s.trim()).filter((s) => s !== '');
}

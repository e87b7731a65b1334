// Environment scoping: finds identifiers of a more critical environment (hosts, contexts, tokens) in a command.
import type { SimpleCommand } from '../shell/types.js';
import { TIER_RANK, type Policy, type Tier } from './schema.js';

export interface ForeignIdentifier {
  /** The environment the identifier belongs to (`production`). */
  readonly environment: string;
  readonly tier: Tier;
  /** The identifier as written in the policy (`SHOP_PROD_*`). */
  readonly identifier: string;
  /** What the command contains that matched (`SHOP_PROD_TOKEN`). */
  readonly found: string;
}

interface CompiledIdentifier {
  readonly environment: string;
  readonly tier: Tier;
  readonly identifier: string;
  readonly pattern: RegExp;
}

/** Characters that make up hosts, names and tokens: an identifier must not be glued to more of them. */
const WORD = 'A-Za-z0-9_\\-';
const GLOB_CHARS = `[${WORD}.]`;

/** Compiles a `match` identifier (glob allowed) into a regex that matches it as a whole word, host or argument. */
export function compileIdentifier(identifier: string): RegExp {
  let body = '';
  for (const ch of identifier) {
    if (ch === '*') body += `${GLOB_CHARS}*`;
    else if (ch === '?') body += GLOB_CHARS;
    else body += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`(?<![${WORD}.])${body}(?![${WORD}]|\\.[${WORD}])`, 'i');
}

/** The identifiers of every environment more critical than the workspace's, compiled once per policy. */
export class EnvironmentScope {
  private readonly foreign: readonly CompiledIdentifier[];

  constructor(policy: Policy) {
    const ownRank = policy.tier === 'unmarked' ? 0 : TIER_RANK[policy.tier];
    const foreign: CompiledIdentifier[] = [];
    for (const [environment, definition] of Object.entries(policy.environments)) {
      if (environment === policy.environment || TIER_RANK[definition.tier] <= ownRank) continue;
      for (const identifier of definition.match ?? []) {
        foreign.push({ environment, tier: definition.tier, identifier, pattern: compileIdentifier(identifier) });
      }
    }
    // The most critical environment first, so a production match is reported before a staging one.
    foreign.sort((a, b) => TIER_RANK[b.tier] - TIER_RANK[a.tier]);
    this.foreign = foreign;
  }

  get isEmpty(): boolean {
    return this.foreign.length === 0;
  }

  /** The first identifier of a more critical environment the command names, if any. */
  findForeignIdentifier(command: SimpleCommand): ForeignIdentifier | undefined {
    if (this.foreign.length === 0) return undefined;
    return this.findForeignIdentifierIn(commandHaystack(command));
  }

  /** The same search over plain texts (a raw line and its naive words, when no parser is at hand). */
  findForeignIdentifierIn(haystack: readonly string[]): ForeignIdentifier | undefined {
    for (const candidate of this.foreign) {
      for (const text of haystack) {
        const match = candidate.pattern.exec(text);
        if (match) return { environment: candidate.environment, tier: candidate.tier, identifier: candidate.identifier, found: match[0] };
      }
    }
    return undefined;
  }
}

/**
 * Everything a command sends or reads that can name a resource: arguments (also as `--opt=value` when written
 * `--opt value`), assignments, redirect targets, heredoc and here-string bodies.
 */
function commandHaystack(command: SimpleCommand): string[] {
  const texts: string[] = [];
  const argv = command.argv;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    texts.push(arg);
    const next = argv[i + 1];
    if (arg.startsWith('-') && !arg.includes('=') && next !== undefined && !next.startsWith('-')) texts.push(`${arg}=${next}`);
  }
  for (const [name, value] of command.assignments) texts.push(`${name}=${value}`);
  for (const redirect of command.redirects) texts.push(redirect.target);
  if (command.stdin && command.stdin.kind !== 'pipe') texts.push(command.stdin.text);
  return texts;
}

/**
 * The policy as seen from another environment of the same file (`--environment` on the CLI, a per-line override):
 * a name from `environments` or a tier name. Undefined when the name is neither.
 */
export function policyForEnvironment(policy: Policy, name: string): Policy | undefined {
  const own = policy.environments[name];
  if (own) return { ...policy, environment: name, tier: own.tier };
  if (name === 'development' || name === 'staging' || name === 'production') return { ...policy, environment: name, tier: name };
  return undefined;
}

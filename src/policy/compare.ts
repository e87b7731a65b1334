// Compares an accepted policy with a proposed one: what the change loosens (needs a person) and what it tightens.
// Pure: no vscode, no file system. Neutral changes (comments, order, timeout) appear in neither list.
import { TIER_RANK, type Policy, type Tier } from './schema.js';

export interface PolicyComparison {
  /** Sentences, one per change that lets more through; non-empty means the change needs a person's approval. */
  readonly loosenings: string[];
  /** Sentences, one per change that guards more; these apply at once. */
  readonly tightenings: string[];
}

function rank(tier: Tier | 'unmarked'): number {
  return tier === 'unmarked' ? -1 : TIER_RANK[tier];
}

/** The identifiers this workspace may not reach: `<environment>: <identifier>` of every more critical environment. */
function guardedIdentifiers(policy: Policy): Set<string> {
  const own = rank(policy.tier);
  const guarded = new Set<string>();
  for (const [name, definition] of Object.entries(policy.environments)) {
    if (name === policy.environment || TIER_RANK[definition.tier] <= own) continue;
    for (const identifier of definition.match ?? []) guarded.add(`${identifier}\u0000${name}`);
  }
  return guarded;
}

function added(before: readonly string[], after: readonly string[]): string[] {
  const old = new Set(before);
  return [...new Set(after)].filter((x) => !old.has(x));
}

const quoted = (items: readonly string[]): string => items.map((i) => `"${i}"`).join(', ');

export function comparePolicies(accepted: Policy, proposed: Policy): PolicyComparison {
  const loosenings: string[] = [];
  const tightenings: string[] = [];

  // The workspace's own environment and tier.
  const tierChange = rank(proposed.tier) - rank(accepted.tier);
  if (tierChange < 0) loosenings.push(`The workspace tier is lowered from ${accepted.tier} to ${proposed.tier}.`);
  else if (tierChange > 0) tightenings.push(`The workspace tier is raised from ${accepted.tier} to ${proposed.tier}.`);
  if (accepted.environment !== proposed.environment) {
    (tierChange < 0 ? loosenings : tightenings).push(`The workspace environment changes from "${accepted.environment}" to "${proposed.environment}".`);
  }

  // Environments and their identifiers.
  for (const [name, definition] of Object.entries(accepted.environments)) {
    const next = proposed.environments[name];
    if (!next) {
      loosenings.push(`The environment "${name}" (${definition.tier}) is removed.`);
      continue;
    }
    if (TIER_RANK[next.tier] < TIER_RANK[definition.tier]) loosenings.push(`The environment "${name}" is lowered from ${definition.tier} to ${next.tier}.`);
    else if (TIER_RANK[next.tier] > TIER_RANK[definition.tier]) tightenings.push(`The environment "${name}" is raised from ${definition.tier} to ${next.tier}.`);
    const removedIds = added(next.match ?? [], definition.match ?? []);
    const addedIds = added(definition.match ?? [], next.match ?? []);
    if (removedIds.length > 0) loosenings.push(`Identifiers of "${name}" are removed: ${quoted(removedIds)}.`);
    if (addedIds.length > 0) tightenings.push(`Identifiers of "${name}" are added: ${quoted(addedIds)}.`);
  }
  for (const [name, definition] of Object.entries(proposed.environments)) {
    if (!accepted.environments[name]) tightenings.push(`The environment "${name}" (${definition.tier}) is added${definition.match?.length ? ` with ${quoted(definition.match)}` : ''}.`);
  }
  // What the workspace may not reach, whatever the reason above (a renamed own environment, a changed tier).
  const guardedBefore = guardedIdentifiers(accepted);
  const guardedAfter = guardedIdentifiers(proposed);
  const unguarded = [...guardedBefore].filter((g) => !guardedAfter.has(g)).map((g) => g.split('\u0000'));
  const newlyGuarded = [...guardedAfter].filter((g) => !guardedBefore.has(g)).map((g) => g.split('\u0000'));
  if (unguarded.length > 0) loosenings.push(`Commands may now reach ${unguarded.map(([id, env]) => `"${id}" (${env})`).join(', ')}.`);
  if (newlyGuarded.length > 0) tightenings.push(`Commands may no longer reach ${newlyGuarded.map(([id, env]) => `"${id}" (${env})`).join(', ')}.`);

  // The team's command lists.
  const newAllow = added(accepted.allow, proposed.allow);
  const goneAllow = added(proposed.allow, accepted.allow);
  if (newAllow.length > 0) loosenings.push(`New allow entries: ${quoted(newAllow)}.`);
  if (goneAllow.length > 0) tightenings.push(`Allow entries removed: ${quoted(goneAllow)}.`);
  for (const list of ['confirm', 'block'] as const) {
    const gone = added(proposed[list], accepted[list]);
    const fresh = added(accepted[list], proposed[list]);
    if (gone.length > 0) loosenings.push(`${list === 'block' ? 'Block' : 'Confirm'} entries removed: ${quoted(gone)}.`);
    if (fresh.length > 0) tightenings.push(`New ${list} entries: ${quoted(fresh)}.`);
  }
  const goneProtected = added(proposed.protectedPaths, accepted.protectedPaths);
  const newProtected = added(accepted.protectedPaths, proposed.protectedPaths);
  if (goneProtected.length > 0) loosenings.push(`Protected paths removed: ${quoted(goneProtected)}.`);
  if (newProtected.length > 0) tightenings.push(`New protected paths: ${quoted(newProtected)}.`);

  // How a person confirms.
  if (accepted.alwaysTyped && !proposed.alwaysTyped) loosenings.push('A typed confirmation is no longer asked for in every environment.');
  if (!accepted.alwaysTyped && proposed.alwaysTyped) tightenings.push('A typed confirmation is asked for in every environment.');
  if (accepted.typedConfirmation !== proposed.typedConfirmation) {
    // Neither is weaker in general, so the change is left to a person.
    loosenings.push(`What a person types to confirm changes from the ${accepted.typedConfirmation} name to the ${proposed.typedConfirmation} name.`);
  }
  return { loosenings, tightenings };
}

// Keeps `files.readonlyInclude` in step with the policy's protected paths without touching the person's own entries:
// only entries the extension added (and that are still as it left them) are removed or replaced. Pure.

export interface ReadonlyIncludeUpdate {
  /** The new setting value; undefined when the setting should be removed (nothing left in it). */
  readonly value: Readonly<Record<string, boolean>> | undefined;
  /** The globs the extension owns after the update. */
  readonly owned: readonly string[];
  readonly changed: boolean;
}

/**
 * `current`: the setting as it is in the workspace (folder) settings. `owned`: the globs the extension added last time.
 * `desired`: the policy's protected paths now. An entry the person set themselves is never changed or removed; an
 * entry the extension added but the person switched to `false` counts as the person's from then on.
 */
export function updateReadonlyInclude(current: Readonly<Record<string, unknown>> | undefined, owned: readonly string[], desired: readonly string[]): ReadonlyIncludeUpdate {
  const next: Record<string, boolean> = {};
  for (const [glob, value] of Object.entries(current ?? {})) if (typeof value === 'boolean') next[glob] = value;
  const stillOwned = new Set(owned.filter((glob) => next[glob] === true));
  for (const glob of stillOwned) if (!desired.includes(glob)) delete next[glob];
  const nowOwned: string[] = [];
  for (const glob of desired) {
    if (glob in next && !stillOwned.has(glob)) continue; // the person's entry, true or false
    next[glob] = true;
    nowOwned.push(glob);
  }
  const before = JSON.stringify(sorted(current ?? {}));
  const after = JSON.stringify(sorted(next));
  return { value: Object.keys(next).length > 0 ? next : undefined, owned: nowOwned, changed: before !== after };
}

function sorted(record: Readonly<Record<string, unknown>>): [string, unknown][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

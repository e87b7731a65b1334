// The package.json `scripts` that `npm run`, `yarn` and `pnpm` would run from a folder (the nearest package.json above it).
import fs = require('node:fs');
import path = require('node:path');

/** Reads the scripts of the nearest package.json at or above `dir`; undefined when there is none or it is not valid JSON. */
export function readPackageScripts(dir: string): ReadonlyMap<string, string> | undefined {
  let current = path.resolve(dir);
  for (;;) {
    const file = path.join(current, 'package.json');
    let text: string | undefined;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) return parsePackageScripts(text);
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

export function parsePackageScripts(packageJson: string): ReadonlyMap<string, string> | undefined {
  try {
    const parsed = JSON.parse(packageJson) as { scripts?: unknown };
    if (typeof parsed.scripts !== 'object' || parsed.scripts === null) return new Map();
    return new Map(Object.entries(parsed.scripts as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return undefined;
  }
}

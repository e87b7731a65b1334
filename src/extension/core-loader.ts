// Loads dist/core.js (the engine, the rule packs, the policy schema with zod, minimatch, jsonc-parser, the tree-sitter
// wrapper) on first use instead of at activation. esbuild.mjs routes the extension's imports of those modules through
// stand-ins whose getters call loadCore(); the source imports them as usual. See "Activation" in the README.
import path = require('node:path');

export interface CoreLoad {
  /** How long requiring dist/core.js took. */
  readonly ms: number;
  /** The first export read ("src/engine.ts: evaluate"), i.e. what needed the engine first. */
  readonly firstUse: string;
}

let core: Record<string, Record<string, unknown>> | undefined;
let loaded: CoreLoad | undefined;
const listeners: ((load: CoreLoad) => void)[] = [];

/** The core bundle's modules, by source path; requires dist/core.js on the first call (synchronously: callers wait). */
export function loadCore(firstUse: string): Record<string, Record<string, unknown>> {
  if (!core) {
    const start = performance.now();
    // A runtime path, so that esbuild leaves it alone: dist/core.js next to dist/extension.js.
    core = require(path.join(__dirname, 'core.js')) as Record<string, Record<string, unknown>>;
    loaded = { ms: performance.now() - start, firstUse };
    for (const listener of listeners.splice(0)) listener(loaded);
  }
  return core;
}

/** Calls `listener` once the core has loaded (at once if it has). */
export function onCoreLoaded(listener: (load: CoreLoad) => void): void {
  if (loaded) listener(loaded);
  else listeners.push(listener);
}

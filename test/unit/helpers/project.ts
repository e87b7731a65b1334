// Paths of the project and of the shared corpus, found from the compiled test's location.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'esbuild.mjs'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no project root above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** The labelled command corpus: $GUARDRAILS_CORPUS, or ../shared/corpus beside the project; undefined when absent. */
export function corpusDirectory(): string | undefined {
  const dir = process.env['GUARDRAILS_CORPUS'] ?? path.resolve(projectRoot(), '..', 'shared', 'corpus');
  return fs.existsSync(dir) ? dir : undefined;
}

export function cliPath(): string {
  return path.join(projectRoot(), 'dist', 'cli.js');
}

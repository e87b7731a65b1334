// The tree-sitter-bash parser, loaded lazily from its WASM files; until it is ready, callers fail closed.
import fs = require('node:fs');
import path = require('node:path');
import { Language, Parser } from '@vscode/tree-sitter-wasm';
import type { Tree } from '@vscode/tree-sitter-wasm';

export type { Node as SyntaxNode, Tree as SyntaxTree } from '@vscode/tree-sitter-wasm';

const RUNTIME_WASM = 'tree-sitter.wasm';
const BASH_WASM = 'tree-sitter-bash.wasm';

/** The most time one parse may take before it is cancelled (the caller then answers `confirm`). */
export const PARSE_TIME_LIMIT_MS = 50;

export interface BashParser {
  /** Parses a line; returns undefined when parsing was cancelled for taking too long. */
  parse(commandLine: string): Tree | undefined;
}

let loading: Promise<BashParser> | undefined;
let ready: BashParser | undefined;

/**
 * Finds the directory holding the WASM files: next to the bundle (dist/, out/…), or in the package when run from
 * source. Walks up a few levels so bundles in nested output folders find the copies made by esbuild.mjs.
 */
export function findWasmDirectory(start: string = __dirname): string {
  let dir = start;
  for (let level = 0; level < 5; level += 1) {
    for (const candidate of [dir, path.join(dir, 'dist')]) {
      if (fs.existsSync(path.join(candidate, BASH_WASM)) && fs.existsSync(path.join(candidate, RUNTIME_WASM))) {
        return candidate;
      }
    }
    dir = path.dirname(dir);
  }
  throw new Error(`${BASH_WASM} not found next to ${start} or in a folder above it; run \`npm run build\`.`);
}

/** Starts loading the parser once; later calls return the same promise. */
export function loadBashParser(wasmDirectory?: string): Promise<BashParser> {
  loading ??= (async () => {
    const dir = wasmDirectory ?? findWasmDirectory();
    await Parser.init({ locateFile: (file: string) => path.join(dir, file === RUNTIME_WASM ? RUNTIME_WASM : file) });
    const language = await Language.load(path.join(dir, BASH_WASM));
    const parser = new Parser();
    parser.setLanguage(language);
    const bashParser: BashParser = {
      parse(commandLine: string): Tree | undefined {
        const deadline = performance.now() + PARSE_TIME_LIMIT_MS;
        let calls = 0;
        const tree = parser.parse(commandLine, null, {
          // Checking the clock on every callback would cost more than short lines take to parse.
          progressCallback: () => (++calls % 64 === 0 && performance.now() > deadline) as unknown as void,
        });
        return tree ?? undefined;
      },
    };
    ready = bashParser;
    return bashParser;
  })();
  loading.catch(() => { loading = undefined; });
  return loading;
}

/** The parser if it has finished loading, otherwise undefined (the engine then answers `confirm`). */
export function getBashParserIfReady(): BashParser | undefined {
  return ready;
}

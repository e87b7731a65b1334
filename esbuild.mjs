// Builds the extension and the CLI into dist/ (and the tests and benchmarks into out/ with --tests).
// Copies the tree-sitter WASM files next to the bundles and writes the policy file's JSON schema.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';

const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests');
const withDocs = args.has('--docs');
const withE2e = args.has('--e2e');
const root = path.dirname(new URL(import.meta.url).pathname);
const wasmDir = path.join(path.dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  external: ['vscode'],
  // jsonc-parser's UMD build requires its files dynamically, which a bundle cannot follow; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
};

function copyWasm(outdir) {
  fs.mkdirSync(outdir, { recursive: true });
  for (const file of ['tree-sitter.wasm', 'tree-sitter-bash.wasm']) {
    fs.copyFileSync(path.join(wasmDir, file), path.join(outdir, file));
  }
}

function listFiles(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: false })
    .map(String).filter((f) => f.endsWith(suffix)).map((f) => path.join(dir, f));
}

async function writeJsonSchema() {
  const out = path.join(root, 'out', 'build', 'schema.cjs');
  await esbuild.build({ ...common, sourcemap: false, minify: false, entryPoints: [path.join(root, 'src/policy/json-schema.ts')], outfile: out });
  delete require.cache[out];
  const { policyJsonSchema } = require(out);
  fs.writeFileSync(path.join(root, 'dist', 'guardrails.schema.json'), JSON.stringify(policyJsonSchema(), null, 2) + '\n');
}

const extensionEntry = path.join(root, 'src/extension/extension.ts');
const hasExtension = fs.existsSync(extensionEntry);
const cliOptions = { ...common, entryPoints: [{ in: path.join(root, 'src/cli.ts'), out: 'cli' }], outdir: path.join(root, 'dist') };

// ── The extension in two bundles: activation loads dist/extension.js only ────────────────────────────────────────
// Loading one 1.6 MB bundle cost more than the whole activation budget (50 ms) before activate() even ran: zod, the
// rule packs, minimatch, jsonc-parser and the tree-sitter wrapper were compiled and evaluated at load. They now live
// in dist/core.js, which is required on first use:
//  - "core" modules: every module outside src/extension that imports (directly or through other modules) one of
//    CORE_PACKAGES or the rule packs, and every module those import. The rest of src/ stays in extension.js.
//  - The extension bundle imports a core module through a generated stand-in whose exports are getters; the first
//    getter read calls loadCore() (src/extension/core-loader.ts), which requires dist/core.js once. Every use of an
//    imported binding is a property read of the stand-in in esbuild's output, so nothing loads until code runs that
//    needs the engine (a verdict, the policy parse, the parser). The source keeps its ordinary imports.
//  - A core module exists only in core.js (one copy of the parser's and the engine's module state). SHARED_MODULES
//    are the exception: what activation itself reads (constants), copied into both bundles; they must stay
//    stateless. The build fails if any other module ends up in both bundles.
const CORE_PACKAGES = ['zod', 'minimatch', 'jsonc-parser', '@vscode/tree-sitter-wasm'];
// Also core, though light: what only runs when a guard has something to decide, which needs the engine anyway, and
// the terminal guard (made after activation: it starts the verdict server, which is in core).
const CORE_ROOTS = ['src/rules/index.ts', 'src/files/deletion-targets.ts', 'src/tasks/task-command.ts', 'src/extension/guards/terminal-guard.ts'];
const SHARED_MODULES = new Set([
  'src/policy/defaults.ts', // UNMARKED_POLICY (compared by identity only inside the extension), strictFallbackPolicy()
  'src/policy/paths.ts', // POLICY_RELATIVE_PATH
  'src/policy/credential-files.ts', // CREDENTIAL_FILE_GLOBS (the credential guard's file watcher)
  'src/extension/presenters/modal.ts', // the modals' texts (pure functions), for the terminal guard and the rest
]);

const toRelative = (p) => path.relative(root, path.resolve(root, p)).split(path.sep).join('/');
const isPackage = (input, name) => input.replace(/\\/g, '/').includes(`node_modules/${name}/`);

/** Which src modules are core: a first, unwritten build of the extension gives the import graph. */
async function findCoreModules() {
  const { metafile } = await esbuild.build({ ...common, entryPoints: [extensionEntry], outfile: path.join(root, 'out', 'build', 'graph.js'), write: false, metafile: true, sourcemap: false });
  const imports = new Map(Object.entries(metafile.inputs).map(([file, input]) => [file, input.imports.filter((i) => !i.external).map((i) => i.path)]));
  const heavy = new Map();
  const isHeavy = (file, seen = new Set()) => {
    if (heavy.has(file)) return heavy.get(file);
    if (seen.has(file)) return false;
    seen.add(file);
    const own = CORE_PACKAGES.some((name) => isPackage(file, name)) || CORE_ROOTS.includes(toRelative(file));
    const result = own || (imports.get(file) ?? []).some((i) => isHeavy(i, seen));
    heavy.set(file, result);
    return result;
  };
  const isSource = (file) => !file.includes('node_modules') && toRelative(file).startsWith('src/') && (!toRelative(file).startsWith('src/extension/') || CORE_ROOTS.includes(toRelative(file)));
  const core = new Set();
  // The heavy modules, then everything they import (one copy of each module), except the shared eager ones.
  const add = (file) => {
    if (!isSource(file) || SHARED_MODULES.has(toRelative(file)) || core.has(path.resolve(root, file))) return;
    core.add(path.resolve(root, file));
    for (const i of imports.get(file) ?? []) add(i);
  };
  for (const file of imports.keys()) if (isSource(file) && isHeavy(file)) add(file);
  return core;
}

/** The export names of a module (esbuild lists them for an ESM entry). */
async function exportNames(file) {
  const { metafile } = await esbuild.build({ ...common, entryPoints: [file], format: 'esm', packages: 'external', outfile: path.join(root, 'out', 'build', 'names.js'), write: false, metafile: true, sourcemap: false });
  return Object.values(metafile.outputs)[0].exports;
}

async function extensionOptions() {
  const core = await findCoreModules();
  const lazy = new Map(); // core modules the extension imports → their export names
  const loader = path.join(root, 'src', 'extension', 'core-loader.ts');
  /** @type {esbuild.Plugin} */
  const lazyCore = {
    name: 'lazy-core',
    setup(build) {
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.namespace !== 'file' || args.pluginData?.lazyCore) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { lazyCore: true } });
        if (resolved.errors.length > 0 || !core.has(resolved.path)) return undefined;
        return { path: resolved.path, namespace: 'lazy-core' };
      });
      build.onLoad({ filter: /.*/, namespace: 'lazy-core' }, async (args) => {
        const key = toRelative(args.path);
        lazy.set(key, await exportNames(args.path)); // again on each rebuild (watch): exports may have changed
        const getters = lazy.get(key).map((name) => `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => loadCore(${JSON.stringify(`${key}: ${name}`)})[${JSON.stringify(key)}][${JSON.stringify(name)}] });`);
        return {
          contents: [`// Stand-in for ${key}: dist/core.js loads on the first read of an export.`, `const { loadCore } = require(${JSON.stringify(loader)});`, `Object.defineProperty(exports, '__esModule', { value: true });`, ...getters].join('\n'),
          loader: 'js',
          resolveDir: path.dirname(args.path),
        };
      });
    },
  };
  return { core, lazy, options: { ...common, entryPoints: [{ in: extensionEntry, out: 'extension' }], outdir: path.join(root, 'dist'), plugins: [lazyCore], metafile: true } };
}

/** Builds dist/extension.js, then dist/core.js with exactly the core modules the extension reaches. */
async function buildExtension() {
  const { lazy, options } = await extensionOptions();
  await buildCore(lazy, await esbuild.build(options));
}

async function buildCore(lazy, extension) {
  const entry = [...lazy.keys()].sort().map((key, i) => `import * as m${i} from ${JSON.stringify(path.join(root, key))};\nexport { m${i} as ${JSON.stringify(key)} };`).join('\n');
  const core = await esbuild.build({ ...common, stdin: { contents: entry, resolveDir: root, sourcefile: 'core-entry.js', loader: 'js' }, outfile: path.join(root, 'dist', 'core.js'), metafile: true });
  const inputsOf = (result) => new Set(Object.keys(result.metafile.inputs).map(toRelative).filter((f) => f.startsWith('src/')));
  const inCore = inputsOf(core);
  const both = [...inputsOf(extension)].filter((f) => inCore.has(f) && !SHARED_MODULES.has(f));
  if (both.length > 0) {
    throw new Error(`esbuild.mjs: ${both.join(', ')} would be copied into both dist/extension.js and dist/core.js (two copies of its module state). `
      + 'Import it only from core modules, make the extension reach it through a core module, or add it to SHARED_MODULES if it is stateless.');
  }
}

copyWasm(path.join(root, 'dist'));
await writeJsonSchema();
if (fs.existsSync(path.join(root, 'media', 'shell'))) {
  // Shell hooks ship as they are; nothing to build.
}

/**
 * In watch mode, tells VS Code's background task when a rebuild starts and ends, prints problems as `file:line:col:
 * severity: text` (the problem matcher in .vscode/tasks.json reads both) and regenerates the policy's JSON schema.
 */
let watchBuildsRunning = 0;
const watchReporter = {
  name: 'watch-reporter',
  setup(build) {
    // The CLI and the extension rebuild side by side: one started/finished pair around both.
    build.onStart(() => { if (watchBuildsRunning++ === 0) console.log('[watch] build started'); });
    build.onEnd(async (result) => {
      const print = (severity) => (m) => console.log(m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ${severity}: ${m.text}` : `${severity}: ${m.text}`);
      result.errors.forEach(print('error'));
      result.warnings.forEach(print('warning'));
      if (result.errors.length === 0) {
        try { await writeJsonSchema(); } catch (error) { console.log(`src/policy/json-schema.ts:1:1: error: ${error.message}`); }
      }
      if (--watchBuildsRunning === 0) console.log('[watch] build finished');
    });
  },
};

if (watch) {
  const contexts = [await esbuild.context({ ...cliOptions, logLevel: 'silent', plugins: [watchReporter] })];
  if (hasExtension) {
    // Each rebuild of the extension rebuilds dist/core.js too. Which modules are core is decided at start:
    // restart the watch after an import brings a new package or module into the engine's reach.
    const { lazy, options } = await extensionOptions();
    const rebuildCore = { name: 'rebuild-core', setup: (build) => build.onEnd((result) => (result.errors.length ? undefined : buildCore(lazy, result).catch((error) => console.log(`esbuild.mjs:1:1: error: dist/core.js: ${String(error)}`)))) };
    contexts.push(await esbuild.context({ ...options, logLevel: 'silent', plugins: [...options.plugins, rebuildCore, watchReporter] }));
  }
  for (const context of contexts) await context.watch();
} else {
  await esbuild.build(cliOptions);
  if (hasExtension) await buildExtension();
  if (withTests) {
    const testEntries = [...listFiles(path.join(root, 'test', 'unit'), '.test.ts'), ...listFiles(path.join(root, 'test', 'bench'), '.bench.ts')];
    await esbuild.build({
      ...common,
      entryPoints: testEntries.map((p) => ({ in: p, out: path.relative(root, p).replace(/\.ts$/, '') })),
      outdir: path.join(root, 'out'),
    });
    copyWasm(path.join(root, 'out'));
  }
  if (withE2e) {
    // End-to-end specs and the demo launcher; they run under node 24 from the e2e cache (test/e2e/harness/setup.sh).
    const e2eEntries = [...listFiles(path.join(root, 'test', 'e2e'), '.spec.ts'), path.join(root, 'test', 'e2e', 'harness', 'demo.ts')];
    await esbuild.build({
      ...common,
      target: 'node22',
      entryPoints: e2eEntries.map((p) => ({ in: p, out: path.relative(root, p).replace(/\.ts$/, '') })),
      outdir: path.join(root, 'out'),
    });
  }
  if (withDocs) writeRuleDocs();
}

/** Regenerates the README's rule reference (between the rules:start/end markers) from the rules' own meta. */
function writeRuleDocs() {
  const table = execFileSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'rules', '--markdown'], { encoding: 'utf8' }).trimEnd();
  const readmePath = path.join(root, 'README.md');
  const readme = fs.readFileSync(readmePath, 'utf8');
  fs.writeFileSync(readmePath, readme.replace(/<!-- rules:start -->\n[\s\S]*?<!-- rules:end -->/, () => `<!-- rules:start -->\n${table}\n<!-- rules:end -->`));
}

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

const entryPoints = [path.join(root, 'src/cli.ts')];
if (fs.existsSync(path.join(root, 'src/extension/extension.ts'))) entryPoints.push(path.join(root, 'src/extension/extension.ts'));

const distOptions = { ...common, entryPoints, outdir: path.join(root, 'dist'), outbase: path.join(root, 'src') };
// extension.ts lands in dist/extension/extension.js with outbase=src; flatten it to dist/extension.js.
distOptions.entryPoints = entryPoints.map((p) => ({ in: p, out: path.basename(p, '.ts') }));

copyWasm(path.join(root, 'dist'));
await writeJsonSchema();
if (fs.existsSync(path.join(root, 'media', 'shell'))) {
  // Shell hooks ship as they are; nothing to build.
}

/**
 * In watch mode, tells VS Code's background task when a rebuild starts and ends, prints problems as `file:line:col:
 * severity: text` (the problem matcher in .vscode/tasks.json reads both) and regenerates the policy's JSON schema.
 */
const watchReporter = {
  name: 'watch-reporter',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd(async (result) => {
      const print = (severity) => (m) => console.log(m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ${severity}: ${m.text}` : `${severity}: ${m.text}`);
      result.errors.forEach(print('error'));
      result.warnings.forEach(print('warning'));
      if (result.errors.length === 0) {
        try { await writeJsonSchema(); } catch (error) { console.log(`src/policy/json-schema.ts:1:1: error: ${error.message}`); }
      }
      console.log(`[watch] build finished (${result.errors.length} errors)`);
    });
  },
};

if (watch) {
  const context = await esbuild.context({ ...distOptions, logLevel: 'silent', plugins: [watchReporter] });
  await context.watch();
} else {
  await esbuild.build(distOptions);
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

// The two bundles of the extension (esbuild.mjs): activation loads dist/extension.js only; dist/core.js (the engine,
// rule packs, zod, minimatch, jsonc-parser, the tree-sitter wrapper) loads on the first use of one of its exports.
// Checked in a child process with a stand-in for the `vscode` module; nothing here is timed (see npm run bench).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../helpers/project.js';

/**
 * Requires extension.js (of dist/, or of `distDirectory`) with a do-nothing vscode that has one workspace folder,
 * records `window.showErrorMessage` messages in report.errors and the status bar item's texts in report.statusTexts,
 * runs `body`, prints a JSON report.
 */
function run(body: string, distDirectory = path.join(projectRoot(), 'dist')): Record<string, unknown> {
  const script = `
    const path = require('node:path'), os = require('node:os'), fs = require('node:fs'), Module = require('node:module');
    const stub = new Proxy(function () {}, {
      get: (_, p) => (p === '__esModule' || p === 'then' ? undefined : p === Symbol.toPrimitive ? () => '' : stub),
      apply: () => stub, construct: () => stub, set: () => true, defineProperty: () => true,
    });
    const api = {};
    for (const name of ${JSON.stringify(VSCODE_NAMES)}) api[name] = stub;
    const report = { errors: [], statusTexts: [] };
    const statusItem = new Proxy({}, { get: () => stub, set: (_, p, value) => { if (p === 'text') report.statusTexts.push(value); return true; } });
    const windowApi = {
      showErrorMessage: (message) => { report.errors.push(message); return Promise.resolve(undefined); },
      createStatusBarItem: () => statusItem,
    };
    api.window = new Proxy({}, { get: (_, p) => windowApi[p] ?? stub });
    const folder = { uri: stub, name: 'shop', index: 0 };
    api.workspace = new Proxy({}, { get: (_, p) => (p === 'workspaceFolders' ? [folder] : stub) });
    require.cache['vscode-stub'] = { id: 'vscode-stub', filename: 'vscode-stub', loaded: true, exports: api };
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode-stub' : resolve.call(this, request, ...rest); };
    const dist = ${JSON.stringify(distDirectory)};
    const coreLoaded = () => Object.keys(require.cache).includes(path.join(dist, 'core.js'));
    const extension = require(path.join(dist, 'extension.js'));
    report.afterRequire = coreLoaded();
    ${body}
    Promise.resolve(report.wait).then(() => { process.stdout.write(JSON.stringify(report)); process.exit(0); });`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

const VSCODE_NAMES = ['commands', 'languages', 'tasks', 'window', 'workspace', 'env', 'Uri', 'EventEmitter', 'Disposable', 'RelativePattern',
  'StatusBarAlignment', 'ThemeColor', 'ThemeIcon', 'MarkdownString', 'TreeItem', 'TreeItemCollapsibleState', 'Range', 'Diagnostic',
  'DiagnosticSeverity', 'FileSystemError', 'ConfigurationTarget', 'CustomExecution', 'ProcessExecution', 'ShellExecution', 'Task',
  'QuickPickItemKind', 'EnvironmentVariableMutatorType'];

describe('activation bundle', () => {
  it('loading dist/extension.js and calling activate() do not load the engine bundle', () => {
    const report = run(`
      const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-activation-'));
      extension.activate({ subscriptions: [], globalStorageUri: { fsPath: storage }, extensionPath: path.dirname(dist), extensionUri: stub,
        globalState: stub, workspaceState: stub, environmentVariableCollection: stub });
      report.afterActivate = coreLoaded();`);
    assert.equal(report['afterRequire'], false, 'dist/core.js was loaded when the extension bundle was');
    assert.equal(report['afterActivate'], false, 'dist/core.js was loaded during activate()');
  });

  it('until a folder\'s policy is read, the status bar says so (not "unmarked")', () => {
    const report = run(`
      const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-activation-'));
      extension.activate({ subscriptions: [], globalStorageUri: { fsPath: storage }, extensionPath: path.dirname(dist), extensionUri: stub,
        globalState: stub, workspaceState: stub, environmentVariableCollection: stub });`);
    assert.deepEqual(report['statusTexts'], ['$(sync~spin) Guardrails: reading policy…']);
  });

  it('when dist/core.js cannot load, activation still works and the person is told terminals are not guarded', () => {
    // A broken install: the activation bundle next to a core bundle that throws when required.
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-broken-core-'));
    fs.copyFileSync(path.join(projectRoot(), 'dist', 'extension.js'), path.join(broken, 'extension.js'));
    fs.writeFileSync(path.join(broken, 'core.js'), "throw new Error('core.js is damaged');\n");
    const report = run(`
      const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-activation-'));
      extension.activate({ subscriptions: [], globalStorageUri: { fsPath: storage }, extensionPath: dist, extensionUri: stub,
        globalState: stub, workspaceState: stub, environmentVariableCollection: stub });
      report.afterActivate = coreLoaded();
      // The terminal guard is made on the event loop's next turn; give it a moment.
      report.wait = new Promise((resolve) => setTimeout(resolve, 200));`, broken);
    assert.equal(report['afterActivate'], false);
    const errors = report['errors'] as string[];
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.match(errors[0]!, /^Agent Guardrails: The terminal guard could not start: terminals are not guarded \(core\.js is damaged\)\./);
  });

  it('the engine bundle has the modules the extension reaches, and nothing of theirs is in dist/extension.js', () => {
    const report = run(`
      const core = require(path.join(dist, 'core.js'));
      report.modules = Object.keys(core);
      report.evaluate = typeof core['src/engine.ts'].evaluate;
      report.parsePolicy = typeof core['src/policy/load.ts'].parsePolicy;
      const text = fs.readFileSync(path.join(dist, 'extension.js'), 'utf8');
      report.heavyInExtension = ['node_modules/zod/', 'node_modules/minimatch/', 'node_modules/jsonc-parser/', 'node_modules/@vscode/tree-sitter-wasm/', 'src/rules/']
        .filter((marker) => text.includes('// ' + marker) || text.includes('/' + marker));`);
    assert.equal(report['evaluate'], 'function');
    assert.equal(report['parsePolicy'], 'function');
    assert.ok((report['modules'] as string[]).includes('src/shell/parser.ts'), JSON.stringify(report['modules']));
    assert.deepEqual(report['heavyInExtension'], []);
  });

  it('imports `vscode` and the Node built-ins without copying their exports (no `import * as` of a CommonJS module)', () => {
    // esbuild turns `import * as vscode from 'vscode'` into __toESM(require('vscode')), which defines a getter for each
    // of the API's hundreds of exports, once per importing module (17 modules: about 20 ms on this machine).
    // src/ imports external modules with `import x = require('x')` (or named imports), which compile to a plain require.
    const text = fs.readFileSync(path.join(projectRoot(), 'dist', 'extension.js'), 'utf8');
    const copies = [...text.matchAll(/__toESM\(require\("([^"]+)"\)/g)].map((m) => m[1]);
    assert.deepEqual(copies, [], 'namespace imports of external modules in dist/extension.js');
  });
});

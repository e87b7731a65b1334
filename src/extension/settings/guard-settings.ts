// Reads the guard settings from user settings only (see src/policy/guard-settings.ts), and reports a workspace value
// that tries to change one: once in the output channel and once in the audit log, per folder, setting and value.
import vscode = require('vscode');
import type { AuditLog } from '../audit/log.js';
import type { WorkspacePolicies } from '../policy-watcher.js';
import { GUARD_SETTINGS, describeIgnored, guardSettingsInFile, resolveGuardSetting, type GuardSettingName, type IgnoredScope } from '../../policy/guard-settings.js';

interface Reporter {
  readonly policies: WorkspacePolicies;
  readonly audit: AuditLog;
  readonly log: vscode.LogOutputChannel;
}

let reporter: Reporter | undefined;
const reported = new Set<string>();
/** Raw values of the workspace's settings files (VS Code hides application-scoped ones from `inspect`). */
const rawFolder = new Map<string, Map<string, unknown>>();
let rawWorkspace = new Map<string, unknown>();

type SettingValue<N extends GuardSettingName> = (typeof GUARD_SETTINGS)[N]['fallback'] extends number ? number : boolean;

/** The value in force for `folder`: the user's setting or the default, never the workspace's. */
export function guardSetting<N extends GuardSettingName>(name: N, folder: vscode.WorkspaceFolder | undefined): SettingValue<N> {
  const spec = GUARD_SETTINGS[name];
  const inspected = vscode.workspace.getConfiguration(undefined, folder?.uri).inspect(spec.key);
  const raw = { workspace: rawWorkspace.get(spec.key), folder: folder ? rawFolder.get(folder.uri.toString())?.get(spec.key) : undefined };
  const resolved = resolveGuardSetting<unknown>(spec as { key: string; fallback: unknown; isValid: (v: unknown) => v is unknown }, inspected, raw);
  for (const { scope, value } of resolved.ignored) report(folder, spec.key, scope, value, resolved);
  return resolved.value as SettingValue<N>;
}

function report(folder: vscode.WorkspaceFolder | undefined, key: string, scope: IgnoredScope, value: unknown, resolved: Parameters<typeof describeIgnored>[3]): void {
  const id = `${folder?.uri.toString() ?? ''}\n${key}\n${scope}\n${JSON.stringify(value)}`;
  if (!reporter || reported.has(id)) return;
  reported.add(id);
  const message = describeIgnored(key, scope, value, resolved);
  reporter.log.warn(`${folder?.name ?? 'workspace'}: ${message}`);
  const state = reporter.policies.forUri(folder?.uri);
  const settingsFile = scope === 'workspace' && vscode.workspace.workspaceFile ? vscode.workspace.asRelativePath(vscode.workspace.workspaceFile, true) : '.vscode/settings.json';
  void reporter.audit.append({
    time: new Date().toISOString(), workspace: folder?.name ?? state?.folder.name ?? 'workspace', ...(folder ? { folder: folder.uri.fsPath } : {}),
    environment: state?.inForce.environment ?? 'unmarked', tier: state?.inForce.tier ?? 'unmarked', source: 'policy',
    command: `${settingsFile}: ${key} = ${JSON.stringify(value)}`, decision: 'policy', reasons: [], outcome: 'setting-ignored', detail: [message],
  });
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** Reads the workspace's settings files and checks every guard setting of every folder. */
async function scan(): Promise<void> {
  const workspaceFile = vscode.workspace.workspaceFile;
  const workspaceText = workspaceFile && workspaceFile.scheme !== 'untitled' ? await readText(workspaceFile) : undefined;
  rawWorkspace = workspaceText !== undefined ? guardSettingsInFile(workspaceText, true) : new Map();
  rawFolder.clear();
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const text = await readText(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'));
    if (text !== undefined) rawFolder.set(folder.uri.toString(), guardSettingsInFile(text));
  }
  // A single-folder window: the folder's .vscode/settings.json is the workspace settings.
  if (!workspaceFile && vscode.workspace.workspaceFolders?.length === 1) {
    rawWorkspace = rawFolder.get(vscode.workspace.workspaceFolders[0]!.uri.toString()) ?? new Map();
    rawFolder.clear();
  }
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const name of Object.keys(GUARD_SETTINGS) as GuardSettingName[]) guardSetting(name, folder);
  }
}

/**
 * Starts reporting ignored workspace values: a little after activation, and whenever the configuration or a
 * `.vscode/settings.json` changes.
 */
export function watchGuardSettings(deps: Reporter): vscode.Disposable {
  reporter = deps;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (delay: number): void => {
    clearTimeout(timer);
    timer = setTimeout(() => { scan().catch((error: unknown) => deps.log.warn(`checking the guard settings failed: ${String(error)}`)); }, delay);
  };
  let disposed = false;
  const disposables = [
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('agentGuardrails')) schedule(200); }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => schedule(200)),
  ];
  // The file watcher once the policies were read (after activation: see WorkspacePolicies), then the first scan.
  void deps.policies.whenLoaded().then(() => {
    if (disposed) return;
    const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/settings.json');
    disposables.push(watcher, watcher.onDidChange(() => schedule(200)), watcher.onDidCreate(() => schedule(200)), watcher.onDidDelete(() => schedule(200)));
    schedule(500);
  });
  return { dispose: () => { disposed = true; clearTimeout(timer); for (const d of disposables) d.dispose(); reporter = undefined; } };
}

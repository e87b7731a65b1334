// Which value of a guard setting is in force. Pure (no vscode): the caller passes what
// `WorkspaceConfiguration.inspect()` returned, plus what the workspace's settings files say (read raw, because VS
// Code drops application-scoped values from them before `inspect` sees them).
//
// Every setting here can weaken a guard in one direction (a higher bulk threshold, a smaller backup cap, no
// read-only protected paths, no masking), and `.vscode/settings.json` is inside the workspace, which an agent can
// write. So only the user's settings and the defaults count; a workspace or folder value is ignored and reported.
import { parse } from 'jsonc-parser';

export interface GuardSettingSpec<T> {
  /** Full key, e.g. `agentGuardrails.files.bulkThreshold`. */
  readonly key: string;
  readonly fallback: T;
  readonly isValid: (value: unknown) => value is T;
}

const isPositiveNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 1;
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

export const GUARD_SETTINGS = {
  maxSnapshotMB: { key: 'agentGuardrails.backups.maxSnapshotMB', fallback: 256, isValid: isPositiveNumber },
  maxTotalMB: { key: 'agentGuardrails.backups.maxTotalMB', fallback: 2048, isValid: isPositiveNumber },
  keepDays: { key: 'agentGuardrails.backups.keepDays', fallback: 30, isValid: isPositiveNumber },
  keepAtLeast: { key: 'agentGuardrails.backups.keepAtLeast', fallback: 20, isValid: isPositiveNumber },
  bulkThreshold: { key: 'agentGuardrails.files.bulkThreshold', fallback: 20, isValid: isPositiveNumber },
  readonlyProtectedPaths: { key: 'agentGuardrails.files.readonlyProtectedPaths', fallback: true, isValid: isBoolean },
  maskForeignVariables: { key: 'agentGuardrails.environment.maskForeignVariables', fallback: true, isValid: isBoolean },
} as const satisfies Record<string, GuardSettingSpec<number> | GuardSettingSpec<boolean>>;

export type GuardSettingName = keyof typeof GUARD_SETTINGS;

/** The parts of `inspect()` that matter (language-specific values do not apply to these settings). */
export interface InspectedValues {
  readonly defaultValue?: unknown;
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

export type IgnoredScope = 'workspace' | 'workspace folder';

export interface ResolvedGuardSetting<T> {
  readonly value: T;
  readonly from: 'user settings' | 'default';
  /** Workspace or folder values that differ from the value in force: ignored. */
  readonly ignored: readonly { readonly scope: IgnoredScope; readonly value: unknown }[];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The value in force: the user's (global) value when valid, else the contributed default when valid, else the
 * built-in fallback. Workspace and folder values never count; those that differ from the result are listed.
 */
export function resolveGuardSetting<T>(spec: GuardSettingSpec<T>, inspected: InspectedValues | undefined, raw: { readonly workspace?: unknown; readonly folder?: unknown } = {}): ResolvedGuardSetting<T> {
  const global = inspected?.globalValue;
  const useGlobal = spec.isValid(global);
  const value = useGlobal ? global : spec.isValid(inspected?.defaultValue) ? inspected?.defaultValue as T : spec.fallback;
  const ignored: { scope: IgnoredScope; value: unknown }[] = [];
  const workspace = inspected?.workspaceValue !== undefined ? inspected.workspaceValue : raw.workspace;
  const folder = inspected?.workspaceFolderValue !== undefined ? inspected.workspaceFolderValue : raw.folder;
  if (workspace !== undefined && !same(workspace, value)) ignored.push({ scope: 'workspace', value: workspace });
  if (folder !== undefined && !same(folder, value) && !same(folder, workspace)) ignored.push({ scope: 'workspace folder', value: folder });
  return { value, from: useGlobal ? 'user settings' : 'default', ignored };
}

/** The guard settings a settings file (JSONC: `.vscode/settings.json`, or a `.code-workspace`'s `settings`) sets. */
export function guardSettingsInFile(text: string, isWorkspaceFile = false): Map<string, unknown> {
  const out = new Map<string, unknown>();
  let parsed: unknown;
  try {
    parsed = parse(text, [], { allowTrailingComma: true, disallowComments: false });
  } catch {
    return out;
  }
  const settings = isWorkspaceFile && parsed && typeof parsed === 'object' ? (parsed as { settings?: unknown }).settings : parsed;
  if (!settings || typeof settings !== 'object') return out;
  const record = settings as Record<string, unknown>;
  for (const spec of Object.values(GUARD_SETTINGS)) {
    if (record[spec.key] !== undefined) out.set(spec.key, record[spec.key]);
    // Nested form: { "agentGuardrails": { "files": { "bulkThreshold": … } } } (or partly nested).
    const parts = spec.key.split('.');
    for (let i = 1; i < parts.length; i++) {
      let node: unknown = record[parts.slice(0, i).join('.')];
      for (const part of parts.slice(i)) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
      if (node !== undefined && !out.has(spec.key)) out.set(spec.key, node);
    }
  }
  return out;
}

/** One line for the output channel and the audit entry. */
export function describeIgnored(key: string, scope: IgnoredScope, value: unknown, resolved: ResolvedGuardSetting<unknown>): string {
  return `The ${scope} settings set ${key} to ${JSON.stringify(value)}; ignored: guard settings are read only from user settings, so an agent that writes .vscode/settings.json cannot weaken the guard. In force: ${JSON.stringify(resolved.value)} (${resolved.from}).`;
}

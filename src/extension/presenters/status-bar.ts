// What the environment indicator shows, from the state of every workspace folder. Pure.
import type { AuditEntry } from '../audit/entry.js';

export type FolderPolicyStatus =
  /** Not read yet (the moments after activation): the built-in rules apply meanwhile, as for an unmarked folder. */
  | 'loading'
  /** No policy file. */
  | 'unmarked'
  | 'ok'
  /** The file is invalid; `inForce` is strict. */
  | 'invalid'
  /** A loosening change waits for (or was declined by) a person; the accepted policy is in force. */
  | 'change-pending';

export interface FolderPolicyView {
  readonly folderName: string;
  readonly policyFile: string;
  readonly status: FolderPolicyStatus;
  /** The environment and tier in force. */
  readonly environment: string;
  readonly tier: 'development' | 'staging' | 'production' | 'unmarked';
  readonly counts: { readonly allow: number; readonly confirm: number; readonly block: number; readonly protectedPaths: number; readonly environments: number };
  readonly issueCount: number;
  /** A one-line summary of the first issue or of the pending change. */
  readonly problem?: string;
}

export interface StatusBarPresentation {
  readonly text: string;
  /** Markdown. */
  readonly tooltip: string;
  readonly backgroundColor: 'statusBarItem.errorBackground' | 'statusBarItem.warningBackground' | undefined;
  readonly accessibilityLabel: string;
}

const TIER_ORDER = { unmarked: 0, development: 1, staging: 2, production: 3 } as const;

/** The folder the indicator shows: a broken policy first, then the most critical tier. */
export function mostCritical(folders: readonly FolderPolicyView[]): FolderPolicyView | undefined {
  let best: FolderPolicyView | undefined;
  // A folder not read yet may turn out to be anything: shown before an unmarked one, after any marked one.
  const score = (f: FolderPolicyView): number => (f.status === 'invalid' ? 10 : 0) + (f.status === 'loading' ? 0.5 : 0) + TIER_ORDER[f.tier];
  for (const folder of folders) if (!best || score(folder) > score(best)) best = folder;
  return best;
}

function label(folder: FolderPolicyView): string {
  const name = folder.environment.toUpperCase();
  return folder.environment.toLowerCase() === folder.tier ? name : `${name} (${folder.tier})`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** `notices`: warnings from the guards (credentials of another environment, unguarded terminals), one line each. */
export function presentStatusBar(folders: readonly FolderPolicyView[], recent: readonly AuditEntry[], notices: readonly string[] = []): StatusBarPresentation {
  const shown = mostCritical(folders);
  const more = folders.length > 1 ? ` +${folders.length - 1}` : '';
  let text: string;
  let backgroundColor: StatusBarPresentation['backgroundColor'];
  if (!shown) {
    text = '$(shield) Guardrails: no folder';
    backgroundColor = undefined;
  } else if (shown.status === 'invalid') {
    text = `$(error) Guardrails: policy invalid${more}`;
    backgroundColor = 'statusBarItem.errorBackground';
  } else if (shown.status === 'loading') {
    text = `$(sync~spin) Guardrails: reading policy…${more}`;
    backgroundColor = undefined;
  } else if (shown.tier === 'unmarked') {
    text = `$(shield) Guardrails: unmarked${more}`;
    backgroundColor = undefined;
  } else {
    text = `$(shield) ${shown.tier === 'development' ? shown.environment : label(shown)}${shown.status === 'change-pending' ? ' $(warning)' : ''}${more}`;
    backgroundColor = shown.tier === 'production' ? 'statusBarItem.errorBackground' : shown.tier === 'staging' ? 'statusBarItem.warningBackground' : undefined;
  }

  const lines: string[] = ['**Agent Guardrails**', ''];
  for (const folder of folders) {
    const environment = folder.status === 'loading' ? 'reading the policy…' : folder.tier === 'unmarked' && folder.status !== 'invalid' ? 'unmarked' : `${escapeMarkdown(folder.environment)} (${folder.tier})`;
    lines.push(`**${escapeMarkdown(folder.folderName)}**: ${environment}`);
    if (folder.status === 'loading') {
      lines.push('', `$(sync~spin) Reading \`${folder.policyFile}\`; the built-in rules apply until it is read.`);
    } else if (folder.status === 'unmarked') {
      lines.push('', '$(info) No policy file: the built-in rules apply. Click to create `.vscode/guardrails.json`.');
    } else {
      lines.push('', `Policy: \`${folder.policyFile}\``, '');
      const c = folder.counts;
      lines.push(`Rules: ${c.block} block · ${c.confirm} confirm · ${c.allow} allow · ${c.protectedPaths} protected paths · ${c.environments} environments`);
    }
    if (folder.status === 'invalid') lines.push('', `$(error) ${folder.issueCount} problem${folder.issueCount === 1 ? '' : 's'} in the policy file; strict rules apply until it is fixed. ${escapeMarkdown(folder.problem ?? '')}`);
    if (folder.status === 'change-pending') lines.push('', `$(warning) A change that loosens the policy waits for approval; the accepted policy stays in force. ${escapeMarkdown(folder.problem ?? '')}`);
    lines.push('');
  }
  const decisions = recent.filter((e) => e.outcome !== 'policy-accepted');
  if (decisions.length > 0) {
    lines.push('**Last decisions**', '');
    for (const entry of decisions.slice(0, 3)) lines.push(`- ${entry.decision} · ${entry.outcome}: \`${entry.command.replace(/`/g, "'").slice(0, 60)}\``);
    lines.push('');
  }
  if (notices.length > 0) {
    lines.push('**Warnings**', '');
    for (const notice of notices.slice(0, 5)) lines.push(`- $(warning) ${escapeMarkdown(notice)}`);
    if (notices.length > 5) lines.push(`- … and ${notices.length - 5} more (see Problems)`);
    lines.push('');
  }
  lines.push('Click for actions.');
  const accessibilityLabel = `Agent Guardrails: ${text.replace(/\$\([a-z-]+\)\s*/g, '')}`;
  return { text, tooltip: lines.join('\n'), backgroundColor, accessibilityLabel };
}

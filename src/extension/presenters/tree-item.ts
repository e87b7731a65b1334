// How audit entries look in the tree view. Pure: returns codicon ids and theme colour ids, not vscode objects.
import type { AuditDay, AuditEntry } from '../audit/entry.js';

export interface TreeItemPresentation {
  readonly label: string;
  readonly description: string;
  /** Markdown. */
  readonly tooltip: string;
  readonly icon: string;
  readonly color: string | undefined;
}

export function presentAuditDay(day: AuditDay, today: string): TreeItemPresentation {
  const blocked = day.entries.filter((e) => e.outcome === 'blocked').length;
  return {
    label: day.day === today ? `Today (${day.day})` : day.day,
    description: `${day.entries.length} entr${day.entries.length === 1 ? 'y' : 'ies'}${blocked > 0 ? ` · ${blocked} blocked` : ''}`,
    tooltip: day.day,
    icon: 'calendar',
    color: undefined,
  };
}

function iconFor(entry: AuditEntry): { icon: string; color: string | undefined } {
  switch (entry.outcome) {
    case 'blocked': return { icon: 'circle-slash', color: 'errorForeground' };
    case 'policy-change-declined': return { icon: 'shield', color: 'errorForeground' };
    case 'policy-invalid': return { icon: 'error', color: 'errorForeground' };
    case 'ran': case 'approved-by-person': case 'policy-change-approved': return { icon: 'pass', color: 'testing.iconPassed' };
    case 'cancelled': case 'timed-out': case 'wrong-confirmation': return { icon: 'close', color: 'editorWarning.foreground' };
    default: return { icon: entry.decision === 'policy' ? 'law' : 'shield', color: undefined };
  }
}

export function presentAuditEntry(entry: AuditEntry): TreeItemPresentation {
  const time = new Date(entry.time);
  const hhmmss = [time.getHours(), time.getMinutes(), time.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  const command = entry.command.replace(/\s*\n\s*/g, ' ⏎ ');
  const reasons = entry.reasons.filter((r) => r.severity !== 'info').map((r) => `- \`${r.rule}\` ${r.message}`);
  const detail = (entry.detail ?? []).map((d) => `- ${d}`);
  return {
    label: command.length > 80 ? `${command.slice(0, 80)}…` : command,
    description: `${entry.outcome} · ${entry.environment} · ${hhmmss}`,
    tooltip: [`**${entry.decision} → ${entry.outcome}**`, '', `\`${entry.command.replace(/`/g, "'")}\``, '',
      `${entry.time} · ${entry.workspace} (${entry.environment}) · ${entry.source}${entry.requester ? ` · ${entry.requester}` : ''}`,
      ...(reasons.length > 0 ? ['', ...reasons] : []), ...(detail.length > 0 ? ['', ...detail] : [])].join('\n'),
    ...iconFor(entry),
  };
}

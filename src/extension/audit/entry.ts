// The audit log's data: one JSON line per verdict that was not a plain allow, and per policy event. Pure.
import type { Decision, Reason } from '../../engine.js';

export type AuditSource = 'terminal' | 'task' | 'file' | 'hook' | 'command' | 'policy';

export type AuditOutcome =
  | 'ran' | 'approved-by-person' | 'cancelled' | 'timed-out' | 'wrong-confirmation' | 'blocked'
  | 'policy-accepted' | 'policy-tightened' | 'policy-invalid' | 'policy-change-approved' | 'policy-change-declined'
  /** A task was terminated as it started, pending confirmation; `rerun`: the approved task was started again. */
  | 'stopped' | 'rerun'
  /** A declined file operation was undone from its backup; `restore-failed`: it could not be. */
  | 'restored' | 'restore-failed'
  /** A workspace settings value that would weaken a guard was ignored (guard settings come from user settings only). */
  | 'setting-ignored';

export interface AuditEntry {
  /** ISO time. */
  readonly time: string;
  /** The workspace folder's name (its path is in `folder`). */
  readonly workspace: string;
  readonly folder?: string;
  readonly environment: string;
  readonly tier: string;
  readonly source: AuditSource;
  /** Who asked: a terminal's name, a task, an agent, "command palette". */
  readonly requester?: string;
  /** The command line, or for policy events the policy file. */
  readonly command: string;
  /** `policy` for policy events. */
  readonly decision: Decision | 'policy';
  readonly reasons: readonly Pick<Reason, 'rule' | 'message' | 'command' | 'severity'>[];
  readonly outcome: AuditOutcome;
  /** Extra words, e.g. the loosenings of a declined policy change. */
  readonly detail?: readonly string[];
  /** Backup snapshots taken for this entry (a terminal deletion approved by a person), by id. */
  readonly snapshots?: readonly string[];
}

/** Parses the JSONL file; lines that are not entries are skipped (a torn last line after a crash). */
export function parseAuditLines(text: string): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as Partial<AuditEntry>;
      if (typeof value.time === 'string' && typeof value.command === 'string' && typeof value.outcome === 'string') entries.push(value as AuditEntry);
    } catch {
      // skipped
    }
  }
  return entries;
}

export interface AuditDay {
  /** `YYYY-MM-DD` in local time. */
  readonly day: string;
  /** Newest first. */
  readonly entries: readonly AuditEntry[];
}

export function localDay(time: string): string {
  const d = new Date(time);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Entries grouped by local day, newest day first and newest entry first within a day. */
export function groupAuditByDay(entries: readonly AuditEntry[]): AuditDay[] {
  const sorted = [...entries].sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
  const days: { day: string; entries: AuditEntry[] }[] = [];
  for (const entry of sorted) {
    const day = localDay(entry.time);
    const last = days[days.length - 1];
    if (last && last.day === day) last.entries.push(entry);
    else days.push({ day, entries: [entry] });
  }
  return days;
}

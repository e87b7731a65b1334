// One-shot approvals: a task a person approved is started again once, and that start must not be stopped again.
// Keyed by the task's identity and the command line that was judged, so an edited task is judged afresh. Pure.

export interface ApprovalOptions {
  /** How long an approval waits for its re-run (ms); default 30 s. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

export class OneShotApprovals {
  private readonly approvals = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: ApprovalOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  grant(key: string): void {
    this.approvals.set(key, this.now() + this.ttlMs);
  }

  /** True once for a granted, unexpired key; the approval is used up. */
  consume(key: string): boolean {
    const expires = this.approvals.get(key);
    this.approvals.delete(key);
    return expires !== undefined && expires >= this.now();
  }
}

/** The identity of a task start for approvals: source, name, folder and the command line the engine judged. */
export function taskApprovalKey(task: { readonly source: string; readonly name: string; readonly folder: string | undefined }, commandLine: string): string {
  return JSON.stringify([task.source, task.name, task.folder ?? '', commandLine]);
}

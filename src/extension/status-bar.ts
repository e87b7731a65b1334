// The environment indicator: the most critical folder's environment, coloured by tier; a menu on click.
import vscode = require('vscode');
import type { AuditLog } from './audit/log.js';
import { presentStatusBar } from './presenters/status-bar.js';
import type { WorkspacePolicies } from './policy-watcher.js';

export const STATUS_BAR_ITEM_ID = 'agentGuardrails.environment';

export class EnvironmentStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(STATUS_BAR_ITEM_ID, vscode.StatusBarAlignment.Left, 10_000);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly policies: WorkspacePolicies, private readonly audit: AuditLog) {
    this.item.name = 'Agent Guardrails: Environment';
    this.item.command = 'agentGuardrails.showMenu';
    this.disposables.push(policies.onDidChange(() => this.update()), audit.onDidChange(() => this.update()));
    this.update();
    this.item.show();
    // "Last decisions" in the tooltip include earlier sessions: read the audit file a little after activation.
    const preload = setTimeout(() => { void audit.all().catch(() => undefined); }, 1000);
    this.disposables.push({ dispose: () => clearTimeout(preload) });
  }

  private readonly notices = new Map<string, readonly string[]>();

  /** Extra tooltip lines from a guard (`source` replaces its earlier lines). */
  setNotices(source: string, lines: readonly string[]): void {
    this.notices.set(source, lines);
    this.update();
  }

  update(): void {
    const p = presentStatusBar(this.policies.views(), this.audit.recent(6), [...this.notices.values()].flat());
    this.item.text = p.text;
    const tooltip = new vscode.MarkdownString(p.tooltip, true);
    this.item.tooltip = tooltip;
    this.item.backgroundColor = p.backgroundColor ? new vscode.ThemeColor(p.backgroundColor) : undefined;
    this.item.accessibilityInformation = { label: p.accessibilityLabel };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

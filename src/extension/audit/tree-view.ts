// The audit tree view: entries grouped by day, newest first, with decision icons.
import vscode = require('vscode');
import { groupAuditByDay, localDay, type AuditDay, type AuditEntry } from './entry.js';
import type { AuditLog } from './log.js';
import { presentAuditDay, presentAuditEntry, type TreeItemPresentation } from '../presenters/tree-item.js';

type AuditNode = { readonly kind: 'day'; readonly day: AuditDay } | { readonly kind: 'entry'; readonly entry: AuditEntry };

export class AuditTreeProvider implements vscode.TreeDataProvider<AuditNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AuditNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly audit: AuditLog) {
    this.disposables.push(audit.onDidChange(() => this.changed.fire(undefined)));
  }

  async getChildren(node?: AuditNode): Promise<AuditNode[]> {
    if (!node) return groupAuditByDay(await this.audit.all()).map((day) => ({ kind: 'day', day }));
    return node.kind === 'day' ? node.day.entries.map((entry) => ({ kind: 'entry', entry })) : [];
  }

  getTreeItem(node: AuditNode): vscode.TreeItem {
    const today = localDay(new Date().toISOString());
    if (node.kind === 'day') {
      const item = toTreeItem(presentAuditDay(node.day, today), node.day.day === today ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `day:${node.day.day}:${node.day.entries.length}`;
      return item;
    }
    const item = toTreeItem(presentAuditEntry(node.entry), vscode.TreeItemCollapsibleState.None);
    item.contextValue = `auditEntry.${node.entry.outcome}`;
    return item;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function toTreeItem(p: TreeItemPresentation, state: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const item = new vscode.TreeItem(p.label, state);
  item.description = p.description;
  item.tooltip = new vscode.MarkdownString(p.tooltip);
  item.iconPath = new vscode.ThemeIcon(p.icon, p.color ? new vscode.ThemeColor(p.color) : undefined);
  return item;
}

// Modal questions whose DEFAULT button is the safe choice. VS Code focuses the first button of a modal and never
// its close affordance, so the safe answer ("Don't run") comes first: Enter, Escape and × all decline.
import vscode = require('vscode');

const CANCEL: vscode.MessageItem = { title: 'Cancel', isCloseAffordance: true };

/**
 * Resolves to `action` only when a person clicked it; undefined for the safe choice, Cancel, Escape or close.
 * `safe` labels the default button (`Don't run`, `Keep current policy`).
 */
export async function askModal(kind: 'warning' | 'error' | 'info', message: string, detail: string, action: string, safe: string): Promise<string | undefined> {
  const show = kind === 'warning' ? vscode.window.showWarningMessage : kind === 'error' ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
  const safeItem: vscode.MessageItem = { title: safe };
  const actionItem: vscode.MessageItem = { title: action };
  const answer = await show<vscode.MessageItem>(message, { modal: true, detail }, safeItem, actionItem, CANCEL);
  return answer === actionItem ? action : undefined;
}

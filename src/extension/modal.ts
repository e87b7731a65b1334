// Modal questions with Cancel as the default button (first, and the close affordance: Escape and × answer it too).
import * as vscode from 'vscode';

const CANCEL: vscode.MessageItem = { title: 'Cancel', isCloseAffordance: true };

/** Resolves to the action's title when a person chose it, undefined for Cancel / Escape / close. */
export async function askModal(kind: 'warning' | 'error' | 'info', message: string, detail: string, action: string): Promise<string | undefined> {
  const show = kind === 'warning' ? vscode.window.showWarningMessage : kind === 'error' ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
  const answer = await show<vscode.MessageItem>(message, { modal: true, detail }, CANCEL, { title: action });
  return answer && answer !== CANCEL && answer.title === action ? action : undefined;
}

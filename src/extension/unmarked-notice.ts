// The call to action of an unmarked workspace: once per workspace, a notification offers to create the policy.
import vscode = require('vscode');
import type { WorkspacePolicies } from './policy-watcher.js';

const SHOWN_KEY = 'agentGuardrails.unmarkedNoticeShown';
export const CREATE_POLICY = 'Create Policy…';
export const NOT_NOW = 'Not now';

export function unmarkedNoticeText(folderName: string, folderCount: number): string {
  const where = folderCount > 1 ? `The folder "${folderName}"` : 'This workspace';
  return `${where} has no Agent Guardrails policy: only the built-in rules apply, and no environment is marked. Create .vscode/guardrails.json to mark it as development, staging or production.`;
}

/** Shows the notice once the policies are read, if a folder is unmarked and the notice was never shown here. */
export function offerPolicyForUnmarked(policies: WorkspacePolicies, workspaceState: vscode.Memento, log: vscode.LogOutputChannel): vscode.Disposable {
  let disposed = false;
  void policies.whenLoaded().then(async () => {
    if (disposed || workspaceState.get<boolean>(SHOWN_KEY)) return;
    const all = policies.all();
    const unmarked = all.find((f) => f.status === 'unmarked');
    if (!unmarked) return;
    await workspaceState.update(SHOWN_KEY, true);
    log.info(`${unmarked.folder.name} has no policy file: offering Create Policy… (once per workspace)`);
    const answer = await vscode.window.showInformationMessage(unmarkedNoticeText(unmarked.folder.name, all.length), CREATE_POLICY, NOT_NOW);
    if (answer === CREATE_POLICY) await vscode.commands.executeCommand('agentGuardrails.createPolicy');
  }).catch((error: unknown) => log.warn(`the unmarked-workspace notice failed: ${String(error)}`));
  return { dispose: () => { disposed = true; } };
}

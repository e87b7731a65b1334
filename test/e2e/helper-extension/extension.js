// Test-only extension: deletes a workspace path the way agent extensions change files, with workspace.applyEdit.
const vscode = require('vscode');

exports.activate = (context) => {
  context.subscriptions.push(vscode.commands.registerCommand('guardrailsTest.deleteViaWorkspaceEdit', async () => {
    const relative = await vscode.window.showInputBox({ title: 'Delete via WorkspaceEdit', prompt: 'Workspace-relative path', ignoreFocusOut: true });
    const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
    if (!relative || !folder) return;
    const edit = new vscode.WorkspaceEdit();
    edit.deleteFile(vscode.Uri.joinPath(folder.uri, relative), { recursive: true, ignoreIfNotExists: false });
    const applied = await vscode.workspace.applyEdit(edit);
    void vscode.window.showInformationMessage(`guardrails-e2e-helper: applyEdit ${applied ? 'applied' : 'refused'}: delete ${relative}`);
  }));
};
exports.deactivate = () => undefined;

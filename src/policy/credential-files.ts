// Which files may hold credentials, as globs. Its own module so that the extension sets up its file watcher at
// activation without loading the credential scanner (jsonc-parser, the policy schema).

/** Files worth scanning, as globs for a file watcher (workspace-relative). */
export const CREDENTIAL_FILE_GLOBS: readonly string[] = [
  '**/.env', '**/.env.*', '**/*.env', '**/.envrc', '**/*.tfvars', '**/*.tfvars.json', '**/.npmrc', '**/.yarnrc', '**/.pypirc',
  '**/kubeconfig', '**/kubeconfig*.y*ml', '**/*.kubeconfig', '**/.kube/config', '**/.docker/config.json', '**/.aws/credentials', '**/.aws/config',
];

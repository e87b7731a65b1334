// Where a workspace keeps its policy. Its own module so that the extension reads it at activation without loading
// the policy loader (zod, minimatch, jsonc-parser).
import path = require('node:path');

/** Where a workspace keeps its policy, relative to the workspace folder. */
export const POLICY_RELATIVE_PATH = path.join('.vscode', 'guardrails.json');

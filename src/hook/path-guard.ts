// The PATH guard: a folder of symlinks named after risky programs, all pointing at media/shell/path-guard/guard.bash.
import fs = require('node:fs');
import path = require('node:path');
import { programsWithRules } from '../rules/index.js';

/**
 * Executables a child process (Python, Node, make, an npm script) may start without a shell the hook sees. Each one
 * has rules (a test checks it), so the guard's question always reaches a rule that can answer it.
 */
export const GUARDED_PROGRAMS: readonly string[] = [
  'curl', 'wget', 'http', 'https', 'xh', 'psql', 'mysql', 'mariadb', 'mongosh', 'mongo', 'redis-cli', 'sqlcmd', 'dropdb',
  'kubectl', 'helm', 'terraform', 'tofu', 'terragrunt', 'pulumi', 'aws', 'gcloud', 'gsutil', 'az', 'doctl', 'gh',
  'railway', 'fly', 'flyctl', 'heroku', 'supabase', 'vercel', 'netlify', 'wrangler', 'firebase', 'rm', 'shred', 'dd',
];

/** Marks a guard folder; guard.bash skips every folder that has it when it looks for the real program. */
export const GUARD_MARKER = '.agent-guardrails-path-guard';

/**
 * (Re)creates the guard folder: one symlink per program to the guard script, plus the marker. Idempotent; removes
 * links for programs no longer guarded. Put the folder first in PATH (see hookVariables).
 */
export function installPathGuard(directory: string, shellDirectory: string, programs: readonly string[] = GUARDED_PROGRAMS): void {
  const script = path.join(shellDirectory, 'path-guard', 'guard.bash');
  if (!fs.existsSync(script)) throw new Error(`The PATH guard script is missing: ${script}`);
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, GUARD_MARKER), 'Agent Guardrails PATH guard: every entry runs guard.bash first.\n');
  const wanted = new Set(programs);
  for (const entry of fs.readdirSync(directory)) {
    if (entry !== GUARD_MARKER && !wanted.has(entry)) fs.rmSync(path.join(directory, entry), { force: true });
  }
  for (const program of wanted) {
    if (!/^[A-Za-z0-9._+-]+$/.test(program)) throw new Error(`Not a program name: ${program}`);
    const link = path.join(directory, program);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(script, link);
  }
}

/** Programs in GUARDED_PROGRAMS that no rule looks at (should be none; a test checks it). */
export function unguardedByRules(programs: readonly string[] = GUARDED_PROGRAMS): string[] {
  const known = new Set(programsWithRules());
  return programs.filter((p) => !known.has(p));
}

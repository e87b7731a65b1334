// Loads `.vscode/guardrails.json` (JSONC): every problem is collected with its line and column; nothing is thrown.
import fs = require('node:fs');
import path = require('node:path');
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { core } from 'zod';
import { minimatch } from 'minimatch';
import { DEFAULT_CONFIRMATION_TIMEOUT_SECONDS, UNMARKED_POLICY, strictFallbackPolicy } from './defaults.js';
import type { PolicyIssue, PolicyIssueCode } from './issues.js';
import { POLICY_RELATIVE_PATH } from './paths.js';
import { TIERS, policySchema, type Policy, type PolicyFile, type Tier } from './schema.js';

export { POLICY_RELATIVE_PATH };

export type LoadResult =
  | { readonly ok: true; readonly policy: Policy; readonly file: PolicyFile; readonly issues: readonly [] }
  /** `policy` is the strict fallback that applies while the file is invalid. */
  | { readonly ok: false; readonly policy: Policy; readonly issues: readonly PolicyIssue[] };

/** Parses and validates policy text. `source` names the file in the resolved policy and in messages. */
export function parsePolicy(text: string, source: string): LoadResult {
  const issues: PolicyIssue[] = [];
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const lines = lineStarts(text);
  for (const error of errors) {
    // Each unclosed object reports "close brace expected" at the end of the file: one line says it.
    if (errors.some((e) => e !== error && e.error === error.error && e.offset === error.offset && errors.indexOf(e) < errors.indexOf(error))) continue;
    issues.push(issueAt('parse', [], `invalid JSON: ${describeParseError(printParseErrorCode(error.error))}`, error.offset, error.length, lines));
  }
  if (issues.length > 0) return failed(issues, source);
  const tree = parseTree(text, [], { allowTrailingComma: true });
  const located = (code: PolicyIssueCode, issuePath: readonly (string | number)[], message: string): PolicyIssue => {
    const node = locate(tree, issuePath);
    return issueAt(code, issuePath, message, node?.offset ?? 0, node?.length ?? 0, lines);
  };
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
    return failed([located('schema', [], 'the policy must be a JSON object')], source);
  }
  const result = policySchema.safeParse(value);
  if (!result.success) {
    for (const zodIssue of result.error.issues) {
      const issuePath = zodIssue.path.filter((p): p is string | number => typeof p !== 'symbol');
      issues.push(located('schema', issuePath, describeZodIssue(zodIssue)));
    }
    return failed(issues, source);
  }
  const file = result.data;
  const environments = file.environments ?? {};
  let tier: Tier | 'unmarked' = 'unmarked';
  let environment = file.environment ?? 'unmarked';
  if (file.environment !== undefined) {
    const own = environments[file.environment];
    if (own) tier = own.tier;
    else if ((TIERS as readonly string[]).includes(file.environment)) tier = file.environment as Tier;
    else {
      const known = [...Object.keys(environments), ...TIERS].join('|');
      issues.push(located('unknown-environment', ['environment'], `"${file.environment}" is neither an environment defined in "environments" nor a tier; expected one of ${known}`));
    }
  } else if (Object.keys(environments).length > 0) {
    // Environments without saying which one this workspace is: the least critical, so every other one is guarded.
    environment = 'unmarked';
  }
  const globs: [readonly (string | number)[], string][] = [];
  (['allow', 'confirm', 'block'] as const).forEach((list) => file.commands?.[list]?.forEach((g, i) => globs.push([['commands', list, i], g])));
  file.protectedPaths?.forEach((g, i) => globs.push([['protectedPaths', i], g]));
  for (const [globPath, glob] of globs) {
    if (!isValidGlob(glob)) issues.push(located('invalid-glob', globPath, `"${glob}" is not a valid glob pattern`));
  }
  if (issues.length > 0) return failed(issues, source);
  const policy: Policy = {
    environment,
    tier,
    environments,
    allow: file.commands?.allow ?? [],
    confirm: file.commands?.confirm ?? [],
    block: file.commands?.block ?? [],
    protectedPaths: file.protectedPaths ?? [],
    typedConfirmation: file.confirmation?.typed ?? 'environment',
    alwaysTyped: file.confirmation?.alwaysTyped ?? false,
    timeoutSeconds: file.confirmation?.timeoutSeconds ?? DEFAULT_CONFIRMATION_TIMEOUT_SECONDS,
    source,
  };
  return { ok: true, policy, file, issues: [] };
}

export interface ReadPolicyOptions {
  /** The file was named explicitly (`--policy FILE`): a missing file is an error (strict fallback), not "unmarked". */
  readonly mustExist?: boolean;
}

/**
 * Reads a policy file; a missing file is the unmarked policy (unless `mustExist`), an unreadable one the strict
 * fallback.
 */
export function readPolicyFile(file: string, options: ReadPolicyOptions = {}): LoadResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !options.mustExist) return { ok: true, policy: UNMARKED_POLICY, file: {}, issues: [] };
    if (code === 'ENOENT') {
      const issue: PolicyIssue = { code: 'io', path: [], message: 'the policy file does not exist', line: 1, column: 1, offset: 0, length: 0 };
      return { ok: false, policy: strictFallbackPolicy(`${file} does not exist`), issues: [issue] };
    }
    const issue: PolicyIssue = { code: 'io', path: [], message: `cannot read the policy file (${code ?? String(error)})`, line: 1, column: 1, offset: 0, length: 0 };
    return { ok: false, policy: strictFallbackPolicy(`${file} cannot be read`), issues: [issue] };
  }
  return parsePolicy(text, file);
}

/** Finds `.vscode/guardrails.json` in `dir` or the nearest folder above it that has one. */
export function findPolicyFile(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    const candidate = path.join(current, POLICY_RELATIVE_PATH);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

function failed(issues: PolicyIssue[], source: string): LoadResult {
  const first = issues[0];
  const reason = first ? `${path.basename(source)}:${first.line}:${first.column} ${first.message}` : `${source} is invalid`;
  return { ok: false, policy: strictFallbackPolicy(reason), issues };
}

function isValidGlob(glob: string): boolean {
  try {
    return minimatch.makeRe(glob) !== false;
  } catch {
    return false;
  }
}

function describeZodIssue(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join('|')}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_type':
      return `expected ${issue.expected}`;
    default:
      return issue.message;
  }
}

function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** The node for a path, or its nearest ancestor that exists (so the position still points somewhere useful). */
function locate(tree: JsonNode | undefined, issuePath: readonly (string | number)[]): JsonNode | undefined {
  if (!tree) return undefined;
  for (let n = issuePath.length; n >= 0; n -= 1) {
    const node = findNodeAtLocation(tree, issuePath.slice(0, n) as (string | number)[]);
    if (node) return node;
  }
  return tree;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function issueAt(code: PolicyIssueCode, issuePath: readonly (string | number)[], message: string, offset: number, length: number, starts: number[]): PolicyIssue {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { code, path: issuePath, message, line: lo + 1, column: offset - starts[lo]! + 1, offset, length };
}

// Problems found in a policy file, with positions; presentation (diagnostics, CLI lines) lives elsewhere.

export type PolicyIssueCode = 'parse' | 'schema' | 'unknown-environment' | 'invalid-glob' | 'io';

export interface PolicyIssue {
  readonly code: PolicyIssueCode;
  /** The JSON path of the offending value (`['environments', 'production', 'tier']`); empty for the whole file. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** 1-based line and column of the offending value in the file. */
  readonly line: number;
  readonly column: number;
  /** 0-based offset and length in the file, for editors. */
  readonly offset: number;
  readonly length: number;
}

/** `environments.production.tier` (the path as people write it). */
export function formatIssuePath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** `guardrails.json:12:5  environments.prod.tier: expected one of development|staging|production`. */
export function formatPolicyIssue(file: string, issue: PolicyIssue): string {
  const where = issue.path.length > 0 ? `${formatIssuePath(issue.path)}: ` : '';
  return `${file}:${issue.line}:${issue.column}  ${where}${issue.message}`;
}

// Policy issues as editor ranges (0-based line/character), from the file text. Pure.
import type { PolicyIssue } from '../../policy/issues.js';

export interface IssueRange {
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
  readonly message: string;
  readonly code: string;
}

function positionAt(starts: readonly number[], offset: number): [number, number] {
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1]! <= offset) line += 1;
  return [line, offset - starts[line]!];
}

export function presentIssueRanges(text: string, issues: readonly PolicyIssue[]): IssueRange[] {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return issues.map((issue) => {
    const [startLine, startCharacter] = [issue.line - 1, issue.column - 1];
    const [endLine, endCharacter] = positionAt(starts, Math.min(text.length, issue.offset + Math.max(issue.length, 1)));
    const path = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
    return { startLine, startCharacter, endLine, endCharacter, message: `${path}${issue.message}`, code: issue.code };
  });
}

// SQL text analysis for the rule packs: splits a script into statements (comments and quoted text aside) and
// classifies the destructive ones (DROP, TRUNCATE, DELETE/UPDATE without WHERE, ALTER … DROP, GRANT ALL ON *.*).
import type { Severity } from './rule.js';

export type SqlRiskKind = 'drop-database' | 'drop-table' | 'drop-object' | 'truncate' | 'delete-all' | 'update-all' | 'alter-drop' | 'grant-all';

export interface SqlRisk {
  readonly kind: SqlRiskKind;
  readonly severity: Severity;
  /** What the statement does, as a clause for a sentence: `DROP TABLE orders deletes the table and every row in it`. */
  readonly message: string;
  readonly safer: string | undefined;
  /** The table, database or schema the statement names, without quotes. */
  readonly resource: string | undefined;
  /** The statement, shortened, for messages. */
  readonly statement: string;
}

/** Longer scripts are analysed up to this length; the rest is not looked at (the rules say so where it matters). */
export const MAX_SQL_LENGTH = 64 * 1024;

/**
 * Splits SQL text into statements on `;` outside quotes ('…', "…", `…`, [..] is not special), dollar quotes ($$…$$,
 * $tag$…$tag$) and comments (`-- …`, `# …` at line start is left alone, `/* … *\/`). Comments are removed; quoted
 * text is kept as written. Empty statements are dropped.
 */
export function splitSqlStatements(text: string): string[] {
  const source = text.length > MAX_SQL_LENGTH ? text.slice(0, MAX_SQL_LENGTH) : text;
  const statements: string[] = [];
  let current = '';
  let i = 0;
  const n = source.length;
  while (i < n) {
    const ch = source[i]!;
    const next = source[i + 1];
    if (ch === '-' && next === '-') {
      const end = source.indexOf('\n', i);
      i = end === -1 ? n : end;
      current += ' ';
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      current += ' ';
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      while (j < n) {
        const c = source[j]!;
        if (c === '\\') { j += 2; continue; }
        if (c === ch) {
          if (source[j + 1] === ch) { j += 2; continue; } // doubled quote ('it''s')
          break;
        }
        j += 1;
      }
      current += source.slice(i, Math.min(j + 1, n));
      i = j + 1;
      continue;
    }
    if (ch === '$') {
      const tag = /^\$[A-Za-z_]?[A-Za-z0-9_]*\$/.exec(source.slice(i, i + 64));
      if (tag) {
        const end = source.indexOf(tag[0], i + tag[0].length);
        const stop = end === -1 ? n : end + tag[0].length;
        current += source.slice(i, stop);
        i = stop;
        continue;
      }
    }
    if (ch === ';') {
      if (current.trim() !== '') statements.push(current.trim());
      current = '';
      i += 1;
      continue;
    }
    current += ch;
    i += 1;
  }
  if (current.trim() !== '') statements.push(current.trim());
  return statements;
}

/** Replaces the content of quoted literals ('…'; `it''s` becomes two empty ones) with nothing, so keywords inside data are not seen. */
function maskLiterals(statement: string): string {
  return statement.replace(/'(?:[^'\\]|\\.)*'/g, "''");
}

/** `"Public"."Users"`, `` `mydb`.`users` ``, `[dbo].[users]` → `Public.Users`. */
function unquoteName(name: string): string {
  return name.replace(/["`[\]]/g, '');
}

const NAME = String.raw`((?:"[^"]*"|\x60[^\x60]*\x60|\[[^\]]*\]|''|[A-Za-z0-9_$@.*-])+)`;
const DROP_DATABASE = new RegExp(String.raw`^drop\s+(database|schema|keyspace)\s+(?:if\s+exists\s+)?${NAME}`, 'i');
const DROP_TABLE = new RegExp(String.raw`^drop\s+(?:temporary\s+)?(table|collection)\s+(?:if\s+exists\s+)?${NAME}`, 'i');
const DROP_OTHER = new RegExp(String.raw`^drop\s+([a-z]+(?:\s+(?:view|table|wrapper|data\s+wrapper|search\s+configuration|search\s+dictionary|class|family|method))?)\s+(?:if\s+exists\s+)?${NAME}`, 'i');
const TRUNCATE = new RegExp(String.raw`^truncate\s+(?:table\s+)?(?:only\s+)?${NAME}`, 'i');
const DELETE = new RegExp(String.raw`^delete\s+(?:(?:low_priority|quick|ignore)\s+)*(?:from\s+)?(?:only\s+)?${NAME}`, 'i');
const UPDATE = new RegExp(String.raw`^update\s+(?:(?:low_priority|ignore|only)\s+)*${NAME}`, 'i');
const ALTER_DROP = new RegExp(String.raw`^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${NAME}\s+.*\bdrop\s+(column|constraint|partition|index|primary|foreign|key|\w+)`, 'is');
const GRANT_ALL_EVERYWHERE = /^grant\s+all(?:\s+privileges)?\s+on\s+(?:\*\.\*|\*|all\s+tables\s+in\s+schema\s+\S+\s+to\s+public)/i;
/** A WHERE clause that keeps every row: `WHERE 1=1`, `WHERE true`, `WHERE 1`. */
const TRIVIAL_WHERE = /\bwhere\s+(?:1\s*=\s*1|true|1|'1'\s*=\s*'1')\s*(?:returning\b.*)?$/is;

/** Shortens a statement for messages: one line, at most 80 characters. */
function shortStatement(statement: string): string {
  const oneLine = statement.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}…` : oneLine;
}

/** Classifies one statement (comments already removed); undefined when it changes no data or schema destructively. */
export function classifySqlStatement(statement: string): SqlRisk | undefined {
  const text = statement.replace(/^[\s(]+/, '');
  const keyword = /^[A-Za-z]+/.exec(text)?.[0].toLowerCase();
  if (!keyword || !['drop', 'truncate', 'delete', 'update', 'alter', 'grant'].includes(keyword)) return undefined;
  const masked = maskLiterals(text);
  const shown = shortStatement(text);
  const risk = (kind: SqlRiskKind, severity: Severity, message: string, resource: string | undefined, safer?: string): SqlRisk =>
    ({ kind, severity, message, safer, resource: resource === undefined ? undefined : unquoteName(resource), statement: shown });

  if (keyword === 'drop') {
    let m = DROP_DATABASE.exec(masked);
    if (m) {
      return risk('drop-database', 'critical', `${m[1]!.toUpperCase()} ${unquoteName(m[2]!)} is dropped with every table and row in it`, m[2],
        'take a dump first (`pg_dump`/`mysqldump`) and drop it yourself, outside the agent');
    }
    m = DROP_TABLE.exec(masked);
    if (m) return risk('drop-table', 'critical', `the ${m[1]!.toLowerCase()} ${unquoteName(m[2]!)} is dropped with all its rows`, m[2], '`SELECT count(*)` first, and rename the table instead of dropping it');
    m = DROP_OTHER.exec(masked);
    if (m) return risk('drop-object', 'high', `the ${m[1]!.toLowerCase().replace(/\s+/g, ' ')} ${unquoteName(m[2]!)} is dropped`, m[2]);
    return undefined;
  }
  if (keyword === 'truncate') {
    const m = TRUNCATE.exec(masked);
    if (!m) return undefined;
    return risk('truncate', 'critical', `TRUNCATE empties ${unquoteName(m[1]!)}${/,/.test(masked) ? ' and the other tables it names' : ''} at once, with no WHERE and no undo`, m[1],
      '`SELECT count(*)` first, then a `DELETE … WHERE` for the rows you mean');
  }
  if (keyword === 'delete') {
    const m = DELETE.exec(masked);
    if (!m) return undefined;
    const hasWhere = /\bwhere\b/i.test(masked);
    if (hasWhere && !TRIVIAL_WHERE.test(masked)) return undefined;
    return risk('delete-all', 'critical', `DELETE without a (real) WHERE removes every row of ${unquoteName(m[1]!)}`, m[1],
      '`SELECT count(*) FROM … WHERE …` first, then `DELETE … WHERE` with that condition');
  }
  if (keyword === 'update') {
    const m = UPDATE.exec(masked);
    if (!m || !/\bset\b/i.test(masked)) return undefined;
    const hasWhere = /\bwhere\b/i.test(masked);
    if (hasWhere && !TRIVIAL_WHERE.test(masked)) return undefined;
    return risk('update-all', 'high', `UPDATE without a WHERE overwrites the column in every row of ${unquoteName(m[1]!)}`, m[1], 'add a WHERE clause, and `SELECT count(*)` with it first');
  }
  if (keyword === 'alter') {
    const m = ALTER_DROP.exec(masked);
    if (!m) return undefined;
    return risk('alter-drop', 'high', `ALTER TABLE ${unquoteName(m[1]!)} … DROP ${m[2]!.toUpperCase()} removes it, with the data it holds`, m[1], 'back up the table first, or write a reversible migration');
  }
  if (GRANT_ALL_EVERYWHERE.test(masked)) {
    return risk('grant-all', 'high', 'GRANT ALL on every database gives that account full control of the whole server', undefined, 'grant only the privileges needed on one database (`GRANT SELECT, INSERT ON mydb.* …`)');
  }
  return undefined;
}

/** Every destructive statement in an SQL script, at most `limit`. */
export function analyzeSql(text: string, limit = 8): SqlRisk[] {
  if (!/\b(?:drop|truncate|delete|update|alter|grant)\b/i.test(text.length > MAX_SQL_LENGTH ? text.slice(0, MAX_SQL_LENGTH) : text)) return [];
  const risks: SqlRisk[] = [];
  for (const statement of splitSqlStatements(text)) {
    const risk = classifySqlStatement(statement);
    if (risk) risks.push(risk);
    if (risks.length >= limit) break;
  }
  return risks;
}

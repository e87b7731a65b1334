// Rule pack: destructive calls in inline code (`python -c`, `node -e`, `ruby -e`, `perl -e`, `php -r`, heredocs fed to
// interpreters): deleting files and folders, HTTP DELETEs and GraphQL mutations, SQL run through drivers, SDK calls
// that delete indexes, buckets or tables. Shell commands the code runs (os.system, execSync, backticks) are
// extracted and analysed by the shell analysis itself, so they are not repeated here.
import { inlineCodeOf, type InlineCode, type InterpreterLanguage } from '../shell/inline-code.js';
import type { SimpleCommand } from '../shell/types.js';
import { graphqlMutationIn, isLoopback, parseUrl } from './http.js';
import { classifyPath } from './paths.js';
import { defineRule, type Report, type Rule, type RuleContext, type Severity } from './rule.js';
import { tierSeverity } from './sql.js';
import { analyzeSql } from './sql-statements.js';

const MAX_CODE = 64 * 1024;

const INTERPRETER_PROGRAMS = [
  'python', 'python2', 'python2.7', 'python3', ...Array.from({ length: 10 }, (_, i) => `python3.${i + 6}`), 'pythonw', 'python3w', 'pypy', 'pypy3',
  'node', 'nodejs', 'bun', 'deno',
  'ruby', 'ruby3', 'ruby3.0', 'ruby3.1', 'ruby3.2', 'ruby3.3', 'ruby3.4',
  'perl', 'perl5',
  'php', 'php7.4', 'php8', 'php8.0', 'php8.1', 'php8.2', 'php8.3', 'php8.4',
];

/** Inline code of an interpreter these rules read (awk programs only matter for the shell commands they run). */
type InterpreterCode = InlineCode & { readonly language: InterpreterLanguage };

const codeCache = new WeakMap<SimpleCommand, InterpreterCode | null>();

function codeOf(command: SimpleCommand): InterpreterCode | undefined {
  let code = codeCache.get(command);
  if (code === undefined) {
    const found = inlineCodeOf(command);
    code = found && found.language !== 'awk' ? { ...found, language: found.language, text: found.text.length > MAX_CODE ? found.text.slice(0, MAX_CODE) : found.text } : null;
    codeCache.set(command, code);
  }
  return code ?? undefined;
}

/** A call and the literal path it is given, when the first argument is a plain string. */
interface Call {
  readonly name: string;
  readonly path: string | undefined;
  readonly argumentText: string;
}

/** A string literal right after `(` or a space (Ruby/Perl calls without parentheses): `'x'`, `"x"`, `r"x"`, `Path("x")`. */
const FIRST_LITERAL = /^\s*(?:\(\s*)?(?:(?:Path|pathlib\.Path|File|new\s+File)\s*\(\s*)?[rbuf]?(?:"([^"\\\n]{0,500})"|'([^'\\\n]{0,500})')/;

function findCalls(code: string, pattern: RegExp, limit = 8): Call[] {
  const calls: Call[] = [];
  for (const match of code.matchAll(pattern)) {
    const after = code.slice(match.index + match[0].length, match.index + match[0].length + 600);
    const literal = FIRST_LITERAL.exec(after);
    // `Path("x").unlink()`: the path comes before the call.
    const before = /(?:Path|File)\s*\(\s*[rbuf]?(?:"([^"\\\n]{0,500})"|'([^'\\\n]{0,500})')\s*\)\s*\.\s*$/.exec(code.slice(Math.max(0, match.index - 520), match.index + 1));
    calls.push({ name: match[1] ?? match[0].trim(), path: literal?.[1] ?? literal?.[2] ?? before?.[1] ?? before?.[2], argumentText: after.slice(0, 300) });
    if (calls.length >= limit) break;
  }
  return calls;
}

/** Recursive deletes, by language. */
const RECURSIVE_DELETE: Readonly<Record<InterpreterLanguage, RegExp>> = {
  python: /\b(shutil\.rmtree|rmtree)\s*(?=\()/g,
  javascript: /\b(rimraf(?:\.sync)?|(?:fs|fse|fsExtra|fsPromises|promises)\s*\.\s*(?:removeSync|remove|emptyDirSync|emptyDir)|Deno\.remove)\s*(?=\()/g,
  ruby: /\b(FileUtils\.(?:rm_rf|rm_r|remove_dir|remove_entry(?:_secure)?|rmtree)|FileUtils\.rm\b(?=[^\n;]*recursive))/g,
  perl: /\b(rmtree|remove_tree)\b/g,
  php: /(?!)/g,
};
/** Node's rm/rmdir family: recursive only with `recursive: true`. */
const NODE_RM = /\b((?:fs|fsPromises|promises|require\s*\(\s*["'](?:node:)?fs(?:\/promises)?["']\s*\))\s*\.\s*(?:rmSync|rmdirSync|rm|rmdir)|\b(?:rmSync|rmdirSync))\s*(?=\()/g;
/** Single-file (or empty-folder) deletes, by language. */
const FILE_DELETE: Readonly<Record<InterpreterLanguage, RegExp>> = {
  python: /(\bos\.(?:remove|unlink|rmdir|removedirs)|\.(?:unlink|rmdir))\s*(?=\()/g,
  javascript: /\b((?:fs|fsPromises|promises|require\s*\(\s*["'](?:node:)?fs(?:\/promises)?["']\s*\))\s*\.\s*(?:unlinkSync|unlink)|unlinkSync)\s*(?=\()/g,
  ruby: /\b(File\.(?:delete|unlink)|FileUtils\.(?:rm|rm_f|remove|remove_file)|Dir\.(?:rmdir|delete|unlink))\b/g,
  perl: /\b(unlink|rmdir)\b/g,
  php: /\b(unlink|rmdir)\s*(?=\()/g,
};

function pathKind(path: string | undefined, command: SimpleCommand, context: RuleContext) {
  return path === undefined ? undefined : classifyPath(path, false, { protectedPaths: context.protectedPaths, isRemote: command.isRemote });
}

/** HTTP calls with the DELETE method. */
const HTTP_DELETE = /\b(requests\.delete|httpx\.delete|session\.delete|(?:axios|got|ky)["']?\s*\)?\s*\.\s*delete|superagent\.del|HTTParty\.delete|RestClient\.delete|Net::HTTP::Delete|HTTP::Request->new\(\s*["']?DELETE|method\s*[:=]>?\s*["'`]DELETE["'`]|request\(\s*["']DELETE["']|CURLOPT_CUSTOMREQUEST\s*,\s*["']DELETE["'])/i;
const NETWORK_CALL = /\b(requests|httpx|urllib[23]?|aiohttp|http\.client|fetch|axios|got|ky|superagent|undici|https?\.request|Net::HTTP|HTTParty|Faraday|RestClient|LWP|HTTP::Tiny|curl_exec|curl_init|file_get_contents|Guzzle|gql|GraphQLClient|graphql_request|request)\b/;
const URL_LITERAL = /https?:\/\/[^\s"'`)\\]+/;

/** SQL handed to a driver: `cursor.execute("DROP TABLE x")`, `db.exec('DELETE FROM t')`, `$pdo->query("TRUNCATE t")`. */
const SQL_CALL = /\b(?:execute|executescript|executemany|exec|query|raw|run|prepare|sql|do)\s*\(\s*(?:[rbuf]?"""([\s\S]{0,8192}?)"""|[rbuf]?"((?:[^"\\\n]|\\.){0,8192})"|[rbuf]?'((?:[^'\\\n]|\\.){0,8192})'|`([^`]{0,8192})`)/g;

/** SDK calls that delete whole indexes, buckets, tables, databases or caches. */
const SDK_DELETE = /\b(deleteIndex|delete_index|indices\.delete|dropDatabase|drop_database|dropCollection|drop_collection|delete_bucket|deleteBucket|delete_table|deleteTable|drop_table|dropTable|flushall|flushdb|flushAll|flushDb|delete_objects|deleteObjects|clearIndex|clear_index|delete_collection|deleteCollection|delete_database|deleteDatabase|purge_queue|purgeQueue)\b|\b(objects\.all\(\)\.delete|delete_many\(\s*\{\s*\}|deleteMany\(\s*\{\s*\})/;

const interpreterRule = (id: string, severity: Severity, description: string, check: (code: InterpreterCode, command: SimpleCommand, context: RuleContext) => Report | undefined): Rule =>
  defineRule({
    meta: { id, severity, description },
    programs: INTERPRETER_PROGRAMS,
    check(command, context) {
      const code = codeOf(command);
      return code ? check(code, command, context) : undefined;
    },
  });

const how = (code: InlineCode, command: SimpleCommand): string => `The ${code.language} code passed to ${command.program} ${code.flag === '<<' ? 'on stdin' : code.flag}`;

export const interpreterRules: readonly Rule[] = [
  interpreterRule('interpreter.delete-recursive', 'high', 'shutil.rmtree, fs.rmSync({recursive}), FileUtils.rm_rf, rmtree/remove_tree in inline code delete whole folders.', (code, command, context) => {
    const calls = findCalls(code.text, RECURSIVE_DELETE[code.language]);
    if (code.language === 'javascript') {
      calls.push(...findCalls(code.text, NODE_RM).filter((c) => /recursive\s*:\s*true/.test(c.argumentText)));
    }
    const call = calls[0];
    if (!call) return undefined;
    const kinds = calls.map((c) => ({ call: c, kind: pathKind(c.path, command, context) }));
    const catastrophic = kinds.find((k) => k.kind === 'catastrophic');
    const shown = catastrophic?.call ?? call;
    return {
      message: `${how(code, command)} calls ${shown.name}(${shown.path === undefined ? '…' : `'${shown.path}'`}), which deletes the folder and everything in it, with no way back.`,
      ...(catastrophic ? { severity: 'critical' as const } : {}),
      safer: 'move it aside instead (`shutil.move`/`fs.renameSync`), or delete only build output by name.',
      ...(shown.path !== undefined ? { resource: shown.path } : {}),
    };
  }),
  interpreterRule('interpreter.delete-file', 'medium', 'os.remove/unlink, Path.unlink, fs.unlinkSync, fs.rm without recursive, File.delete, unlink/rmdir in inline code delete files.', (code, command, context) => {
    const calls = findCalls(code.text, FILE_DELETE[code.language]);
    if (code.language === 'javascript') calls.push(...findCalls(code.text, NODE_RM).filter((c) => !/recursive\s*:\s*true/.test(c.argumentText)));
    // `.unlink(`/`.rmdir(` on something that is not a path object (`lock.unlink()` of a socket library) is still a delete; keep it.
    const call = calls[0];
    if (!call) return undefined;
    const kinds = calls.map((c) => ({ call: c, kind: pathKind(c.path, command, context) }));
    const worst = kinds.find((k) => k.kind === 'catastrophic' || k.kind === 'system' || k.kind === 'protected');
    const shown = worst?.call ?? call;
    return {
      message: `${how(code, command)} calls ${shown.name}(${shown.path === undefined ? '…' : `'${shown.path}'`}), which deletes ${worst ? 'a system, data or protected file' : 'a file'} outside any undo.`,
      ...(worst ? { severity: worst.kind === 'catastrophic' ? 'critical' as const : 'high' as const } : {}),
      safer: 'rename or move the file instead, so it can be restored.',
      ...(shown.path !== undefined ? { resource: shown.path } : {}),
    };
  }),
  interpreterRule('interpreter.http-delete', 'high', 'requests.delete, fetch(…, {method: "DELETE"}), axios.delete and similar in inline code delete a resource on a live API.', (code) => {
    const match = HTTP_DELETE.exec(code.text);
    if (!match) return undefined;
    const url = URL_LITERAL.exec(code.text)?.[0];
    const target = url === undefined ? undefined : parseUrl(url);
    if (target && isLoopback(target.host)) return undefined;
    return {
      message: `The inline ${code.language} code sends an HTTP DELETE (${match[1]}) to ${target?.host || 'an API'}: the resource is deleted, usually with no undo.`,
      safer: 'GET the resource first, or try it against the staging API.',
      ...(target?.host ? { resource: target.host } : {}),
    };
  }),
  interpreterRule('interpreter.graphql-mutation', 'critical', 'A GraphQL mutation sent from inline code (the incident\'s volumeDelete, from Python instead of curl).', (code, _command, context) => {
    if (!NETWORK_CALL.test(code.text)) return undefined;
    const mutation = graphqlMutationIn(code.text);
    if (!mutation) return undefined;
    const url = URL_LITERAL.exec(code.text)?.[0];
    const target = url === undefined ? undefined : parseUrl(url);
    const local = target !== undefined && isLoopback(target.host);
    if (mutation.destructive.length === 0) {
      if (local) return undefined;
      return {
        message: `The inline ${code.language} code sends a GraphQL mutation (${mutation.fields.slice(0, 3).join(', ') || 'unknown fields'}) to ${target?.host || 'an API'}: it changes data on the live service.`,
        severity: 'medium',
        safer: 'a query instead of a mutation to look first, or the staging API.',
        ...(target?.host ? { resource: target.host } : {}),
      };
    }
    return {
      message: `The inline ${code.language} code sends a GraphQL mutation (${mutation.destructive.slice(0, 3).join(', ')}) to ${target?.host || 'an API'}: it deletes or resets data there, and backups may go with it.`,
      severity: local ? 'medium' : tierSeverity('critical', context),
      safer: 'run a query first to see what it would affect, and do the deletion yourself in the provider\'s console, or use the staging API.',
      ...(target?.host ? { resource: target.host } : {}),
    };
  }),
  interpreterRule('interpreter.sql', 'critical', 'Destructive SQL run through a driver from inline code (cursor.execute("DROP TABLE …")).', (code, _command, context) => {
    let seen = 0;
    for (const match of code.text.matchAll(SQL_CALL)) {
      if ((seen += 1) > 32) break;
      const sql = (match[1] ?? match[2] ?? match[3] ?? match[4] ?? '').replace(/\\(.)/g, '$1');
      const risk = analyzeSql(sql, 1)[0];
      if (!risk) continue;
      return {
        message: `The inline ${code.language} code runs \`${risk.statement}\`: ${risk.message}.`,
        severity: tierSeverity(risk.severity, context),
        ...(risk.safer ? { safer: `${risk.safer}.` } : {}),
        ...(risk.resource ? { resource: risk.resource } : {}),
      };
    }
    return undefined;
  }),
  interpreterRule('interpreter.sdk-delete', 'high', 'SDK calls that delete a whole index, bucket, table, collection or cache (client.deleteIndex, s3.delete_bucket, r.flushall).', (code) => {
    const match = SDK_DELETE.exec(code.text);
    if (!match) return undefined;
    const literal = FIRST_LITERAL.exec(code.text.slice(match.index + match[0].length, match.index + match[0].length + 600));
    const name = literal?.[1] ?? literal?.[2];
    return {
      message: `The inline ${code.language} code calls ${(match[1] ?? match[2] ?? '').replace(/\(.*$/s, '')}(${name === undefined ? '…' : `'${name}'`}), which deletes ${name === undefined ? 'a whole index, bucket, table or cache' : name} with everything in it.`,
      safer: 'list or count what is there first, and delete it yourself in the provider\'s console.',
      ...(name !== undefined ? { resource: name } : {}),
    };
  }),
];

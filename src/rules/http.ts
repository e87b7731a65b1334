// Rule pack: HTTP clients (curl, wget, httpie, xh, curlie) sending destructive requests: REST DELETE/PUT/PATCH to live
// APIs (and to data stores and admin APIs, even on localhost), POSTs to delete/purge/reset endpoints, GraphQL mutations
// (the incident: a `curl` mutation deleted a production database and its backups), and SQL sent in a request body.
import type { SimpleCommand } from '../shell/types.js';
import { defineRule, readNamedFile, type Report, type Rule, type RuleContext, type Severity } from './rule.js';
import { knownStdinText, tierSeverity } from './sql.js';
import { analyzeSql } from './sql-statements.js';

const MAX_BODY = 64 * 1024;

/** A request body as far as the command line shows it. */
interface Body {
  /** The text sent; undefined when it comes from a file or from stdin we cannot see. */
  readonly text: string | undefined;
  /** Where an unseen body comes from, for messages (`@mutation.json`, `stdin`, `$BODY`). */
  readonly from: string;
}

export interface UrlTarget {
  readonly raw: string;
  /** Lower case, without brackets; empty when unknown (`$API_URL/x`). */
  readonly host: string;
  readonly port: string | undefined;
  /** Path without the query, `/` at least. */
  readonly path: string;
  readonly query: string;
  /** True when the host is only known at run time. */
  readonly isDynamic: boolean;
}

interface HttpRequest {
  readonly tool: string;
  /** Upper case. */
  readonly method: string;
  readonly targets: readonly UrlTarget[];
  readonly bodies: readonly Body[];
  /** `curl -G`: the data that goes into the URL's query string instead of a body, decoded. */
  readonly queryData: readonly Body[];
}

const URL_PATTERN = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?(?:[^@/?#\s]*@)?(\[[^\]/]*\]|[^:/?#\s]*)(?::([0-9]*))?([^?#]*)(\?[^#]*)?/;

/** Parses a URL as clients accept it: with or without scheme, httpie's `:7700/x` shorthand for localhost. */
export function parseUrl(raw: string): UrlTarget | undefined {
  let text = raw.trim();
  if (text === '' || text.length > 8192) return undefined;
  if (text.startsWith(':')) text = `localhost${text === ':' ? '' : text}`;
  const m = URL_PATTERN.exec(text);
  if (!m) return undefined;
  const hostRaw = m[2] ?? '';
  const isDynamic = /[$`{}]/.test(hostRaw) || (hostRaw === '' && /^[$`]/.test(text));
  const host = isDynamic ? '' : hostRaw.replace(/^\[|\]$/g, '').toLowerCase();
  const path = m[4] === undefined || m[4] === '' ? '/' : m[4];
  return { raw, host, port: m[3] === '' ? undefined : m[3], path, query: m[5] ?? '', isDynamic };
}

/** This machine: localhost, 127.0.0.0/8, ::1, 0.0.0.0, *.localhost. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === '0.0.0.0' || host === '0:0:0:0:0:0:0:1';
}

/** A development host: this machine, Docker's alias for it, or a `.local` (mDNS) name. */
function isDevelopmentHost(host: string): boolean {
  return isLoopback(host) || host === 'host.docker.internal' || host.endsWith('.local');
}

/** Data stores and admin APIs whose writes destroy data even on a development machine. */
const DATA_STORE_PORTS: Readonly<Record<string, string>> = {
  '9200': 'Elasticsearch/OpenSearch', '9201': 'Elasticsearch/OpenSearch', '7700': 'Meilisearch', '8108': 'Typesense', '8983': 'Solr', '6333': 'Qdrant',
  '8001': 'Kong admin', '8444': 'Kong admin', '8500': 'Consul', '2379': 'etcd', '8200': 'Vault', '4646': 'Nomad', '5984': 'CouchDB', '8091': 'Couchbase',
  '8086': 'InfluxDB', '8529': 'ArangoDB', '7474': 'Neo4j', '8123': 'ClickHouse', '15672': 'RabbitMQ management', '5601': 'Kibana',
};
const DATA_STORE_PATHS: ReadonlyArray<[RegExp, string]> = [
  [/\/api\/v1\/admin\//i, 'Prometheus admin'],
  [/^\/api\/(?:dashboards|datasources|folders|admin|orgs|alert-notifications|v1\/provisioning|library-elements|serviceaccounts)(?:\/|$)/i, 'Grafana'],
  [/^\/v1\/(?:kv|acl|catalog|agent\/service)\//i, 'Consul'],
  [/^\/v3\/kv\//i, 'etcd'],
  [/^\/(?:_all|_data_stream|_index_template|_snapshot|_security|_ilm|_cluster\/settings)(?:\/|$)/i, 'Elasticsearch/OpenSearch'],
];

/** The data store or admin API a URL names, when it is one. */
function dataStoreOf(target: UrlTarget): string | undefined {
  for (const [pattern, name] of DATA_STORE_PATHS) if (pattern.test(target.path)) return name;
  return target.port !== undefined ? DATA_STORE_PORTS[target.port] : undefined;
}

/** Path segments naming a destructive action whatever the host (Jenkins doDelete, Elasticsearch _delete_by_query, …). */
const SPECIFIC_ACTIONS = /^(?:do(?:delete|wipeoutworkspace|deleteall)|_delete_by_query|delete_series|clean_tombstones|delete-batch|_close|_flushall|flushall|flushdb)$/i;
/** Generic destructive action segments: dangerous on a live API, routine on the app one develops on localhost. */
const GENERIC_ACTIONS = /^(?:delete|purge|wipe|reset|destroy|drop|truncate|erase|nuke)(?:[-_]?(?:all|everything|batch|bulk|many|data|database|db|index|indices|queue|cache|by[-_]query))?$/i;

function destructiveSegment(target: UrlTarget): string | undefined {
  const segments = target.path.split('/').filter((s) => s !== '').slice(-4);
  const specific = segments.find((s) => SPECIFIC_ACTIONS.test(s));
  if (specific) return specific;
  if (isLoopback(target.host) && dataStoreOf(target) === undefined) return undefined;
  // `/password/reset`, `/reset-password`: account recovery, not data loss.
  if (segments.some((s) => /passw|pwd|token|session|otp|mfa|2fa/i.test(s))) return undefined;
  return segments.find((s) => GENERIC_ACTIONS.test(s));
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'PURGE', 'PROPFIND', 'MKCOL', 'COPY', 'MOVE']);

// curl: options that take a value (the rest are flags).
const CURL_VALUE_SHORT = 'dHXouAebcTxwKmrEUyYzCQtFDP';
const CURL_VALUE_LONG = new Set(['--data', '--data-raw', '--data-binary', '--data-ascii', '--data-urlencode', '--json', '--form', '--form-string', '--header', '--request', '--output',
  '--user', '--user-agent', '--referer', '--cookie', '--cookie-jar', '--upload-file', '--proxy', '--write-out', '--url', '--config', '--max-time', '--connect-timeout', '--retry',
  '--retry-delay', '--retry-max-time', '--range', '--cert', '--key', '--cacert', '--capath', '--resolve', '--connect-to', '--proxy-user', '--limit-rate', '--speed-limit', '--speed-time',
  '--time-cond', '--max-filesize', '--continue-at', '--quote', '--telnet-option', '--interface', '--dns-servers', '--local-port', '--oauth2-bearer', '--aws-sigv4', '--variable',
  '--ftp-port', '--cert-type', '--key-type', '--pass', '--proto', '--proto-redir', '--unix-socket', '--abstract-unix-socket', '--stderr', '--trace', '--trace-ascii', '--output-dir',
  '--create-file-mode', '--keepalive-time', '--mail-from', '--mail-rcpt', '--mail-auth', '--request-target', '--noproxy', '--preproxy', '--proxy-header', '--pubkey', '--ciphers',
  '--tls13-ciphers', '--curves', '--netrc-file', '--login-options', '--max-redirs', '--tls-max', '--dump-header', '--etag-compare', '--etag-save', '--parallel-max', '--rate',
  '--expect100-timeout', '--happy-eyeballs-timeout-ms', '--socks4', '--socks4a', '--socks5', '--socks5-hostname', '--socks5-gssapi-service', '--hostpubmd5', '--hostpubsha256',
  '--krb', '--engine', '--egd-file', '--random-file', '--sasl-authzid', '--service-name', '--proxy-cacert', '--proxy-cert', '--proxy-key', '--proxy-pass', '--doh-url',
  '--alt-svc', '--hsts', '--ech', '--ipfs-gateway', '--trace-config', '--json-file', '--url-query', '--expand-data', '--expand-url', '--expand-header', '--expand-json']);
const CURL_DATA = new Set(['-d', '--data', '--data-binary', '--data-ascii', '--json', '--data-raw', '--data-urlencode', '--expand-data', '--expand-json']);

/** What the stdin of a command holds, as a body: its text when known. */
function stdinBody(command: SimpleCommand): Body {
  const text = knownStdinText(command);
  return text === undefined ? { text: undefined, from: 'stdin' } : { text: text.slice(0, MAX_BODY), from: 'stdin' };
}

/** A body read from a file (`-d @query.json`): its text when the context's reader can read it, else unseen. */
function fileBody(file: string, isDynamic: boolean, command: SimpleCommand, context: RuleContext | undefined): Body {
  const text = readNamedFile(file, isDynamic, command, context);
  return text === undefined ? { text: undefined, from: `@${file}` } : { text: text.slice(0, MAX_BODY), from: `@${file}` };
}

function curlBody(option: string, value: string, isDynamic: boolean, command: SimpleCommand, context?: RuleContext): Body {
  if (option === '--data-raw') return { text: value, from: value };
  if (option === '--data-urlencode' || option === '--expand-data') {
    const at = value.indexOf('@');
    const eq = value.indexOf('=');
    if (at !== -1 && (eq === -1 || at < eq)) {
      const file = value.slice(at + 1);
      return file === '-' ? stdinBody(command) : option === '--data-urlencode' ? fileBody(file, isDynamic, command, context) : { text: undefined, from: value.slice(at) };
    }
    return { text: eq === -1 ? value : value.slice(eq + 1), from: value };
  }
  if (value.startsWith('@')) return value === '@-' ? stdinBody(command) : fileBody(value.slice(1), isDynamic, command, context);
  if (isDynamic && !/[{}]/.test(value)) return { text: undefined, from: value };
  return { text: value.slice(0, MAX_BODY), from: value };
}

function parseCurl(command: SimpleCommand, context: RuleContext): HttpRequest {
  const argv = command.argv;
  let method: string | undefined;
  let implied = 'GET';
  let forceGet = false;
  const urls: string[] = [];
  const bodies: Body[] = [];
  const queryData: Body[] = [];
  const take = (option: string, value: string | undefined, index: number): void => {
    if (value === undefined) return;
    const isDynamic = command.dynamic[index] ?? false;
    if (option === '-X' || option === '--request') method = value.toUpperCase();
    else if (option === '--url') urls.push(value);
    else if (option === '-T' || option === '--upload-file') implied = 'PUT';
    else if (CURL_DATA.has(option)) {
      const body = curlBody(option, value, isDynamic, command, context);
      bodies.push(body);
      queryData.push(asQueryText(body, option !== '--data-urlencode'));
      if (implied === 'GET') implied = 'POST';
    }
    else if (option === '-F' || option === '--form' || option === '--form-string') {
      const eq = value.indexOf('=');
      const content = eq === -1 ? value : value.slice(eq + 1);
      bodies.push(/^[@<]/.test(content) && option !== '--form-string' ? { text: undefined, from: content } : { text: content, from: value });
      if (implied === 'GET') implied = 'POST';
    }
  };
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--') { urls.push(...argv.slice(i + 1)); break; }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      if (name === '--get') forceGet = true;
      else if (name === '--head') implied = 'HEAD';
      if (CURL_VALUE_LONG.has(name)) {
        if (eq !== -1) take(name, arg.slice(eq + 1), i);
        else { take(name, argv[i + 1], i + 1); i += 1; }
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j += 1) {
        const letter = arg[j]!;
        if (letter === 'G') forceGet = true;
        else if (letter === 'I') implied = 'HEAD';
        if (CURL_VALUE_SHORT.includes(letter)) {
          if (j < arg.length - 1) take(`-${letter}`, arg.slice(j + 1), i);
          else { take(`-${letter}`, argv[i + 1], i + 1); i += 1; }
          break;
        }
      }
      continue;
    }
    urls.push(arg);
  }
  if (forceGet && implied === 'POST') implied = 'GET';
  const targets = urls.map(parseUrl).filter((t): t is UrlTarget => t !== undefined);
  return { tool: command.program, method: method ?? implied, targets, bodies: forceGet ? [] : bodies, queryData: forceGet ? queryData : [] };
}

/** With `-G`, curl appends the data to the URL: `-d` data is sent as written (decode it), `--data-urlencode` content is raw. */
function asQueryText(body: Body, isEncoded: boolean): Body {
  if (body.text === undefined || !isEncoded) return body;
  try { return { text: decodeURIComponent(body.text.replace(/\+/g, ' ')), from: body.from }; } catch { return body; }
}

const WGET_VALUE_SHORT = 'oaeOtTwQPiBlARDIXU';
const WGET_VALUE_LONG = new Set(['--method', '--body-data', '--body-file', '--post-data', '--post-file', '--header', '--output-document', '--output-file', '--append-output', '--user',
  '--password', '--http-user', '--http-password', '--user-agent', '--tries', '--timeout', '--wait', '--directory-prefix', '--input-file', '--base', '--level', '--accept', '--reject',
  '--domains', '--exclude-domains', '--include-directories', '--exclude-directories', '--load-cookies', '--save-cookies', '--referer', '--ca-certificate', '--certificate',
  '--private-key', '--execute', '--limit-rate', '--quota', '--bind-address', '--dns-timeout', '--connect-timeout', '--read-timeout', '--waitretry', '--restrict-file-names',
  '--progress', '--max-redirect', '--ca-directory', '--certificate-type', '--private-key-type', '--secure-protocol', '--ciphers', '--proxy-user', '--proxy-password', '--config',
  '--default-page', '--local-encoding', '--remote-encoding', '--accept-regex', '--reject-regex', '--regex-type', '--warc-file', '--cut-dirs', '--crl-file', '--pinnedpubkey']);

function parseWget(command: SimpleCommand, context: RuleContext): HttpRequest {
  const argv = command.argv;
  let method: string | undefined;
  const urls: string[] = [];
  const bodies: Body[] = [];
  const take = (option: string, value: string | undefined, isDynamic: boolean): void => {
    if (value === undefined) return;
    if (option === '--method') method = value.toUpperCase();
    else if (option === '--post-data' || option === '--body-data') { bodies.push({ text: value.slice(0, MAX_BODY), from: value }); if (option === '--post-data') method ??= 'POST'; }
    else if (option === '--post-file' || option === '--body-file') { bodies.push(value === '-' || value === '/dev/stdin' ? stdinBody(command) : fileBody(value, isDynamic, command, context)); if (option === '--post-file') method ??= 'POST'; }
  };
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--') { urls.push(...argv.slice(i + 1)); break; }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      if (WGET_VALUE_LONG.has(name)) {
        if (eq !== -1) take(name, arg.slice(eq + 1), command.dynamic[i] ?? false);
        else { take(name, argv[i + 1], command.dynamic[i + 1] ?? false); i += 1; }
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j += 1) {
        if (WGET_VALUE_SHORT.includes(arg[j]!)) { if (j === arg.length - 1) i += 1; break; }
      }
      continue;
    }
    urls.push(arg);
  }
  return { tool: 'wget', method: method ?? 'GET', targets: urls.map(parseUrl).filter((t): t is UrlTarget => t !== undefined), bodies, queryData: [] };
}

const HTTPIE_VALUE_SHORT = 'aAopsP';
const HTTPIE_VALUE_LONG = new Set(['--auth', '--auth-type', '--session', '--session-read-only', '--output', '--print', '--pretty', '--style', '--format-options', '--verify', '--cert',
  '--cert-key', '--cert-key-pass', '--proxy', '--timeout', '--max-redirects', '--default-scheme', '--ssl', '--ciphers', '--boundary', '--raw', '--response-charset', '--response-mime',
  '--history-print', '--http-version', '--resolve', '--interface', '--bearer', '--scheme']);
/** httpie request items: `name=value`, `name:=json`, `name=@file`, `name:=@file`, `name@file`, `Header:value`, `param==value`. */
const HTTPIE_ITEM = /^((?:[^\\=:@]|\\.)*)(:=@|=@|:=|==|=|:|@)([\s\S]*)$/;

function parseHttpie(command: SimpleCommand): HttpRequest {
  const argv = command.argv;
  const isCurlie = command.program === 'curlie';
  let method: string | undefined;
  let offline = false;
  let ignoreStdin = false;
  let form = false;
  const words: string[] = [];
  const bodies: Body[] = [];
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--') { words.push(...argv.slice(i + 1)); break; }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      if (name === '--offline') offline = true;
      if (name === '--ignore-stdin') ignoreStdin = true;
      if (name === '--form' || name === '--multipart') form = true;
      const takesValue = isCurlie ? CURL_VALUE_LONG.has(name) : HTTPIE_VALUE_LONG.has(name);
      if (takesValue) {
        const value = eq !== -1 ? arg.slice(eq + 1) : argv[i + 1];
        if (eq === -1) i += 1;
        if (value !== undefined && (name === '--raw' || (isCurlie && CURL_DATA.has(name)))) bodies.push({ text: value.slice(0, MAX_BODY), from: value });
        if (value !== undefined && isCurlie && name === '--request') method = value.toUpperCase();
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      const valueLetters = isCurlie ? CURL_VALUE_SHORT : HTTPIE_VALUE_SHORT;
      for (let j = 1; j < arg.length; j += 1) {
        const letter = arg[j]!;
        if (!isCurlie && letter === 'f') form = true;
        if (valueLetters.includes(letter)) {
          const value = j < arg.length - 1 ? arg.slice(j + 1) : argv[i + 1];
          if (j === arg.length - 1) i += 1;
          if (isCurlie && letter === 'X' && value !== undefined) method = value.toUpperCase();
          if (isCurlie && letter === 'd' && value !== undefined) bodies.push(curlBody('-d', value, false, command));
          break;
        }
      }
      continue;
    }
    words.push(arg);
  }
  if (words.length > 0 && METHODS.has(words[0]!.toUpperCase()) && /^[A-Za-z]+$/.test(words[0]!) && words.length > 1) method ??= words.shift()!.toUpperCase();
  const url = words.shift();
  let hasData = bodies.length > 0 || form;
  for (const item of words) {
    const m = HTTPIE_ITEM.exec(item);
    if (!m) continue;
    const [, key = '', separator, value = ''] = m;
    if (separator === '=' || separator === ':=') { bodies.push({ text: `${key}=${value}`.slice(0, MAX_BODY), from: item }); hasData = true; }
    else if (separator === '=@' || separator === ':=@' || separator === '@') { bodies.push({ text: undefined, from: item }); hasData = true; }
  }
  if (!hasData && !ignoreStdin && command.stdin) { bodies.push(stdinBody(command)); hasData = true; }
  const target = url === undefined ? undefined : parseUrl(url);
  return { tool: command.program, method: offline ? 'OFFLINE' : method ?? (hasData ? 'POST' : 'GET'), targets: target ? [target] : [], bodies, queryData: [] };
}

const requestCache = new WeakMap<SimpleCommand, HttpRequest>();

function requestOf(command: SimpleCommand, context: RuleContext): HttpRequest | undefined {
  if (command.argv.some((a) => a === '--help' || a === '--version' || a === '--manual')) return undefined;
  let request = requestCache.get(command);
  if (!request) {
    request = command.program === 'wget' ? parseWget(command, context) : command.program === 'curl' ? parseCurl(command, context) : parseHttpie(command);
    requestCache.set(command, request);
  }
  return request;
}

const HTTP_PROGRAMS = ['curl', 'wget', 'http', 'https', 'xh', 'xhs', 'curlie'];

function where(target: UrlTarget): string {
  const host = target.isDynamic ? 'a host set at run time' : `${target.host}${target.port ? `:${target.port}` : ''}`;
  return `${host} (${target.path.length > 60 ? `${target.path.slice(0, 57)}…` : target.path})`;
}

function resourceOf(target: UrlTarget): string | undefined {
  return target.host === '' ? undefined : target.host;
}

// GraphQL.

const NAME_START = /[_A-Za-z]/;
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*/;
const DESTRUCTIVE_WORDS = new Set(['delete', 'destroy', 'drop', 'remove', 'purge', 'reset', 'wipe', 'truncate', 'erase', 'nuke', 'deletion', 'obliterate']);

function skipWhitespace(src: string, i: number): number {
  while (i < src.length && /[\s,]/.test(src[i]!)) i += 1;
  return i;
}

function skipString(src: string, i: number): number {
  if (src.startsWith('"""', i)) {
    const end = src.indexOf('"""', i + 3);
    return end === -1 ? src.length : end + 3;
  }
  let j = i + 1;
  while (j < src.length && src[j] !== '"' && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** Skips a balanced `( … )` starting at `i`, strings included. */
function skipParens(src: string, i: number): number {
  let depth = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '"') { i = skipString(src, i); continue; }
    if (c === '(') depth += 1;
    else if (c === ')') { depth -= 1; if (depth === 0) return i + 1; }
    i += 1;
  }
  return i;
}

/** The top-level field names of the selection set starting at `open` (`{`), aliases resolved. */
function topLevelFields(src: string, open: number): string[] {
  const names: string[] = [];
  let depth = 0;
  let i = open;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '"') { i = skipString(src, i); continue; }
    if (c === '#') { const end = src.indexOf('\n', i); i = end === -1 ? src.length : end; continue; }
    if (c === '(') { i = skipParens(src, i); continue; }
    if (c === '{') { depth += 1; i += 1; continue; }
    if (c === '}') { depth -= 1; i += 1; if (depth === 0) break; continue; }
    if (c === '@' || c === '.') {
      // Directives and fragment spreads: skip the name after them.
      i += 1;
      while (src[i] === '.') i += 1;
      const word = GRAPHQL_NAME.exec(src.slice(i, i + 256));
      if (word) i += word[0].length;
      continue;
    }
    if (depth === 1 && NAME_START.test(c)) {
      const word = GRAPHQL_NAME.exec(src.slice(i, i + 256))![0];
      let j = skipWhitespace(src, i + word.length);
      if (src[j] === ':') {
        j = skipWhitespace(src, j + 1);
        const real = GRAPHQL_NAME.exec(src.slice(j, j + 256));
        if (real) { names.push(real[0]); i = j + real[0].length; continue; }
      }
      names.push(word);
      i += word.length;
      if (names.length >= 50) break;
      continue;
    }
    i += 1;
  }
  return names;
}

export interface GraphqlMutation {
  /** Top-level fields of every mutation operation found. */
  readonly fields: readonly string[];
  /** The fields whose names say they delete, drop, reset, … */
  readonly destructive: readonly string[];
}

/** `volumeDelete`, `deleteEntity`, `backups_purge` → destructive; `resetPassword` is not. */
export function isDestructiveFieldName(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[\s_]+/).map((w) => w.toLowerCase());
  return words.some((w) => DESTRUCTIVE_WORDS.has(w)) && !words.includes('password');
}

/** The mutation operations in a GraphQL document (or in JSON/escaped text that carries one); undefined when none. */
export function graphqlMutationIn(text: string): GraphqlMutation | undefined {
  if (!text.includes('mutation')) return undefined;
  const src = (text.length > MAX_BODY ? text.slice(0, MAX_BODY) : text).replace(/\\+"/g, '"').replace(/\\n/g, '\n');
  const fields: string[] = [];
  let found = false;
  let seen = 0;
  for (const match of src.matchAll(/\bmutation\b/g)) {
    if ((seen += 1) > 20) break;
    let i = skipWhitespace(src, match.index + 'mutation'.length);
    const name = GRAPHQL_NAME.exec(src.slice(i, i + 256));
    if (name) i = skipWhitespace(src, i + name[0].length);
    if (src[i] === '(') i = skipWhitespace(src, skipParens(src, i));
    while (src[i] === '@') {
      const directive = GRAPHQL_NAME.exec(src.slice(i + 1, i + 257));
      i = skipWhitespace(src, i + 1 + (directive?.[0].length ?? 0));
      if (src[i] === '(') i = skipWhitespace(src, skipParens(src, i));
    }
    if (src[i] !== '{') continue;
    found = true;
    fields.push(...topLevelFields(src, i));
  }
  if (!found) return undefined;
  return { fields, destructive: fields.filter(isDestructiveFieldName) };
}

function isGraphqlEndpoint(target: UrlTarget): boolean {
  return /graphql|\/gql(?:\/|$)|\/graphiql/i.test(target.path);
}

/** Body texts plus the URL's decoded query string and `curl -G` data (GraphQL over GET). */
function visibleTexts(request: HttpRequest): string[] {
  const texts = [...request.bodies, ...request.queryData].flatMap((b) => (b.text === undefined ? [] : [b.text]));
  for (const target of request.targets) {
    if (target.query.includes('mutation')) {
      try { texts.push(decodeURIComponent(target.query.replace(/\+/g, ' '))); } catch { texts.push(target.query); }
    }
  }
  return texts;
}

function mainTarget(request: HttpRequest): UrlTarget | undefined {
  return request.targets[0];
}

// SQL inside request bodies: `{"query": "DROP TABLE x"}`, `{"sql": …}`, ClickHouse's raw SQL body.

const SQL_KEYS = new Set(['query', 'sql', 'statement', 'stmt', 'q', 'command', 'queries', 'statements']);

function collectSqlStrings(value: unknown, out: string[], depth: number): void {
  if (depth > 5 || out.length > 20) return;
  if (Array.isArray(value)) { for (const item of value) collectSqlStrings(item, out, depth + 1); return; }
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (typeof inner === 'string' && SQL_KEYS.has(key.toLowerCase())) out.push(inner);
    else if (Array.isArray(inner) && SQL_KEYS.has(key.toLowerCase())) { for (const s of inner) if (typeof s === 'string') out.push(s); }
    else collectSqlStrings(inner, out, depth + 1);
  }
}

function sqlStringsIn(body: string): string[] {
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const out: string[] = [];
    try {
      collectSqlStrings(JSON.parse(trimmed), out, 0);
      return out;
    } catch {
      for (const m of trimmed.matchAll(/"(?:query|sql|statement|stmt|q|command)"\s*:\s*"((?:[^"\\]|\\.){0,8192})"/gi)) out.push(m[1]!.replace(/\\(.)/g, '$1'));
      return out;
    }
  }
  const form = /^(?:query|sql|q|statement)=([\s\S]*)$/i.exec(trimmed);
  if (form) { try { return [decodeURIComponent(form[1]!.replace(/\+/g, ' '))]; } catch { return [form[1]!]; } }
  return [trimmed];
}

const httpRule = (id: string, severity: Severity, description: string, check: (request: HttpRequest, command: SimpleCommand, context: RuleContext) => Report | undefined): Rule =>
  defineRule({
    meta: { id, severity, description },
    programs: HTTP_PROGRAMS,
    check(command, context) {
      const request = requestOf(command, context);
      return request ? check(request, command, context) : undefined;
    },
  });

export const httpRules: readonly Rule[] = [
  httpRule('http.delete-request', 'high', 'HTTP DELETE to a live API, or to a data store or admin API even on localhost.', (request) => {
    if (request.method !== 'DELETE') return undefined;
    const target = mainTarget(request);
    if (!target) return undefined;
    const store = dataStoreOf(target);
    if (isDevelopmentHost(target.host) && store === undefined) return undefined;
    if (store !== undefined) {
      const everything = /^\/(?:\*|_all|[^/]*\*[^/]*)\/?$/.test(target.path) && /Elasticsearch|Meilisearch|Typesense|Solr/.test(store);
      return {
        message: `${request.tool} sends DELETE to the ${store} API at ${where(target)}: it deletes ${everything ? 'every index the pattern matches' : 'that data or configuration'}, even on a development machine, with no undo.`,
        severity: everything ? 'critical' : 'high',
        safer: store.startsWith('Elasticsearch') ? 'GET it first (`_cat/indices`) and take a snapshot.' : 'GET the same URL first to check what would go.',
        ...(resourceOf(target) ? { resource: resourceOf(target)! } : {}),
      };
    }
    return {
      message: `${request.tool} sends DELETE to ${where(target)}: the API deletes that resource, usually with no undo.`,
      safer: 'GET the same URL first to check what it is, or try it on the staging API.',
      ...(resourceOf(target) ? { resource: resourceOf(target)! } : {}),
    };
  }),
  httpRule('http.write-request', 'medium', 'HTTP PUT/PATCH to a live API, or to a data store or admin API even on localhost.', (request) => {
    if (request.method !== 'PUT' && request.method !== 'PATCH') return undefined;
    const target = mainTarget(request);
    if (!target) return undefined;
    const store = dataStoreOf(target);
    if (isDevelopmentHost(target.host) && store === undefined) return undefined;
    return {
      message: `${request.tool} sends ${request.method} to ${store ? `the ${store} API at ` : ''}${where(target)}: it overwrites that resource on the live service.`,
      safer: 'GET it first, and try the change on the staging API.',
      ...(resourceOf(target) ? { resource: resourceOf(target)! } : {}),
    };
  }),
  httpRule('http.destructive-endpoint', 'high', 'A request to an endpoint named for a destructive action (doDelete, _delete_by_query, delete_series, /purge, /wipe, /reset, /destroy).', (request) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS' || request.method === 'DELETE' || request.method === 'OFFLINE') return undefined;
    for (const target of request.targets) {
      const segment = destructiveSegment(target);
      if (segment) {
        return {
          message: `${request.tool} sends ${request.method} to ${where(target)}, an endpoint that runs "${segment}": it deletes or resets data on that service.`,
          safer: 'look at what it would affect with a read-only request first (a GET, `_count`, a `--dry-run` option where the API has one).',
          ...(resourceOf(target) ? { resource: resourceOf(target)! } : {}),
        };
      }
    }
    return undefined;
  }),
  httpRule('http.graphql-destructive-mutation', 'critical', 'A GraphQL mutation whose fields delete, drop, purge, reset or wipe (the incident: `volumeDelete` through curl).', (request, _command, context) => {
    if (request.method === 'OFFLINE') return undefined;
    for (const text of visibleTexts(request)) {
      const mutation = graphqlMutationIn(text);
      if (!mutation || mutation.destructive.length === 0) continue;
      const target = mainTarget(request);
      const local = target !== undefined && isLoopback(target.host);
      const fields = mutation.destructive.slice(0, 3).join(', ');
      return {
        message: `${request.tool} sends a GraphQL mutation (${fields}) to ${target ? where(target) : 'an API'}: it deletes or resets data there, and backups may go with it.`,
        severity: local ? 'medium' : tierSeverity('critical', context),
        safer: 'run a query first to see what the mutation would affect, and do the deletion yourself in the provider\'s console, or use the staging API.',
        ...(target && resourceOf(target) ? { resource: resourceOf(target)! } : {}),
      };
    }
    return undefined;
  }),
  httpRule('http.graphql-mutation', 'medium', 'A GraphQL mutation (other than a destructive one) sent to a live API.', (request) => {
    if (request.method === 'OFFLINE') return undefined;
    const target = mainTarget(request);
    if (target && isLoopback(target.host)) return undefined;
    for (const text of visibleTexts(request)) {
      const mutation = graphqlMutationIn(text);
      if (!mutation || mutation.destructive.length > 0) continue;
      const fields = mutation.fields.slice(0, 3).join(', ') || 'unknown fields';
      return {
        message: `${request.tool} sends a GraphQL mutation (${fields}) to ${target ? where(target) : 'an API'}: it changes data on the live service.`,
        safer: 'a query instead of a mutation to look first, or the staging API.',
        ...(target && resourceOf(target) ? { resource: resourceOf(target)! } : {}),
      };
    }
    return undefined;
  }),
  httpRule('http.graphql-unseen-body', 'medium', 'A request to a GraphQL endpoint whose body (a file, stdin, a variable) cannot be seen: it may be a mutation.', (request) => {
    if (request.method === 'OFFLINE') return undefined;
    const target = request.targets.find(isGraphqlEndpoint);
    if (!target || isLoopback(target.host)) return undefined;
    // `curl -G -d @query.txt`: the query string comes from a file.
    const unseen = request.method === 'GET' || request.method === 'HEAD' ? request.queryData.find((b) => b.text === undefined) : request.bodies.find((b) => b.text === undefined);
    if (!unseen) return undefined;
    if (visibleTexts(request).some((t) => graphqlMutationIn(t) !== undefined)) return undefined;
    return {
      message: `${request.tool} sends a body from ${unseen.from} to the GraphQL endpoint ${where(target)}; it cannot be checked here and may be a mutation that changes or deletes data.`,
      safer: 'put the query inline (`-d \'{"query": "…"}\'`) so it can be checked, and use a query rather than a mutation.',
      ...(resourceOf(target) ? { resource: resourceOf(target)! } : {}),
    };
  }),
  httpRule('http.sql-in-body', 'critical', 'A request body carrying destructive SQL (`{"sql": "DROP TABLE …"}`, a raw DROP/TRUNCATE/DELETE sent to an SQL-over-HTTP API).', (request, _command, context) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OFFLINE') return undefined;
    for (const body of request.bodies) {
      if (body.text === undefined) continue;
      for (const sql of sqlStringsIn(body.text)) {
        const risk = analyzeSql(sql, 1)[0];
        if (!risk) continue;
        const target = mainTarget(request);
        return {
          message: `${request.tool} sends \`${risk.statement}\` to ${target ? where(target) : 'an API'}: ${risk.message}.`,
          severity: tierSeverity(risk.severity, context),
          ...(risk.safer ? { safer: `${risk.safer}.` } : {}),
          ...(risk.resource ? { resource: risk.resource } : {}),
        };
      }
    }
    return undefined;
  }),
];

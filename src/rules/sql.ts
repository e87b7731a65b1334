// Rule pack: destructive statements sent to databases through their clients (psql, mysql, sqlite3, mongosh, redis-cli,
// cqlsh, clickhouse-client, sqlcmd, …), database-dropping tools (dropdb, mysqladmin drop, pg_restore --clean), and
// SQL typed as a bare command line (`DROP DATABASE mydb;`, which a terminal running a SQL prompt would execute).
import type { SimpleCommand } from '../shell/types.js';
import { positionals } from '../shell/words.js';
import { defineRule, readNamedFile, type Report, type Rule, type RuleContext, type Severity } from './rule.js';
import { analyzeSql, type SqlRisk, type SqlRiskKind } from './sql-statements.js';

/** Where a client finds the SQL it runs. */
interface SqlClient {
  /** Options whose value is SQL text (`-c`, `--command`, `-e`). */
  readonly sqlOptions: readonly string[];
  /** Options that name a script file; when one is given (other than `-`), stdin is not the script. */
  readonly fileOptions: readonly string[];
  /** For clients taking `db 'SQL' …` positionally (sqlite3, duckdb): the options that take a value. */
  readonly positionalSql?: ReadonlySet<string>;
  /** A subcommand that must come first (`cockroach sql`, `clickhouse client`). */
  readonly subcommand?: readonly string[];
}

const SQLITE_VALUE_OPTIONS = new Set(['-cmd', '-separator', '-newline', '-nullvalue', '-init', '-vfs', '-maxsize', '-mmap', '-pagecache', '-lookaside', '-heap', '-zip']);
const DUCKDB_VALUE_OPTIONS = new Set(['-c', '-s', '-cmd', '-separator', '-newline', '-nullvalue', '-init']);

const SQL_CLIENTS: Readonly<Record<string, SqlClient>> = {
  psql: { sqlOptions: ['-c', '--command'], fileOptions: ['-f', '--file'] },
  mysql: { sqlOptions: ['-e', '--execute'], fileOptions: [] },
  mariadb: { sqlOptions: ['-e', '--execute'], fileOptions: [] },
  mycli: { sqlOptions: ['-e', '--execute'], fileOptions: [] },
  sqlite3: { sqlOptions: ['-cmd'], fileOptions: [], positionalSql: SQLITE_VALUE_OPTIONS },
  sqlite: { sqlOptions: ['-cmd'], fileOptions: [], positionalSql: SQLITE_VALUE_OPTIONS },
  litecli: { sqlOptions: ['-e', '--execute'], fileOptions: [] },
  duckdb: { sqlOptions: ['-c', '-s', '-cmd'], fileOptions: [], positionalSql: DUCKDB_VALUE_OPTIONS },
  cqlsh: { sqlOptions: ['-e', '--execute'], fileOptions: ['-f', '--file'] },
  'clickhouse-client': { sqlOptions: ['-q', '--query'], fileOptions: ['--queries-file'] },
  clickhouse: { sqlOptions: ['-q', '--query'], fileOptions: ['--queries-file'], subcommand: ['client', 'local'] },
  usql: { sqlOptions: ['-c', '--command'], fileOptions: ['-f', '--file'] },
  sqlcmd: { sqlOptions: ['-Q', '-q'], fileOptions: ['-i'] },
  cockroach: { sqlOptions: ['-e', '--execute'], fileOptions: ['-f', '--file'], subcommand: ['sql'] },
  snowsql: { sqlOptions: ['-q', '--query'], fileOptions: ['-f', '--filename'] },
  trino: { sqlOptions: ['--execute'], fileOptions: ['-f', '--file'] },
  presto: { sqlOptions: ['--execute'], fileOptions: ['-f', '--file'] },
  'spark-sql': { sqlOptions: ['-e'], fileOptions: ['-f'] },
  hive: { sqlOptions: ['-e'], fileOptions: ['-f'] },
  beeline: { sqlOptions: ['-e'], fileOptions: ['-f'] },
};

/** SQL keywords that start a destructive statement, as a bare command line. */
const BARE_SQL_PROGRAMS = ['drop', 'truncate', 'delete', 'update', 'alter', 'grant'];
const SQL_PROGRAMS = [...Object.keys(SQL_CLIENTS), ...BARE_SQL_PROGRAMS];

/** Every value of the given options (`-c a -c b`, `--command=a`, `-ca`). */
export function allOptionValues(args: readonly string[], names: readonly string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') break;
    for (const name of names) {
      if (arg === name) { if (args[i + 1] !== undefined) values.push(args[i + 1]!); i += 1; break; }
      if (name.startsWith('--') && arg.startsWith(`${name}=`)) { values.push(arg.slice(name.length + 1)); break; }
      if (!name.startsWith('--') && name.length === 2 && arg.startsWith(name) && arg.length > 2 && !arg.startsWith('--')) { values.push(arg.slice(2)); break; }
    }
  }
  return values;
}

/** The text a command reads on stdin when the analysis knows it: a heredoc, a here-string, or `echo …|`/`printf …|`. */
export function knownStdinText(command: SimpleCommand): string | undefined {
  const stdin = command.stdin;
  if (!stdin) return undefined;
  if (stdin.kind !== 'pipe') return stdin.text;
  const from = stdin.from;
  if (from.program === 'echo') return from.argv.slice(1).filter((a) => !/^-[neE]+$/.test(a)).join(' ');
  if (from.program === 'printf') return from.argv.slice(1).join(' ').replace(/\\n/g, '\n');
  return undefined;
}

/** The SQL scripts a client command runs, as far as they can be seen. */
function sqlTextsOf(command: SimpleCommand, context: RuleContext | undefined): string[] {
  const program = command.program;
  if (BARE_SQL_PROGRAMS.includes(program)) {
    // `truncate -s 0 file` is the coreutils tool; SQL never has options.
    if (command.argv.slice(1).some((a) => a.startsWith('-'))) return [];
    if (command.argv.length < 2) return [];
    return [command.argv.join(' ')];
  }
  const client = SQL_CLIENTS[program];
  if (!client) return [];
  let args = command.argv.slice(1);
  if (client.subcommand) {
    if (!client.subcommand.includes(args[0] ?? '')) return [];
    args = args.slice(1);
  }
  const texts = allOptionValues(args, client.sqlOptions);
  if (client.positionalSql) texts.push(...positionals(args, client.positionalSql).slice(1));
  const files = allOptionValues(args, client.fileOptions);
  for (const file of files) {
    const text = file === '-' ? undefined : readNamedFile(file, false, command, context);
    if (text !== undefined) texts.push(text);
  }
  const readsStdin = files.length === 0 ? texts.length === 0 : files.includes('-');
  if (readsStdin) {
    const stdin = knownStdinText(command);
    if (stdin !== undefined) texts.push(stdin);
    const redirect = command.redirects.find((r) => r.operator === '<');
    const redirected = redirect === undefined ? undefined : readNamedFile(redirect.target, redirect.isDynamic, command, context);
    if (redirected !== undefined) texts.push(redirected);
  }
  return texts;
}

const sqlCache = new WeakMap<SimpleCommand, SqlRisk[]>();

function sqlRisksOf(command: SimpleCommand, context: RuleContext | undefined): SqlRisk[] {
  let risks = sqlCache.get(command);
  if (!risks) {
    risks = sqlTextsOf(command, context).flatMap((text) => analyzeSql(text));
    sqlCache.set(command, risks);
  }
  return risks;
}

/** Irreversible data loss blocks everywhere but in a development workspace, where it asks (local databases are routine to reset). */
export function tierSeverity(severity: Severity, context: RuleContext): Severity {
  return severity === 'critical' && context.tier === 'development' ? 'high' : severity;
}

function clientName(command: SimpleCommand): string {
  return BARE_SQL_PROGRAMS.includes(command.program) ? 'This SQL statement' : command.program;
}

const sqlRule = (id: string, kind: SqlRiskKind, severity: Severity, description: string, extraPrograms: readonly string[] = [], extra?: (command: SimpleCommand, context: RuleContext) => Report | undefined): Rule =>
  defineRule({
    meta: { id, severity, description },
    programs: [...SQL_PROGRAMS, ...extraPrograms],
    check(command, context) {
      const reports: Report[] = [];
      for (const risk of sqlRisksOf(command, context)) {
        if (risk.kind !== kind) continue;
        reports.push({
          message: `${clientName(command)} runs \`${risk.statement}\`: ${risk.message}.`,
          severity: tierSeverity(risk.severity, context),
          ...(risk.safer ? { safer: `${risk.safer}.` } : {}),
          ...(risk.resource ? { resource: risk.resource } : {}),
        });
        if (reports.length >= 3) break;
      }
      const more = extra?.(command, context);
      if (more) reports.push(more);
      return reports;
    },
  });

function hasHelp(command: SimpleCommand): boolean {
  return command.argv.some((a) => a === '--help' || a === '-?' || a === '--version' || a === '-V');
}

/** `dropdb production`, `mysqladmin -u root drop testdb`. */
function dropDatabaseTool(command: SimpleCommand, context: RuleContext): Report | undefined {
  if (hasHelp(command)) return undefined;
  if (command.program === 'dropdb') {
    const names = positionals(command.argv.slice(1), new Set(['-h', '--host', '-p', '--port', '-U', '--username', '--maintenance-db']));
    const name = names[0];
    if (name === undefined) return undefined;
    return { message: `dropdb deletes the database ${name} with every table and row in it.`, severity: tierSeverity('critical', context), safer: `\`pg_dump ${name} > backup.sql\` first, and drop it yourself, outside the agent.`, resource: name };
  }
  if (command.program === 'mysqladmin') {
    const args = positionals(command.argv.slice(1), new Set(['-u', '-h', '-P', '-S', '--user', '--host', '--port', '--socket', '-c', '--count', '-i', '--sleep', '-w', '--wait']));
    const at = args.findIndex((a) => a.toLowerCase() === 'drop');
    if (at === -1) return undefined;
    const name = args[at + 1];
    return { message: `mysqladmin drop deletes the database${name ? ` ${name}` : ''} with every table and row in it.`, severity: tierSeverity('critical', context), safer: '`mysqldump` it first, and drop it yourself, outside the agent.', ...(name ? { resource: name } : {}) };
  }
  return undefined;
}

// MongoDB shell code (mongosh --eval, scripts on stdin).
const MONGO_PROGRAMS = ['mongosh', 'mongo'];
const MONGO_DROP_DATABASE = /\bdropDatabase\s*\(/;
const MONGO_DROP_COLLECTION = /\b(?:getCollection\s*\(\s*["']([^"']{1,200})["']\s*\)|db\s*\.\s*([A-Za-z_$][\w$]{0,200}))\s*\.\s*drop\s*\(\s*\)/;
const MONGO_DROP_OTHER = /\b(dropAllUsers|dropAllRoles|dropUser|dropRole|dropIndexes)\s*\(/;
const MONGO_DELETE_ALL = /\.\s*(deleteMany|remove)\s*\(\s*(?:\{\s*\}\s*)?[,)]/;
const MONGO_UPDATE_ALL = /\.\s*(updateMany|replaceMany)\s*\(\s*\{\s*\}\s*,/;

function mongoScriptsOf(command: SimpleCommand): string[] {
  const args = command.argv.slice(1);
  const scripts = allOptionValues(args, ['--eval']);
  const files = positionals(args, new Set(['--host', '--port', '-u', '--username', '-p', '--password', '--authenticationDatabase', '--authenticationMechanism', '--eval', '-f', '--file', '--tlsCAFile', '--tlsCertificateKeyFile']))
    .filter((a) => /\.js$/.test(a));
  if (scripts.length === 0 && files.length === 0 && !args.includes('-f') && !args.includes('--file')) {
    const stdin = knownStdinText(command);
    if (stdin !== undefined) scripts.push(stdin);
  }
  return scripts.map((s) => (s.length > 64 * 1024 ? s.slice(0, 64 * 1024) : s));
}

const mongoRule = (id: string, severity: Severity, description: string, find: (script: string) => { message: string; severity?: Severity; safer?: string; resource?: string } | undefined): Rule =>
  defineRule({
    meta: { id, severity, description },
    programs: MONGO_PROGRAMS,
    check(command, context) {
      for (const script of mongoScriptsOf(command)) {
        const found = find(script);
        if (found) return { ...found, severity: tierSeverity(found.severity ?? severity, context) };
      }
      return undefined;
    },
  });

// Redis commands (redis-cli arguments, stdin, EVAL scripts).
const REDIS_VALUE_OPTIONS = new Set(['-h', '-p', '-s', '-a', '-u', '-n', '-r', '-i', '-d', '-D', '-t', '--user', '--pass', '--eval', '--pattern', '--quoted-pattern', '--count',
  '--rdb', '--functions-rdb', '--pipe-timeout', '--memkeys-samples', '--cacert', '--cacertdir', '--cert', '--key', '--tls-ciphers', '--tls-ciphersuites', '--sni', '--cluster-replicas',
  '--cluster-from', '--cluster-to', '--cluster-slots', '--cluster-weight', '--cluster-timeout', '--cluster-pipeline', '--cluster-threshold', '--cluster-search-multiple-owners']);

/** The Redis commands a redis-cli invocation runs: its arguments, or the lines it reads on stdin. */
function redisCommandsOf(command: SimpleCommand): string[][] {
  const args = command.argv.slice(1);
  const words = positionals(args, REDIS_VALUE_OPTIONS);
  const commands: string[][] = [];
  if (args.includes('--cluster')) {
    // `redis-cli --cluster call host:port FLUSHALL`
    const at = words.findIndex((w) => w.toLowerCase() === 'call');
    if (at !== -1) commands.push(words.slice(at + 2));
  } else if (words.length > 0) {
    commands.push(words);
  } else {
    const stdin = knownStdinText(command);
    if (stdin !== undefined) {
      for (const line of stdin.split('\n').slice(0, 1000)) {
        const lineWords = line.trim().split(/\s+/).filter((w) => w !== '');
        if (lineWords.length > 0) commands.push(lineWords);
      }
    }
  }
  return commands;
}

const redisName = (words: readonly string[]): string => (words[0] ?? '').toLowerCase();
const REDIS_FLUSH_IN_SCRIPT = /\bflush(all|db)\b/i;
const REDIS_KEYS_DELETE_IN_SCRIPT = /["'](del|unlink)["'][\s\S]{0,200}["']keys["']|["']keys["'][\s\S]{0,400}["'](del|unlink)["']/i;

function redisScripts(words: readonly string[]): string[] {
  const name = redisName(words);
  return name === 'eval' || name === 'eval_ro' ? [words[1] ?? ''] : [];
}

/** pg_restore's short flags; a letter that takes a value (`-d db`, `-dshop`) ends its cluster. */
function pgRestoreFlags(args: readonly string[]): Set<string> {
  const letters = new Set<string>();
  for (const arg of args) {
    if (arg === '--') break;
    if (!/^-[A-Za-z]/.test(arg)) continue;
    for (const ch of arg.slice(1)) {
      letters.add(ch);
      if ('dfFhIjLnNpPStTU'.includes(ch)) break;
    }
  }
  return letters;
}

export const sqlRules: readonly Rule[] = [
  sqlRule('sql.drop-database', 'drop-database', 'critical', 'DROP DATABASE/SCHEMA/KEYSPACE, dropdb and mysqladmin drop delete a whole database.', ['dropdb', 'mysqladmin'], dropDatabaseTool),
  sqlRule('sql.drop-table', 'drop-table', 'critical', 'DROP TABLE deletes a table and all its rows.'),
  sqlRule('sql.drop-object', 'drop-object', 'high', 'DROP of other objects (index, view, function, user, role, …).'),
  sqlRule('sql.truncate', 'truncate', 'critical', 'TRUNCATE empties tables at once.'),
  sqlRule('sql.delete-all', 'delete-all', 'critical', 'DELETE without a WHERE clause (or with WHERE 1=1) removes every row.'),
  sqlRule('sql.update-all', 'update-all', 'high', 'UPDATE without a WHERE clause overwrites every row.'),
  sqlRule('sql.alter-drop', 'alter-drop', 'high', 'ALTER TABLE … DROP COLUMN/CONSTRAINT/PARTITION removes data or structure.'),
  sqlRule('sql.grant-all', 'grant-all', 'high', 'GRANT ALL ON *.* gives an account full control of the server.'),
  defineRule({
    meta: { id: 'sql.restore-clean', severity: 'high', description: 'pg_restore --clean drops the database objects before recreating them; mongorestore --drop drops collections.' },
    programs: ['pg_restore', 'mongorestore'],
    check(command, context) {
      const args = command.argv.slice(1);
      if (hasHelp(command)) return undefined;
      if (command.program === 'mongorestore') {
        return args.includes('--drop') ? { message: 'mongorestore --drop drops each collection before restoring it: documents added since the dump are lost.', safer: 'restore into a new database (`--nsFrom`/`--nsTo`) and compare first.' } : undefined;
      }
      const letters = pgRestoreFlags(args);
      const clean = args.includes('--clean') || letters.has('c');
      // Without -d, pg_restore only prints a script: nothing is dropped.
      const intoDatabase = letters.has('d') || args.some((a) => a.startsWith('--dbname'));
      if (!clean || !intoDatabase) return undefined;
      const create = args.includes('--create') || letters.has('C');
      return create
        ? { message: 'pg_restore --clean --create drops the whole target database and recreates it from the dump.', severity: tierSeverity('critical', context), safer: 'restore into a new, empty database and switch over once it is checked.' }
        : { message: 'pg_restore --clean drops every object in the dump from the target database before recreating it: rows written since the dump are lost.', safer: 'restore into a new, empty database and compare first.' };
    },
  }),
  mongoRule('sql.mongo-drop', 'critical', 'db.dropDatabase() / db.collection.drop() in mongosh deletes a database or collection.', (script) => {
    if (MONGO_DROP_DATABASE.test(script)) return { message: 'mongosh runs dropDatabase(): the database and every collection in it are deleted.', safer: '`mongodump` first, and drop it yourself, outside the agent.' };
    const m = MONGO_DROP_COLLECTION.exec(script);
    if (m) {
      const name = m[1] ?? m[2] ?? 'collection';
      return { message: `mongosh drops the collection ${name} with every document in it.`, safer: `\`db.${name}.countDocuments()\` and \`mongodump --collection ${name}\` first.`, resource: name };
    }
    const other = MONGO_DROP_OTHER.exec(script);
    if (other) return { message: `mongosh runs ${other[1]}(), which removes access or indexes the applications rely on.`, severity: 'high' };
    return undefined;
  }),
  mongoRule('sql.mongo-delete-all', 'critical', 'deleteMany({}) / remove({}) in mongosh deletes every document of a collection.', (script) => {
    const m = MONGO_DELETE_ALL.exec(script);
    return m ? { message: `mongosh runs ${m[1]}({}) with an empty filter: every document of the collection is deleted.`, safer: '`countDocuments(filter)` first, then delete with that filter.' } : undefined;
  }),
  mongoRule('sql.mongo-update-all', 'high', 'updateMany({}, …) in mongosh rewrites every document of a collection.', (script) => {
    const m = MONGO_UPDATE_ALL.exec(script);
    return m ? { message: `mongosh runs ${m[1]}({}, …) with an empty filter: every document of the collection is rewritten.`, safer: 'give it a filter, and `countDocuments(filter)` first.' } : undefined;
  }),
  defineRule({
    meta: { id: 'sql.redis-flush', severity: 'critical', description: 'FLUSHALL / FLUSHDB delete every key of a Redis server or database.' },
    programs: ['redis-cli', 'valkey-cli', 'keydb-cli'],
    check(command, context) {
      for (const words of redisCommandsOf(command)) {
        const name = redisName(words);
        if (name === 'flushall' || name === 'flushdb' || redisScripts(words).some((s) => REDIS_FLUSH_IN_SCRIPT.test(s))) {
          return { message: `${command.program} runs ${name.toUpperCase()}: every key ${name === 'flushdb' ? 'of the selected database' : 'on the server'} is deleted at once.`, severity: tierSeverity('critical', context), safer: '`DBSIZE` or `SCAN 0 MATCH prefix:*` to see what is there, then delete those keys by name.' };
        }
      }
      return undefined;
    },
  }),
  defineRule({
    meta: { id: 'sql.redis-admin', severity: 'high', description: 'CONFIG SET, SHUTDOWN, SCRIPT/FUNCTION FLUSH, CLUSTER RESET, REPLICAOF change or stop a live Redis server.' },
    programs: ['redis-cli', 'valkey-cli', 'keydb-cli'],
    check(command) {
      for (const words of redisCommandsOf(command)) {
        const name = redisName(words);
        const sub = (words[1] ?? '').toLowerCase();
        if ((name === 'config' && sub === 'set') || name === 'shutdown' || ((name === 'script' || name === 'function') && sub === 'flush')
          || (name === 'cluster' && sub === 'reset') || ((name === 'replicaof' || name === 'slaveof') && sub !== 'no') || (name === 'debug' && sub !== 'object')) {
          return { message: `${command.program} runs ${words.slice(0, 2).join(' ').toUpperCase()}, which changes or stops the live server${name === 'config' ? ' (CONFIG SET dir/dbfilename can even overwrite files on it)' : ''}.`, safer: '`CONFIG GET`/`INFO` to look first; change settings in the server\'s config file.' };
        }
      }
      return undefined;
    },
  }),
  defineRule({
    meta: { id: 'sql.redis-delete-many', severity: 'high', description: 'DEL/UNLINK of keys listed at run time (`--scan | xargs redis-cli del`) or by a KEYS pattern in a script.' },
    programs: ['redis-cli', 'valkey-cli', 'keydb-cli'],
    check(command) {
      for (const words of redisCommandsOf(command)) {
        const name = redisName(words);
        if ((name === 'del' || name === 'unlink') && (command.hasRuntimeArguments || words.slice(1).some((w) => w.includes('*')))) {
          return { message: `${command.program} ${name.toUpperCase()} deletes keys whose names are only known at run time; nobody has seen the list.`, safer: 'print the keys first (`--scan --pattern …`), then delete them by name.' };
        }
        if (redisScripts(words).some((s) => REDIS_KEYS_DELETE_IN_SCRIPT.test(s))) {
          return { message: `${command.program} EVAL deletes every key a KEYS pattern matches.`, safer: 'print the keys first (`--scan --pattern …`), then delete them by name.' };
        }
      }
      return undefined;
    },
  }),
];

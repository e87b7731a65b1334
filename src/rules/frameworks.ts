// Rule pack: database resets through framework CLIs (rails db:drop, prisma migrate reset, manage.py flush,
// artisan migrate:fresh, sequelize/knex/typeorm/drizzle, ecto, alembic, flyway, liquibase, doctrine, dotnet ef).
// They drop every table of the configured database; which database that is lives in config the command line hides.
import type { SimpleCommand } from '../shell/types.js';
import { positionals } from '../shell/words.js';
import { defineRule, type Report, type Rule, type RuleContext, type Severity } from './rule.js';
import { tierSeverity } from './sql.js';

/** A framework tool's words after its program (and after `manage.py`, `artisan`, `bin/console`, `ef`, …). */
interface Invocation {
  readonly tool: string;
  readonly args: readonly string[];
}

/** Package-manager runners the shell analysis does not unwrap (`yarn prisma …`, `pnpm knex …`). */
const RUNNERS = new Set(['yarn', 'pnpm', 'bun', 'bunx']);
const PYTHON = /^(python|pypy)[0-9.]*$/;
const PHP = /^php[0-9.]*$/;

/** The tool a command runs: `python manage.py flush` → manage.py [flush]; `yarn prisma migrate reset` → prisma [migrate, reset]. */
function invocationOf(command: SimpleCommand): Invocation | undefined {
  let argv = command.argv;
  let program = command.program;
  if (RUNNERS.has(program)) {
    let i = 1;
    if (argv[i] === 'exec' || argv[i] === 'run' || argv[i] === 'dlx' || argv[i] === 'x') i += 1;
    const next = argv[i];
    if (next === undefined || next.startsWith('-')) return undefined;
    argv = argv.slice(i);
    program = next.slice(next.lastIndexOf('/') + 1).toLowerCase();
  }
  if (PYTHON.test(program)) {
    const script = argv.slice(1).find((a) => !a.startsWith('-'));
    if (script === undefined || !/(^|\/)manage\.py$/.test(script)) return undefined;
    return { tool: 'manage.py', args: argv.slice(argv.indexOf(script) + 1) };
  }
  if (PHP.test(program)) {
    const script = argv[1];
    if (script === undefined) return undefined;
    if (/(^|\/)artisan$/.test(script)) return { tool: 'artisan', args: argv.slice(2) };
    if (/(^|\/)console$/.test(script)) return { tool: 'console', args: argv.slice(2) };
    return undefined;
  }
  if (program === 'dotnet') return argv[1] === 'ef' ? { tool: 'dotnet-ef', args: argv.slice(2) } : undefined;
  if (program === 'dotnet-ef') return { tool: 'dotnet-ef', args: argv.slice(1) };
  if (program === 'bundle' && argv[1] === 'exec') {
    const inner = argv[2];
    return inner === undefined ? undefined : { tool: inner.slice(inner.lastIndexOf('/') + 1).toLowerCase(), args: argv.slice(3) };
  }
  return { tool: program, args: argv.slice(1) };
}

function lower(args: readonly string[]): string[] {
  return args.map((a) => a.toLowerCase());
}

function isHelp(args: readonly string[]): boolean {
  return args.some((a) => a === '--help' || a === '-h' || a === 'help' || a === '--dry-run' || a === '--pretend');
}

const ENV_VARIABLE = /^(RAILS_ENV|RACK_ENV|NODE_ENV|APP_ENV|MIX_ENV|DJANGO_ENV|ASPNETCORE_ENVIRONMENT|FLASK_ENV|ENV|ENVIRONMENT)$/;

/** The framework environment the command names (`RAILS_ENV=test rails …`, `rails … RAILS_ENV=test`, `--env=production`), lower case. */
function namedEnvironment(command: SimpleCommand, args: readonly string[]): string | undefined {
  for (const [name, value] of command.assignments) if (ENV_VARIABLE.test(name)) return value.toLowerCase();
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const assignment = /^([A-Z_]+)=(.*)$/.exec(arg);
    if (assignment && ENV_VARIABLE.test(assignment[1]!)) return assignment[2]!.toLowerCase();
    const option = /^--(?:env|environment)=(.*)$/.exec(arg);
    if (option) return option[1]!.toLowerCase();
    if ((arg === '--env' || arg === '--environment') && args[i + 1] !== undefined) return args[i + 1]!.toLowerCase();
  }
  return undefined;
}

interface Found {
  readonly message: string;
  readonly safer?: string;
  readonly severity?: Severity;
}

/**
 * A framework rule: `tools` are the programs it looks at (as `invocationOf` names them); `find` reads the words.
 * Critical findings ask instead of blocking in a development workspace (resetting a local database is routine there)
 * and for the test environment, unless the command names production itself.
 */
const frameworkRule = (id: string, severity: Severity, description: string, programs: readonly string[], tools: readonly string[], find: (args: readonly string[], tool: string) => Found | undefined): Rule =>
  defineRule({
    meta: { id, severity, description },
    programs: [...programs, ...RUNNERS],
    check(command: SimpleCommand, context: RuleContext): Report | undefined {
      const invocation = invocationOf(command);
      if (!invocation || !tools.includes(invocation.tool) || isHelp(invocation.args)) return undefined;
      const found = find(invocation.args, invocation.tool);
      if (!found) return undefined;
      const base = found.severity ?? severity;
      const environment = namedEnvironment(command, invocation.args);
      const production = environment !== undefined && /^prod(uction)?$/.test(environment);
      // The test database is recreated by every test run; resetting it asks instead of blocking.
      const disposable = environment === 'test' || environment === 'testing';
      return {
        message: production ? `${found.message} The command names the production environment.` : found.message,
        severity: production ? base : disposable && base === 'critical' ? 'high' : tierSeverity(base, context),
        ...(found.safer ? { safer: found.safer } : {}),
      };
    },
  });

const PYTHON_PROGRAMS = ['python', 'python2', 'python3', 'pypy', 'pypy3', ...Array.from({ length: 10 }, (_, i) => `python3.${i + 6}`), 'manage.py', 'django-admin'];
const PHP_PROGRAMS = ['php', ...Array.from({ length: 5 }, (_, i) => `php8.${i}`), 'php7.4', 'artisan'];

const RAILS_TASKS: Readonly<Record<string, string>> = {
  'db:drop': 'drops the database',
  'db:drop:all': 'drops every database in config/database.yml',
  'db:reset': 'drops the database and recreates it from the schema',
  'db:purge': 'empties the database',
  'db:purge:all': 'empties every database in config/database.yml',
  'db:schema:load': 'recreates every table from the schema, dropping the data in them',
  'db:structure:load': 'recreates every table from structure.sql, dropping the data in them',
  'db:truncate_all': 'empties every table',
  'db:migrate:reset': 'drops the database and runs every migration again',
  'db:seed:replant': 'empties every table before seeding',
  'db:setup': 'creates the database and loads the schema over it',
};

export const frameworkRules: readonly Rule[] = [
  frameworkRule('framework.rails-db-reset', 'critical', 'rails/rake db:drop, db:reset, db:purge, db:schema:load, db:truncate_all and similar drop or empty the database.',
    ['rails', 'rake', 'bundle'], ['rails', 'rake'], (args) => {
      const task = lower(args).map((a) => a.replace(/\[.*$/, '')).find((a) => RAILS_TASKS[a] !== undefined);
      if (!task) return undefined;
      return { message: `${task} ${RAILS_TASKS[task]}: every row in it is lost.`, safer: '`rails db:migrate` to apply pending migrations, and a dump of the database before any reset.' };
    }),
  frameworkRule('framework.prisma-reset', 'critical', 'prisma migrate reset / db push --force-reset drop the database; db push --accept-data-loss drops columns and tables.',
    ['prisma'], ['prisma'], (args) => {
      const words = lower(args);
      const sub = positionals(words).slice(0, 2).join(' ');
      if (sub === 'migrate reset') return { message: 'prisma migrate reset drops the database, recreates it and reapplies every migration: all data is lost.', safer: '`prisma migrate dev` (or `prisma migrate deploy`) to apply migrations without a reset.' };
      if (sub === 'db push' && words.includes('--force-reset')) return { message: 'prisma db push --force-reset drops the database and recreates it from the schema: all data is lost.', safer: '`prisma db push` without --force-reset, or `prisma migrate dev`.' };
      if (sub === 'db push' && words.includes('--accept-data-loss')) return { message: 'prisma db push --accept-data-loss applies the schema even where that drops columns or tables with data in them.', severity: 'high', safer: '`prisma db push` without it, to see the warnings, or a migration with `prisma migrate dev`.' };
      return undefined;
    }),
  frameworkRule('framework.django-flush', 'critical', 'manage.py flush / reset_db empty or drop the database; migrate <app> zero unapplies every migration.',
    [...PYTHON_PROGRAMS], ['manage.py', 'django-admin'], (args) => {
      const [sub, ...rest] = positionals(lower(args), new Set(['--database', '--settings', '--pythonpath', '-v', '--verbosity']));
      if (sub === 'flush') return { message: 'manage.py flush deletes every row of every table in the database.', safer: '`manage.py sqlflush` prints the statements without running them; `manage.py dumpdata > backup.json` first.' };
      if (sub === 'reset_db' || sub === 'reset_schema') return { message: `manage.py ${sub} drops and recreates the database: all data is lost.`, safer: '`manage.py dumpdata > backup.json` first, and run it yourself.' };
      if (sub === 'migrate' && rest[1] === 'zero') return { message: `manage.py migrate ${rest[0] ?? ''} zero unapplies every migration of that app, dropping its tables.`, severity: 'high', safer: '`manage.py showmigrations` and `manage.py sqlmigrate` to see what would run.' };
      return undefined;
    }),
  frameworkRule('framework.laravel-db-wipe', 'critical', 'artisan migrate:fresh / migrate:reset / migrate:refresh / db:wipe drop every table.',
    [...PHP_PROGRAMS], ['artisan'], (args) => {
      const sub = positionals(lower(args))[0];
      const what: Readonly<Record<string, string>> = {
        'migrate:fresh': 'drops every table and runs all migrations again',
        'migrate:reset': 'rolls back every migration, dropping the tables',
        'migrate:refresh': 'rolls back every migration and runs them again, dropping the data',
        'db:wipe': 'drops every table, view and type',
      };
      if (sub !== undefined && what[sub]) return { message: `artisan ${sub} ${what[sub]}: all data is lost.`, safer: '`php artisan migrate` to apply pending migrations, or `migrate:status` to look.' };
      if (sub === 'migrate:rollback') return { message: 'artisan migrate:rollback undoes the last batch of migrations, which may drop tables with data.', severity: 'medium', safer: '`php artisan migrate:rollback --pretend` shows the SQL first.' };
      return undefined;
    }),
  frameworkRule('framework.doctrine-drop', 'critical', 'bin/console doctrine:database:drop / doctrine:schema:drop --force drop the database; doctrine:fixtures:load purges it.',
    [...PHP_PROGRAMS, 'console'], ['console'], (args) => {
      const words = lower(args);
      const sub = positionals(words)[0];
      if ((sub === 'doctrine:database:drop' || sub === 'doctrine:schema:drop') && (words.includes('--force') || words.includes('-f'))) return { message: `${sub} --force drops the ${sub.includes('database') ? 'database' : 'schema'}: all data is lost.`, safer: `\`${sub}\` without --force (or with --dump-sql) shows what it would do.` };
      if (sub === 'doctrine:fixtures:load' && !words.includes('--append')) return { message: 'doctrine:fixtures:load empties the database before loading the fixtures.', severity: 'high', safer: '`doctrine:fixtures:load --append` keeps existing rows.' };
      return undefined;
    }),
  frameworkRule('framework.sequelize-db-drop', 'critical', 'sequelize db:drop drops the database; db:migrate:undo:all undoes every migration.',
    ['sequelize', 'sequelize-cli'], ['sequelize', 'sequelize-cli'], (args) => {
      const sub = positionals(lower(args))[0];
      if (sub === 'db:drop') return { message: 'sequelize db:drop drops the database: all data is lost.', safer: '`sequelize db:migrate:status` to look, and a dump first.' };
      if (sub === 'db:migrate:undo:all') return { message: 'sequelize db:migrate:undo:all undoes every migration, dropping the tables they created.', safer: '`sequelize db:migrate:undo` undoes only the last one.' };
      if (sub === 'db:seed:undo:all') return { message: 'sequelize db:seed:undo:all deletes every seeded row.', severity: 'high', safer: '`sequelize db:seed:undo --seed <name>` for one seeder.' };
      return undefined;
    }),
  frameworkRule('framework.knex-rollback-all', 'critical', 'knex migrate:rollback --all undoes every migration.',
    ['knex'], ['knex'], (args) => {
      const words = lower(args);
      if (positionals(words)[0] === 'migrate:rollback' && words.includes('--all')) return { message: 'knex migrate:rollback --all undoes every migration, dropping the tables they created.', safer: '`knex migrate:rollback` undoes only the last batch; `knex migrate:status` to look.' };
      return undefined;
    }),
  frameworkRule('framework.typeorm-schema-drop', 'critical', 'typeorm schema:drop drops every table of the connection.',
    ['typeorm', 'typeorm-ts-node-commonjs', 'typeorm-ts-node-esm'], ['typeorm', 'typeorm-ts-node-commonjs', 'typeorm-ts-node-esm'], (args) => {
      const words = lower(args);
      const sub = positionals(words, new Set(['-d', '--dataSource', '--datasource']))[0];
      if (sub === 'schema:drop') return { message: 'typeorm schema:drop drops every table in the database: all data is lost.', safer: '`typeorm schema:log` shows what a sync would change.' };
      return undefined;
    }),
  frameworkRule('framework.drizzle-destructive', 'medium', 'drizzle-kit drop deletes a generated migration; drizzle-kit push --force applies data-loss statements without asking.',
    ['drizzle-kit'], ['drizzle-kit'], (args) => {
      const words = lower(args);
      const sub = positionals(words)[0];
      if (sub === 'drop') return { message: 'drizzle-kit drop deletes a generated migration from the migrations folder (and its journal entry).', safer: '`drizzle-kit check` to look at the migrations first.' };
      if (sub === 'push' && (words.includes('--force') || words.includes('-f'))) return { message: 'drizzle-kit push --force applies statements that drop columns or tables with data, without asking.', severity: 'high', safer: '`drizzle-kit push` without --force, which asks about data loss.' };
      return undefined;
    }),
  frameworkRule('framework.ecto-drop', 'critical', 'mix ecto.drop / ecto.reset drop the database; ecto.rollback --all undoes every migration.',
    ['mix'], ['mix'], (args) => {
      const words = lower(args);
      const task = words.find((w) => w.startsWith('ecto.'));
      if (task === 'ecto.drop' || task === 'ecto.reset') return { message: `mix ${task} drops the database${task === 'ecto.reset' ? ' and recreates it' : ''}: all data is lost.`, safer: '`mix ecto.migrate` to apply pending migrations.' };
      if (task === 'ecto.rollback' && words.includes('--all')) return { message: 'mix ecto.rollback --all undoes every migration, dropping the tables.', severity: 'high', safer: '`mix ecto.rollback` undoes only the last one.' };
      return undefined;
    }),
  frameworkRule('framework.alembic-downgrade', 'critical', 'alembic downgrade base undoes every migration; other downgrades undo some.',
    ['alembic'], ['alembic'], (args) => {
      const words = lower(args);
      const rest = positionals(words, new Set(['-c', '--config', '-n', '--name', '-x']));
      if (rest[0] !== 'downgrade' || words.includes('--sql')) return undefined;
      if (rest[1] === 'base') return { message: 'alembic downgrade base undoes every migration, dropping the tables and columns they created.', safer: '`alembic downgrade base --sql` prints the SQL without running it.' };
      return { message: `alembic downgrade ${rest[1] ?? ''} undoes migrations, which may drop tables or columns with data.`, severity: 'medium', safer: 'add `--sql` to see the statements first.' };
    }),
  frameworkRule('framework.flyway-clean', 'critical', 'flyway clean drops every object in the configured schemas.',
    ['flyway', 'mvn', 'mvnw', 'gradle', 'gradlew'], ['flyway', 'mvn', 'mvnw', 'gradle', 'gradlew'], (args, tool) => {
      const words = lower(args);
      // `mvn clean` / `gradle clean` delete build output only; there the task is `flyway:clean` / `flywayClean`.
      const clean = tool === 'flyway' ? positionals(words)[0] === 'clean' : words.some((w) => w === 'flyway:clean' || w === 'flywayclean');
      if (!clean) return undefined;
      return { message: 'flyway clean drops every table, view and procedure in the configured schemas: all data is lost.', safer: '`flyway info` to look, and `flyway migrate` to apply migrations.' };
    }),
  frameworkRule('framework.liquibase-drop-all', 'critical', 'liquibase dropAll drops every object in the database schema.',
    ['liquibase', 'mvn', 'mvnw'], ['liquibase', 'mvn', 'mvnw'], (args) => {
      const words = lower(args);
      if (words.some((w) => w === 'dropall' || w === 'drop-all' || w === 'liquibase:dropall')) return { message: 'liquibase dropAll drops every table, view and sequence in the schema: all data is lost.', safer: '`liquibase status` to look, and `liquibase update-sql` to preview changes.' };
      return undefined;
    }),
  frameworkRule('framework.ef-database-drop', 'critical', 'dotnet ef database drop deletes the database.',
    ['dotnet', 'dotnet-ef'], ['dotnet-ef'], (args) => {
      const words = lower(args);
      if (words[0] === 'database' && words[1] === 'drop') return { message: 'dotnet ef database drop deletes the database: all data is lost.', safer: '`dotnet ef database drop --dry-run` shows which database it would drop.' };
      if (words[0] === 'database' && words[1] === 'update' && words[2] === '0') return { message: 'dotnet ef database update 0 reverts every migration, dropping the tables.', severity: 'high', safer: '`dotnet ef migrations script` shows the SQL first.' };
      return undefined;
    }),
];


// Table-driven tests of the SQL pack: statements sent through database clients, database-dropping tools, bare SQL.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeSql, splitSqlStatements } from '../../../src/rules/sql-statements.js';
import { ruleTester } from '../helpers/rule-tester.js';

describe('sql-statements', () => {
  it('splits on ; outside quotes and drops comments', () => {
    assert.deepEqual(splitSqlStatements("SELECT ';'; -- DROP TABLE x\nDELETE FROM t WHERE a = 'x;y'; /* ; */ SELECT $$;$$"), ["SELECT ';'", "DELETE FROM t WHERE a = 'x;y'", 'SELECT $$;$$']);
  });
  it('classifies destructive statements', () => {
    const kinds = (sql: string) => analyzeSql(sql).map((r) => r.kind);
    assert.deepEqual(kinds('DROP DATABASE IF EXISTS shop'), ['drop-database']);
    assert.deepEqual(kinds('drop table "Public"."Users"'), ['drop-table']);
    assert.deepEqual(kinds('DROP INDEX idx'), ['drop-object']);
    assert.deepEqual(kinds('TRUNCATE orders, payments'), ['truncate']);
    assert.deepEqual(kinds('DELETE FROM users'), ['delete-all']);
    assert.deepEqual(kinds('DELETE FROM users WHERE 1 = 1'), ['delete-all']);
    assert.deepEqual(kinds('DELETE FROM users WHERE id = 1'), []);
    assert.deepEqual(kinds("UPDATE users SET note = 'where'"), ['update-all']);
    assert.deepEqual(kinds('UPDATE users SET a = 1 WHERE id = 2'), []);
    assert.deepEqual(kinds('ALTER TABLE users DROP COLUMN email'), ['alter-drop']);
    assert.deepEqual(kinds('ALTER TABLE users ADD COLUMN email text'), []);
    assert.deepEqual(kinds("GRANT ALL ON *.* TO 'u'@'h'"), ['grant-all']);
    assert.deepEqual(kinds("GRANT ALL ON mydb.* TO 'u'@'h'"), []);
    assert.deepEqual(kinds("INSERT INTO notes VALUES ('DROP TABLE x'); SELECT 1"), []);
    assert.equal(analyzeSql('DROP TABLE `orders`')[0]?.resource, 'orders');
  });
  it('stays fast on a long unterminated quote', () => {
    const started = Date.now();
    analyzeSql(`DELETE FROM t WHERE a = '${'\\x'.repeat(30000)}`);
    assert.ok(Date.now() - started < 500);
  });
});

ruleTester('sql: clients', {
  valid: [
    "psql -h staging-db.internal -U app -c 'select count(*) from orders'",
    "psql -c 'DELETE FROM users WHERE id = 1'",
    "psql -c \"INSERT INTO notes VALUES ('DROP TABLE x')\"",
    'psql -f migrate.sql',
    'pg_dump production > backup.sql',
    "mysql -e 'SHOW DATABASES'",
    "mysql -e \"GRANT SELECT ON shop.* TO 'x'@'%'\"",
    "sqlite3 app.db 'DELETE FROM users WHERE id = 4'",
    'sqlite3 app.db .tables',
    "duckdb data.duckdb 'SELECT count(*) FROM t'",
    "clickhouse client -q 'SELECT 1'",
    "echo 'DROP TABLE users;'",
    "grep -rn 'DROP TABLE' migrations/",
    "git commit -m 'drop unused orders table from seed'",
  ],
  invalid: [
    { cmd: 'psql "$DATABASE_URL" -c \'DROP SCHEMA public CASCADE\'', rule: 'sql.drop-database', decision: 'block' },
    { cmd: 'psql -c "DROP DATABASE shop"', rule: 'sql.drop-database', decision: 'confirm', tier: 'development' },
    { cmd: "psql -c 'SELECT 1; DROP TABLE users'", rule: 'sql.drop-table', decision: 'block' },
    { cmd: "psql -d shop <<'SQL'\nTRUNCATE orders, payments;\nSQL", rule: 'sql.truncate', decision: 'block' },
    { cmd: "psql -f - <<'SQL'\nDROP TABLE orders;\nSQL", rule: 'sql.drop-table' },
    { cmd: "echo 'DROP TABLE x' | psql", rule: 'sql.drop-table' },
    { cmd: "psql <<< 'truncate table sessions'", rule: 'sql.truncate' },
    { cmd: 'psql -c "DELETE FROM audit_log;"', rule: 'sql.delete-all' },
    { cmd: "psql -c 'UPDATE users SET admin = true'", rule: 'sql.update-all', decision: 'confirm' },
    { cmd: "psql -c 'ALTER TABLE users DROP COLUMN email'", rule: 'sql.alter-drop' },
    { cmd: "psql -c 'DROP INDEX idx_users'", rule: 'sql.drop-object', decision: 'confirm' },
    { cmd: "mysql -u root -pSecret -e 'DROP DATABASE shop'", rule: 'sql.drop-database' },
    { cmd: "mysql -e \"GRANT ALL PRIVILEGES ON *.* TO 'x'@'%'\"", rule: 'sql.grant-all' },
    { cmd: "mariadb shop <<< 'DELETE FROM orders'", rule: 'sql.delete-all' },
    { cmd: "sqlite3 app.db 'DELETE FROM users'", rule: 'sql.delete-all', decision: 'block' },
    { cmd: "cqlsh -e 'DROP KEYSPACE shop'", rule: 'sql.drop-database' },
    { cmd: "clickhouse-client --query 'TRUNCATE TABLE events'", rule: 'sql.truncate' },
    { cmd: "sqlcmd -S srv -Q 'DROP DATABASE shop'", rule: 'sql.drop-database' },
    { cmd: "duckdb data.duckdb 'DELETE FROM t'", rule: 'sql.delete-all' },
    { cmd: "usql pg://x -c 'drop table t'", rule: 'sql.drop-table' },
    { cmd: "sudo -u postgres psql -c 'DROP DATABASE shop'", rule: 'sql.drop-database' },
    { cmd: "bash -c \"psql -c 'TRUNCATE orders'\"", rule: 'sql.truncate' },
    { cmd: "env PGHOST=db psql -c 'DELETE FROM users'", rule: 'sql.delete-all' },
  ],
});

ruleTester('sql: tools and bare statements', {
  valid: [
    'dropdb --help',
    'mysqladmin status',
    'pg_restore -c dump.file',
    'pg_restore -d shop dump.file',
    'pg_restore --list dump.file',
    'DELETE FROM users WHERE id = 1;',
    'SELECT * FROM users;',
    'SHOW DATABASES;',
    'EXPLAIN SELECT * FROM users;',
    "GRANT ALL ON mydb.* TO 'user'@'host';",
  ],
  invalid: [
    { cmd: 'dropdb production', rule: 'sql.drop-database', decision: 'block' },
    { cmd: 'sudo -u postgres dropdb shop', rule: 'sql.drop-database' },
    { cmd: 'mysqladmin -u root drop testdb', rule: 'sql.drop-database' },
    { cmd: 'mysqladmin --force drop mydb', rule: 'sql.drop-database' },
    { cmd: 'DROP DATABASE mydb;', rule: 'sql.drop-database' },
    { cmd: 'drop database mydb', rule: 'sql.drop-database' },
    { cmd: 'DROP TABLE users;', rule: 'sql.drop-table' },
    { cmd: 'truncate table orders', rule: 'sql.truncate' },
    { cmd: 'DELETE FROM `users`;', rule: 'sql.delete-all' },
    { cmd: 'DELETE FROM "Public"."Users";', rule: 'sql.delete-all' },
    { cmd: 'UPDATE users SET admin = 1;', rule: 'sql.update-all' },
    { cmd: "GRANT ALL ON *.* TO 'user'@'host';", rule: 'sql.grant-all' },
    { cmd: 'ALTER TABLE users DROP COLUMN email;', rule: 'sql.alter-drop' },
    { cmd: 'drop view v;', rule: 'sql.drop-object' },
    { cmd: 'pg_restore -c -d shop dump.file', rule: 'sql.restore-clean', decision: 'confirm' },
    { cmd: 'pg_restore --clean --create -d postgres dump.file', rule: 'sql.restore-clean', decision: 'block' },
    { cmd: 'mongorestore --drop dump/', rule: 'sql.restore-clean' },
    { cmd: "bash -c 'pg_restore -c -d shop dump.file'", rule: 'sql.restore-clean' },
  ],
});

ruleTester('sql: MongoDB and Redis', {
  valid: [
    "mongosh --eval 'db.users.find()'",
    "mongosh --eval 'db.users.deleteMany({ active: false })'",
    "mongosh --eval 'db.users.countDocuments({})'",
    'redis-cli GET flushall',
    'redis-cli del sess:1',
    'redis-cli CONFIG GET dir',
    'redis-cli --scan --pattern "sess:*"',
    "echo 'redis-cli FLUSHALL'",
  ],
  invalid: [
    { cmd: "mongosh shop --eval 'db.orders.drop()'", rule: 'sql.mongo-drop', decision: 'block' },
    { cmd: "mongosh --eval 'db.dropDatabase()'", rule: 'sql.mongo-drop' },
    { cmd: "mongo --eval 'db.getCollection(\"users\").drop()'", rule: 'sql.mongo-drop' },
    { cmd: "mongosh --eval 'db.dropAllUsers()'", rule: 'sql.mongo-drop', decision: 'confirm' },
    { cmd: "mongosh shop <<'JS'\ndb.sessions.drop()\nJS", rule: 'sql.mongo-drop' },
    { cmd: "mongosh --eval 'db.users.deleteMany({})'", rule: 'sql.mongo-delete-all', decision: 'block' },
    { cmd: "mongosh --eval 'db.users.remove({})'", rule: 'sql.mongo-delete-all' },
    { cmd: "mongosh --eval 'db.users.updateMany({}, {$set: {admin: true}})'", rule: 'sql.mongo-update-all' },
    { cmd: "sudo mongosh --eval 'db.users.deleteMany({})'", rule: 'sql.mongo-delete-all' },
    { cmd: 'redis-cli FLUSHALL', rule: 'sql.redis-flush', decision: 'block' },
    { cmd: 'redis-cli -h cache.internal -n 2 flushdb async', rule: 'sql.redis-flush' },
    { cmd: 'echo FLUSHALL | redis-cli', rule: 'sql.redis-flush' },
    { cmd: "redis-cli EVAL \"return redis.call('FLUSHALL')\" 0", rule: 'sql.redis-flush' },
    { cmd: "bash -c 'redis-cli flushall'", rule: 'sql.redis-flush' },
    { cmd: 'redis-cli CONFIG SET dir /tmp', rule: 'sql.redis-admin' },
    { cmd: 'redis-cli -p 6380 SHUTDOWN NOSAVE', rule: 'sql.redis-admin' },
    { cmd: 'sudo redis-cli config set appendonly no', rule: 'sql.redis-admin' },
    { cmd: "redis-cli --scan --pattern 'sess:*' | xargs redis-cli del", rule: 'sql.redis-delete-many' },
    { cmd: "redis-cli EVAL \"for _,k in ipairs(redis.call('keys','sess:*')) do redis.call('del',k) end\" 0", rule: 'sql.redis-delete-many' },
  ],
});

// Statement kinds in SQL given to database clients: comments and literals never count.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from '../../../lib/commands/argv.js';
import { sqlKinds, words } from '../../../lib/commands/sql.js';
import { tempDirs } from '../../helpers/tmp.js';

const kinds = (client: string, args: string[], values: string[], input: { stdin?: string; stdinFile?: string; cwd?: string } = {}) =>
  [...sqlKinds(client, parseArgs(args, { values }, []), { cwd: '/', ...input })].sort();
const PSQL = ['-c', '--command', '-f', '--file', '-d'];

describe('sql statement kinds', () => {
  const rows: [string, string[]][] = [
    ['DROP TABLE users', ['drop-table']],
    ['drop table if exists "users" cascade', ['drop-table']],
    ['DROP TEMPORARY TABLE t', ['drop-table']],
    ['DROP DATABASE app', ['drop-database']],
    ['DROP SCHEMA public CASCADE', ['drop-schema']],
    ['TRUNCATE orders', ['truncate']],
    ['DELETE FROM users', ['delete-without-where']],
    ['delete from users where id = 1', []],
    ["DELETE FROM t WHERE note = 'x'; DELETE FROM u", ['delete-without-where']],
    ['WITH old AS (SELECT 1) DELETE FROM t', ['delete-without-where']],
    ['EXPLAIN DELETE FROM t', []],
    ["SELECT 'drop table x'", []],
    ['SELECT "drop table x" FROM t', []],
    ['-- drop table x\nSELECT 1', []],
    ['/* truncate t; */ SELECT 1', []],
    ["SELECT $$ drop table x $$", []],
    ["SELECT $tag$ ; drop table x; $tag$", []],
    ["SELECT 'it''s'; DROP TABLE x", ['drop-table']],
    ['CREATE TABLE drop_table (id int)', []],
    ['ALTER TABLE t DROP COLUMN c', []],
    // A WHERE that tests nothing of the rows is no filter; UPDATE without one rewrites every row.
    ['DELETE FROM t WHERE true', ['delete-without-where']],
    ['delete from t where 1 = 1', ['delete-without-where']],
    ['DELETE FROM t WHERE 1=1 RETURNING id', ['delete-without-where']],
    ['DELETE FROM t WHERE id = 1 RETURNING id', []],
    ['UPDATE users SET admin = true', ['update-without-where']],
    ['UPDATE users SET admin = true WHERE id = 7', []],
    ['WITH x AS (SELECT 1) UPDATE t SET a = 1', ['update-without-where']],
    // Code run at once: a DO block's body and a prepared statement's text.
    ['DO $$ BEGIN EXECUTE $q$DROP TABLE t$q$; END $$', ['drop-table']],
    ["DO $$BEGIN EXECUTE 'TRUNCATE t'; END$$", ['truncate']],
    ['DO $$ BEGIN DELETE FROM t; END $$', ['delete-without-where']],
    ["DO $$ BEGIN RAISE NOTICE 'hi'; UPDATE t SET a = 1 WHERE id = 2; END $$", []],
  ];
  for (const [sql, expected] of rows) it(JSON.stringify(sql), () => assert.deepEqual(kinds('psql', ['-c', sql], PSQL), expected));

  it('reads heredoc/here-string stdin only when no statement is on the command line', () => {
    assert.deepEqual(kinds('psql', [], PSQL, { stdin: 'DROP TABLE t;' }), ['drop-table']);
    assert.deepEqual(kinds('psql', ['-c', 'select 1'], PSQL, { stdin: 'DROP TABLE t;' }), []);
  });

  it('reads a file that exists (-f, < file), bounded; a missing one is nothing', () => {
    const dir = tempDirs()();
    fs.writeFileSync(path.join(dir, 'm.sql'), 'BEGIN;\nTRUNCATE audit;\nCOMMIT;\n');
    assert.deepEqual(kinds('psql', ['-f', 'm.sql'], PSQL, { cwd: dir }), ['truncate']);
    assert.deepEqual(kinds('psql', [], PSQL, { stdinFile: 'm.sql', cwd: dir }), ['truncate']);
    assert.deepEqual(kinds('psql', ['-f', 'missing.sql'], PSQL, { cwd: dir }), []);
  });

  it('client commands that run a file (\\i, source, .read) read it, one level deep', () => {
    const dir = tempDirs()();
    fs.writeFileSync(path.join(dir, 'drop.sql'), 'DROP TABLE users;\n');
    fs.writeFileSync(path.join(dir, 'outer.sql'), '\\i drop.sql\n');
    assert.deepEqual(kinds('psql', ['-c', '\\i drop.sql'], PSQL, { cwd: dir }), ['drop-table']);
    assert.deepEqual(kinds('psql', ['-f', 'outer.sql'], PSQL, { cwd: dir }), ['drop-table']);
    assert.deepEqual(kinds('mysql', ['-e', 'source drop.sql'], ['-e'], { cwd: dir }), ['drop-table']);
    assert.deepEqual(kinds('mysql', ['-e', "PREPARE s FROM 'DROP TABLE t'; EXECUTE s"], ['-e'], { cwd: dir }), ['drop-table']);
    assert.deepEqual(kinds('sqlite3', ['app.db', '.read drop.sql'], [], { cwd: dir }), ['drop-table']);
    assert.deepEqual(kinds('psql', ['-c', '\\i missing.sql'], PSQL, { cwd: dir }), []);
  });

  it('mysql backslash escapes, mongosh and redis', () => {
    assert.deepEqual(kinds('mysql', ['-e', "SELECT 'a\\'; drop table x'"], ['-e']), []);
    assert.deepEqual(kinds('mongosh', ['--eval', 'db.getCollection("x").drop()'], ['--eval']), ['drop-table']);
    assert.deepEqual(kinds('mongosh', ['--eval', 'db.x.find({}) // db.dropDatabase()'], ['--eval']), []);
    assert.deepEqual(kinds('redis-cli', ['-n', '2', 'FLUSHDB', 'ASYNC'], ['-n']), ['flush']);
    assert.deepEqual(kinds('redis-cli', ['SET', 'k', 'flushall'], []), []);
    assert.deepEqual(kinds('mongosh', ['--eval', 'db.u.updateMany({}, {$set: {a: 1}})'], ['--eval']), ['update-without-where']);
    assert.deepEqual(kinds('mongosh', ['--eval', 'db.u.updateMany({a: 1}, {$set: {a: 2}})'], ['--eval']), []);
  });

  it('words skip literals and comments', () => {
    assert.deepEqual(words("drop /* x */ table 'y' -- z\n t"), ['DROP', 'TABLE', 'T']);
  });
});

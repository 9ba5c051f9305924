// The team store's pure parts: the one parser of clickhouse:// addresses, the store-side chain
// check (gaps, forks, restarts, modified rows) and the witness comparison (lost, rewritten and
// unshipped records), on real chains built with the file sink's own sealing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sealRecord } from '../../sinks/chain.js';
import { parseSource } from '../../cli/team/source.js';
import { checkStoredChains } from '../../cli/team/chains.js';
import { compareWriter, type LocalLink } from '../../cli/team/witness.js';
import type { StoredLink } from '../../cli/team/store.js';
import { whereOf } from '../../cli/team/store.js';
import type { AuditRecord } from '../../lib/types.js';
import { makeRecords } from '../sinks/helpers/records.js';

test('clickhouse:// addresses: user, password, port, database, table; everything else refused with the expected form', () => {
  assert.deepEqual(parseSource('clickhouse://ops:p%40ss@db.internal:8123/audit?table=trail', {}), {
    kind: 'clickhouse', url: 'http://db.internal:8123', database: 'audit', table: 'trail', user: 'ops', password: 'p@ss', passwordFrom: 'url', timeoutMs: 15000,
  });
  const env = parseSource('clickhouse://127.0.0.1:8123/hookwarden', { HOOKWARDEN_CLICKHOUSE_PASSWORD: 'x' });
  assert.equal(env.user, 'default');
  assert.equal(env.table, 'audit');
  assert.equal(env.password, 'x');
  assert.equal(env.passwordFrom, 'env');
  assert.equal(parseSource('clickhouse://h:8443/d?secure=1', {}).url, 'https://h:8443');
  for (const bad of [
    'http://h:8123/d', 'clickhouse://h/d', 'clickhouse://h:8123/', 'clickhouse://h:8123/d;DROP', 'clickhouse://h:8123/d?table=a.b',
    'clickhouse://h:8123/d?tabel=x', 'clickhouse://h:8123/d%20x', 'not a url',
  ]) {
    assert.throws(() => parseSource(bad, {}), /--source: .*; expected clickhouse:\/\/\[USER\[:PASSWORD\]@\]HOST:PORT\/DATABASE\[\?table=T\]/, bad);
  }
});

test('filters become SQL with every value quoted: no input escapes its string literal', () => {
  assert.equal(whereOf({}), '');
  assert.equal(whereOf({ user: 'alice', decision: 'deny' }), " WHERE `decision` = 'deny' AND `user` = 'alice'");
  assert.equal(whereOf({ tool: 'mcp__fs__*' }), " WHERE tool != '' AND substring(tool, 1, 8) = 'mcp__fs__'".replace('8', '9'));
  fc.assert(fc.property(fc.string(), (v) => {
    const sql = whereOf({ user: v });
    // Unescaped, the literal must read back as exactly v.
    const lit = /^ WHERE `user` = '((?:[^'\\]|\\.)*)'$/.exec(sql);
    assert.ok(lit, sql);
    assert.equal(lit[1]!.replace(/\\(.)/g, '$1'), v);
  }));
});

/** A chain as the file sink seals it. */
function chain(n: number, over: Partial<AuditRecord> = {}, idPrefix = '', t0 = 1_000): AuditRecord[] {
  let prev: string | null = null;
  return makeRecords(n, over).map((r, i) => {
    const s = sealRecord({ ...r, id: `${idPrefix}${String(i).padStart(4, '0')}-${r.user}`, time: t0 + i }, prev);
    prev = s.hash!;
    return s;
  });
}
const stored = (recs: AuditRecord[]): StoredLink[] => recs.map((r) => ({
  id: r.id, host: r.host, user: r.user, prev: r.prev ?? '', hash: r.hash!, ts_ms: r.time!, record: JSON.stringify(r),
}));
const local = (recs: AuditRecord[], file = '/f/audit.jsonl'): LocalLink[] => recs.map((r, i) => ({
  id: r.id, host: r.host, user: r.user, prev: r.prev ?? '', hash: r.hash!, ts_ms: r.time!, file, line: i + 1,
}));

test('store chains: an intact chain (and one whose shipping began mid-way) passes; gaps, forks, restarts and edits are named', () => {
  const c = chain(30);
  assert.deepEqual(checkStoredChains(stored(c)).findings, []);
  assert.deepEqual(checkStoredChains(stored(c.slice(10))).findings, [], 'the first shipped record may follow unshipped ones');
  const gap = checkStoredChains(stored([...c.slice(0, 10), ...c.slice(12)])).findings;
  assert.deepEqual(gap.map((f) => [f.id, f.problem.split(':')[0]]), [[c[12]!.id, 'gap']]);
  const fork = sealRecord({ ...c[20]!, id: 'fork', decision: 'allow' }, c[19]!.hash!);
  assert.match(checkStoredChains(stored([...c, fork])).findings[0]!.problem, /^fork: 2 records follow the same record/);
  const restart = chain(3, {}, 'again-', 99_999);
  assert.match(checkStoredChains(stored([...c, ...restart])).findings[0]!.problem, /chain starts again here/);
  const edited = stored(c);
  edited[6] = { ...edited[6]!, record: edited[6]!.record!.replace('"decision":"deny"', '"decision":"allow"') };
  assert.deepEqual(checkStoredChains(edited).findings.map((f) => f.problem), ['record modified in the store (its text does not match its hash)']);
});

test('witness: agree; lost tail and deleted middle at the line they belong; rewritten records; unshipped ones with since when', () => {
  const c = chain(40);
  const who = { host: c[0]!.host, user: c[0]!.user };
  assert.deepEqual(compareWriter(local(c), stored(c), who, '/f/audit.jsonl'), []);
  const cut = compareWriter(local(c.slice(0, 35)), stored(c), who, '/f/audit.jsonl');
  assert.deepEqual(cut.map((f) => [f.kind, f.file, f.line, 'count' in f ? f.count : 0]), [['lost', '/f/audit.jsonl', 36, 5]]);
  const hole = compareWriter(local([...c.slice(0, 10), ...c.slice(20)]), stored(c), who, '/f/audit.jsonl');
  assert.deepEqual(hole.map((f) => [f.kind, f.line, 'count' in f ? f.count : 0]), [['lost', 11, 10]]);
  const gone = compareWriter([], stored(c), who, '/f/audit.jsonl');
  assert.deepEqual(gone.map((f) => [f.kind, f.file, f.line]), [['lost', '/f/audit.jsonl', 1]]);
  // Rechained from record 25 on: every later record differs, the first at line 26.
  const re = [...c];
  let prev = re[24]!.hash!;
  for (let i = 25; i < re.length; i++) {
    re[i] = sealRecord(i === 25 ? { ...re[i]!, decision: 'ask' } : re[i]!, prev);
    prev = re[i]!.hash!;
  }
  const differs = compareWriter(local(re), stored(c), who, '/f/audit.jsonl');
  assert.equal(differs.length, 15);
  assert.deepEqual(differs[0], { kind: 'differs', ...who, file: '/f/audit.jsonl', line: 26, id: c[25]!.id, localHash: re[25]!.hash, storeHash: c[25]!.hash });
  const unshipped = compareWriter(local(c), stored(c.slice(0, 32)), who, '/f/audit.jsonl');
  assert.deepEqual(unshipped.map((f) => [f.kind, f.line, 'count' in f ? f.count : 0]), [['unshipped', 33, 8]]);
});

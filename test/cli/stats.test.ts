// `hookwarden stats` through the built CLI over records written by the real file sink.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatsOutputSchema, type StatsOutput } from '../../cli/support/outputs.js';
import { sandbox } from '../helpers/hook.js';
import { series, writeAudit } from './support/audit-fixtures.js';
import { hw, json } from './run.js';

describe('stats', () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  const T0 = new Date('2026-11-24T10:00:00.000Z');
  before(async () => {
    // 12 records, decisions allow, deny, allow, ask repeating; tools Bash, apply_patch, Write repeating; rotated files.
    await writeAudit(sb.auditFile, series(12, T0), 4096);
  });
  const run = (args: string[]) => hw(['stats', ...args], { cwd: sb.project, env: sb.env });
  const doc = (args: string[]): StatsOutput => {
    const r = run(['--json', ...args]);
    assert.equal(r.status, 0, r.stderr);
    return StatsOutputSchema.parse(json(r));
  };

  it('--by decision is the default', () => {
    assert.deepEqual(doc([]), {
      by: 'decision', total: 12,
      groups: [
        { key: 'allow', count: 6, deny: 0, allow: 6, ask: 0 },
        { key: 'ask', count: 3, deny: 0, allow: 0, ask: 3 },
        { key: 'deny', count: 3, deny: 3, allow: 0, ask: 0 },
      ],
    });
  });
  it('--by tool and rule, with --since', () => {
    assert.deepEqual(doc(['--by', 'tool']).groups.map((g) => [g.key, g.count, g.deny, g.allow, g.ask]), [
      ['Bash', 4, 1, 2, 1], ['Write', 4, 1, 2, 1], ['apply_patch', 4, 1, 2, 1],
    ]);
    const since = new Date(T0.getTime() + 8 * 60_000).toISOString();
    assert.deepEqual(doc(['--by', 'rule', '--since', since]), {
      by: 'rule', total: 4, groups: [{ key: 'secrets', count: 2, deny: 1, allow: 0, ask: 1 }, { key: null, count: 2, deny: 0, allow: 2, ask: 0 }],
    });
  });
  it('a human table: aligned, numbers right-aligned, no colour off a terminal', () => {
    const r = run(['--by', 'session']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, [
      'SESSION  COUNT  DENY  ALLOW  ASK',
      'sess-1      12     3      6    3',
      'total       12     3      6    3',
      '',
    ].join('\n'));
  });
  it('an unknown --by: exit 2; --help has examples and exit codes', () => {
    const r = run(['--by', 'colour']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Allowed choices are decision, rule, tool, session, event, agent/);
    const h = run(['--help']);
    assert.match(h.stdout, /Examples:\n {2}hookwarden stats\n/);
    assert.match(h.stdout, /Exit codes: 0 success/);
  });
});

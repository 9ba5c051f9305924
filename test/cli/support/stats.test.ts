import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { auditFileList } from '../../../cli/support/audit-query.js';
import { StatsOutputSchema } from '../../../cli/support/outputs.js';
import { auditStats, StatsCounter, type StatsBy } from '../../../cli/support/stats.js';
import { tempDirs } from '../../helpers/tmp.js';
import { makeRecord, writeAudit, type Spec } from './audit-fixtures.js';

const tmp = tempDirs('hw-stats-');
const at = (min: number) => new Date(Date.parse('2026-11-24T10:00:00Z') + min * 60_000);

// 7 records: 3 PreToolUse decisions in session a, 2 in session b (one claude), and 2 events that decide nothing.
const SPECS: Spec[] = [
  { at: at(0), decision: 'deny', rule: 'secrets', tool: 'Bash', session: 'a' },
  { at: at(1), decision: 'allow', tool: 'Bash', session: 'a' },
  { at: at(2), decision: 'ask', rule: 'vcs', tool: 'apply_patch', session: 'a' },
  { at: at(3), decision: 'deny', rule: 'secrets', tool: 'Write', session: 'b', agent: 'claude' },
  { at: at(4), decision: 'deny', rule: 'vcs', tool: 'Bash', session: 'b' },
  { at: at(5), event: 'PostToolUse', tool: 'Bash', session: 'b' },
  { at: at(6), event: 'SessionStart', session: 'c' },
];

describe('stats groupings', async () => {
  const file = path.join(tmp(), 'audit.jsonl');
  await writeAudit(file, SPECS);
  const files = auditFileList(file);
  const table: [StatsBy, [string | null, number, number, number, number][]][] = [
    ['decision', [['deny', 3, 3, 0, 0], [null, 2, 0, 0, 0], ['allow', 1, 0, 1, 0], ['ask', 1, 0, 0, 1]]],
    ['rule', [[null, 3, 0, 1, 0], ['secrets', 2, 2, 0, 0], ['vcs', 2, 1, 0, 1]]],
    ['tool', [['Bash', 4, 2, 1, 0], ['Write', 1, 1, 0, 0], ['apply_patch', 1, 0, 0, 1], [null, 1, 0, 0, 0]]],
    ['session', [['a', 3, 1, 1, 1], ['b', 3, 2, 0, 0], ['c', 1, 0, 0, 0]]],
    ['event', [['PreToolUse', 5, 3, 1, 1], ['PostToolUse', 1, 0, 0, 0], ['SessionStart', 1, 0, 0, 0]]],
    ['agent', [['codex', 6, 2, 1, 1], ['claude', 1, 1, 0, 0]]],
  ];
  for (const [by, groups] of table) {
    it(`--by ${by}: largest group first, ties by key, records without the field as null (last among ties)`, () => {
      const r = auditStats(files, by, {});
      assert.equal(r.total, 7);
      assert.deepEqual(r.groups.map((g) => [g.key, g.count, g.deny, g.allow, g.ask]), groups);
      const { skipped, unreadable, ...doc } = r;
      assert.deepEqual([skipped, unreadable], [0, []]);
      StatsOutputSchema.parse(doc);
    });
  }
  it('filters first: --since and --session', () => {
    const r = auditStats(files, 'decision', { since: at(3).getTime(), session: 'b' });
    assert.equal(r.total, 3);
    assert.deepEqual(r.groups.map((g) => [g.key, g.count]), [['deny', 2], [null, 1]]);
  });
  it('no files: zero, no groups', () => {
    assert.deepEqual(auditStats(auditFileList(path.join(tmp(), 'none.jsonl')), 'rule', {}), { by: 'rule', total: 0, groups: [], skipped: 0, unreadable: [] });
  });
});

describe('StatsCounter', () => {
  it('counts each decision into its group', () => {
    const c = new StatsCounter('tool');
    for (const d of ['deny', 'deny', 'allow', 'ask'] as const) c.add(makeRecord({ at: at(0), decision: d, tool: 'T' }));
    assert.deepEqual(c.result(), { by: 'tool', total: 4, groups: [{ key: 'T', count: 4, deny: 2, allow: 1, ask: 1 }] });
  });
});

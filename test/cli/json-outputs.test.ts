// The --json documents of check, verify and ship (built CLI) against their schemas (cli/support/outputs.ts).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { CheckOutputSchema, ShipOutputSchema, VerifyOutputSchema } from '../../cli/support/outputs.js';
import { sandbox } from '../helpers/hook.js';
import { series, writeAudit } from './support/audit-fixtures.js';
import { hw, json } from './run.js';

describe('--json outputs match their schemas', () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  const run = (args: string[]) => hw(args, { cwd: sb.project, env: sb.env });

  it('check: a block, an allow, an unresolved target and a payload that cannot be judged', () => {
    const cases: [string[], number, string][] = [
      [['check', '--command', 'echo x > .env'], 1, 'deny'],
      [['check', '--command', 'echo x > src/a.ts'], 0, 'allow'],
      [['check', '--command', 'echo x > "$OUT"'], 0, 'allow'],
      [['check', '--payload', '-'], 1, 'deny'],
    ];
    for (const [args, status, decision] of cases) {
      const r = hw([...args, '--json'], { cwd: sb.project, env: sb.env, input: '{"not": "a payload"' });
      assert.equal(r.status, status, r.stderr);
      const out = CheckOutputSchema.parse(json(r));
      assert.equal(out.decision, decision);
    }
    const unresolved = CheckOutputSchema.parse(json(run(['check', '--command', 'echo x > "$OUT"', '--json'])));
    assert.equal(unresolved.targets[0]?.unresolved, true);
    // Readable: the unknown part reads <unresolved>, the word as written is kept; no NUL byte anywhere.
    assert.equal(unresolved.targets[0]?.path, `${fs.realpathSync(sb.project)}/<unresolved>`);
    assert.equal(unresolved.targets[0]?.literal, '"$OUT"');
    for (const args of [['check', '--command', 'echo x > $F', '--json'], ['check', '--command', 'echo x > $F']]) {
      const r = run(args);
      assert.ok(!r.stdout.includes('\u0000'), JSON.stringify(r.stdout));
    }
    assert.match(run(['check', '--command', 'echo x > $F']).stdout, /target: +write +\S+\/<unresolved> \(unresolved from "\$F"\)/);
    const broken = CheckOutputSchema.parse(json(hw(['check', '--payload', '-', '--json'], { cwd: sb.project, env: sb.env, input: '{' })));
    assert.equal(typeof broken.error, 'string');
  });

  it('check: how each target was found, and the commands it did not know', () => {
    const out = CheckOutputSchema.parse(json(run(['check', '--command', 'sort -o .env x; frobnicate .env src', '--json'])));
    assert.equal(out.decision, 'deny');
    assert.deepEqual(out.unknownCommands, ['frobnicate']);
    assert.ok(out.targets.some((t) => t.via === 'sort -o' && t.path.endsWith('/.env')));
    assert.ok(out.targets.some((t) => t.via === 'frobnicate (unknown command)' && t.unknownCommand === 'frobnicate' && t.path.endsWith('/src')));
    const text = run(['check', '--command', 'frobnicate .env']).stdout;
    assert.match(text, /^unknown: +frobnicate /m);
    assert.match(text, /reason: +blocked write to \.env by frobnicate, whose effect on it the guard does not know/);
    assert.match(text, /target: +write +\S+\/\.env +\[frobnicate \(unknown command\)\]/);
  });

  it('verify: intact, tampered and unreadable', async () => {
    const missing = VerifyOutputSchema.parse(json(run(['verify', '--json'])));
    assert.deepEqual(missing.unreadable, [sb.auditFile]);
    await writeAudit(sb.auditFile, series(3, new Date('2026-11-24T10:00:00Z')));
    const intact = run(['verify', '--json']);
    assert.equal(intact.status, 0);
    assert.deepEqual(VerifyOutputSchema.parse(json(intact)), { ok: true, records: 3, problems: [], unreadable: [] });
    fs.writeFileSync(sb.auditFile, fs.readFileSync(sb.auditFile, 'utf8').replace('"allow"', '"deny"'));
    const tampered = run(['verify', '--json']);
    assert.equal(tampered.status, 1);
    assert.deepEqual(VerifyOutputSchema.parse(json(tampered)).problems.map((p) => [p.line, p.problem]), [[1, 'record modified (hash mismatch)']]);
  });

  it('ship: nothing spooled', () => {
    const r = run(['ship', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(ShipOutputSchema.parse(json(r)), { delivered: 0, remaining: 0, stranded: [] });
  });
});

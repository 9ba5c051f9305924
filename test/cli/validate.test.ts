// `hookwarden validate` through the built CLI: the default layers of the current directory, named
// files, exit codes, and the --json document against its schema.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ValidateOutputSchema, type ValidateOutput } from '../../cli/support/outputs.js';
import { sandbox } from '../helpers/hook.js';
import { hw, json, type Run } from './run.js';

describe('validate', () => {
  let sb: ReturnType<typeof sandbox>;
  let userFile: string;
  let projectFile: string;
  beforeEach(() => {
    sb = sandbox();
    userFile = path.join(sb.env.XDG_CONFIG_HOME!, 'hookwarden', 'config.json');
    projectFile = path.join(sb.project, '.hookwarden', 'config.json');
  });
  afterEach(() => sb.cleanup());
  const put = (file: string, v: unknown) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof v === 'string' ? v : JSON.stringify(v, null, 2));
  };
  const run = (args: string[] = []): Run => hw(['validate', ...args], { cwd: path.join(sb.project, 'src'), env: sb.env });
  const doc = (args: string[] = []): ValidateOutput => {
    const r = run(['--json', ...args]);
    const out = ValidateOutputSchema.parse(json(r));
    assert.equal(r.status, out.exitCode);
    return out;
  };

  it('no config, and {} in both layers: valid, exit 0', () => {
    const none = run();
    assert.equal(none.status, 0);
    assert.equal(none.stdout, [
      `absent  user     ${userFile} (nothing to check)`,
      `absent  project  ${projectFile} (nothing to check)`,
      'valid', '',
    ].join('\n'));
    put(userFile, {});
    put(projectFile, '{}');
    assert.deepEqual(doc().files.map((f) => [f.layer, f.present, f.ok, f.problems.length]), [['user', true, true, 0], ['project', true, true, 0]]);
  });

  it('a broken project config: exit 1, each problem on its own line naming file, rule and field', () => {
    put(projectFile, { rules: [{ id: 'gen', effect: 'deny', paths: ['gen/**'], except: ['gen/**'] }, { id: 'x', effect: 'deny', paths: ['!a'] }] });
    const r = run();
    assert.equal(r.status, 1);
    assert.equal(r.stdout, [
      `absent  user     ${userFile} (nothing to check)`,
      `error   project  ${projectFile}: rules[1] (id "x"): field paths[0]: negated globs are not supported (use "except")`,
      '1 error, 0 warnings', '',
    ].join('\n'));
    put(projectFile, { rules: [{ id: 'gen', effect: 'deny', paths: ['gen/**'], except: ['gen/**'] }] });
    assert.deepEqual(doc().files[1]?.problems, [{
      severity: 'error', rule: 'gen', field: 'paths[0]',
      message: 'rules[0] (id "gen"): field paths[0]: "gen/**" lies inside except[0] "gen/**"; the rule can never match',
    }]);
  });

  it('a project config weakening a locked rule: warnings, exit 0; --strict: exit 1', () => {
    put(projectFile, { presets: { secrets: false }, rules: [{ id: 'vcs', effect: 'allow', paths: ['.git/**'] }] });
    const d = doc();
    assert.deepEqual(d.files[1]?.problems.map((p) => p.message), [
      'presets.secrets: a project config cannot switch a preset off; ignored',
      'rule "vcs" is locked by builtin:vcs; ignored',
    ]);
    assert.equal(d.exitCode, 0);
    assert.equal(run(['--strict']).status, 1);
  });

  it('named files; one that cannot be read: exit 2', () => {
    const good = path.join(sb.root, 'good.json');
    put(good, { rules: [{ id: 'a', effect: 'ask', paths: ['docs/**'] }] });
    const d = doc([good]);
    assert.deepEqual(d.files.map((f) => [f.file, f.layer, f.ok]), [[good, 'file', true]]);
    const r = run([good, path.join(sb.root, 'missing.json')]);
    assert.equal(r.status, 2);
    assert.match(r.stdout, /error {2}file {2}\S+missing\.json: cannot read config: ENOENT\n/);
  });

  it('--help has examples and exit codes', () => {
    const r = run(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Examples:\n {2}hookwarden validate\n/);
    assert.match(r.stdout, /Exit codes: 0 valid, 1 problems, 2 a file could not be read\./);
  });
});

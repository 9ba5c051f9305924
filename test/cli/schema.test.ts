// `hookwarden schema <name>` prints the committed file, from the bundle alone.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SCHEMA_NAMES } from '../../cli/support/schemas.js';
import { sandbox } from '../helpers/hook.js';
import { hw } from './run.js';

const SCHEMA_DIR = path.resolve(import.meta.dirname, '..', '..', 'schema');

describe('schema', () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  for (const name of SCHEMA_NAMES) {
    it(`${name}: the text of schema/${name}.schema.json`, () => {
      const r = hw(['schema', name], { cwd: sb.root, env: sb.env });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, fs.readFileSync(path.join(SCHEMA_DIR, `${name}.schema.json`), 'utf8'));
    });
  }
  it('an unknown name: exit 2, naming the choices', () => {
    const r = hw(['schema', 'nope'], { cwd: sb.root, env: sb.env });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Allowed choices are config, record, install, doctor, check, verify, validate, tail, stats, ship/);
  });
});

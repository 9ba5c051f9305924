import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'smol-toml';
import { removeTable, removeTableKey, renameTable, setTableString, tomlString } from '../../../cli/install/toml-edit.js';

const F = 'config.toml';
const K = '/home/dev/.codex/hooks.json:pre_tool_use:1:0';
const S = ['hooks', 'state', K];

const HAND_WRITTEN = `# Codex settings, by hand
model = "gpt-5.5"   # the default model
approval_policy = "never"

[features]
# keep hooks on
hooks = true

[hooks.state."/home/dev/.codex/hooks.json:pre_tool_use:0:0"] # other tool
trusted_hash = "sha256:aaa"
`;

describe('setTableString / removeTable', () => {
  it('appends a new table after a blank line and removes it back to the exact bytes', () => {
    const added = setTableString(HAND_WRITTEN, S, 'trusted_hash', 'sha256:bbb', F);
    assert.equal(added, `${HAND_WRITTEN}\n[hooks.state."${K}"]\ntrusted_hash = "sha256:bbb"\n`);
    assert.equal(removeTable(added, S, F), HAND_WRITTEN);
  });

  it('changes the value in place, keeping the comment and other keys', () => {
    const text = `a = 1\n\n[hooks.state."${K}"]\nenabled = true\ntrusted_hash = "sha256:old"   # set by /hooks\n\n# trailing note\n[other]\nx = 1\n`;
    assert.equal(setTableString(text, S, 'trusted_hash', 'sha256:new', F), text.replace('sha256:old', 'sha256:new'));
  });

  it('adds a missing key after the last key of an existing table', () => {
    const text = `[projects."/p"]\nfoo = "x"\n\n# next\n[z]\n`;
    const out = setTableString(text, ['projects', '/p'], 'trust_level', 'trusted', F);
    assert.equal(out, `[projects."/p"]\nfoo = "x"\ntrust_level = "trusted"\n\n# next\n[z]\n`);
    assert.equal(removeTableKey(out, ['projects', '/p'], 'trust_level', F), text);
  });

  it('removeTableKey drops the table when nothing else is left in it', () => {
    const text = 'a = 1\n';
    const out = setTableString(text, ['projects', '/p q'], 'trust_level', 'trusted', F);
    assert.equal(out, 'a = 1\n\n[projects."/p q"]\ntrust_level = "trusted"\n');
    assert.equal(removeTableKey(out, ['projects', '/p q'], 'trust_level', F), text);
  });

  it('creates the first table of an empty file without a leading blank line', () => {
    assert.equal(setTableString('', S, 'trusted_hash', 'h', F), `[hooks.state."${K}"]\ntrusted_hash = "h"\n`);
  });

  it('leaves an already correct value alone (same string object back)', () => {
    const text = `[hooks.state."${K}"]\ntrusted_hash = "h"\n`;
    assert.equal(setTableString(text, S, 'trusted_hash', 'h', F), text);
  });

  it('ignores header-looking lines inside multi-line strings', () => {
    const text = `notes = """\n[hooks.state."${K}"]\ntrusted_hash = "fake"\n"""\n`;
    const out = setTableString(text, S, 'trusted_hash', 'real', F);
    assert.equal((parse(out) as { notes: string }).notes, `[hooks.state."${K}"]\ntrusted_hash = "fake"\n`);
    assert.equal(removeTable(out, S, F), text);
  });

  const refused: [string, string][] = [
    ['inline table', `hooks = { state = { "${K}" = { trusted_hash = "x" } } }\n`],
    ['dotted keys under [hooks.state]', `[hooks.state]\n"${K}".trusted_hash = "x"\n`],
  ];
  for (const [name, text] of refused) {
    it(`refuses to guess with ${name}`, () => {
      assert.throws(() => setTableString(text, S, 'trusted_hash', 'y', F), /form hookwarden does not edit/);
      assert.throws(() => removeTable(text, S, F), /form hookwarden does not edit/);
    });
  }

  it('rejects invalid TOML with the file name', () => {
    assert.throws(() => setTableString('a = \n', S, 'trusted_hash', 'y', F), /^Error: config\.toml: invalid TOML/);
  });
});

describe('renameTable', () => {
  it('renames the header only, keeping its comment and body', () => {
    const text = `x = 1\n\n[hooks.state."f:stop:2:0"]   # mine\ntrusted_hash = "h"\n`;
    const out = renameTable(text, ['hooks', 'state', 'f:stop:2:0'], ['hooks', 'state', 'f:stop:1:0'], F);
    assert.equal(out, `x = 1\n\n[hooks.state."f:stop:1:0"]   # mine\ntrusted_hash = "h"\n`);
  });
  it('refuses to overwrite an existing table', () => {
    const text = `[a]\nx = 1\n[b]\nx = 2\n`;
    assert.throws(() => renameTable(text, ['a'], ['b'], F), /exists/);
  });
});

describe('properties', () => {
  const value = fc.string({ maxLength: 30 });
  const key = fc.string({ minLength: 1, maxLength: 30 });
  it('any key and value round-trip through TOML; add then remove restores the bytes', () => {
    fc.assert(fc.property(key, value, (k, v) => {
      const path = ['hooks', 'state', k];
      const added = setTableString(HAND_WRITTEN, path, 'trusted_hash', v, F);
      const doc = parse(added) as { hooks: { state: Record<string, { trusted_hash: string }> } };
      assert.equal(doc.hooks.state[k]?.trusted_hash, v);
      assert.equal(removeTable(added, path, F), HAND_WRITTEN);
    }));
  });
  it('tomlString output parses back to the same string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
      assert.equal((parse(`k = ${tomlString(s)}\n`) as { k: string }).k, s);
    }));
  });
});

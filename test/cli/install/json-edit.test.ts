import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addMember, appendItem, nodeAt, parseJsonc, removeItem, removeMember, replaceValue, scanJson } from '../../../cli/install/json-edit.js';

const G = { hooks: [{ type: 'command', command: 'x' }] };

describe('scanJson', () => {
  it('finds the spans of members and items, last duplicate key winning as in JSON.parse', () => {
    const text = '{"a": [1, {"b": "x\\"y"}], "a": [true], "c": null}';
    const root = scanJson(text);
    const a = nodeAt(root, ['a']);
    assert.equal(text.slice(a?.start, a?.end), '[true]');
    const b = nodeAt(scanJson('{"a": [1, {"b": "x\\"y"}]}'), ['a', 1, 'b']);
    assert.equal(b?.kind, 'scalar');
    assert.equal(nodeAt(root, ['missing']), undefined);
  });

  const bad = ['', '{', '{"a" 1}', '[1,]', '{"a":1,}', '{"a":01}', '"\u0001"', '{} x', 'nul', '{"a":"\\q"}'];
  for (const text of bad) {
    it(`rejects ${JSON.stringify(text)} like JSON.parse`, () => {
      assert.throws(() => JSON.parse(text));
      assert.throws(() => scanJson(text), /invalid JSON/);
    });
  }
});

describe('comments (settings.json files often have them)', () => {
  const text = '{\n  // the user\'s note\n  "e": [\n    1 /* one */\n  ],\n  "hooks": {} // trailing\n}\n';
  it('are read, and kept by an edit and its inverse', () => {
    assert.deepEqual(parseJsonc(text), { e: [1], hooks: {} });
    const added = appendItem(text, ['e'], { a: 2 });
    assert.ok(added.includes("// the user's note") && added.includes('/* one */') && added.includes('// trailing'));
    assert.deepEqual(parseJsonc(added), { e: [1, { a: 2 }], hooks: {} });
    assert.equal(removeItem(added, ['e'], 1), text);
    assert.equal(removeMember(addMember(text, ['hooks'], 'PreToolUse', []), ['hooks'], 'PreToolUse'), text);
  });
  it('a byte-order mark is skipped and kept', () => {
    const bom = `\ufeff${text}`;
    assert.deepEqual(parseJsonc(bom), { e: [1], hooks: {} });
    assert.ok(appendItem(bom, ['e'], 3).startsWith('\ufeff{'));
  });
});

describe('edits keep the file\'s own style', () => {
  const cases: [string, string, (t: string) => string, string][] = [
    ['append to a 4-space array', '{\n    "e": [\n        1\n    ]\n}\n', (t) => appendItem(t, ['e'], G),
      '{\n    "e": [\n        1,\n        {\n            "hooks": [\n                {\n                    "type": "command",\n                    "command": "x"\n                }\n            ]\n        }\n    ]\n}\n'],
    ['append to an empty array', '{\n  "e": []\n}', (t) => appendItem(t, ['e'], 2), '{\n  "e": [\n    2\n  ]\n}'],
    ['add a member to a tab-indented object', '{\n\t"a": 1\n}\n', (t) => addMember(t, [], 'b', [1]), '{\n\t"a": 1,\n\t"b": [\n\t\t1\n\t]\n}\n'],
    ['add a member to an empty object', '{}\n', (t) => addMember(t, [], 'hooks', {}), '{}\n'.replace('{}', '{\n  "hooks": {}\n}')],
    ['compact file stays compact', '{"a":[1]}', (t) => addMember(appendItem(t, ['a'], { b: 2 }), [], 'c', true), '{"a":[1,{"b":2}],"c":true}'],
    ['replace a nested value at its indent', '{\n  "a": [\n    {"old": 1}\n  ]\n}', (t) => replaceValue(t, ['a', 0], { n: [1] }), '{\n  "a": [\n    {\n      "n": [\n        1\n      ]\n    }\n  ]\n}'],
    ['CRLF files get CRLF lines', '{\r\n  "e": [\r\n    1\r\n  ]\r\n}\r\n', (t) => appendItem(t, ['e'], [2]), '{\r\n  "e": [\r\n    1,\r\n    [\r\n      2\r\n    ]\r\n  ]\r\n}\r\n'],
    ['remove a first member', '{"a": 1, "b": 2}', (t) => removeMember(t, [], 'a'), '{"b": 2}'],
    ['remove a middle item', '[1, 2, 3]', (t) => removeItem(t, [], 1), '[1, 3]'],
    ['remove duplicate members', '{"a": 1, "b": 2, "a": 3}', (t) => removeMember(t, [], 'a'), '{"b": 2}'],
  ];
  for (const [name, before, edit, after] of cases) {
    it(name, () => {
      assert.equal(edit(before), after);
      JSON.parse(after);
    });
  }
});

/** Random JSON text in one of several styles, containing an array at ["x"] and an object at ["o"]. */
const styled = fc.record({
  doc: fc.dictionary(fc.string({ maxLength: 6 }).filter((k) => k !== 'x' && k !== 'o' && k !== '__proto__'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
  arr: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  obj: fc.dictionary(fc.string({ maxLength: 5 }).filter((k) => k !== 'new' && k !== '__proto__'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  indent: fc.constantFrom(0, 2, 4, '\t'),
  value: fc.jsonValue({ maxDepth: 3 }),
}).map((r) => ({ ...r, text: `${JSON.stringify({ ...r.doc, x: r.arr, o: r.obj }, null, r.indent)}\n` }));

describe('properties', () => {
  it('appendItem then removeItem of the last item restores the bytes; the value is what JSON.parse sees', () => {
    fc.assert(fc.property(styled, ({ text, arr, value }) => {
      const added = appendItem(text, ['x'], value);
      assert.deepEqual((JSON.parse(added) as { x: unknown[] }).x, [...arr, value].map((v) => JSON.parse(JSON.stringify(v))));
      assert.equal(removeItem(added, ['x'], arr.length), text);
    }));
  });

  it('addMember then removeMember restores the bytes', () => {
    fc.assert(fc.property(styled, ({ text, value }) => {
      const added = addMember(text, ['o'], 'new', value);
      assert.deepEqual((JSON.parse(added) as { o: Record<string, unknown> }).o.new, JSON.parse(JSON.stringify(value)));
      assert.equal(removeMember(added, ['o'], 'new'), text);
    }));
  });

  it('scanJson accepts exactly what JSON.parse accepts on mutated text', () => {
    fc.assert(fc.property(styled, fc.nat(), fc.constantFrom('', ',', '}', '"', ' ', '0'), ({ text }, at, ch) => {
      const i = at % (text.length + 1);
      const mutated = text.slice(0, i) + ch + text.slice(i + 1);
      let parsed = true;
      try {
        JSON.parse(mutated);
      } catch {
        parsed = false;
      }
      let scanned = true;
      try {
        scanJson(mutated);
      } catch {
        scanned = false;
      }
      assert.equal(scanned, parsed, mutated);
    }));
  });
});

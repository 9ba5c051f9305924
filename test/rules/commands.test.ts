// The command knowledge (rules/commands/*.json) against its schema, and facts the runtime relies on:
// names unique across files, aliases that resolve, `when` and `values` naming options the entry parses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { COMMAND_FILES, COMMAND_SPECS } from '../../rules/commands/index.js';
import { CommandFileSchema, type CommandSpec } from '../../lib/targets/shell/command-spec.js';
import { commandSpec } from '../../lib/targets/shell/known.js';
import { FILE_COMMANDS } from '../../lib/targets/shell/commands.js';

const DIR = path.join(import.meta.dirname, '..', '..', 'rules', 'commands');

describe('rules/commands data', () => {
  it('every JSON file in rules/commands is imported by the index', () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
    assert.deepEqual(files, Object.keys(COMMAND_FILES).sort());
  });
  for (const [file, data] of Object.entries(COMMAND_FILES)) {
    it(`${file} matches the schema`, () => {
      const r = CommandFileSchema.safeParse(JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')));
      assert.ok(r.success, r.success ? '' : JSON.stringify(r.error.issues.slice(0, 3)));
      assert.ok(Object.keys(data.commands).length > 0);
    });
  }
  it('a command is described in one file only', () => {
    const seen = new Map<string, string>();
    for (const [file, data] of Object.entries(COMMAND_FILES)) {
      for (const name of Object.keys(data.commands)) {
        assert.equal(seen.get(name), undefined, `${name} in ${file} and ${seen.get(name)}`);
        seen.set(name, file);
      }
    }
  });
  it('knows several hundred commands', () => {
    const names = new Set([...Object.keys(COMMAND_SPECS), ...FILE_COMMANDS.keys()]);
    assert.ok(names.size >= 500, `${names.size}`);
  });
  it('every alias resolves to an entry without an alias', () => {
    for (const [name, s] of Object.entries(COMMAND_SPECS)) {
      if (s.alias === undefined) continue;
      const to = commandSpec(name);
      assert.ok(to && to.alias === undefined, `${name} -> ${s.alias}`);
    }
  });
  it('option names in `values` and `when` are options the entry knows (short letters or long names)', () => {
    const check = (where: string, s: CommandSpec, outer?: CommandSpec): void => {
      const shorts = (s.args ?? outer?.args ?? '') + 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
      const longs = new Set([...(s.long ?? []), ...(s.flags ?? []), ...(outer?.long ?? []), ...(outer?.flags ?? [])]);
      for (const k of Object.keys(s.values ?? {})) {
        const ok = k.length === 1 ? `${s.args ?? ''}${outer?.args ?? ''}`.includes(k) : longs.has(k);
        assert.ok(ok, `${where}: values.${k} is not an option taking a value`);
      }
      for (const w of s.when ?? []) {
        for (const n of w.if) {
          const o = n.replace(/^!/, '');
          assert.ok(o.length === 1 ? shorts.includes(o) : true, `${where}: when ${n}`);
        }
        for (const k of Object.keys(w.values ?? {})) {
          const ok = k.length === 1 ? (s.args ?? '').includes(k) : longs.has(k);
          assert.ok(ok, `${where}: when.values.${k} is not an option taking a value`);
        }
      }
      // A subcommand of an `inherit` entry knows the command's own options too (known.ts inherited).
      for (const [sub, spec] of Object.entries(s.sub ?? {})) check(`${where} ${sub}`, spec, s.inherit ? s : undefined);
    };
    for (const [name, s] of Object.entries(COMMAND_SPECS)) check(name, s);
  });
});

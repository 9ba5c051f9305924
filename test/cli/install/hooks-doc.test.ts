import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mergeHooks, ownHandlers, parseHooksDoc, removeHooks, shiftedIndex } from '../../../cli/install/hooks-doc.js';
import { planFor } from '../../../cli/install/plan.js';

const F = 'hooks.json';
const plan = planFor('codex', { distDir: '/opt/hw/dist', nodePath: '/usr/bin/node' });
const OTHER = { matcher: 'Bash', hooks: [{ type: 'command', command: 'other-tool check', timeout: 5 }] };

const original = `{
    "description": "team hooks",
    "hooks": {
        "PreToolUse": [
            { "matcher": "Bash", "hooks": [ { "type": "command", "command": "other-tool check", "timeout": 5 } ] }
        ],
        "Stop": [
            { "hooks": [ { "type": "command", "command": "notify-send done" } ] }
        ]
    }
}
`;

describe('mergeHooks', () => {
  it('appends after other groups (their indexes stay), adds missing events, keeps everything else', () => {
    const c = mergeHooks(original, plan, F);
    const doc = JSON.parse(c.after as string) as { description: string; hooks: Record<string, unknown[]> };
    assert.equal(doc.description, 'team hooks');
    assert.deepEqual(doc.hooks.PreToolUse?.[0], OTHER);
    assert.deepEqual(doc.hooks.PreToolUse?.[1], plan[0]?.group);
    assert.equal(doc.hooks.Stop?.length, 2);
    assert.deepEqual(Object.keys(doc.hooks), ['PreToolUse', 'Stop', 'PostToolUse', 'SessionStart', 'UserPromptSubmit', 'PermissionRequest', 'SessionEnd']);
    assert.ok((c.after as string).startsWith('{\n    "description": "team hooks",\n    "hooks": {\n        "PreToolUse": [\n            { "matcher": "Bash", "hooks": [ { "type": "command", "command": "other-tool check", "timeout": 5 } ] },\n'));
    assert.deepEqual(c.own.map((h) => `${h.event}:${h.group}:${h.handler}`), [
      'PreToolUse:1:0', 'Stop:1:0', 'PostToolUse:0:0', 'SessionStart:0:0', 'UserPromptSubmit:0:0', 'PermissionRequest:0:0', 'SessionEnd:0:0',
    ]);
    assert.deepEqual(c.ownBefore, []);
  });

  it('is idempotent: the second merge returns the same text', () => {
    const once = mergeHooks(original, plan, F).after as string;
    assert.equal(mergeHooks(once, plan, F).after, once);
  });

  it('repairs an edited hookwarden group in place (same index), leaving others byte-identical', () => {
    const once = mergeHooks(original, plan, F).after as string;
    const edited = once.replace('"timeout": 30', '"timeout": 99');
    const repaired = mergeHooks(edited, plan, F);
    assert.equal(repaired.after, once);
    assert.deepEqual(repaired.removed, {});
  });

  it('repairs a hookwarden group from another dist path, and drops duplicates (reporting moved indexes)', () => {
    const old = planFor('codex', { distDir: '/old/dist', nodePath: '/usr/bin/node' });
    const doc = { hooks: { PreToolUse: [old[0]?.group, OTHER, old[0]?.group, OTHER] } };
    const c = mergeHooks(JSON.stringify(doc, null, 2), plan, F);
    const after = JSON.parse(c.after as string) as { hooks: { PreToolUse: unknown[] } };
    assert.deepEqual(after.hooks.PreToolUse, [plan[0]?.group, OTHER, OTHER]);
    assert.deepEqual(c.removed, { PreToolUse: [2] });
    assert.equal(shiftedIndex(c.removed, 'PreToolUse', 3), 2);
    assert.equal(shiftedIndex(c.removed, 'PreToolUse', 1), 1);
    assert.equal(shiftedIndex(c.removed, 'PreToolUse', 2), undefined);
  });

  it('creates a file from nothing, and from a document without hooks', () => {
    const created = mergeHooks(undefined, plan, F).after as string;
    assert.ok(created.startsWith('{\n  "hooks": {\n    "PreToolUse": [\n'));
    assert.equal(ownHandlers(JSON.parse(created) as Record<string, unknown>).length, 7);
    const settings = '{\n  "model": "opus",\n  "permissions": { "allow": ["Bash(ls)"] }\n}\n';
    const merged = mergeHooks(settings, plan, F).after as string;
    assert.deepEqual((JSON.parse(merged) as Record<string, unknown>).permissions, { allow: ['Bash(ls)'] });
    assert.equal(removeHooks(merged, F).after, settings);
  });

  it('rejects what it must not guess about', () => {
    assert.throws(() => mergeHooks('{"hooks": []}', plan, F), /hooks\.json: field hooks: expected an object/);
    assert.throws(() => mergeHooks('{"hooks": {"PreToolUse": {}}}', plan, F), /field hooks\.PreToolUse: expected an array/);
    assert.throws(() => mergeHooks('[1]', plan, F), /expected a JSON object/);
    assert.throws(() => mergeHooks('{"hooks": {', plan, F), /hooks\.json: invalid JSON/);
  });
});

describe('removeHooks', () => {
  it('restores the original bytes after a merge', () => {
    const once = mergeHooks(original, plan, F).after as string;
    const c = removeHooks(once, F);
    assert.equal(c.after, original);
    assert.equal(c.ownBefore.length, 7);
    assert.deepEqual(c.removed, { PreToolUse: [1], Stop: [1], PostToolUse: [0], SessionStart: [0], UserPromptSubmit: [0], PermissionRequest: [0], SessionEnd: [0] });
  });

  it('a file that only ever held hookwarden goes away; a file without hookwarden is untouched', () => {
    assert.equal(removeHooks(mergeHooks(undefined, plan, F).after, F).after, undefined);
    assert.equal(removeHooks(original, F).after, original);
    assert.equal(removeHooks(undefined, F).after, undefined);
  });

  it('leaves mixed groups alone (a hookwarden handler next to another tool\'s is not only ours)', () => {
    const mixed = { hooks: { PreToolUse: [{ hooks: [...(plan[0]?.group.hooks ?? []), OTHER.hooks[0]] }] } };
    const text = JSON.stringify(mixed);
    assert.equal(removeHooks(text, F).after, text);
    assert.equal(ownHandlers(parseHooksDoc(text, F)).length, 0);
  });
});

// Test-side edits of Codex's hook registrations: what a user editing hooks.json, or another tool
// installing its own hook, does to the files `hookwarden install` wrote.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Sandbox } from './agents.js';

interface Handler { type: string; command: string; timeout?: number; async?: boolean; statusMessage?: string }
interface Group { matcher?: string; hooks: Handler[] }
interface HooksFile { hooks: Record<string, Group[]> }

export const userHooksFile = (sb: Sandbox): string => path.join(sb.codexHome, 'hooks.json');

function load(file: string): HooksFile {
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist: hookwarden install did not write Codex's user hooks.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as HooksFile;
}

/** Changes the timeout of hookwarden's PreToolUse handler, as a user editing hooks.json would; returns its trust key. */
export function editPreToolUseHandler(sb: Sandbox): string {
  const file = userHooksFile(sb);
  const doc = load(file);
  const groups = doc.hooks.PreToolUse ?? [];
  for (const [g, group] of groups.entries()) {
    for (const [h, handler] of group.hooks.entries()) {
      if (!handler.command.includes('pre-tool-use')) continue;
      handler.timeout = (handler.timeout ?? 600) + 1;
      fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
      return `${fs.realpathSync(file)}:pre_tool_use:${g}:${h}`;
    }
  }
  throw new Error(`${file} has no PreToolUse handler running pre-tool-use`);
}

const sortKeys = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sortKeys)
    : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]))
      : v;

/**
 * Another tool registering its own PreToolUse hook (no matcher: every tool) in the user hooks.json
 * and trusting it as its installer would (protocol doc §12: sha256 of the sorted compact JSON of
 * the normalized handler group). The hook appends each payload to `log` and exits 0.
 */
export function registerOtherTool(sb: Sandbox, log: string): void {
  const script = path.join(sb.root, 'other-tool-hook.sh');
  fs.writeFileSync(script, `#!/bin/sh\n# another tool's hook: log the call, never decide\ncat >> '${log}'\necho >> '${log}'\nexit 0\n`, { mode: 0o755 });
  const file = userHooksFile(sb);
  const doc = load(file);
  const handler: Handler = { type: 'command', command: `sh '${script}'`, timeout: 20 };
  const groups = (doc.hooks.PreToolUse ??= []);
  groups.push({ hooks: [handler] });
  fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  const key = `${fs.realpathSync(file)}:pre_tool_use:${groups.length - 1}:0`;
  const hashed = { event_name: 'pre_tool_use', hooks: [{ ...handler, async: false }] };
  const hash = createHash('sha256').update(JSON.stringify(sortKeys(hashed))).digest('hex');
  fs.appendFileSync(path.join(sb.codexHome, 'config.toml'), `\n[hooks.state.${JSON.stringify(key)}]\ntrusted_hash = "sha256:${hash}"\n`);
}

/** tool_use_ids of the PreToolUse payloads the other tool's hook saw. */
export function otherToolSaw(log: string): string[] {
  if (!fs.existsSync(log)) return [];
  return fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { tool_use_id?: string }).tool_use_id ?? '');
}

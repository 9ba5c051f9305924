// Codex hook trust (protocol doc §1.3, §12): key `<real hooks file>:<event_snake>:<group>:<handler>`,
// hash `sha256:` + hex SHA-256 of the canonical JSON of the normalized handler. Codex's own
// `hooks/list` is the authority; the computation is the fallback when no codex binary answers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalJson, sha256Hex } from '../../lib/canonical.js';
import { listHooks, type AppServerHook, type HooksList } from './app-server.js';
import type { OwnHandler } from './hooks-doc.js';
import { tomlKey, tomlString, tomlValueAt } from './toml-edit.js';

export type TrustSource = 'app-server' | 'computed';
export type TrustStatus = 'trusted' | 'untrusted' | 'modified' | 'disabled';

/** `PreToolUse` -> `pre_tool_use`. */
export function eventSnake(event: string): string {
  return event.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Events whose matcher Codex ignores (and leaves out of the hash): protocol doc §4. */
const MATCHER_IGNORED = new Set(['user_prompt_submit', 'stop']);
const DEFAULT_TIMEOUT = 600;

/** The real path of a file that may not exist yet (its nearest existing ancestor resolved). */
export function realPathOf(file: string): string {
  const abs = path.resolve(file);
  try {
    return fs.realpathSync(abs);
  } catch {
    const parent = path.dirname(abs);
    return parent === abs ? abs : path.join(realPathOf(parent), path.basename(abs));
  }
}

/**
 * The path Codex puts in trust keys: its folder canonicalized, the file name as is. Codex does not
 * follow a symlinked hooks.json itself (observed with 0.169 hooks/list), only links above it.
 */
export function keyPathOf(hooksFile: string): string {
  return path.join(realPathOf(path.dirname(hooksFile)), path.basename(hooksFile));
}

export function trustKey(realHooksFile: string, event: string, group: number, handler: number): string {
  return `${realHooksFile}:${eventSnake(event)}:${group}:${handler}`;
}

/** Codex 0.169's hash of one command handler, as observed (and checked against hooks/list in the tests). */
export function computeHash(event: string, matcher: string | undefined, handler: Record<string, unknown>): string {
  const snake = eventSnake(event);
  const h: Record<string, unknown> = {
    type: 'command',
    command: handler.command,
    timeout: typeof handler.timeout === 'number' ? handler.timeout : DEFAULT_TIMEOUT,
    async: handler.async === true,
  };
  if (typeof handler.statusMessage === 'string') h.statusMessage = handler.statusMessage;
  const hashed: Record<string, unknown> = { event_name: snake, hooks: [h] };
  if (matcher !== undefined && !MATCHER_IGNORED.has(snake)) hashed.matcher = matcher;
  return `sha256:${sha256Hex(canonicalJson(hashed))}`;
}

export interface TrustEntry {
  handler: OwnHandler;
  key: string;
  hash: string;
  source: TrustSource;
  /** What Codex reported (app-server) or what config.toml says (computed). */
  status?: TrustStatus;
}

/** The `[hooks.state."<key>"]` table of config.toml, if any. */
export function stateOf(configDoc: Record<string, unknown>, key: string): { trustedHash?: string; enabled?: boolean } {
  const s = tomlValueAt(configDoc, ['hooks', 'state', key]) as Record<string, unknown> | undefined;
  if (!s || typeof s !== 'object') return {};
  return {
    ...(typeof s.trusted_hash === 'string' ? { trustedHash: s.trusted_hash } : {}),
    ...(typeof s.enabled === 'boolean' ? { enabled: s.enabled } : {}),
  };
}

/** Trust status from config.toml alone, the way Codex decides it. */
export function statusFromConfig(configDoc: Record<string, unknown>, key: string, hash: string): TrustStatus {
  const s = stateOf(configDoc, key);
  if (s.enabled === false) return 'disabled';
  if (s.trustedHash === undefined) return 'untrusted';
  return s.trustedHash === hash ? 'trusted' : 'modified';
}

export function computedEntries(realFile: string, own: OwnHandler[], configDoc: Record<string, unknown>): TrustEntry[] {
  return own.map((handler) => {
    const key = trustKey(realFile, handler.event, handler.group, handler.handler);
    const hash = computeHash(handler.event, handler.matcher, handler.raw);
    return { handler, key, hash, source: 'computed', status: statusFromConfig(configDoc, key, hash) };
  });
}

export interface AskOptions {
  codex: string;
  /** The hooks file whose handlers are asked about (user scope: $CODEX_HOME/hooks.json). */
  hooksFile: string;
  /** The project whose `.codex/hooks.json` holds the handlers (project scope), else undefined. */
  project?: string;
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs?: number;
}

/**
 * What `codex app-server` reports for these handlers, asked in a scratch CODEX_HOME: app-server
 * writes its own state (sqlite files, logs, an installation id) into the home it runs with, which
 * would be left behind in the user's, and lists a project's hooks only in a trusted project. Hashes
 * depend on the handler alone and keys on the hooks file's path, so the user file's handlers are
 * asked about through a copy and the keys mapped back. Trust status then comes from the user's
 * config.toml (mergeAppServer).
 */
export async function askAppServer(opts: AskOptions): Promise<HooksList> {
  const scratch = realPathOf(fs.mkdtempSync(path.join(os.tmpdir(), 'hookwarden-codex-home-')));
  try {
    if (opts.project) {
      fs.writeFileSync(path.join(scratch, 'config.toml'), `[projects.${tomlKey(opts.project)}]\ntrust_level = ${tomlString('trusted')}\n`);
      return await listHooks({ ...opts, codexHome: scratch, cwd: opts.project });
    }
    const copy = path.join(scratch, 'hooks.json');
    fs.copyFileSync(opts.hooksFile, copy);
    fs.writeFileSync(path.join(scratch, 'config.toml'), '');
    const listed = await listHooks({ ...opts, codexHome: scratch });
    const from = `${keyPathOf(copy)}:`;
    const to = `${keyPathOf(opts.hooksFile)}:`;
    return { ...listed, hooks: listed.hooks.flatMap((h) => (h.key.startsWith(from) ? [{ ...h, key: to + h.key.slice(from.length) }] : [])) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** Entries from app-server where it listed the key; the computed ones otherwise. */
export function mergeAppServer(computed: TrustEntry[], listed: AppServerHook[], configDoc: Record<string, unknown>, userScope: boolean): TrustEntry[] {
  const byKey = new Map(listed.map((h) => [h.key, h]));
  return computed.map((e) => {
    const h = byKey.get(e.key);
    if (!h) return e;
    // The scratch home of a project query knows nothing of the user's trust: judge that from config.toml.
    const status = userScope && ['trusted', 'untrusted', 'modified'].includes(h.trustStatus)
      ? (h.enabled === false ? 'disabled' : (h.trustStatus as TrustStatus))
      : statusFromConfig(configDoc, e.key, h.currentHash);
    return { ...e, hash: h.currentHash, source: 'app-server', status };
  });
}

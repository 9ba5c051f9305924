// Codex: hookwarden's groups into (or out of) hooks.json, then the trust entries that make Codex
// run them into the user config.toml (protocol doc §1.1, §1.3). Order matters: app-server can
// only report hashes for a hooks.json that is on disk.
import path from 'node:path';
import { askAppServer, computedEntries, eventSnake, keyPathOf, mergeAppServer, trustKey, type TrustEntry } from './codex-trust.js';
import { commitFile, readIfExists } from './files.js';
import { mergeHooks, removeHooks, shiftedIndex, type HooksChange } from './hooks-doc.js';
import { planFor } from './plan.js';
import type { FileOutcome, HandlerReport, ProjectTrust, TrustReport } from './result.js';
import { parseToml, removeTable, removeTableKey, renameTable, setTableString, tomlValueAt } from './toml-edit.js';

export type Scope = 'user' | 'project';

export interface CodexOptions {
  scope: Scope;
  /** Real path of the project (project scope, and where `hooks/list` is asked from). */
  project: string;
  env: Record<string, string | undefined>;
  home: string;
  distDir: string;
  nodePath?: string;
  /** A codex binary to ask; undefined: none found, so hashes are computed. */
  codex?: string;
  dryRun: boolean;
  trustProject: boolean;
  timeoutMs?: number;
}

export interface AgentOutcome {
  files: FileOutcome[];
  handlers: HandlerReport[];
  trust: TrustReport | null;
  projectTrust: ProjectTrust | null;
  warnings: string[];
}

export function codexHome(env: Record<string, string | undefined>, home: string): string {
  return env.CODEX_HOME ? path.resolve(env.CODEX_HOME) : path.join(home, '.codex');
}

export function codexFiles(o: Pick<CodexOptions, 'scope' | 'project' | 'env' | 'home'>): { hooks: string; config: string } {
  const homeDir = codexHome(o.env, o.home);
  return {
    hooks: o.scope === 'user' ? path.join(homeDir, 'hooks.json') : path.join(o.project, '.codex', 'hooks.json'),
    config: path.join(homeDir, 'config.toml'),
  };
}

const stateKey = (key: string) => ['hooks', 'state', key];

/** Trust entries of other tools' handlers whose group moved down when groups were removed. */
function moveShifted(text: string, doc: Record<string, unknown>, real: string, change: HooksChange, file: string): string {
  const state = (tomlValueAt(doc, ['hooks', 'state']) ?? {}) as Record<string, unknown>;
  let out = text;
  for (const event of Object.keys(change.removed)) {
    const prefix = `${real}:${eventSnake(event)}:`;
    const moves = Object.keys(state)
      .filter((k) => k.startsWith(prefix))
      .map((k) => ({ k, m: /^(\d+):(\d+)$/.exec(k.slice(prefix.length)) }))
      .flatMap(({ k, m }) => (m ? [{ k, g: Number(m[1]), h: Number(m[2]) }] : []))
      .sort((a, b) => a.g - b.g || a.h - b.h);
    for (const { k, g, h } of moves) {
      const to = shiftedIndex(change.removed, event, g);
      if (to !== undefined && to !== g) out = renameTable(out, stateKey(k), stateKey(trustKey(real, event, to, h)), file);
    }
  }
  return out;
}

function handlerReports(entries: TrustEntry[], file: string): HandlerReport[] {
  return entries.map((e) => ({
    agent: 'codex', event: e.handler.event, matcher: e.handler.matcher ?? null, command: String(e.handler.raw.command),
    timeout: typeof e.handler.raw.timeout === 'number' ? e.handler.raw.timeout : 600, file, key: e.key, hash: e.hash, trustSource: e.source,
  }));
}

function projectTrustOf(doc: Record<string, unknown>, project: string): boolean {
  return tomlValueAt(doc, ['projects', project, 'trust_level']) === 'trusted';
}

export async function installCodex(o: CodexOptions): Promise<AgentOutcome> {
  const files = codexFiles(o);
  const warnings: string[] = [];
  const hooksBefore = readIfExists(files.hooks);
  const real = keyPathOf(files.hooks);
  const change = mergeHooks(hooksBefore, planFor('codex', { distDir: o.distDir, nodePath: o.nodePath }), files.hooks);
  const configBefore = readIfExists(files.config);
  const configDoc = parseToml(configBefore ?? '', files.config);

  const editConfig = (entries: TrustEntry[]): { text: string; projectTrust: ProjectTrust | null } => {
    let text = configBefore ?? '';
    const keep = new Set(entries.map((e) => e.key));
    for (const h of change.ownBefore) {
      const key = trustKey(real, h.event, h.group, h.handler);
      if (!keep.has(key)) text = removeTable(text, stateKey(key), files.config);
    }
    text = moveShifted(text, configDoc, real, change, files.config);
    for (const e of entries) text = setTableString(text, stateKey(e.key), 'trusted_hash', e.hash, files.config);
    if (o.scope !== 'project') return { text, projectTrust: null };
    const before = projectTrustOf(configDoc, o.project);
    if (o.trustProject && !before) text = setTableString(text, ['projects', o.project], 'trust_level', 'trusted', files.config);
    const trusted = projectTrustOf(parseToml(text, files.config), o.project);
    return { text, projectTrust: { path: o.project, configFile: files.config, trusted, written: trusted !== before } };
  };

  let entries = computedEntries(real, change.own, configDoc);
  // Dry run of the TOML edits first: a config.toml this editor refuses must stop the install
  // before hooks.json changes, or Codex would be left with hooks it does not trust.
  editConfig(entries);
  const hooksOutcome = commitFile(files.hooks, 'codex-hooks', hooksBefore, change.after, o.dryRun);

  let reason: string | null = o.dryRun ? 'dry run: hooks.json is not written, so codex app-server cannot be asked' : 'no codex binary on PATH; pass --codex <path> to ask codex app-server';
  if (!o.dryRun && o.codex) {
    try {
      const listed = await askAppServer({ codex: o.codex, codexHome: codexHome(o.env, o.home), cwd: o.project, env: o.env, timeoutMs: o.timeoutMs, ...(o.scope === 'project' ? { project: o.project } : {}) });
      for (const w of [...listed.errors, ...listed.warnings]) warnings.push(`codex app-server: ${w}`);
      const merged = mergeAppServer(entries, listed.hooks, configDoc, o.scope === 'user');
      for (const [i, e] of merged.entries()) {
        const computed = entries[i] as TrustEntry;
        if (e.source === 'app-server' && e.hash !== computed.hash) warnings.push(`codex: ${e.key}: app-server hash differs from the computed one; used Codex's`);
      }
      const missing = merged.filter((e) => e.source !== 'app-server');
      reason = missing.length ? `codex app-server did not list ${missing.map((e) => e.key).join(', ')}` : null;
      entries = merged;
    } catch (err) {
      reason = `${(err as Error).message}; hashes computed instead`;
      warnings.push(`codex: ${reason}`);
    }
  }

  const { text, projectTrust } = editConfig(entries);
  if (projectTrust && !projectTrust.trusted) {
    warnings.push(`codex: project ${o.project} is not trusted, so Codex will not load its hooks; run: hookwarden install --agent codex --scope project --trust-project`);
  }
  const configAfter = configBefore === undefined && text === '' ? undefined : text;
  const configOutcome = commitFile(files.config, 'codex-config', configBefore, configAfter, o.dryRun);
  const allApp = entries.length > 0 && entries.every((e) => e.source === 'app-server');
  return {
    files: [hooksOutcome, configOutcome],
    handlers: handlerReports(entries, files.hooks),
    trust: { source: allApp ? 'app-server' : 'computed', codex: o.dryRun ? null : o.codex ?? null, reason: allApp ? null : reason },
    projectTrust,
    warnings,
  };
}

export async function uninstallCodex(o: CodexOptions): Promise<AgentOutcome> {
  const files = codexFiles(o);
  const hooksBefore = readIfExists(files.hooks);
  const real = keyPathOf(files.hooks);
  const change = removeHooks(hooksBefore, files.hooks);
  const configBefore = readIfExists(files.config);
  let projectTrust: ProjectTrust | null = null;
  let configAfter = configBefore;
  if (configBefore !== undefined) {
    const doc = parseToml(configBefore, files.config);
    let text = configBefore;
    for (const h of change.ownBefore) text = removeTable(text, stateKey(trustKey(real, h.event, h.group, h.handler)), files.config);
    text = moveShifted(text, doc, real, change, files.config);
    if (o.scope === 'project') {
      const before = projectTrustOf(doc, o.project);
      if (o.trustProject) text = removeTableKey(text, ['projects', o.project], 'trust_level', files.config);
      const trusted = projectTrustOf(parseToml(text, files.config), o.project);
      projectTrust = { path: o.project, configFile: files.config, trusted, written: trusted !== before };
    }
    // A config.toml that held nothing but hookwarden's entries goes, as it came.
    configAfter = text === configBefore ? configBefore : text === '' ? undefined : text;
  }
  const removedReports = handlerReports(computedEntries(real, change.ownBefore, {}), files.hooks).map((h) => ({ ...h, hash: null, trustSource: null }));
  return {
    files: [
      commitFile(files.hooks, 'codex-hooks', hooksBefore, change.after, o.dryRun),
      commitFile(files.config, 'codex-config', configBefore, configAfter, o.dryRun),
    ],
    handlers: removedReports,
    trust: null,
    projectTrust,
    warnings: [],
  };
}

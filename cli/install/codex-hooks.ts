// Codex: hookwarden's groups into (or out of) hooks.json, then the trust entries that make Codex
// run them into the user config.toml (protocol doc §1.1, §1.3). Order matters: app-server can
// only report hashes for a hooks.json that is on disk.
import path from 'node:path';
import { askAppServer, computedEntries, eventSnake, keyPathOf, mergeAppServer, realPathOf, trustKey, type TrustEntry } from './codex-trust.js';
import { readIfExists, type Transaction } from './files.js';
import { mergeHooks, parseHooksDoc, removeHooks, shiftedIndex, type HooksChange } from './hooks-doc.js';
import { exactRestore, type FileRecord } from './manifest.js';
import { planFor, type CommandTarget } from './plan.js';
import type { FileOutcome, HandlerReport, ProjectTrust, TrustReport } from './result.js';
import { parseToml, removeTable, removeTableKey, renameTable, setTableString, tomlValueAt } from './toml-edit.js';

/** Where an installation is registered: the user's agent config, or the project's (shared) one. */
export type InstallScope = 'user' | 'project';

export interface CodexOptions {
  scope: InstallScope;
  /** Real path of the project (project scope, and where `hooks/list` is asked from). */
  project: string;
  env: Record<string, string | undefined>;
  home: string;
  /** Where the registered commands find Node and the hooks. */
  target: CommandTarget;
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
  /** The files this agent's run wrote or would write (the install manifest's input). */
  writes: FileWrite[];
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

/** One file change of a run, with what the manifest needs to know about it. */
export interface FileWrite {
  file: string;
  /** Real path: the manifest's key. */
  real: string;
  before: string | undefined;
  after: string | undefined;
  hints: Pick<FileRecord, 'hooks' | 'events' | 'trust'>;
  /** The text before already held hookwarden's handlers (an install from before the manifest). */
  ours?: boolean;
}

export interface Prepared {
  /** Writes through `tx`; called only after every agent's changes were planned and validated. */
  commit(tx: Transaction): Promise<AgentOutcome>;
}

/** Reads and checks both files and plans every edit; throws (one line) before anything is written. */
export function prepareCodexInstall(o: CodexOptions): Prepared {
  const files = codexFiles(o);
  const warnings: string[] = [];
  const hooksBefore = readIfExists(files.hooks);
  const real = keyPathOf(files.hooks);
  const change = mergeHooks(hooksBefore, planFor('codex', o.target), files.hooks);
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

  const computed = computedEntries(real, change.own, configDoc);
  // The TOML edits planned now: a config.toml this editor refuses stops the run before any write.
  editConfig(computed);

  return {
    async commit(tx) {
      const hooksOutcome = tx.write(files.hooks, 'codex-hooks', hooksBefore, change.after);
      let entries = computed;
      let reason: string | null = o.dryRun ? 'dry run: hooks.json is not written, so codex app-server cannot be asked' : 'no codex binary on PATH; pass --codex <path> to ask codex app-server';
      if (!o.dryRun && o.codex) {
        try {
          const listed = await askAppServer({ codex: o.codex, hooksFile: files.hooks, cwd: o.project, env: o.env, timeoutMs: o.timeoutMs, ...(o.scope === 'project' ? { project: o.project } : {}) });
          for (const w of [...listed.errors, ...listed.warnings]) warnings.push(`codex app-server: ${w}`);
          // Asked in a scratch home: trust status from the user's config.toml.
          const merged = mergeAppServer(entries, listed.hooks, configDoc, false);
          for (const [i, e] of merged.entries()) {
            const c = entries[i] as TrustEntry;
            if (e.source === 'app-server' && e.hash !== c.hash) warnings.push(`codex: ${e.key}: app-server hash differs from the computed one; used Codex's`);
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
      const configOutcome = tx.write(files.config, 'codex-config', configBefore, configAfter);
      const allApp = entries.length > 0 && entries.every((e) => e.source === 'app-server');
      return {
        files: [hooksOutcome, configOutcome],
        handlers: handlerReports(entries, files.hooks),
        trust: { source: allApp ? 'app-server' : 'computed', codex: o.dryRun ? null : o.codex ?? null, reason: allApp ? null : reason },
        projectTrust,
        warnings,
        writes: [
          { file: files.hooks, real: realPathOf(files.hooks), before: hooksBefore, after: change.after, hints: { hooks: change.added.hooks, events: change.added.events }, ours: change.ownBefore.length > 0 },
          { file: files.config, real: realPathOf(files.config), before: configBefore, after: configAfter, hints: { trust: projectTrust?.written === true && projectTrust.trusted }, ours: change.ownBefore.length > 0 },
        ],
      };
    },
  };
}

/** Uninstall: exactly what this installation recorded, else hookwarden's entries only. */
export function prepareCodexUninstall(o: CodexOptions, records: Record<string, FileRecord>, warnings: string[]): Prepared {
  const files = codexFiles(o);
  const hooksBefore = readIfExists(files.hooks);
  const real = keyPathOf(files.hooks);
  const hooksRec = records[realPathOf(files.hooks)];
  const configRec = records[realPathOf(files.config)];
  const change = removeHooks(hooksBefore, files.hooks, hooksRec ? { hooks: hooksRec.hooks === true, events: hooksRec.events ?? [], file: hooksRec.created } : undefined);
  const exactHooks = exactRestore(hooksRec, hooksBefore, change.after, (t) => parseHooksDoc(t, files.hooks));
  const hooksAfter = exactHooks ? exactHooks.text : change.after;
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
      // Only a trust_level this installation wrote goes; one the user had before stays.
      if (configRec?.trust) text = removeTableKey(text, ['projects', o.project], 'trust_level', files.config);
      else if (o.trustProject && before) warnings.push(`codex: left [projects."${o.project}"] trust_level in ${files.config}: hookwarden's install did not write it`);
      const trusted = projectTrustOf(parseToml(text, files.config), o.project);
      projectTrust = { path: o.project, configFile: files.config, trusted, written: trusted !== before };
    }
    // A config.toml install created and that holds nothing else now goes, as it came.
    const created = configRec ? configRec.created : true;
    configAfter = text === configBefore ? configBefore : text === '' && created ? undefined : text;
    const exact = exactRestore(configRec, configBefore, configAfter, (t) => parseToml(t, files.config));
    if (exact) configAfter = exact.text;
  }
  const removedReports = handlerReports(computedEntries(real, change.ownBefore, {}), files.hooks).map((h) => ({ ...h, hash: null, trustSource: null }));
  return {
    async commit(tx) {
      return {
        files: [tx.write(files.hooks, 'codex-hooks', hooksBefore, hooksAfter), tx.write(files.config, 'codex-config', configBefore, configAfter)],
        handlers: removedReports,
        trust: null,
        projectTrust,
        warnings: [],
        writes: [
          { file: files.hooks, real: realPathOf(files.hooks), before: hooksBefore, after: hooksAfter, hints: {} },
          { file: files.config, real: realPathOf(files.config), before: configBefore, after: configAfter, hints: {} },
        ],
      };
    },
  };
}

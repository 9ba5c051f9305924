// `hookwarden install` / `uninstall`: one run over the chosen agents, one InstallResult.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../lib/config.js';
import { findProjectRoot } from '../../lib/paths.js';
import { findCodex } from './app-server.js';
import { claudeSettingsFile, prepareClaudeInstall, prepareClaudeUninstall } from './claude-settings.js';
import { codexFiles, prepareCodexInstall, prepareCodexUninstall, type AgentOutcome, type FileWrite, type Prepared, type InstallScope } from './codex-hooks.js';
import { refreshCodeCaches } from './code-cache.js';
import { realPathOf } from './codex-trust.js';
import { Transaction } from './files.js';
import { installationId, loadManifest, recordWrite, removeEmptyDirs, saveManifest, stateFolder, type Manifest } from './manifest.js';
import { HOOK_SCRIPTS } from '../../lib/hooks-catalog.js';
import type { CommandTarget, InstallAgent } from './plan.js';
import type { InstallResult } from './result.js';

export interface InstallOptions {
  command: 'install' | 'uninstall';
  agents: InstallAgent[];
  scope: InstallScope;
  dryRun: boolean;
  trustProject: boolean;
  cwd: string;
  /** Project folder (project scope); default: the project root of cwd. */
  project?: string;
  env: Record<string, string | undefined>;
  home: string;
  /** Folder holding hooks/*.js (the built dist). */
  distDir: string;
  nodePath?: string;
  /** Project scope: register this machine's absolute paths anyway (a hooks file that is not shared). */
  absolutePaths?: boolean;
  /** Explicit codex binary (`--codex`); default: `codex` on PATH. */
  codex?: string;
  timeoutMs?: number;
  /** Builds the compiled hook client (cli/install/client-build.ts); without it the Node client is registered. */
  client?: ClientBuilder;
}

/** The compiled client's builder, injected by the CLI (it runs the C compiler). */
export interface ClientBuilder {
  build(o: { distDir: string; nodePath: string; stateDir: string; env: Record<string, string | undefined>; dryRun: boolean }): { path?: string; reason: string };
  /** Removes built clients that no installation names (`keep`). */
  prune(stateDir: string, keep: Iterable<string>): void;
}

/** Registering a missing file would make every hook call fail, and both agents then run the tool. */
export function checkDist(distDir: string): void {
  for (const s of HOOK_SCRIPTS) {
    const file = path.join(distDir, 'hooks', `${s}.js`);
    if (!fs.existsSync(file)) throw new Error(`${file} not found: build hookwarden (npm run build) or pass --dist <dir>`);
  }
}

/** The secrets-read preset decides whether Claude's `Read` must reach the guard. */
function guardsReads(o: InstallOptions, project: string, warnings: string[]): boolean {
  try {
    const cfg = loadConfig({ cwd: project, home: o.home, env: o.env, platform: process.platform });
    return cfg.layers.some((l) => l.name === 'builtin:secrets-read');
  } catch (err) {
    warnings.push(`config: ${(err as Error).message} (Read is not routed to the guard; fix the config and install again)`);
    return false;
  }
}

/**
 * Where the registered commands find Node and the hooks. A project's hooks file is usually
 * committed, so a project registration names the hooks relative to the project (hookwarden a
 * dependency under node_modules, or a build inside the project) and `node` from PATH; a dist
 * elsewhere would put this machine's absolute paths in a shared file, and a teammate's agent would
 * get a missing-module error as every block reason. That is refused unless asked for.
 */
export function commandTarget(o: Pick<InstallOptions, 'scope' | 'distDir' | 'nodePath' | 'absolutePaths' | 'agents'>, project: string): CommandTarget {
  const absolute: CommandTarget = { distDir: o.distDir, ...(o.nodePath ? { nodePath: o.nodePath } : {}) };
  if (o.scope !== 'project' || o.absolutePaths) return absolute;
  const relativeDist = portableDist(project, o.distDir);
  if (relativeDist !== undefined) return { ...absolute, relativeDist };
  throw new Error(`--scope project: ${o.distDir} is outside the project ${project}, so the project's hooks file (usually committed) would hold this machine's absolute paths; `
    + 'add hookwarden to the project (npm install --save-dev hookwarden, then npx hookwarden install --scope project), use --scope user, or pass --absolute-paths if the file is not shared');
}

/** The dist folder relative to the project: inside it, or a linked `node_modules/<package>/<dist>`. */
export function portableDist(project: string, distDir: string): string | undefined {
  const real = realPathOf(distDir);
  const inside = (p: string) => p !== '' && !p.startsWith('..') && !path.isAbsolute(p);
  const rel = path.relative(project, real);
  if (inside(rel)) return rel;
  let name: unknown;
  try {
    name = (JSON.parse(fs.readFileSync(path.join(path.dirname(real), 'package.json'), 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
  if (typeof name !== 'string' || !/^(@[\w.-]+\/)?[\w.-]+$/.test(name)) return undefined;
  const linked = path.join(project, 'node_modules', ...name.split('/'), path.basename(real));
  return realPathOf(linked) === real ? path.relative(project, linked) : undefined;
}

/**
 * A cloned repository decides what its `.claude` and `.codex` are: a link out of it (to the user's
 * own settings, say) would make a project install or uninstall edit, or delete, a file of the
 * user's. Project scope touches files inside the project only.
 */
export function staysInProject(agents: InstallAgent[], project: string, home: string): void {
  const files = agents.map((a) => (a === 'codex' ? codexFiles({ scope: 'project', project, env: {}, home }).hooks : claudeSettingsFile({ scope: 'project', project, home })));
  for (const f of files) {
    const rel = path.relative(project, realPathOf(f));
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`${f} leads out of the project (to ${realPathOf(f)}): a project's links are not followed out of it`);
  }
}

interface Step { agent: InstallAgent; id: string; prepared: Prepared }

function plannedOrNothing<T>(plan: () => T): T {
  try {
    return plan();
  } catch (err) {
    throw new Error(`${(err as Error).message}; nothing was changed`);
  }
}

export async function runInstall(o: InstallOptions): Promise<InstallResult> {
  const install = o.command === 'install';
  if (install) checkDist(o.distDir);
  const project = realPathOf(o.project ?? findProjectRoot(o.cwd, o.home));
  const warnings: string[] = [];
  const target = install ? commandTarget(o, project) : { distDir: o.distDir };
  if (o.scope === 'project') plannedOrNothing(() => staysInProject(o.agents, project, o.home));
  const state = stateFolder(o.env, o.home);
  const manifest = loadManifest(state, warnings);
  const client = install ? chooseClient(o, target, state) : undefined;
  if (client?.path) target.client = client.path;

  // Every agent's edits planned and checked before the first write.
  const steps: Step[] = plannedOrNothing(() => o.agents.map((agent) => {
    const id = installationId(agent, o.scope, project);
    const records = manifest.installs[id] ?? {};
    if (agent === 'codex') {
      const opts = {
        scope: o.scope, project, env: o.env, home: o.home, target,
        codex: findCodex(o.env, o.codex), dryRun: o.dryRun, trustProject: o.trustProject, timeoutMs: o.timeoutMs,
      };
      return { agent, id, prepared: install ? prepareCodexInstall(opts) : prepareCodexUninstall(opts, records, warnings) };
    }
    const opts = { scope: o.scope, project, home: o.home, target, guardReads: install ? guardsReads(o, project, warnings) : false };
    return { agent, id, prepared: install ? prepareClaudeInstall(opts) : prepareClaudeUninstall(opts, records) };
  }));

  const tx = new Transaction(o.dryRun, path.join(state, 'backups'));
  const outcomes: AgentOutcome[] = [];
  try {
    for (const step of steps) {
      const out = await step.prepared.commit(tx);
      outcomes.push(out);
      if (!o.dryRun) record(manifest, step.id, out.writes, install);
      if (!o.dryRun) {
        const clients = (manifest.clients ??= {});
        if (install && client?.path) clients[step.id] = client.path;
        else delete clients[step.id];
      }
    }
    if (!o.dryRun) {
      manifest.dirs = [...new Set([...manifest.dirs, ...tx.createdDirs])].sort();
      saveManifest(state, manifest);
    }
  } catch (err) {
    const failed = tx.rollback();
    const msg = (err as Error).message;
    throw new Error(failed.length ? `${msg}; could not restore ${failed.join('; ')}` : `${msg}; nothing was changed`);
  }
  if (!o.dryRun) {
    // A compiled client no installation runs any more goes (uninstall, or a rebuilt one replaced it).
    try {
      o.client?.prune(state, Object.values(manifest.clients ?? {}));
    } catch (err) {
      warnings.push(`compiled client: ${(err as Error).message}`);
    }
  }
  if (!install && !o.dryRun) {
    // After the manifest is safe: a folder install made and that is empty now goes (rmdir only).
    removeEmptyDirs(manifest);
    try {
      saveManifest(state, manifest);
    } catch (err) {
      warnings.push(`install manifest: ${(err as Error).message}`);
    }
  }
  if (install && !o.dryRun) {
    const cache = refreshCodeCaches(o.distDir, o.nodePath);
    if (cache) warnings.push(cache);
  }
  const files = outcomes.flatMap((x) => x.files);
  return {
    command: o.command,
    dryRun: o.dryRun,
    scope: o.scope,
    agents: o.agents,
    changed: files.some((f) => f.action !== 'unchanged'),
    files,
    handlers: outcomes.flatMap((x) => x.handlers),
    trust: outcomes.find((x) => x.trust)?.trust ?? null,
    projectTrust: outcomes.find((x) => x.projectTrust)?.projectTrust ?? null,
    backups: files.flatMap((f) => (f.backup ? [f.backup] : [])),
    ...(client ? { client: client.reason } : {}),
    warnings: [...warnings, ...outcomes.flatMap((x) => x.warnings)],
    error: null,
  };
}

/**
 * Which client the commands run. A portable project registration names `node` from PATH and the
 * hooks relative to the project, and a binary built on this machine has no such name: it keeps
 * the Node client.
 */
function chooseClient(o: InstallOptions, target: CommandTarget, state: string): { path?: string; reason: string } {
  if (target.relativeDist !== undefined) return { reason: 'Node client: a portable project registration cannot name a binary built on this machine (use --scope user, or --absolute-paths, for the compiled client)' };
  if (!o.client) return { reason: 'Node client' };
  return o.client.build({ distDir: o.distDir, nodePath: o.nodePath ?? process.execPath, stateDir: state, env: o.env, dryRun: o.dryRun });
}

/** Install: each written file recorded for this installation. Uninstall: its records go. */
function record(m: Manifest, id: string, writes: FileWrite[], install: boolean): void {
  for (const w of writes) {
    if (!install) {
      const gone = m.installs[id]?.[w.real];
      if (m.installs[id]) delete m.installs[id][w.real];
      // A shared file (config.toml) this installation created and another still uses: theirs to remove now.
      if (gone?.created && w.after !== undefined) for (const other of Object.values(m.installs)) {
        const r = other[w.real];
        if (r) r.created = true;
      }
      continue;
    }
    if (w.before === w.after || w.after === undefined) continue;
    recordWrite(m, id, w.real, w.before, w.after, w.hints, w.ours === true);
  }
}

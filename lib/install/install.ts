// `hookwarden install` / `uninstall`: one run over the chosen agents, one InstallResult.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { findProjectRoot } from '../paths.js';
import { findCodex } from './app-server.js';
import { installClaude, uninstallClaude } from './claude-settings.js';
import { installCodex, uninstallCodex, type AgentOutcome, type Scope } from './codex-hooks.js';
import { refreshCodeCaches } from './code-cache.js';
import { realPathOf } from './codex-trust.js';
import type { HookScript, InstallAgent } from './plan.js';
import type { InstallResult } from './result.js';

export interface InstallOptions {
  command: 'install' | 'uninstall';
  agents: InstallAgent[];
  scope: Scope;
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
  /** Explicit codex binary (`--codex`); default: `codex` on PATH. */
  codex?: string;
  timeoutMs?: number;
}

const SCRIPTS: HookScript[] = ['pre-tool-use', 'post-tool-use', 'audit-event'];

/** Registering a missing file would make every hook call fail, and both agents then run the tool. */
export function checkDist(distDir: string): void {
  for (const s of SCRIPTS) {
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

export async function runInstall(o: InstallOptions): Promise<InstallResult> {
  const install = o.command === 'install';
  if (install) checkDist(o.distDir);
  const project = realPathOf(o.project ?? findProjectRoot(o.cwd, o.home));
  const warnings: string[] = [];
  const outcomes: AgentOutcome[] = [];
  for (const agent of o.agents) {
    if (agent === 'codex') {
      const opts = {
        scope: o.scope, project, env: o.env, home: o.home, distDir: o.distDir, nodePath: o.nodePath,
        codex: findCodex(o.env, o.codex), dryRun: o.dryRun, trustProject: o.trustProject, timeoutMs: o.timeoutMs,
      };
      outcomes.push(install ? await installCodex(opts) : await uninstallCodex(opts));
    } else {
      const opts = { scope: o.scope, project, home: o.home, distDir: o.distDir, nodePath: o.nodePath, dryRun: o.dryRun, guardReads: false };
      if (install) opts.guardReads = guardsReads(o, project, warnings);
      outcomes.push(install ? installClaude(opts) : uninstallClaude(opts));
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
    warnings: [...warnings, ...outcomes.flatMap((x) => x.warnings)],
  };
}

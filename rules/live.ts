// The `self` preset's rules that depend on where this guard runs: its own installed files, the
// agent config files that the environment names (CODEX_HOME, CLAUDE_CONFIG_DIR, ZDOTDIR), the
// config file of every layer and the configured audit files. A change to any of them would
// switch the guard off or alter it, and none of them can be written as a fixed glob in
// rules/self.json. Built per call from arguments only (the daemon serves many environments in one
// process), as absolute globs compiled like any other preset rule.
import * as path from 'node:path';
import { MAGIC } from '../lib/glob-prefilter.js';
import { isRegularFile, lexicalPath, newLookupCache, normalizePath, type LookupCache, type PathEnv } from '../lib/paths.js';
import type { Rule } from '../lib/rules.js';

/** Where the running guard is installed. Hooks know it from their own location (`__dirname`). */
export interface Install {
  /** The build folder holding `hooks/pre-tool-use.js`, its bundles, caches, the daemon and the shell parser. */
  dist: string;
  /** The Node executable the hooks run on (an agent that replaces it replaces the guard). */
  node?: string;
}

export interface LiveContext {
  home: string;
  env: Record<string, string | undefined>;
  /** The call's working directory: relative names resolve against it, as the hook's own process would. */
  cwd: string;
  /** The project root the config was loaded for. */
  root: string;
  platform: NodeJS.Platform;
  install?: Install;
  /** The call's one view of the file system (see loadConfig). */
  view?: LookupCache;
  /** Config file of every layer that is or could be loaded for this call (absolute). */
  configFiles: string[];
  /** The layers' audit sections (only user and HOOKWARDEN_CONFIG layers configure auditing). */
  layers: { file: string; kind: string; audit?: AuditPaths }[];
}

/** The parts of an `audit` config section that name files. */
export interface AuditPaths {
  sinks?: readonly { type: string; path?: string }[];
  spool?: { dir?: string };
}

const OPS: Rule['ops'] = ['write', 'delete', 'move'];

/**
 * The install of a hook bundle whose `__dirname` is `hooksDir`: the build folder above `<dist>/hooks`,
 * or the folder itself when the hooks were copied elsewhere (never a parent of another name, which
 * may hold anything: the project, the home). Undefined without an absolute folder.
 */
export function installOf(hooksDir: string | undefined, node?: string): Install | undefined {
  if (!hooksDir || !path.isAbsolute(hooksDir)) return undefined;
  const dist = path.basename(hooksDir) === 'hooks' ? path.dirname(hooksDir) : hooksDir;
  return { dist, ...(node ? { node } : {}) };
}

/** An absolute path (made literal before use) and the glob that follows it ('' for the path alone). */
type Entry = [path: string, suffix: string];

/** Locked deny rules for this call's live installation; empty when there is nothing to add. */
export function liveSelfRules(ctx: LiveContext): Rule[] {
  const env = ctx.env;
  const abs = (p: string | undefined, base = ctx.cwd): string | undefined => {
    if (!p) return undefined;
    if (p === '~' || p.startsWith('~/')) return path.join(ctx.home, p.slice(1));
    return path.resolve(base, p);
  };
  const install: Entry[] = [];
  const agents: Entry[] = [];
  const config: Entry[] = [];
  const audit: Entry[] = [];

  const dist = abs(ctx.install?.dist);
  if (dist) {
    install.push([dist, '/**']); // `dir/**` covers the folder itself too: rm -rf, mv
    if (path.basename(dist) === 'dist') {
      // Installed as a plugin, the package folder is the plugin root: its manifests name the
      // hooks file, and that file registers the guard (an emptied matcher is a switched-off guard).
      const pkg = path.dirname(dist);
      install.push([path.join(pkg, 'hooks.json'), ''], [path.join(pkg, '.claude-plugin'), '/**'], [path.join(pkg, '.codex-plugin'), '/**']);
    }
    // npm's links to the executables: `<prefix>/lib/node_modules/hookwarden/dist` has its
    // links in `<prefix>/bin` (a local install's `node_modules/.bin` is a glob in self.json).
    const modules = path.dirname(path.dirname(dist));
    if (path.basename(modules) === 'node_modules' && path.basename(path.dirname(modules)) === 'lib') {
      install.push([path.join(path.dirname(path.dirname(modules)), 'bin'), '/hookwarden*']);
    }
  }
  const node = abs(ctx.install?.node);
  if (node) install.push([node, '']);
  for (const n of nodesOnPath(env.PATH, ctx.cwd, node, ctx.view)) install.push([n, '']);
  if (dist) for (const [d, suffix] of loaderShadows(dist, ctx.root, ctx.cwd, ctx.view)) install.push([d, suffix]);
  // The forwarder the hooks start (audit/emit.ts): `<dist>/cli.js`, or the file this variable names.
  const forwarder = abs(env.HOOKWARDEN_CLI);
  if (forwarder) install.push([forwarder, '']);
  // The daemon's socket folders: a process listening there answers for the guard.
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && path.isAbsolute(runtime)) install.push([path.join(runtime, 'hookwarden'), '/**']);
  for (const tmp of new Set([env.TMPDIR, '/tmp'])) {
    // `hookwarden-<uid>` (hooks/daemon-link.ts); not the installer's `hookwarden-probe-*` scratch folders.
    if (tmp && path.isAbsolute(tmp)) install.push([tmp, '/hookwarden-{+([0-9]),user}/**']);
  }

  // Codex reads hooks and hook trust from these files of CODEX_HOME (protocol doc §1.1, §1.3);
  // `~/.codex/**` and `**/.codex/**` in self.json cover the default home and any folder named `.codex`.
  const codexHome = abs(env.CODEX_HOME);
  if (codexHome) {
    for (const f of ['hooks.json', 'config.toml', 'requirements.toml', 'managed_config.toml']) agents.push([path.join(codexHome, f), '']);
    agents.push([path.join(codexHome, 'plugins'), '/**']);
  }
  // Claude Code reads hooks and `disableAllHooks` from its settings files, installed plugins (their
  // hooks.json, the marketplace and installed-plugin lists) under `plugins/`, and its state file
  // `.claude.json` (per-project settings, MCP servers); `~/.claude/...` is in self.json.
  const claudeDir = abs(env.CLAUDE_CONFIG_DIR);
  if (claudeDir) {
    for (const f of ['settings.json', 'settings.local.json', '.claude.json', '.claude.json.backup']) agents.push([path.join(claudeDir, f), '']);
    agents.push([path.join(claudeDir, 'plugins'), '/**'], [path.join(claudeDir, 'backups'), '/**']);
  }
  // zsh reads its start-up files from ZDOTDIR; Codex runs every hook through `$SHELL -lc`.
  const zdot = abs(env.ZDOTDIR);
  if (zdot) for (const f of ['.zshenv', '.zprofile', '.zlogin']) agents.push([path.join(zdot, f), '']);

  // The fixed places (self.json) once more as exact paths, so that their resolved forms are
  // protected too: `.claude` may be a link to a folder of another name, which `**/.claude/...`
  // alone would not match when a path reaches the file through yet another link.
  for (const dir of new Set([ctx.root, ctx.home])) {
    agents.push([path.join(dir, '.claude', 'settings.json'), ''], [path.join(dir, '.claude', 'settings.local.json'), '']);
    agents.push([path.join(dir, '.codex'), '/**']);
  }
  config.push([path.join(ctx.root, '.hookwarden'), '/**']);
  for (const f of ctx.configFiles) config.push([f, '']);

  for (const layer of ctx.layers) {
    if (layer.kind === 'project' || !layer.audit) continue;
    for (const sink of layer.audit.sinks ?? []) {
      if (sink.type !== 'file' || !sink.path) continue;
      // A relative path resolves against the call's directory today; the config file's folder
      // is covered too, so the rule holds whichever the sinks settle on.
      for (const p of new Set([abs(sink.path), abs(sink.path, path.dirname(layer.file))])) {
        if (!p) continue;
        const ext = path.extname(p);
        const stem = path.basename(p, ext);
        // The file, its lock (`<file>.lock`, a file; a folder in earlier versions) and its rotations (`<stem>-<stamp><ext>`).
        audit.push([p, ''], [p, '.*/**'], [path.dirname(p), `/${literal(stem, ctx.platform)}-*${literal(ext, ctx.platform)}`]);
      }
    }
    const spool = layer.audit.spool?.dir;
    if (spool) audit.push([spool === '~' || spool.startsWith('~/') ? path.join(ctx.home, spool.slice(1)) : path.resolve(ctx.home, spool), '/**']);
  }

  const pathEnv: PathEnv = { home: ctx.home, platform: ctx.platform, cache: ctx.view ?? newLookupCache() };
  const rule = (id: string, entries: Entry[], reason: string): Rule[] => {
    const globs = [...new Set(entries.flatMap(([p, suffix]) => spellings(p, pathEnv).map((s) => joinGlob(s, suffix))))];
    return globs.length ? [{ id, effect: 'deny', ops: OPS, paths: globs, reason, locked: true }] : [];
  };
  return [
    ...rule('self.install', install, "the guard's own installation is protected"),
    ...rule('self.agents', agents, 'agent settings and hook registrations are protected'),
    ...rule('self.config', config, "the guard's own configuration is protected"),
    ...rule('self.audit', audit, "the guard's audit log and spool are protected"),
  ];
}

/**
 * Every `node` a portable registration (`node -e …`, found on the hook's PATH) could run instead of
 * the real one: `<dir>/node` for each PATH folder up to and including the first that holds a
 * `node` (the one the shell runs), or every folder when none does. A relative or empty entry is a
 * folder under the call's directory, which the hook shares with the agent's commands.
 */
export function nodesOnPath(pathVar: string | undefined, cwd: string, real: string | undefined, view?: LookupCache): string[] {
  if (!pathVar) return [];
  const out: string[] = [];
  for (const entry of pathVar.split(':').slice(0, 256)) {
    const candidate = path.join(path.resolve(cwd, entry || '.'), 'node');
    out.push(candidate);
    if (candidate === real || isRegularFile(candidate, view)) break;
  }
  return out;
}

/**
 * Where the portable loader (cli/install/plan.ts) would find the hooks before this install: it
 * looks for `<dist relative to the project>/hooks/<script>.js` in the hook's directory and then in
 * each parent, and takes the first that exists. So that path under every folder from the call's
 * directory up to the project is protected too (a copy planted there would answer for the guard).
 */
export function loaderShadows(dist: string, root: string, cwd: string, view?: LookupCache): Entry[] {
  const rel = path.relative(root, dist);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return [];
  let from = path.resolve(cwd);
  try {
    // Physical, as the root is (findProjectRoots): through every link of the existing part.
    from = normalizePath(from, '/', { home: '/', platform: process.platform, cache: view });
  } catch {
    // a link loop: its lexical form is all there is
  }
  if (from !== root && !from.startsWith(`${root}/`)) return [];
  const parts = rel.split(path.sep);
  const out: Entry[] = [];
  for (let d = from; d !== root && d.length > root.length; d = path.dirname(d)) {
    // Each folder on the way too: a link made there (`ln -s /tmp/x node_modules`) plants the copy.
    for (let i = 1; i < parts.length; i++) out.push([path.join(d, ...parts.slice(0, i)), '']);
    out.push([path.join(d, rel), '/**']);
  }
  return out;
}

/**
 * A file name as a glob that matches it: each character minimatch would read as magic becomes
 * `?`, so the glob also covers the few names that differ exactly there (the protected side).
 */
export function literal(name: string, platform: NodeJS.Platform): string {
  return (platform === 'win32' ? name.replaceAll('\\', '/') : name).replace(MAGIC_ALL, '?');
}
const MAGIC_ALL = new RegExp(MAGIC.source, 'g');

function joinGlob(base: string, suffix: string): string {
  return base.endsWith('/') && suffix.startsWith('/') ? base + suffix.slice(1) : base + suffix;
}

/**
 * `p` as spelled and with its existing part resolved through links (targets are matched in both
 * forms, so a rule needs both to hold for a path reached through a link), each made literal.
 */
function spellings(p: string, env: PathEnv): string[] {
  const out = new Set<string>();
  for (const form of [lexicalPath, normalizePath]) {
    try {
      const s = literal(form(p, '/', env), env.platform);
      if (!s.includes('\0')) out.add(s);
    } catch {
      // A name the normalizer refuses names no file a target could reach either.
    }
  }
  return [...out];
}

// Temporary homes that already hold other tools' hooks and a hand-written config.toml, and a
// runner for the built CLI. Shared by the install and doctor tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { computeHash } from '../../cli/install/codex-trust.js';
import { codexBin, DIST, tmp } from './install/helpers.js';

export const CLI = path.join(DIST, 'cli.js');

/** Another tool's hooks, 4-space indented, with the one top-level key Codex allows besides hooks. */
export const OTHER_HOOKS = `{
    "description": "team hooks",
    "hooks": {
        "PreToolUse": [
            {
                "matcher": "Bash",
                "hooks": [
                    { "type": "command", "command": "other-tool check", "timeout": 5 }
                ]
            }
        ],
        "Stop": [
            {
                "hooks": [
                    { "type": "command", "command": "notify-send done" }
                ]
            }
        ]
    }
}
`;

export const OTHER_SETTINGS = `{
  "model": "opus",
  "permissions": {
    "allow": ["Bash(npm test)"]
  },
  "hooks": {
    "PostToolUse": [
      { "matcher": "Write", "hooks": [{ "type": "command", "command": "prettier --write" }] }
    ]
  },
  "statusLine": { "type": "command", "command": "echo hi" }
}
`;

/** Hand-written, with comments; trusts the other tool's first PreToolUse handler. */
export function handConfig(hooksFile: string): string {
  const other = computeHash('PreToolUse', 'Bash', { type: 'command', command: 'other-tool check', timeout: 5 });
  return `# Codex config, written by hand
model = "gpt-5.5"          # pinned model
approval_policy = "never"

[features]
hooks = true  # on by default anyway

# the team hook, reviewed in /hooks
[hooks.state."${hooksFile}:pre_tool_use:0:0"]
trusted_hash = "${other}"
`;
}

export interface Env {
  root: string;
  home: string;
  codexHome: string;
  project: string;
  env: Record<string, string>;
  cleanup(): void;
}

/** `codexHomeOutside`: CODEX_HOME lies outside HOME. `withPath`: the codex binary is on PATH. */
export function makeEnv(opts: { codexHomeOutside?: boolean; withPath?: boolean } = {}): Env {
  const root = tmp();
  const home = path.join(root, 'home');
  const codexHome = opts.codexHomeOutside ? path.join(root, 'elsewhere', 'codex') : path.join(home, '.codex');
  const project = path.join(root, 'work', 'app');
  fs.mkdirSync(path.join(project, '.git'), { recursive: true });
  fs.mkdirSync(home, { recursive: true });
  const binDir = path.dirname(codexBin());
  const env: Record<string, string> = {
    HOME: home,
    PATH: `${opts.withPath === false ? '' : `${binDir}:`}${process.env.PATH ?? '/usr/bin:/bin'}`,
    XDG_STATE_HOME: path.join(root, 'state'),
    XDG_CONFIG_HOME: path.join(root, 'config'),
    SHELL: process.env.SHELL ?? '/bin/sh',
    HOOKWARDEN_DAEMON_IDLE_MS: '5000', // the probe's hooks start a daemon: let it leave soon
    // These tests check the Node client's exact commands; test/cli/install-client.test.ts the compiled one.
    HOOKWARDEN_INSTALL_CLIENT: 'node',
    ...(opts.codexHomeOutside ? { CODEX_HOME: codexHome } : {}),
  };
  return { root, home, codexHome, project, env, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** Puts other tools' files in place (as Codex and Claude Code users would have them). */
export function seedOtherTools(e: Env): { hooks: string; config: string; settings: string } {
  fs.mkdirSync(e.codexHome, { recursive: true });
  fs.mkdirSync(path.join(e.home, '.claude'), { recursive: true });
  const hooks = path.join(e.codexHome, 'hooks.json');
  const config = path.join(e.codexHome, 'config.toml');
  const settings = path.join(e.home, '.claude', 'settings.json');
  fs.writeFileSync(hooks, OTHER_HOOKS);
  fs.writeFileSync(config, handConfig(hooks));
  fs.writeFileSync(settings, OTHER_SETTINGS);
  return { hooks, config, settings };
}

export interface Run { status: number | null; stdout: string; stderr: string }

export function cli(e: Env, args: string[], cwd: string = e.project): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: e.env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The run succeeded (exit 0); otherwise fails with what the CLI said. */
export function ok(r: Run): Run {
  if (r.status !== 0) throw new Error(`hookwarden exited ${r.status}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r;
}

/** The one JSON document a `--json` run printed. */
export function json<T>(r: Run): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`no JSON document on stdout (exit ${r.status}): ${r.stderr.trim() || r.stdout.slice(0, 200)}`);
  }
}

/** Every file under a folder with its bytes (to prove that nothing else changed). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (ent.isFile()) out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

export const backupsIn = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.includes('.hookwarden-backup-')) : []);

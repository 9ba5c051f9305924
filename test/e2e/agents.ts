// Runners for the real agents: a fresh sandbox per scenario (project, HOME, CODEX_HOME, XDG dirs),
// Codex's config pointing at the scripted model, the agents spawned in their own process group and
// killed whole on timeout, and the hookwarden CLI run exactly as a user would.
import { execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(REPO, 'dist', 'cli.js');
export const MCP_SERVER = path.join(import.meta.dirname, 'mcp-server.mjs');
const AGENT_TIMEOUT_MS = 60_000;

/** `.git/config` of every sandbox project. */
export const GIT_CONFIG = '[core]\n\trepositoryformatversion = 0\n';

export interface Sandbox {
  name: string;
  root: string;
  /** The project the agent works in: has `.git/` and `src/`. */
  project: string;
  home: string;
  codexHome: string;
  /** Environment for the agents and the CLI: nothing of the real home leaks in. */
  env: Record<string, string>;
  auditFile: string;
  cleanup(): void;
}

export function makeSandbox(name: string): Sandbox {
  // realpath: /tmp may be a link, and Codex keys hook trust by the real path of hooks.json.
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-e2e-')));
  const project = path.join(root, 'project');
  const home = path.join(root, 'home');
  const codexHome = path.join(home, '.codex');
  for (const d of [path.join(project, '.git'), path.join(project, 'src'), codexHome]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(project, '.git', 'config'), GIT_CONFIG);
  // The hooks' daemon gets a socket folder of its own per sandbox, so a scenario's first call is
  // decided in-process and the later ones by the daemon it started, as in a real session.
  const runDir = path.join(root, 'run');
  fs.mkdirSync(runDir, { mode: 0o700 });
  const env: Record<string, string> = {
    // The pinned agents come first on PATH, as for a user who installed them (install asks `codex app-server`).
    PATH: [installAgents(), process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'].join(path.delimiter),
    HOME: home,
    CODEX_HOME: codexHome,
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    TMPDIR: os.tmpdir(),
    LANG: 'C.UTF-8',
    SHELL: fs.existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh',
    XDG_RUNTIME_DIR: runDir,
    HOOKWARDEN_DAEMON_IDLE_MS: '5000',
  };
  return {
    name, root, project, home, codexHome, env,
    auditFile: path.join(env.XDG_STATE_HOME as string, 'hookwarden', 'audit.jsonl'),
    // HOOKWARDEN_E2E_KEEP=1 keeps the sandboxes for a look after a failure.
    cleanup: () => (process.env.HOOKWARDEN_E2E_KEEP ? undefined : fs.rmSync(root, { recursive: true, force: true })),
  };
}

let binDir: string | undefined;

/** Installs (or finds) the pinned agents with scripts/install-agents.sh; returns their bin dir. */
export function installAgents(): string {
  if (binDir) return binDir;
  const r = spawnSync('bash', [path.join(REPO, 'scripts', 'install-agents.sh')], { encoding: 'utf8', timeout: 15 * 60_000 });
  const dir = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !fs.existsSync(path.join(dir, 'codex')) || !fs.existsSync(path.join(dir, 'claude'))) {
    throw new Error(
      `scripts/install-agents.sh could not install the pinned agents (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${tail(r.stderr ?? '', 40)}`,
    );
  }
  binDir = dir;
  return dir;
}

/** Codex's user config.toml for the scripted model (protocol doc §12). */
export function writeCodexConfig(sb: Sandbox, baseUrl: string, opts: { mcp?: boolean } = {}): void {
  const lines = [
    'model = "gpt-5.5"',
    'model_provider = "mock"',
    'approval_policy = "never"',
    'sandbox_mode = "danger-full-access"',
    'check_for_update_on_startup = false',
    '',
    '[model_providers.mock]',
    'name = "mock"',
    `base_url = ${JSON.stringify(baseUrl)}`,
    'wire_api = "responses"',
    'env_key = "MOCK_API_KEY"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
  ];
  if (opts.mcp) lines.push('', '[mcp_servers.demo]', 'command = "node"', `args = [${JSON.stringify(MCP_SERVER)}]`);
  fs.writeFileSync(path.join(sb.codexHome, 'config.toml'), `${lines.join('\n')}\n`);
}

export interface AgentRun {
  command: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

/** Spawns in a new process group so a timeout kills the agent and everything it started. */
function runAgent(bin: string, args: string[], cwd: string, env: Record<string, string>, timeoutMs: number): Promise<AgentRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const killGroup = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // group already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      killGroup(); // leftovers the agent did not reap (MCP servers, hooks)
      resolve({ command: [path.basename(bin), ...args].join(' '), status, signal, stdout, stderr, timedOut, ms: Date.now() - started });
    });
  });
}

/** Never with --dangerously-bypass-hook-trust: hooks run only if `hookwarden install` made Codex trust them. */
export function runCodex(sb: Sandbox, prompt: string, opts: { timeoutMs?: number } = {}): Promise<AgentRun> {
  const args = ['exec', '--json', '--skip-git-repo-check', '--ephemeral', prompt];
  return runAgent(path.join(installAgents(), 'codex'), args, sb.project, { ...sb.env, MOCK_API_KEY: 'dummy' }, opts.timeoutMs ?? AGENT_TIMEOUT_MS);
}

export function runClaude(
  sb: Sandbox, origin: string, prompt: string, opts: { settings?: string; pluginDir?: string; allowedTools?: string; timeoutMs?: number } = {},
): Promise<AgentRun> {
  const args = ['-p', prompt, '--allowedTools', opts.allowedTools ?? 'Bash,Write,Edit,Read', '--output-format', 'stream-json', '--verbose'];
  if (opts.settings) args.push('--settings', opts.settings);
  if (opts.pluginDir) args.push('--plugin-dir', opts.pluginDir);
  const env = {
    ...sb.env,
    ANTHROPIC_BASE_URL: origin,
    ANTHROPIC_API_KEY: 'dummy',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
  };
  return runAgent(path.join(installAgents(), 'claude'), args, sb.project, env, opts.timeoutMs ?? AGENT_TIMEOUT_MS);
}

export interface CliResult { args: string[]; status: number | null; stdout: string; stderr: string }

/**
 * `hookwarden <args>` from dist/, in the project, with the sandbox's HOME and CODEX_HOME. Async: the
 * scripted model lives in this process and must keep answering if the CLI ever drives an agent.
 */
export function hookwarden(sb: Sandbox, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: sb.project, env: sb.env, encoding: 'utf8', timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ args, status, stdout, stderr: `${stderr}${err && status === null ? err.message : ''}` });
    });
  });
}

export function tail(text: string, lines: number): string {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? ['...', ...all.slice(-lines)] : all).join('\n');
}

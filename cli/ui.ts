// `hookwarden ui`: the web console over the audit trail (cli/ui/: server, index, queries, page).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { configuredAuditFiles, placeOfProcess } from './support/audit-options.js';
import { defaultAuditPath } from '../sinks/file.js';
import { childProcess } from '../sinks/lazy-builtins.js';
import { exitTwoOnUsageError } from './support/usage.js';
import { judge } from './check.js';
import type { UiOutput } from './support/outputs.js';
import { parseSource, sourceLabel } from './team/source.js';
import { GuardError } from '../lib/types.js';

interface UiFlags { port: number; host: string; open: boolean; file?: string[]; json?: boolean; index?: string; source?: string }

function portOf(v: string): number {
  if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new InvalidArgumentError('expected a port number (0: any free port)');
  return Number(v);
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

/** The page's files: dist/ui beside dist/cli.js, or cli/ui/assets when run from the sources. */
function assetsDir(): string {
  // dist/cli.js is CommonJS (__dirname); from the sources, the entry script's folder.
  const here = typeof __dirname === 'string' ? __dirname : path.dirname(path.resolve(process.argv[1] ?? '.'));
  for (const d of [path.join(here, 'ui'), path.join(here, 'ui', 'assets')]) {
    if (fs.existsSync(path.join(d, 'index.html'))) return d;
  }
  throw new Error(`cannot find the web console's page (index.html) beside ${here}`);
}

/** Opens the URL in the desktop's browser, never waiting on it; only where there is a display. */
function openBrowser(url: string, env: NodeJS.ProcessEnv): void {
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY && process.platform === 'linux') return;
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = childProcess().spawn(cmd, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no opener: the URL is printed
  }
}

export function registerUi(program: Command): void {
  exitTwoOnUsageError(program.command('ui'))
    .description('Serve a web console over the audit trail: sessions, timelines, escalations, integrity, live records, a rule tester, charts')
    .option('--port <n>', 'port to listen on (default: any free port)', portOf, 0)
    .option('--host <address>', 'address to listen on; anything but loopback lets other machines reach the token prompt', '127.0.0.1')
    .option('--no-open', 'do not open a browser (none is opened without a display either)')
    .option('--file <path...>', 'audit files to show, each with its rotated predecessors (default: every configured file sink)')
    .option('--source <store>', 'show the team store instead of local files: clickhouse://[USER[:PASSWORD]@]HOST:PORT/DATABASE[?table=T] (password best in HOOKWARDEN_CLICKHOUSE_PASSWORD)')
    .option('--index <path>', 'where to keep the index (default: ui-index-<hash>.duckdb in the state folder; it can be deleted at any time)')
    .option('--json', 'print {"url"} (schema/ui.schema.json) and keep serving')
    .addHelpText('after', `
The console listens on 127.0.0.1 and needs the random token in the printed URL (then a cookie);
requests naming another Host or Origin are refused. It reads the same files as tail, stats and
verify, and keeps an index (DuckDB) beside them that follows the files as they grow and rotate.
Ctrl-C stops it.

Examples:
  hookwarden ui
  hookwarden ui --no-open --port 7411
  hookwarden ui --file ~/.local/state/hookwarden/audit.jsonl --json
  hookwarden ui --source clickhouse://reader@db.internal:8123/hookwarden

With --source, the console shows every developer's records in the team store (copied as they
arrive into a private temporary file it indexes, removed at exit), and its integrity view is the
store's own check of each (host, user) chain, as verify --source gives it.

Exit codes: 0 stopped by Ctrl-C, 2 could not start (bad arguments, port in use).`)
    .action(async (flags: UiFlags) => {
      if (flags.source !== undefined) return serveStore(flags);
      const at = placeOfProcess();
      let files: string[];
      // Named files may be different trails: each gives records. Configured file sinks hold the
      // same records: the first gives them, every one is verified (as tail, stats and verify do).
      let recordFiles: number | undefined;
      if (flags.file && flags.file.length > 0) files = flags.file.map((f) => path.resolve(at.cwd, f));
      else {
        recordFiles = 1;
        const conf = configuredAuditFiles(at);
        if (conf.warning) process.stderr.write(`hookwarden: ${conf.warning}\n`);
        if (conf.files.length === 0) throw new Error('no file sink is configured (audit.sinks); name audit files with --file');
        files = conf.files;
      }
      files = [...new Set(files)];
      if (!LOOPBACK.test(flags.host)) process.stderr.write(`hookwarden: listening on ${flags.host}: other machines can reach the console (the token still guards it)\n`);
      const stateDir = path.dirname(defaultAuditPath(at.env, at.home));
      const key = createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 12);
      let indexPath: string | undefined = flags.index ? path.resolve(at.cwd, flags.index) : path.join(stateDir, `ui-index-${key}.duckdb`);
      try {
        fs.mkdirSync(path.dirname(indexPath), { recursive: true, mode: 0o700 });
      } catch {
        indexPath = undefined; // in memory
      }
      const { startUi } = await import('./ui/server.js');
      const ui = await startUi({
        host: flags.host, port: flags.port, files, recordFiles, indexPath, assets: assetsDir(),
        check: (input) => judge(input, process.env),
      });
      await serveUntilStopped(ui, flags);
      await ui.close();
      process.exitCode = 0;
    });
}

/** Prints the URL, opens the browser, and waits for Ctrl-C. */
async function serveUntilStopped(ui: { url: string; launchUrl(): string }, flags: UiFlags): Promise<void> {
  const doc: UiOutput = { url: ui.url };
  process.stdout.write(flags.json ? `${JSON.stringify(doc)}\n` : `hookwarden ui: ${ui.url}\n(Ctrl-C stops it)\n`);
  // The opener's command line is readable by every local user: it gets a one-time token.
  if (flags.open) openBrowser(ui.launchUrl(), process.env);
  await new Promise<void>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve());
  });
}

/** `ui --source clickhouse://…`: the console over a private, growing copy of the team store. */
async function serveStore(flags: UiFlags): Promise<void> {
  if (flags.file && flags.file.length > 0) throw new GuardError('--source and --file name two different trails: give one', 'usage');
  if (flags.index !== undefined) throw new GuardError('--index is for local files: with --source the index is temporary', 'usage');
  const src = parseSource(flags.source ?? '', process.env);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookwarden-ui-store-')); // 0700: the records are private
  const { StoreMirror } = await import('./ui/store-mirror.js');
  const mirror = new StoreMirror(src, dir);
  let stopped = false;
  let wake: (() => void) | undefined;
  try {
    await mirror.pull();
    if (mirror.lastError) throw new Error(`${sourceLabel(src)}: ${mirror.lastError}`);
    const { startUi } = await import('./ui/server.js');
    const ui = await startUi({
      host: flags.host, port: flags.port, files: [mirror.file], indexPath: path.join(dir, 'index.duckdb'), assets: assetsDir(),
      linked: false, integrity: () => mirror.integrity(), check: (input) => judge(input, process.env),
    });
    // New rows every second: the page shows them within about a second more (index and live stream).
    const pulling = (async () => {
      while (!stopped) {
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 1000);
        });
        if (!stopped) await mirror.pull();
      }
    })();
    await serveUntilStopped(ui, flags);
    stopped = true;
    wake?.();
    await pulling;
    await ui.close();
    process.exitCode = 0;
  } finally {
    stopped = true;
    await mirror.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

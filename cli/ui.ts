// `hookwarden ui`: the web console over the audit trail (cli/ui/: server, index, queries, page).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { configuredAuditFiles, placeOfProcess } from './support/audit-options.js';
import { defaultAuditPath } from '../sinks/file.js';
import { childProcess } from '../sinks/lazy-builtins.js';
import { exitTwoOnUsageError } from './support/usage.js';
import { judge } from './check.js';
import type { UiOutput } from './support/outputs.js';

interface UiFlags { port: number; host: string; open: boolean; file?: string[]; json?: boolean; index?: string }

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

Exit codes: 0 stopped by Ctrl-C, 2 could not start (bad arguments, port in use).`)
    .action(async (flags: UiFlags) => {
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
      const doc: UiOutput = { url: ui.url };
      process.stdout.write(flags.json ? `${JSON.stringify(doc)}\n` : `hookwarden ui: ${ui.url}\n(Ctrl-C stops it)\n`);
      // The opener's command line is readable by every local user: it gets a one-time token.
      if (flags.open) openBrowser(ui.launchUrl(), process.env);
      await new Promise<void>((resolve) => {
        for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve());
      });
      await ui.close();
      process.exitCode = 0;
    });
}

// Human output of install, uninstall and doctor: aligned columns, colour only on a terminal.
import os from 'node:os';
import type { DoctorResult, InstallResult } from './result.js';

export interface Paint {
  ok(s: string): string;
  warn(s: string): string;
  bad(s: string): string;
  dim(s: string): string;
}

export function paint(tty: boolean): Paint {
  const c = (code: number) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { ok: c(32), warn: c(33), bad: c(31), dim: c(2) };
}

/** Columns padded to the widest cell (measured before colouring). */
export function table(rows: { cells: string[]; color?: ((s: string) => string)[] }[]): string {
  const widths: number[] = [];
  for (const r of rows) r.cells.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.cells
    .map((c, i) => {
      const padded = i === r.cells.length - 1 ? c : c.padEnd(widths[i] ?? 0);
      return r.color?.[i] ? (r.color[i] as (s: string) => string)(padded) : padded;
    })
    .join('  ')
    .trimEnd()).join('\n') + (rows.length ? '\n' : '');
}

/** `~/…` for paths under the home folder. */
export function tilde(p: string, home: string = os.homedir()): string {
  return home && (p === home || p.startsWith(`${home}/`)) ? `~${p.slice(home.length)}` : p;
}

export function formatInstall(r: InstallResult, tty: boolean, home: string): string {
  const p = paint(tty);
  let out = '';
  if (r.dryRun) {
    for (const f of r.files) if (f.diff) out += f.diff.endsWith('\n') ? f.diff : `${f.diff}\n`;
    out += p.dim(`(dry run: nothing written)\n`);
  }
  const actionColor = (a: string) => (a === 'unchanged' ? p.dim : a === 'deleted' ? p.warn : p.ok);
  out += table(r.files.map((f) => ({
    cells: [f.kind.startsWith('codex') ? 'codex' : 'claude', r.dryRun && f.action !== 'unchanged' ? `would be ${f.action}` : f.action, tilde(f.path, home), f.backup ? `backup ${tilde(f.backup, home)}` : ''],
    color: [(s) => s, actionColor(f.action)],
  })));
  const codexHandlers = r.handlers.filter((h) => h.agent === 'codex');
  if (r.command === 'install' && r.trust && codexHandlers.length) {
    const from = r.trust.source === 'app-server' ? `from codex app-server hooks/list (${r.trust.codex})` : `computed: ${r.trust.reason ?? 'no codex app-server'}`;
    out += `codex trust: ${codexHandlers.length} handlers trusted in config.toml; keys and hashes ${from}\n`;
  }
  if (r.command === 'uninstall') out += `removed ${r.handlers.length} hookwarden handler${r.handlers.length === 1 ? '' : 's'}\n`;
  if (r.projectTrust) {
    const t = r.projectTrust;
    out += `codex project trust: ${t.path} ${t.trusted ? p.ok('trusted') : p.warn('not trusted')}${t.written ? ' (written now)' : ''}\n`;
  }
  if (r.client) out += `client: ${r.client}\n`;
  for (const w of r.warnings) out += `${p.warn('warning:')} ${w}\n`;
  if (r.command === 'install' && !r.dryRun && r.agents.includes('claude')) out += p.dim('claude: a running Claude Code session picks up hooks on restart\n');
  return out;
}

export function formatDoctor(r: DoctorResult, tty: boolean): string {
  const p = paint(tty);
  const color = { ok: p.ok, warn: p.warn, fail: p.bad, error: p.bad, skip: p.dim } as const;
  let out = table(r.checks.map((c) => ({
    cells: [c.status.toUpperCase(), c.agent ?? '-', c.name, c.detail],
    color: [color[c.status]],
  })));
  const verdict = r.exitCode === 0 ? p.ok('hookwarden is enforcing') : r.exitCode === 1 ? p.bad('hookwarden is NOT enforcing') : p.warn('hookwarden could not check everything');
  out += `\n${verdict}\n`;
  for (const line of r.problems) out += `  ${line}\n`;
  return out;
}

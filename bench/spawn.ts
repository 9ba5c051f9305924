// Wall time of the built hooks as fresh processes, alternated run by run with `node -e ''` in the
// same environment, so machine noise hits both sides alike.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { SpawnCase } from './payloads.js';
import { summarize, type Summary } from './stats.js';

export interface SpawnOptions {
  /** The built `dist/` folder to run (the benchmark runs a private copy of it). */
  dist: string;
  runs: number;
  warmups: number;
  /** A case stops early (with fewer runs, noted) once it has taken this long. */
  capMs: number;
  /** What runs a hook (default: node <dist>/hooks/<hook>.js); `sh -c '<registered command>'` for the registered setups. */
  hookCommand?: (hook: string) => [file: string, args: string[]];
  /** Before each hook run, not timed (the first-call setup removes the daemon). */
  beforeRun?: () => Promise<void>;
  /** After each hook run, not timed (the first-call setup waits for the daemon to be ready). */
  afterRun?: () => Promise<void>;
}

export interface CaseResult {
  id: string;
  label: string;
  /** Which configuration: sinks and NODE_EXTRA_CA_CERTS. */
  setup: string;
  hook: Summary;
  base: Summary;
  ratioMedian: number;
  ratioP95: number;
  /** Audit records the file sink gained per run (1 expected). */
  recordsPerRun: number;
  /** Decided in-process (no daemon): a session's first call, or HOOKWARDEN_DAEMON=off. */
  inProcess?: boolean;
  /** Run as the registered command (sh -c) with this client. */
  registered?: 'compiled' | 'node';
  /** Every run was a session's first call. */
  firstCall?: boolean;
  /** First calls: ms from the answer until the daemon the call started listened (NaN: never within 10 s). */
  daemonReadyMs?: number[];
  /** Why the case is not valid (wrong exit status, unexpected output); no timing is trusted then. */
  error?: string;
  /** Stopped early, or diagnostics the hook printed (first one). */
  note?: string;
}

export const hookFile = (dist: string, name: string): string => path.join(dist, 'hooks', `${name}.js`);

interface Once { ms: number; status: number | null; stdout: string; stderr: string; error?: Error }

function once(args: string[], input: string, env: Record<string, string>, cwd: string, file = process.execPath): Once {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, args, { input, env, cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ...(r.error ? { error: r.error } : {}) };
}

/** What a correct run of the case looks like; a message when it is not. */
function problem(c: SpawnCase, r: Once): string | undefined {
  const first = (s: string): string => s.trim().split('\n')[0]?.slice(0, 200) ?? '';
  if (r.error) return `spawn failed: ${r.error.message}`;
  if (r.status !== c.expectExit) return `exit ${r.status} (expected ${c.expectExit}); stderr: ${first(r.stderr) || '(empty)'}`;
  if (c.expectExit === 2 && !/^hookwarden: /.test(r.stderr)) return `blocked without the one-line reason; stderr: ${first(r.stderr)}`;
  if (c.hook === 'pre-tool-use' && r.stdout !== '') return `unexpected stdout: ${first(r.stdout)}`;
  return undefined;
}

/** An allowed call that printed diagnostics (a sink problem): still a valid run, but reported. */
function diagnostic(c: SpawnCase, r: Once): string | undefined {
  return c.expectExit === 0 && r.stderr !== '' ? `stderr: ${r.stderr.trim().split('\n')[0]?.slice(0, 160)}` : undefined;
}

function lineCount(file: string): number {
  try {
    const text = fs.readFileSync(file, 'utf8');
    let n = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    return n;
  } catch {
    return 0;
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs one case: warm-ups (checked), then `runs` pairs of hook and `node -e ''`, the order
 * flipping every pair. The baseline gets the same environment and an empty stdin.
 */
export async function measureCase(
  c: SpawnCase, setup: string, env: Record<string, string>, cwd: string, auditFile: string, opts: SpawnOptions,
): Promise<CaseResult> {
  const caseEnv = { ...env, ...c.env };
  const input = JSON.stringify(c.payload);
  const [hookFileToRun, hookArgs] = opts.hookCommand ? opts.hookCommand(c.hook) : [process.execPath, [hookFile(opts.dist, c.hook)]];
  const baseArgs = ['-e', ''];
  const hookMs: number[] = [];
  const baseMs: number[] = [];
  let error: string | undefined;
  const before = lineCount(auditFile);
  let hookRuns = 0;
  let warning: string | undefined;
  for (let i = 0; i < opts.warmups && !error; i++, hookRuns++) {
    once(baseArgs, '', caseEnv, cwd);
    await opts.beforeRun?.();
    const r = once(hookArgs, input, caseEnv, cwd, hookFileToRun);
    await opts.afterRun?.();
    error = problem(c, r);
    warning ??= diagnostic(c, r);
  }
  const start = Date.now();
  let note: string | undefined;
  for (let i = 0; i < opts.runs && !error; i++) {
    if (Date.now() - start > opts.capMs) {
      note = `stopped after ${i} runs (${Math.round(opts.capMs / 1000)} s cap)`;
      break;
    }
    const pair: [string[], string][] = [[baseArgs, ''], [hookArgs, input]];
    if (i % 2) pair.reverse();
    for (const [args, stdin] of pair) {
      if (args === hookArgs) await opts.beforeRun?.();
      const r = once(args, stdin, caseEnv, cwd, args === hookArgs ? hookFileToRun : process.execPath);
      if (args === hookArgs) await opts.afterRun?.();
      if (args === hookArgs) {
        hookRuns++;
        hookMs.push(r.ms);
        error ??= problem(c, r);
        warning ??= diagnostic(c, r);
      } else baseMs.push(r.ms);
    }
    // Lets the benchmark's own loopback peers (HTTP, syslog) take what the hook sent.
    await tick();
  }
  const hook = summarize(hookMs);
  const base = summarize(baseMs);
  return {
    id: c.id, label: c.label, setup, hook, base,
    ratioMedian: hook.median / base.median,
    ratioP95: hook.p95 / base.p95,
    recordsPerRun: hookRuns ? (lineCount(auditFile) - before) / hookRuns : 0,
    ...(error ? { error } : {}),
    ...(note || warning ? { note: [note, warning].filter(Boolean).join('; ') } : {}),
  };
}

export interface StartupRow { label: string; ms: Summary; overBase: number }

/**
 * Where start-up goes, without the hook logic: bare Node, compiling each hook bundle (V8 parses
 * and pre-parses it but runs nothing) without and with its code cache, and loading the shell
 * parser on its own, without and with its code cache.
 */
export function startupBreakdown(dist: string, env: Record<string, string>, cwd: string, runs: number, parserPath: string): StartupRow[] {
  const code = (name: string): string => path.join(dist, 'hooks', `${name}.code.js`);
  const loader = path.join(dist, 'hooks', 'code-cache.js');
  const compile = "new (require('vm').Script)(require('fs').readFileSync(process.argv[1],'utf8'),{filename:process.argv[1]})";
  // Exit 3 when the cache is not used, so a row never reports a cache that V8 turned down.
  const cached = `const l=require(${JSON.stringify(loader)}).compileCached(process.argv[1]);if(l.cache!=='accepted')process.exit(3)`;
  const parse = ".syntax;s.NewParser(s.Variant(s.LangBash)).Parse('echo hi > f','')";
  const variants: [string, string[]][] = [
    ["node -e ''", ['-e', '']],
    ...(['pre-tool-use', 'post-tool-use', 'audit-event'] as const).flatMap((h): [string, string[]][] => [
      [`compile hooks/${h}.code.js, no code cache (not run)`, ['-e', compile, code(h)]],
      [`compile hooks/${h}.code.js with its code cache (not run)`, ['-e', cached, code(h)]],
    ]),
    ['require the shell parser (mvdan-sh), no code cache', ['-e', 'require(process.argv[1])', parserPath]],
    ['load the shell parser with its code cache', ['-e', `require(${JSON.stringify(loader)}).requireCached(process.argv[1],require)`, parserPath]],
    ["load the shell parser with its code cache + NewParser + parse 'echo hi > f'", ['-e',
      `const s=require(${JSON.stringify(loader)}).requireCached(process.argv[1],require)${parse}`, parserPath]],
  ];
  const samples = variants.map(() => [] as number[]);
  for (let i = 0; i < runs + 1; i++) {
    variants.forEach(([, args], k) => {
      const r = once(args, '', env, cwd);
      if (r.status !== 0) throw new Error(`start-up probe failed: node ${args.join(' ').slice(0, 80)}: ${r.stderr.trim().split('\n')[0]}`);
      if (i > 0) (samples[k] as number[]).push(r.ms);
    });
  }
  const base = summarize(samples[0] as number[]).median;
  return variants.map(([label], k) => {
    const ms = summarize(samples[k] as number[]);
    return { label, ms, overBase: ms.median - base };
  });
}

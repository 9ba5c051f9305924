// In-process figures: the guard core imported from its TypeScript sources (through tsx), timed
// per decision, so start-up is left out and only the decision itself is measured.
import fs from 'node:fs';
import path from 'node:path';
import { evaluatePayload, type GuardEnv } from '../lib/guard.js';
import { loadConfig, type LoadedConfig } from '../lib/config.js';
import { parsePayload, type Payload } from '../lib/payload.js';
import { parseShell } from '../lib/targets/shell/parse.js';
import { sandbox } from '../test/helpers/hook.js';
import { TYPICAL_COMMANDS, claudeWrite, codexBash, codexPatch, generatedRules, heredocText, shellText } from './payloads.js';
import { growth, median, percentile, type Growth, type Point } from './stats.js';

export interface InProcessOptions {
  /** Seconds spent timing each typical-mix row. */
  mixSeconds: number;
  /** Repetitions of the larger growth points (small ones repeat until ~0.2 s). */
  reps: number;
}

export interface MixRow {
  label: string;
  rules: number;
  decisions: number;
  medianUs: number;
  p95Us: number;
  perSecond: number;
}

export interface SizeRow { bytes: number; parseMs: number; decideMs: number; targets: number; error?: string }
export interface ShapeRow extends SizeRow { label: string }
export interface RuleRow { rules: number; usPerDecision: number }

export interface InProcessResult {
  /** First shell decision in a fresh process: includes loading the parser. */
  firstShellMs: number;
  loadConfigMs: { rules: number; ms: number }[];
  mix: MixRow[];
  sizes: SizeRow[];
  /** 1 MB in the shapes the target is judged on: many commands, and one heredoc. */
  megabyte: ShapeRow[];
  sizeGrowth: { parse: Growth; decide: Growth };
  ruleRows: RuleRow[];
  ruleGrowth: Growth;
}

const COMMAND_PRESETS = ['git-destructive', 'fs-destructive', 'remote-code', 'databases', 'infrastructure'];
const nowUs = (): number => Number(process.hrtime.bigint()) / 1000;
const RULE_COUNTS = [10, 20, 40, 80, 160, 320, 500];
const SIZES = Array.from({ length: 11 }, (_, k) => 1024 * 2 ** k); // 1 KB .. 1 MB

interface Fixture {
  project: string;
  genv: GuardEnv;
  cleanup(): void;
  config(rules: number, commandPresets?: boolean): LoadedConfig;
  payload(p: Record<string, unknown>): Payload;
}

function fixture(): Fixture {
  const sb = sandbox();
  for (const f of ['app.ts', 'old.ts', 'index.ts']) fs.writeFileSync(path.join(sb.project, 'src', f), 'export {};\n');
  fs.mkdirSync(path.join(sb.project, 'build'), { recursive: true });
  const env = { ...sb.env };
  const home = path.join(sb.root, 'home');
  const genv: GuardEnv = { env, home };
  const config = (rules: number, commandPresets = true): LoadedConfig => {
    const cfgEnv: Record<string, string | undefined> = { ...env };
    if (rules > 0 || !commandPresets) {
      const file = path.join(sb.root, `rules-${rules}-${commandPresets}.json`);
      // Command rules switched off: the baseline that shows what they add to ordinary calls.
      const presets = commandPresets ? undefined : Object.fromEntries(COMMAND_PRESETS.map((n) => [n, false]));
      fs.writeFileSync(file, JSON.stringify({ ...(rules > 0 ? { rules: generatedRules(rules) } : {}), ...(presets ? { presets } : {}) }));
      cfgEnv.HOOKWARDEN_CONFIG = file;
    }
    return loadConfig({ cwd: sb.project, home, env: cfgEnv, platform: process.platform });
  };
  return {
    project: sb.project, genv, cleanup: sb.cleanup, config,
    payload: (p) => parsePayload(JSON.stringify(p), env),
  };
}

/** Times each decision of `set` round after round for about `seconds`; every one must allow. */
function timeMix(set: Payload[], config: LoadedConfig, genv: GuardEnv, seconds: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) for (const p of set) evaluatePayload(p, config, genv); // JIT warm-up
  const stop = nowUs() + seconds * 1e6;
  for (let round = 0; round < 5 || (nowUs() < stop && round < 100_000); round++) {
    for (const p of set) {
      const t0 = nowUs();
      const v = evaluatePayload(p, config, genv);
      samples.push(nowUs() - t0);
      if (v.decision !== 'allow') throw new Error(`typical call not allowed: ${v.reason ?? v.decision}`);
    }
  }
  return samples;
}

function mixRow(label: string, rules: number, samples: number[]): MixRow {
  const total = samples.reduce((s, x) => s + x, 0);
  return {
    label, rules, decisions: samples.length,
    medianUs: median(samples), p95Us: percentile(samples, 95), perSecond: samples.length / (total / 1e6),
  };
}

/** Median ms of `fn`, repeated at least `min` times and until ~0.2 s has passed (max 200). */
function repeatMs(fn: () => void, min: number): number {
  const times: number[] = [];
  const start = nowUs();
  while (times.length < min || (nowUs() - start < 200_000 && times.length < 200)) {
    const t0 = nowUs();
    fn();
    times.push((nowUs() - t0) / 1000);
  }
  return median(times);
}

export function runInProcess(opts: InProcessOptions, log: (msg: string) => void): InProcessResult {
  const fx = fixture();
  try {
    const defaults = fx.config(0);
    const bash = TYPICAL_COMMANDS.map((c) => fx.payload(codexBash(fx.project, c)));
    const patch = fx.payload(codexPatch(fx.project, 1));
    const patch20 = fx.payload(codexPatch(fx.project, 20));
    const write = fx.payload(claudeWrite(fx.project, 'src/app.ts'));

    const t0 = nowUs();
    evaluatePayload(bash[0] as Payload, defaults, fx.genv);
    const firstShellMs = (nowUs() - t0) / 1000;

    const loadConfigMs = [0, 500].map((rules) => ({ rules, ms: repeatMs(() => fx.config(rules), 3) }));

    log('in-process: typical decisions');
    const mix: MixRow[] = [];
    for (const rules of [0, 500]) {
      const config = rules ? fx.config(rules) : defaults;
      const typical = [...bash, patch, write];
      mix.push(mixRow('typical mix (20 Bash, apply_patch, Write)', rules, timeMix(typical, config, fx.genv, opts.mixSeconds)));
      mix.push(mixRow('Bash only (20 commands)', rules, timeMix(bash, config, fx.genv, opts.mixSeconds / 2)));
      if (rules === 0) {
        // The same calls with no command rule at all: the difference is what command rules cost.
        mix.push(mixRow('Bash only (20 commands), command-rule presets off', rules, timeMix(bash, fx.config(0, false), fx.genv, opts.mixSeconds / 2)));
      }
      mix.push(mixRow('apply_patch, 1 file', rules, timeMix([patch], config, fx.genv, opts.mixSeconds / 4)));
      mix.push(mixRow('apply_patch, 20 files', rules, timeMix([patch20], config, fx.genv, opts.mixSeconds / 4)));
      mix.push(mixRow('Claude Write', rules, timeMix([write], config, fx.genv, opts.mixSeconds / 4)));
    }

    log('in-process: growth with command length (1 KB .. 1 MB)');
    const measure = (text: string, reps: number): SizeRow => {
      const payload = fx.payload(codexBash(fx.project, text));
      const row: SizeRow = { bytes: Buffer.byteLength(text), parseMs: repeatMs(() => parseShell(text), reps), decideMs: Number.NaN, targets: 0 };
      try {
        row.decideMs = repeatMs(() => {
          row.targets = evaluatePayload(payload, defaults, fx.genv).targets.length;
        }, reps);
      } catch (err) {
        row.error = err instanceof Error ? err.message : String(err);
      }
      return row;
    };
    const sizes = SIZES.map((bytes) => measure(shellText(bytes), bytes >= 256 * 1024 ? Math.max(1, opts.reps) : Math.max(3, opts.reps)));
    const megabyte: ShapeRow[] = [
      { label: '1 MB of ordinary commands, one per line', ...(sizes[sizes.length - 1] as SizeRow) },
      { label: "1 MB written through one heredoc (cat > f <<'EOF')", ...measure(heredocText(1024 * 1024), Math.max(1, opts.reps)) },
    ];
    const pts = (f: (r: SizeRow) => number): Point[] => sizes.filter((r) => !r.error).map((r) => ({ n: r.bytes, t: f(r) }));

    log('in-process: growth with rule count (10 .. 500, the most one config file may hold)');
    const ruleRows: RuleRow[] = [];
    // Calls whose cost is mostly rule matching (21 targets per round): in the Bash mix the
    // parser's fixed cost would hide how matching grows.
    const set = [patch20, write];
    for (const rules of RULE_COUNTS) {
      const samples = timeMix(set, fx.config(rules), fx.genv, opts.mixSeconds / 4);
      ruleRows.push({ rules, usPerDecision: samples.reduce((s, x) => s + x, 0) / samples.length });
    }
    return {
      firstShellMs, loadConfigMs, mix, sizes, megabyte,
      sizeGrowth: { parse: growth(pts((r) => r.parseMs)), decide: growth(pts((r) => r.decideMs)) },
      ruleRows,
      ruleGrowth: growth(ruleRows.map((r) => ({ n: r.rules, t: r.usPerDecision }))),
    };
  } finally {
    fx.cleanup();
  }
}

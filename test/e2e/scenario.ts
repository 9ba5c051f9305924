// One scenario = a sandbox, a scripted model, hookwarden registered by `hookwarden install`, and the
// evidence a failure message needs. Also the assertions every scenario shares.
import fs from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { CLI, hookwarden, installAgents, makeSandbox, writeCodexConfig, type Sandbox } from './agents.js';
import { startClaudeModel, type ClaudeModel, type ClaudeStep } from './claude-model.js';
import { startCodexModel, type CodexModel, type CodexStep } from './codex-model.js';
import { Evidence, type AuditLine } from './evidence.js';

/** For `before()`: the agents are installed and hookwarden is built, or the suite stops here. */
export function prerequisites(): void {
  installAgents();
  if (!fs.existsSync(CLI)) throw new Error(`${path.relative(process.cwd(), CLI)} is missing: run \`npm run build\` (npm run test:e2e does)`);
}

export interface CodexScenario { sb: Sandbox; model: CodexModel; ev: Evidence }
export interface ClaudeScenario { sb: Sandbox; model: ClaudeModel; ev: Evidence }

export async function codexScenario(t: TestContext, name: string, steps: CodexStep[], opts: { mcp?: boolean } = {}): Promise<CodexScenario> {
  const sb = makeSandbox(name);
  const model = await startCodexModel(steps);
  t.after(async () => {
    await model.close();
    sb.cleanup();
  });
  writeCodexConfig(sb, model.baseUrl, opts);
  return { sb, model, ev: new Evidence(sb, () => model.describe()) };
}

/** Claude's file tools take absolute paths, so the script is made from the sandbox. */
export async function claudeScenario(t: TestContext, name: string, script: (sb: Sandbox) => ClaudeStep[]): Promise<ClaudeScenario> {
  const sb = makeSandbox(name);
  const model = await startClaudeModel(script(sb));
  t.after(async () => {
    await model.close();
    sb.cleanup();
  });
  return { sb, model, ev: new Evidence(sb, () => model.describe()) };
}

/** `hookwarden install` exactly as a user runs it; the scenario fails if it does not succeed. */
export async function install(ev: Evidence, agent: 'codex' | 'claude', scope: 'user' | 'project' = 'user', ...more: string[]): Promise<void> {
  const r = await hookwarden(ev.sb, 'install', '--agent', agent, '--scope', scope, ...more);
  ev.cli.push(r);
  ev.check(r.status === 0, `hookwarden ${r.args.join(' ')} exited ${r.status}`);
}

/** `hookwarden verify <audit file>` exits 0. */
export async function verifyChain(ev: Evidence): Promise<void> {
  const r = await hookwarden(ev.sb, 'verify', ev.sb.auditFile);
  ev.cli.push(r);
  ev.check(r.status === 0, `hookwarden verify on the audit log exited ${r.status}, expected 0 (intact chain)`);
}

/** The call was denied by hookwarden: a deny record with its tool_use_id and no PostToolUse. */
export function denyRecord(ev: Evidence, toolUseId: string): AuditLine {
  const deny = ev.records('PreToolUse', toolUseId).find((r) => r.decision === 'deny');
  ev.check(deny, `no PreToolUse deny record with tool_use_id ${toolUseId}`);
  ev.check(typeof deny.reason === 'string' && deny.reason.length > 0, `the deny record of ${toolUseId} has no reason`);
  ev.check(ev.records('PostToolUse', toolUseId).length === 0, `a PostToolUse record exists for the blocked call ${toolUseId}: the tool ran`);
  return deny;
}

/** The call was allowed and ran: a PreToolUse allow record and a PostToolUse record, same tool_use_id. */
export function allowedAndRan(ev: Evidence, toolUseId: string): void {
  const pre = ev.records('PreToolUse', toolUseId);
  ev.check(pre.length > 0 && pre.every((r) => r.decision === 'allow'), `expected PreToolUse allow record(s) for ${toolUseId}`);
  ev.check(ev.records('PostToolUse', toolUseId).length > 0, `no PostToolUse record linked to ${toolUseId}`);
}

export function absent(ev: Evidence, rel: string): void {
  ev.check(!fs.existsSync(path.join(ev.sb.project, rel)), `${rel} exists: the blocked write happened`);
}

export function unchanged(ev: Evidence, rel: string, before: string): void {
  const now = fs.readFileSync(path.join(ev.sb.project, rel), 'utf8');
  ev.check(now === before, `${rel} changed: ${JSON.stringify(now)}`);
}

export function present(ev: Evidence, rel: string, content?: string): void {
  const file = path.join(ev.sb.project, rel);
  ev.check(fs.existsSync(file), `${rel} is missing: the allowed call did not happen`);
  if (content !== undefined) ev.check(fs.readFileSync(file, 'utf8') === content, `${rel} holds ${JSON.stringify(fs.readFileSync(file, 'utf8'))}, expected ${JSON.stringify(content)}`);
}

/** The agent finished by itself (no timeout) with exit 0. */
export function ranToEnd(ev: Evidence): void {
  const run = ev.runs.at(-1);
  ev.check(run && !run.timedOut && run.status === 0, 'the agent did not finish cleanly');
}

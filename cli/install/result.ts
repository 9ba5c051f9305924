// The `--json` documents of `install`, `uninstall` and `doctor`. schema/install.schema.json and
// schema/doctor.schema.json are generated from these (see installJsonSchemas()); tests validate real
// outputs against them.
import * as z from 'zod/mini';
import { describedJsonSchema } from '../support/outputs.js';

const AgentEnum = z.enum(['codex', 'claude']);
const TrustSourceEnum = z.enum(['app-server', 'computed']);
const TrustStatusEnum = z.enum(['trusted', 'untrusted', 'modified', 'disabled']);
const nullableString = z.nullable(z.string());

export const FileOutcomeSchema = z.strictObject({
  path: z.string().check(z.describe('The file, as named from CODEX_HOME, HOME or the project')),
  kind: z.enum(['codex-hooks', 'codex-config', 'claude-settings']),
  action: z.enum(['created', 'updated', 'deleted', 'unchanged']).check(z.describe('What was done (with --dry-run: what would be done)')),
  backup: nullableString.check(z.describe('Copy of the file made before it changed (in hookwarden\'s state folder)')),
  diff: z.optional(z.string().check(z.describe('Unified diff (--dry-run only)'))),
});

export const HandlerReportSchema = z.strictObject({
  agent: AgentEnum,
  event: z.string(),
  matcher: nullableString,
  command: z.string(),
  timeout: z.number(),
  file: z.string(),
  key: nullableString.check(z.describe('Codex trust key <real hooks file>:<event_snake>:<group>:<handler>')),
  hash: nullableString.check(z.describe('Codex trusted_hash written for the key')),
  trustSource: z.nullable(TrustSourceEnum),
});

export const TrustReportSchema = z.strictObject({
  source: TrustSourceEnum.check(z.describe('Where keys and hashes came from: codex app-server hooks/list, or computed')),
  codex: nullableString.check(z.describe('The codex binary asked, if any')),
  reason: nullableString.check(z.describe('Why the hashes were computed')),
});

export const ProjectTrustSchema = z.strictObject({
  path: z.string(),
  configFile: z.string(),
  trusted: z.boolean().check(z.describe('config.toml trusts the project after this run')),
  written: z.boolean().check(z.describe('This run added or removed the trust (--trust-project)')),
});

export const InstallResultSchema = z.strictObject({
  command: z.enum(['install', 'uninstall']),
  dryRun: z.boolean(),
  scope: z.enum(['user', 'project']),
  agents: z.array(AgentEnum),
  changed: z.boolean(),
  files: z.array(FileOutcomeSchema),
  handlers: z.array(HandlerReportSchema),
  trust: z.nullable(TrustReportSchema),
  projectTrust: z.nullable(ProjectTrustSchema),
  backups: z.array(z.string()).check(z.describe('Copies of changed files, in hookwarden\'s state folder ($XDG_STATE_HOME/hookwarden/install/backups)')),
  client: z.optional(nullableString.check(z.describe('install: which hook client is registered and why (the compiled client, or the Node client and the reason)'))),
  warnings: z.array(z.string()),
  error: nullableString.check(z.describe('Why the run failed (exit 2); every file it had written was restored, so files and handlers are empty')),
});

export type FileOutcome = z.infer<typeof FileOutcomeSchema>;
export type HandlerReport = z.infer<typeof HandlerReportSchema>;
export type TrustReport = z.infer<typeof TrustReportSchema>;
export type ProjectTrust = z.infer<typeof ProjectTrustSchema>;
export type InstallResult = z.infer<typeof InstallResultSchema>;

export const CheckSchema = z.strictObject({
  agent: z.nullable(AgentEnum),
  name: z.string().check(z.describe('node, code-cache, config, registration, trust, project-trust, sink, spool, probe')),
  status: z.enum(['ok', 'warn', 'fail', 'error', 'skip']).check(z.describe('fail: not enforcing; error: could not check')),
  detail: z.string(),
  fix: nullableString.check(z.describe('One line that says how to fix it')),
});

export const ProbeSchema = z.strictObject({
  agent: AgentEnum,
  case: z.enum(['blocked', 'allowed']),
  command: z.string(),
  exitCode: z.nullable(z.number()),
  ms: z.number(),
  timeoutSec: z.number(),
  ok: z.boolean(),
  detail: z.string(),
});

export const AgentStateSchema = z.strictObject({
  agent: AgentEnum,
  installed: z.boolean(),
  files: z.array(z.string()).check(z.describe('Files holding hookwarden handlers')),
  handlers: z.array(z.strictObject({
    event: z.string(),
    file: z.string(),
    command: z.string(),
    key: nullableString,
    trust: z.nullable(TrustStatusEnum),
  })),
  trustSource: z.nullable(TrustSourceEnum),
});

export const DoctorResultSchema = z.strictObject({
  status: z.enum(['enforcing', 'not-enforcing', 'unknown']),
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  node: z.strictObject({ version: z.string(), ok: z.boolean() }),
  agents: z.array(AgentStateSchema),
  checks: z.array(CheckSchema),
  spool: z.nullable(z.strictObject({ dir: z.string(), files: z.number(), bytes: z.number(), maxBytes: z.number() })),
  probes: z.array(ProbeSchema),
  problems: z.array(z.string()).check(z.describe('One line per failed check, with the fix')),
});

export type Check = z.infer<typeof CheckSchema>;
export type Probe = z.infer<typeof ProbeSchema>;
export type AgentState = z.infer<typeof AgentStateSchema>;
export type DoctorResult = z.infer<typeof DoctorResultSchema>;

/** The committed schema files, generated from the zod schemas above. */
export function installJsonSchemas(): Record<'install.schema.json' | 'doctor.schema.json', object> {
  const gen = describedJsonSchema;
  return {
    'install.schema.json': gen(InstallResultSchema, 'hookwarden install --json', 'What `hookwarden install` or `uninstall` did (or would do with --dry-run).'),
    'doctor.schema.json': gen(DoctorResultSchema, 'hookwarden doctor --json', 'Whether hookwarden is enforcing for each installed agent, and why not.'),
  };
}

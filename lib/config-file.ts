// One config file: what it may hold (the zod schema, also the source of schema/config.schema.json)
// and how its text is read into it. Merging the layers is lib/config.ts.
import * as z from 'zod/mini';
import { AuditConfigSchema } from './audit-config.js';
import { PRESET_NAMES, type PresetName } from '../rules/index.js';
import { describeIssue, type Issue } from './config-errors.js';
import { checkJsonDepth, jsonProblem } from './config-read.js';
import { checkCounts } from './config-bounds.js';
import { MAX_RULES } from './glob-limits.js';
import { RuleSchema } from './rules.js';
import { CommandRuleSchema } from './commands/schema.js';
import { GuardError } from './types.js';

const int = (min: number, max: number) => z.optional(z.number().check(z.int(), z.gte(min), z.lte(max)));
const CallLimitsSchema = z.strictObject({
  maxInputBytes: int(1024, 1 << 30),
  budgetMs: int(100, 600_000),
  maxDepth: int(1, 64),
  maxShellBytes: int(1024, 1 << 30),
  walkEntries: int(0, 10_000_000),
});
/** What one call may cost (the config's `limits`): input size, time, shell nesting, directory walks. */
export type CallLimits = { [K in keyof z.output<typeof CallLimitsSchema>]-?: number };
export const DEFAULT_CALL_LIMITS: Readonly<CallLimits> = {
  maxInputBytes: 10 * 1024 * 1024,
  budgetMs: 10_000,
  maxDepth: 8,
  maxShellBytes: 2 * 1024 * 1024,
  walkEntries: 10_000,
};
/** What to do with a target that cannot be resolved, from loosest to tightest. */
export const UNRESOLVED_MODES = ['allow', 'ask', 'deny'] as const;
export type UnresolvedMode = (typeof UNRESOLVED_MODES)[number];

const Fields = z.array(z.string().check(z.minLength(1)));
const McpOverrideSchema = z.strictObject({
  writes: z.optional(Fields), reads: z.optional(Fields), ignore: z.optional(z.boolean()),
  /** Every path in the tool's arguments is read, never written (the tool's name alone never says so). */
  readOnly: z.optional(z.boolean()),
});

export const ConfigFileSchema = z.strictObject({
  $schema: z.optional(z.string()),
  /** Switch built-in presets on or off by name (off: user layer / HOOKWARDEN_CONFIG only). */
  presets: z.optional(z.strictObject(
    Object.fromEntries(PRESET_NAMES.map((n) => [n, z.optional(z.union([z.boolean(), z.literal('ask')]))])) as Record<PresetName, z.ZodMiniOptional<z.ZodMiniUnion<[z.ZodMiniBoolean, z.ZodMiniLiteral<'ask'>]>>>,
  ).check(z.describe('Switch built-in presets on or off by name, or to "ask" (its deny rules ask instead); off and "ask" only from the user config.'))),
  rules: z.optional(z.array(RuleSchema).check(z.maxLength(MAX_RULES), z.describe('Rules added to the built-in presets.'))),
  commands: z.optional(z.array(CommandRuleSchema).check(z.maxLength(MAX_RULES), z.describe('Command rules added to the built-in presets (see README, "Command rules").'))),
  unresolved: z.optional(z.enum(UNRESOLVED_MODES).check(z.describe(
    'Targets that cannot be resolved statically and match no rule: allow (recorded as unresolved), '
    + 'ask (Claude asks the user; Codex cannot ask, so it blocks) or deny. A project config may only tighten.',
  ))),
  unknownCommands: z.optional(z.enum(UNRESOLVED_MODES).check(z.describe(
    'An operand or option value of a command the guard does not know that names a protected path: '
    + 'deny (default), ask or allow (as if the command did not touch it). A project config may only tighten.',
  ))),
  unknownTargets: z.optional(z.enum(UNRESOLVED_MODES).check(z.describe(
    'A file a command writes, deletes or moves whose path is wholly unknown before it runs (`> "$(cat f)"`: '
    + 'it may be any path, so any protected one): deny (default), ask or allow (then the unresolved setting decides). '
    + 'A project config may only tighten.',
  ))),
  mcp: z.optional(z.strictObject({ tools: z.optional(z.record(z.string().check(z.minLength(1)), McpOverrideSchema).check(
    z.describe('Per MCP tool (full name or mcp__<server>__*): argument names that are written or read, or ignore.'),
  )) })),
  limits: z.optional(CallLimitsSchema.check(z.describe('Bounds on input size, time, shell nesting and directory walks.'))),
  /** User layer / HOOKWARDEN_CONFIG only: a cloned repo must not redirect or switch off auditing. */
  audit: z.optional(AuditConfigSchema.check(z.describe('Audit trail settings (user config only).'))),
});
export type ConfigFile = z.output<typeof ConfigFileSchema>;

/** Parses and validates one config file's text. Throws GuardError naming file, rule and field. */
export function parseConfigText(text: string, file: string): ConfigFile {
  return parseConfigFile(text, file).cfg;
}

/** parseConfigText, with the patterns the file's globs expand to (counted once, while bounding them). */
export function parseConfigFile(text: string, file: string): { cfg: ConfigFile; patterns: number } {
  let raw: unknown;
  checkJsonDepth(text, file);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    raw = JSON.parse(body);
  } catch (err) {
    throw new GuardError(`${file}: invalid JSON: ${jsonProblem(err, body)}`, 'config');
  }
  const patterns = checkCounts(raw, file);
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GuardError(`${file}: ${issue ? describeIssue(issue as unknown as Issue, raw) : 'invalid config'}`, 'config');
  }
  const seen = new Map<string, number>();
  (parsed.data.rules ?? []).forEach((r, i) => {
    const first = seen.get(r.id);
    if (first !== undefined) {
      throw new GuardError(`${file}: rules[${i}] (id ${JSON.stringify(r.id)}): field id: duplicate of rules[${first}]`, 'config');
    }
    seen.set(r.id, i);
  });
  return { cfg: parsed.data, patterns };
}

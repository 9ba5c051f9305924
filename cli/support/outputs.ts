// The `--json` documents of check, verify, validate, tail, stats, ship, ui and team init. schema/<name>.schema.json
// are generated from these (outputJsonSchemas(), scripts/write-schemas.ts); tests validate real outputs.
import * as z from 'zod/mini';
import { recordJsonSchema } from '../../lib/record-schema.js';
import { STATS_BY } from './stats.js';

const d = z.describe;
const count = z.number().check(z.int(), z.gte(0));
const nullableString = z.nullable(z.string());
const DecisionEnum = z.enum(['allow', 'deny', 'ask']);

export const CheckOutputSchema = z.strictObject({
  decision: DecisionEnum.check(d('What the PreToolUse hook would decide; ask and deny both exit 1')),
  targets: z.array(z.strictObject({
    op: z.enum(['write', 'delete', 'move-from', 'move-to', 'read']),
    path: z.string().check(d('Normalized absolute path')),
    via: z.string().check(d('How the target was found: redirect >, rm, apply_patch Add File, Write...')),
    unresolved: z.optional(z.boolean().check(d('Part of the path is only known at run time; that part reads <unresolved> in path'))),
    literal: z.optional(z.string().check(d('The word as written in the command or input'))),
    unknownCommand: z.optional(z.string().check(d('Found as an operand of this command, which the guard does not know: counts as written only when protected'))),
  })),
  unknownCommands: z.optional(z.array(z.string()).check(d('Commands (and subcommands) the guard did not know whose operands it counted as possibly written'))),
  rule: nullableString.check(d('Id of the deciding rule')),
  layer: nullableString.check(d('builtin:<preset> or the config file the rule came from')),
  reason: nullableString,
  command: z.optional(z.strictObject({
    argv: z.array(z.string()),
    preset: z.optional(z.string()),
    container: z.optional(z.boolean()),
  }).check(d('Set when a command rule decided: the command with its arguments, the rule\'s preset, whether it runs inside a container'))),
  error: z.optional(z.string().check(d('Why the call could not be judged (it is blocked)'))),
});

const who = { host: z.string(), user: z.string() };
const place = { ...who, file: z.string(), line: count.check(d('1-based line in file (for lost records: where they belong)')) };
const WitnessFindingSchema = z.union([
  z.strictObject({ kind: z.literal('lost').check(d('Records the store holds that the local files lack')), ...place, count, first: z.strictObject({ id: z.string(), ts: z.string() }), last: z.strictObject({ id: z.string(), ts: z.string() }) }),
  z.strictObject({ kind: z.literal('differs').check(d('A record whose hash differs from the store\'s copy')), ...place, id: z.string(), localHash: z.string(), storeHash: z.string() }),
  z.strictObject({ kind: z.literal('unshipped').check(d('Local records the store lacks yet (not a problem)')), ...place, count, since: z.string() }),
  z.strictObject({ kind: z.literal('chain').check(d('--source: a gap, fork, restart or modified row in the store')), ...who, id: z.string(), ts: z.string(), problem: z.string() }),
]);

export const VerifyOutputSchema = z.strictObject({
  ok: z.boolean().check(d('No problem and every file readable')),
  records: count.check(d('Lines that are records, intact or not (--source: rows in the store)')),
  problems: z.array(z.strictObject({ file: z.string(), line: count, problem: z.string() })),
  unreadable: z.array(z.string()),
  stored: z.optional(count.check(d('--against: the remote copies of these writers\' records'))),
  writers: z.optional(z.array(z.strictObject({ ...who, records: z.optional(count) }))),
  findings: z.optional(z.array(WitnessFindingSchema)),
});

export const ValidateProblemSchema = z.strictObject({
  severity: z.enum(['error', 'warning']).check(d('error: exit 1; warning: exit 0 unless --strict')),
  rule: z.optional(z.string().check(d('Id of the rule concerned'))),
  field: z.optional(z.string().check(d('The field, relative to the rule when there is one: paths[0], presets.vcs'))),
  message: z.string().check(d('One line naming the rule and field')),
});

export const ValidateOutputSchema = z.strictObject({
  ok: z.boolean(),
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]).check(d('0 valid, 1 problems, 2 a file could not be read')),
  files: z.array(z.strictObject({
    file: z.string(),
    layer: z.enum(['user', 'project', 'env', 'file']).check(d('env: HOOKWARDEN_CONFIG; file: named on the command line, not a layer of the current directory')),
    present: z.boolean().check(d('false: the file does not exist (for a default layer: the built-in defaults apply)')),
    ok: z.boolean(),
    problems: z.array(ValidateProblemSchema),
  })),
});

export const StatsOutputSchema = z.strictObject({
  by: z.enum(STATS_BY),
  total: count,
  groups: z.array(z.strictObject({
    key: nullableString.check(d('The value of the field; null for records without it')),
    count,
    deny: count,
    allow: count,
    ask: count,
  })),
});

export const ShipOutputSchema = z.strictObject({
  delivered: count.check(d('Records delivered by this run')),
  remaining: count.check(d('Records still in the spool, stranded ones included')),
  stranded: z.array(z.strictObject({
    queue: z.string().check(d('Spool queue directory: http-<name>, or http-<hash of the URL> for an unnamed sink')),
    records: count,
    sink: z.optional(z.string().check(d('Where the queue delivered when last shipped (origin and path)'))),
  })).check(d('Queues of sinks no longer configured (ship --adopt <queue> delivers them to a configured sink)')),
});

export const UiOutputSchema = z.strictObject({
  url: z.string().check(d('The console\'s address with its per-start token (?token=...): open it in a browser')),
});

export const TeamInitOutputSchema = z.strictObject({
  store: z.string().check(d('The store as clickhouse://USER@HOST:PORT/DATABASE?table=T (never the password)')),
  config: z.strictObject({
    audit: z.strictObject({
      sinks: z.array(z.record(z.string(), z.unknown())).check(d('The sinks to put in each developer\'s user config: a file sink, then the clickhouse sink (its password an ${ENV} reference)')),
    }),
  }),
});

export type CheckOutput = z.infer<typeof CheckOutputSchema>;
export type VerifyOutput = z.infer<typeof VerifyOutputSchema>;
export type ValidateProblem = z.infer<typeof ValidateProblemSchema>;
export type ValidateOutput = z.infer<typeof ValidateOutputSchema>;
export type StatsOutput = z.infer<typeof StatsOutputSchema>;
export type ShipOutput = z.infer<typeof ShipOutputSchema>;
export type UiOutput = z.infer<typeof UiOutputSchema>;
export type TeamInitOutput = z.infer<typeof TeamInitOutputSchema>;

export const OUTPUT_SCHEMA_FILES = ['check', 'verify', 'validate', 'tail', 'stats', 'ship', 'ui', 'team-init'] as const;
export type OutputSchemaName = (typeof OUTPUT_SCHEMA_FILES)[number];

/** JSON Schema of a --json output, titled for `hookwarden schema` and the committed files. */
export function describedJsonSchema(schema: z.ZodMiniType, title: string, description: string): object {
  return { ...z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }), title, description };
}

/** The committed schema files of these outputs, generated from the zod schemas above. */
export function outputJsonSchemas(): Record<`${OutputSchemaName}.schema.json`, object> {
  const gen = describedJsonSchema;
  return {
    'check.schema.json': gen(CheckOutputSchema, 'hookwarden check --json', 'The decision the PreToolUse hook would take, every target, and the rule and layer that decided.'),
    'verify.schema.json': gen(VerifyOutputSchema, 'hookwarden verify --json', 'The hash chain walk over audit files: every problem found, and unreadable files.'),
    'validate.schema.json': gen(ValidateOutputSchema, 'hookwarden validate --json', 'Every problem of each config file checked.'),
    // JSON lines: each line is one record exactly as stored in the audit file.
    'tail.schema.json': { ...recordJsonSchema(), title: 'hookwarden tail --json', description: 'One JSON line per audit record, exactly as stored (schema of one line).' },
    'stats.schema.json': gen(StatsOutputSchema, 'hookwarden stats --json', 'Record counts grouped by one field, largest group first.'),
    'ship.schema.json': gen(ShipOutputSchema, 'hookwarden ship --json', 'What one run of the forwarder delivered and what is left in the spool.'),
    'ui.schema.json': gen(UiOutputSchema, 'hookwarden ui --json', 'The one line the web console prints when it is serving; it keeps serving until interrupted.'),
    'team-init.schema.json': gen(TeamInitOutputSchema, 'hookwarden team init --json', 'The team store that is ready, and the config each developer puts in their user config.'),
  };
}

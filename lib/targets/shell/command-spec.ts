// The shape of the command knowledge in rules/commands/*.json: for each command, which operands
// and option values it reads, writes, deletes or moves. The hooks read the data as plain objects
// (no validation at run time: it ships inside the bundle); test/targets/shell/command-data.test.ts
// validates every file with this schema, and schema/commands.schema.json is generated from it.
import * as z from 'zod/mini';

export const EFFECTS = ['read', 'write', 'delete', 'move-from', 'move-to', 'none', 'unknown', 'dir', 'prefix'] as const;
/**
 * What a command does to a file named by an operand or option value. `none`: not a file (a
 * pattern, a package name, a URL); `unknown`: may be written (as for a command the guard does
 * not know: counts only when the path is protected); `dir`: a folder the command writes files
 * into with names it chooses (`pip install --target DIR`): written beneath, so every protected
 * path beneath it counts; `prefix`: the command writes names that start with the text and end
 * with a suffix it chooses (`split IN PREFIX`): every protected path so spelled counts.
 */
export type Effect = (typeof EFFECTS)[number];

const d = z.describe;
const EffectSchema = z.enum(EFFECTS);

const Derive = z.strictObject({
  op: EffectSchema,
  append: z.optional(z.string().check(d('Suffix added to the operand: gzip F writes F.gz'))),
  strip: z.optional(z.array(z.string()).check(d('Suffixes removed from the operand when it ends with one: gunzip F.gz writes F'))),
});

const Fixed = z.strictObject({
  op: EffectSchema,
  path: z.string().check(z.minLength(1), d('A file the command touches whatever its operands say; ~ is the home directory')),
});

/** What a command (or a subcommand, or the command with certain options) does. */
const Effects = {
  operands: z.optional(EffectSchema.check(d('Effect on each operand (default read)'))),
  positions: z.optional(z.array(EffectSchema).check(d('Effects of the first operands, by position (after skip)'))),
  last: z.optional(EffectSchema.check(d('Effect on the last operand when there are at least two (a destination)'))),
  skip: z.optional(z.number().check(z.int(), z.gte(0), d('Leading operands that are not files (a pattern, an expression)'))),
  values: z.optional(z.record(z.string(), EffectSchema).check(d('Option (short letter or long name) -> effect on its value; value options not listed are not files'))),
  derive: z.optional(z.array(Derive).check(d('Files named after each operand'))),
  files: z.optional(z.array(Fixed)),
  beneath: z.optional(z.boolean().check(d('Operands reach everything beneath a directory (recursive forms)'))),
};

const When = z.strictObject({
  if: z.array(z.string().check(z.minLength(1))).check(z.minLength(1), d('Any of these options present (short letters or long names); !NAME: that option absent (every such one)')),
  ...Effects,
});

export interface CommandSpec {
  summary?: string;
  args?: string;
  long?: string[];
  flags?: string[];
  singleDash?: boolean;
  operands?: Effect;
  positions?: Effect[];
  last?: Effect;
  skip?: number;
  values?: Record<string, Effect>;
  derive?: { op: Effect; append?: string; strip?: string[] }[];
  files?: { op: Effect; path: string }[];
  beneath?: boolean;
  when?: (Omit<CommandSpec, 'when' | 'sub' | 'subOther' | 'args' | 'long' | 'flags' | 'summary' | 'alias' | 'singleDash'> & { if: string[] })[];
  sub?: Record<string, CommandSpec>;
  subOther?: Effect;
  alias?: string;
  inherit?: boolean;
}

export const CommandSpecSchema: z.ZodMiniType<CommandSpec> = z.strictObject({
  summary: z.optional(z.string()),
  args: z.optional(z.string().check(d('Short options that take a value (attached or the next argument)'))),
  long: z.optional(z.array(z.string()).check(d('Long options (no dashes) that take a value'))),
  flags: z.optional(z.array(z.string()).check(d('Other long options, to resolve abbreviations'))),
  singleDash: z.optional(z.boolean().check(d('Long options are written with one dash (openssl -out FILE, go build -o)'))),
  ...Effects,
  when: z.optional(z.array(When).check(d('The first entry whose option is present replaces the effects it names'))),
  get sub() {
    return z.optional(z.record(z.string(), CommandSpecSchema).check(d('Subcommands, chosen by the first operand')));
  },
  subOther: z.optional(EffectSchema.check(d('Effect on the operands of a subcommand not listed (default unknown)'))),
  alias: z.optional(z.string().check(d('Same knowledge as this other command'))),
  inherit: z.optional(z.boolean().check(d('The command\'s own options (and their effects) hold after the subcommand word too (npm reads every setting anywhere on the line)'))),
}) as unknown as z.ZodMiniType<CommandSpec>;

export const CommandFileSchema = z.strictObject({
  $schema: z.optional(z.string()),
  description: z.string(),
  commands: z.record(z.string().check(z.regex(/^[^\s/]+$/)), CommandSpecSchema),
});
export type CommandFile = z.output<typeof CommandFileSchema>;

export function commandsJsonSchema(): object {
  return {
    ...z.toJSONSchema(CommandFileSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'hookwarden command knowledge',
    description: 'What each command does to the files its operands and option values name (rules/commands/*.json).',
  };
}

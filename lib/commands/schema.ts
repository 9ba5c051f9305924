// Command rules as configured (zod/mini: on the hook's start-up path). A rule names a command
// (basename), an optional subcommand chain, and conditions on its arguments that the argument
// parser (argv.ts) reads with the rule's own syntax facts: which options take a value, whether
// `-name` is one long option, whether long options may be abbreviated.
import * as z from 'zod/mini';

const d = z.describe;
const NAME = /^(?:\*|[A-Za-z0-9._+-]+\*?)$/;
const OPTION = /^--?[A-Za-z0-9?][A-Za-z0-9._-]*$/;
const Option = z.string().check(z.regex(OPTION, 'must be an option spelling such as "-f" or "--force"'));
const Options = z.array(Option).check(z.minLength(1));
const Word = z.string().check(z.minLength(1), z.maxLength(200));
const Words = z.array(Word).check(z.minLength(1), z.maxLength(100));

export const SQL_KINDS = ['drop-database', 'drop-schema', 'drop-table', 'truncate', 'delete-without-where', 'update-without-where', 'flush'] as const;
export type SqlKind = (typeof SQL_KINDS)[number];
export const PLACES = ['root', 'home', 'system', 'project-root', 'outside-project'] as const;
export type Place = (typeof PLACES)[number];

export const SyntaxSchema = z.strictObject({
  values: z.optional(z.array(Option).check(d('Options that take a value (`-C dir`, `--git-dir x`): the value is not read as flags or an operand.'))),
  globals: z.optional(z.array(Option).check(d('Options before the subcommand that take a value (`git -C dir`, `kubectl -n ns`).'))),
  singleDash: z.optional(z.boolean().check(d('`-name` is one long option (terraform, find), not bundled letters.'))),
  abbrev: z.optional(z.boolean().check(d('Long options may be shortened to a prefix (`--forc` is `--force`), as git and GNU tools accept.'))),
  leadingOperands: z.optional(z.boolean().check(d('Only words before the first option are operands (find\'s start points).'))),
});
export type Syntax = z.output<typeof SyntaxSchema>;

const At = z.enum(['any', 'first', 'last', 'rest']);
export const ConditionSchema = z.strictObject({
  flag: z.optional(Options.check(d('Spellings of one flag; holds when any is present (bundled `-fd`, `--force=x`, any position).'))),
  noFlag: z.optional(Options.check(d('Spellings of one flag; holds when none is present, or when its last occurrence is undone by a later `--no-<long>` (`--dry-run --no-dry-run`).'))),
  option: z.optional(Options.check(d('Spellings of an option with a value; with "value", holds when a value matches.'))),
  noOption: z.optional(Options.check(d('Spellings of an option; holds when it is absent, or (with "value") when its last occurrence\'s value matches no glob (a bare occurrence counts as "true"): `--dry-run=none` is no dry run.'))),
  value: z.optional(z.array(Word).check(z.minLength(1), d('Globs for the value of "option" or "noOption".'))),
  operand: z.optional(Words.check(d('Globs (case-insensitive); holds when an operand (see "at") matches one.'))),
  noOperand: z.optional(Words.check(d('Globs; holds when no operand (see "at") matches any.'))),
  except: z.optional(Words.check(d('Globs of operands that "operand" does not count.'))),
  at: z.optional(At.check(d('Which operands "operand", "noOperand" and "place" look at (default any).'))),
  exists: z.optional(z.literal(true).check(d('Holds when an operand (see "at"), resolved like a path target, names a file or folder that exists (`git checkout src/app.ts` restores a file, `git checkout main` switches branch).'))),
  afterSeparator: z.optional(z.boolean().check(d('Holds when an operand follows `--`.'))),
  place: z.optional(z.array(z.enum(PLACES)).check(z.minLength(1), d(
    'Holds when an operand, resolved as a path (cwd, ~, .., links), is / ("root"), a home folder ("home"), a top-level '
    + 'system folder ("system"), the project root ("project-root"), or outside both the project and the temp folders ("outside-project").',
  ))),
  path: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(1024))).check(z.minLength(1), d(
    'Path globs (the syntax of path rules: relative to the project root, ~/, **/, absolute); holds when an operand (see "at"), resolved like a path target, matches one.',
  ))),
  sql: z.optional(z.array(z.enum(SQL_KINDS)).check(z.minLength(1), d('Holds when SQL given to this database client holds a statement of one of these kinds.'))),
  program: z.optional(z.literal('network').check(d('Holds when the interpreter runs a program that comes from the network (`curl … | sh`, `sh -c "$(curl …)"`).'))),
  recursion: z.optional(z.literal(true).check(d('Holds when a shell function calls itself more than once in its own body (a fork bomb).'))),
});
export type Condition = z.output<typeof ConditionSchema>;

export const CommandRuleSchema = z.strictObject({
  id: z.string().check(z.regex(/^[A-Za-z0-9._-]+$/, 'must be non-empty and use only A-Z a-z 0-9 . _ -'),
    d('Unique id among command rules; a higher layer may replace an unlocked rule of a lower layer by using its id.')),
  effect: z.enum(['deny', 'allow', 'ask']).check(d('deny beats ask beats allow')),
  command: z.array(z.string().check(z.regex(NAME, 'must be a command name, optionally ending in "*"'))).check(z.minLength(1), d(
    'Command names after path removal (`/usr/bin/git` is `git`); a trailing "*" matches any suffix (`mkfs*`); "*" alone: every command.',
  )),
  subcommand: z.optional(z.array(z.union([Word, Words])).check(z.minLength(1), d(
    'The subcommand chain (`["s3", "rm"]`); a step may list alternatives (`[["uninstall", "delete", "del"]]`). Options before each step are skipped.',
  ))),
  syntax: z.optional(SyntaxSchema),
  when: z.optional(z.array(ConditionSchema).check(z.minLength(1), d('Conditions that must all hold (none: every call of the command).'))),
  reason: z.optional(z.string().check(z.minLength(1), d('Told to the model when the rule blocks.'))),
  locked: z._default(z.boolean(), false).check(d('A higher layer cannot replace this rule.')),
});
export type CommandRule = z.output<typeof CommandRuleSchema>;

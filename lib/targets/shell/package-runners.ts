// Package runners: `npx tsx fix.ts`, `bunx`, `npm exec`, `pnpm dlx|exec`, `yarn dlx|exec`, `uv run`,
// `poetry run`, `pipenv run`, `pdm run`, `hatch run`, `rye run`, `conda run`, `bundle exec`. They run
// a command from a package (fetched, or from the project's environment). The command they name is
// also analyzed as that command would be (`npx tsx fix.ts` reads fix.ts like `tsx fix.ts`): an
// addition only, since the package may not be the program of that name, its operands stay what the
// command data says of the runner (unknown: protected ones count as written).
import type { Arg } from './types.js';

/** The runner's own words before the command: subcommand chain, and options that take a value. */
interface Runner { sub?: string[]; valued: Set<string>; shell?: Set<string>; py?: boolean }

/** How many words after option `t` are its value (`--with x`: 1; `--with=x`, a flag: 0). */
const optionValueCount = (t: string, valued: Set<string>): number => (!t.includes('=') && valued.has(t) ? 1 : 0);

const NPX: Runner = { valued: new Set(['-p', '--package', '--registry', '--cache', '--userconfig', '-w', '--workspace']), shell: new Set(['-c', '--call']) };
const PY: Runner = {
  py: true,
  valued: new Set(['--with', '--with-requirements', '--with-editable', '-p', '--python', '--project', '--directory', '--env-file', '--extra', '--group',
    '--package', '--index', '--default-index', '--index-url', '--extra-index-url', '-n', '--name', '--prefix', '-e', '--env', '-C', '--config-file']),
};

const RUNNERS = new Map<string, Runner>([
  ['npx', NPX],
  ['bunx', NPX],
  ['npm', { ...NPX, sub: ['exec', 'x'] }],
  ['pnpm', { ...NPX, sub: ['dlx', 'exec'] }],
  ['pnpx', NPX],
  ['yarn', { ...NPX, sub: ['dlx', 'exec'] }],
  ['uv', { ...PY, sub: ['run'] }],
  ['uvx', PY],
  ['poetry', { ...PY, sub: ['run'] }],
  ['pipenv', { ...PY, sub: ['run'] }],
  ['pdm', { ...PY, sub: ['run'] }],
  ['hatch', { ...PY, sub: ['run'] }],
  ['rye', { ...PY, sub: ['run'] }],
  ['conda', { ...PY, sub: ['run'] }],
  ['mamba', { ...PY, sub: ['run'] }],
  ['micromamba', { ...PY, sub: ['run'] }],
  ['bundle', { valued: new Set(['--gemfile']), sub: ['exec'] }],
]);

/**
 * The command a package runner runs (`['tsx', 'fix.ts']`, or `['sh', '-c', TEXT]` for `npx -c`), or
 * undefined when `name args` runs none.
 */
export function runnerCommand(name: string, args: Arg[]): Arg[] | undefined {
  const r = RUNNERS.get(name);
  if (!r) return undefined;
  let i = 0;
  if (r.sub) {
    // Global options may come before the subcommand (`pnpm -C dir exec x`).
    while (i < args.length && args[i]!.text.startsWith('-')) i += 1 + optionValueCount(args[i]!.text, r.valued);
    if (!r.sub.includes(args[i]?.text ?? '')) return undefined;
    i++;
  }
  for (; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '--') {
      i++;
      break;
    }
    if (!t.startsWith('-')) break;
    const eq = t.indexOf('=');
    const key = eq > 0 ? t.slice(0, eq) : t;
    if (r.shell?.has(key)) {
      const text = eq > 0 ? { ...args[i]!, text: t.slice(eq + 1) } : args[i + 1];
      return text ? [{ text: 'sh', literal: args[i]!.literal }, { text: '-c', literal: args[i]!.literal }, text] : undefined;
    }
    i += optionValueCount(t, r.valued);
  }
  const cmd = args.slice(i);
  if (cmd.length === 0) return undefined;
  // `uv run fix.py`, `poetry run fix.py`: a Python file is run by Python.
  if (r.py && /\.py$/.test(cmd[0]!.text)) return [{ text: 'python3', literal: cmd[0]!.literal }, ...cmd];
  return cmd;
}

// `python -m MODULE args`: the standard library's command-line tools are commands like any other
// (`-m zipfile -e keys.zip ~/.ssh` extracts, `-m json.tool in out` writes `out`). A module the
// guard does not know is treated like an unknown command: each operand may be written.
import { extractArchive } from '../archive/extract.js';
import type { Arg } from '../shell/context.js';
import type { CodeCtx } from './load.js';

/** Modules that run the project's own code or only read: what they write is not in their arguments. */
const NO_FILES = new Set(['http.server', 'pytest', 'unittest', 'doctest', 'timeit', 'pdb', 'site', 'sysconfig', 'platform', 'this',
  'antigravity', 'calendar', 'pydoc', 'tokenize', 'ast', 'dis', 'inspect', 'pyclbr', 'tabnanny', 'webbrowser', 'uuid', 'base64',
  'ensurepip', 'mypy', 'black', 'ruff', 'flake8', 'pylint', 'isort', 'coverage', 'build', 'twine', 'poetry', 'uvicorn', 'flask',
  'django', 'http.client', 'smtpd', 'code', 'encodings', 'idlelib', 'venv.scripts', 'pip._internal', 'pipx', 'hatch']);

const has = (args: Arg[], ...names: string[]): boolean => args.some((a) => names.includes(a.text) || names.some((n) => n.startsWith('--') && a.text.startsWith(`${n}=`)));

/** Value of an option (`-o X`, `-oX`, `--out X`, `--out=X`). */
function optValues(args: Arg[], names: string[]): Arg[] {
  const out: Arg[] = [];
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    for (const n of names) {
      if (t === n && args[i + 1]) out.push(args[++i]!);
      else if (n.startsWith('--') && t.startsWith(`${n}=`)) out.push({ text: t.slice(n.length + 1), literal: args[i]!.literal });
      else if (!n.startsWith('--') && t.startsWith(n) && t.length > n.length) out.push({ text: t.slice(n.length), literal: args[i]!.literal });
    }
  }
  return out;
}

const operands = (args: Arg[]): Arg[] => args.filter((a) => !a.text.startsWith('-'));

export function pythonModule(name: string, mod: string, args: Arg[], x: CodeCtx): void {
  const via = `${name} -m ${mod}`;
  if (NO_FILES.has(mod)) return;
  const ops = operands(args);
  if (mod === 'zipfile' || mod === 'tarfile') {
    const create = optValues(args, ['-c', '--create']);
    if (create.length > 0) {
      x.emit('write', create[0]!, via);
      return;
    }
    const ex = optValues(args, ['-e', '--extract']);
    if (ex.length === 0) return; // -l, -t: list and test
    const rest = ops.filter((a) => a !== ex[0]);
    // zipfile needs the destination; tarfile defaults to the working directory.
    extractArchive(x, { archive: ex[0]!, dest: rest[0], via, format: mod === 'zipfile' ? 'zip' : 'tar', keepDotDot: mod === 'tarfile' });
    return;
  }
  if (mod === 'gzip') {
    const d = has(args, '-d', '--decompress');
    for (const f of ops) {
      x.emit('read', f, via);
      x.emit('write', d ? { text: f.text.replace(/\.gz$/, ''), literal: f.literal } : { text: `${f.text}.gz`, literal: f.literal }, via);
    }
    return;
  }
  if (mod === 'json.tool') {
    if (ops[0]) x.emit('read', ops[0], via);
    if (ops[1]) x.emit('write', ops[1], via);
    return;
  }
  if (mod === 'venv' || mod === 'virtualenv') {
    for (const d of ops) x.emit('write', d, via, false, true);
    return;
  }
  if (mod === 'zipapp') {
    for (const o of optValues(args, ['-o', '--output'])) x.emit('write', o, via);
    return;
  }
  if (mod === 'compileall' || mod === 'py_compile') {
    for (const d of ops) x.emit('write', { text: `${d.text.replace(/\/+$/, '')}/__pycache__`, literal: d.literal }, via, false, true);
    return;
  }
  if (mod === 'pip') {
    for (const d of optValues(args, ['-t', '--target', '--prefix', '--root', '-d', '--dest', '-w', '--wheel-dir', '--src', '--log', '--report'])) {
      x.emit('write', d, via, false, true);
    }
    for (const r of optValues(args, ['-r', '--requirement', '-c', '--constraint'])) x.emit('read', r, via);
    if (args[0]?.text === 'config' && ['set', 'unset', 'edit'].includes(args[1]?.text ?? '')) {
      for (const f of ['.config/pip/pip.conf', '.pip/pip.conf']) x.emit('write', { text: `${x.home}/${f}`, literal: via }, via);
    }
    return;
  }
  // An unknown module: like an unknown command, each operand may be written.
  for (const a of ops) x.emit('write', a, via, true);
}

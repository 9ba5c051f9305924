// `just RECIPE`: the recipes of the nearest justfile (`justfile`, `Justfile`, `.justfile`, in the
// working directory or above, or `--justfile F`), which just runs line by line with `sh -cu` in
// the justfile's folder, after the recipes they depend on. An agent can write the justfile in one
// call and run it in the next, so the recipes are read as they are when the call is checked and
// walked like `sh -c` text. What is not read here (imports and modules, `set shell`, interpolations
// other than a plain variable or parameter with a known value, backticks, a recipe with a `#!`
// line of another interpreter, a justfile this call writes first) may do anything: an unresolved
// write.
import path from 'node:path';
import { joinPath, U, type Frame } from './context.js';
import { scriptText } from './nested.js';
import { unknown as unknownScripts, walkText } from './project-scripts.js';
import type { Scope } from './scope.js';
import type { Arg } from './types.js';

interface Recipe { name: string; params: { name: string; dflt?: string }[]; deps: string[]; body: string[]; known: boolean }
interface Justfile { recipes: Map<string, Recipe>; first?: string; vars: Map<string, string>; known: boolean }

/** Options that take a value (the next word, or `=value`). */
const VALUED = new Set(['-f', '--justfile', '-d', '--working-directory', '--set', '--shell', '--shell-arg', '--dotenv-filename', '--dotenv-path', '-E', '--color', '--dump-format', '--list-heading', '--list-prefix', '--chooser', '--command-color', '--timestamp-format']);
/** Options after which just runs no recipe (it lists, shows, formats, edits...). */
const NO_RUN = new Set(['-l', '--list', '-s', '--show', '--summary', '--evaluate', '--variables', '--dump', '--fmt', '--edit', '--init', '--completions', '--changelog', '--groups', '-n', '--dry-run', '--help', '-h', '--version', '-V', '--man']);
/** Attributes that change nothing about how a recipe's lines run. */
const PLAIN_ATTRS = /^\[\s*(private|no-exit-message|exit-message|linux|macos|unix|windows|openbsd|group\b.*|doc\b.*|confirm\b.*|no-quiet|positional-arguments|parallel)\s*\]\s*$/;

/** Walks the recipes `just ARGS` runs (run by dispatch for the command name `just`). */
export function just(name: string, args: Arg[], sc: Scope, fr: Frame): void {
  let dir = sc.cwd;
  let file: string | undefined;
  const words: string[] = [];
  const sets = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (words.length === 0 && t.startsWith('-') && t !== '-') {
      const eq = t.indexOf('=');
      const key = t.startsWith('--') && eq > 0 ? t.slice(0, eq) : t;
      if (NO_RUN.has(key)) return;
      if (key === '-c' || key === '--command') return unknown(name, sc, fr); // a command of its own, with the justfile's environment
      if (VALUED.has(key)) {
        const v = eq > 0 && t.startsWith('--') ? t.slice(eq + 1) : args[++i]?.text;
        if (v === undefined) return;
        if (key === '-f' || key === '--justfile') file = joinPath(sc.cwd, v);
        else if (key === '-d' || key === '--working-directory') dir = joinPath(sc.cwd, v);
        else if (key === '--set') {
          const val = args[++i]?.text;
          if (val === undefined) return;
          sets.set(v, val);
        } else if (key === '--shell' || key === '--shell-arg') return unknown(name, sc, fr);
      }
      continue;
    }
    const assign = words.length === 0 ? /^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/s.exec(t) : null;
    if (assign) sets.set(assign[1]!, assign[2]!);
    else words.push(t);
  }
  if (dir.includes(U) || file?.includes(U)) return unknown(name, sc, fr);
  const found = file ? { at: file, text: scriptText(fr, file) } : findJustfile(sc.cwd, fr);
  if (!found || found.text === 'missing') return; // just fails: no justfile
  if (found.text === undefined) return unknown(name, sc, fr);
  const jf = parseJustfile(found.text);
  if (!jf.known) return unknown(name, sc, fr);
  for (const [k, v] of sets) jf.vars.set(k, v);
  // Recipes run in the justfile's folder (unless `--working-directory`).
  const runDir = file === undefined && dir === sc.cwd ? path.posix.dirname(found.at) : dir;
  // `just a b c`: recipes and their arguments; which word is which depends on the parameters, so
  // every word naming a recipe runs it (a superset), its parameters taken from the words after it.
  const wanted: { r: Recipe; args: string[] }[] = [];
  if (words.length === 0) {
    const d = jf.recipes.get('default') ?? (jf.first ? jf.recipes.get(jf.first) : undefined);
    if (d) wanted.push({ r: d, args: [] });
  }
  words.forEach((w, k) => {
    const r = jf.recipes.get(w);
    if (r) wanted.push({ r, args: words.slice(k + 1) });
  });
  const done = new Set<string>();
  const runRecipe = (r: Recipe, values: string[], depth: number): void => {
    if (done.has(r.name) || depth > 64) return;
    done.add(r.name);
    fr.run.step();
    for (const d of r.deps) {
      const dep = jf.recipes.get(d);
      if (dep) runRecipe(dep, [], depth + 1);
      else return unknown(name, sc, fr); // a dependency with arguments, or one not found
    }
    if (!r.known) return unknown(`${name} ${r.name}`, sc, fr);
    const vars = new Map(jf.vars);
    r.params.forEach((p, k) => {
      const v = values[k] ?? p.dflt;
      if (v !== undefined && !v.includes(U)) vars.set(p.name, v);
    });
    for (const line of r.body) {
      const text = interpolate(line.replace(/^[@-]+/, ''), vars);
      if (text === undefined) return unknown(`${name} ${r.name}`, sc, fr);
      walk(text, `${name} recipe ${r.name}`, runDir, sc, fr);
    }
  };
  for (const { r, args: a } of wanted) runRecipe(r, a, 0);
}

/** The nearest justfile at or above `from`, as the call meets it. */
function findJustfile(from: string, fr: Frame): { at: string; text: string | 'missing' | undefined } | undefined {
  for (let d = from; ; d = path.posix.dirname(d)) {
    for (const n of ['justfile', 'Justfile', '.justfile', 'JUSTFILE']) {
      const at = joinPath(d, n);
      const text = scriptText(fr, at);
      if (text !== 'missing') return { at, text };
    }
    if (d === '/' || d === path.posix.dirname(d)) return undefined;
  }
}

/** Recipes and plain string variables of a justfile; `known` false when it uses what is not read here. */
export function parseJustfile(text: string): Justfile {
  const jf: Justfile = { recipes: new Map(), vars: new Map(), known: true };
  let cur: Recipe | undefined;
  let attrsPlain = true;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (cur && /^[ \t]+\S/.test(raw)) {
      cur.body.push(raw.trim());
      continue;
    }
    if (cur && raw.trim() === '') continue;
    cur = undefined;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      if (!PLAIN_ATTRS.test(line)) attrsPlain = false;
      continue;
    }
    if (/^(import|mod|set|alias|export|unexport)\b/.test(line)) {
      const alias = /^alias\s+([A-Za-z_][A-Za-z0-9_-]*)\s*:=\s*([A-Za-z_][A-Za-z0-9_-]*)\s*$/.exec(line);
      if (alias) {
        const target = jf.recipes.get(alias[2]!);
        if (target) jf.recipes.set(alias[1]!, target);
        else jf.known = false;
        continue;
      }
      // `set` of a setting that changes nothing about the lines' shell; anything else is not read.
      if (/^set\s+(quiet|allow-duplicate-recipes|allow-duplicate-variables|ignore-comments|fallback|positional-arguments|unstable|dotenv-load)\b/.test(line)) continue;
      const exp = /^export\s+([A-Za-z_][A-Za-z0-9_]*)\s*:=\s*(.*)$/.exec(line);
      if (exp) {
        const v = stringValue(exp[2]!);
        if (v === undefined) jf.known = false;
        else jf.vars.set(exp[1]!, v);
        continue;
      }
      jf.known = false;
      continue;
    }
    const v = /^([A-Za-z_][A-Za-z0-9_-]*)\s*:=\s*(.*)$/.exec(line);
    if (v) {
      const value = stringValue(v[2]!);
      if (value === undefined) jf.vars.delete(v[1]!); // a computed value: not known (its uses fall back to unknown)
      else jf.vars.set(v[1]!, value);
      continue;
    }
    // An unquoted default holds no `:` or quote, so each word has one reading: no backtracking on a hostile line.
    const head = /^@?([A-Za-z_][A-Za-z0-9_-]*)((?:\s+[+*$]?[A-Za-z_][A-Za-z0-9_-]*(?:=(?:'[^']*'|"[^"]*"|[^\s:'"]+))?)*)\s*:(?!=)\s*(.*)$/.exec(line);
    if (!head) {
      jf.known = false;
      continue;
    }
    const params = [...head[2]!.matchAll(/[+*$]?([A-Za-z_][A-Za-z0-9_-]*)(?:=('[^']*'|"[^"]*"|[^\s:'"]+))?/g)].map((m) => ({ name: m[1]!, ...(m[2] !== undefined ? { dflt: stringValue(m[2]) ?? U } : {}) }));
    // Dependencies: plain names run first; `(name args)` and `&&` (after) are not read here.
    const depText = head[3]!.replace(/#.*$/, '').trim();
    const deps = depText === '' ? [] : depText.split(/\s+/);
    const simpleDeps = deps.every((d) => /^[A-Za-z_][A-Za-z0-9_-]*$/.test(d));
    cur = { name: head[1]!, params, deps: simpleDeps ? deps : [], body: [], known: attrsPlain && simpleDeps };
    attrsPlain = true;
    jf.recipes.set(cur.name, cur);
    jf.first ??= cur.name;
  }
  // A `#!` recipe runs its body as one script of that interpreter: sh and bash ones are read as shell.
  for (const r of jf.recipes.values()) {
    const bang = r.body[0]?.startsWith('#!') ? r.body[0] : undefined;
    if (bang && !/^#!\s*(\/usr)?\/bin\/(env\s+)?(ba|da|z)?sh\b/.test(bang)) r.known = false;
    if (bang) r.body = [r.body.slice(1).join('\n')];
  }
  return jf;
}

/** A just string literal (`"…"` with escapes, `'…'`), or undefined for any other expression. */
function stringValue(expr: string): string | undefined {
  const e = expr.replace(/\s+#.*$/, '').trim();
  const m = /^'([^']*)'$/.exec(e) ?? /^"((?:[^"\\]|\\.)*)"$/.exec(e);
  if (!m) return /^[^\s'"`(){}+/]+$/.test(e) && !/^[A-Za-z_]/.test(e) ? e : undefined;
  return m[0].startsWith('"') ? m[1]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)) : m[1]!;
}

/** A recipe line with `{{name}}` replaced; undefined when an interpolation is not a known name. `{{{{` is a literal `{{`. */
function interpolate(line: string, vars: Map<string, string>): string | undefined {
  if (line.includes('`')) return undefined;
  let out = '';
  for (let i = 0; i < line.length;) {
    if (line.startsWith('{{{{', i)) {
      out += '{{';
      i += 4;
      continue;
    }
    if (line.startsWith('{{', i)) {
      const end = line.indexOf('}}', i + 2);
      if (end < 0) return undefined;
      const name = line.slice(i + 2, end).trim();
      const v = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? vars.get(name) : undefined;
      if (v === undefined) return undefined;
      out += v;
      i = end + 2;
      continue;
    }
    out += line[i++];
  }
  return out;
}

const walk = (text: string, what: string, dir: string, sc: Scope, fr: Frame): void => walkText(text, what, dir, sc, fr, 'recipes');
const unknown = (what: string, sc: Scope, fr: Frame): void => unknownScripts(what, sc, fr, 'recipes');

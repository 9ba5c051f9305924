// git's config file syntax, read the way git's config.c reads it, so the guard sees exactly the
// settings git will (git-config-files.ts); a text git would refuse is reported, not guessed at.
// Compared with `git config --list` in test/lib/targets/shell/git-config-files.test.ts.

/**
 * Each `key = value` of one config text in order, read the way git's config.c reads it (`[section]`,
 * `[section "sub"]`, `[section.sub]`, a key on the header line, `#`/`;` comments, quotes, escapes,
 * `\` continuations), keys as `section.sub.name` with section and name in lower case. False when
 * git would refuse the text (git stops on such a file; the guard does not guess what it holds).
 */
export function configEntries(text: string, each: (key: string, value: string) => void): boolean {
  const t = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  let i = 0;
  let section: string | undefined;
  const isKey = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9-]/.test(c);
  while (i < t.length) {
    const c = t[i]!;
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') i++;
    else if (c === '#' || c === ';') {
      while (i < t.length && t[i] !== '\n') i++;
    } else if (c === '[') {
      let j = i + 1;
      while (j < t.length && /[A-Za-z0-9.-]/.test(t[j]!)) j++;
      const name = t.slice(i + 1, j);
      if (name === '') return false;
      if (t[j] === ']') {
        const dot = name.indexOf('.');
        section = (dot < 0 ? name : `${name.slice(0, dot)}.${name.slice(dot + 1)}`).toLowerCase();
        i = j + 1;
        continue;
      }
      while (t[j] === ' ' || t[j] === '\t') j++;
      if (t[j] !== '"') return false;
      let sub = '';
      for (j++; t[j] !== '"'; j++) {
        if (j >= t.length || t[j] === '\n') return false;
        if (t[j] === '\\') {
          j++;
          if (j >= t.length || t[j] === '\n') return false;
        }
        sub += t[j];
      }
      if (t[j + 1] !== ']' || name.includes('.')) return false;
      section = `${name.toLowerCase()}.${sub}`;
      i = j + 2;
    } else if (/[A-Za-z]/.test(c)) {
      if (section === undefined) return false;
      let j = i;
      while (isKey(t[j])) j++;
      const key = `${section}.${t.slice(i, j).toLowerCase()}`;
      while (t[j] === ' ' || t[j] === '\t') j++;
      if (j >= t.length || t[j] === '\n') {
        each(key, 'true');
        i = j;
        continue;
      }
      if (t[j] !== '=') return false;
      const v = value(t, j + 1);
      if (v === undefined) return false;
      each(key, v.value);
      i = v.end;
    } else return false;
  }
  return true;
}

/** A value from `i` to its line's end: quotes, escapes, continuations, comments, blanks as git keeps them. */
function value(t: string, i: number): { value: string; end: number } | undefined {
  let out = '';
  let quoted = false;
  let space = 0;
  for (; i < t.length; i++) {
    const c = t[i]!;
    if (c === '\n') break;
    if (!quoted && (c === ';' || c === '#')) {
      while (i < t.length && t[i] !== '\n') i++;
      break;
    }
    if (!quoted && /\s/.test(c)) {
      space++;
      continue;
    }
    if (out !== '') out += ' '.repeat(space);
    space = 0;
    if (c === '\\') {
      const n = t[++i];
      if (n === '\n') continue;
      if (n === 't') out += '\t';
      else if (n === 'n') out += '\n';
      else if (n === 'b') out += '\b';
      else if (n === '\\' || n === '"') out += n;
      else return undefined;
    } else if (c === '"') quoted = !quoted;
    else out += c;
  }
  return quoted ? undefined : { value: out, end: i };
}

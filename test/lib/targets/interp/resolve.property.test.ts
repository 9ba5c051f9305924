// Properties of the lexer and resolver: any text in any language is read without an exception and
// in linear work; a path written through each language's write call, quoted with that language's
// escapes, comes back exactly and as a write; the same path only read comes back as a read.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { resolveCode } from '../../../../lib/targets/interp/resolve.js';
import type { Lang } from '../../../../lib/targets/interp/lex.js';

const LANGS: Lang[] = ['python', 'js', 'perl', 'ruby', 'php'];
const opts = { home: '/home/u', getenv: () => undefined };

it('reads any text in any language without throwing', () => {
  fc.assert(fc.property(fc.string({ maxLength: 300, unit: 'binary' }), fc.constantFrom(...LANGS), (code, lang) => {
    const found = resolveCode(code, lang, opts);
    assert.ok(Array.isArray(found.paths));
  }), { numRuns: 2000 });
});

/** A quoted literal for the language (single quotes: no interpolation anywhere). */
function quote(p: string, lang: Lang): string {
  if (lang === 'python' || lang === 'js') return `'${p.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return `'${p.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const WRITE: Record<Lang, (q: string) => string> = {
  python: (q) => `import os\nwith open(${q}, 'w') as f:\n    f.write('x')\n`,
  js: (q) => `const fs = require('fs');\nfs.writeFileSync(${q}, 'x');\n`,
  perl: (q) => `open(my $f, '>', ${q}) or die;\nprint $f "x";\n`,
  ruby: (q) => `File.write(${q}, "x")\n`,
  php: (q) => `<?php file_put_contents(${q}, "x");\n`,
};
const READ: Record<Lang, (q: string) => string> = {
  python: (q) => `print(open(${q}).read())\n`,
  js: (q) => `console.log(require('fs').readFileSync(${q}, 'utf8'));\n`,
  perl: (q) => `open(my $f, '<', ${q}) or die; print <$f>;\n`,
  ruby: (q) => `puts File.read(${q})\n`,
  php: (q) => `<?php echo file_get_contents(${q});\n`,
};

const pathArb = fc.stringMatching(/^[A-Za-z0-9._\/ '"\\$#{}-]{1,24}$/).filter((p) => p.trim() !== '' && !p.includes('\n'));

it('a path written through each language comes back, as a write; only read, as a read', () => {
  fc.assert(fc.property(pathArb, fc.constantFrom(...LANGS), (p, lang) => {
    const q = quote(p, lang);
    const w = resolveCode(WRITE[lang](q), lang, opts).paths.find((x) => x.text === p);
    assert.ok(w, `${lang}: ${WRITE[lang](q)} -> ${JSON.stringify(resolveCode(WRITE[lang](q), lang, opts).paths)}`);
    assert.equal(w.read, false);
    const r = resolveCode(READ[lang](q), lang, opts).paths.find((x) => x.text === p);
    assert.ok(r, `${lang}: ${READ[lang](q)}`);
    assert.equal(r.read, true, `${lang}: ${READ[lang](q)}`);
  }), { numRuns: 1000 });
});

import { checkSync } from 'recheck';
import { FIRST, LAST, CLI_PASSWORD_OPTIONS, VALUE } from '../../lib/secret-rules.ts';
import { GITLEAKS_RULES } from '../../lib/secret-patterns.ts';
const all: [string, string, string][] = [...FIRST, ...LAST].map(([k, s, f = '']) => [k, s, f]);
for (const [k, p, o] of CLI_PASSWORD_OPTIONS) { all.push([k + ':program', `(?<![\\w./-])${p}(?![\\w-])`, '']); all.push([k + ':option', `([ \\t]${o})${VALUE}`, '']); }
for (const [id, s] of GITLEAKS_RULES) all.push([id, s, '']);
const t0 = Date.now();
for (const [k, s, f] of all) {
  const t = Date.now();
  const r = checkSync(s, f, { timeout: 2000 });
  console.log(k.padEnd(40), r.status, (r as any).complexity?.type ?? '', (r as any).checker, Date.now() - t, 'ms');
}
console.log('total', Date.now() - t0);

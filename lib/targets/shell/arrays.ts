// Indexed arrays (`a=(x y)`, `a+=(z)`, `a[1]=v`, `read -a`, `mapfile`): their elements are kept in
// the scope under a key that is not a valid variable name (so it cannot clash), as JSON, which
// makes branch merging compare them like any value. `$a` is `${a[0]}`, kept in sync.
import { U } from './context.js';
import { UNSET, type Scope } from './scope.js';

const key = (name: string): string => `array ${name}`;
const MAX_ELEMENTS = 256;

/** Sets the elements (null: unknown). */
export function setArray(sc: Scope, name0: string, items: string[] | null): void {
  const name = sc.resolve(name0);
  if (name === null) {
    sc.taint();
    return;
  }
  if (items && items.length > MAX_ELEMENTS) items = null;
  sc.set(key(name), items ? JSON.stringify(items) : U);
  sc.set(name, items ? items[0] ?? UNSET : U);
}

/**
 * The elements, or null when unknown. A scalar assignment (`a=x`) since sets element 0 in bash;
 * a name never made an array is one element (its value) or none.
 */
export function arrayItems(sc: Scope, name0: string): string[] | null {
  const name = sc.resolve(name0);
  if (name === null) return null;
  const v = sc.get(key(name));
  const first = sc.get(name);
  if (typeof v === 'string' && v !== U && v.startsWith('[')) {
    let items: string[];
    try {
      items = JSON.parse(v) as string[];
    } catch {
      return null;
    }
    if (first === UNSET) return items.length === 0 ? items : null;
    if (first.includes(U)) return null;
    return items.length === 0 ? [first] : [first, ...items.slice(1)];
  }
  if (first === UNSET) return [];
  return first.includes(U) ? null : [first];
}

/** `a[i]=v` with a literal index (else the array becomes unknown). */
export function setElement(sc: Scope, name: string, index: string, value: string): void {
  const items = arrayItems(sc, name);
  const i = /^\d+$/.test(index) ? Number(index) : -1;
  if (!items || i < 0 || i > MAX_ELEMENTS) {
    setArray(sc, name, null);
    return;
  }
  const next = items.slice();
  while (next.length < i) next.push('');
  next[i] = value;
  setArray(sc, name, next);
}

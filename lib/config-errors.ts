// One-line config error messages from zod issues: `rules[2] (id "x"): field effect: expected one of deny|allow|ask`.


export type Issue = { code: string; path: PropertyKey[]; message: string } & Record<string, unknown>;

export function describeIssue(issue: Issue, raw: unknown): string {
  const p = issue.path;
  let where = '';
  let rest = p;
  if (p[0] === 'rules' && typeof p[1] === 'number') {
    const r = valueAt(raw, p.slice(0, 2));
    const id = r && typeof r === 'object' && typeof (r as { id?: unknown }).id === 'string' ? (r as { id: string }).id : undefined;
    where = `rules[${p[1]}]${id === undefined ? '' : ` (id ${JSON.stringify(id.slice(0, 80))})`}: `;
    rest = p.slice(2);
  }
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue.keys as string[]).map((k) => JSON.stringify(k)).join(', ');
    return `${where}${rest.length ? `field ${fieldName(rest)}: ` : ''}unknown field ${keys}`;
  }
  const field = rest.length ? `field ${fieldName(rest)}: ` : '';
  return `${where}${field}${issueText(issue, valueAt(raw, p))}`;
}

function issueText(issue: Issue, value: unknown): string {
  const missing = value === undefined ? 'missing, ' : '';
  switch (issue.code) {
    case 'invalid_value':
      return `${missing}expected one of ${(issue.values as unknown[]).map(String).join('|')}`;
    case 'invalid_type':
      return value === undefined ? 'missing' : `expected ${issue.expected}, got ${typeName(value)}`;
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'string') return 'must not be empty';
      return `must be >= ${issue.minimum}`;
    case 'too_big':
      return `must be <= ${issue.maximum}`;
    case 'invalid_union':
      return Array.isArray(issue.options) ? `${missing}expected one of ${issue.options.map(String).join('|')}` : 'matches no allowed form';
    case 'invalid_format':
      return issue.message !== 'Invalid input' ? issue.message : `invalid ${issue.format}`;
    default:
      return issue.message === 'Invalid input' ? 'invalid value' : issue.message;
  }
}

function fieldName(p: PropertyKey[]): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');
}

function valueAt(v: unknown, p: PropertyKey[]): unknown {
  for (const k of p) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

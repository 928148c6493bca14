// Label selectors as kubectl's `-l` takes them: `app=x,tier!=db,env in (a,b),!key`.
// parse() follows k8s.io/apimachinery/pkg/labels (selector.go): requirements joined by commas,
// operators = == != in notin, bare `key` (exists) and `!key` (does not exist); all must hold.
// matches() is what the API server does with `?labelSelector=`.

export type Operator = 'equals' | 'notEquals' | 'in' | 'notIn' | 'exists' | 'doesNotExist';

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export class SelectorError extends Error {
  override name = 'SelectorError';
}

// A qualified name with an optional DNS prefix (app.kubernetes.io/name), and label values.
const KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Split at commas that are not inside parentheses. */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) throw new SelectorError('unbalanced ")"');
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (depth !== 0) throw new SelectorError('missing ")"');
  out.push(cur);
  return out;
}

function checkKey(key: string): string {
  if (!KEY.test(key) || key.length > 316) throw new SelectorError(`invalid label key "${key}"`);
  return key;
}

function checkValue(v: string): string {
  if (!VALUE.test(v) || v.length > 63) throw new SelectorError(`invalid label value "${v}"`);
  return v;
}

function parseRequirement(raw: string): Requirement {
  const s = raw.trim();
  if (!s) throw new SelectorError('empty requirement (a stray comma?)');
  let m = /^!\s*(\S+)$/.exec(s);
  if (m) return { key: checkKey(m[1]), op: 'doesNotExist', values: [] };
  m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(s);
  if (m) {
    const values = m[3].split(',').map((v) => checkValue(v.trim()));
    return { key: checkKey(m[1]), op: m[2] === 'in' ? 'in' : 'notIn', values: [...new Set(values)].sort() };
  }
  m = /^([^=!\s]+)\s*(!=|==|=)\s*(.*)$/.exec(s);
  if (m) return { key: checkKey(m[1]), op: m[2] === '!=' ? 'notEquals' : 'equals', values: [checkValue(m[3].trim())] };
  if (/\s/.test(s) || /[=!()]/.test(s)) throw new SelectorError(`cannot parse "${s}" (expected key, !key, key=value, key!=value, key in (a,b) or key notin (a,b))`);
  return { key: checkKey(s), op: 'exists', values: [] };
}

/** Parse a selector; '' selects everything. Throws SelectorError with a readable message. */
export function parseSelector(text: string): Requirement[] {
  if (!text.trim()) return [];
  return splitTop(text).map(parseRequirement);
}

export function matchRequirement(r: Requirement, labels: Readonly<Record<string, string>> | undefined): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const v = has ? labels![r.key] : undefined;
  switch (r.op) {
    case 'exists':
      return has;
    case 'doesNotExist':
      return !has;
    case 'equals':
      return has && v === r.values[0];
    case 'in':
      return has && r.values.includes(v!);
    // As the API server: != and notin also select objects without the label.
    case 'notEquals':
      return !has || v !== r.values[0];
    case 'notIn':
      return !has || !r.values.includes(v!);
  }
}

export function matchSelector(reqs: readonly Requirement[], labels: Readonly<Record<string, string>> | undefined): boolean {
  for (const r of reqs) if (!matchRequirement(r, labels)) return false;
  return true;
}

/** The canonical text of a selector (requirements sorted by key, as kubectl prints them). */
export function formatSelector(reqs: readonly Requirement[]): string {
  const one = (r: Requirement) =>
    r.op === 'exists' ? r.key
    : r.op === 'doesNotExist' ? `!${r.key}`
    : r.op === 'equals' ? `${r.key}=${r.values[0]}`
    : r.op === 'notEquals' ? `${r.key}!=${r.values[0]}`
    : `${r.key} ${r.op === 'in' ? 'in' : 'notin'} (${r.values.join(',')})`;
  return [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(one).join(',');
}

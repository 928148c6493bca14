// Label and field selectors in the API server's string syntax.

export type LabelReq =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export class SelectorError extends Error {}

/** Splits on commas outside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

export function parseLabelSelector(s: string | null | undefined): LabelReq[] {
  if (!s) return [];
  return splitTop(s).map((part) => {
    let m = /^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (m) return { key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()).filter((v) => v !== '') };
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (m) return { key: m[1]!, op: m[2] === '!=' ? 'neq' : 'eq', value: m[3]! };
    m = /^!\s*([^=!\s]+)$/.exec(part);
    if (m) return { key: m[1]!, op: 'notexists' };
    m = /^([^=!\s()]+)$/.exec(part);
    if (m) return { key: m[1]!, op: 'exists' };
    throw new SelectorError(`unable to parse requirement: ${part}`);
  });
}

export function matchLabels(reqs: LabelReq[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const r of reqs) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'eq': if (!has || v !== r.value) return false; break;
      case 'neq': if (has && v === r.value) return false; break;
      case 'in': if (!has || !r.values.includes(v!)) return false; break;
      case 'notin': if (has && r.values.includes(v!)) return false; break;
      case 'exists': if (!has) return false; break;
      case 'notexists': if (has) return false; break;
    }
  }
  return true;
}

/** A LabelSelector object (matchLabels/matchExpressions) as requirements. */
export function selectorObjectToReqs(sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): LabelReq[] {
  const out: LabelReq[] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) out.push({ key: k, op: 'eq', value: v });
  for (const e of sel?.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'in' || op === 'notin') out.push({ key: e.key, op, values: e.values ?? [] });
    else if (op === 'exists') out.push({ key: e.key, op: 'exists' });
    else if (op === 'doesnotexist') out.push({ key: e.key, op: 'notexists' });
  }
  return out;
}

export function selectorObjectToString(sel: { matchLabels?: Record<string, string> } | undefined): string {
  return Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
}

export interface FieldReq { path: string[]; neg: boolean; value: string }

export function parseFieldSelector(s: string | null | undefined): FieldReq[] {
  if (!s) return [];
  return splitTop(s).map((part) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw new SelectorError(`invalid field selector: ${part}`);
    return { path: m[1]!.trim().split('.'), neg: m[2] === '!=', value: m[3]!.trim() };
  });
}

function fieldValue(obj: any, path: string[]): string {
  let v = obj;
  for (const p of path) v = v?.[p];
  if (v === undefined || v === null) return '';
  return String(v);
}

export function matchFields(reqs: FieldReq[], obj: unknown): boolean {
  for (const r of reqs) {
    const eq = fieldValue(obj, r.path) === r.value;
    if (eq === r.neg) return false;
  }
  return true;
}

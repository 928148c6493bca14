// JSON patch (RFC 6902), JSON merge patch (RFC 7386) and a strategic-merge patch good enough
// for what kubectl sends (rollout undo, cordon, scale, label, annotate, set image, edit).
import { clone, deepEqual } from './util.js';

export class PatchError extends Error {}

// ---- JSON patch ------------------------------------------------------------------------------

function unescape(tok: string): string {
  return tok.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw new PatchError(`invalid JSON pointer ${p}`);
  return p.slice(1).split('/').map(unescape);
}

function getAt(doc: any, toks: string[]): any {
  let v = doc;
  for (const t of toks) {
    if (v === null || typeof v !== 'object' || !(t in v)) throw new PatchError(`path not found: /${toks.join('/')}`);
    v = v[t];
  }
  return v;
}

export function applyJsonPatch(doc: unknown, ops: any[]): any {
  if (!Array.isArray(ops)) throw new PatchError('json patch must be an array');
  let root: any = clone(doc);
  for (const op of ops) {
    const toks = parsePointer(op.path);
    const write = (value: any, mode: 'add' | 'replace') => {
      if (toks.length === 0) {
        root = value;
        return;
      }
      const parent = getAt(root, toks.slice(0, -1));
      const last = toks[toks.length - 1]!;
      if (Array.isArray(parent)) {
        const idx = last === '-' ? parent.length : Number(last);
        if (!Number.isInteger(idx) || idx < 0 || idx > parent.length) throw new PatchError(`bad index ${last}`);
        if (mode === 'add') parent.splice(idx, 0, value);
        else {
          if (idx >= parent.length) throw new PatchError(`bad index ${last}`);
          parent[idx] = value;
        }
      } else if (parent && typeof parent === 'object') {
        if (mode === 'replace' && !(last in parent)) throw new PatchError(`replace: missing path ${op.path}`);
        parent[last] = value;
      } else throw new PatchError(`path not found: ${op.path}`);
    };
    const remove = (t: string[]) => {
      const parent = getAt(root, t.slice(0, -1));
      const last = t[t.length - 1]!;
      const old = getAt(root, t);
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
      return old;
    };
    switch (op.op) {
      case 'add': write(clone(op.value), 'add'); break;
      case 'replace': write(clone(op.value), 'replace'); break;
      case 'remove': remove(toks); break;
      case 'move': { const v = remove(parsePointer(op.from)); write(v, 'add'); break; }
      case 'copy': write(clone(getAt(root, parsePointer(op.from))), 'add'); break;
      case 'test': if (!deepEqual(getAt(root, toks), op.value)) throw new PatchError(`test failed at ${op.path}`); break;
      default: throw new PatchError(`unknown op ${op.op}`);
    }
  }
  return root;
}

// ---- merge patch -----------------------------------------------------------------------------

export function applyMergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return clone(patch);
  const out: any = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

// ---- strategic merge patch -------------------------------------------------------------------

/** Merge keys of the list fields kubectl patches, by field name (as the Go structs declare). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name', initContainers: 'name', ephemeralContainers: 'name', volumes: 'name',
  env: 'name', ports: 'containerPort', volumeMounts: 'mountPath', volumeDevices: 'devicePath',
  imagePullSecrets: 'name', conditions: 'type', ownerReferences: 'uid', hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey', taints: 'key', addresses: 'type', resourceClaims: 'name',
  readinessGates: 'conditionType', volumeClaimTemplates: 'name',
};
/** Primitive lists with patchStrategy "merge". */
const MERGE_PRIMITIVES = new Set(['finalizers']);

export function applyStrategicMergePatch(target: any, patch: any): any {
  return smpMap(target, patch);
}

function smpMap(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return clone(patch);
  const directive = patch['$patch'];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const p = { ...patch };
    delete p['$patch'];
    return stripDirectives(p);
  }
  const out: any = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[field])) out[field] = out[field].filter((x: unknown) => !(v as unknown[]).includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    if (Array.isArray(v)) {
      const merged = smpList(k, out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
      continue;
    }
    if (typeof v === 'object') {
      const merged = smpMap(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
      continue;
    }
    out[k] = v;
  }
  return out;
}

function stripDirectives(v: any): any {
  if (Array.isArray(v)) return v.filter((x) => !(x && typeof x === 'object' && x['$patch'])).map(stripDirectives);
  if (v && typeof v === 'object') {
    const o: any = {};
    for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) o[k] = stripDirectives(x);
    return o;
  }
  return v;
}

function smpList(field: string, target: any, patch: any[]): any {
  const replaceAll = patch.some((x) => x && typeof x === 'object' && x['$patch'] === 'replace');
  if (replaceAll) return stripDirectives(patch.filter((x) => !(x && typeof x === 'object' && x['$patch'] === 'replace')));
  const key = MERGE_KEYS[field];
  const cur: any[] = Array.isArray(target) ? target : [];
  if (MERGE_PRIMITIVES.has(field)) return [...cur, ...patch.filter((x) => !cur.includes(x))];
  if (!key) return stripDirectives(patch);
  const out = cur.map((x) => x);
  for (const item of patch) {
    if (!item || typeof item !== 'object') continue;
    const idx = out.findIndex((x) => x && x[key] === item[key]);
    if (item['$patch'] === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = smpMap(out[idx], item);
    else out.push(stripDirectives(item));
  }
  return out;
}

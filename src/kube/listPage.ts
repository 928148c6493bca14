// Parsing one page of a list answer into lean objects. Errors are plain `ListPageError`s (the
// reflector turns them into KubeErrors).
import { leanObject } from './lean.js';
import { RESOURCES, type KindMap, type ResourceKind } from './types.js';

export class ListPageError extends Error {}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface LeanPage<K extends ResourceKind = ResourceKind> {
  metadata: ListMeta;
  items: KindMap[K][];
}

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An object of another kind, or without a name, is the server's mistake: say so clearly. */
export function checkRaw(kind: ResourceKind, raw: unknown, where: 'list' | 'watch'): string | undefined {
  const expected = RESOURCES[kind].objectKind;
  const o = raw as { kind?: unknown; metadata?: { name?: unknown } } | null;
  const k = typeof o?.kind === 'string' ? o.kind.slice(0, 40) : undefined;
  if (typeof o !== 'object' || o === null || (k !== undefined && k !== expected) || typeof o.metadata?.name !== 'string') {
    const what = k !== undefined && k !== expected ? `a ${k}` : 'an object without metadata.name';
    return `the server's ${kind} ${where} holds ${what}, not a ${expected}`;
  }
  return undefined;
}

export function parseListPage<K extends ResourceKind>(kind: K, text: string, describe: (text: string) => string): LeanPage<K> {
  let page: { metadata?: ListMeta; items?: Raw[] };
  try {
    page = JSON.parse(text);
  } catch {
    throw new ListPageError(`the server's ${kind} list is not JSON (${describe(text)})`);
  }
  if (!Array.isArray(page?.items)) throw new ListPageError(`the server's ${kind} list has no items`);
  const objectKind = RESOURCES[kind].objectKind;
  const items: KindMap[K][] = [];
  for (const raw of page.items) {
    const bad = checkRaw(kind, raw, 'list');
    if (bad) throw new ListPageError(bad);
    // The parsed page is ours: set the kind in place rather than copying every object.
    raw.kind ??= objectKind;
    items.push(leanObject(kind, raw));
  }
  const m = page.metadata ?? {};
  return { metadata: { resourceVersion: m.resourceVersion, continue: m.continue, remainingItemCount: m.remainingItemCount }, items };
}
